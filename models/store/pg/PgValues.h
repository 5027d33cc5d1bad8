#pragma once

#include "domain/StringPool.h"
#include "domain/Workspace.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <string_view>

namespace litescope::pg {

// Turns the text PostgreSQL sends for LiteLLM's columns straight into litescope's values. JSON
// columns (members_with_roles, aliases, model_info, a budget's row_to_json, array_to_json of text
// arrays) are read with RapidJSON (as the workspace reader is): no QJsonDocument and no
// QJsonObject per row.
// The names a large proxy repeats hundreds of thousands of times (team and user ids, e-mail
// addresses, model names, roles) come from one StringPool, so every repeat shares one buffer.
// Texts keep a leading U+FEFF. One per reading thread: neither the pool nor the parser is
// thread-safe.
//
// A jsonb value that holds JSON text inside a JSON string (older LiteLLM rows are double-encoded)
// is read as that text's array or object, as PgJson's json() does. Each parse answers nullopt
// when the text is not JSON RapidJSON takes (invalid UTF-8 of a SQL_ASCII database, say); the
// callers then read it through Qt's parser as before.
class PgValues {
public:
    PgValues();
    ~PgValues();
    PgValues(const PgValues&) = delete;
    PgValues& operator=(const PgValues&) = delete;

    QString name(std::string_view utf8) { return m_pool.intern(utf8); }

    // array_to_json(text[])::text: the strings, through the pool; null elements are dropped.
    std::optional<QStringList> names(std::string_view json);
    // The string values of a JSON object (model aliases); other values are skipped.
    std::optional<StringMap> stringMap(std::string_view json);
    // members_with_roles: an array of {user_id, user_email, role}. Anything else (LiteLLM's
    // column default is {}) is no members. An entry with fields beyond those three keeps them.
    std::optional<QList<TeamMemberRole>> roster(std::string_view json);
    // A budget row as row_to_json: allowed_models and the limits typed, the other columns kept
    // (but the bookkeeping ones: created_at/by, updated_at/by).
    std::optional<MemberBudget> memberBudget(std::string_view json);
    // A deployment's model_info: id, access groups, team (BYOK) typed, the object kept whole.
    // `rowId` (the row's model_id) stands in for a missing model_info.id.
    std::optional<ProxyModel> modelInfo(std::string_view json, const QString& rowId);

private:
    struct Parser;
    StringPool m_pool;
    std::unique_ptr<Parser> m_parser;
};

// The one place a PostgreSQL row's JSON text becomes the fields an entity keeps without typing
// them (`extra`), minus the named fields. Only rows that have such fields pay for it.
UnknownFields extraFields(std::string_view objectJson,
                          std::initializer_list<QLatin1StringView> without = {});

} // namespace litescope::pg
