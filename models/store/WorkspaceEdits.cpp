// The one set of edit rules: the rows an edit leaves are the rows LiteLLM's /team/member_add,
// /team/member_update, /team/member_delete, /team/update and /key/update would leave
// (docs/litellm-schema.md §4). Each edit records the row writes it made (RowWrite) so the
// PostgreSQL store can make exactly those writes in SQL.
#include "store/WorkspaceEdits.h"

#include "domain/TranslationContexts.h"
#include "store/WorkspaceEditKinds.h"
#include "store/WorkspaceEditSupport.h"
#include "store/WorkspaceMemberBudget.h"

#include <QJsonArray>

#include <algorithm>
#include <optional>
#include <utility>

namespace litescope {

using namespace Qt::StringLiterals;

using namespace edits;

namespace edits {

RowWrite teamWrite(const QString& teamId, QJsonObject columns) {
    RowWrite w;
    w.kind = RowWrite::Kind::TeamColumns;
    w.teamId = teamId;
    w.columns = std::move(columns);
    return w;
}

EditOutcome outcome(QString summary, QString objectId, QJsonObject before, QJsonObject after,
                    QList<StoreEdit> undo) {
    EditOutcome o;
    o.summary = std::move(summary);
    o.objectId = std::move(objectId);
    o.before = std::move(before);
    o.after = std::move(after);
    o.undo = std::move(undo);
    return o;
}

} // namespace edits

namespace {

using Kind = RowWrite::Kind;

// ---- Row writes ---------------------------------------------------------------------------------

RowWrite memberWrite(Kind kind, const QString& teamId, const QString& userId,
                     QJsonObject columns = {}) {
    RowWrite w;
    w.kind = kind;
    w.teamId = teamId;
    w.userId = userId;
    w.columns = std::move(columns);
    return w;
}

QJsonArray rosterArray(const Team& team) {
    QJsonArray roster;
    for (const TeamMemberRole& entry : team.membersWithRoles)
        roster.append(rosterJson(entry));
    return roster;
}

RowWrite rosterWrite(const Team& team) {
    return teamWrite(team.id, {{u"members_with_roles"_s, rosterArray(team)}});
}

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
    const QString object = EditText::tr("team %1: member %2").arg(teamName(t), member->display());
    return MemberTarget{*team, std::move(member).value(), object};
}

Result<EditOutcome> setMemberScope(Workspace& ws, const StoreEdit& edit,
                                   const LiteLLMProfile& profile, Writes& writes) {
    if (std::optional<Error> error = checkModels(edit.models, allowedModelsField))
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
    const qsizetype index = membershipIndex(ws, teamId, *userId);
    const QStringList before =
        index >= 0 ? ws.teamMemberships.at(index).allowedModels : QStringList();
    QString unlinked;
    TeamMembership changed = index >= 0 ? ws.teamMemberships.at(index) : TeamMembership();
    changed.allowedModels = edit.models;
    if (index >= 0 && unlinks(profile, changed)) {
        unlinked = unlinkedText(unlinkBudget(ws, index, writes));
    } else if (index >= 0 || !edit.models.isEmpty()) {
        // [] without a membership row is already "all team models": no row is made for it.
        ownMembership(ws, teamId, *userId).allowedModels = edit.models;
        writes.append(memberWrite(Kind::MemberBudget, teamId, *userId,
                                  {{allowedModelsField, QJsonArray::fromStringList(edit.models)}}));
    }
    StoreEdit undo = StoreEdit::setMemberScope(teamId, *userId, before);
    undo.expect(allowedModelsField, QJsonArray::fromStringList(edit.models));
    return outcome(EditText::tr("%1: allowed_models %2 -> %3")
                           .arg(target->object, scopeText(before), scopeText(edit.models)) +
                       unlinked,
                   teamId, {{allowedModelsField, QJsonArray::fromStringList(before)}},
                   {{allowedModelsField, QJsonArray::fromStringList(edit.models)}}, {undo});
}

// A limit an UpdateMember edit sets, as stored (null clears it) and as an edit field.
template <typename T>
std::optional<QJsonValue> limitValue(const std::optional<std::optional<T>>& limit) {
    if (!limit)
        return std::nullopt;
    return *limit ? QJsonValue(**limit) : QJsonValue(QJsonValue::Null);
}

template <typename T>
std::optional<T> limitOf(const QJsonValue& value) {
    if (!value.isDouble())
        return std::nullopt;
    if constexpr (std::is_same_v<T, double>)
        return value.toDouble();
    else
        return value.toInteger();
}

Result<EditOutcome> updateMember(Workspace& ws, const StoreEdit& edit,
                                 const LiteLLMProfile& profile, Writes& writes) {
    if (std::optional<Error> error = checkRole(edit.role))
        return *error;
    if (std::optional<Error> error = checkLimits(edit))
        return *error;
    if (!edit.role && !edit.maxBudget && !edit.tpmLimit && !edit.rpmLimit)
        return Error::invalid(
            EditText::tr("nothing to update: give a role, max_budget, tpm_limit or "
                         "rpm_limit"));
    Result<MemberTarget> target = findMemberTarget(ws, edit);
    if (!target)
        return target.error();
    const MemberRef& member = target->member;
    const QString teamId = ws.teams.at(target->team).id;
    const QJsonObject current = memberState(ws, ws.teams.at(target->team), member);
    if (std::optional<Error> error = checkExpected(
            edit.expected, merged(teamState(ws.teams.at(target->team)), current), target->object))
        return *error;

    QList<std::pair<QLatin1StringView, QJsonValue>> limits;
    if (const auto value = limitValue(edit.maxBudget))
        limits.append({maxBudgetField, *value});
    if (const auto value = limitValue(edit.tpmLimit))
        limits.append({tpmLimitField, *value});
    if (const auto value = limitValue(edit.rpmLimit))
        limits.append({rpmLimitField, *value});
    // Clearing a limit of a member without a membership row changes nothing: no row is made.
    const bool setsALimit = std::any_of(limits.cbegin(), limits.cend(),
                                        [](const auto& limit) { return !limit.second.isNull(); });
    const bool hasRow = member.userId && membershipIndex(ws, teamId, *member.userId) >= 0;

    QJsonObject before, after;
    QStringList changes;
    StoreEdit undo = StoreEdit::updateMember(teamId, member.userId.value_or(edit.user));
    if (edit.role) {
        Team& team = ws.teams[target->team];
        for (TeamMemberRole& entry : team.membersWithRoles) {
            if (member.matches(entry))
                entry.role = *edit.role;
        }
        writes.append(rosterWrite(team));
        before[roleField] = member.role;
        after[roleField] = *edit.role;
        changes.append(EditText::tr("role %1 -> %2").arg(shown(member.role), *edit.role));
        undo.role = member.role;
        undo.expect(roleField, *edit.role);
    }
    const auto setLimits = [&limits](TeamMembership& m) {
        QJsonObject columns;
        for (const auto& [field, value] : limits) {
            if (field == maxBudgetField)
                m.maxBudget = limitOf<double>(value);
            else if (field == tpmLimitField)
                m.tpmLimit = limitOf<qint64>(value);
            else
                m.rpmLimit = limitOf<qint64>(value);
            columns.insert(field, value);
        }
        return columns;
    };
    std::optional<QString> unlinkedFrom;
    if (!limits.isEmpty() && (setsALimit || hasRow)) {
        const Result<QString> userId = membershipUserId(member, ws.teams.at(target->team));
        if (!userId)
            return userId.error();
        const qsizetype index = membershipIndex(ws, teamId, *userId);
        TeamMembership changed = index >= 0 ? ws.teamMemberships.at(index) : TeamMembership();
        setLimits(changed);
        if (index >= 0 && unlinks(profile, changed)) {
            unlinkedFrom = unlinkBudget(ws, index, writes);
        } else {
            const QJsonObject columns = setLimits(ownMembership(ws, teamId, *userId));
            writes.append(memberWrite(Kind::MemberBudget, teamId, *userId, columns));
        }
    }
    for (const auto& [field, value] : limits) {
        const QJsonValue old = current.value(field);
        before[field] = old;
        after[field] = value;
        changes.append(QString(field) + u' ' + shownLimit(old) + u" -> "_s + shownLimit(value));
        undo.expect(field, value);
        if (field == maxBudgetField)
            undo.maxBudget = limitOf<double>(old);
        else if (field == tpmLimitField)
            undo.tpmLimit = limitOf<qint64>(old);
        else
            undo.rpmLimit = limitOf<qint64>(old);
    }
    return outcome(target->object + u": "_s + changes.join(u", "_s) + unlinkedText(unlinkedFrom),
                   teamId, before, after, {undo});
}

// The new member's scope and budget, as /team/member_add resolves them.
void addMembership(Workspace& ws, const Team& team, const QString& userId, const StoreEdit& edit,
                   QStringList& scope, QString& source, Writes& writes) {
    scope = edit.memberModels.value_or(team.defaultTeamMemberModels);
    TeamMembership m;
    m.teamId = team.id;
    m.userId = userId;
    m.budgetId = freshId();
    if (!scope.isEmpty()) {
        if (!edit.memberModels)
            source = EditText::tr(" from default_team_member_models");
        m.allowedModels = scope;
        writes.append(memberWrite(Kind::NewMembership, team.id, userId,
                                  {{allowedModelsField, QJsonArray::fromStringList(scope)}}));
    } else if (team.defaultMemberBudget && !edit.memberModels) {
        // Without a scope of its own the member gets a copy of the team's default member budget.
        const MemberBudget& budget = *team.defaultMemberBudget;
        scope = budget.allowedModels;
        source = EditText::tr(" from the team's default member budget");
        m.allowedModels = budget.allowedModels;
        m.maxBudget = budget.maxBudget;
        m.tpmLimit = budget.tpmLimit;
        m.rpmLimit = budget.rpmLimit;
        RowWrite clone = memberWrite(Kind::NewMembership, team.id, userId);
        clone.cloneBudgetId = budget.budgetId;
        writes.append(std::move(clone));
    } else {
        return; // no membership row, as member_add leaves it
    }
    ws.teamMemberships.append(std::move(m));
}

Result<EditOutcome> addMember(Workspace& ws, const StoreEdit& edit, Writes& writes) {
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
        return Error::invalid(EditText::tr("no user given"));
    for (const std::optional<QString>& identifier : {std::optional(edit.user), edit.email}) {
        if (!identifier)
            continue;
        const Result<MemberRef> existing = findMember(ws, team, *identifier);
        if (existing)
            return Error::invalid(
                EditText::tr("user %1 is already a member of team %2 (role %3); nothing "
                             "was changed")
                    .arg(shown(*identifier), teamName(team), existing->role));
        if (existing.error().kind != ErrorKind::NotFound)
            return existing.error();
    }
    const QString object = EditText::tr("team %1").arg(teamName(team));
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
            return Error::invalid(
                EditText::tr("email %1 belongs to %2 users (user_id %3); name one by "
                             "user_id")
                    .arg(shown(edit.user))
                    .arg(byEmail.size())
                    .arg(ids.join(u", "_s)));
        }
        if (byEmail.size() == 1)
            user = byEmail.front();
    }
    const QString teamId = team.id;
    const QString userId = user ? user->id : edit.user;
    // A new user named by an email gets it as user_email too.
    std::optional<QString> email = user && user->email ? user->email : edit.email;
    if (!email && !user && edit.user.contains(u'@'))
        email = edit.user;
    const bool createsUser = !user;

    TeamMemberRole entry{userId, email, role, {}};
    const QJsonObject entryJson = rosterJson(entry);
    ws.teams[*teamIndex].membersWithRoles.append(std::move(entry));
    writes.append(rosterWrite(ws.teams.at(*teamIndex)));
    if (createsUser) {
        User created{userId, email, u"internal_user"_s, {}, QStringList{teamId}, {}};
        ws.users.append(std::move(created));
        writes.append(
            memberWrite(Kind::CreateUser, teamId, userId, {{u"user_email"_s, orNull(email)}}));
    } else {
        addUserTeam(*mutableUser(ws, userId), teamId);
        writes.append(memberWrite(Kind::AddUserTeam, teamId, userId));
    }
    // A membership row left behind by a tool that removed the member from the roster only: the
    // new membership starts afresh rather than with stale scope and limits.
    if (membershipIndex(ws, teamId, userId) >= 0) {
        ws.teamMemberships.removeIf(
            [&](const TeamMembership& m) { return m.teamId == teamId && m.userId == userId; });
        writes.append(memberWrite(Kind::DeleteMembership, teamId, userId));
    }
    QStringList scope;
    QString source;
    addMembership(ws, ws.teams.at(*teamIndex), userId, edit, scope, source, writes);

    QString summary =
        EditText::tr("%1: added member %2 (%3), allowed_models %4%5")
            .arg(object, shown(email.value_or(userId)), role, scopeText(scope), source);
    if (createsUser)
        summary += EditText::tr("; created user %1").arg(shown(userId));
    StoreEdit undo = StoreEdit::removeMember(teamId, userId);
    undo.expect(roleField, role);
    undo.expect(allowedModelsField, QJsonArray::fromStringList(scope));
    return outcome(
        summary, teamId, {{memberField, QJsonValue::Null}},
        {{memberField, entryJson}, {allowedModelsField, QJsonArray::fromStringList(scope)}},
        {undo});
}

// Adding the member back as they were: role, email, scope, then the limits.
QList<StoreEdit> readdEdits(const Team& team, const MemberRef& member, const TeamMembership* m) {
    StoreEdit add = StoreEdit::addMember(
        team.id, member.userId.value_or(member.rosterEmail.value_or(QString())));
    add.role = member.role;
    add.email = member.email;
    const QStringList scope = m ? m->allowedModels : QStringList();
    // An explicit [] only where a default would otherwise seed a scope the member did not have.
    if (!scope.isEmpty() || !team.defaultTeamMemberModels.isEmpty() || team.defaultMemberBudget)
        add.memberModels = scope;
    QList<StoreEdit> undo{add};
    if (m && (m->maxBudget || m->tpmLimit || m->rpmLimit)) {
        StoreEdit limits = StoreEdit::updateMember(team.id, *member.userId);
        if (m->maxBudget)
            limits.maxBudget = m->maxBudget;
        if (m->tpmLimit)
            limits.tpmLimit = m->tpmLimit;
        if (m->rpmLimit)
            limits.rpmLimit = m->rpmLimit;
        undo.append(limits);
    }
    return undo;
}

Result<EditOutcome> removeMember(Workspace& ws, const StoreEdit& edit, Writes& writes) {
    Result<MemberTarget> target = findMemberTarget(ws, edit);
    if (!target)
        return target.error();
    const MemberRef& member = target->member;
    Team& team = ws.teams[target->team];
    const QString teamId = team.id;
    const QJsonObject state = memberState(ws, team, member);
    if (std::optional<Error> error =
            checkExpected(edit.expected, merged(teamState(team), state), target->object))
        return *error;
    const TeamMembership* row = membershipOf(ws, teamId, member.userId);
    const QList<StoreEdit> undo = readdEdits(team, member, row);

    team.membersWithRoles.removeIf(
        [&member](const TeamMemberRole& entry) { return member.matches(entry); });
    writes.append(rosterWrite(team));
    if (member.userId) {
        const QString userId = *member.userId;
        if (row) {
            ws.teamMemberships.removeIf(
                [&](const TeamMembership& m) { return m.teamId == teamId && m.userId == userId; });
            writes.append(memberWrite(Kind::DeleteMembership, teamId, userId));
        }
        if (User* user = mutableUser(ws, userId)) {
            removeUserTeam(*user, teamId);
            writes.append(memberWrite(Kind::RemoveUserTeam, teamId, userId));
        }
    }
    QJsonObject before = state;
    before.remove(roleField); // the roster entry carries it
    before[memberField] = member.rosterEntry;
    return outcome(EditText::tr("%1: removed (%2), allowed_models was %3")
                       .arg(target->object, shown(member.role),
                            scopeText(strings(state.value(allowedModelsField)))),
                   teamId, before, {{memberField, QJsonValue::Null}}, undo);
}

Result<EditOutcome> dispatch(Workspace& ws, const StoreEdit& edit, const LiteLLMProfile& profile,
                             Writes& writes) {
    switch (edit.kind) {
    case StoreEdit::Kind::SetMemberScope:
        return setMemberScope(ws, edit, profile, writes);
    case StoreEdit::Kind::UpdateMember:
        return updateMember(ws, edit, profile, writes);
    case StoreEdit::Kind::AddMember:
        return addMember(ws, edit, writes);
    case StoreEdit::Kind::RemoveMember:
        return removeMember(ws, edit, writes);
    case StoreEdit::Kind::SetTeamModels:
        return setTeamList(ws, edit, modelsField, writes);
    case StoreEdit::Kind::SetDefaultMemberModels:
        return setTeamList(ws, edit, defaultMemberModelsField, writes);
    case StoreEdit::Kind::SetTeamAlias:
        return setTeamAlias(ws, edit, writes);
    case StoreEdit::Kind::SetTeamBlocked:
        return setTeamBlocked(ws, edit, writes);
    case StoreEdit::Kind::SetKeyModels:
        return setKeyModels(ws, edit, writes);
    }
    return Error::invalid(EditText::tr("unknown kind of edit"));
}

} // namespace

Result<RuledEdit> applyEditWithWrites(Workspace& workspace, const StoreEdit& edit,
                                      const LiteLLMProfile& profile) {
    // Edits work on a copy (cheap: Qt's lists share until written) so a failure half-way through
    // leaves the caller's workspace as it was.
    Workspace working = workspace;
    Writes writes;
    Result<EditOutcome> result = dispatch(working, edit, profile, writes);
    if (!result)
        return result.error();
    workspace = std::move(working);
    return RuledEdit{std::move(result).value(), std::move(writes)};
}

Result<RuledEdit> applyEditWithWrites(Workspace& workspace, const StoreEdit& edit) {
    return applyEditWithWrites(workspace, edit,
                               LiteLLMProfile::fromSource(workspace.source.litellmVersion));
}

Result<EditOutcome> applyEdit(Workspace& workspace, const StoreEdit& edit,
                              const LiteLLMProfile& profile) {
    Result<RuledEdit> ruled = applyEditWithWrites(workspace, edit, profile);
    if (!ruled)
        return ruled.error();
    return std::move(ruled->outcome);
}

Result<EditOutcome> applyEdit(Workspace& workspace, const StoreEdit& edit) {
    Result<RuledEdit> ruled = applyEditWithWrites(workspace, edit);
    if (!ruled)
        return ruled.error();
    return std::move(ruled->outcome);
}

} // namespace litescope
