#pragma once

#include "domain/Workspace.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace litescope {

// The part of a proxy the access engine reads to decide one key's requests, as LiteLLM's own
// auth reads it: the key's row, its team, the owner's user row, the owner's memberships and the
// teams they reach, plus every small table (settings, deployments, access groups, organizations,
// projects). Deciding on the slice gives the answer the whole workspace gives; a slice is what
// `check --key` reads from a database instead of every row of a big proxy.
struct KeySlice {
    Workspace workspace;
    // Where each of workspace.keys and workspace.teamMemberships sits in the whole workspace's
    // list: warnings name rows by their place in the whole (keys[1234].team_id). A database
    // counts the places of the rows a warning names only; -1 for the others.
    QList<qsizetype> keyRows;
    QList<qsizetype> membershipRows;
};

// The tokens a key lookup (CompiledWorkspace::keyIndex) may match: the text itself, and the
// SHA-256 hex LiteLLM stores for a raw "sk-…" key.
QStringList keyLookupTokens(const QString& tokenOrAlias);

// The slice of `whole` for the key `tokenOrAlias` names (a token, a raw key or an alias): every
// key it may name, so the lookup's precedence is the engine's, and what those keys reach. Rows
// keep the whole workspace's order. A name that matches no key gives a slice without keys.
KeySlice keySlice(const Workspace& whole, const QString& tokenOrAlias);

// Which teams a slice holds for its keys: the keys' teams, the teams the owners' user rows list,
// the teams of the owners' memberships. The reader adds the teams whose roster names an owner
// whose user row lists no teams (ownersWithoutTeams): only for such an owner does the engine read
// rosters to find a user's teams. keySlice and the PostgreSQL reader do it the same way.
QStringList sliceTeamIds(const Workspace& slice);
QStringList ownersWithoutTeams(const Workspace& slice);

} // namespace litescope
