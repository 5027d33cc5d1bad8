#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"
#include "engine/LiteLLMRelease.h"
#include "store/Store.h"
#include "store/StoreEdit.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace litescope {

// The one set of edit rules every store uses. Each edit changes an in-memory workspace exactly as
// LiteLLM's endpoints would change the database: the team's members_with_roles, the user's
// `teams`, the membership row and its budget are kept in step. Pure and synchronous (no I/O):
// the file store saves the result, the PostgreSQL store runs the rules on the rows the edit
// touches (read and locked in its transaction) and turns the recorded RowWrites into SQL, the
// admin API store runs them on what the API returned before it sends LiteLLM's own request, and
// the window's what-if preview runs them on its loaded workspace. On any error, including a
// failed `expected` check, `workspace` is left untouched.
//
// The rows are the ones `profile`'s release leaves (LiteLLMProfile): from LiteLLM 1.103.0 on, a
// scope or limits edit that would leave the member's budget row holding no limit (no max_budget,
// tpm_limit, rpm_limit or other limit LiteLLM counts, and an empty allowed_models) unlinks the
// member from the row instead (RowWrite::Kind::UnlinkMemberBudget); before, the row keeps the
// emptied values. Without a profile: the workspace's
// source.litellm_version, the newest rules when it has none.
Result<EditOutcome> applyEdit(Workspace& workspace, const StoreEdit& edit,
                              const LiteLLMProfile& profile);
Result<EditOutcome> applyEdit(Workspace& workspace, const StoreEdit& edit);

// One row change an edit makes, in LiteLLM's tables, in the order the rules made them.
struct RowWrite {
    enum class Kind {
        // LiteLLM_TeamTable row `teamId`: set `columns` (models, default_team_member_models,
        // team_alias ("" = none), blocked, members_with_roles).
        TeamColumns,
        // LiteLLM_UserTable: a new internal_user `userId`, user_email `columns.user_email`,
        // member of `teamId`.
        CreateUser,
        AddUserTeam,    // LiteLLM_UserTable.teams of `userId` gains `teamId`
        RemoveUserTeam, // and loses it
        // LiteLLM_TeamMembership (teamId, userId) goes; its budget row stays, as LiteLLM leaves it.
        DeleteMembership,
        // A new membership row (teamId, userId) with a new budget row: a copy of
        // `cloneBudgetId` (the team's default member budget) when set, else a fresh row holding
        // `columns` (allowed_models).
        NewMembership,
        // The member's own budget row gets `columns` (allowed_models, max_budget, tpm_limit,
        // rpm_limit; null clears a limit). A missing membership row or budget is created and a
        // budget row anything else also uses is copied first, so no one else's scope changes.
        // The copy is made for every release: LiteLLM before 1.103.0 changed a row shared with
        // the team's default or other members in place, silently changing their scopes too;
        // litescope never does.
        MemberBudget,
        // LiteLLM_TeamMembership (teamId, userId) is unlinked from its budget (`columns`:
        // budget_id, the row it was linked to): budget_id NULL, the budget row itself kept.
        // LiteLLM 1.103.0 and later do this when a member write would
        // leave the row holding no limit (VersionedRule::MemberBudgetUnlink); the member then
        // falls back to the team's defaults.
        UnlinkMemberBudget,
        // LiteLLM_VerificationToken row `token`: set `columns` (models).
        KeyColumns,
    };
    Kind kind = Kind::TeamColumns;
    QString teamId;
    QString userId;
    QString token;
    QJsonObject columns;
    std::optional<QString> cloneBudgetId;
};

struct RuledEdit {
    EditOutcome outcome;
    QList<RowWrite> writes;
};

// applyEdit, also saying which rows it wrote: for stores that write rows themselves.
Result<RuledEdit> applyEditWithWrites(Workspace& workspace, const StoreEdit& edit,
                                      const LiteLLMProfile& profile);
Result<RuledEdit> applyEditWithWrites(Workspace& workspace, const StoreEdit& edit);

// The index in `workspace.teams` of the team an admin named by team_id or team_alias. An alias
// shared by several teams is InvalidInput listing their ids.
Result<qsizetype> findTeam(const Workspace& workspace, const QString& idOrAlias);

// The refusals for a target that is missing, or named by an alias several rows share, in the rules'
// words: for a store that looks its targets up itself (the admin API) and must refuse as the
// others do. teamIds and tokens as stored.
Error teamNotFound(const QString& idOrAlias);
Error teamAliasShared(const QString& alias, const QStringList& teamIds);
Error teamAliasTaken(const QString& alias, const QString& otherTeamId);
Error keyNotFound(const QString& identifier);
Error keyAliasShared(const QString& alias, const QStringList& tokens);

// A team's roster joined with its membership rows, in roster order (what Store::members returns).
QList<TeamMember> teamMembers(const Workspace& workspace, const Team& team);

} // namespace litescope
