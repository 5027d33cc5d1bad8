#include "store/pg/PgAudit.h"

#include "store/pg/PgJson.h"
#include "store/pg/PgSession.h"

#include <QUuid>

using namespace Qt::StringLiterals;

namespace litescope::pg {

namespace {

QJsonValue maskValue(const QJsonValue& value) {
    if (value.isObject())
        return maskKeyFields(value.toObject());
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue& element : value.toArray())
            array.append(maskValue(element));
        return array;
    }
    return value;
}

} // namespace

QJsonObject maskKeyFields(const QJsonObject& object) {
    QJsonObject masked;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (it.key().contains(u"key"_s, Qt::CaseInsensitive) && it.value().isString())
            masked.insert(it.key(), u"*****"_s);
        else
            masked.insert(it.key(), maskValue(it.value()));
    }
    return masked;
}

bool writeAudit(pqxx::transaction_base& txn, const PgSchema& schema, const QString& actor,
                const AuditEntry& entry) {
    if (!schema.auditLog())
        return false;
    const QString table = u"LiteLLM_AuditLog"_s;
    QString columns = u"id, updated_at, changed_by, changed_by_api_key, action, table_name, "
                      "object_id, before_value, updated_values"_s;
    QString values = u"$1, timezone('UTC', now()), $2, '', $3, $4, $5, "
                     "NULLIF($6, 'null')::jsonb, NULLIF($7, 'null')::jsonb"_s;
    const bool teamColumns =
        schema.has(table, u"object_team_id"_s) && schema.has(table, u"object_team_alias"_s);
    if (teamColumns) {
        columns += u", object_team_id, object_team_alias"_s;
        values += u", NULLIF($8, ''), NULLIF($9, '')"_s;
    }
    const QString sql =
        u"INSERT INTO \"LiteLLM_AuditLog\" ("_s + columns + u") VALUES ("_s + values + u')';
    const QJsonValue before = entry.before.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                     : QJsonValue(maskKeyFields(entry.before));
    const QJsonValue after = entry.after.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                   : QJsonValue(maskKeyFields(entry.after));
    const std::string id = toStd(QUuid::createUuid().toString(QUuid::WithoutBraces));
    if (teamColumns)
        txn.exec_params(toStd(sql), id, toStd(actor), toStd(entry.action), toStd(entry.tableName),
                        toStd(entry.objectId), jsonText(before), jsonText(after),
                        toStd(entry.teamId), toStd(entry.teamAlias));
    else
        txn.exec_params(toStd(sql), id, toStd(actor), toStd(entry.action), toStd(entry.tableName),
                        toStd(entry.objectId), jsonText(before), jsonText(after));
    return true;
}

} // namespace litescope::pg
