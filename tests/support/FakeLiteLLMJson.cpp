#include "support/FakeLiteLLMJson.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace litescope::test::fakejson {

namespace {

// The unified access groups' audit columns: LiteLLM always fills them.
const QString kStampTime = u"2026-01-01T00:00:00Z"_s;
const QString kStampUser = u"default_user_id"_s;

QJsonObject stringMap(const StringMap& map) {
    QJsonObject object;
    for (auto it = map.constBegin(); it != map.constEnd(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

QJsonValue nonEmptyOrNull(const QString& value) {
    return value.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

// A field of the dataset row LiteLLM has but the Workspace does not model, else null.
QJsonValue originalOrNull(const UnknownFields& original, const QString& name) {
    return original.contains(name) ? original.value(name) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonValue optionalString(const std::optional<QString>& value) {
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonArray strings(const QStringList& values) {
    return QJsonArray::fromStringList(values);
}

QStringList userTeams(const Workspace& data, const User& user) {
    if (user.teams)
        return *user.teams;
    QStringList teams;
    for (const Team& team : data.teams) {
        const bool member =
            std::any_of(team.membersWithRoles.cbegin(), team.membersWithRoles.cend(),
                        [&](const TeamMemberRole& m) { return m.userId == user.id; });
        if (member)
            teams.append(team.id);
    }
    return teams;
}

FakeIndex::FakeIndex(const Workspace& data) {
    for (qsizetype i = 0; i < data.keys.size(); ++i) {
        const Key& key = data.keys.at(i);
        if (key.teamId)
            keysOfTeam[*key.teamId].append(i);
        if (key.userId)
            ++keyCountOfUser[*key.userId];
    }
    for (qsizetype i = 0; i < data.teamMemberships.size(); ++i)
        membershipsOfTeam[data.teamMemberships.at(i).teamId].append(i);
    for (const Team& team : data.teams)
        for (const TeamMemberRole& member : team.membersWithRoles)
            if (member.userId) {
                QStringList& teams = rosterTeamsOfUser[*member.userId];
                if (teams.isEmpty() || teams.constLast() != team.id)
                    teams.append(team.id);
            }
}

QStringList userTeams(const FakeIndex& index, const User& user) {
    return user.teams ? *user.teams : index.rosterTeamsOfUser.value(user.id);
}

QJsonObject teamObject(const Workspace& data, const Team& team) {
    const auto keyCount = std::count_if(data.keys.cbegin(), data.keys.cend(),
                                        [&](const Key& key) { return key.teamId == team.id; });
    return teamObject(team, static_cast<qint64>(keyCount));
}

QJsonObject teamObject(const Team& team, qint64 keyCount) {
    QJsonArray members;
    for (const TeamMemberRole& member : team.membersWithRoles) {
        members.append(QJsonObject{{u"user_id"_s, optionalString(member.userId)},
                                   {u"user_email"_s, optionalString(member.userEmail)},
                                   {u"role"_s, member.role}});
    }
    return QJsonObject{
        {u"team_id"_s, team.id},
        {u"team_alias"_s, nonEmptyOrNull(team.alias)},
        {u"organization_id"_s, optionalString(team.organizationId)},
        {u"models"_s, strings(team.models)},
        {u"default_team_member_models"_s, strings(team.defaultTeamMemberModels)},
        {u"blocked"_s, team.blocked},
        {u"access_group_ids"_s, strings(team.accessGroupIds)},
        {u"members_with_roles"_s, members},
        {u"model_id"_s, team.modelAliases.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                    : QJsonValue(u"model-"_s + team.id)},
        {u"metadata"_s, QJsonObject()},
        {u"spend"_s, 0},
        {u"max_budget"_s, QJsonValue::Null},
        {u"members_count"_s, team.membersWithRoles.size()},
        {u"keys_count"_s, keyCount},
    };
}

QJsonObject teamInfoObject(const Workspace& data, const Team& team) {
    const auto keyCount = std::count_if(data.keys.cbegin(), data.keys.cend(),
                                        [&](const Key& key) { return key.teamId == team.id; });
    return teamInfoObject(team, static_cast<qint64>(keyCount));
}

QJsonObject teamInfoObject(const Team& team, qint64 keyCount) {
    QJsonObject info = teamObject(team, keyCount);
    // LiteLLM keeps a team's model aliases in LiteLLM_ModelTable and joins it only here.
    info.insert(u"litellm_model_table"_s,
                team.modelAliases.isEmpty()
                    ? QJsonValue(QJsonValue::Null)
                    : QJsonValue(QJsonObject{{u"model_aliases"_s, stringMap(team.modelAliases)}}));
    return info;
}

QJsonObject membershipObject(const TeamMembership& membership) {
    QJsonValue budget = QJsonValue::Null;
    if (membership.budgetId) {
        const UnknownFields& o = membership.extra;
        budget = QJsonObject{
            {u"budget_id"_s, *membership.budgetId},
            {u"max_budget"_s, membership.maxBudget ? QJsonValue(*membership.maxBudget)
                                                   : QJsonValue(QJsonValue::Null)},
            {u"tpm_limit"_s,
             membership.tpmLimit ? QJsonValue(*membership.tpmLimit) : QJsonValue(QJsonValue::Null)},
            {u"rpm_limit"_s,
             membership.rpmLimit ? QJsonValue(*membership.rpmLimit) : QJsonValue(QJsonValue::Null)},
            {u"budget_duration"_s, originalOrNull(o, u"budget_duration"_s)},
            {u"allowed_models"_s, strings(membership.allowedModels)},
        };
    }
    return QJsonObject{
        {u"user_id"_s, membership.userId},
        {u"team_id"_s, membership.teamId},
        {u"budget_id"_s, optionalString(membership.budgetId)},
        {u"spend"_s, membership.spend},
        {u"litellm_budget_table"_s, budget},
    };
}

QJsonObject keyObject(const Key& key) {
    return QJsonObject{
        {u"token"_s, key.token},
        {u"key_alias"_s, optionalString(key.alias)},
        {u"key_name"_s, QString(u"sk-..."_s + key.token.right(4))},
        {u"team_id"_s, optionalString(key.teamId)},
        {u"user_id"_s, optionalString(key.userId)},
        {u"project_id"_s, optionalString(key.projectId)},
        {u"models"_s, strings(key.models)},
        {u"aliases"_s, stringMap(key.aliases)},
        {u"access_group_ids"_s, strings(key.accessGroupIds)},
        {u"config"_s, key.config},
        {u"blocked"_s, key.blocked},
        {u"spend"_s, 0},
        {u"metadata"_s, QJsonObject()},
    };
}

QJsonObject userObject(const Workspace& data, const User& user) {
    const auto keyCount = std::count_if(data.keys.cbegin(), data.keys.cend(),
                                        [&](const Key& key) { return key.userId == user.id; });
    return userObject(user, userTeams(data, user), static_cast<qint64>(keyCount));
}

QJsonObject userObject(const User& user, const QStringList& teams, qint64 keyCount) {
    return QJsonObject{
        {u"user_id"_s, user.id},
        {u"user_email"_s, optionalString(user.email)},
        {u"user_role"_s, user.role},
        {u"models"_s, strings(user.models)},
        {u"teams"_s, strings(teams)},
        {u"spend"_s, 0},
        {u"max_budget"_s, QJsonValue::Null},
        {u"key_count"_s, keyCount},
    };
}

QJsonObject modelObject(const ProxyModel& model) {
    return QJsonObject{
        {u"model_name"_s, model.modelName},
        {u"litellm_params"_s, QJsonObject{{u"model"_s, model.litellmModel}}},
        {u"model_info"_s,
         QJsonObject{
             {u"id"_s, model.modelId},
             {u"db_model"_s, true},
             {u"team_id"_s, optionalString(model.teamId)},
             {u"team_public_model_name"_s, optionalString(model.teamPublicModelName)},
             {u"access_groups"_s, strings(model.accessGroups)},
             {u"direct_access"_s, true},
         }},
    };
}

QJsonObject organizationObject(const Organization& organization) {
    const QJsonValue budget = organization.extra.value(u"budget_id");
    return QJsonObject{
        {u"organization_id"_s, organization.id},
        {u"organization_alias"_s, organization.alias},
        {u"models"_s, strings(organization.models)},
        // Required by LiteLLM: every organization has a budget row.
        {u"budget_id"_s, budget.isString() ? budget : QJsonValue(u"budget-"_s + organization.id)},
        {u"spend"_s, 0},
        {u"metadata"_s, QJsonObject()},
        {u"members"_s, QJsonArray()},
        {u"teams"_s, QJsonArray()},
    };
}

QJsonObject accessGroupObject(const AccessGroup& group) {
    return QJsonObject{
        {u"access_group_id"_s, group.id},
        {u"access_group_name"_s, group.name},
        {u"description"_s, originalOrNull(group.extra, u"description"_s)},
        {u"access_model_names"_s, strings(group.modelNames)},
        {u"access_mcp_server_ids"_s, QJsonArray()},
        {u"access_agent_ids"_s, QJsonArray()},
        {u"assigned_team_ids"_s, strings(group.assignedTeamIds)},
        {u"assigned_key_ids"_s, strings(group.assignedKeyIds)},
        {u"created_at"_s, kStampTime},
        {u"created_by"_s, kStampUser},
        {u"updated_at"_s, kStampTime},
        {u"updated_by"_s, kStampUser},
    };
}

QJsonObject projectObject(const Project& project) {
    return QJsonObject{
        {u"project_id"_s, project.id},
        {u"project_alias"_s, originalOrNull(project.extra, u"project_alias"_s)},
        {u"team_id"_s, originalOrNull(project.extra, u"team_id"_s)},
        {u"models"_s, strings(project.models)},
        {u"blocked"_s, project.blocked},
        {u"metadata"_s, QJsonObject()},
        {u"spend"_s, 0},
    };
}

QJsonObject routerAliases(const Workspace& data) {
    QJsonObject aliases;
    for (auto it = data.modelGroupAlias.constBegin(); it != data.modelGroupAlias.constEnd(); ++it) {
        const RouterAlias& alias = it.value();
        aliases.insert(it.key(), alias.object.isEmpty() ? QJsonValue(alias.target)
                                                        : QJsonValue(alias.object.toObject()));
    }
    return aliases;
}

QString pythonRepr(const QString& text) {
    const bool doubleQuoted = text.contains(u'\'') && !text.contains(u'"');
    const QChar quote = doubleQuoted ? u'"' : u'\'';
    QString escaped = text;
    escaped.replace(u"\\"_s, u"\\\\"_s);
    if (!doubleQuoted)
        escaped.replace(u"'"_s, u"\\'"_s);
    return quote + escaped + quote;
}

QString pythonList(const QStringList& items) {
    QStringList quoted;
    for (const QString& item : items)
        quoted.append(pythonRepr(item));
    return u'[' + quoted.join(u", "_s) + u']';
}

QString pythonErrorDict(const QString& text) {
    return u"{'error': "_s + pythonRepr(text) + u'}';
}

QJsonObject proxyError(const QString& message, const QString& type, const QString& param,
                       int code) {
    return QJsonObject{{u"error"_s, QJsonObject{{u"message"_s, message},
                                                {u"type"_s, type},
                                                {u"param"_s, param},
                                                {u"code"_s, QString::number(code)}}}};
}

QJsonObject validationIssue(const QString& type, const QJsonArray& location, const QString& message,
                            const QJsonValue& input) {
    return QJsonObject{
        {u"type"_s, type}, {u"loc"_s, location}, {u"msg"_s, message}, {u"input"_s, input}};
}

QJsonObject validationError(const QJsonArray& issues) {
    return QJsonObject{{u"detail"_s, issues}};
}

QJsonObject problem(const QString& slug, const QString& title, int status, const QString& detail) {
    // PROBLEM_TYPE_BASE: the prefix is not pinned down in the notes; clients match the status.
    return QJsonObject{{u"type"_s, QString(u"https://docs.litellm.ai/problems/"_s + slug)},
                       {u"title"_s, title},
                       {u"status"_s, status},
                       {u"detail"_s, detail}};
}

} // namespace litescope::test::fakejson
