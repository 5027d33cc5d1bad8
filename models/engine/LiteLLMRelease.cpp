#include "engine/LiteLLMRelease.h"

#include "domain/TranslationContexts.h"

#include <QRegularExpression>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

// The table. Each row cites the LiteLLM code that has the rule and the change that brought it;
// docs/ACCESS-ENGINE.md prints the same table for admins.
constexpr std::array<VersionedRuleInfo, versionedRuleCount> rules = {{
    {VersionedRule::KeyTeamRouterAliases,
     "key_team_router_aliases",
     {1, 97, 0},
     "PR #35486 (merged 2026-08-01, in 1.97.0)",
     "litellm/proxy/auth/user_api_key_auth.py: _resolve_router_settings_model_group_alias; "
     "proxy_server.py: ProxyConfig._get_hierarchical_router_settings",
     "a single requested model is rewritten through the key's router_settings.model_group_alias "
     "(the team's when the key has no router_settings) before every check"},
    {VersionedRule::MissingTeamRefused,
     "missing_team_refused",
     {1, 99, 0},
     "PR #37962 (in 1.99.0)",
     "litellm/proxy/auth/user_api_key_auth.py: _run_centralized_common_checks, "
     "_token_can_vouch_for_team",
     "a key whose team row is gone is refused (TeamNotFoundError) instead of being judged by its "
     "copy of the team; the dashboard's litellm-dashboard team is exempt"},
    {VersionedRule::ClaudeModelNames,
     "claude_model_names",
     {1, 102, 0},
     "PR #40515 (in 1.102.0)",
     "litellm/proxy/auth/user_api_key_auth.py: _normalize_claude_model; "
     "common_utils/model_listing_utils.py: claude_code_group_name",
     "a name the proxy does not route that starts with claude-router-<hex> or ends in [1m] is "
     "decoded or unmarked to the routed name before every check"},
    {VersionedRule::MemberUpdateMergePatch,
     "member_update_merge_patch",
     {1, 103, 0},
     "PR #41632 (in 1.103.0)",
     "litellm/proxy/management_endpoints/common_utils.py: member_budget_patch",
     "/team/member_update is a merge-patch: null clears a limit, an absent field keeps it"},
    {VersionedRule::MemberBudgetUnlink,
     "member_budget_unlink",
     {1, 103, 0},
     "PR #41632 (in 1.103.0)",
     "litellm/proxy/management_endpoints/common_utils.py: _upsert_budget_and_membership",
     "a member whose budget row would hold no limit (an empty allowed_models is none) is unlinked "
     "from it (budget_id NULL, the row kept) and falls back to the team's defaults"},
    {VersionedRule::MemberBulkEndpoint,
     "member_bulk_endpoint",
     {1, 103, 0},
     "PR #41632, audit PR #41686 (in 1.103.0)",
     "litellm/proxy/management_endpoints/management_v1/teams.py; "
     "management_helpers/bulk_team_member_budgets.py",
     "POST /management/v1/teams/{team_id}/members/bulk_update changes up to 500 members' budgets "
     "in one transaction with one audit row"},
}};

constexpr bool inRuleOrder() {
    for (std::size_t i = 0; i < rules.size(); ++i)
        if (static_cast<std::size_t>(rules[i].rule) != i)
            return false;
    return true;
}
static_assert(inRuleOrder(), "ruleInfo() indexes the table by VersionedRule");

constexpr LiteLLMVersion newest = {1, 103, 0};

std::uint16_t rulesOf(LiteLLMVersion version) {
    std::uint16_t bits = 0;
    for (const VersionedRuleInfo& row : rules)
        if (!(version < row.since))
            bits |= LiteLLMProfile::bit(row.rule);
    return bits;
}

} // namespace

std::optional<LiteLLMVersion> LiteLLMVersion::parse(QStringView text) {
    static const QRegularExpression pattern(
        u"^\\s*v?(\\d{1,4})\\.(\\d{1,4})(?:\\.(\\d{1,4}))?(?:[-.+_ ][0-9A-Za-z.+_-]*)?\\s*$"_s);
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    LiteLLMVersion v;
    v.major = match.capturedView(1).toInt();
    v.minor = match.capturedView(2).toInt();
    v.patch = match.capturedView(3).isEmpty() ? 0 : match.capturedView(3).toInt();
    return v;
}

QString LiteLLMVersion::toString() const {
    return u"%1.%2.%3"_s.arg(major).arg(minor).arg(patch);
}

std::span<const VersionedRuleInfo> versionedRules() {
    return rules;
}

const VersionedRuleInfo& ruleInfo(VersionedRule rule) {
    return rules[static_cast<std::size_t>(rule)];
}

LiteLLMVersion newestKnownRelease() {
    return newest;
}

LiteLLMProfile::LiteLLMProfile()
    : m_version(newest)
    , m_assumed(true)
    , m_rules(rulesOf(newest)) {}

LiteLLMProfile LiteLLMProfile::forVersion(LiteLLMVersion version) {
    LiteLLMProfile p;
    p.m_version = version;
    p.m_assumed = false;
    p.m_rules = rulesOf(version);
    return p;
}

LiteLLMProfile LiteLLMProfile::newestAssumed() {
    return {};
}

LiteLLMProfile LiteLLMProfile::fromSource(const QString& litellmVersion, bool assumed) {
    if (const std::optional<LiteLLMVersion> v = LiteLLMVersion::parse(litellmVersion)) {
        LiteLLMProfile p = forVersion(*v);
        p.m_assumed = assumed;
        return p;
    }
    return newestAssumed();
}

QString LiteLLMProfile::name() const {
    if (m_assumed)
        return EngineText::tr("LiteLLM %1, assumed").arg(m_version.toString());
    return EngineText::tr("LiteLLM %1").arg(m_version.toString());
}

} // namespace litescope
