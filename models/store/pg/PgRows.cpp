#include "store/pg/PgRows.h"

#include "store/pg/PgJson.h"
#include "store/pg/PgSession.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace litescope::pg {

// members_with_roles: a JSON array of {user_id, user_email, role}; LiteLLM's column default is
// the empty object, which means no members.
QList<TeamMemberRole> readRoster(const QJsonValue& value) {
    QList<TeamMemberRole> roster;
    for (const QJsonValue& entry : value.toArray()) {
        const QJsonObject object = entry.toObject();
        TeamMemberRole member;
        if (object.value(u"user_id"_s).isString())
            member.userId = object.value(u"user_id"_s).toString();
        if (object.value(u"user_email"_s).isString())
            member.userEmail = object.value(u"user_email"_s).toString();
        member.role = object.value(u"role"_s).toString(u"user"_s);
        // Kept only when it carries more than the three known fields: 100,000 members would
        // otherwise hold 100,000 copies of what the struct already says.
        if (object.size() > 3)
            member.extra = UnknownFields::fromObject(object);
        roster.append(std::move(member));
    }
    return roster;
}

StringMap readStringMap(const QJsonValue& value) {
    StringMap map;
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        if (it.value().isString())
            map.insert(it.key(), it.value().toString());
    return map;
}

QString teamSelect(const PgSchema& schema) {
    const QString table = u"LiteLLM_TeamTable"_s;
    return u"SELECT t.team_id, t.team_alias, t.organization_id, array_to_json(t.models)::text, "
           "array_to_json("_s +
           schema.columnOr(table, u"default_team_member_models"_s, u"text[]"_s, u"t"_s) +
           u")::text, t.blocked, array_to_json("_s +
           schema.columnOr(table, u"access_group_ids"_s, u"text[]"_s, u"t"_s) +
           u")::text, t.members_with_roles::text, m.aliases::text, row_to_json(d)::text, "
           "t.model_id::text FROM \"LiteLLM_TeamTable\" t LEFT JOIN \"LiteLLM_ModelTable\" m ON "
           "m.id = t.model_id "
           "LEFT JOIN \"LiteLLM_BudgetTable\" d ON d.budget_id = "_s +
           schema.columnOr(table, u"metadata"_s, u"jsonb"_s, u"t"_s) +
           u"->>'team_member_budget_id' "_s;
}

Team readTeam(const pqxx::row& row) {
    Team team;
    team.id = fromField(row[0]);
    team.alias = fromField(row[1]);
    team.organizationId = optionalText(row[2]);
    team.models = stringList(row[3]);
    team.defaultTeamMemberModels = stringList(row[4]);
    team.blocked = flag(row[5]);
    team.accessGroupIds = stringList(row[6]);
    team.membersWithRoles = readRoster(json(row[7]));
    team.modelAliases = readStringMap(json(row[8]));
    if (!row[9].is_null())
        team.defaultMemberBudget = memberBudget(jsonObject(row[9]));
    team.modelId = optionalText(row[10]);
    return team;
}

QString membershipSelect(const PgSchema& schema) {
    return u"SELECT m.team_id, m.user_id, m.budget_id, array_to_json("_s +
           schema.columnOr(u"LiteLLM_BudgetTable"_s, u"allowed_models"_s, u"text[]"_s, u"b"_s) +
           u")::text, b.max_budget, b.tpm_limit, b.rpm_limit, m.spend "
           "FROM \"LiteLLM_TeamMembership\" m "
           "LEFT JOIN \"LiteLLM_BudgetTable\" b ON b.budget_id = m.budget_id "_s;
}

TeamMembership readMembership(const pqxx::row& row) {
    TeamMembership membership;
    membership.teamId = fromField(row[0]);
    membership.userId = fromField(row[1]);
    membership.budgetId = optionalText(row[2]);
    membership.allowedModels = stringList(row[3]);
    if (!row[4].is_null())
        membership.maxBudget = row[4].as<double>();
    if (!row[5].is_null())
        membership.tpmLimit = row[5].as<qint64>();
    if (!row[6].is_null())
        membership.rpmLimit = row[6].as<qint64>();
    if (!row[7].is_null())
        membership.spend = row[7].as<double>();
    return membership;
}

QString userSelect() {
    return u"SELECT user_id, user_email, user_role, array_to_json(models)::text, "
           "array_to_json(teams)::text FROM \"LiteLLM_UserTable\" "_s;
}

User readUser(const pqxx::row& row) {
    User user;
    user.id = fromField(row[0]);
    user.email = optionalText(row[1]);
    user.role = fromField(row[2]);
    user.models = stringList(row[3]);
    // LiteLLM reads a personal key owner's teams from this column.
    if (!row[4].is_null())
        user.teams = stringList(row[4]);
    return user;
}

MemberBudget memberBudget(const QJsonObject& row) {
    MemberBudget budget;
    budget.budgetId = row.value(u"budget_id"_s).toString();
    for (const QJsonValue& model : row.value(u"allowed_models"_s).toArray())
        budget.allowedModels.append(model.toString());
    if (row.value(u"max_budget"_s).isDouble())
        budget.maxBudget = row.value(u"max_budget"_s).toDouble();
    if (row.value(u"tpm_limit"_s).isDouble())
        budget.tpmLimit = row.value(u"tpm_limit"_s).toInteger();
    if (row.value(u"rpm_limit"_s).isDouble())
        budget.rpmLimit = row.value(u"rpm_limit"_s).toInteger();
    QJsonObject rest = row;
    // Bookkeeping columns say nothing about the budget a new member would get.
    for (const QString& known :
         {u"budget_id"_s, u"allowed_models"_s, u"max_budget"_s, u"tpm_limit"_s, u"rpm_limit"_s,
          u"created_at"_s, u"created_by"_s, u"updated_at"_s, u"updated_by"_s})
        rest.remove(known);
    budget.extra = UnknownFields::fromObject(rest);
    return budget;
}

} // namespace litescope::pg
