#pragma once

#include <QString>
#include <QStringView>

#include <compare>
#include <cstdint>
#include <optional>
#include <span>

namespace litescope {

// A LiteLLM release, as /health/readiness, a workspace's source.litellm_version or an admin
// spells it: "1.99.0", "v1.99.0", "1.99.0-stable", "1.99.0.rc.2". Only the numbers count.
struct LiteLLMVersion {
    int major = 0;
    int minor = 0;
    int patch = 0;

    static std::optional<LiteLLMVersion> parse(QStringView text);
    QString toString() const;
    friend auto operator<=>(const LiteLLMVersion&, const LiteLLMVersion&) = default;
};

// Per-member allowed_models and default_team_member_models arrived in 1.83.14 (PR #24950): the
// oldest release whose member scopes litescope can read and edit.
inline constexpr LiteLLMVersion memberScopesRelease{1, 83, 14};

// A rule LiteLLM changed between releases. Everything else the engine and the edit rules follow
// is the same in every release they support (docs/ACCESS-ENGINE.md, "Version profiles").
enum class VersionedRule : std::uint8_t {
    KeyTeamRouterAliases,   // key/team router_settings.model_group_alias rewrite the model first
    MissingTeamRefused,     // a key whose team row is gone is refused, not judged by its copy
    ClaudeModelNames,       // claude-router-<hex> and "[1m]" names normalised before the checks
    MemberUpdateMergePatch, // /team/member_update: null clears a limit, an absent field keeps it
    MemberBudgetUnlink,     // a member whose budget row would hold no limit is unlinked from it
    MemberBulkEndpoint,     // POST /management/v1/teams/{id}/members/bulk_update
};

inline constexpr int versionedRuleCount = 6;

// One row of the table: when LiteLLM introduced the rule and the code that has it.
struct VersionedRuleInfo {
    VersionedRule rule;
    const char* id;       // stable name, as the CLI and the trail print it
    LiteLLMVersion since; // the first release with the rule
    const char* change;   // the pull request or release that introduced it
    const char* source;   // the LiteLLM function the rule follows
    const char* summary;  // what changed, in a line
};

// Every versioned rule, in VersionedRule order. The one place the differences between releases
// live.
std::span<const VersionedRuleInfo> versionedRules();
const VersionedRuleInfo& ruleInfo(VersionedRule rule);

// The newest release whose rules litescope knows; an unknown version is decided as this one.
LiteLLMVersion newestKnownRelease();

// The rules of one LiteLLM release. Built from what a source says about its proxy; a source that
// does not say is decided by the newest known rules and marked as assumed, like the other
// defaults a source cannot show (SourceInfo::assumed).
class LiteLLMProfile {
public:
    LiteLLMProfile(); // the newest known rules, assumed
    static LiteLLMProfile forVersion(LiteLLMVersion version);
    static LiteLLMProfile newestAssumed();
    // source.litellm_version: empty or unreadable = newest, assumed. `assumed`: the source names
    // a release only as a stand-in ("litellm_version" in source.assumed).
    static LiteLLMProfile fromSource(const QString& litellmVersion, bool assumed = false);

    bool has(VersionedRule rule) const { return (m_rules & bit(rule)) != 0; }
    bool assumed() const { return m_assumed; }
    LiteLLMVersion version() const { return m_version; }
    // "LiteLLM 1.97.2", or "LiteLLM 1.103.0, assumed" when the source does not say.
    QString name() const;

    static std::uint16_t bit(VersionedRule rule) {
        return static_cast<std::uint16_t>(1u << static_cast<unsigned>(rule));
    }

private:
    LiteLLMVersion m_version = {};
    bool m_assumed = true;
    std::uint16_t m_rules = 0;
};

} // namespace litescope
