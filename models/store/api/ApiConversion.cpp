#include "store/api/ApiConversion.h"

#include "domain/TranslationContexts.h"
#include "workspace/WorkspaceJson.h"

#include <QCoreApplication>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace litescope::api {

namespace {

// The named fields of `from` that are present, null included (the workspace reader reads null
// lists and maps as empty and null references as none).
QJsonObject pick(const QJsonObject& from, std::initializer_list<QLatin1StringView> fields) {
    QJsonObject out;
    for (const QLatin1StringView field : fields) {
        const auto it = from.constFind(field);
        if (it != from.constEnd())
            out.insert(field, it.value());
    }
    return out;
}

QJsonValue boolOrFalse(const QJsonValue& value) {
    return value.isBool() ? value : QJsonValue(false);
}

QJsonObject workspaceDocument() {
    return {{u"format"_s, u"litescope-workspace"_s}, {u"version"_s, 1}};
}

} // namespace

QJsonObject teamEntity(const QJsonObject& team, const QJsonObject& modelTable) {
    QJsonObject out =
        pick(team, {"team_id"_L1, "team_alias"_L1, "organization_id"_L1, "models"_L1,
                    "default_team_member_models"_L1, "access_group_ids"_L1, "model_id"_L1});
    out.insert(u"blocked"_s, boolOrFalse(team.value(u"blocked"_s)));
    QJsonArray roster;
    const QJsonValue members = team.value(u"members_with_roles"_s);
    for (const QJsonValue& entry : members.toArray())
        roster.append(pick(entry.toObject(), {"user_id"_L1, "user_email"_L1, "role"_L1}));
    out.insert(u"members_with_roles"_s, roster);
    if (const std::optional<QJsonObject> aliases = modelTableAliases(modelTable))
        out.insert(u"model_aliases"_s, *aliases);
    return out;
}

std::optional<QJsonObject> modelTableAliases(const QJsonValue& modelTable) {
    if (!modelTable.isObject())
        return std::nullopt;
    // A JSON column: some builds hand it over as an object, others as its text.
    QJsonValue aliases = modelTable.toObject().value(u"model_aliases"_s);
    if (aliases.isString())
        aliases = QJsonDocument::fromJson(aliases.toString().toUtf8()).object();
    return aliases.isObject() ? aliases.toObject() : QJsonObject();
}

QJsonObject membershipEntity(const QJsonObject& membership) {
    QJsonObject out = pick(membership, {"team_id"_L1, "user_id"_L1, "budget_id"_L1});
    const QJsonObject budget = membership.value(u"litellm_budget_table"_s).toObject();
    out.insert(u"allowed_models"_s, budget.value(u"allowed_models"_s).isArray()
                                        ? budget.value(u"allowed_models"_s)
                                        : QJsonValue(QJsonArray()));
    // The limits live on the membership's budget row, as in a snapshot from the database.
    for (const QLatin1StringView field : {"max_budget"_L1, "tpm_limit"_L1, "rpm_limit"_L1})
        out.insert(field, budget.value(field).isDouble() ? budget.value(field)
                                                         : QJsonValue(QJsonValue::Null));
    out.insert(u"spend"_s, membership.value(u"spend"_s).toDouble(0));
    return out;
}

QJsonObject userEntity(const QJsonObject& user) {
    return pick(user, {"user_id"_L1, "user_email"_L1, "user_role"_L1, "models"_L1, "teams"_L1});
}

bool namesSomething(const QJsonValue& value) {
    return (value.isArray() && !value.toArray().isEmpty()) ||
           (value.isString() && !value.toString().isEmpty());
}

QJsonObject keyEntity(const QJsonObject& key) {
    QJsonObject out =
        pick(key, {"token"_L1, "key_alias"_L1, "team_id"_L1, "user_id"_L1, "project_id"_L1,
                   "models"_L1, "aliases"_L1, "access_group_ids"_L1, "config"_L1});
    out.insert(u"blocked"_s, boolOrFalse(key.value(u"blocked"_s)));
    return out;
}

QJsonObject proxyModelEntity(const QJsonObject& model) {
    // litellm_params holds credentials (stripped by LiteLLM, but never kept here either).
    const QJsonObject params = model.value(u"litellm_params"_s).toObject();
    QJsonObject out = pick(model, {"model_name"_L1});
    out.insert(u"litellm_params"_s, pick(params, {"model"_L1}));
    out.insert(u"model_info"_s, pick(model.value(u"model_info"_s).toObject(),
                                     {"id"_L1, "access_groups"_L1, "team_id"_L1,
                                      "team_public_model_name"_L1, "db_model"_L1}));
    return out;
}

QJsonObject organizationEntity(const QJsonObject& organization) {
    return pick(organization, {"organization_id"_L1, "organization_alias"_L1, "models"_L1});
}

QJsonObject accessGroupEntity(const QJsonObject& group) {
    return pick(group, {"access_group_id"_L1, "access_group_name"_L1, "access_model_names"_L1,
                        "assigned_team_ids"_L1, "assigned_key_ids"_L1});
}

QJsonObject projectEntity(const QJsonObject& project) {
    QJsonObject out = pick(project, {"project_id"_L1, "models"_L1});
    out.insert(u"blocked"_s, boolOrFalse(project.value(u"blocked"_s)));
    return out;
}

QJsonObject routerAliases(const QJsonValue& modelGroupAlias) {
    QJsonObject out;
    const QJsonObject aliases = modelGroupAlias.toObject();
    for (auto it = aliases.constBegin(); it != aliases.constEnd(); ++it) {
        if (it.value().isString() || it.value().isObject())
            out.insert(it.key(), it.value());
    }
    return out;
}

Result<TeamInfo> readTeamInfo(const QJsonValue& answer) {
    const QJsonObject root = answer.toObject();
    const QJsonObject team = root.value(u"team_info"_s).toObject();
    if (!team.value(u"team_id"_s).isString())
        return Error{ErrorKind::ServerError,
                     ApiText::tr("The proxy's /team/info answer has no team_info.team_id.")};
    TeamInfo info;
    const QJsonValue modelTable = team.value(u"litellm_model_table"_s);
    info.team = teamEntity(team, modelTable.toObject());
    info.memberScopesKnown = team.contains(u"default_team_member_models"_s);
    // A team's model aliases live in another table; an answer without it cannot show them.
    info.modelAliasesHidden = !team.value(u"model_id"_s).isNull() && team.contains(u"model_id"_s) &&
                              !modelTable.isObject();
    for (const QJsonValue& membership : root.value(u"team_memberships"_s).toArray())
        info.memberships.append(membershipEntity(membership.toObject()));
    for (const QJsonValue& entry : info.team.value(u"members_with_roles"_s).toArray()) {
        const QJsonObject member = entry.toObject();
        if (member.value(u"user_id"_s).isString())
            info.rosterUsers.append(pick(member, {"user_id"_L1, "user_email"_L1}));
    }
    return info;
}

Result<Workspace> teamWorkspace(const TeamInfo& info, const QJsonArray& extraUsers) {
    QJsonObject team = info.team;
    team.remove(u"organization_id"_s);
    QJsonArray users;
    QSet<QString> seen;
    for (const QJsonArray& list : {extraUsers, info.rosterUsers}) {
        for (const QJsonValue& user : list) {
            const QString id = user.toObject().value(u"user_id"_s).toString();
            if (!seen.contains(id)) {
                seen.insert(id);
                users.append(user);
            }
        }
    }
    QJsonObject document = workspaceDocument();
    document.insert(u"teams"_s, QJsonArray{team});
    document.insert(u"team_memberships"_s, info.memberships);
    document.insert(u"users"_s, users);
    return workspace::parseObject(document);
}

Result<Workspace> keyWorkspace(const QJsonObject& apiKey) {
    QJsonObject key = keyEntity(apiKey);
    // The key's user and project are not part of a key edit; its team id is (a stand-in team
    // keeps the reference whole).
    key.remove(u"user_id"_s);
    key.remove(u"project_id"_s);
    QJsonObject document = workspaceDocument();
    if (key.value(u"team_id"_s).isString())
        document.insert(u"teams"_s,
                        QJsonArray{QJsonObject{{u"team_id"_s, key.value(u"team_id"_s)}}});
    document.insert(u"keys"_s, QJsonArray{key});
    return workspace::parseObject(document);
}

} // namespace litescope::api
