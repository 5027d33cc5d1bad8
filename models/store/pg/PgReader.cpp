#include "store/pg/PgReader.h"

#include "domain/TranslationContexts.h"
#include "store/WorkspaceEdits.h"
#include "store/pg/PgEditRows.h"
#include "store/pg/PgJson.h"
#include "store/pg/PgKeyReferences.h"
#include "store/pg/PgOrder.h"
#include "store/pg/PgRows.h"
#include "store/pg/PgSession.h"
#include "workspace/WorkspaceJson.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>

#include <algorithm>
#include <thread>

using namespace Qt::StringLiterals;

namespace litescope::pg {

namespace {

// Rows are fetched in keyset-paged batches so a database with hundreds of thousands of keys
// never sits in one libpq result.
constexpr int BatchSize = 10000;
// A team's row carries its whole roster (a team of 100 members: 10 KB of JSON): in smaller
// batches the server builds the next while the client parses one, where one batch of every team
// would leave each waiting for the other.
constexpr int TeamBatchSize = 100;

// How far one table has been read.
struct Phase {
    QString name;
    qint64 total = -1; // rows, when counted
    int batch = BatchSize;
};

template <typename Read>
void forEachBatch(pqxx::transaction_base& txn, const PgCall& call, const Phase& phase,
                  const QString& select, Read read) {
    call.checkCancelled();
    call.report(phase.name, 0, phase.total);
    // A server-side cursor keeps memory bounded; the pipeline asks for the next batch before this
    // one is parsed, so the server reads while the client converts.
    txn.exec(toStd(u"DECLARE litescope_batch NO SCROLL CURSOR FOR "_s + select));
    {
        const std::string fetch = "FETCH " + std::to_string(phase.batch) + " FROM litescope_batch";
        pqxx::pipeline pipeline(txn);
        pqxx::pipeline::query_id pending = pipeline.insert(fetch);
        qint64 done = 0;
        for (;;) {
            const pqxx::result rows = pipeline.retrieve(pending);
            // Leaving with a batch in flight is fine: the pipeline cancels it.
            call.checkCancelled();
            const bool more = rows.size() == std::size_t(phase.batch);
            if (more)
                pending = pipeline.insert(fetch);
            for (const pqxx::row& row : rows)
                read(row);
            if (!rows.empty()) {
                done += qint64(rows.size());
                call.report(phase.name, done, std::max(phase.total, done));
            }
            if (!more)
                break;
        }
        pipeline.complete();
    }
    txn.exec("CLOSE litescope_batch");
}

// model_info through Qt's parser, where PgValues cannot follow the text.
ProxyModel modelFromInfo(const QJsonObject& info, const QString& rowId) {
    ProxyModel model;
    model.modelId = info.value(u"id"_s).toString(rowId);
    for (const QJsonValue& group : info.value(u"access_groups"_s).toArray())
        model.accessGroups.append(group.toString());
    if (info.value(u"team_id"_s).isString())
        model.teamId = info.value(u"team_id"_s).toString();
    if (info.value(u"team_public_model_name"_s).isString())
        model.teamPublicModelName = info.value(u"team_public_model_name"_s).toString();
    model.extra = UnknownFields::fromObject(QJsonObject{{u"model_info"_s, info}});
    return model;
}

void readProxyModels(pqxx::transaction_base& txn, PgValues& values, Workspace& ws) {
    const pqxx::result rows =
        txn.exec("SELECT model_id, model_name, litellm_params->>'model', model_info::text "
                 "FROM \"LiteLLM_ProxyModelTable\" ORDER BY model_name, model_id");
    for (const pqxx::row& row : rows) {
        const QString rowId = fromField(row[0]);
        // litellm_params holds (encrypted) credentials: only the backend model name is kept.
        std::optional<ProxyModel> model =
            row[3].is_null() ? values.modelInfo("null", rowId)
                             : values.modelInfo({row[3].c_str(), row[3].size()}, rowId);
        if (!model)
            model = modelFromInfo(jsonObject(row[3]), rowId);
        model->modelName = nameOf(values, row[1]);
        model->litellmModel = fromField(row[2]);
        ws.proxyModels.append(*std::move(model));
    }
}

void readConfigTable(pqxx::transaction_base& txn, const PgSchema& schema, Workspace& ws) {
    // Settings saved through the admin UI live in LiteLLM_Config; config.yaml is not in the DB.
    // What neither holds is decided with LiteLLM's defaults, and said so (source.assumed).
    bool sawSettings = false;
    bool sawRouterAliases = false;
    const auto assumeTheRest = [&] {
        if (!sawSettings)
            ws.source.assumed.append(u"settings"_s);
        if (!sawRouterAliases)
            ws.source.assumed.append(u"model_group_alias"_s);
    };
    if (!schema.hasTable(u"LiteLLM_Config"_s)) {
        assumeTheRest();
        return;
    }
    const pqxx::result rows =
        txn.exec("SELECT param_name, param_value::text FROM \"LiteLLM_Config\" "
                 "WHERE param_name IN ('router_settings', 'litellm_settings')");
    for (const pqxx::row& row : rows) {
        const QJsonObject value = jsonObject(row[1]);
        if (fromField(row[0]) == u"router_settings"_s) {
            sawRouterAliases = value.contains(u"model_group_alias"_s);
            const QJsonObject aliases = value.value(u"model_group_alias"_s).toObject();
            for (auto it = aliases.constBegin(); it != aliases.constEnd(); ++it) {
                RouterAlias alias;
                if (it.value().isObject())
                    alias.object = UnknownFields::fromObject(it.value().toObject());
                alias.target = it.value().isObject()
                                   ? it.value().toObject().value(u"model"_s).toString()
                                   : it.value().toString();
                alias.hidden = it.value().toObject().value(u"hidden"_s).toBool();
                if (!alias.target.isEmpty())
                    ws.modelGroupAlias.insert(it.key(), alias);
            }
        } else {
            sawSettings = true;
            ws.settings.modelAliasMap = readStringMap(value.value(u"model_alias_map"_s));
            // The personal-key settings, when saved through the admin UI (/config/update).
            ws.settings.personalKeyModelAccessFromTeams =
                value.value(u"personal_key_model_access_from_teams"_s).toBool(false);
            ws.settings.personalKeyMultiTeamAccess =
                value.value(u"personal_key_multi_team_access"_s).toString() == u"intersection"_s
                    ? MultiTeamAccess::Intersection
                    : MultiTeamAccess::Union;
        }
    }
    assumeTheRest();
}

void readAccessGroups(pqxx::transaction_base& txn, const PgSchema& schema, Workspace& ws) {
    if (!schema.accessGroups())
        return;
    const QString table = u"LiteLLM_AccessGroupTable"_s;
    const QString sql =
        u"SELECT access_group_id, access_group_name, array_to_json("_s +
        schema.columnOr(table, u"access_model_names"_s, u"text[]"_s) +
        u")::text, array_to_json("_s + schema.columnOr(table, u"assigned_team_ids"_s, u"text[]"_s) +
        u")::text, array_to_json("_s + schema.columnOr(table, u"assigned_key_ids"_s, u"text[]"_s) +
        u")::text FROM \"LiteLLM_AccessGroupTable\" ORDER BY access_group_id"_s;
    for (const pqxx::row& row : txn.exec(toStd(sql))) {
        AccessGroup group;
        group.id = fromField(row[0]);
        group.name = fromField(row[1]);
        group.modelNames = stringList(row[2]);
        group.assignedTeamIds = stringList(row[3]);
        group.assignedKeyIds = stringList(row[4]);
        ws.accessGroups.append(std::move(group));
    }
}

void readOrganizations(pqxx::transaction_base& txn, Workspace& ws) {
    for (const pqxx::row& row :
         txn.exec("SELECT organization_id, organization_alias, array_to_json(models)::text "
                  "FROM \"LiteLLM_OrganizationTable\" ORDER BY organization_id")) {
        Organization organization;
        organization.id = fromField(row[0]);
        organization.alias = fromField(row[1]);
        organization.models = stringList(row[2]);
        ws.organizations.append(organization);
    }
}

// A list is final: sorted, and the list the workspace will hold (moved from here on, never copied
// or changed: the caller may be writing it out on another thread).
template <typename T>
void announce(const std::function<void(const QList<T>&)>& listRead, const QList<T>& list) {
    if (listRead)
        listRead(list);
}

void readTeams(pqxx::transaction_base& txn, const PgSchema& schema, const PgCall& call,
               qint64 total, PgValues& values, Workspace& ws) {
    forEachBatch(txn, call, {u"teams"_s, total, TeamBatchSize}, teamSelect(schema),
                 [&](const pqxx::row& row) { ws.teams.append(readTeam(row, values)); });
    sortRows(
        ws.teams, [](const Team& t) { return QStringView(t.id); },
        [](const Team& a, const Team& b) { return codePointLess(a.id, b.id); });
    announce(call.options().listsRead.teams, ws.teams);
}

void readMemberships(pqxx::transaction_base& txn, const PgSchema& schema, const PgCall& call,
                     qint64 total, PgValues& values, Workspace& ws) {
    forEachBatch(
        txn, call, {u"memberships"_s, total}, membershipSelect(schema),
        [&](const pqxx::row& row) { ws.teamMemberships.append(readMembership(row, values)); });
    sortRows(
        ws.teamMemberships, [](const TeamMembership& m) { return QStringView(m.teamId); },
        [](const TeamMembership& a, const TeamMembership& b) {
            return a.teamId == b.teamId ? codePointLess(a.userId, b.userId)
                                        : codePointLess(a.teamId, b.teamId);
        });
    announce(call.options().listsRead.memberships, ws.teamMemberships);
}

void readUsers(pqxx::transaction_base& txn, const PgCall& call, qint64 total, PgValues& values,
               Workspace& ws) {
    forEachBatch(txn, call, {u"users"_s, total}, userSelect(),
                 [&](const pqxx::row& row) { ws.users.append(readUser(row, values)); });
    sortRows(
        ws.users, [](const User& u) { return QStringView(u.id); },
        [](const User& a, const User& b) { return codePointLess(a.id, b.id); });
    announce(call.options().listsRead.users, ws.users);
}

// `values`: the keys' own pool, for they may be read on another thread. Tokens and aliases are
// unique, and are not pooled.
void readKeys(pqxx::transaction_base& txn, const PgSchema& schema, const PgCall& call, qint64 total,
              PgValues& values, QList<Key>& keys) {
    forEachBatch(txn, call, {u"keys"_s, total}, keySelect(schema),
                 [&](const pqxx::row& row) { keys.append(readKey(row, values)); });
    sortRows(
        keys, [](const Key& k) { return QStringView(k.token); },
        [](const Key& a, const Key& b) { return codePointLess(a.token, b.token); });
}

// Keys of deleted teams stay: releases before 1.99.0 still serve them (rebuilding the team from
// the key's row), newer ones refuse them; the engine decides which by the release, and a
// snapshot that left them out would hide keys that may work.
// `checked`: the keys' references, when the key reader checked them.
void addKeys(QList<Key> keys, const std::optional<KeyReferences>& checked, Workspace& ws,
             QStringList& warnings) {
    qsizetype orphaned = 0;
    if (checked) {
        orphaned = checked->orphaned;
    } else {
        // Through const views: touching an announced list mutably would copy it (the caller may
        // be writing it out), and the workspace would no longer hold the list announced.
        QSet<QString> teamIds;
        for (const Team& team : std::as_const(ws.teams))
            teamIds.insert(team.id);
        orphaned = std::ranges::count_if(std::as_const(keys), [&](const Key& key) {
            return key.teamId && !teamIds.contains(*key.teamId);
        });
    }
    ws.keys = std::move(keys);
    if (orphaned > 0)
        warnings.append(PgText::tr("%n key(s) belong to teams that no longer exist; LiteLLM "
                                   "before %1 serves them with no team limits, newer releases "
                                   "refuse them",
                                   nullptr, int(orphaned))
                            .arg(ruleInfo(VersionedRule::MissingTeamRefused).since.toString()));
    if (const QString dangling = checked ? workspace::referenceSummary(ws, checked->warnings)
                                         : workspace::referenceSummary(ws);
        !dangling.isEmpty())
        warnings.append(dangling);
}

// The keys, the largest table, on a second connection that shares the transaction's snapshot
// (pg_export_snapshot): the same moment in time, read in parallel with the other tables; then
// their references (PgKeyReferences.h), while the other connection still reads. It is named
// litescope-keys in pg_stat_activity, and a cancel of the call interrupts it too.
std::thread readKeysInParallel(const std::string& connectionString, const std::string& snapshot,
                               const PgSchema& schema, const PgCall& call, qint64 total,
                               QList<AccessGroup> accessGroups, QList<Key>& keys,
                               std::optional<KeyReferences>& references,
                               std::exception_ptr& failure) {
    return std::thread([&connectionString, snapshot, &schema, &call, total,
                        accessGroups = std::move(accessGroups), &keys, &references, &failure] {
        try {
            pqxx::connection connection(connectionString);
            const std::unique_ptr<PgCall::Watch> watch = call.watch(connection);
            call.checkCancelled();
            pqxx::nontransaction(connection).exec("SET application_name = 'litescope-keys'");
            pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> txn(connection);
            txn.exec("SET TRANSACTION SNAPSHOT " + txn.quote(snapshot));
            PgValues values;
            readKeys(txn, schema, call, total, values, keys);
            announce(call.options().listsRead.keys, keys);
            call.checkCancelled();
            references = checkKeyReferences(txn, schema, accessGroups, keys, values);
            txn.commit();
        } catch (...) {
            failure = std::current_exception();
        }
    });
}

void readProjects(pqxx::transaction_base& txn, const PgSchema& schema, Workspace& ws) {
    if (!schema.projects())
        return;
    for (const pqxx::row& row : txn.exec("SELECT project_id, array_to_json(models)::text, blocked "
                                         "FROM \"LiteLLM_ProjectTable\" ORDER BY project_id")) {
        Project project;
        project.id = fromField(row[0]);
        project.models = stringList(row[1]);
        project.blocked = flag(row[2]);
        ws.projects.append(project);
    }
}

} // namespace

void readSmallTables(pqxx::transaction_base& txn, const PgSchema& schema, PgValues& values,
                     Workspace& ws) {
    readProxyModels(txn, values, ws);
    readConfigTable(txn, schema, ws);
    readAccessGroups(txn, schema, ws);
    readOrganizations(txn, ws);
    readProjects(txn, schema, ws);
}

namespace {

using SnapshotTransaction = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// Everything in one repeatable-read transaction: every table as of the same moment. With an
// exported snapshot id the keys come from a second connection in parallel.
Workspace readAll(SnapshotTransaction& txn, const std::string& connectionString,
                  const PgSchema& schema, const PgCall& call, bool parallel,
                  QStringList& warnings) {
    std::optional<std::string> snapshot;
    if (parallel) // first statement: an exported snapshot must not follow a query that failed
        snapshot = txn.exec1("SELECT pg_export_snapshot()")[0].c_str();
    // Every row of every cursor is read: plans for the whole result (a hash join of memberships
    // and budgets), not the first rows' fast start (an index probe per membership).
    txn.exec("SET LOCAL cursor_tuple_fraction = 1");
    call.checkCancelled();
    Workspace ws;
    PgValues values;
    readProxyModels(txn, values, ws);
    readConfigTable(txn, schema, ws);
    readAccessGroups(txn, schema, ws);
    readOrganizations(txn, ws);
    // Sized up front: growing lists of hundreds of thousands of entities copies them repeatedly.
    const pqxx::row counts = txn.exec1("SELECT (SELECT count(*) FROM \"LiteLLM_TeamTable\"), "
                                       "(SELECT count(*) FROM \"LiteLLM_TeamMembership\"), "
                                       "(SELECT count(*) FROM \"LiteLLM_UserTable\"), "
                                       "(SELECT count(*) FROM \"LiteLLM_VerificationToken\")");
    const qint64 teams = counts[0].as<long long>();
    const qint64 memberships = counts[1].as<long long>();
    const qint64 users = counts[2].as<long long>();
    const qint64 keyCount = counts[3].as<long long>();
    ws.teams.reserve(teams);
    ws.teamMemberships.reserve(memberships);
    ws.users.reserve(users);
    QList<Key> keys;
    keys.reserve(keyCount);
    std::optional<KeyReferences> keyReferences;
    std::exception_ptr keysFailure;
    std::thread keyReader;
    if (snapshot)
        keyReader = readKeysInParallel(connectionString, *snapshot, schema, call, keyCount,
                                       ws.accessGroups, keys, keyReferences, keysFailure);
    try {
        readTeams(txn, schema, call, teams, values, ws);
        readMemberships(txn, schema, call, memberships, values, ws);
        readUsers(txn, call, users, values, ws);
        call.checkCancelled();
        readProjects(txn, schema, ws);
        if (!snapshot) {
            PgValues keyValues;
            readKeys(txn, schema, call, keyCount, keyValues, keys);
            announce(call.options().listsRead.keys, keys);
        }
    } catch (...) {
        if (keyReader.joinable())
            keyReader.join();
        throw;
    }
    if (keyReader.joinable())
        keyReader.join(); // the exporting transaction stays open until the keys are read
    if (keysFailure)
        std::rethrow_exception(keysFailure);
    addKeys(std::move(keys), keyReferences, ws, warnings);
    return ws;
}

} // namespace

Result<Workspace> readSnapshot(pqxx::connection& connection, const std::string& connectionString,
                               const PgSchema& schema, const QString& label, const PgCall& call) {
    QStringList warnings;
    Workspace ws;
    try {
        SnapshotTransaction txn(connection);
        ws = readAll(txn, connectionString, schema, call, true, warnings);
        txn.commit();
    } catch (const pqxx::sql_error&) {
        // A cancelled statement is not a refused snapshot.
        if (call.isCancelled())
            throw;
        // Some servers (standbys, poolers in transaction mode) will not share a snapshot with
        // a second connection: read everything on this one instead.
        warnings.clear();
        SnapshotTransaction txn(connection);
        ws = readAll(txn, connectionString, schema, call, false, warnings);
        txn.commit();
    }
    ws.source.kind = u"postgres"_s;
    ws.source.label = label;
    ws.source.capturedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    ws.source.warnings = warnings;
    return ws;
}

Result<Page<Team>> readTeamPage(pqxx::connection& connection, const PgSchema& schema,
                                const PageRequest& request, const PgCall& call) {
    call.checkCancelled();
    pqxx::transaction<pqxx::read_committed, pqxx::read_only> txn(connection);
    const int limit = std::max(1, request.limit);
    const pqxx::result rows = txn.exec_params(
        toStd(teamSelect(schema) + u"WHERE t.team_id > $1 ORDER BY t.team_id LIMIT $2"_s),
        toStd(request.after), limit + 1);
    Page<Team> page;
    PgValues values;
    for (const pqxx::row& row : rows) {
        if (page.items.size() == limit) {
            page.next = page.items.back().id;
            break;
        }
        page.items.append(readTeam(row, values));
    }
    txn.commit();
    call.report(u"teams"_s, page.items.size());
    return page;
}

Result<QList<TeamMember>> readTeamMembers(pqxx::connection& connection, const PgSchema& schema,
                                          const QString& teamText, const PgCall& call) {
    call.checkCancelled();
    pqxx::transaction<pqxx::read_committed, pqxx::read_only> txn(connection);
    const Workspace slice = readTeamWithMembers(txn, schema, teamText);
    txn.commit();
    call.checkCancelled();
    const Result<qsizetype> team = findTeam(slice, teamText);
    if (!team)
        return team.error();
    QList<TeamMember> members = teamMembers(slice, slice.teams.at(*team));
    call.report(u"members"_s, members.size(), members.size());
    return members;
}

} // namespace litescope::pg
