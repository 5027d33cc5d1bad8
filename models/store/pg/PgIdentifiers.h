#pragma once

#include "domain/Result.h"

#include <QString>

#include <optional>
#include <pqxx/pqxx>

namespace litescope::pg {

// Admins name things the way the dashboard shows them; these find the row behind a name.

// A team by team_id, else by team_alias (aliases are not unique in LiteLLM: an alias shared by
// several teams is an error listing their ids).
Result<QString> resolveTeam(pqxx::transaction_base& txn, const QString& idOrAlias);
// A user by user_id, else by email (case-insensitive, as LiteLLM's index). nullopt when there is
// no such user row.
Result<std::optional<QString>> resolveUser(pqxx::transaction_base& txn, const QString& idOrEmail);
// A key by token hash, key alias, or raw "sk-…" key (LiteLLM stores its sha256).
Result<QString> resolveKey(pqxx::transaction_base& txn, const QString& key);

} // namespace litescope::pg
