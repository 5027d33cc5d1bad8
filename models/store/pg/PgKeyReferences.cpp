#include "store/pg/PgKeyReferences.h"

#include "store/pg/PgRows.h"
#include "workspace/WorkspaceJson.h"

#include <QSet>

namespace litescope::pg {

namespace {

// The ids of a table, as the snapshot reads them. Through the keys' pool: the same text, and
// where a key names the id, the same buffer (found without reading it, IdSet.h).
QStringList idsOf(pqxx::transaction_base& txn, const char* select, PgValues& values) {
    const pqxx::result rows = txn.exec(select);
    QStringList ids;
    ids.reserve(qsizetype(rows.size()));
    for (const pqxx::row& row : rows)
        ids.append(nameOf(values, row[0]));
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
        targets.accessGroups.append(group.id);

    KeyReferences references;
    const QSet<QString> teams(targets.teams.cbegin(), targets.teams.cend());
    references.orphaned = std::ranges::count_if(
        keys, [&](const Key& key) { return key.teamId && !teams.contains(*key.teamId); });
    references.warnings = workspace::keyReferenceWarnings(keys, targets);
    return references;
}

} // namespace litescope::pg
