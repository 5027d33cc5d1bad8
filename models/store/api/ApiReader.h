#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"
#include "store/Store.h"
#include "store/api/ApiClient.h"
#include "store/api/ApiConversion.h"

#include <QJsonArray>
#include <QJsonObject>
#include <qcoro/qcorotask.h>

#include <memory>

// Reading a proxy through its admin API. Lists are read with the paged endpoints
// (/v2/team/list, /key/list, /user/list, /v2/model/info), falling back to the older unpaged ones
// where a proxy lacks them; pages after the first and the per-team /team/info calls run a few
// at a time. Every read watches the client's call (ApiClient::forCall): a cancelled read answers
// Cancelled.
namespace litescope::api {

// Checks the key and detects what the proxy supports (/health/readiness for the version).
QCoro::Task<Result<StoreInfo>> probe(std::shared_ptr<ApiClient> client);

// Progress: the listings "teams", "users", "keys" and "models" run together, each counting pages
// read of total_pages; then "team details" counts the teams whose /team/info was asked for.
QCoro::Task<Result<Workspace>> readSnapshot(std::shared_ptr<ApiClient> client);

// The team_id of every team whose team_alias is exactly `alias`.
QCoro::Task<Result<QStringList>> findTeamsByAlias(std::shared_ptr<ApiClient> client, QString alias);

// /team/info of the team an admin named by team_id or team_alias.
QCoro::Task<Result<TeamInfo>> readTeam(std::shared_ptr<ApiClient> client, QString idOrAlias);

// The users rows the roster needs to name its members the way the database does: the email of
// an entry without one, the user_id of an entry given only by email. Usually none is needed.
QCoro::Task<Result<QJsonArray>> readRosterUsers(std::shared_ptr<ApiClient> client, TeamInfo info);

// Users whose user_id or user_email is exactly `identifier`, as workspace user entities.
QCoro::Task<Result<QJsonArray>> findUsers(std::shared_ptr<ApiClient> client, QString identifier);

// The key an admin named by token hash, raw key or key_alias, as LiteLLM's key object.
QCoro::Task<Result<QJsonObject>> readKey(std::shared_ptr<ApiClient> client, QString identifier);

} // namespace litescope::api
