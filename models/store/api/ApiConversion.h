#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <optional>

// What LiteLLM's admin API answers, turned into the workspace format (docs/workspace-format.md,
// whose field names are LiteLLM's own). Only the fields the access engine and the editors use
// are kept: spend, metadata and credentials stay on the proxy. Pure functions, no I/O.
namespace litescope::api {

// One workspace entity from one API object.
QJsonObject teamEntity(const QJsonObject& team, const QJsonObject& modelTable);
QJsonObject membershipEntity(const QJsonObject& membership);
QJsonObject userEntity(const QJsonObject& user);
QJsonObject keyEntity(const QJsonObject& key);
QJsonObject proxyModelEntity(const QJsonObject& model);
QJsonObject organizationEntity(const QJsonObject& organization);
QJsonObject accessGroupEntity(const QJsonObject& group);
QJsonObject projectEntity(const QJsonObject& project);
// A team's litellm_model_table's model_aliases; nullopt when the value carries no table.
std::optional<QJsonObject> modelTableAliases(const QJsonValue& modelTable);
// A reference field that names something: a non-empty list or string (access_group_ids,
// project_id).
bool namesSomething(const QJsonValue& value);
// router_settings.model_group_alias as the workspace's model_group_alias map.
QJsonObject routerAliases(const QJsonValue& modelGroupAlias);

// A /team/info answer: the team, its memberships (with the member scopes) and the roster's users.
struct TeamInfo {
    QJsonObject team;                // workspace team entity
    QJsonArray memberships;          // workspace membership entities
    QJsonArray rosterUsers;          // {user_id, user_email} of roster entries with a user_id
    bool memberScopesKnown = false;  // team_info carries default_team_member_models
    bool modelAliasesHidden = false; // the team has a model table the answer does not include
};
Result<TeamInfo> readTeamInfo(const QJsonValue& answer);

// A workspace holding one team (and optionally more users, keys): what the member list and the
// edit checks work on. References outside it (the team's organization) are dropped.
Result<Workspace> teamWorkspace(const TeamInfo& info, const QJsonArray& extraUsers = {});
// A workspace holding one key, for key edits.
Result<Workspace> keyWorkspace(const QJsonObject& apiKey);

} // namespace litescope::api
