// Reading the rows an edit touches and writing back what the shared edit rules changed. A member
// lives in three places (members_with_roles, the user's teams, the membership row with its budget
// row, where allowed_models is); the rules keep all three in step and these turn each change
// into the SQL LiteLLM's endpoints would run.
#include "store/pg/PgEditRows.h"

#include "store/WorkspaceEditSupport.h"
#include "store/WorkspaceMemberBudget.h"
#include "store/pg/PgEditSupport.h"
#include "store/pg/PgJson.h"
#include "store/pg/PgRows.h"
#include "store/pg/PgSession.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QSet>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace litescope::pg {

namespace {

const QString BudgetTable = u"LiteLLM_BudgetTable"_s;

std::string jsonStrings(const QStringList& values) {
    return jsonList(values);
}

// ---- Reading ------------------------------------------------------------------------------------

Key keyFromRow(const QJsonObject& row) {
    Key key;
    key.token = row.value(u"token"_s).toString();
    if (row.value(u"key_alias"_s).isString())
        key.alias = row.value(u"key_alias"_s).toString();
    if (row.value(u"team_id"_s).isString())
        key.teamId = row.value(u"team_id"_s).toString();
    if (row.value(u"user_id"_s).isString())
        key.userId = row.value(u"user_id"_s).toString();
    for (const QJsonValue& model : row.value(u"models"_s).toArray())
        key.models.append(model.toString());
    key.blocked = row.value(u"blocked"_s).toBool(false);
    return key;
}

void readKeyRows(pqxx::transaction_base& txn, const StoreEdit& edit, EditRows& rows) {
    // The key as findKey looks for it: token, alias, or the sha256 LiteLLM stores of a raw key.
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(edit.key.toUtf8(), QCryptographicHash::Sha256).toHex());
    const pqxx::result found =
        txn.exec_params("SELECT row_to_json(k)::text FROM \"LiteLLM_VerificationToken\" k "
                        "WHERE token = $1 OR key_alias = $1 OR lower(token) = $2 "
                        "ORDER BY token FOR UPDATE",
                        toStd(edit.key), toStd(hash));
    for (const pqxx::row& row : found)
        rows.slice.keys.append(keyFromRow(jsonObject(row[0])));
    const Result<qsizetype> key = edits::findKey(rows.slice, edit.key);
    if (key) {
        for (const pqxx::row& row : found) {
            const QJsonObject object = jsonObject(row[0]);
            if (object.value(u"token"_s).toString() == rows.slice.keys.at(*key).token)
                rows.row = object;
        }
    }
}

// The users the rules may look at: the roster's (by id and by email, for entries written with
// only an email) and the ones the edit names.
void readUsers(pqxx::transaction_base& txn, const Team& team, const StoreEdit& edit, bool lock,
               Workspace& slice) {
    QStringList ids{edit.user};
    QStringList emails{edit.user.toLower()};
    if (edit.email)
        emails.append(edit.email->toLower());
    for (const TeamMemberRole& entry : team.membersWithRoles) {
        if (entry.userId)
            ids.append(*entry.userId);
        if (entry.userEmail)
            emails.append(entry.userEmail->toLower());
    }
    const QString sql = userSelect() +
                        u"WHERE user_id IN (SELECT jsonb_array_elements_text($1::jsonb)) "
                        "OR lower(user_email) IN (SELECT jsonb_array_elements_text($2::jsonb)) "
                        "ORDER BY user_id"_s +
                        (lock ? u" FOR UPDATE"_s : QString());
    PgValues values;
    for (const pqxx::row& row : txn.exec_params(toStd(sql), jsonStrings(ids), jsonStrings(emails)))
        slice.users.append(readUser(row, values));
}

// The limits of the members' budget rows beyond the four a TeamMembership types, into each
// membership's `original`: whether a write leaves a row holding no limit (LiteLLM 1.103.0
// unlinks the member then) depends on them too. Whatever columns this LiteLLM has.
void readOtherBudgetLimits(pqxx::transaction_base& txn, const QString& teamId, Workspace& slice) {
    QStringList fields;
    for (QLatin1StringView field : edits::otherBudgetLimits)
        fields.append(field);
    const pqxx::result rows = txn.exec_params(
        "SELECT m.user_id, (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(to_jsonb(b)) e "
        "WHERE e.key IN (SELECT jsonb_array_elements_text($2::jsonb)) AND e.value <> "
        "'null'::jsonb)::text FROM \"LiteLLM_TeamMembership\" m JOIN \"LiteLLM_BudgetTable\" b "
        "ON b.budget_id = m.budget_id WHERE m.team_id = $1",
        toStd(teamId), jsonList(fields));
    for (const pqxx::row& row : rows) {
        const QJsonObject limits = jsonObject(row[1]);
        const qsizetype index = edits::membershipIndex(slice, teamId, fromField(row[0]));
        if (limits.isEmpty() || index < 0)
            continue;
        UnknownFields& extra = slice.teamMemberships[index].extra;
        QJsonObject merged = extra.toObject();
        for (auto it = limits.constBegin(); it != limits.constEnd(); ++it)
            merged.insert(it.key(), it.value());
        extra = UnknownFields::fromObject(merged);
    }
}

void readTeamRows(pqxx::transaction_base& txn, const PgSchema& schema, const StoreEdit& edit,
                  bool lock, EditRows& rows) {
    const QString forUpdate = lock ? u" FOR UPDATE OF t"_s : QString();
    // Every team the admin's words may name, and for a new alias the teams already using it.
    const QString alias = edit.kind == StoreEdit::Kind::SetTeamAlias ? edit.alias : QString();
    const pqxx::result teams = txn.exec_params(toStd(teamSelect(schema) +
                                                     u"WHERE t.team_id = $1 OR t.team_alias = $1 "
                                                     "OR ($2 <> '' AND t.team_alias = $2) "
                                                     "ORDER BY t.team_id"_s +
                                                     forUpdate),
                                               toStd(edit.team), toStd(alias));
    PgValues values;
    for (const pqxx::row& row : teams)
        rows.slice.teams.append(readTeam(row, values));
    const Result<qsizetype> index = findTeam(rows.slice, edit.team);
    if (!index)
        return;
    const Team& team = rows.slice.teams.at(*index);
    rows.teamAlias = team.alias;
    rows.row = jsonObject(txn.exec_params1(
        "SELECT row_to_json(t)::text FROM \"LiteLLM_TeamTable\" t WHERE team_id = $1",
        toStd(team.id))[0]);
    const bool memberEdit = edit.kind == StoreEdit::Kind::SetMemberScope ||
                            edit.kind == StoreEdit::Kind::UpdateMember ||
                            edit.kind == StoreEdit::Kind::AddMember ||
                            edit.kind == StoreEdit::Kind::RemoveMember;
    if (!memberEdit)
        return;
    for (const pqxx::row& row : txn.exec_params(toStd(membershipSelect(schema) +
                                                      u"WHERE m.team_id = $1 ORDER BY m.user_id"_s +
                                                      (lock ? u" FOR UPDATE OF m"_s : QString())),
                                                toStd(team.id)))
        rows.slice.teamMemberships.append(readMembership(row, values));
    if (lock)
        readOtherBudgetLimits(txn, team.id, rows.slice);
    readUsers(txn, team, edit,
              lock && (edit.kind == StoreEdit::Kind::AddMember ||
                       edit.kind == StoreEdit::Kind::RemoveMember),
              rows.slice);
}

// ---- Budget rows --------------------------------------------------------------------------------

QString newId() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// Is the budget row used by anything but this membership? Then it must be copied before an edit
// changes it, or the edit would change another member's (or the team default's) scope or limits.
bool budgetShared(WriteContext& context, const QString& budgetId, const QString& teamId,
                  const QString& userId) {
    // Every table with a budget_id column (end users, tags, keys, organizations, projects, and
    // whatever newer LiteLLM adds), other memberships, and teams' default member budgets.
    QString sql = u"SELECT (SELECT count(*) FROM \"LiteLLM_TeamMembership\" WHERE budget_id = $1 "
                  "AND NOT (team_id = $2 AND user_id = $3))"_s;
    if (context.schema.has(u"LiteLLM_TeamTable"_s, u"metadata"_s))
        sql += u" + (SELECT count(*) FROM \"LiteLLM_TeamTable\" "
               "WHERE metadata->>'team_member_budget_id' = $1)"_s;
    for (const QString& table : context.schema.tablesWith(u"budget_id"_s))
        if (table != u"LiteLLM_TeamMembership"_s && table != BudgetTable)
            sql += u" + (SELECT count(*) FROM \""_s + table + u"\" WHERE budget_id = $1)"_s;
    const pqxx::row row =
        context.txn.exec_params1(toStd(sql), toStd(budgetId), toStd(teamId), toStd(userId));
    return row[0].as<long long>() > 0;
}

// A copy of budget `from` under a new id, every column kept (newer unknown ones included).
QString copyBudget(WriteContext& context, const QString& from) {
    static const QSet<QString> managed = {u"budget_id"_s, u"created_at"_s, u"updated_at"_s,
                                          u"created_by"_s, u"updated_by"_s};
    QStringList columns;
    for (const QString& column : context.schema.columnsOf(BudgetTable))
        if (!managed.contains(column))
            columns.append(u'"' + column + u'"');
    const QString list = columns.isEmpty() ? QString() : u", "_s + columns.join(u", "_s);
    const QString id = newId();
    context.txn.exec_params(
        toStd(u"INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, created_by, updated_by, "
              "created_at, updated_at"_s +
              list + u") SELECT $1, $2, $2, "_s + nowUtc() + u", "_s + nowUtc() + list +
              u" FROM \"LiteLLM_BudgetTable\" WHERE budget_id = $3"_s),
        toStd(id), toStd(context.actor), toStd(from));
    return id;
}

QString createBudget(WriteContext& context) {
    const QString id = newId();
    context.txn.exec_params(toStd(u"INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, created_by, "
                                  "updated_by, created_at, updated_at) VALUES ($1, $2, $2, "_s +
                                  nowUtc() + u", "_s + nowUtc() + u')'),
                            toStd(id), toStd(context.actor));
    return id;
}

void insertMembership(WriteContext& context, const RowWrite& write, const QString& budgetId) {
    context.txn.exec_params("INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, budget_id) "
                            "VALUES ($1, $2, $3)",
                            toStd(write.userId), toStd(write.teamId), toStd(budgetId));
}

// The budget row this member may change: created when missing, copied when shared. Reads the
// membership as it is now in the transaction (an earlier edit of the batch may have made it).
QString privateBudget(WriteContext& context, const RowWrite& write) {
    const pqxx::result rows = context.txn.exec_params(
        "SELECT budget_id FROM \"LiteLLM_TeamMembership\" WHERE team_id = $1 AND user_id = $2 "
        "FOR UPDATE",
        toStd(write.teamId), toStd(write.userId));
    if (rows.empty()) {
        const QString id = createBudget(context);
        insertMembership(context, write, id);
        return id;
    }
    const std::optional<QString> current = optionalText(rows[0][0]);
    QString id;
    if (!current)
        id = createBudget(context);
    else if (budgetShared(context, *current, write.teamId, write.userId))
        id = copyBudget(context, *current);
    else
        return *current;
    context.txn.exec_params(
        "UPDATE \"LiteLLM_TeamMembership\" SET budget_id = $1 WHERE team_id = $2 AND user_id = $3",
        toStd(id), toStd(write.teamId), toStd(write.userId));
    return id;
}

// SQL for a value the rules set, by column: text[] from a JSON list, typed scalars from JSON.
QString columnValue(const QString& column, int parameter) {
    static const QSet<QString> lists = {u"models"_s, u"default_team_member_models"_s,
                                        u"allowed_models"_s};
    if (lists.contains(column))
        return textArrayFromJson(parameter);
    if (column == u"members_with_roles"_s)
        return u"$%1::jsonb"_s.arg(parameter);
    if (column == u"blocked"_s)
        return u"($%1::jsonb)::text::boolean"_s.arg(parameter);
    if (column == u"max_budget"_s)
        return u"($%1::jsonb #>> '{}')::double precision"_s.arg(parameter);
    if (column == u"tpm_limit"_s || column == u"rpm_limit"_s)
        return u"($%1::jsonb #>> '{}')::bigint"_s.arg(parameter);
    return u"($%1::jsonb #>> '{}')"_s.arg(parameter);
}

// UPDATE `table` SET each of `columns` and updated_at (and updated_by, the actor) WHERE `key` =
// `id`.
void updateColumns(WriteContext& context, const QString& table, const QString& key,
                   const QString& id, const QJsonObject& columns, bool stampUpdatedBy) {
    QStringList sets;
    std::vector<std::string> parameters;
    for (auto it = columns.constBegin(); it != columns.constEnd(); ++it) {
        QJsonValue value = it.value();
        // A team without an alias is NULL in LiteLLM's table.
        if (it.key() == u"team_alias"_s && value.toString().isEmpty())
            value = QJsonValue::Null;
        parameters.push_back(jsonText(value));
        sets.append(u'"' + it.key() + u"\" = "_s +
                    columnValue(it.key(), static_cast<int>(parameters.size())));
    }
    sets.append(u"updated_at = "_s + nowUtc());
    if (stampUpdatedBy) {
        parameters.push_back(toStd(context.actor));
        sets.append(u"updated_by = $"_s + QString::number(parameters.size()));
    }
    parameters.push_back(toStd(id));
    const QString sql = u"UPDATE \""_s + table + u"\" SET "_s + sets.join(u", "_s) + u" WHERE "_s +
                        key + u" = $"_s + QString::number(parameters.size());
    context.txn.exec_params(
        toStd(sql), pqxx::prepare::make_dynamic_params(parameters.begin(), parameters.end()));
}

void writeRow(WriteContext& context, const RowWrite& write) {
    auto& txn = context.txn;
    switch (write.kind) {
    case RowWrite::Kind::TeamColumns:
        updateColumns(context, u"LiteLLM_TeamTable"_s, u"team_id"_s, write.teamId, write.columns,
                      false);
        return;
    case RowWrite::Kind::CreateUser:
        txn.exec_params(toStd(u"INSERT INTO \"LiteLLM_UserTable\" (user_id, user_email, "
                              "user_role, teams, models, created_at, updated_at) VALUES "
                              "($1, ($2::jsonb #>> '{}'), 'internal_user', ARRAY[$3]::text[], "
                              "ARRAY[]::text[], "_s +
                              nowUtc() + u", "_s + nowUtc() + u')'),
                        toStd(write.userId), jsonText(write.columns.value(u"user_email"_s)),
                        toStd(write.teamId));
        return;
    case RowWrite::Kind::AddUserTeam:
        txn.exec_params(
            toStd(u"UPDATE \"LiteLLM_UserTable\" SET teams = array_append(coalesce(teams, "
                  "ARRAY[]::text[]), $2), updated_at = "_s +
                  nowUtc() +
                  u" WHERE user_id = $1 AND NOT ($2 = ANY(coalesce(teams, ARRAY[]::text[])))"_s),
            toStd(write.userId), toStd(write.teamId));
        return;
    case RowWrite::Kind::RemoveUserTeam:
        txn.exec_params(toStd(u"UPDATE \"LiteLLM_UserTable\" SET teams = array_remove(teams, $2), "
                              "updated_at = "_s +
                              nowUtc() + u" WHERE user_id = $1"_s),
                        toStd(write.userId), toStd(write.teamId));
        return;
    case RowWrite::Kind::DeleteMembership:
        txn.exec_params(
            "DELETE FROM \"LiteLLM_TeamMembership\" WHERE team_id = $1 AND user_id = $2",
            toStd(write.teamId), toStd(write.userId));
        return;
    case RowWrite::Kind::NewMembership: {
        if (write.cloneBudgetId) {
            insertMembership(context, write, copyBudget(context, *write.cloneBudgetId));
            return;
        }
        const QString budget = createBudget(context);
        updateColumns(context, BudgetTable, u"budget_id"_s, budget, write.columns, true);
        insertMembership(context, write, budget);
        return;
    }
    case RowWrite::Kind::MemberBudget: {
        // Patch only the given fields of the member's own budget row; never replace the row.
        const QString budget = privateBudget(context, write);
        updateColumns(context, BudgetTable, u"budget_id"_s, budget, write.columns, true);
        return;
    }
    case RowWrite::Kind::UnlinkMemberBudget:
        // As LiteLLM 1.103.0's disconnect: the budget row stays, whoever else may use it.
        txn.exec_params("UPDATE \"LiteLLM_TeamMembership\" SET budget_id = NULL WHERE team_id = $1 "
                        "AND user_id = $2",
                        toStd(write.teamId), toStd(write.userId));
        return;
    case RowWrite::Kind::KeyColumns:
        updateColumns(context, u"LiteLLM_VerificationToken"_s, u"token"_s, write.token,
                      write.columns, true);
        return;
    }
}

} // namespace

EditRows readEditRows(pqxx::transaction_base& txn, const PgSchema& schema, const StoreEdit& edit) {
    EditRows rows;
    if (edit.kind == StoreEdit::Kind::SetKeyModels)
        readKeyRows(txn, edit, rows);
    else if (!edit.team.isEmpty())
        readTeamRows(txn, schema, edit, true, rows);
    return rows;
}

Workspace readTeamWithMembers(pqxx::transaction_base& txn, const PgSchema& schema,
                              const QString& team) {
    EditRows rows;
    if (!team.isEmpty())
        readTeamRows(txn, schema, StoreEdit::setMemberScope(team, {}, {}), false, rows);
    return std::move(rows.slice);
}

void writeRows(WriteContext& context, const QList<RowWrite>& writes) {
    for (const RowWrite& write : writes)
        writeRow(context, write);
}

} // namespace litescope::pg
