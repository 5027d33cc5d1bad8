#pragma once

#include <QString>
#include <QStringList>
#include <QVarLengthArray>

#include <cstdint>
#include <variant>

namespace litescope {

// The layer that refused a request, in LiteLLM's order of evaluation. Serialised as
// workspace-format.md's `denied_by`.
enum class Layer : std::uint8_t { None, Key, Team, TeamMember, User, Project };

// One check LiteLLM performs on the way to a decision. Several checks belong to one layer (the
// key layer has the key's own list and then the key's DB access groups).
enum class Stage : std::uint8_t {
    // Before any layer: the requested model rewritten as the proxy's release does (key/team
    // router aliases). Belongs to no layer.
    ModelRewrite,
    KeyBlocked,
    KeyModels,
    KeyAccessGroups,
    TeamBlocked,
    TeamModels,
    TeamAccessGroups,
    KeyGroupRescue,
    MemberScope,
    UserModels,
    PersonalKeyTeams,
    ProjectBlocked,
    ProjectModels,
};

enum class Verdict : std::uint8_t { Allowed, Denied, Skipped, Unknown };

// Why a check decided the way it did: the rule of LiteLLM's matcher (or of the layer) that fired.
enum class Rule : std::uint8_t {
    // grants
    EmptyList,        // empty allow-list = all models
    Star,             // "*" in the list
    AllProxyModels,   // "all-proxy-models" in the list
    RouterGroup,      // a router access group in the list contains the model
    TeamAlias,        // the name is one of the team's model aliases
    Wildcard,         // a wildcard entry matches the name
    ProviderWildcard, // a wildcard entry matches "<inferred provider>/<name>"
    Literal,          // the name is listed
    OwnerTeamsGrant,  // personal key via teams: the owner's teams grant the name
    // denials
    NotListed,       // nothing in the list grants the name
    NoDefaultModels, // user.models contains "no-default-models"
    Blocked,         // key, team or project is blocked
    NoTeamGrants,    // personal key via teams: no (or not every) team grants it
    // skips
    ConfigSkip,        // the key has a non-empty config: no key model check
    AllTeamModelsSkip, // key.models contains "all-team-models": the team check limits it
    NoMembership,      // no membership row: the member layer adds no restriction
    EmptyScope,        // member allowed_models empty: inherits the team's models
    NotApplicable,     // the layer does not apply to this key (e.g. user layer for team keys)
    ProxyAdmin,        // the key's user is a proxy admin: user.models is not enforced
    NoGroupModels,     // the DB access groups yield no models, the denial stands
    MissingData,       // the workspace lacks the data this check needs (source.unknown)
    // the key's team has no row: LiteLLM uses the key's copy of the team, which grants everything
    TeamNotFound,
    // the key's team has no row and the release refuses such keys (TeamNotFoundError)
    TeamNotFoundRefused,
    // ModelRewrite: a Claude Code name ("claude-router-<hex>", "…[1m]") stands for a routed name
    ClaudeName,
    ClaudeNameIgnored, // the proxy's release does not normalise it
    // ModelRewrite: the key's or team's router_settings.model_group_alias names the model
    KeyRouterAlias,
    TeamRouterAlias,
    // ModelRewrite: such an alias exists, but the proxy's release does not rewrite through it
    KeyRouterAliasIgnored,
    TeamRouterAliasIgnored,
};

// Top-level workspace data a decision may depend on; a workspace names the ones it could not fill
// in source.unknown, and a decision that consulted one of them is "unknown", never a guess.
enum class Dataset : std::uint16_t {
    ProxyModels = 1 << 0,
    ModelGroupAlias = 1 << 1,
    AccessGroups = 1 << 2,
    Teams = 1 << 3,
    TeamMemberships = 1 << 4,
    Users = 1 << 5,
    Projects = 1 << 6,
    Settings = 1 << 7,
    ModelProviders = 1 << 8,
    // "teams.model_aliases": the model aliases of the teams that have a model table (a team's
    // `model_id`) are not in the workspace. Only decisions for keys of such teams depend on it.
    TeamModelAliases = 1 << 9,
    // source.litellm_version: which release's rules apply (LiteLLMProfile). Consulted only when a
    // rule that changed between releases could decide.
    LiteLLMVersion = 1 << 10,
};

using NameId = std::int32_t;
inline constexpr NameId NoName = -1;
// A TrailStep's `name` refers to the requested string itself when it is not one of the
// workspace's names (an unknown model asked for by the user).
inline constexpr NameId RequestedName = -2;

// One consulted check. Compact on purpose: the engine records trails on every decision, and a
// decision must stay a handful of lookups. DecisionText renders steps into words.
struct TrailStep {
    Stage stage;
    Verdict verdict;
    Rule rule;
    std::uint8_t element = 0; // index into a list-valued model
    NameId name = NoName;     // the candidate name the rule fired for
    NameId entry = NoName;    // the allow-list entry, access group or alias that decided
    std::int32_t list = -1;   // CompiledWorkspace list index that was consulted
    std::int32_t object = -1; // index of the key/team/user/project/membership concerned
};

struct Decision {
    Verdict verdict = Verdict::Allowed; // Allowed, Denied or Unknown
    Layer deniedBy = Layer::None;
    std::uint16_t unknownData = 0; // Dataset bits that made the verdict unknown
    std::uint16_t assumedData = 0; // Dataset bits consulted with LiteLLM's defaults assumed
    // LiteLLMProfile::bit(VersionedRule) of the rules that changed between releases and were
    // consulted: the trail then names the profile that decided.
    std::uint16_t versioned = 0;
    // The target of a ModelRewrite step that the workspace never names (its `entry` is NoName):
    // a Claude Code name decoded to a name only a wildcard deployment routes. Once applied, the
    // steps after it refer to this name as RequestedName.
    QString unknownTarget;
    QVarLengthArray<TrailStep, 8> trail;

    bool allowed() const { return verdict == Verdict::Allowed; }
};

// The `model` of a request: one name, or several that must all pass (multi-model requests).
struct ModelRequest {
    QStringList names;
    bool isList = false;

    static ModelRequest single(QString name) { return {{std::move(name)}, false}; }
    static ModelRequest list(QStringList names) { return {std::move(names), true}; }
};

} // namespace litescope
