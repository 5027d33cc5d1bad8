// Writing workspace files: each entity starts from the JSON object it was read from, so fields
// litescope does not know (newer LiteLLM columns, other tools' notes) survive a rewrite.
#include "workspace/JsonDetail.h"
#include "workspace/WorkspaceJson.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace litescope::workspace {

using namespace Qt::StringLiterals;

namespace {

QJsonValue orNull(const std::optional<QString>& value) {
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonObject toObject(const StringMap& map) {
    QJsonObject object;
    for (auto it = map.constBegin(); it != map.constEnd(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

// A nested object of `original` (litellm_params, model_info), kept with its unknown fields.
QJsonObject nestedOriginal(const QJsonObject& original, QLatin1StringView key) {
    return original.value(key).toObject();
}

QJsonObject writeSource(const SourceInfo& s) {
    QJsonObject o = s.original;
    o["kind"_L1] = s.kind;
    o["label"_L1] = s.label;
    o["captured_at"_L1] = s.capturedAt;
    o["unknown"_L1] = QJsonArray::fromStringList(s.unknown);
    return o;
}

QJsonObject writeSettings(const Settings& s) {
    QJsonObject o = s.original;
    o["model_alias_map"_L1] = toObject(s.modelAliasMap);
    o["personal_key_model_access_from_teams"_L1] = s.personalKeyModelAccessFromTeams;
    o["personal_key_multi_team_access"_L1] =
        s.personalKeyMultiTeamAccess == MultiTeamAccess::Intersection ? u"intersection"_s
                                                                      : u"union"_s;
    return o;
}

QJsonObject writeProxyModel(const ProxyModel& m) {
    QJsonObject o = m.original;
    o["model_name"_L1] = m.modelName;

    QJsonObject params = nestedOriginal(m.original, "litellm_params"_L1);
    params["model"_L1] = m.litellmModel;
    o["litellm_params"_L1] = params;

    QJsonObject info = nestedOriginal(m.original, "model_info"_L1);
    info["id"_L1] = m.modelId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(m.modelId);
    info["access_groups"_L1] = QJsonArray::fromStringList(m.accessGroups);
    info["team_id"_L1] = orNull(m.teamId);
    info["team_public_model_name"_L1] = orNull(m.teamPublicModelName);
    o["model_info"_L1] = info;
    return o;
}

// Keeps the spelling it was read in; the short string form for aliases made in code.
QJsonValue writeRouterAlias(const RouterAlias& alias) {
    if (!alias.original.isObject() && !alias.hidden)
        return alias.target;
    QJsonObject o = alias.original.toObject();
    o["model"_L1] = alias.target;
    o["hidden"_L1] = alias.hidden;
    return o;
}

QJsonObject writeAccessGroup(const AccessGroup& g) {
    QJsonObject o = g.original;
    o["access_group_id"_L1] = g.id;
    o["access_group_name"_L1] = g.name;
    o["access_model_names"_L1] = QJsonArray::fromStringList(g.modelNames);
    o["assigned_team_ids"_L1] = QJsonArray::fromStringList(g.assignedTeamIds);
    o["assigned_key_ids"_L1] = QJsonArray::fromStringList(g.assignedKeyIds);
    return o;
}

QJsonObject writeOrganization(const Organization& org) {
    QJsonObject o = org.original;
    o["organization_id"_L1] = org.id;
    o["organization_alias"_L1] = org.alias;
    o["models"_L1] = QJsonArray::fromStringList(org.models);
    return o;
}

QJsonObject writeMemberRole(const TeamMemberRole& m) {
    QJsonObject o = m.original;
    o["user_id"_L1] = orNull(m.userId);
    o["user_email"_L1] = orNull(m.userEmail);
    o["role"_L1] = m.role;
    return o;
}

QJsonObject writeTeam(const Team& t) {
    QJsonObject o = t.original;
    o["team_id"_L1] = t.id;
    o["team_alias"_L1] = t.alias;
    o["organization_id"_L1] = orNull(t.organizationId);
    o["models"_L1] = QJsonArray::fromStringList(t.models);
    o["default_team_member_models"_L1] = QJsonArray::fromStringList(t.defaultTeamMemberModels);
    o["blocked"_L1] = t.blocked;
    o["access_group_ids"_L1] = QJsonArray::fromStringList(t.accessGroupIds);
    o["model_aliases"_L1] = toObject(t.modelAliases);
    QJsonArray members;
    for (const TeamMemberRole& member : t.membersWithRoles)
        members.append(writeMemberRole(member));
    o["members_with_roles"_L1] = members;
    return o;
}

QJsonObject writeMembership(const TeamMembership& m) {
    QJsonObject o = m.original;
    o["team_id"_L1] = m.teamId;
    o["user_id"_L1] = m.userId;
    o["budget_id"_L1] = orNull(m.budgetId);
    o["allowed_models"_L1] = QJsonArray::fromStringList(m.allowedModels);
    return o;
}

QJsonObject writeUser(const User& u) {
    QJsonObject o = u.original;
    o["user_id"_L1] = u.id;
    o["user_email"_L1] = orNull(u.email);
    o["user_role"_L1] = u.role;
    o["models"_L1] = QJsonArray::fromStringList(u.models);
    return o;
}

QJsonObject writeKey(const Key& k) {
    QJsonObject o = k.original;
    o["token"_L1] = k.token;
    o["key_alias"_L1] = orNull(k.alias);
    o["team_id"_L1] = orNull(k.teamId);
    o["user_id"_L1] = orNull(k.userId);
    o["project_id"_L1] = orNull(k.projectId);
    o["models"_L1] = QJsonArray::fromStringList(k.models);
    o["aliases"_L1] = toObject(k.aliases);
    o["access_group_ids"_L1] = QJsonArray::fromStringList(k.accessGroupIds);
    o["config"_L1] = k.config;
    o["blocked"_L1] = k.blocked;
    return o;
}

QJsonObject writeProject(const Project& p) {
    QJsonObject o = p.original;
    o["project_id"_L1] = p.id;
    o["models"_L1] = QJsonArray::fromStringList(p.models);
    o["blocked"_L1] = p.blocked;
    return o;
}

template <typename T, typename Write>
QJsonArray writeList(const QList<T>& items, Write write) {
    QJsonArray array;
    for (const T& item : items)
        array.append(write(item));
    return array;
}

} // namespace

QJsonObject toJsonObject(const Workspace& ws) {
    QJsonObject o = ws.original;
    o["format"_L1] = u"litescope-workspace"_s;
    o["version"_L1] = 1;
    o["source"_L1] = writeSource(ws.source);
    o["settings"_L1] = writeSettings(ws.settings);
    o["proxy_models"_L1] = writeList(ws.proxyModels, writeProxyModel);
    QJsonObject groupAlias;
    for (auto it = ws.modelGroupAlias.constBegin(); it != ws.modelGroupAlias.constEnd(); ++it)
        groupAlias.insert(it.key(), writeRouterAlias(it.value()));
    o["model_group_alias"_L1] = groupAlias;
    o["model_providers"_L1] = toObject(ws.modelProviders);
    o["access_groups"_L1] = writeList(ws.accessGroups, writeAccessGroup);
    o["organizations"_L1] = writeList(ws.organizations, writeOrganization);
    o["teams"_L1] = writeList(ws.teams, writeTeam);
    o["team_memberships"_L1] = writeList(ws.teamMemberships, writeMembership);
    o["users"_L1] = writeList(ws.users, writeUser);
    o["keys"_L1] = writeList(ws.keys, writeKey);
    o["projects"_L1] = writeList(ws.projects, writeProject);
    return o;
}

QByteArray serialize(const Workspace& workspace) {
    return detail::escapeByteOrderMarks(
        QJsonDocument(toJsonObject(workspace)).toJson(QJsonDocument::Indented));
}

Status writeFile(const Workspace& workspace, const QString& path) {
    const auto failure = [&path](const QSaveFile& file) {
        return Error::io(u"cannot write "_s + QDir::toNativeSeparators(path) + u": "_s +
                         file.errorString());
    };
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failure(file);
    const QByteArray json = serialize(workspace);
    if (file.write(json) != json.size())
        return failure(file); // QSaveFile discards the temporary file when it goes away
    if (!file.commit())
        return failure(file);
    return Done{};
}

} // namespace litescope::workspace
