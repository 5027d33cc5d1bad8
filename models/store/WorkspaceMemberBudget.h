#pragma once

// Internal to the workspace edits (WorkspaceEdits.cpp): when a member write leaves the member's
// budget row without a limit, LiteLLM 1.103.0 and later unlink the member from it
// (VersionedRule::MemberBudgetUnlink).
#include "domain/Workspace.h"
#include "engine/LiteLLMRelease.h"
#include "store/WorkspaceEdits.h"

#include <QLatin1StringView>
#include <QList>
#include <QString>

#include <array>
#include <optional>

namespace litescope::edits {

using namespace Qt::StringLiterals;

// The limits of LiteLLM's _TEAM_MEMBER_BUDGET_LIMIT_FIELDS
// (litellm/proxy/management_endpoints/common_utils.py) beyond the four a TeamMembership types
// (allowed_models, max_budget, tpm_limit, rpm_limit). A store that reads them from the budget row
// puts the ones set into TeamMembership::original; the edits never change them.
inline constexpr std::array<QLatin1StringView, 6> otherBudgetLimits = {
    "soft_budget"_L1,     "max_parallel_requests"_L1, "model_max_budget"_L1,
    "budget_duration"_L1, "temp_budget_increase"_L1,  "temp_budget_expiry"_L1,
};

// Whether the membership's budget row holds no limit, as _has_meaningful_budget_limit judges it:
// no value set, where an empty allowed_models (all team models) counts as none.
bool holdsNoLimit(const TeamMembership& membership);

// Unlinks membership `index` from its budget row, as LiteLLM 1.103.0+ disconnects it: budget_id
// NULL, the row itself kept (whoever else uses it keeps it), the member left to the team's
// defaults. Records the write when there was a row (its id in the write's columns, budget_id);
// returns that id.
std::optional<QString> unlinkBudget(Workspace& ws, qsizetype index, QList<RowWrite>& writes);

// Whether `profile`'s release unlinks a member whose membership the edit leaves as `changed`.
bool unlinks(const LiteLLMProfile& profile, const TeamMembership& changed);

// The tail of an edit's summary for an unlink from `budget` (none: nothing was linked). Budget
// ids are each store's own, so the outcome does not name the row (the audit row does).
QString unlinkedText(const std::optional<QString>& budget);

} // namespace litescope::edits
