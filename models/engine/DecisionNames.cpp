// The machine names of a decision's parts, as the JSON decision lines spell them
// (docs/ACCESS-ENGINE.md).
#include "engine/DecisionText.h"

#include <utility>

using namespace Qt::StringLiterals;

namespace litescope {

QString layerName(Layer layer) {
    switch (layer) {
    case Layer::None:
        return {};
    case Layer::Key:
        return u"key"_s;
    case Layer::Team:
        return u"team"_s;
    case Layer::TeamMember:
        return u"team_member"_s;
    case Layer::User:
        return u"user"_s;
    case Layer::Project:
        return u"project"_s;
    }
    return {};
}

Layer layerOf(Stage stage) {
    switch (stage) {
    case Stage::ModelRewrite:
        return Layer::None;
    case Stage::KeyBlocked:
    case Stage::KeyModels:
    case Stage::KeyAccessGroups:
        return Layer::Key;
    case Stage::TeamBlocked:
    case Stage::TeamModels:
    case Stage::TeamAccessGroups:
    case Stage::KeyGroupRescue:
        return Layer::Team;
    case Stage::MemberScope:
        return Layer::TeamMember;
    case Stage::UserModels:
    case Stage::PersonalKeyTeams:
        return Layer::User;
    case Stage::ProjectBlocked:
    case Stage::ProjectModels:
        return Layer::Project;
    }
    return Layer::None;
}

QString stageName(Stage stage) {
    switch (stage) {
    case Stage::ModelRewrite:
        return u"model_rewrite"_s;
    case Stage::KeyBlocked:
        return u"key_blocked"_s;
    case Stage::KeyModels:
        return u"key_models"_s;
    case Stage::KeyAccessGroups:
        return u"key_access_groups"_s;
    case Stage::TeamBlocked:
        return u"team_blocked"_s;
    case Stage::TeamModels:
        return u"team_models"_s;
    case Stage::TeamAccessGroups:
        return u"team_access_groups"_s;
    case Stage::KeyGroupRescue:
        return u"key_group_for_team"_s;
    case Stage::MemberScope:
        return u"member_scope"_s;
    case Stage::UserModels:
        return u"user_models"_s;
    case Stage::PersonalKeyTeams:
        return u"personal_key_teams"_s;
    case Stage::ProjectBlocked:
        return u"project_blocked"_s;
    case Stage::ProjectModels:
        return u"project_models"_s;
    }
    return {};
}

QString verdictName(Verdict verdict) {
    switch (verdict) {
    case Verdict::Allowed:
        return u"allowed"_s;
    case Verdict::Denied:
        return u"denied"_s;
    case Verdict::Skipped:
        return u"skipped"_s;
    case Verdict::Unknown:
        return u"unknown"_s;
    }
    return {};
}

QString ruleName(Rule rule) {
    switch (rule) {
    case Rule::EmptyList:
        return u"empty_list"_s;
    case Rule::Star:
        return u"star"_s;
    case Rule::AllProxyModels:
        return u"all_proxy_models"_s;
    case Rule::RouterGroup:
        return u"access_group"_s;
    case Rule::TeamAlias:
        return u"team_alias"_s;
    case Rule::Wildcard:
        return u"wildcard"_s;
    case Rule::ProviderWildcard:
        return u"provider_wildcard"_s;
    case Rule::Literal:
        return u"listed"_s;
    case Rule::OwnerTeamsGrant:
        return u"owner_teams_grant"_s;
    case Rule::NotListed:
        return u"not_listed"_s;
    case Rule::NoDefaultModels:
        return u"no_default_models"_s;
    case Rule::Blocked:
        return u"blocked"_s;
    case Rule::NoTeamGrants:
        return u"no_team_grants"_s;
    case Rule::ConfigSkip:
        return u"key_config"_s;
    case Rule::AllTeamModelsSkip:
        return u"all_team_models"_s;
    case Rule::NoMembership:
        return u"no_membership"_s;
    case Rule::EmptyScope:
        return u"empty_scope"_s;
    case Rule::NotApplicable:
        return u"not_applicable"_s;
    case Rule::NoGroupModels:
        return u"no_group_models"_s;
    case Rule::ProxyAdmin:
        return u"proxy_admin"_s;
    case Rule::MissingData:
        return u"missing_data"_s;
    case Rule::TeamNotFound:
        return u"team_not_found"_s;
    case Rule::TeamNotFoundRefused:
        return u"team_not_found_refused"_s;
    case Rule::KeyRouterAlias:
        return u"key_router_alias"_s;
    case Rule::TeamRouterAlias:
        return u"team_router_alias"_s;
    case Rule::ClaudeName:
        return u"claude_name"_s;
    case Rule::ClaudeNameIgnored:
        return u"claude_name_ignored"_s;
    case Rule::KeyRouterAliasIgnored:
        return u"key_router_alias_ignored"_s;
    case Rule::TeamRouterAliasIgnored:
        return u"team_router_alias_ignored"_s;
    }
    return {};
}

QStringList datasetNames(std::uint16_t datasets) {
    static const std::pair<Dataset, const char16_t*> names[] = {
        {Dataset::ProxyModels, u"proxy_models"},
        {Dataset::ModelGroupAlias, u"model_group_alias"},
        {Dataset::AccessGroups, u"access_groups"},
        {Dataset::Teams, u"teams"},
        {Dataset::TeamMemberships, u"team_memberships"},
        {Dataset::Users, u"users"},
        {Dataset::Projects, u"projects"},
        {Dataset::Settings, u"settings"},
        {Dataset::ModelProviders, u"model_providers"},
        {Dataset::TeamModelAliases, u"teams.model_aliases"},
        {Dataset::LiteLLMVersion, u"litellm_version"},
    };
    QStringList out;
    for (const auto& [bit, name] : names)
        if (datasets & static_cast<std::uint16_t>(bit))
            out.append(QString::fromUtf16(name));
    return out;
}

} // namespace litescope
