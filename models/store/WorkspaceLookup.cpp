// Finding what an admin named (a team by id or alias, a team's members), and the refusals when a
// name matches nothing or several, in words every store uses.
#include "domain/TranslationContexts.h"
#include "store/WorkspaceEditSupport.h"
#include "store/WorkspaceEdits.h"

namespace litescope {

using namespace Qt::StringLiterals;
using namespace edits;

Result<qsizetype> findTeam(const Workspace& ws, const QString& idOrAlias) {
    if (idOrAlias.isEmpty())
        return Error::invalid(EditText::tr("no team given"));
    QStringList byAlias;
    for (qsizetype i = 0; i < ws.teams.size(); ++i) {
        if (ws.teams.at(i).id == idOrAlias)
            return i;
        if (ws.teams.at(i).alias == idOrAlias)
            byAlias.append(ws.teams.at(i).id);
    }
    if (byAlias.isEmpty())
        return teamNotFound(idOrAlias);
    if (byAlias.size() > 1)
        return teamAliasShared(idOrAlias, byAlias);
    for (qsizetype i = 0; i < ws.teams.size(); ++i) {
        if (ws.teams.at(i).id == byAlias.front())
            return i;
    }
    return teamNotFound(idOrAlias);
}

Error teamNotFound(const QString& idOrAlias) {
    return Error::notFound(
        EditText::tr("no team with team_id or team_alias %1").arg(shown(idOrAlias)));
}

Error teamAliasShared(const QString& alias, const QStringList& teamIds) {
    QStringList ids;
    for (const QString& id : teamIds)
        ids.append(shown(id));
    return Error::invalid(
        EditText::tr("team_alias %1 is used by %2 teams (team_id %3); name one by team_id")
            .arg(shown(alias), QString::number(teamIds.size()), ids.join(u", "_s)));
}

Error teamAliasTaken(const QString& alias, const QString& otherTeamId) {
    return Error::invalid(EditText::tr("team_alias %1 is already used by team %2; two teams with "
                                       "one alias cannot be told apart")
                              .arg(shown(alias), shown(otherTeamId)));
}

Error keyNotFound(const QString& identifier) {
    return Error::notFound(
        EditText::tr("no key with token, alias or raw key %1").arg(shownKeyIdentifier(identifier)));
}

Error keyAliasShared(const QString& alias, const QStringList& tokens) {
    QStringList shownTokens;
    for (const QString& token : tokens)
        shownTokens.append(shownKeyIdentifier(token));
    return Error::invalid(
        EditText::tr("key_alias %1 is used by %2 keys (%3); name one by its token")
            .arg(shown(alias), QString::number(tokens.size()), shownTokens.join(u", "_s)));
}

QList<TeamMember> teamMembers(const Workspace& ws, const Team& team) {
    QList<TeamMember> members;
    members.reserve(team.membersWithRoles.size());
    const RosterLookup lookup(ws, team.id);
    for (const TeamMemberRole& entry : team.membersWithRoles) {
        const MemberRef ref = refOf(lookup, entry);
        TeamMember member;
        member.userId = ref.userId.value_or(QString());
        member.email = ref.email;
        member.role = entry.role;
        if (const TeamMembership* m = lookup.membership(ref.userId)) {
            member.hasMembershipRow = true;
            member.budgetId = m->budgetId;
            member.allowedModels = m->allowedModels;
            member.maxBudget = m->maxBudget;
            member.tpmLimit = m->tpmLimit;
            member.rpmLimit = m->rpmLimit;
            member.spend = m->spend;
        }
        members.append(std::move(member));
    }
    return members;
}

} // namespace litescope
