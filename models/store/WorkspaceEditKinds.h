#pragma once

// Internal to the workspace edits: the team and key edits (WorkspaceTeamEdits.cpp) beside the
// member edits (WorkspaceEdits.cpp), and what both build their results with.
#include "domain/Result.h"
#include "domain/Workspace.h"
#include "store/StoreEdit.h"
#include "store/WorkspaceEdits.h"

#include <QJsonObject>
#include <QLatin1StringView>
#include <QList>
#include <QString>

namespace litescope::edits {

using Writes = QList<RowWrite>;

RowWrite teamWrite(const QString& teamId, QJsonObject columns);

EditOutcome outcome(QString summary, QString objectId, QJsonObject before, QJsonObject after,
                    QList<StoreEdit> undo);

// SetTeamModels (field "models") and SetDefaultMemberModels ("default_team_member_models").
Result<EditOutcome> setTeamList(Workspace& ws, const StoreEdit& edit, QLatin1StringView field,
                                Writes& writes);
Result<EditOutcome> setTeamAlias(Workspace& ws, const StoreEdit& edit, Writes& writes);
Result<EditOutcome> setTeamBlocked(Workspace& ws, const StoreEdit& edit, Writes& writes);
Result<EditOutcome> setKeyModels(Workspace& ws, const StoreEdit& edit, Writes& writes);

} // namespace litescope::edits
