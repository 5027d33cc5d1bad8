#include "store/pg/PgKeySlice.h"

#include "store/pg/PgOrder.h"
#include "store/pg/PgReader.h"
#include "store/pg/PgRows.h"
#include "store/pg/PgSession.h"
#include "workspace/WorkspaceJson.h"

#include <QDateTime>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace litescope::pg {

namespace {

using SliceTransaction = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

void readKeys(pqxx::transaction_base& txn, const PgSchema& schema, const QString& tokenOrAlias,
              PgValues& values, KeySlice& slice) {
    const QStringList tokens = keyLookupTokens(tokenOrAlias);
    // An empty alias names no key (the engine's alias index leaves them out).
    const pqxx::result rows =
        txn.exec_params(toStd(keySelect(schema) + u"WHERE token = $1 OR token = $2 OR "
                                                  u"(key_alias = $1 AND key_alias <> '')"_s),
                        toStd(tokens.at(0)), toStd(tokens.at(1)));
    for (const pqxx::row& row : rows)
        slice.workspace.keys.append(readKey(row, values));
    std::sort(slice.workspace.keys.begin(), slice.workspace.keys.end(),
              [](const Key& a, const Key& b) { return codePointLess(a.token, b.token); });
}

void readOwners(pqxx::transaction_base& txn, const PgSchema& schema, const QStringList& owners,
                PgValues& values, KeySlice& slice) {
    Workspace& ws = slice.workspace;
    for (const QString& owner : owners) {
        for (const pqxx::row& row :
             txn.exec_params(toStd(userSelect() + u"WHERE user_id = $1"_s), toStd(owner)))
            ws.users.append(readUser(row, values));
        for (const pqxx::row& row : txn.exec_params(
                 toStd(membershipSelect(schema) + u"WHERE m.user_id = $1"_s), toStd(owner)))
            ws.teamMemberships.append(readMembership(row, values));
    }
    std::sort(ws.users.begin(), ws.users.end(),
              [](const User& a, const User& b) { return codePointLess(a.id, b.id); });
    std::sort(ws.teamMemberships.begin(), ws.teamMemberships.end(),
              [](const TeamMembership& a, const TeamMembership& b) {
                  return a.teamId == b.teamId ? codePointLess(a.userId, b.userId)
                                              : codePointLess(a.teamId, b.teamId);
              });
}

// The keys' and owners' teams, and the teams whose roster names an owner without a teams
// column (keySlice's rule).
void readTeams(pqxx::transaction_base& txn, const PgSchema& schema, PgValues& values,
               Workspace& ws) {
    QSet<QString> read;
    const auto add = [&](const pqxx::result& rows) {
        for (const pqxx::row& row : rows) {
            Team team = readTeam(row, values);
            if (!read.contains(team.id)) {
                read.insert(team.id);
                ws.teams.append(std::move(team));
            }
        }
    };
    for (const QString& id : sliceTeamIds(ws))
        add(txn.exec_params(toStd(teamSelect(schema) + u"WHERE t.team_id = $1"_s), toStd(id)));
    // A roster is an array of {user_id, …}; any other value names no members.
    for (const QString& owner : ownersWithoutTeams(ws))
        add(txn.exec_params(
            toStd(teamSelect(schema) +
                  u"WHERE jsonb_typeof(t.members_with_roles) = 'array' AND "
                  u"t.members_with_roles @> jsonb_build_array(jsonb_build_object('user_id', "
                  u"$1::text))"_s),
            toStd(owner)));
    std::sort(ws.teams.begin(), ws.teams.end(),
              [](const Team& a, const Team& b) { return codePointLess(a.id, b.id); });
}

// The places in a whole snapshot of the rows a warning names: counted as the rows that sort before
// them (byte order of UTF-8, COLLATE "C", is the snapshot's code point order), a scan of the
// table each, so only where a warning will show the place.
void placeRows(pqxx::transaction_base& txn, KeySlice& slice) {
    const Workspace& ws = slice.workspace;
    const workspace::ReferenceCheck check(ws);
    for (qsizetype i = 0; i < ws.keys.size(); ++i)
        slice.keyRows.append(check.keyWarnings(i).isEmpty()
                                 ? -1
                                 : txn.exec_params1("SELECT count(*) FROM "
                                                    "\"LiteLLM_VerificationToken\" WHERE "
                                                    "token COLLATE \"C\" < $1",
                                                    toStd(ws.keys.at(i).token))[0]
                                       .as<long long>());
    for (qsizetype i = 0; i < ws.teamMemberships.size(); ++i) {
        const TeamMembership& membership = ws.teamMemberships.at(i);
        slice.membershipRows.append(
            check.membershipWarnings(i).isEmpty()
                ? -1
                : txn.exec_params1("SELECT count(*) FROM \"LiteLLM_TeamMembership\" WHERE "
                                   "team_id COLLATE \"C\" < $1 OR "
                                   "(team_id = $1 AND user_id COLLATE \"C\" < $2)",
                                   toStd(membership.teamId), toStd(membership.userId))[0]
                      .as<long long>());
    }
}

} // namespace

Result<KeySlice> readKeySlice(pqxx::connection& connection, const PgSchema& schema,
                              const QString& label, const QString& tokenOrAlias,
                              const PgCall& call) {
    call.checkCancelled();
    KeySlice slice;
    Workspace& ws = slice.workspace;
    PgValues values;
    SliceTransaction txn(connection);
    readSmallTables(txn, schema, values, ws);
    call.checkCancelled();
    readKeys(txn, schema, tokenOrAlias, values, slice);
    QStringList owners;
    for (const Key& key : std::as_const(ws.keys))
        if (key.userId && !owners.contains(*key.userId))
            owners.append(*key.userId);
    readOwners(txn, schema, owners, values, slice);
    readTeams(txn, schema, values, ws);
    placeRows(txn, slice);
    txn.commit();
    ws.source.kind = u"postgres"_s;
    ws.source.label = label;
    ws.source.capturedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    call.report(u"keys"_s, ws.keys.size(), ws.keys.size());
    return slice;
}

} // namespace litescope::pg
