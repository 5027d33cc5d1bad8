#pragma once

#include "domain/Workspace.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace litescope::edits {

// The users and a team's membership rows, indexed for a walk over the team's roster. A roster
// can list every user of the proxy, and the searches of WorkspaceEditSupport.h (userById,
// usersByEmail, membershipOf) per member made listing such a team cost members × users.
// Same answers as those searches.
class RosterLookup {
public:
    RosterLookup(const Workspace& ws, const QString& teamId);

    const User* userById(const QString& id) const;
    // Case-insensitive, in the workspace's order, as edits::usersByEmail.
    QList<const User*> usersByEmail(const QString& email) const;
    const TeamMembership* membership(const std::optional<QString>& userId) const;

    // Equal whenever QString::compare(…, Qt::CaseInsensitive) finds two texts equal: each UTF-16
    // unit folded as that comparison folds it. Public for its test.
    static QString caseKey(const QString& text);

private:
    QHash<QString, const User*> m_byId;
    QHash<QString, QList<const User*>> m_byEmail; // by caseKey
    QHash<QString, const TeamMembership*> m_memberships;
};

} // namespace litescope::edits
