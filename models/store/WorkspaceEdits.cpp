// The edit logic shared by every store that holds a whole workspace: the rows an edit leaves are
// the rows LiteLLM's /team/member_add, /team/member_update, /team/member_delete, /team/update and
// /key/update would leave (docs/litellm-schema.md §4).
#include "store/WorkspaceEdits.h"

#include "store/WorkspaceEditSupport.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

namespace litescope {

using namespace Qt::StringLiterals;

using namespace edits;

namespace {

// ---- The edits, each on a working copy --------------------------------------------------------

// The team and member an edit targets, with the object name for its messages.
struct MemberTarget {
    qsizetype team = -1;
    MemberRef member;
    QString object;
};

Result<MemberTarget> findMemberTarget(const Workspace& ws, const StoreEdit& edit) {
    const Result<qsizetype> team = findTeam(ws, edit.team);
    if (!team)
        return team.error();
    const Team& t = ws.teams.at(*team);
    Result<MemberRef> member = findMember(ws, t, edit.user);
    if (!member)
        return member.error();
    const QString object = u"team "_s + teamName(t) + u": member "_s + member->display();
    return MemberTarget{*team, std::move(member).value(), object};
}

Result<EditOutcome> setMemberScope(Workspace& ws, const StoreEdit& edit) {
    if (std::optional<Error> error = checkModels(edit.models, modelsField))
        return *error;
    Result<MemberTarget> target = findMemberTarget(ws, edit);
    if (!target)
        return target.error();
    const Team& team = ws.teams.at(target->team);
    if (std::optional<Error> error = checkExpected(
            edit.expected, merged(teamState(team), memberState(ws, team, target->member)),
            target->object))
        return *error;
    const Result<QString> userId = membershipUserId(target->member, team);
    if (!userId)
        return userId.error();

    const QString teamId = team.id;
    const TeamMembership* old = membershipOf(ws, teamId, *userId);
    const QStringList before = old ? old->allowedModels : QStringList();
    TeamMembership& m = ownMembership(ws, teamId, *userId);
    m.allowedModels = edit.models;
    return EditOutcome{target->object + u": allowed_models "_s + scopeText(before) + u" -> "_s +
                           scopeText(edit.models),
                       teamId,
                       {{allowedModelsField, QJsonArray::fromStringList(before)}},
                       {{allowedModelsField, QJsonArray::fromStringList(edit.models)}},
                       false,
                       {}};
}

Result<EditOutcome> updateMember(Workspace& ws, const StoreEdit& edit) {
    if (std::optional<Error> error = checkRole(edit.role))
        return *error;
    if (std::optional<Error> error = checkLimits(edit))
        return *error;
    if (!edit.role && !edit.maxBudget && !edit.tpmLimit && !edit.rpmLimit)
        return Error::invalid(
            u"nothing to update: give a role, max_budget, tpm_limit or rpm_limit"_s);
    Result<MemberTarget> target = findMemberTarget(ws, edit);
    if (!target)
        return target.error();
    const MemberRef& member = target->member;
    const QString teamId = ws.teams.at(target->team).id;
    const QJsonObject current = memberState(ws, ws.teams.at(target->team), member);
    if (std::optional<Error> error = checkExpected(
            edit.expected, merged(teamState(ws.teams.at(target->team)), current), target->object))
        return *error;

    // The limits given, as they will be stored (null clears one).
    QList<std::pair<QLatin1StringView, QJsonValue>> limits;
    if (edit.maxBudget)
        limits.append({maxBudgetField, *edit.maxBudget ? QJsonValue(**edit.maxBudget)
                                                       : QJsonValue(QJsonValue::Null)});
    if (edit.tpmLimit)
        limits.append({tpmLimitField, *edit.tpmLimit ? QJsonValue(**edit.tpmLimit)
                                                     : QJsonValue(QJsonValue::Null)});
    if (edit.rpmLimit)
        limits.append({rpmLimitField, *edit.rpmLimit ? QJsonValue(**edit.rpmLimit)
                                                     : QJsonValue(QJsonValue::Null)});
    // Clearing a limit of a member without a membership row changes nothing: no row is made.
    const bool setsALimit = std::any_of(limits.cbegin(), limits.cend(),
                                        [](const auto& limit) { return !limit.second.isNull(); });
    const bool hasRow = member.userId && membershipIndex(ws, teamId, *member.userId) >= 0;

    QJsonObject before, after;
    QStringList changes;
    if (!limits.isEmpty() && (setsALimit || hasRow)) {
        const Result<QString> userId = membershipUserId(member, ws.teams.at(target->team));
        if (!userId)
            return userId.error();
        TeamMembership& m = ownMembership(ws, teamId, *userId);
        for (const auto& [field, value] : limits)
            m.original[field] = value;
    }
    if (edit.role) {
        for (TeamMemberRole& entry : ws.teams[target->team].membersWithRoles) {
            if (member.matches(entry))
                entry.role = *edit.role;
        }
        before[roleField] = member.role;
        after[roleField] = *edit.role;
        changes.append(u"role "_s + shown(member.role) + u" -> "_s + *edit.role);
    }
    for (const auto& [field, value] : limits) {
        before[field] = current.value(field);
        after[field] = value;
        changes.append(QString(field) + u' ' + shownLimit(current.value(field)) + u" -> "_s +
                       shownLimit(value));
    }
    return EditOutcome{
        target->object + u": "_s + changes.join(u", "_s), teamId, before, after, false, {}};
}

Result<EditOutcome> addMember(Workspace& ws, const StoreEdit& edit) {
    const QString role = edit.role.value_or(u"user"_s);
    if (std::optional<Error> error = checkRole(role))
        return *error;
    if (edit.memberModels) {
        if (std::optional<Error> error = checkModels(*edit.memberModels, allowedModelsField))
            return *error;
    }
    const Result<qsizetype> teamIndex = findTeam(ws, edit.team);
    if (!teamIndex)
        return teamIndex.error();
    const Team& team = ws.teams.at(*teamIndex);
    if (edit.user.isEmpty())
        return Error::invalid(u"no user given"_s);
    for (const std::optional<QString>& identifier : {std::optional(edit.user), edit.email}) {
        if (!identifier)
            continue;
        const Result<MemberRef> existing = findMember(ws, team, *identifier);
        if (existing)
            return Error::invalid(u"user "_s + shown(*identifier) +
                                  u" is already a member of team "_s + teamName(team) +
                                  u" (role "_s + existing->role + u"); nothing was changed"_s);
        if (existing.error().kind != ErrorKind::NotFound)
            return existing.error();
    }
    const QString object = u"team "_s + teamName(team);
    if (std::optional<Error> error = checkExpected(edit.expected, teamState(team), object))
        return *error;

    // As /team/member_add: an existing user by id, then by email; otherwise a new internal user.
    const User* user = userById(ws, edit.user);
    if (!user) {
        const QList<const User*> byEmail = usersByEmail(ws, edit.user);
        if (byEmail.size() > 1) {
            QStringList ids;
            for (const User* u : byEmail)
                ids.append(shown(u->id));
            return Error::invalid(u"email "_s + shown(edit.user) + u" belongs to "_s +
                                  QString::number(byEmail.size()) + u" users (user_id "_s +
                                  ids.join(u", "_s) + u"); name one by user_id"_s);
        }
        if (byEmail.size() == 1)
            user = byEmail.front();
    }
    const QString teamId = team.id;
    const QString userId = user ? user->id : edit.user;
    // A new user named by an email gets it as user_email too, as in the PostgreSQL store.
    std::optional<QString> email = user && user->email ? user->email : edit.email;
    if (!email && !user && edit.user.contains(u'@'))
        email = edit.user;
    const bool createsUser = !user;
    const bool fromDefault = !edit.memberModels;
    const QStringList scope = edit.memberModels.value_or(team.defaultTeamMemberModels);

    TeamMemberRole entry{userId, email, role, {}};
    const QJsonObject entryJson = rosterJson(entry);
    ws.teams[*teamIndex].membersWithRoles.append(std::move(entry));
    if (createsUser) {
        ws.users.append(User{userId, email, u"internal_user"_s, {}, {}});
        addUserTeam(ws.users.back(), teamId);
    } else {
        addUserTeam(*mutableUser(ws, userId), teamId);
    }
    // member_add makes a membership row only for a scope; a row left behind by an earlier
    // membership would otherwise scope the new member with stale models.
    if (!scope.isEmpty() || membershipIndex(ws, teamId, userId) >= 0)
        ownMembership(ws, teamId, userId).allowedModels = scope;

    QString summary = object + u": added member "_s + shown(email.value_or(userId)) + u" ("_s +
                      role + u"), allowed_models "_s + scopeText(scope);
    if (fromDefault && !scope.isEmpty())
        summary += u" from default_team_member_models"_s;
    if (createsUser)
        summary += u"; created user "_s + shown(userId);
    return EditOutcome{
        summary,
        teamId,
        {{memberField, QJsonValue::Null}},
        {{memberField, entryJson}, {allowedModelsField, QJsonArray::fromStringList(scope)}},
        false,
        {}};
}

Result<EditOutcome> removeMember(Workspace& ws, const StoreEdit& edit) {
    Result<MemberTarget> target = findMemberTarget(ws, edit);
    if (!target)
        return target.error();
    const MemberRef& member = target->member;
    const QString teamId = ws.teams.at(target->team).id;
    const QJsonObject state = memberState(ws, ws.teams.at(target->team), member);
    if (std::optional<Error> error = checkExpected(
            edit.expected, merged(teamState(ws.teams.at(target->team)), state), target->object))
        return *error;

    QList<TeamMemberRole>& roster = ws.teams[target->team].membersWithRoles;
    roster.removeIf([&member](const TeamMemberRole& entry) { return member.matches(entry); });
    if (member.userId) {
        const QString userId = *member.userId;
        ws.teamMemberships.removeIf(
            [&](const TeamMembership& m) { return m.teamId == teamId && m.userId == userId; });
        if (User* user = mutableUser(ws, userId))
            removeUserTeam(*user, teamId);
    }
    QJsonObject before = state;
    before.remove(roleField); // the roster entry carries it
    before[memberField] = member.rosterEntry;
    return EditOutcome{target->object + u": removed ("_s + member.role +
                           u"), allowed_models was "_s +
                           scopeText(strings(state.value(allowedModelsField))),
                       teamId,
                       before,
                       {{memberField, QJsonValue::Null}},
                       false,
                       {}};
}

// The team edits differ only in the field they set and how the change reads.
// set(Team&); describe(const QJsonValue& before) -> QString, the part after "team X: ".
template <typename Set, typename Describe>
Result<EditOutcome> editTeam(Workspace& ws, const StoreEdit& edit, QLatin1StringView field,
                             const QJsonValue& value, Set set, Describe describe) {
    const Result<qsizetype> index = findTeam(ws, edit.team);
    if (!index)
        return index.error();
    Team& team = ws.teams[*index];
    const QString object = u"team "_s + teamName(team);
    const QJsonObject state = teamState(team);
    if (std::optional<Error> error = checkExpected(edit.expected, state, object))
        return *error;
    set(team);
    return EditOutcome{object + u": "_s + describe(state.value(field)),
                       team.id,
                       {{field, state.value(field)}},
                       {{field, value}},
                       false,
                       {}};
}

Result<EditOutcome> setTeamList(Workspace& ws, const StoreEdit& edit, QLatin1StringView field) {
    if (std::optional<Error> error = checkModels(edit.models, field))
        return *error;
    const bool teamModels = field == modelsField;
    // [] in team models lets the team use every proxy model; an empty default scopes nobody.
    const auto text = [teamModels](const QStringList& models) -> QString {
        if (!models.isEmpty())
            return shownList(models);
        return teamModels ? u"[] (all proxy models)"_s : u"[] (none)"_s;
    };
    return editTeam(
        ws, edit, field, QJsonArray::fromStringList(edit.models),
        [&](Team& team) {
            (teamModels ? team.models : team.defaultTeamMemberModels) = edit.models;
        },
        [&](const QJsonValue& before) -> QString {
            return QString(field) + u' ' + text(strings(before)) + u" -> "_s + text(edit.models);
        });
}

Result<EditOutcome> setTeamAlias(Workspace& ws, const StoreEdit& edit) {
    const Result<qsizetype> index = findTeam(ws, edit.team);
    if (!index)
        return index.error();
    const QString teamId = ws.teams.at(*index).id;
    for (const Team& other : std::as_const(ws.teams)) {
        if (!edit.alias.isEmpty() && other.alias == edit.alias && other.id != teamId)
            return Error::invalid(u"team_alias "_s + shown(edit.alias) +
                                  u" is already used by team "_s + shown(other.id) +
                                  u"; two teams with one alias cannot be told apart"_s);
    }
    return editTeam(
        ws, edit, teamAliasField, edit.alias, [&](Team& team) { team.alias = edit.alias; },
        [&](const QJsonValue& before) -> QString {
            return u"team_alias "_s + shownJson(before) + u" -> "_s + shownJson(edit.alias);
        });
}

Result<EditOutcome> setTeamBlocked(Workspace& ws, const StoreEdit& edit) {
    return editTeam(
        ws, edit, blockedField, edit.blocked, [&](Team& team) { team.blocked = edit.blocked; },
        [&](const QJsonValue& before) -> QString {
            return u"blocked "_s + shownJson(before) + u" -> "_s + shownJson(edit.blocked);
        });
}

Result<EditOutcome> setKeyModels(Workspace& ws, const StoreEdit& edit) {
    if (std::optional<Error> error = checkModels(edit.models, modelsField))
        return *error;
    const Result<qsizetype> index = findKey(ws, edit.key);
    if (!index)
        return index.error();
    Key& key = ws.keys[*index];
    const QString object = u"key "_s + keyName(key);
    if (std::optional<Error> error = checkExpected(edit.expected, keyState(key), object))
        return *error;
    const QStringList before = key.models;
    key.models = edit.models;
    const auto text = [](const QStringList& models) -> QString {
        return models.isEmpty() ? u"[] (no key restriction)"_s : shownList(models);
    };
    return EditOutcome{object + u": models "_s + text(before) + u" -> "_s + text(edit.models),
                       key.token,
                       {{modelsField, QJsonArray::fromStringList(before)}},
                       {{modelsField, QJsonArray::fromStringList(edit.models)}},
                       false,
                       {}};
}

Result<EditOutcome> dispatch(Workspace& ws, const StoreEdit& edit) {
    switch (edit.kind) {
    case StoreEdit::Kind::SetMemberScope:
        return setMemberScope(ws, edit);
    case StoreEdit::Kind::UpdateMember:
        return updateMember(ws, edit);
    case StoreEdit::Kind::AddMember:
        return addMember(ws, edit);
    case StoreEdit::Kind::RemoveMember:
        return removeMember(ws, edit);
    case StoreEdit::Kind::SetTeamModels:
        return setTeamList(ws, edit, modelsField);
    case StoreEdit::Kind::SetDefaultMemberModels:
        return setTeamList(ws, edit, defaultMemberModelsField);
    case StoreEdit::Kind::SetTeamAlias:
        return setTeamAlias(ws, edit);
    case StoreEdit::Kind::SetTeamBlocked:
        return setTeamBlocked(ws, edit);
    case StoreEdit::Kind::SetKeyModels:
        return setKeyModels(ws, edit);
    }
    return Error::invalid(u"unknown kind of edit"_s);
}

} // namespace

Result<qsizetype> findTeam(const Workspace& ws, const QString& idOrAlias) {
    if (idOrAlias.isEmpty())
        return Error::invalid(u"no team given"_s);
    QList<qsizetype> byAlias;
    for (qsizetype i = 0; i < ws.teams.size(); ++i) {
        if (ws.teams.at(i).id == idOrAlias)
            return i;
        if (ws.teams.at(i).alias == idOrAlias)
            byAlias.append(i);
    }
    if (byAlias.size() == 1)
        return byAlias.front();
    if (byAlias.isEmpty())
        return Error::notFound(u"no team with team_id or team_alias "_s + shown(idOrAlias));
    QStringList ids;
    for (const qsizetype i : byAlias)
        ids.append(shown(ws.teams.at(i).id));
    return Error::invalid(u"team_alias "_s + shown(idOrAlias) + u" is used by "_s +
                          QString::number(byAlias.size()) + u" teams (team_id "_s +
                          ids.join(u", "_s) + u"); name one by team_id"_s);
}

QList<TeamMember> teamMembers(const Workspace& ws, const Team& team) {
    QList<TeamMember> members;
    members.reserve(team.membersWithRoles.size());
    for (const TeamMemberRole& entry : team.membersWithRoles) {
        const MemberRef ref = refOf(ws, entry);
        TeamMember member;
        member.userId = ref.userId.value_or(QString());
        member.email = ref.email;
        member.role = entry.role;
        if (const TeamMembership* m = membershipOf(ws, team.id, ref.userId)) {
            member.hasMembershipRow = true;
            member.budgetId = m->budgetId;
            member.allowedModels = m->allowedModels;
            const QJsonValue budget = m->original.value(maxBudgetField);
            if (budget.isDouble())
                member.maxBudget = budget.toDouble();
            const QJsonValue tpm = m->original.value(tpmLimitField);
            if (tpm.isDouble())
                member.tpmLimit = tpm.toInteger();
            const QJsonValue rpm = m->original.value(rpmLimitField);
            if (rpm.isDouble())
                member.rpmLimit = rpm.toInteger();
            member.spend = m->original.value(u"spend"_s).toDouble(0);
        }
        members.append(std::move(member));
    }
    return members;
}

Result<EditOutcome> applyEdit(Workspace& workspace, const StoreEdit& edit) {
    // Edits work on a copy (cheap: Qt's lists share until written) so a failure half-way through
    // leaves the caller's workspace as it was.
    Workspace working = workspace;
    Result<EditOutcome> outcome = dispatch(working, edit);
    if (outcome)
        workspace = std::move(working);
    return outcome;
}

} // namespace litescope
