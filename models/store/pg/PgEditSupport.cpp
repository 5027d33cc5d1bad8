#include "store/pg/PgEditSupport.h"

#include "store/pg/PgJson.h"
#include "store/pg/PgSession.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>

using namespace Qt::StringLiterals;

namespace litescope::pg {

QString tr(const char* text) {
    return QCoreApplication::translate("PgStore", text);
}

QString textArrayFromJson(int parameter) {
    return u"ARRAY(SELECT e.value FROM jsonb_array_elements_text($%1::jsonb) WITH ORDINALITY "
           "AS e(value, n) ORDER BY e.n)"_s.arg(parameter);
}

QString nowUtc() {
    return u"timezone('UTC', now())"_s;
}

Result<QJsonObject> lockTeamRow(pqxx::transaction_base& txn, const QString& teamId) {
    const pqxx::result rows = txn.exec_params(
        "SELECT row_to_json(t)::text FROM \"LiteLLM_TeamTable\" t WHERE team_id = $1 FOR UPDATE",
        toStd(teamId));
    if (rows.empty())
        return Error::notFound(tr("Team %1 no longer exists.").arg(teamId));
    return jsonObject(rows[0][0]);
}

namespace {

QJsonValue normalized(const QJsonValue& value, const QString& field) {
    static const QSet<QString> lists = {u"models"_s, u"allowed_models"_s,
                                        u"default_team_member_models"_s, u"access_group_ids"_s};
    if ((value.isNull() || value.isUndefined()) && lists.contains(field))
        return QJsonArray();
    // A team without an alias reads as "" in workspaces and NULL in the database.
    if ((value.isNull() || value.isUndefined()) && field == u"team_alias"_s)
        return QString();
    if (value.isUndefined())
        return QJsonValue(QJsonValue::Null);
    return value;
}

bool sameValue(const QJsonValue& a, const QJsonValue& b) {
    if (a.isDouble() && b.isDouble())
        return qFuzzyCompare(1.0 + a.toDouble(), 1.0 + b.toDouble());
    return a == b;
}

} // namespace

Status checkExpected(const QJsonObject& expected, const QJsonObject& current, const QString& what) {
    QStringList changes;
    for (auto it = expected.constBegin(); it != expected.constEnd(); ++it) {
        const QJsonValue want = normalized(it.value(), it.key());
        const QJsonValue have = normalized(current.value(it.key()), it.key());
        if (!sameValue(want, have))
            changes.append(tr("%1 is now %2 (expected %3)")
                               .arg(it.key(), formatValue(have), formatValue(want)));
    }
    if (changes.isEmpty())
        return Done{};
    return Error{ErrorKind::Conflict,
                 tr("%1 was changed by someone else since it was read: %2. Nothing was written.")
                     .arg(what, changes.join(u"; "_s))};
}

Status validateModels(const QStringList& models, const QString& field) {
    QSet<QString> seen;
    for (const QString& model : models) {
        if (model.isEmpty())
            return Error::invalid(tr("%1: a model name is empty.").arg(field));
        if (seen.contains(model))
            return Error::invalid(tr("%1: \"%2\" is listed twice.").arg(field, model));
        seen.insert(model);
    }
    return Done{};
}

QString formatValue(const QJsonValue& value) {
    if (value.isArray()) {
        QStringList items;
        for (const QJsonValue& item : value.toArray())
            items.append(item.isString() ? item.toString() : formatValue(item));
        return u'[' + items.join(u", "_s) + u']';
    }
    if (value.isBool())
        return value.toBool() ? u"true"_s : u"false"_s;
    if (value.isDouble())
        return QString::number(value.toDouble());
    if (value.isString())
        return u'"' + value.toString() + u'"';
    return tr("(none)");
}

} // namespace litescope::pg
