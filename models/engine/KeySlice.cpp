#include "engine/KeySlice.h"

#include <QCryptographicHash>
#include <QSet>

namespace litescope {

namespace {

bool rosterNames(const Team& team, const QSet<QString>& users) {
    for (const TeamMemberRole& member : team.membersWithRoles)
        if (member.userId && users.contains(*member.userId))
            return true;
    return false;
}

} // namespace

QStringList keyLookupTokens(const QString& tokenOrAlias) {
    return {
        tokenOrAlias,
        QString::fromLatin1(
            QCryptographicHash::hash(tokenOrAlias.toUtf8(), QCryptographicHash::Sha256).toHex())};
}

QStringList ownersWithoutTeams(const Workspace& slice) {
    QStringList ids;
    for (const User& user : slice.users)
        if (!user.teams)
            ids.append(user.id);
    return ids;
}

QStringList sliceTeamIds(const Workspace& slice) {
    QStringList ids;
    QSet<QString> seen;
    const auto add = [&](const QString& id) {
        if (!seen.contains(id)) {
            seen.insert(id);
            ids.append(id);
        }
    };
    for (const Key& key : slice.keys)
        if (key.teamId)
            add(*key.teamId);
    for (const User& user : slice.users)
        if (user.teams)
            for (const QString& team : *user.teams)
                add(team);
    for (const TeamMembership& membership : slice.teamMemberships)
        add(membership.teamId);
    return ids;
}

KeySlice keySlice(const Workspace& whole, const QString& tokenOrAlias) {
    KeySlice slice;
    Workspace& ws = slice.workspace;
    // The small tables whole: any of them may decide any key.
    ws.source = whole.source;
    ws.settings = whole.settings;
    ws.proxyModels = whole.proxyModels;
    ws.modelGroupAlias = whole.modelGroupAlias;
    ws.modelProviders = whole.modelProviders;
    ws.accessGroups = whole.accessGroups;
    ws.organizations = whole.organizations;
    ws.projects = whole.projects;
    ws.extra = whole.extra;

    // Every key the lookup could pick, so that the engine's precedence (token, alias, raw key)
    // and its choice among keys sharing an alias stay its own.
    const QStringList tokens = keyLookupTokens(tokenOrAlias);
    QSet<QString> owners;
    for (qsizetype i = 0; i < whole.keys.size(); ++i) {
        const Key& key = whole.keys.at(i);
        const bool byAlias = key.alias && !key.alias->isEmpty() && *key.alias == tokenOrAlias;
        if (!byAlias && !tokens.contains(key.token))
            continue;
        ws.keys.append(key);
        slice.keyRows.append(i);
        if (key.userId)
            owners.insert(*key.userId);
    }
    for (const User& user : whole.users)
        if (owners.contains(user.id))
            ws.users.append(user);
    for (qsizetype i = 0; i < whole.teamMemberships.size(); ++i)
        if (owners.contains(whole.teamMemberships.at(i).userId)) {
            ws.teamMemberships.append(whole.teamMemberships.at(i));
            slice.membershipRows.append(i);
        }
    const QStringList teamIds = sliceTeamIds(ws);
    const QSet<QString> teams(teamIds.begin(), teamIds.end());
    const QStringList listless = ownersWithoutTeams(ws);
    const QSet<QString> rosterOwners(listless.begin(), listless.end());
    for (const Team& team : whole.teams)
        if (teams.contains(team.id) || rosterNames(team, rosterOwners))
            ws.teams.append(team);
    return slice;
}

} // namespace litescope
