// Team-level and key-level edits: /team/update, /team/block|unblock and /key/update, as SQL.
#include "store/pg/PgAudit.h"
#include "store/pg/PgEditSupport.h"
#include "store/pg/PgIdentifiers.h"
#include "store/pg/PgJson.h"
#include "store/pg/PgSession.h"
#include "store/pg/PgWriter.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace litescope::pg {

namespace {

QString teamLabel(const QJsonObject& row) {
    const QString alias = row.value(u"team_alias"_s).toString();
    return tr("team %1").arg(alias.isEmpty() ? row.value(u"team_id"_s).toString() : alias);
}

} // namespace

Result<EditOutcome> applyTeamEdit(EditContext& context) {
    const StoreEdit& edit = context.edit;
    Result<QString> teamId = resolveTeam(context.txn, edit.team);
    if (!teamId)
        return teamId.error();
    Result<QJsonObject> row = lockTeamRow(context.txn, *teamId);
    if (!row)
        return row.error();

    QString field;
    QJsonValue value;
    QString setClause;
    std::string parameter;
    QString action = u"updated"_s;
    switch (edit.kind) {
    case StoreEdit::Kind::SetTeamModels:
        if (Status valid = validateModels(edit.models, u"models"_s); !valid)
            return valid.error();
        field = u"models"_s;
        value = QJsonArray::fromStringList(edit.models);
        setClause = u"models = "_s + textArrayFromJson(1);
        parameter = jsonList(edit.models);
        break;
    case StoreEdit::Kind::SetDefaultMemberModels:
        if (!context.schema.memberScopes())
            return Error{ErrorKind::Unsupported,
                         tr("This database is older than LiteLLM v1.83.14 and has no default "
                            "member models (LiteLLM_TeamTable.default_team_member_models). Upgrade "
                            "the proxy to use them.")};
        if (Status valid = validateModels(edit.models, u"default_team_member_models"_s); !valid)
            return valid.error();
        field = u"default_team_member_models"_s;
        value = QJsonArray::fromStringList(edit.models);
        setClause = u"default_team_member_models = "_s + textArrayFromJson(1);
        parameter = jsonList(edit.models);
        break;
    case StoreEdit::Kind::SetTeamAlias:
        if (!edit.alias.isEmpty()) {
            // Aliases are how admins name teams: a second team with the same one would make
            // every later lookup by alias ambiguous.
            const pqxx::result taken = context.txn.exec_params(
                "SELECT team_id FROM \"LiteLLM_TeamTable\" WHERE team_alias = $1 AND team_id <> $2 "
                "LIMIT 1",
                toStd(edit.alias), toStd(*teamId));
            if (!taken.empty())
                return Error::invalid(tr("The alias \"%1\" is already used by team %2.")
                                          .arg(edit.alias, fromField(taken[0][0])));
        }
        field = u"team_alias"_s;
        value = edit.alias.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(edit.alias);
        setClause = u"team_alias = ($1::jsonb #>> '{}')"_s;
        parameter = jsonText(value);
        break;
    case StoreEdit::Kind::SetTeamBlocked:
        field = u"blocked"_s;
        value = edit.blocked;
        setClause = u"blocked = ($1::jsonb)::text::boolean"_s;
        parameter = jsonText(value);
        // LiteLLM's audit actions: "blocked" for a block, "updated" for the rest.
        action = edit.blocked ? u"blocked"_s : u"updated"_s;
        break;
    default:
        return Error::invalid(tr("Not a team edit."));
    }

    const QString label = teamLabel(*row);
    if (Status fresh = checkExpected(context.edit.expected, *row, label); !fresh)
        return fresh.error();
    context.txn.exec_params(toStd(u"UPDATE \"LiteLLM_TeamTable\" SET "_s + setClause +
                                  u", updated_at = "_s + nowUtc() + u" WHERE team_id = $2"_s),
                            parameter, toStd(*teamId));

    EditOutcome outcome;
    outcome.objectId = *teamId;
    outcome.before = QJsonObject{{field, row->value(field)}};
    outcome.after = QJsonObject{{field, value}};
    outcome.summary =
        tr("%1: %2 %3 -> %4").arg(label, field, formatValue(row->value(field)), formatValue(value));
    // As /team/update: the whole row before, the changed key/values after.
    outcome.auditLogged = writeAudit(context.txn, context.schema, context.actor,
                                     {action, u"LiteLLM_TeamTable"_s, *teamId, *row,
                                      QJsonObject{{u"team_id"_s, *teamId}, {field, value}}, *teamId,
                                      row->value(u"team_alias"_s).toString()});
    return outcome;
}

Result<EditOutcome> applyKeyEdit(EditContext& context) {
    const StoreEdit& edit = context.edit;
    if (Status valid = validateModels(edit.models, u"models"_s); !valid)
        return valid.error();
    Result<QString> token = resolveKey(context.txn, edit.key);
    if (!token)
        return token.error();
    const pqxx::result rows = context.txn.exec_params(
        "SELECT row_to_json(k)::text FROM \"LiteLLM_VerificationToken\" k WHERE token = $1 "
        "FOR UPDATE",
        toStd(*token));
    const QJsonObject row = jsonObject(rows[0][0]);
    const QString alias = row.value(u"key_alias"_s).toString();
    const QString label =
        alias.isEmpty() ? tr("key %1…").arg(token->left(12)) : tr("key %1").arg(alias);
    if (Status fresh = checkExpected(edit.expected, row, label); !fresh)
        return fresh.error();
    context.txn.exec_params(toStd(u"UPDATE \"LiteLLM_VerificationToken\" SET models = "_s +
                                  textArrayFromJson(1) + u", updated_at = "_s + nowUtc() +
                                  u", updated_by = $2 WHERE token = $3"_s),
                            jsonList(edit.models), toStd(context.actor), toStd(*token));

    const QJsonValue after = QJsonArray::fromStringList(edit.models);
    EditOutcome outcome;
    outcome.objectId = *token;
    outcome.before = QJsonObject{{u"models"_s, row.value(u"models"_s)}};
    outcome.after = QJsonObject{{u"models"_s, after}};
    outcome.summary = tr("%1: models %2 -> %3")
                          .arg(label, formatValue(row.value(u"models"_s)), formatValue(after));
    outcome.auditLogged = writeAudit(context.txn, context.schema, context.actor,
                                     {u"updated"_s, u"LiteLLM_VerificationToken"_s, *token, row,
                                      QJsonObject{{u"models"_s, after}},
                                      row.value(u"team_id"_s).toString(), QString()});
    return outcome;
}

} // namespace litescope::pg
