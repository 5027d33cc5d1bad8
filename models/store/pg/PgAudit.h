#pragma once

#include "store/pg/PgSchema.h"

#include <QJsonObject>
#include <QString>

#include <pqxx/pqxx>

namespace litescope::pg {

// One LiteLLM_AuditLog row in LiteLLM's own shapes, written in the caller's transaction so the
// audit entry exists exactly when the change does. Does nothing on a database without the table.
struct AuditEntry {
    QString action;    // created | updated | deleted | blocked
    QString tableName; // a LitellmTableNames value, e.g. LiteLLM_TeamTable
    QString objectId;  // team_id, or the key's token hash
    QJsonObject before;
    QJsonObject after;
    QString teamId; // for the newer object_team_id column, when the table has it
    QString teamAlias;
};

// Returns true when a row was written.
bool writeAudit(pqxx::transaction_base& txn, const PgSchema& schema, const QString& actor,
                const AuditEntry& entry);

// LiteLLM masks the value of every JSON key whose name contains "key" (key_alias, api_key, …).
QJsonObject maskKeyFields(const QJsonObject& object);

} // namespace litescope::pg
