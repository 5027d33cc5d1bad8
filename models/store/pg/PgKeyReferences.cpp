#include "store/pg/PgKeyReferences.h"

#include "store/pg/PgRows.h"
#include "workspace/WorkspaceJson.h"

namespace litescope::pg {

namespace {

// The ids of a table, as the snapshot reads them (names through the pool: the same text).
QSet<QString> idsOf(pqxx::transaction_base& txn, const char* select, PgValues& values) {
    const pqxx::result rows = txn.exec(select);
    QSet<QString> ids;
    ids.reserve(qsizetype(rows.size()));
    for (const pqxx::row& row : rows)
        ids.insert(nameOf(values, row[0]));
    return ids;
}

} // namespace

KeyReferences checkKeyReferences(pqxx::transaction_base& txn, const PgSchema& schema,
                                 const QList<AccessGroup>& accessGroups, const QList<Key>& keys,
                                 PgValues& values) {
    // What the keys can name: teams, users, projects, access groups.
    workspace::KeyTargets targets;
    targets.teams = idsOf(txn, "SELECT team_id FROM \"LiteLLM_TeamTable\"", values);
    targets.users = idsOf(txn, "SELECT user_id FROM \"LiteLLM_UserTable\"", values);
    if (schema.projects())
        targets.projects = idsOf(txn, "SELECT project_id FROM \"LiteLLM_ProjectTable\"", values);
    for (const AccessGroup& group : accessGroups)
        targets.accessGroups.insert(group.id);

    KeyReferences references;
    references.orphaned = std::ranges::count_if(
        keys, [&](const Key& key) { return key.teamId && !targets.teams.contains(*key.teamId); });
    references.warnings = workspace::keyReferenceWarnings(keys, std::move(targets));
    return references;
}

} // namespace litescope::pg
