#include "store/pg/PgRows.h"

#include "store/pg/PgJson.h"
#include "store/pg/PgSession.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <charconv>

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
        // Kept only when it carries fields beyond the three known ones: 100,000 members would
        // otherwise hold 100,000 copies of what the struct already says.
        const QStringList fields = object.keys();
        if (std::ranges::any_of(fields, [](const QString& field) {
                return field != u"user_id"_s && field != u"user_email"_s && field != u"role"_s;
            }))
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

namespace {

std::string_view view(const pqxx::field& field) {
    return {field.c_str(), field.size()};
}

} // namespace

QString nameOf(PgValues& values, const pqxx::field& field) {
    return field.is_null() ? QString() : values.name(view(field));
}

std::optional<QString> optionalNameOf(PgValues& values, const pqxx::field& field) {
    if (field.is_null())
        return std::nullopt;
    return values.name(view(field));
}

QStringList namesOf(PgValues& values, const pqxx::field& field) {
    if (field.is_null())
        return {};
    if (std::optional<QStringList> names = values.names(view(field)))
        return *std::move(names);
    return stringList(field);
}

StringMap stringMapOf(PgValues& values, const pqxx::field& field) {
    if (field.is_null())
        return {};
    if (std::optional<StringMap> map = values.stringMap(view(field)))
        return *std::move(map);
    return readStringMap(json(field));
}

std::optional<double> numberOf(const pqxx::field& field) {
    if (field.is_null())
        return std::nullopt;
    const char* const end = field.c_str() + field.size();
    double number = 0;
    const auto [stop, error] = std::from_chars(field.c_str(), end, number);
    if (error == std::errc() && stop == end)
        return number;
    return field.as<double>(); // Infinity, NaN: libpqxx knows PostgreSQL's spellings
}

std::optional<qint64> integerOf(const pqxx::field& field) {
    if (field.is_null())
        return std::nullopt;
    const char* const end = field.c_str() + field.size();
    qint64 number = 0;
    const auto [stop, error] = std::from_chars(field.c_str(), end, number);
    if (error == std::errc() && stop == end)
        return number;
    return field.as<qint64>();
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

Team readTeam(const pqxx::row& row, PgValues& values) {
    Team team;
    team.id = nameOf(values, row[0]);
    team.alias = fromField(row[1]);
    team.organizationId = optionalNameOf(values, row[2]);
    team.models = namesOf(values, row[3]);
    team.defaultTeamMemberModels = namesOf(values, row[4]);
    team.blocked = flag(row[5]);
    team.accessGroupIds = namesOf(values, row[6]);
    if (!row[7].is_null()) {
        std::optional<QList<TeamMemberRole>> roster = values.roster(view(row[7]));
        team.membersWithRoles = roster ? *std::move(roster) : readRoster(json(row[7]));
    }
    team.modelAliases = stringMapOf(values, row[8]);
    if (!row[9].is_null()) {
        std::optional<MemberBudget> budget = values.memberBudget(view(row[9]));
        team.defaultMemberBudget = budget ? *std::move(budget) : memberBudget(jsonObject(row[9]));
    }
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

TeamMembership readMembership(const pqxx::row& row, PgValues& values) {
    TeamMembership membership;
    membership.teamId = nameOf(values, row[0]);
    membership.userId = nameOf(values, row[1]);
    membership.budgetId = optionalText(row[2]);
    membership.allowedModels = namesOf(values, row[3]);
    membership.maxBudget = numberOf(row[4]);
    membership.tpmLimit = integerOf(row[5]);
    membership.rpmLimit = integerOf(row[6]);
    membership.spend = numberOf(row[7]).value_or(0);
    return membership;
}

QString userSelect() {
    return u"SELECT user_id, user_email, user_role, array_to_json(models)::text, "
           "array_to_json(teams)::text FROM \"LiteLLM_UserTable\" "_s;
}

User readUser(const pqxx::row& row, PgValues& values) {
    User user;
    user.id = nameOf(values, row[0]);
    user.email = optionalNameOf(values, row[1]);
    user.role = nameOf(values, row[2]);
    user.models = namesOf(values, row[3]);
    // LiteLLM reads a personal key owner's teams from this column.
    if (!row[4].is_null())
        user.teams = namesOf(values, row[4]);
    return user;
}

QString keySelect(const PgSchema& schema) {
    const QString table = u"LiteLLM_VerificationToken"_s;
    return u"SELECT token, key_alias, team_id, user_id, "_s +
           schema.columnOr(table, u"project_id"_s, u"text"_s) +
           u", array_to_json(models)::text, aliases::text, config::text, array_to_json("_s +
           schema.columnOr(table, u"access_group_ids"_s, u"text[]"_s) +
           u")::text, blocked FROM \"LiteLLM_VerificationToken\" "_s;
}

Key readKey(const pqxx::row& row, PgValues& values) {
    Key key;
    key.token = fromField(row[0]);
    key.alias = optionalText(row[1]);
    key.teamId = optionalNameOf(values, row[2]);
    key.userId = optionalNameOf(values, row[3]);
    key.projectId = optionalNameOf(values, row[4]);
    key.models = namesOf(values, row[5]);
    key.aliases = stringMapOf(values, row[6]);
    key.config = jsonObject(row[7]);
    key.accessGroupIds = namesOf(values, row[8]);
    key.blocked = flag(row[9]);
    return key;
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
