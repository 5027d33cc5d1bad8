#include "engine/Evaluator.h"

#include "engine/ModelRewrite.h"

#include <QHash>

#include <algorithm>
#include <optional>

namespace litescope::engine {

// Everything here has internal linkage on purpose: GCC then inlines the layers (each called once)
// into the walk, which keeps a decision near 50 ns (docs/PERFORMANCE.md).
namespace {

constexpr std::uint16_t bits(Dataset d) {
    return static_cast<std::uint16_t>(d);
}

using AliasMap = QHash<NameId, NameId>;

struct Candidate {
    NameId id;
    const NameFacts* facts;
};

// What LiteLLM passes to _can_object_call_model besides the list: the team aliases (key and
// team layers only), the team id (router team deployments, all-team-models), the key aliases.
struct MatchContext {
    const AliasMap* teamAliases = nullptr;
    std::int32_t team = -1;
    const AliasMap* keyAliases = nullptr;
};

struct Outcome {
    bool allowed = false;
    Rule rule = Rule::NotListed;
    NameId name = NoName;
    NameId entry = NoName;
};

// Walks LiteLLM's layers for one request. Holds the per-request state so the layer functions
// stay small; one instance per decision, on the stack.
class Evaluator {
public:
    Evaluator(const CompiledWorkspace& ws, const ResolvedRequest& request, Decision& decision)
        : m_ws(ws)
        , m_asked(request)
        , m_decision(decision) {}

    void run(const CompiledKey& key, std::int32_t keyIndex);
    std::uint16_t consulted() const { return m_consulted; }

private:
    void rewriteModel(const CompiledKey& key, std::int32_t keyIndex);
    bool keyLayer(const CompiledKey& key, std::int32_t keyIndex);
    bool teamLayer(const CompiledKey& key);
    bool missingTeamLayer(std::int32_t keyIndex);
    // A rule that changed between releases was consulted: the verdict depends on the release.
    bool versioned(VersionedRule rule) {
        m_consulted |= bits(Dataset::LiteLLMVersion);
        m_decision.versioned |= LiteLLMProfile::bit(rule);
        return m_ws.profile().has(rule);
    }
    bool memberLayer(const CompiledKey& key);
    bool userLayer(const CompiledKey& key);
    bool personalKeyTeamsLayer(const CompiledKey& key);
    bool projectLayer(const CompiledKey& key);

    bool teamGrants(std::int32_t team, const ResolvedRequest::Element& element,
                    const CompiledKey& key);
    bool memberScopeGrants(std::int32_t membership, std::int32_t team,
                           const ResolvedRequest::Element& element, const CompiledKey& key);

    bool checkAll(std::int32_t list, const MatchContext& context, Stage stage, std::int32_t object);
    Outcome checkElement(const ResolvedRequest::Element& element, const CompiledList& list,
                         const MatchContext& context);
    Outcome checkCandidate(const Candidate& candidate, const CompiledList& list,
                           const MatchContext& context) const;

    void step(Stage stage, Verdict verdict, Rule rule, std::int32_t object = -1,
              std::int32_t list = -1, std::uint8_t element = 0, NameId name = NoName,
              NameId entry = NoName) {
        m_decision.trail.append({stage, verdict, rule, element, name, entry, list, object});
    }
    void deny(Layer layer) {
        m_decision.verdict = Verdict::Denied;
        m_decision.deniedBy = layer;
    }

    const NameFacts& facts(const ResolvedRequest::Element& element) const {
        return element.id >= 0 ? m_ws.facts(element.id)
                               : m_request->unknownFacts[static_cast<std::size_t>(element.unknown)];
    }

    const CompiledWorkspace& m_ws;
    const ResolvedRequest& m_asked;
    // What the layers judge: the request as asked, or rewritten by the key's or team's router
    // aliases.
    const ResolvedRequest* m_request = &m_asked;
    std::optional<ResolvedRequest> m_rewritten;
    Decision& m_decision;
    std::uint16_t m_consulted = 0; // Dataset bits the decision depended on
};

// Data that can only widen what a list grants: when a check denies, its absence matters.
constexpr std::uint16_t WideningData = bits(Dataset::ProxyModels) | bits(Dataset::ModelGroupAlias) |
                                       bits(Dataset::Settings) | bits(Dataset::ModelProviders);

// The team id of the dashboard's own session keys (LiteLLM's UI_TEAM_ID), which has no row.
const QString uiTeamId = QStringLiteral("litellm-dashboard");

Outcome Evaluator::checkCandidate(const Candidate& candidate, const CompiledList& list,
                                  const MatchContext& context) const {
    // LiteLLM's _check_model_access_helper, step by step.
    if (list.mentionsGroups) {
        const std::vector<NameId>& groups = candidate.id >= 0
                                                ? m_ws.routerGroups(candidate.id, context.team)
                                                : candidate.facts->routerGroups;
        for (NameId group : groups)
            if (list.contains(group))
                return {true, Rule::RouterGroup, candidate.id, group};
    }
    if (context.teamAliases && candidate.id >= 0 && context.teamAliases->contains(candidate.id))
        return {true, Rule::TeamAlias, candidate.id, candidate.id};
    if (!list.patterns.empty()) {
        const std::vector<WildcardHit>& hits = candidate.facts->wildcardHits;
        for (bool viaProvider : {false, true}) {
            for (std::int32_t pattern : list.patterns) {
                auto hit = std::find_if(hits.begin(), hits.end(), [&](const WildcardHit& h) {
                    return h.pattern == pattern && h.viaProvider == viaProvider;
                });
                if (hit == hits.end())
                    continue;
                const NameId entry = m_ws.pattern(pattern).entry;
                if (m_ws.name(entry) == QLatin1StringView("*"))
                    return {true, Rule::Star, candidate.id, entry};
                return {true, viaProvider ? Rule::ProviderWildcard : Rule::Wildcard, candidate.id,
                        entry};
            }
        }
    }
    if (list.empty)
        return {true, Rule::EmptyList, candidate.id, NoName};
    if (list.star)
        return {true, Rule::Star, candidate.id, NoName};
    if (list.allProxyModels)
        return {true, Rule::AllProxyModels, candidate.id, NoName};
    if (candidate.id >= 0 && list.contains(candidate.id))
        return {true, Rule::Literal, candidate.id, candidate.id};
    return {false, Rule::NotListed, candidate.id, NoName};
}

Outcome Evaluator::checkElement(const ResolvedRequest::Element& element, const CompiledList& list,
                                const MatchContext& context) {
    // Candidate names (_can_object_call_model): a key alias that changes the name leaves only the
    // final dispatched name; otherwise the name itself and its global/router alias target.
    QVarLengthArray<Candidate, 2> candidates;
    if (context.keyAliases && !context.keyAliases->isEmpty() && element.id >= 0) {
        NameId t = element.id;
        if (context.teamAliases)
            t = context.teamAliases->value(t, t);
        const NameId k = context.keyAliases->value(t, t);
        const NameId globalTarget = m_ws.facts(k).globalAliasTarget;
        const NameId g = globalTarget != NoName ? globalTarget : k;
        const NameId d = context.keyAliases->value(g, g);
        if (k != t || d != g)
            candidates.append({d, &m_ws.facts(d)});
    }
    if (candidates.isEmpty()) {
        const NameFacts& own = facts(element);
        candidates.append({element.id, &own});
        if (own.aliasTarget != NoName)
            candidates.append({own.aliasTarget, &m_ws.facts(own.aliasTarget)});
    }

    if (list.expandedAllTeamModels)
        m_consulted |= bits(Dataset::ProxyModels);
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        const Outcome outcome = checkCandidate(candidates[i], list, context);
        if (!outcome.allowed)
            continue;
        if (outcome.rule == Rule::RouterGroup)
            m_consulted |= bits(Dataset::ProxyModels);
        if (outcome.rule == Rule::ProviderWildcard)
            m_consulted |= bits(Dataset::ModelProviders);
        if (i > 0 || candidates[0].id != element.id)
            m_consulted |= bits(Dataset::ModelGroupAlias) | bits(Dataset::Settings);
        return outcome;
    }
    m_consulted |= WideningData;
    // An alias of the team this check is given could have granted the name.
    if (context.teamAliases && context.team >= 0 &&
        m_ws.teams()[static_cast<std::size_t>(context.team)].aliasesUnknown)
        m_consulted |= bits(Dataset::TeamModelAliases);
    return {false, Rule::NotListed, candidates[0].id, NoName};
}

bool Evaluator::checkAll(std::int32_t list, const MatchContext& context, Stage stage,
                         std::int32_t object) {
    const CompiledList& compiled = m_ws.list(list);
    for (qsizetype i = 0; i < m_request->elements.size(); ++i) {
        const Outcome outcome = checkElement(m_request->elements[i], compiled, context);
        step(stage, outcome.allowed ? Verdict::Allowed : Verdict::Denied, outcome.rule, object,
             list, static_cast<std::uint8_t>(std::min<qsizetype>(i, 255)), outcome.name,
             outcome.entry);
        if (!outcome.allowed)
            return false;
    }
    return true;
}

bool Evaluator::keyLayer(const CompiledKey& key, std::int32_t keyIndex) {
    if (keyIndex < 0)
        return true; // a member preview's synthetic team key has no list of its own
    if (key.configSkip) {
        step(Stage::KeyModels, Verdict::Skipped, Rule::ConfigSkip, keyIndex, key.list);
        return true;
    }
    if (key.allTeamModelsSkip) {
        step(Stage::KeyModels, Verdict::Skipped, Rule::AllTeamModelsSkip, keyIndex, key.list);
        return true;
    }
    const MatchContext context{
        key.team >= 0 ? &m_ws.teams()[static_cast<std::size_t>(key.team)].aliases : nullptr,
        key.team, &key.aliases};
    if (checkAll(key.list, context, Stage::KeyModels, keyIndex))
        return true;
    if (key.hasGroupIds) {
        // The key's DB access groups: judged against the groups' models alone.
        m_consulted |= bits(Dataset::AccessGroups);
        if (key.groupList < 0)
            step(Stage::KeyAccessGroups, Verdict::Denied, Rule::NoGroupModels, keyIndex);
        else if (checkAll(key.groupList, context, Stage::KeyAccessGroups, keyIndex))
            return true;
    }
    deny(Layer::Key);
    return false;
}

bool Evaluator::teamLayer(const CompiledKey& key) {
    m_consulted |= bits(Dataset::Teams);
    const CompiledTeam& team = m_ws.teams()[static_cast<std::size_t>(key.team)];
    if (team.blocked) {
        step(Stage::TeamBlocked, Verdict::Denied, Rule::Blocked, key.team);
        deny(Layer::Team);
        return false;
    }
    const MatchContext context{&team.aliases, key.team, &key.aliases};
    if (checkAll(team.list, context, Stage::TeamModels, key.team))
        return true;
    if (team.hasGroupIds) {
        m_consulted |= bits(Dataset::AccessGroups);
        if (team.groupList < 0)
            step(Stage::TeamAccessGroups, Verdict::Denied, Rule::NoGroupModels, key.team);
        else if (checkAll(team.groupList, context, Stage::TeamAccessGroups, key.team))
            return true;
    }
    if (key.rescueList >= 0) {
        // A key DB access group assigned to this team or key can still grant the request.
        m_consulted |= bits(Dataset::AccessGroups);
        if (checkAll(key.rescueList, context, Stage::KeyGroupRescue, key.team))
            return true;
    }
    deny(Layer::Team);
    return false;
}

// A key whose team row is gone (UAK _run_centralized_common_checks): get_team_object fails.
// Before 1.99, _team_obj_from_token rebuilds the team from the key's view row, whose team columns
// come from a LEFT JOIN on the missing row: models [] (every model), not blocked, no access
// groups, no model aliases; the key, member scope and project layers still apply as for any team
// key. From 1.99 the request is refused unless _token_can_vouch_for_team exempts the team: only
// the dashboard's own UI_TEAM_ID sentinel.
bool Evaluator::missingTeamLayer(std::int32_t keyIndex) {
    m_consulted |= bits(Dataset::Teams);
    const Key& key = m_ws.workspace().keys[keyIndex];
    if (key.teamId != uiTeamId && versioned(VersionedRule::MissingTeamRefused)) {
        step(Stage::TeamModels, Verdict::Denied, Rule::TeamNotFoundRefused, keyIndex);
        deny(Layer::Team);
        return false;
    }
    step(Stage::TeamModels, Verdict::Allowed, Rule::TeamNotFound, keyIndex);
    return true;
}

// Before any check LiteLLM may rewrite a single requested model (ModelRewrite.h): a Claude Code
// name to the name it stands for, then through the key's (else the team's) router aliases. Every
// layer judges the result. A list-valued model is checked as sent.
void Evaluator::rewriteModel(const CompiledKey& key, std::int32_t keyIndex) {
    if (m_asked.request.isList || m_asked.elements.size() != 1)
        return;
    const QString& requested = m_asked.request.names.front();
    if (!mayRewrite(m_ws, key, requested))
        return;
    for (const ModelRewrite& rewrite : rewritesFor(m_ws, key, keyIndex, requested)) {
        versioned(rewrite.since);
        const NameId from =
            rewrite.from == requested ? m_request->elements[0].id : m_ws.find(rewrite.from);
        const NameId to = m_ws.find(rewrite.to);
        if (to == NoName)
            m_decision.unknownTarget = rewrite.to;
        step(Stage::ModelRewrite, Verdict::Skipped, rewrite.rule, rewrite.object, -1, 0, from, to);
        if (!rewrite.applied)
            continue;
        if (!m_rewritten) {
            m_rewritten = m_asked;
            m_request = &*m_rewritten;
        }
        if (to != NoName) {
            m_rewritten->elements[0] = {to, -1};
        } else {
            m_rewritten->unknownFacts.push_back(m_ws.factsForUnknown(rewrite.to));
            m_rewritten->elements[0] = {
                RequestedName, static_cast<std::int32_t>(m_rewritten->unknownFacts.size() - 1)};
        }
    }
}

bool Evaluator::memberLayer(const CompiledKey& key) {
    if (!key.hasUserId)
        return true;
    m_consulted |= bits(Dataset::TeamMemberships);
    if (key.membership < 0) {
        step(Stage::MemberScope, Verdict::Skipped, Rule::NoMembership);
        return true;
    }
    const CompiledMembership& membership =
        m_ws.memberships()[static_cast<std::size_t>(key.membership)];
    if (!membership.scoped) {
        step(Stage::MemberScope, Verdict::Skipped, Rule::EmptyScope, key.membership,
             membership.list);
        return true;
    }
    // The member layer is not given the team's aliases (LiteLLM passes none).
    const MatchContext context{nullptr, key.team, &key.aliases};
    if (checkAll(membership.list, context, Stage::MemberScope, key.membership))
        return true;
    deny(Layer::TeamMember);
    return false;
}

bool Evaluator::userLayer(const CompiledKey& key) {
    if (!key.hasUserId)
        return true;
    m_consulted |= bits(Dataset::Users);
    if (key.user < 0) {
        step(Stage::UserModels, Verdict::Skipped, Rule::NotApplicable);
        return true;
    }
    const CompiledUser& user = m_ws.users()[static_cast<std::size_t>(key.user)];
    if (user.proxyAdmin) {
        // LiteLLM checks a proxy admin's requests against a synthetic admin user object.
        step(Stage::UserModels, Verdict::Skipped, Rule::ProxyAdmin, key.user);
        return true;
    }
    if (user.noDefaultModels) {
        step(Stage::UserModels, Verdict::Denied, Rule::NoDefaultModels, key.user, user.list);
        deny(Layer::User);
        return false;
    }
    const MatchContext context{nullptr, -1, &key.aliases};
    if (checkAll(user.list, context, Stage::UserModels, key.user))
        return true;
    deny(Layer::User);
    return false;
}

bool Evaluator::memberScopeGrants(std::int32_t membership, std::int32_t team,
                                  const ResolvedRequest::Element& element, const CompiledKey& key) {
    if (membership < 0)
        return true;
    const CompiledMembership& row = m_ws.memberships()[static_cast<std::size_t>(membership)];
    if (!row.scoped)
        return true;
    return checkElement(element, m_ws.list(row.list), {nullptr, team, &key.aliases}).allowed;
}

bool Evaluator::teamGrants(std::int32_t team, const ResolvedRequest::Element& element,
                           const CompiledKey& key) {
    if (team < 0)
        return false; // a team LiteLLM cannot load grants nothing
    const CompiledTeam& row = m_ws.teams()[static_cast<std::size_t>(team)];
    if (row.blocked)
        return false;
    // The personal-key check passes no team aliases.
    const MatchContext context{nullptr, team, &key.aliases};
    if (!checkElement(element, m_ws.list(row.list), context).allowed &&
        (row.groupList < 0 || !checkElement(element, m_ws.list(row.groupList), context).allowed))
        return false;
    return true;
}

bool Evaluator::personalKeyTeamsLayer(const CompiledKey& key) {
    const Settings& settings = m_ws.workspace().settings;
    if (!key.hasUserId)
        return true;
    m_consulted |= bits(Dataset::Settings);
    if (!settings.personalKeyModelAccessFromTeams)
        return true;
    m_consulted |= bits(Dataset::Teams) | bits(Dataset::TeamMemberships) | bits(Dataset::Users);
    const CompiledUser* owner =
        key.user >= 0 ? &m_ws.users()[static_cast<std::size_t>(key.user)] : nullptr;
    if (owner && owner->proxyAdmin)
        return true;
    const bool intersection = settings.personalKeyMultiTeamAccess == MultiTeamAccess::Intersection;
    const QString ownerId = owner ? m_ws.workspace().users[key.user].id : QString();
    for (qsizetype i = 0; i < m_request->elements.size(); ++i) {
        bool granted = false;
        if (owner && !owner->teams.empty()) {
            granted = intersection;
            for (std::int32_t team : owner->teams) {
                const std::int32_t membership = m_ws.membershipIndex(team, ownerId);
                const bool teamGrantsIt =
                    teamGrants(team, m_request->elements[i], key) &&
                    memberScopeGrants(membership, team, m_request->elements[i], key);
                if (intersection && !teamGrantsIt) {
                    granted = false;
                    break;
                }
                if (!intersection && teamGrantsIt) {
                    granted = true;
                    break;
                }
            }
        }
        step(Stage::PersonalKeyTeams, granted ? Verdict::Allowed : Verdict::Denied,
             granted ? Rule::OwnerTeamsGrant : Rule::NoTeamGrants, key.user, -1,
             static_cast<std::uint8_t>(std::min<qsizetype>(i, 255)), m_request->elements[i].id);
        if (!granted) {
            deny(Layer::User);
            return false;
        }
    }
    return true;
}

bool Evaluator::projectLayer(const CompiledKey& key) {
    if (!key.hasProjectId)
        return true;
    m_consulted |= bits(Dataset::Projects);
    if (key.project < 0) {
        step(Stage::ProjectModels, Verdict::Skipped, Rule::NotApplicable);
        return true;
    }
    const CompiledProject& project = m_ws.projects()[static_cast<std::size_t>(key.project)];
    if (project.blocked) {
        step(Stage::ProjectBlocked, Verdict::Denied, Rule::Blocked, key.project);
        deny(Layer::Project);
        return false;
    }
    if (m_ws.list(project.list).empty) {
        step(Stage::ProjectModels, Verdict::Skipped, Rule::EmptyList, key.project, project.list);
        return true;
    }
    const MatchContext context{nullptr, -1, &key.aliases};
    if (checkAll(project.list, context, Stage::ProjectModels, key.project))
        return true;
    deny(Layer::Project);
    return false;
}

void Evaluator::run(const CompiledKey& key, std::int32_t keyIndex) {
    if (key.blocked) {
        step(Stage::KeyBlocked, Verdict::Denied, Rule::Blocked, keyIndex);
        deny(Layer::Key);
        return;
    }
    rewriteModel(key, keyIndex);
    if (!keyLayer(key, keyIndex))
        return;
    if (key.team >= 0) {
        if (!teamLayer(key) || !memberLayer(key))
            return;
    } else if (key.teamMissing) {
        if (!missingTeamLayer(keyIndex) || !memberLayer(key))
            return;
    } else {
        // User checks apply only to personal keys: a team key never consults user.models.
        if (!userLayer(key) || !personalKeyTeamsLayer(key))
            return;
    }
    projectLayer(key);
}

} // namespace

std::uint16_t evaluate(const CompiledWorkspace& ws, const ResolvedRequest& request,
                       const CompiledKey& key, std::int32_t keyIndex, Decision& decision) {
    Evaluator evaluator(ws, request, decision);
    evaluator.run(key, keyIndex);
    return evaluator.consulted();
}

} // namespace litescope::engine
