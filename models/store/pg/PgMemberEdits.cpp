// Member edits: /team/member_add, /team/member_update and /team/member_delete as SQL. A member
// lives in three places (members_with_roles, the user's teams, the membership row with its budget
// row, where allowed_models is); these keep all three in step, as LiteLLM's endpoints do.
#include "store/pg/PgAudit.h"
#include "store/pg/PgEditSupport.h"
#include "store/pg/PgIdentifiers.h"
#include "store/pg/PgJson.h"
#include "store/pg/PgSession.h"
#include "store/pg/PgWriter.h"

#include <QJsonArray>
#include <QUuid>

#include <cmath>

using namespace Qt::StringLiterals;

namespace litescope::pg {

namespace {

const QString BudgetTable = u"LiteLLM_BudgetTable"_s;

// The member as the edit sees it: roster entry, membership row and budget row.
struct MemberState {
    QString teamId;
    QString teamLabel;
    QJsonObject team; // the locked team row
    QJsonArray roster;
    qsizetype rosterIndex = -1;
    QString userId;
    bool hasMembership = false;
    std::optional<QString> budgetId;
    QJsonObject budget; // the budget row, empty when none

    // The fields an edit may expect, by LiteLLM name.
    QJsonObject fields() const {
        const QJsonObject entry = rosterIndex >= 0 ? roster[rosterIndex].toObject() : QJsonObject();
        return {{u"role"_s, entry.value(u"role"_s)},
                {u"allowed_models"_s, budget.value(u"allowed_models"_s)},
                {u"max_budget"_s, budget.value(u"max_budget"_s)},
                {u"tpm_limit"_s, budget.value(u"tpm_limit"_s)},
                {u"rpm_limit"_s, budget.value(u"rpm_limit"_s)}};
    }
    QString label() const { return tr("%1: member %2").arg(teamLabel, userId); }
};

QString newId() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

Result<MemberState> loadMember(EditContext& context, const QString& userId) {
    Result<QString> teamId = resolveTeam(context.txn, context.edit.team);
    if (!teamId)
        return teamId.error();
    Result<QJsonObject> team = lockTeamRow(context.txn, *teamId);
    if (!team)
        return team.error();
    MemberState state;
    state.teamId = *teamId;
    state.team = *team;
    const QString alias = team->value(u"team_alias"_s).toString();
    state.teamLabel = tr("team %1").arg(alias.isEmpty() ? *teamId : alias);
    state.roster = team->value(u"members_with_roles"_s).toArray(); // {} (no members) reads as []
    state.userId = userId;
    for (qsizetype i = 0; i < state.roster.size(); ++i)
        if (state.roster[i].toObject().value(u"user_id"_s).toString() == userId)
            state.rosterIndex = i;
    const pqxx::result rows = context.txn.exec_params(
        "SELECT m.budget_id, row_to_json(b)::text FROM \"LiteLLM_TeamMembership\" m "
        "LEFT JOIN \"LiteLLM_BudgetTable\" b ON b.budget_id = m.budget_id "
        "WHERE m.team_id = $1 AND m.user_id = $2 FOR UPDATE OF m",
        toStd(*teamId), toStd(userId));
    if (!rows.empty()) {
        state.hasMembership = true;
        state.budgetId = optionalText(rows[0][0]);
        state.budget = jsonObject(rows[0][1]);
    }
    return state;
}

Status requireMember(const MemberState& state, const QString& asked) {
    if (state.rosterIndex < 0)
        return Error::notFound(tr("%1 is not a member of %2.").arg(asked, state.teamLabel));
    return Done{};
}

// Is the budget row used by anything but this membership? Then it must be copied before an edit
// changes it, or the edit would change another member's (or the team default's) scope or limits.
bool budgetShared(EditContext& context, const MemberState& state) {
    // Every table with a budget_id column (end users, tags, keys, organizations, projects, and
    // whatever newer LiteLLM adds), other memberships, and teams' default member budgets.
    QString sql =
        u"SELECT (SELECT count(*) FROM \"LiteLLM_TeamMembership\" WHERE budget_id = $1 "
        "AND NOT (team_id = $2 AND user_id = $3)) "
        "+ (SELECT count(*) FROM \"LiteLLM_TeamTable\" WHERE metadata->>'team_member_budget_id' = $1)"_s;
    for (const QString& table : context.schema.tablesWith(u"budget_id"_s))
        if (table != u"LiteLLM_TeamMembership"_s && table != BudgetTable)
            sql += u" + (SELECT count(*) FROM \""_s + table + u"\" WHERE budget_id = $1)"_s;
    const pqxx::row row = context.txn.exec_params1(toStd(sql), toStd(*state.budgetId),
                                                   toStd(state.teamId), toStd(state.userId));
    return row[0].as<long long>() > 0;
}

// A copy of budget `from` under a new id, every column kept (newer unknown ones included).
QString copyBudget(EditContext& context, const QString& from) {
    static const QSet<QString> managed = {u"budget_id"_s, u"created_at"_s, u"updated_at"_s,
                                          u"created_by"_s, u"updated_by"_s};
    QStringList columns;
    for (const QString& column : context.schema.columnsOf(BudgetTable))
        if (!managed.contains(column))
            columns.append(u'"' + column + u'"');
    const QString list = columns.join(u", "_s);
    const QString id = newId();
    context.txn.exec_params(
        toStd(
            u"INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, created_by, updated_by, created_at, "
            "updated_at"_s +
            (list.isEmpty() ? QString() : u", "_s + list) + u") SELECT $1, $2, $2, "_s + nowUtc() +
            u", "_s + nowUtc() + (list.isEmpty() ? QString() : u", "_s + list) +
            u" FROM \"LiteLLM_BudgetTable\" WHERE budget_id = $3"_s),
        toStd(id), toStd(context.actor), toStd(from));
    return id;
}

QString createBudget(EditContext& context) {
    const QString id = newId();
    context.txn.exec_params(toStd(u"INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, created_by, "
                                  "updated_by, created_at, updated_at) VALUES ($1, $2, $2, "_s +
                                  nowUtc() + u", "_s + nowUtc() + u')'),
                            toStd(id), toStd(context.actor));
    return id;
}

void insertMembership(EditContext& context, const MemberState& state, const QString& budgetId) {
    context.txn.exec_params("INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, budget_id) "
                            "VALUES ($1, $2, $3)",
                            toStd(state.userId), toStd(state.teamId), toStd(budgetId));
}

// The budget row this member may change: created when missing, copied when shared.
QString privateBudget(EditContext& context, MemberState& state) {
    if (!state.hasMembership) {
        const QString id = createBudget(context);
        insertMembership(context, state, id);
        state.hasMembership = true;
        state.budgetId = id;
        return id;
    }
    QString id;
    if (!state.budgetId)
        id = createBudget(context);
    else if (budgetShared(context, state))
        id = copyBudget(context, *state.budgetId);
    else
        return *state.budgetId;
    context.txn.exec_params(
        "UPDATE \"LiteLLM_TeamMembership\" SET budget_id = $1 WHERE team_id = $2 AND user_id = $3",
        toStd(id), toStd(state.teamId), toStd(state.userId));
    state.budgetId = id;
    return id;
}

void writeRoster(EditContext& context, const MemberState& state, const QJsonArray& roster) {
    context.txn.exec_params(
        toStd(u"UPDATE \"LiteLLM_TeamTable\" SET members_with_roles = $1::jsonb, "
              "updated_at = "_s +
              nowUtc() + u" WHERE team_id = $2"_s),
        jsonText(roster), toStd(state.teamId));
}

Status requireMemberScopes(const EditContext& context) {
    if (context.schema.memberScopes())
        return Done{};
    return Error{ErrorKind::Unsupported,
                 tr("This database is older than LiteLLM v1.83.14 and has no per-member model "
                    "scopes (LiteLLM_BudgetTable.allowed_models). Upgrade the proxy to edit member "
                    "scopes; reading keeps working.")};
}

EditOutcome outcomeFor(EditContext& context, const MemberState& state, const QJsonObject& before,
                       const QJsonObject& after, const QString& summary) {
    EditOutcome outcome;
    outcome.objectId = state.teamId;
    outcome.before = before;
    outcome.after = after;
    outcome.summary = summary;
    QJsonObject auditBefore = before;
    QJsonObject auditAfter = after;
    for (QJsonObject* blob : {&auditBefore, &auditAfter}) {
        blob->insert(u"team_id"_s, state.teamId);
        blob->insert(u"user_id"_s, state.userId);
    }
    // LiteLLM's member endpoints record nothing; litescope records every change it makes, as an
    // update of the team the member belongs to.
    outcome.auditLogged =
        writeAudit(context.txn, context.schema, context.actor,
                   {u"updated"_s, u"LiteLLM_TeamTable"_s, state.teamId, auditBefore, auditAfter,
                    state.teamId, state.team.value(u"team_alias"_s).toString()});
    return outcome;
}

Result<EditOutcome> setScope(EditContext& context, MemberState& state) {
    const QStringList& models = context.edit.models;
    if (Status valid = validateModels(models, u"allowed_models"_s); !valid)
        return valid.error();
    const QJsonValue before = state.budget.value(u"allowed_models"_s).isArray()
                                  ? state.budget.value(u"allowed_models"_s)
                                  : QJsonValue(QJsonArray());
    const QJsonValue after = QJsonArray::fromStringList(models);
    if (!state.hasMembership && models.isEmpty()) {
        // Nothing to write, so nothing to audit.
        EditOutcome unchanged;
        unchanged.objectId = state.teamId;
        unchanged.before = {{u"allowed_models"_s, before}};
        unchanged.after = {{u"allowed_models"_s, after}};
        unchanged.summary =
            tr("%1: allowed_models already [] (all team models)").arg(state.label());
        return unchanged;
    }
    const QString budget = privateBudget(context, state);
    context.txn.exec_params(toStd(u"UPDATE \"LiteLLM_BudgetTable\" SET allowed_models = "_s +
                                  textArrayFromJson(1) + u", updated_at = "_s + nowUtc() +
                                  u", updated_by = $2 WHERE budget_id = $3"_s),
                            jsonList(models), toStd(context.actor), toStd(budget));
    const QString all = models.isEmpty() ? tr(" (all team models)") : QString();
    return outcomeFor(context, state, {{u"allowed_models"_s, before}},
                      {{u"allowed_models"_s, after}},
                      tr("%1: allowed_models %2 -> %3%4")
                          .arg(state.label(), formatValue(before), formatValue(after), all));
}

Result<EditOutcome> updateMember(EditContext& context, MemberState& state) {
    const StoreEdit& edit = context.edit;
    QJsonObject before;
    QJsonObject after;
    if (edit.role) {
        if (*edit.role != u"user"_s && *edit.role != u"admin"_s)
            return Error::invalid(
                tr("A member's role is \"user\" or \"admin\", not \"%1\".").arg(*edit.role));
        QJsonArray roster = state.roster;
        QJsonObject entry = roster[state.rosterIndex].toObject();
        before.insert(u"role"_s, entry.value(u"role"_s));
        entry.insert(u"role"_s, *edit.role);
        roster[state.rosterIndex] = entry;
        after.insert(u"role"_s, *edit.role);
        writeRoster(context, state, roster);
    }
    struct Limit {
        const char16_t* column;
        std::optional<QJsonValue> value;
        const char16_t* type;
    };
    auto limitValue = [](const auto& limit) -> std::optional<QJsonValue> {
        if (!limit)
            return std::nullopt;
        if (!*limit)
            return QJsonValue(QJsonValue::Null);
        return QJsonValue(double(**limit));
    };
    const Limit limits[] = {{u"max_budget", limitValue(edit.maxBudget), u"double precision"},
                            {u"tpm_limit", limitValue(edit.tpmLimit), u"bigint"},
                            {u"rpm_limit", limitValue(edit.rpmLimit), u"bigint"}};
    QStringList sets;
    QJsonArray values;
    for (const Limit& limit : limits) {
        if (!limit.value)
            continue;
        if (limit.value->isDouble() && !std::isfinite(limit.value->toDouble()))
            return Error::invalid(
                tr("%1 must be a finite number.").arg(QString::fromUtf16(limit.column)));
        if (limit.value->isDouble() && limit.value->toDouble() < 0)
            return Error::invalid(
                tr("%1 cannot be negative.").arg(QString::fromUtf16(limit.column)));
        const QString column = QString::fromUtf16(limit.column);
        const QJsonValue old = state.budget.value(column);
        before.insert(column, old.isUndefined() ? QJsonValue(QJsonValue::Null) : old);
        after.insert(column, *limit.value);
        sets.append(u"%1 = ($%2::jsonb #>> '{}')::%3"_s.arg(column)
                        .arg(values.size() + 1)
                        .arg(QString::fromUtf16(limit.type)));
        values.append(*limit.value);
    }
    if (!sets.isEmpty()) {
        // Patch only the given fields of the member's own budget row; never replace the row.
        const QString budget = privateBudget(context, state);
        QString sql = u"UPDATE \"LiteLLM_BudgetTable\" SET "_s + sets.join(u", "_s) +
                      u", updated_at = "_s + nowUtc() +
                      u", updated_by = $%1 WHERE budget_id = $%2"_s.arg(values.size() + 1)
                          .arg(values.size() + 2);
        std::vector<std::string> parameters;
        for (const QJsonValue& value : values)
            parameters.push_back(jsonText(value));
        parameters.push_back(toStd(context.actor));
        parameters.push_back(toStd(budget));
        context.txn.exec_params(
            toStd(sql), pqxx::prepare::make_dynamic_params(parameters.begin(), parameters.end()));
    }
    if (after.isEmpty())
        return Error::invalid(tr("Say what to change: a role, max budget, TPM or RPM limit."));
    QStringList changes;
    for (auto it = after.constBegin(); it != after.constEnd(); ++it)
        changes.append(u"%1 %2 -> %3"_s.arg(it.key(), formatValue(before.value(it.key())),
                                            formatValue(it.value())));
    return outcomeFor(context, state, before, after,
                      state.label() + u": "_s + changes.join(u", "_s));
}

Result<EditOutcome> addMember(EditContext& context, MemberState& state, bool userExists) {
    const StoreEdit& edit = context.edit;
    if (state.rosterIndex >= 0)
        return Error::invalid(tr("%1 is already a member of %2.").arg(edit.user, state.teamLabel));
    const QString role = edit.role.value_or(u"user"_s);
    if (role != u"user"_s && role != u"admin"_s)
        return Error::invalid(
            tr("A member's role is \"user\" or \"admin\", not \"%1\".").arg(role));
    if (edit.memberModels) {
        if (Status valid = validateModels(*edit.memberModels, u"allowed_models"_s); !valid)
            return valid.error();
        if (!edit.memberModels->isEmpty())
            if (Status supported = requireMemberScopes(context); !supported)
                return supported.error();
    }

    // The users row: created like /team/member_add does for unknown users, else given the team.
    std::optional<QString> email = edit.email;
    if (!userExists) {
        if (!email && state.userId.contains(u'@'))
            email = state.userId;
        context.txn.exec_params(
            toStd(u"INSERT INTO \"LiteLLM_UserTable\" (user_id, user_email, "
                  "user_role, teams, models, created_at, updated_at) VALUES "
                  "($1, ($2::jsonb #>> '{}'), 'internal_user', ARRAY[$3]::text[], "
                  "ARRAY[]::text[], "_s +
                  nowUtc() + u", "_s + nowUtc() + u')'),
            toStd(state.userId),
            jsonText(email ? QJsonValue(*email) : QJsonValue(QJsonValue::Null)),
            toStd(state.teamId));
    } else {
        const pqxx::row user = context.txn.exec_params1(
            "SELECT user_email FROM \"LiteLLM_UserTable\" WHERE user_id = $1 FOR UPDATE",
            toStd(state.userId));
        if (!email && !user[0].is_null())
            email = fromField(user[0]);
        context.txn.exec_params(
            toStd(u"UPDATE \"LiteLLM_UserTable\" SET teams = array_append(coalesce(teams, "
                  "ARRAY[]::text[]), $2), updated_at = "_s +
                  nowUtc() +
                  u" WHERE user_id = $1 AND NOT ($2 = ANY(coalesce(teams, ARRAY[]::text[])))"_s),
            toStd(state.userId), toStd(state.teamId));
    }

    if (state.hasMembership) {
        // A membership row left behind by a tool that removed the member from the roster only:
        // the new membership starts afresh.
        context.txn.exec_params(
            "DELETE FROM \"LiteLLM_TeamMembership\" WHERE team_id = $1 AND user_id = $2",
            toStd(state.teamId), toStd(state.userId));
    }
    QJsonArray roster = state.roster;
    roster.append(
        QJsonObject{{u"user_id"_s, state.userId},
                    {u"user_email"_s, email ? QJsonValue(*email) : QJsonValue(QJsonValue::Null)},
                    {u"role"_s, role}});
    writeRoster(context, state, roster);

    // The scope: as given, else the team's default member models (/team/member_add). A fresh
    // budget row holds it; without a scope the team's default member budget is cloned, if any.
    QStringList scope = edit.memberModels.value_or(QStringList());
    if (!edit.memberModels && context.schema.memberScopes())
        for (const QJsonValue& model : state.team.value(u"default_team_member_models"_s).toArray())
            scope.append(model.toString());
    const QString defaultBudget =
        state.team.value(u"metadata"_s).toObject().value(u"team_member_budget_id"_s).toString();
    if (!scope.isEmpty()) {
        const QString budget = createBudget(context);
        context.txn.exec_params(toStd(u"UPDATE \"LiteLLM_BudgetTable\" SET allowed_models = "_s +
                                      textArrayFromJson(1) + u" WHERE budget_id = $2"_s),
                                jsonList(scope), toStd(budget));
        insertMembership(context, state, budget);
    } else if (!defaultBudget.isEmpty() &&
               !context.txn
                    .exec_params("SELECT 1 FROM \"LiteLLM_BudgetTable\" WHERE budget_id = $1",
                                 toStd(defaultBudget))
                    .empty()) {
        const QString clone = copyBudget(context, defaultBudget);
        insertMembership(context, state, clone);
        if (context.schema.memberScopes())
            scope = stringList(context.txn.exec_params1(
                "SELECT array_to_json(allowed_models)::text FROM \"LiteLLM_BudgetTable\" "
                "WHERE budget_id = $1",
                toStd(clone))[0]);
    }

    const QJsonObject after{{u"role"_s, role},
                            {u"allowed_models"_s, QJsonArray::fromStringList(scope)},
                            {u"members_with_roles"_s, roster}};
    const QJsonObject before{{u"members_with_roles"_s, state.roster}};
    return outcomeFor(context, state, before, after,
                      tr("%1: added as %2 with allowed_models %3%4")
                          .arg(state.label(), role, formatValue(QJsonArray::fromStringList(scope)),
                               scope.isEmpty() ? tr(" (all team models)") : QString()));
}

Result<EditOutcome> removeMember(EditContext& context, MemberState& state) {
    QJsonArray roster = state.roster;
    roster.removeAt(state.rosterIndex);
    writeRoster(context, state, roster);
    context.txn.exec_params(
        toStd(u"UPDATE \"LiteLLM_UserTable\" SET teams = array_remove(teams, $2), "
              "updated_at = "_s +
              nowUtc() + u" WHERE user_id = $1"_s),
        toStd(state.userId), toStd(state.teamId));
    // LiteLLM leaves the budget row behind; so does litescope.
    context.txn.exec_params(
        "DELETE FROM \"LiteLLM_TeamMembership\" WHERE team_id = $1 AND user_id = $2",
        toStd(state.teamId), toStd(state.userId));
    return outcomeFor(context, state, {{u"members_with_roles"_s, state.roster}},
                      {{u"members_with_roles"_s, roster}}, tr("%1: removed").arg(state.label()));
}

} // namespace

Result<EditOutcome> applyMemberEdit(EditContext& context) {
    const StoreEdit& edit = context.edit;
    if (edit.kind == StoreEdit::Kind::SetMemberScope)
        if (Status supported = requireMemberScopes(context); !supported)
            return supported.error();
    Result<std::optional<QString>> user = resolveUser(context.txn, edit.user);
    if (!user)
        return user.error();
    Result<MemberState> state = loadMember(context, user->value_or(edit.user));
    if (!state)
        return state.error();
    if (!*user && edit.kind != StoreEdit::Kind::AddMember) {
        // No users row: the roster may still know the member by email.
        for (qsizetype i = 0; i < state->roster.size() && state->rosterIndex < 0; ++i) {
            const QJsonObject entry = state->roster[i].toObject();
            if (entry.value(u"user_email"_s).toString().compare(edit.user, Qt::CaseInsensitive) ==
                0) {
                state->userId = entry.value(u"user_id"_s).toString();
                state = loadMember(context, state->userId);
                if (!state)
                    return state.error();
            }
        }
    }
    if (edit.kind != StoreEdit::Kind::AddMember)
        if (Status member = requireMember(*state, edit.user); !member)
            return member.error();
    if (Status fresh = checkExpected(edit.expected, state->fields(), state->label()); !fresh)
        return fresh.error();

    switch (edit.kind) {
    case StoreEdit::Kind::SetMemberScope:
        return setScope(context, *state);
    case StoreEdit::Kind::UpdateMember:
        return updateMember(context, *state);
    case StoreEdit::Kind::AddMember:
        return addMember(context, *state, user->has_value());
    case StoreEdit::Kind::RemoveMember:
        return removeMember(context, *state);
    default:
        return Error::invalid(tr("Not a member edit."));
    }
}

} // namespace litescope::pg
