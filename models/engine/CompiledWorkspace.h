#pragma once

#include "domain/Workspace.h"
#include "engine/AccessTypes.h"
#include "engine/LiteLLMRelease.h"
#include "engine/PrefixIndex.h"
#include "engine/ProviderTable.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>

#include <mutex>
#include <optional>
#include <vector>

namespace litescope::engine {

// A wildcard allow-list entry turned into LiteLLM's regex: "^" + entry with '*' -> ".*" + "$",
// other regex characters deliberately left unescaped (LiteLLM does not escape them either).
struct WildcardPattern {
    NameId entry = NoName;
    QRegularExpression regex;
};

// One hit of a wildcard pattern on a name: directly, or through the provider LiteLLM infers for it.
struct WildcardHit {
    std::int32_t pattern;
    bool viaProvider;
};

// Everything the matcher needs about one model name, computed once per workspace so a check is
// a few lookups instead of router walks and regex runs.
struct NameFacts {
    std::vector<NameId> routerGroups;  // groups of the deployments the router would serve for it
    bool hasDirectDeployment = false;  // exact model_name (non-team) or a router alias entry
    NameId aliasTarget = NoName;       // model_alias_map[name], else router model_group_alias
    NameId globalAliasTarget = NoName; // model_alias_map[name] only
    std::vector<WildcardHit> wildcardHits; // sorted by pattern index
};

// An allow-list as the matcher reads it.
struct CompiledList {
    QStringList written;                // the list as stored, for explanations
    std::vector<NameId> entries;        // after expanding all-team-models where LiteLLM does
    std::vector<NameId> sortedEntries;  // for binary search
    std::vector<std::int32_t> patterns; // wildcard entries, in list order
    bool empty = true;
    bool star = false;
    bool allProxyModels = false;
    bool mentionsGroups = false; // some entry is a router access group name
    bool expandedAllTeamModels = false;

    bool contains(NameId name) const;
};

struct CompiledKey {
    std::int32_t team = -1;
    // team_id names a team with no row: LiteLLM then builds the team from the key's own copy of
    // the team columns, which the missing row leaves empty (UAK _team_obj_from_token).
    bool teamMissing = false;
    std::int32_t user = -1;    // -1 when the key has no user_id or the user row is missing
    std::int32_t project = -1; // -1 when absent or missing
    bool hasUserId = false;
    bool hasProjectId = false;
    bool blocked = false;
    bool configSkip = false;
    bool allTeamModelsSkip = false;
    std::int32_t list = -1;
    std::int32_t groupList = -1; // DB access groups' models (fallback); -1 when none
    bool hasGroupIds = false;
    std::int32_t rescueList = -1;  // models of the key's DB groups assigned to its team or to it
    std::int32_t membership = -1;  // (team, user) membership row, -1 when none (even when the team
                                   // row is missing: LiteLLM reads memberships by id)
    QHash<NameId, NameId> aliases; // key `aliases`
    // routerAliasMap() index of the key's router_settings.model_group_alias; -1 when the key
    // has no router_settings (its team's then count).
    std::int32_t routerAliases = -1;
};

struct CompiledTeam {
    std::int32_t list = -1;
    std::int32_t groupList = -1; // team.models ∪ DB groups' models; -1 when no groups
    bool hasGroupIds = false;
    bool blocked = false;
    QHash<NameId, NameId> aliases;            // team model aliases
    bool aliasesUnknown = false;              // the team has aliases the workspace lacks
    QHash<QString, std::int32_t> memberships; // user_id -> membership index
    std::int32_t routerAliases = -1;          // routerAliasMap() index, -1 when none
};

struct CompiledMembership {
    std::int32_t team = -1;
    std::int32_t list = -1; // allowed_models
    bool scoped = false;    // allowed_models non-empty
};

struct CompiledUser {
    std::int32_t list = -1;
    bool noDefaultModels = false;
    bool proxyAdmin = false;
    // The owner's teams for personal-key-via-teams: users[].teams when the workspace carries it
    // (-1 for a team that is not in the file: LiteLLM cannot load it), else derived from
    // memberships and members_with_roles.
    std::vector<std::int32_t> teams;
};

struct CompiledProject {
    std::int32_t list = -1;
    bool blocked = false;
};

struct CompiledGroup {
    std::int32_t list = -1;
    QSet<QString> assignedTeams;
    QSet<QString> assignedKeys;
};

// A workspace resolved for the access engine: names interned, lists compiled, access-group
// membership and alias chains computed. Immutable after construction, so it can be shared
// between threads.
class CompiledWorkspace {
public:
    explicit CompiledWorkspace(const Workspace& workspace);

    const Workspace& workspace() const { return m_ws; }

    NameId find(QStringView name) const { return m_nameIds.value(name.toString(), NoName); }
    NameId find(const QString& name) const { return m_nameIds.value(name, NoName); }
    const QString& name(NameId id) const { return m_names[id]; }
    const NameFacts& facts(NameId id) const { return m_facts[static_cast<std::size_t>(id)]; }
    // Facts for a name the workspace never mentions (wildcard deployments and patterns may still
    // apply to it).
    NameFacts factsForUnknown(const QString& name) const;

    // Router access groups of `name` when the request comes with `team` (team-only deployments).
    const std::vector<NameId>& routerGroups(NameId name, std::int32_t team) const;
    bool isRouterGroup(NameId id) const { return m_groupNames.contains(id); }

    const CompiledList& list(std::int32_t index) const {
        return m_lists[static_cast<std::size_t>(index)];
    }
    const WildcardPattern& pattern(std::int32_t index) const {
        return m_patterns[static_cast<std::size_t>(index)];
    }

    const std::vector<CompiledKey>& keys() const { return m_keys; }
    const std::vector<CompiledTeam>& teams() const { return m_teams; }
    const std::vector<CompiledMembership>& memberships() const { return m_memberships; }
    const std::vector<CompiledUser>& users() const { return m_users; }
    const std::vector<CompiledProject>& projects() const { return m_projects; }
    const std::vector<CompiledGroup>& groups() const { return m_groups; }

    std::int32_t keyIndex(const QString& tokenOrAlias) const;
    std::int32_t teamIndex(const QString& idOrAlias) const;
    std::int32_t userIndex(const QString& idOrEmail) const;
    // The (team, user) membership row, -1 when there is none.
    std::int32_t membershipIndex(std::int32_t team, const QString& userId) const;

    // A team key with no restrictions of its own, owned by `userId`: what a member can reach
    // through the team.
    CompiledKey syntheticTeamKey(std::int32_t team, const QString& userId) const;

    // Names the proxy serves, in a stable order: public deployment names (wildcard deployments
    // excluded), team-only public names, and visible router aliases.
    QStringList servedModelNames(std::int32_t team) const;

    // The rules of the proxy's LiteLLM release (source.litellm_version).
    const LiteLLMProfile& profile() const { return m_profile; }
    // A router_settings.model_group_alias of a key or team: alias -> target, both interned.
    const QHash<NameId, NameId>& routerAliasMap(std::int32_t index) const {
        return m_routerAliasMaps[static_cast<std::size_t>(index)];
    }
    // The router aliases that apply to requests with `key`: its own, else its team's; -1 = none.
    std::int32_t routerAliasesFor(const CompiledKey& key) const;
    // Whether the router has deployments for `name` with `team` (exact model_name, the team's
    // public name of a team-only deployment, a wildcard deployment) or a deployment id `name`.
    bool hasDeploymentsFor(const QString& name, std::int32_t team) const;

    std::uint16_t unknownData() const { return m_unknownData; }
    // Dataset bits of source.assumed: filled with LiteLLM's defaults.
    std::uint16_t assumedData() const { return m_assumedData; }

    // The always-present empty allow-list (a synthetic team key used for member previews).
    static constexpr std::int32_t EmptyList = 0;

private:
    // The m_teamDeployments key of a team's public name.
    static QString teamDeploymentKey(const QString& teamId, const QString& name);
    NameId intern(const QString& name);
    // `expandAllTeamModels`: the layer passes a team id, so LiteLLM expands all-team-models.
    std::int32_t compileList(const QStringList& written, bool expandAllTeamModels);
    std::int32_t compileNewList(const QStringList& written, bool expandAllTeamModels);
    void compileRouter();
    void compileObjects();
    NameFacts computeFacts(const QString& name) const;
    std::int32_t compileRouterAliases(const std::optional<QMap<QString, RouterAlias>>& aliases);
    std::vector<NameId> proxyModelNames() const;

    // const: a non-const operator[] on its lists would detach them, copying every row of a big
    // proxy once more (issue 12: the keys list alone, 80 MB).
    const Workspace m_ws;
    ProviderTable m_providers;
    QHash<QString, NameId> m_nameIds;
    QStringList m_names;
    std::vector<NameFacts> m_facts;
    QSet<NameId> m_groupNames;
    std::vector<WildcardPattern> m_patterns;
    QHash<NameId, std::int32_t> m_patternByEntry;
    PrefixIndex m_patternIndex; // m_patterns by literal start
    std::vector<CompiledList> m_lists;
    // The index of each distinct (list, expands all-team-models) in m_lists.
    using ListKey = std::pair<QStringList, bool>;
    QHash<ListKey, std::int32_t> m_listIndex;
    // proxyModelNames(), computed for the first list naming all-team-models.
    std::optional<std::vector<NameId>> m_proxyModelNames;

    // Deployments by model_name (team-only ones too); team-only deployments also by
    // (team, public name).
    QHash<QString, std::vector<std::int32_t>> m_deploymentsByName;
    QHash<QString, std::vector<std::int32_t>> m_teamDeployments; // key: team_id + '\n' + name
    std::vector<QRegularExpression> m_wildcardDeploymentRegexes; // most specific first
    PrefixIndex m_wildcardDeploymentIndex;                       // their indexes by literal start
    QSet<QString> m_deploymentIds;                               // model_info.id of each
    std::vector<std::vector<NameId>> m_wildcardDeploymentGroups;
    QHash<quint64, std::vector<NameId>> m_teamRouterGroups; // (team << 32 | name)
    bool m_hasTeamDeployments = false;

    std::vector<CompiledKey> m_keys;
    std::vector<CompiledTeam> m_teams;
    std::vector<CompiledMembership> m_memberships;
    std::vector<CompiledUser> m_users;
    std::vector<CompiledProject> m_projects;
    std::vector<CompiledGroup> m_groups;
    QHash<QString, std::int32_t> m_keyByToken;
    // Aliases and emails are asked for far less often than tokens and ids: their indexes are
    // built on the first such lookup (a big proxy's 200,000 key aliases cost 10% of a compile).
    mutable std::once_flag m_keyByAliasBuilt;
    mutable QHash<QString, std::int32_t> m_keyByAlias;
    QHash<QString, std::int32_t> m_teamById;
    QHash<QString, std::int32_t> m_membershipsOfMissingTeams; // team_id + '\n' + user_id
    QHash<QString, std::int32_t> m_teamByAlias;
    QHash<QString, std::int32_t> m_userById;
    mutable std::once_flag m_userByEmailBuilt;
    mutable QHash<QString, std::int32_t> m_userByEmail;
    std::vector<QHash<NameId, NameId>> m_routerAliasMaps;
    LiteLLMProfile m_profile;
    std::uint16_t m_unknownData = 0;
    std::uint16_t m_assumedData = 0;
};

} // namespace litescope::engine
