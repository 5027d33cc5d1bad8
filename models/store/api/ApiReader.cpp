#include "store/api/ApiReader.h"

#include "domain/TranslationContexts.h"
#include "engine/LiteLLMRelease.h"
#include "store/WorkspaceEdits.h"
#include "store/api/ApiListing.h"
#include "store/api/ApiSnapshot.h"
#include "workspace/WorkspaceJson.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QHash>
#include <QSet>
#include <QtConcurrent/QtConcurrentRun>
#include <qcoro/qcorofuture.h>

#include <functional>
#include <vector>

using namespace Qt::StringLiterals;

namespace litescope::api {

namespace {

QCoro::Task<Result<TeamInfo>> fetchTeamInfo(std::shared_ptr<ApiClient> client, QString teamId) {
    QCoro::Task<Result<QJsonValue>> request =
        ApiClient::get(client, u"/team/info"_s, {{u"team_id"_s, teamId}});
    Result<QJsonValue> answer = co_await std::move(request);
    if (!answer)
        co_return answer.error();
    co_return readTeamInfo(*answer);
}

// /team/info for the snapshot, counting answers in "team details" (they arrive in any order).
QCoro::Task<Result<TeamInfo>> fetchTeamInfoCounted(std::shared_ptr<ApiClient> client,
                                                   QString teamId, std::shared_ptr<qint64> done,
                                                   qint64 total) {
    QCoro::Task<Result<TeamInfo>> request = fetchTeamInfo(client, teamId);
    Result<TeamInfo> info = co_await std::move(request);
    if (!client->call().isCancelled())
        client->call().report(u"team details"_s, ++*done, total);
    co_return info;
}

bool nonEmpty(const QJsonValue& value) {
    return (value.isArray() && !value.toArray().isEmpty()) ||
           (value.isString() && !value.toString().isEmpty());
}

// A page of /key/list as workspace keys, each with its team id for the assembly.
Result<EntityTexts> keyTexts(const QJsonArray& items) {
    EntityTexts texts;
    for (const QJsonValue& item : items) {
        if (!item.isObject())
            return Error{
                ErrorKind::Unsupported,
                ApiText::tr("The proxy's /key/list returns only key hashes, not key objects "
                            "(return_full_object); upgrade LiteLLM to read keys through the "
                            "API.")};
        const QJsonObject key = keyEntity(item.toObject());
        const QJsonValue team = key.value(u"team_id"_s);
        texts.append(key, key.value(u"token"_s).toString(),
                     team.isString() ? team.toString() : QString());
        texts.anyAccessGroupIds =
            texts.anyAccessGroupIds || nonEmpty(key.value(u"access_group_ids"_s));
        texts.anyProjectId = texts.anyProjectId || nonEmpty(key.value(u"project_id"_s));
    }
    return texts;
}

Result<EntityTexts> userTexts(const QJsonArray& items) {
    EntityTexts texts;
    for (const QJsonValue& item : items) {
        const QJsonObject user = userEntity(item.toObject());
        texts.append(user, user.value(u"user_id"_s).toString());
    }
    return texts;
}

QCoro::Task<Result<EntityTexts>> readKeys(std::shared_ptr<ApiClient> client) {
    QCoro::Task<Result<EntityTexts>> paged = readEntityPages(
        client,
        {u"/key/list"_s,
         u"keys"_s,
         u"size"_s,
         {{u"return_full_object"_s, u"true"_s}, {u"include_team_keys"_s, u"true"_s}},
         u"keys"_s},
        &keyTexts);
    co_return co_await std::move(paged);
}

QCoro::Task<Result<QJsonArray>> readModels(std::shared_ptr<ApiClient> client) {
    const Query teamModels{{u"include_team_models"_s, u"true"_s}};
    QCoro::Task<Result<QJsonArray>> paged =
        readPages(client, {u"/v2/model/info"_s, u"data"_s, u"size"_s, teamModels, u"models"_s});
    Result<QJsonArray> models = co_await std::move(paged);
    if (models || models.error().kind != ErrorKind::Unsupported)
        co_return models;
    QCoro::Task<Result<QJsonArray>> all =
        readArray(client, u"/model/info"_s, teamModels, u"data"_s);
    co_return co_await std::move(all);
}

// The router's model_group_alias: /get/config/callbacks shows the router settings in force,
// /router/settings (newer) their current values. nullopt when neither answers.
QCoro::Task<Result<std::optional<QJsonObject>>>
readRouterAliases(std::shared_ptr<ApiClient> client) {
    QCoro::Task<Result<QJsonValue>> callbacks = ApiClient::get(client, u"/get/config/callbacks"_s);
    Result<QJsonValue> answer = co_await std::move(callbacks);
    if (answer && answer->toObject().value(u"router_settings"_s).isObject())
        co_return std::optional<QJsonObject>(routerAliases(answer->toObject()
                                                               .value(u"router_settings"_s)
                                                               .toObject()
                                                               .value(u"model_group_alias"_s)));
    if (!answer && answer.error().kind == ErrorKind::ConnectionLost)
        co_return answer.error();
    QCoro::Task<Result<QJsonValue>> settings = ApiClient::get(client, u"/router/settings"_s);
    answer = co_await std::move(settings);
    if (answer && answer->toObject().value(u"current_values"_s).isObject())
        co_return std::optional<QJsonObject>(routerAliases(answer->toObject()
                                                               .value(u"current_values"_s)
                                                               .toObject()
                                                               .value(u"model_group_alias"_s)));
    if (!answer && answer.error().kind == ErrorKind::ConnectionLost)
        co_return answer.error();
    co_return std::optional<QJsonObject>();
}

QStringList teamIdsOf(const QJsonArray& teams) {
    QStringList ids;
    QSet<QString> seen;
    for (const QJsonValue& team : teams) {
        const QString id = team.toObject().value(u"team_id"_s).toString();
        if (!id.isEmpty() && !seen.contains(id)) {
            seen.insert(id);
            ids.append(id);
        }
    }
    return ids;
}

QCoro::Task<Result<QJsonArray>> listKeys(std::shared_ptr<ApiClient> client, Query filter) {
    filter.append({u"return_full_object"_s, u"true"_s});
    filter.append({u"include_team_keys"_s, u"true"_s});
    QCoro::Task<Result<QJsonArray>> paged =
        readPages(client, {u"/key/list"_s, u"keys"_s, u"size"_s, filter, {}});
    co_return co_await std::move(paged);
}

} // namespace

QCoro::Task<Result<StoreInfo>> probe(std::shared_ptr<ApiClient> client) {
    StoreInfo info;
    info.kind = u"api"_s;
    info.displayName = client->displayName();
    info.readOnly = client->options().readOnly;
    // Four independent reads, run together and all awaited: the version (no key needed), a
    // cheap authenticated read that checks the key, and the newer endpoints.
    QCoro::Task<Result<QJsonValue>> readiness = ApiClient::get(client, u"/health/readiness"_s);
    QCoro::Task<Result<QJsonValue>> check =
        ApiClient::get(client, u"/user/list"_s, {{u"page"_s, u"1"_s}, {u"page_size"_s, u"1"_s}});
    QCoro::Task<Result<std::optional<QJsonArray>>> groupsRequest =
        readOptionalArray(client, u"/v1/access_group"_s);
    QCoro::Task<Result<std::optional<QJsonArray>>> projectsRequest =
        readOptionalArray(client, u"/project/list"_s);
    const Result<QJsonValue> health = co_await std::move(readiness);
    const Result<QJsonValue> authenticated = co_await std::move(check);
    const Result<std::optional<QJsonArray>> groups = co_await std::move(groupsRequest);
    const Result<std::optional<QJsonArray>> projects = co_await std::move(projectsRequest);
    if (!health && health.error().kind == ErrorKind::ConnectionLost)
        co_return health.error();
    if (!authenticated)
        co_return authenticated.error();
    if (!groups)
        co_return groups.error();
    if (!projects)
        co_return projects.error();
    // Proxies that hide the version are taken to be current.
    const QString version =
        health ? health->toObject().value(u"litellm_version"_s).toString() : QString();

    const std::optional<LiteLLMVersion> parsed = LiteLLMVersion::parse(version);
    info.memberScopes = !parsed || !(*parsed < memberScopesRelease);
    info.litellmVersion = reportedRelease(version);
    info.accessGroups = groups->has_value();
    info.projects = projects->has_value();
    info.auditLog = false; // LiteLLM writes its own audit rows for the endpoints that have them
    const QString shownVersion =
        version.isEmpty() ? ApiText::tr("LiteLLM (version not shown)") : u"LiteLLM "_s + version;
    info.schemaLevel =
        info.memberScopes
            ? ApiText::tr("%1 (member model scopes)").arg(shownVersion)
            : ApiText::tr(
                  "%1, older than v1.83.14 (no member model scopes: reading works, scope editing "
                  "is refused)")
                  .arg(shownVersion);
    co_return info;
}

QCoro::Task<Result<Workspace>> readSnapshot(std::shared_ptr<ApiClient> client) {
    // The independent listings run together; every one is awaited before anything returns.
    QCoro::Task<Result<QJsonArray>> teamsRequest = readTeamList(client, {}, u"teams"_s);
    QCoro::Task<Result<EntityTexts>> usersRequest = readEntityPages(
        client, {u"/user/list"_s, u"users"_s, u"page_size"_s, {}, u"users"_s}, &userTexts);
    QCoro::Task<Result<EntityTexts>> keysRequest = readKeys(client);
    QCoro::Task<Result<QJsonArray>> modelsRequest = readModels(client);
    QCoro::Task<Result<std::optional<QJsonArray>>> organizationsRequest =
        readOptionalArray(client, u"/organization/list"_s);
    QCoro::Task<Result<std::optional<QJsonArray>>> groupsRequest =
        readOptionalArray(client, u"/v1/access_group"_s);
    QCoro::Task<Result<std::optional<QJsonArray>>> projectsRequest =
        readOptionalArray(client, u"/project/list"_s);
    QCoro::Task<Result<std::optional<QJsonObject>>> aliasesRequest = readRouterAliases(client);
    // The release whose rules the snapshot is decided by, read with the data it describes.
    QCoro::Task<Result<QJsonValue>> readinessRequest =
        ApiClient::get(client, u"/health/readiness"_s);

    const Result<QJsonArray> teams = co_await std::move(teamsRequest);
    Result<EntityTexts> users = co_await std::move(usersRequest);
    Result<EntityTexts> keys = co_await std::move(keysRequest);
    const Result<QJsonArray> models = co_await std::move(modelsRequest);
    Result<std::optional<QJsonArray>> organizations = co_await std::move(organizationsRequest);
    const Result<std::optional<QJsonArray>> groups = co_await std::move(groupsRequest);
    const Result<std::optional<QJsonArray>> projects = co_await std::move(projectsRequest);
    const Result<std::optional<QJsonObject>> aliases = co_await std::move(aliasesRequest);
    const Result<QJsonValue> readiness = co_await std::move(readinessRequest);
    // A cancelled call's optional reads fail too; they must not pass for missing endpoints.
    if (client->call().isCancelled())
        co_return CallOptions::cancelledError();
    for (const Error* error :
         {teams ? nullptr : &teams.error(), users ? nullptr : &users.error(),
          keys ? nullptr : &keys.error(), models ? nullptr : &models.error(),
          groups ? nullptr : &groups.error(), projects ? nullptr : &projects.error(),
          aliases ? nullptr : &aliases.error()}) {
        if (error)
            co_return *error;
    }
    SnapshotParts parts;
    if (!organizations) {
        // Organizations are an enterprise feature on some builds; they decide no access.
        if (organizations.error().kind == ErrorKind::ConnectionLost)
            co_return organizations.error();
        parts.warnings.append(organizations.error().message);
        organizations = std::optional<QJsonArray>();
    }

    const QStringList teamIds = teamIdsOf(*teams);
    const auto done = std::make_shared<qint64>(0);
    std::vector<std::function<QCoro::Task<Result<TeamInfo>>()>> jobs;
    for (const QString& id : teamIds) {
        jobs.push_back([client, id, done, total = teamIds.size()] {
            return fetchTeamInfoCounted(client, id, done, total);
        });
    }
    QCoro::Task<QList<Result<TeamInfo>>> infosRequest = inWindow(std::move(jobs), RequestWindow);
    const QList<Result<TeamInfo>> infos = co_await std::move(infosRequest);
    if (client->call().isCancelled())
        co_return CallOptions::cancelledError();
    for (const Result<TeamInfo>& info : infos) {
        if (info) {
            parts.teams.append(*info);
        } else if (info.error().kind != ErrorKind::NotFound) {
            co_return info.error();
        } // else: deleted between the listing and /team/info
    }

    // LiteLLM's /team/info leaves out the team's model table (its aliases); the v1 /team/list
    // joins it, for every team at once.
    QSet<QString> hidden;
    for (const TeamInfo& info : parts.teams) {
        if (info.modelAliasesHidden)
            hidden.insert(info.team.value(u"team_id"_s).toString());
    }
    if (!hidden.isEmpty()) {
        QCoro::Task<Result<QJsonArray>> listing = readArray(client, u"/team/list"_s, {}, {});
        const Result<QJsonArray> all = co_await std::move(listing);
        if (!all && (all.error().kind == ErrorKind::ConnectionLost ||
                     all.error().kind == ErrorKind::Cancelled))
            co_return all.error();
        QHash<QString, QJsonObject> tables;
        for (const QJsonValue& team : all ? *all : QJsonArray()) {
            const QJsonObject object = team.toObject();
            const QString id = object.value(u"team_id"_s).toString();
            if (!hidden.contains(id))
                continue;
            if (const auto found = modelTableAliases(object.value(u"litellm_model_table"_s)))
                tables.insert(id, *found);
        }
        for (TeamInfo& info : parts.teams) {
            const QString id = info.team.value(u"team_id"_s).toString();
            if (info.modelAliasesHidden && tables.contains(id)) {
                info.team.insert(u"model_aliases"_s, tables.value(id));
                info.modelAliasesHidden = false;
            }
        }
    }

    parts.label = client->displayName();
    parts.users = std::move(*users);
    parts.keys = std::move(*keys);
    parts.proxyModels = *models;
    parts.organizations = *organizations;
    parts.accessGroups = *groups;
    parts.projects = *projects;
    parts.routerAliases = *aliases;
    parts.litellmSettings = client->options().litellmSettings;
    // A proxy that is up but hides its release (or whose readiness probe fails while every
    // listing answered) is decided by the newest rules, said so in the snapshot.
    if (readiness)
        parts.litellmVersion = readiness->toObject().value(u"litellm_version"_s).toString();
    else
        parts.readinessProblem = readiness.error().message;
    // Turning a few MB of answers into a workspace is CPU work: off the calling thread.
    QFuture<Result<Workspace>> assembling = QtConcurrent::run(&assembleSnapshot, std::move(parts));
    co_return co_await assembling;
}

QCoro::Task<Result<QStringList>> findTeamsByAlias(std::shared_ptr<ApiClient> client,
                                                  QString alias) {
    QCoro::Task<Result<QJsonArray>> search = readTeamList(client, {{u"team_alias"_s, alias}});
    const Result<QJsonArray> teams = co_await std::move(search);
    if (!teams)
        co_return teams.error();
    // The filter may match loosely: keep exact matches only.
    QStringList matches;
    for (const QJsonValue& team : *teams) {
        const QJsonObject object = team.toObject();
        if (object.value(u"team_alias"_s).toString() == alias)
            matches.append(object.value(u"team_id"_s).toString());
    }
    matches.removeDuplicates();
    co_return matches;
}

QCoro::Task<Result<TeamInfo>> readTeam(std::shared_ptr<ApiClient> client, QString idOrAlias) {
    if (idOrAlias.isEmpty())
        co_return Error::invalid(ApiText::tr("no team given"));
    QCoro::Task<Result<TeamInfo>> byId = fetchTeamInfo(client, idOrAlias);
    Result<TeamInfo> info = co_await std::move(byId);
    if (info || info.error().kind != ErrorKind::NotFound)
        co_return info;
    QCoro::Task<Result<QStringList>> search = findTeamsByAlias(client, idOrAlias);
    const Result<QStringList> found = co_await std::move(search);
    if (!found)
        co_return found.error();
    const QStringList& matches = *found;
    // Refused in the edit rules' own words, so every store refuses alike.
    if (matches.isEmpty())
        co_return teamNotFound(idOrAlias);
    if (matches.size() > 1)
        co_return teamAliasShared(idOrAlias, matches);
    QCoro::Task<Result<TeamInfo>> byAlias = fetchTeamInfo(client, matches.front());
    co_return co_await std::move(byAlias);
}

QCoro::Task<Result<QJsonArray>> readRosterUsers(std::shared_ptr<ApiClient> client, TeamInfo info) {
    QStringList withoutEmail;
    QStringList withoutId;
    for (const QJsonValue& value : info.team.value(u"members_with_roles"_s).toArray()) {
        const QJsonObject entry = value.toObject();
        const QString id = entry.value(u"user_id"_s).toString();
        const QString email = entry.value(u"user_email"_s).toString();
        if (!id.isEmpty() && email.isEmpty() && !id.contains(u','))
            withoutEmail.append(id);
        else if (id.isEmpty() && !email.isEmpty())
            withoutId.append(email);
    }
    QJsonArray users;
    if (!withoutEmail.isEmpty()) {
        // user_ids takes a comma-separated list: one request for all of them.
        QCoro::Task<Result<QJsonArray>> request =
            readPages(client, {u"/user/list"_s,
                               u"users"_s,
                               u"page_size"_s,
                               {{u"user_ids"_s, withoutEmail.join(u',')}},
                               {}});
        const Result<QJsonArray> found = co_await std::move(request);
        if (!found)
            co_return found.error();
        const QSet<QString> asked(withoutEmail.cbegin(), withoutEmail.cend());
        for (const QJsonValue& user : *found) {
            const QJsonObject entity = userEntity(user.toObject());
            if (asked.contains(entity.value(u"user_id"_s).toString()))
                users.append(entity);
        }
    }
    for (const QString& email : withoutId) {
        QCoro::Task<Result<QJsonArray>> request = readPages(
            client, {u"/user/list"_s, u"users"_s, u"page_size"_s, {{u"user_email"_s, email}}, {}});
        const Result<QJsonArray> found = co_await std::move(request);
        if (!found)
            co_return found.error();
        // The filter matches substrings: keep the exact (case-insensitive) matches.
        for (const QJsonValue& user : *found) {
            const QJsonObject entity = userEntity(user.toObject());
            if (entity.value(u"user_email"_s).toString().compare(email, Qt::CaseInsensitive) == 0)
                users.append(entity);
        }
    }
    co_return users;
}

QCoro::Task<Result<QJsonArray>> findUsers(std::shared_ptr<ApiClient> client, QString identifier) {
    QJsonArray found;
    QList<Query> searches;
    if (!identifier.contains(u','))
        searches.append({{u"user_ids"_s, identifier}});
    if (identifier.contains(u'@'))
        searches.append({{u"user_email"_s, identifier}});
    for (const Query& search : searches) {
        QCoro::Task<Result<QJsonArray>> request =
            readPages(client, {u"/user/list"_s, u"users"_s, u"page_size"_s, search, {}});
        const Result<QJsonArray> users = co_await std::move(request);
        if (!users)
            co_return users.error();
        for (const QJsonValue& user : *users) {
            const QJsonObject entity = userEntity(user.toObject());
            // Both filters match loosely (substrings, case): keep exact matches only.
            if (entity.value(u"user_id"_s).toString() == identifier ||
                entity.value(u"user_email"_s).toString().compare(identifier, Qt::CaseInsensitive) ==
                    0)
                found.append(entity);
        }
    }
    co_return found;
}

QCoro::Task<Result<QJsonObject>> readKey(std::shared_ptr<ApiClient> client, QString identifier) {
    if (identifier.isEmpty())
        co_return Error::invalid(ApiText::tr("no key given"));
    // LiteLLM stores sha256(raw key) as the token; a raw key is looked up by its hash and never
    // sent anywhere.
    QString hash = identifier;
    if (identifier.startsWith(u"sk-"_s))
        hash = QString::fromLatin1(
            QCryptographicHash::hash(identifier.toUtf8(), QCryptographicHash::Sha256).toHex());
    // As the edit rules look a key up: its token, then its alias (an alias several keys share
    // names none of them), then the hash of a raw key.
    QList<Query> searches{{{u"key_hash"_s, hash}}};
    if (hash == identifier)
        searches.append({{u"key_alias"_s, identifier}});
    for (const Query& search : searches) {
        QCoro::Task<Result<QJsonArray>> request = listKeys(client, search);
        const Result<QJsonArray> keys = co_await std::move(request);
        if (!keys)
            co_return keys.error();
        QList<QJsonObject> byAlias;
        for (const QJsonValue& key : *keys) {
            const QJsonObject object = key.toObject();
            if (object.value(u"token"_s).toString() == hash)
                co_return object;
            if (object.value(u"key_alias"_s).toString() == identifier)
                byAlias.append(object);
        }
        if (byAlias.size() == 1)
            co_return byAlias.front();
        if (byAlias.size() > 1) {
            QStringList tokens;
            for (const QJsonObject& key : std::as_const(byAlias))
                tokens.append(key.value(u"token"_s).toString());
            co_return keyAliasShared(identifier, tokens);
        }
    }
    co_return keyNotFound(identifier);
}

} // namespace litescope::api
