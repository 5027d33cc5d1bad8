#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"
#include "store/StoreEdit.h"
#include "store/WorkspaceEdits.h"
#include "store/pg/PgSchema.h"

#include <QJsonObject>
#include <QString>

#include <pqxx/pqxx>

namespace litescope::pg {

// The rows one edit reads and writes, for the shared edit rules (WorkspaceEdits.h).
struct EditRows {
    // What the rules need to decide the edit, read and locked in the edit's transaction: the
    // teams the admin's words may name (id or alias), the target team's memberships, the users of
    // its roster and the users the edit names; or the keys a key edit may name.
    Workspace slice;
    // The target team's or key's row as LiteLLM stores it, for the audit log's `before`.
    QJsonObject row;
    QString teamAlias;
};

// Reads (FOR UPDATE) what `edit` touches. A target that does not exist leaves the slice without
// it: the rules then give the same NotFound as every other store.
EditRows readEditRows(pqxx::transaction_base& txn, const PgSchema& schema, const StoreEdit& edit);

// The team an admin named (id or alias) with its memberships and roster users, unlocked: what
// Store::members joins, with the same rules as every store (teamMembers).
Workspace readTeamWithMembers(pqxx::transaction_base& txn, const PgSchema& schema,
                              const QString& team);

struct WriteContext {
    pqxx::transaction_base& txn;
    const PgSchema& schema;
    const QString& actor;
};

// Turns the rules' row writes into SQL in LiteLLM's shapes.
void writeRows(WriteContext& context, const QList<RowWrite>& writes);

} // namespace litescope::pg
