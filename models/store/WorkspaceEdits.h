#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"
#include "store/Store.h"
#include "store/StoreEdit.h"

#include <QList>
#include <QString>

namespace litescope {

// Changes an in-memory workspace exactly as LiteLLM's endpoints would change the database: the
// team's members_with_roles, the user's `teams`, the membership row and its budget are kept in
// step. Pure and synchronous (no I/O), so the file store and the GUI's what-if previews share
// it. On any error, including a failed `expected` check, `workspace` is left untouched.
//
// A membership's budget lives in the workspace on the membership row: `allowed_models` is a
// known field, the limits are kept in its JSON as `max_budget`, `tpm_limit` and `rpm_limit`.
Result<EditOutcome> applyEdit(Workspace& workspace, const StoreEdit& edit);

// The index in `workspace.teams` of the team an admin named by team_id or team_alias. An alias
// shared by several teams is InvalidInput listing their ids.
Result<qsizetype> findTeam(const Workspace& workspace, const QString& idOrAlias);

// A team's roster joined with its membership rows, in roster order (what Store::members returns).
QList<TeamMember> teamMembers(const Workspace& workspace, const Team& team);

} // namespace litescope
