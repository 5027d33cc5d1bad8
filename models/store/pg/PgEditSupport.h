#pragma once

#include "domain/Result.h"
#include "store/StoreEdit.h"
#include "store/pg/PgSchema.h"

#include <QJsonObject>
#include <QString>

#include <pqxx/pqxx>

namespace litescope::pg {

// Shared pieces of the edit implementations (PgTeamEdits.cpp, PgMemberEdits.cpp).

struct EditContext {
    pqxx::transaction_base& txn;
    const PgSchema& schema;
    const QString& actor;
    const StoreEdit& edit;
};

// SQL that turns parameter $n (a JSON array of strings) into a text[] in the original order.
QString textArrayFromJson(int parameter);
// "timezone('UTC', now())": LiteLLM stores UTC timestamps without a time zone.
QString nowUtc();

// The team row as JSON, locked until the transaction ends so concurrent edits of one team queue
// up instead of overwriting each other.
Result<QJsonObject> lockTeamRow(pqxx::transaction_base& txn, const QString& teamId);

// `expected` against what the row holds now. NULL lists compare equal to [] (LiteLLM treats them
// alike). A mismatch is a Conflict naming the object, the field, the expected and current values.
Status checkExpected(const QJsonObject& expected, const QJsonObject& current, const QString& what);

// Model lists admins type: no empty names, no duplicates.
Status validateModels(const QStringList& models, const QString& field);

QString formatValue(const QJsonValue& value); // "[gpt-4o, claude]", "true", "(none)"

QString tr(const char* text);

} // namespace litescope::pg
