#include "store/EditPreview.h"

#include "store/WorkspaceEditSupport.h"
#include "store/WorkspaceEdits.h"

#include <algorithm>

namespace litescope {

using namespace edits;

bool EditPreview::ok() const {
    return refusedCount() == 0;
}

qsizetype EditPreview::refusedCount() const {
    return std::count_if(results.cbegin(), results.cend(),
                         [](const Result<EditOutcome>& result) { return !result.ok(); });
}

EditPreview previewEdits(const Workspace& workspace, const QList<StoreEdit>& edits) {
    EditPreview preview{workspace, {}};
    preview.results.reserve(edits.size());
    for (const StoreEdit& edit : edits)
        preview.results.append(applyEdit(preview.workspace, edit));
    return preview;
}

namespace {

void expectFrom(StoreEdit& edit, const QJsonObject& state, const QList<QLatin1StringView>& fields) {
    for (const QLatin1StringView field : fields)
        edit.expected.insert(QString(field), state.value(field));
}

} // namespace

StoreEdit withExpected(const Workspace& workspace, StoreEdit edit) {
    using Kind = StoreEdit::Kind;
    if (edit.kind == Kind::SetKeyModels) {
        if (const Result<qsizetype> key = findKey(workspace, edit.key))
            expectFrom(edit, keyState(workspace.keys.at(*key)), {modelsField});
        return edit;
    }
    const Result<qsizetype> teamIndex = findTeam(workspace, edit.team);
    if (!teamIndex)
        return edit;
    const Team& team = workspace.teams.at(*teamIndex);
    const QJsonObject teamFields = teamState(team);
    switch (edit.kind) {
    case Kind::SetTeamModels:
        expectFrom(edit, teamFields, {modelsField});
        return edit;
    case Kind::SetDefaultMemberModels:
        expectFrom(edit, teamFields, {defaultMemberModelsField});
        return edit;
    case Kind::SetTeamAlias:
        expectFrom(edit, teamFields, {teamAliasField});
        return edit;
    case Kind::SetTeamBlocked:
        expectFrom(edit, teamFields, {blockedField});
        return edit;
    case Kind::AddMember:
        // A new member without a scope of its own takes the team's default member models.
        if (!edit.memberModels)
            expectFrom(edit, teamFields, {defaultMemberModelsField});
        return edit;
    case Kind::SetKeyModels:
        return edit;
    case Kind::SetMemberScope:
    case Kind::UpdateMember:
    case Kind::RemoveMember:
        break;
    }
    const Result<MemberRef> member = findMember(workspace, team, edit.user);
    if (!member)
        return edit;
    const QJsonObject memberFields = memberState(workspace, team, *member);
    if (edit.kind == Kind::SetMemberScope) {
        expectFrom(edit, memberFields, {allowedModelsField});
    } else if (edit.kind == Kind::RemoveMember) {
        expectFrom(edit, memberFields, {roleField, allowedModelsField});
    } else {
        if (edit.role)
            expectFrom(edit, memberFields, {roleField});
        if (edit.maxBudget)
            expectFrom(edit, memberFields, {maxBudgetField});
        if (edit.tpmLimit)
            expectFrom(edit, memberFields, {tpmLimitField});
        if (edit.rpmLimit)
            expectFrom(edit, memberFields, {rpmLimitField});
    }
    return edit;
}

} // namespace litescope
