#include "store/pg/PgValues.h"

#include "store/pg/PgJson.h"
#include "store/pg/PgSession.h"

#include <QJsonObject>

#include <cstring>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <string>

using namespace Qt::StringLiterals;

namespace litescope::pg {

namespace {

namespace rj = rapidjson;

// Strict UTF-8 (text that is not goes to Qt's parser, as before) and doubles read exactly.
constexpr unsigned ParseFlags = rj::kParseValidateEncodingFlag | rj::kParseFullPrecisionFlag;

// A JSON string's text, or nullopt for any other value.
std::optional<std::string_view> stringOf(const rj::Value& value) {
    if (!value.IsString())
        return std::nullopt;
    return std::string_view(value.GetString(), value.GetStringLength());
}

QString exact(std::string_view text) {
    return fromUtf8Exact(text.data(), qsizetype(text.size()));
}

// A value's JSON text, for the fields litescope keeps without reading them.
std::string textOf(const rj::Value& value) {
    rj::StringBuffer buffer;
    rj::Writer<rj::StringBuffer> writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

// array_to_json's output without escapes, the usual case, split directly: ["a","b",null].
std::optional<QStringList> plainNames(std::string_view json, StringPool& pool) {
    QStringList list;
    std::size_t i = 0;
    const auto at = [&](char c) { return i < json.size() && json[i] == c; };
    if (!at('['))
        return std::nullopt;
    ++i;
    if (at(']'))
        return i + 1 == json.size() ? std::optional(list) : std::nullopt;
    for (;;) {
        if (json.substr(i, 4) == "null") {
            i += 4; // NULL elements are dropped
        } else if (at('"')) {
            const std::size_t start = ++i;
            while (i < json.size() && json[i] != '"' && json[i] != '\\')
                ++i;
            if (!at('"'))
                return std::nullopt; // an escape: RapidJSON reads it
            list.append(pool.intern(json.substr(start, i - start)));
            ++i;
        } else {
            return std::nullopt;
        }
        if (at(']'))
            return i + 1 == json.size() ? std::optional(list) : std::nullopt;
        if (!at(','))
            return std::nullopt;
        ++i;
    }
}

// A number as QJsonValue::toDouble reads it: nothing unless it is a number.
std::optional<double> numberOf(const rj::Value& value) {
    return value.IsNumber() ? std::optional(value.GetDouble()) : std::nullopt;
}

// A whole number; a number that is not one reads as 0, as QJsonValue::toInteger reads it. Big
// integers stay exact (a QJsonValue would round them to a double).
std::optional<qint64> integerOf(const rj::Value& value) {
    if (!value.IsNumber())
        return std::nullopt;
    return value.IsInt64() ? value.GetInt64() : 0;
}

// The strings of an array, non-strings as empty ones (QJsonValue::toString); anything that is
// not an array reads as none.
QStringList listOf(const rj::Value& value, StringPool& pool) {
    QStringList list;
    if (!value.IsArray())
        return list;
    for (const rj::Value& element : value.GetArray()) {
        const std::optional<std::string_view> text = stringOf(element);
        list.append(text ? pool.intern(*text) : QString());
    }
    return list;
}

} // namespace

struct PgValues::Parser {
    // The documents' memory: a fixed block most columns fit in, reused by every parse.
    char block[1 << 16];
    rj::MemoryPoolAllocator<> allocator{block, sizeof block};
    rj::Document document{&allocator};
    std::string buffer;
    std::string inner;

    // Parses `text` (in a copy, in place) and hands `read` the value. A JSON string that holds an
    // array or an object is read as that array or object. Nullopt when RapidJSON refuses the
    // text.
    template <typename T, typename Read>
    std::optional<T> withValue(std::string_view text, Read read) {
        if (!parse(text, buffer))
            return std::nullopt;
        if (document.IsString()) {
            inner.assign(document.GetString(), document.GetStringLength());
            rj::Document nested;
            nested.Parse<ParseFlags>(inner.data(), inner.size());
            if (!nested.HasParseError() && (nested.IsArray() || nested.IsObject()))
                return read(static_cast<const rj::Value&>(nested));
        }
        return read(static_cast<const rj::Value&>(document));
    }

private:
    bool parse(std::string_view text, std::string& into) {
        document.SetNull();
        allocator.Clear(); // the values of the previous parse
        into.assign(text);
        document.ParseInsitu<ParseFlags>(into.data());
        return !document.HasParseError();
    }
};

PgValues::PgValues()
    : m_parser(std::make_unique<Parser>()) {}

PgValues::~PgValues() = default;

std::optional<QStringList> PgValues::names(std::string_view json) {
    if (std::optional<QStringList> plain = plainNames(json, m_pool))
        return plain;
    return m_parser->withValue<QStringList>(json, [&](const rj::Value& value) {
        QStringList strings;
        if (value.IsArray())
            for (const rj::Value& element : value.GetArray())
                if (const std::optional<std::string_view> text = stringOf(element))
                    strings.append(m_pool.intern(*text));
        return strings;
    });
}

std::optional<StringMap> PgValues::stringMap(std::string_view json) {
    if (json == "{}")
        return StringMap();
    return m_parser->withValue<StringMap>(json, [&](const rj::Value& value) {
        StringMap map;
        if (!value.IsObject())
            return map;
        for (const auto& member : value.GetObject()) {
            const QString key = m_pool.intern(*stringOf(member.name));
            // A repeated key: the last value counts, as in a QJsonObject.
            if (const std::optional<std::string_view> text = stringOf(member.value))
                map.insert(key, m_pool.intern(*text));
            else
                map.remove(key);
        }
        return map;
    });
}

std::optional<QList<TeamMemberRole>> PgValues::roster(std::string_view json) {
    const QString defaultRole = m_pool.intern(std::string_view("user"));
    return m_parser->withValue<QList<TeamMemberRole>>(json, [&](const rj::Value& value) {
        QList<TeamMemberRole> roster;
        if (!value.IsArray())
            return roster; // LiteLLM's column default, {}: no members
        roster.reserve(value.Size());
        for (const rj::Value& entry : value.GetArray()) {
            TeamMemberRole member;
            member.role = defaultRole;
            // Any other entry is a member with no id, as Qt's toObject() reads it.
            if (entry.IsObject()) {
                bool unknownFields = false;
                for (const auto& field : entry.GetObject()) {
                    const std::string_view key = *stringOf(field.name);
                    const std::optional<std::string_view> text = stringOf(field.value);
                    const std::optional<QString> pooled =
                        text ? std::optional(m_pool.intern(*text)) : std::nullopt;
                    if (key == "user_id")
                        member.userId = pooled;
                    else if (key == "user_email")
                        member.userEmail = pooled;
                    else if (key == "role")
                        member.role = pooled.value_or(defaultRole);
                    else
                        unknownFields = true;
                }
                // Only entries with more than the three fields pay for an object.
                if (unknownFields)
                    member.extra = extraFields(textOf(entry));
            }
            roster.append(std::move(member));
        }
        return roster;
    });
}

std::optional<MemberBudget> PgValues::memberBudget(std::string_view json) {
    return m_parser->withValue<MemberBudget>(json, [&](const rj::Value& value) {
        MemberBudget budget;
        if (!value.IsObject())
            return budget;
        for (const auto& field : value.GetObject()) {
            const std::string_view key = *stringOf(field.name);
            if (key == "budget_id") {
                const std::optional<std::string_view> id = stringOf(field.value);
                budget.budgetId = id ? exact(*id) : QString();
            } else if (key == "allowed_models") {
                budget.allowedModels = listOf(field.value, m_pool);
            } else if (key == "max_budget") {
                budget.maxBudget = numberOf(field.value);
            } else if (key == "tpm_limit") {
                budget.tpmLimit = integerOf(field.value);
            } else if (key == "rpm_limit") {
                budget.rpmLimit = integerOf(field.value);
            }
        }
        // Bookkeeping columns say nothing about the budget a new member would get.
        budget.extra =
            extraFields(textOf(value), {"budget_id"_L1, "allowed_models"_L1, "max_budget"_L1,
                                        "tpm_limit"_L1, "rpm_limit"_L1, "created_at"_L1,
                                        "created_by"_L1, "updated_at"_L1, "updated_by"_L1});
        return budget;
    });
}

std::optional<ProxyModel> PgValues::modelInfo(std::string_view json, const QString& rowId) {
    return m_parser->withValue<ProxyModel>(json, [&](const rj::Value& value) {
        ProxyModel model;
        model.modelId = rowId;
        if (value.IsObject()) {
            for (const auto& field : value.GetObject()) {
                const std::string_view key = *stringOf(field.name);
                const std::optional<std::string_view> text = stringOf(field.value);
                if (key == "id")
                    model.modelId = text ? exact(*text) : rowId;
                else if (key == "team_id")
                    model.teamId = text ? std::optional(m_pool.intern(*text)) : std::nullopt;
                else if (key == "team_public_model_name")
                    model.teamPublicModelName =
                        text ? std::optional(m_pool.intern(*text)) : std::nullopt;
                else if (key == "access_groups")
                    model.accessGroups = listOf(field.value, m_pool);
            }
        }
        // model_info is kept whole: the writer puts the typed fields first, then the rest.
        model.extra =
            extraFields("{\"model_info\": " + (value.IsObject() ? textOf(value) : "{}") + "}");
        return model;
    });
}

UnknownFields extraFields(std::string_view objectJson,
                          std::initializer_list<QLatin1StringView> without) {
    QJsonObject object =
        parseJson(QByteArray(objectJson.data(), qsizetype(objectJson.size()))).toObject();
    for (QLatin1StringView name : without)
        object.remove(name);
    return UnknownFields::fromObject(object);
}

} // namespace litescope::pg
