#pragma once

#include "domain/Workspace.h"
#include "store/pg/PgSchema.h"
#include "store/pg/PgValues.h"

#include <QStringList>

#include <pqxx/pqxx>

namespace litescope::pg {

// The keys' share of a snapshot's dangling references, checked on the connection that read the
// keys while the other one still reads the memberships and users: the ids the keys name are
// read again on this connection, in the same snapshot of the database, so the answer is the one
// the whole workspace gives (workspace::referenceSummary with these warnings).
struct KeyReferences {
    QStringList warnings;   // workspace::keyReferenceWarnings
    qsizetype orphaned = 0; // keys of teams that do not exist
};

// `accessGroups`: the snapshot's (read before the keys). `values`: the keys' pool.
KeyReferences checkKeyReferences(pqxx::transaction_base& txn, const PgSchema& schema,
                                 const QList<AccessGroup>& accessGroups, const QList<Key>& keys,
                                 PgValues& values);

} // namespace litescope::pg
