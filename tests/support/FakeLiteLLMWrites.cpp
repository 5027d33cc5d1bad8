// The POST endpoints of the fake proxy: body validation as FastAPI/pydantic reports it, LiteLLM's
// errors, and the change to the Workspace that later reads show.

#include "support/FakeLiteLLMBody.h"
#include "support/FakeLiteLLMJson.h"
#include "support/FakeLiteLLMRoutes.h"

#include <QJsonArray>
#include <QUuid>

#include <optional>

using namespace Qt::StringLiterals;

namespace litescope::test {

namespace {

using namespace fakejson;

FakeReply badRequest(const QString& text) {
    return {400, proxyError(pythonErrorDict(text), u"bad_request_error"_s, u"None"_s, 400)};
}

// The member of `team` a member_update/member_delete body names, by user_id or else user_email.
qsizetype memberIndex(const Team& team, const std::optional<QString>& userId,
                      const std::optional<QString>& email) {
    for (qsizetype i = 0; i < team.membersWithRoles.size(); ++i) {
        const TeamMemberRole& member = team.membersWithRoles.at(i);
        if (userId ? member.userId == *userId : member.userEmail == email)
            return i;
    }
    return -1;
}

void setUserTeams(User& user, const QStringList& teams) {
    user.teams = teams;
}

} // namespace

const QHash<QString, FakeLiteLLMRoutes::Write>& FakeLiteLLMRoutes::writes() {
    static const QHash<QString, Write> table = {
        {u"/team/update"_s, &FakeLiteLLMRoutes::teamUpdate},
        {u"/team/member_add"_s, &FakeLiteLLMRoutes::teamMemberAdd},
        {u"/team/member_update"_s, &FakeLiteLLMRoutes::teamMemberUpdate},
        {u"/team/member_delete"_s, &FakeLiteLLMRoutes::teamMemberDelete},
        {u"/team/block"_s, &FakeLiteLLMRoutes::teamBlock},
        {u"/team/unblock"_s, &FakeLiteLLMRoutes::teamUnblock},
        {u"/key/update"_s, &FakeLiteLLMRoutes::keyUpdate},
    };
    return table;
}

FakeReply FakeLiteLLMRoutes::teamUpdate(const QJsonObject& body) {
    BodyReader r(body);
    const QString teamId = r.requiredString(u"team_id"_s);
    const auto alias = r.nullableString(u"team_alias"_s);
    const auto organization = r.nullableString(u"organization_id"_s);
    const auto models = r.stringList(u"models"_s);
    const auto defaults = r.stringList(u"default_team_member_models"_s);
    const auto blocked = r.boolean(u"blocked"_s);
    const auto accessGroups = r.stringList(u"access_group_ids"_s);
    const auto modelAliases = r.stringMap(u"model_aliases"_s);
    if (auto error = r.error())
        return *error;
    Team* team = findTeam(teamId);
    if (!team)
        return teamNotFound(teamId);

    if (alias)
        team->alias = alias->value_or(QString());
    if (organization) // "" unsets the organization, as null does
        team->organizationId = organization->value_or(QString()).isEmpty()
                                   ? std::nullopt
                                   : std::optional<QString>(**organization);
    team->models = models.value_or(team->models);
    team->defaultTeamMemberModels = defaults.value_or(team->defaultTeamMemberModels);
    team->blocked = blocked.value_or(team->blocked);
    team->accessGroupIds = accessGroups.value_or(team->accessGroupIds);
    team->modelAliases = modelAliases.value_or(team->modelAliases);
    return {200, QJsonObject{{u"team_id"_s, team->id}, {u"data"_s, teamObject(m_data, *team)}}};
}

FakeReply FakeLiteLLMRoutes::teamMemberAdd(const QJsonObject& body) {
    BodyReader r(body);
    const QString teamId = r.requiredString(u"team_id"_s);
    const auto allowedModels = r.stringList(u"allowed_models"_s);
    const auto maxBudget = r.number(u"max_budget_in_team"_s);
    const auto budgetDuration = r.string(u"budget_duration"_s);

    struct NewMember {
        std::optional<QString> userId;
        std::optional<QString> email;
        QString role;
    };
    QList<NewMember> requested;
    const QJsonValue member = body.value(u"member"_s);
    const QJsonArray members = member.isArray() ? member.toArray() : QJsonArray{member};
    if (r.isUnset(u"member"_s))
        r.requiredString(u"member"_s); // reports it missing
    for (qsizetype i = 0; !r.isUnset(u"member"_s) && i < members.size(); ++i) {
        QJsonArray location{u"body"_s, u"member"_s};
        if (member.isArray())
            location.append(i);
        BodyReader m(members.at(i).toObject(), location);
        if (!members.at(i).isObject()) {
            r.addIssues({validationIssue(u"model_attributes_type"_s, location,
                                         u"Input should be a valid dictionary or object to "
                                         u"extract fields from"_s,
                                         members.at(i))});
            continue;
        }
        NewMember added{m.string(u"user_id"_s), m.string(u"user_email"_s),
                        m.role(u"role"_s, true).value_or(QString())};
        m.requireUserIdOrEmail();
        r.addIssues(m.issues());
        requested.append(added);
    }
    if (auto error = r.error())
        return *error;
    Team* team = findTeam(teamId);
    if (!team)
        return teamNotFound(teamId);

    // Resolve every member before changing anything: one already in the team fails the call.
    QStringList existing;
    for (const TeamMemberRole& m : team->membersWithRoles)
        existing.append(m.userId.value_or(m.userEmail.value_or(QString())));
    for (NewMember& added : requested) {
        if (!added.userId) {
            for (const User& user : m_data.users) {
                if (user.email == added.email)
                    added.userId = user.id;
            }
        }
        if (added.userId && memberIndex(*team, added.userId, std::nullopt) >= 0) {
            return badRequest(u"User="_s + *added.userId +
                              u" already in team. Existing members="_s + pythonList(existing));
        }
    }

    QJsonArray updatedUsers;
    QJsonArray updatedMemberships;
    for (const NewMember& added : requested) {
        const QString userId =
            added.userId.value_or(QUuid::createUuid().toString(QUuid::WithoutBraces));
        User* user = findUser(userId);
        if (!user) {
            m_data.users.append(
                User{userId, added.email, u"internal_user"_s, {}, std::nullopt, {}});
            user = &m_data.users.last();
        }
        team->membersWithRoles.append(
            TeamMemberRole{userId, added.email ? added.email : user->email, added.role, {}});
        QStringList teams = userTeams(m_data, *user);
        if (!teams.contains(team->id))
            teams.append(team->id);
        setUserTeams(*user, teams);

        m_data.teamMemberships.removeIf([&](const TeamMembership& existingRow) {
            return existingRow.teamId == team->id && existingRow.userId == userId;
        });
        TeamMembership membership;
        membership.teamId = team->id;
        membership.userId = userId;
        membership.budgetId = nextBudgetId();
        membership.allowedModels = allowedModels.value_or(team->defaultTeamMemberModels);
        if (maxBudget)
            membership.maxBudget = maxBudget->toDouble();
        if (budgetDuration)
            membership.extra.insert(u"budget_duration"_s, *budgetDuration);
        m_data.teamMemberships.append(membership);
        updatedUsers.append(userObject(m_data, *user));
        updatedMemberships.append(membershipObject(membership));
    }
    QJsonObject reply = teamObject(m_data, *team);
    reply.insert(u"updated_users"_s, updatedUsers);
    reply.insert(u"updated_team_memberships"_s, updatedMemberships);
    return {200, reply};
}

FakeReply FakeLiteLLMRoutes::teamMemberUpdate(const QJsonObject& body) {
    BodyReader r(body);
    const QString teamId = r.requiredString(u"team_id"_s);
    const auto userId = r.string(u"user_id"_s);
    const auto email = r.string(u"user_email"_s);
    r.requireUserIdOrEmail();
    const auto role = r.role(u"role"_s, false);
    const auto maxBudget = r.number(u"max_budget_in_team"_s);
    const auto tpmLimit = r.number(u"tpm_limit"_s, true);
    const auto rpmLimit = r.number(u"rpm_limit"_s, true);
    const auto budgetDuration = r.string(u"budget_duration"_s);
    const auto allowedModels = r.stringList(u"allowed_models"_s);
    if (auto error = r.error())
        return *error;
    Team* team = findTeam(teamId);
    if (!team)
        return teamNotFound(teamId);
    const qsizetype index = memberIndex(*team, userId, email);
    if (index < 0)
        return badRequest(u"User id doesn't exist in team table"_s);

    TeamMemberRole& member = team->membersWithRoles[index];
    if (role) // "admin" needs an Enterprise licence; the fake has one
        member.role = *role;
    const QString resolvedId = member.userId.value_or(member.userEmail.value_or(QString()));
    // The echo below is the same in every release; what is stored differs.
    const auto orNull = [](const std::optional<QJsonValue>& v) {
        return v.value_or(QJsonValue(QJsonValue::Null));
    };
    const QJsonObject echo{
        {u"user_id"_s, resolvedId},
        {u"user_email"_s, optionalString(email)},
        {u"team_id"_s, team->id},
        {u"max_budget_in_team"_s, orNull(maxBudget)},
        {u"tpm_limit"_s, orNull(tpmLimit)},
        {u"rpm_limit"_s, orNull(rpmLimit)},
        {u"budget_duration"_s, optionalString(budgetDuration)},
        {u"allowed_models"_s,
         allowedModels ? QJsonValue(strings(*allowedModels)) : QJsonValue(QJsonValue::Null)},
    };
    if (has(VersionedRule::MemberUpdateMergePatch)) {
        // 1.103.0: a merge-patch (null clears), unlinking a member left without a limit.
        patchMemberBudget(*team, resolvedId, memberBudgetPatch(body));
        return {200, echo};
    }

    // Older releases: exclude_none, so a null changes nothing.
    const bool budgetChanges = maxBudget || tpmLimit || rpmLimit || budgetDuration || allowedModels;
    TeamMembership* membership = findMembership(team->id, resolvedId);
    if (budgetChanges && !membership) {
        TeamMembership created;
        created.teamId = team->id;
        created.userId = resolvedId;
        m_data.teamMemberships.append(created);
        membership = &m_data.teamMemberships.last();
    }
    if (budgetChanges && !membership->budgetId)
        membership->budgetId = nextBudgetId();
    if (maxBudget)
        membership->maxBudget =
            maxBudget->isDouble() ? std::optional(maxBudget->toDouble()) : std::nullopt;
    if (tpmLimit)
        membership->tpmLimit =
            tpmLimit->isDouble() ? std::optional(tpmLimit->toInteger()) : std::nullopt;
    if (rpmLimit)
        membership->rpmLimit =
            rpmLimit->isDouble() ? std::optional(rpmLimit->toInteger()) : std::nullopt;
    if (budgetDuration)
        membership->extra.insert(u"budget_duration"_s, *budgetDuration);
    if (allowedModels)
        membership->allowedModels = *allowedModels;

    // LiteLLM echoes the request, not the stored row: unset fields come back null.
    return {200, echo};
}

FakeReply FakeLiteLLMRoutes::teamMemberDelete(const QJsonObject& body) {
    BodyReader r(body);
    const QString teamId = r.requiredString(u"team_id"_s);
    const auto userId = r.string(u"user_id"_s);
    const auto email = r.string(u"user_email"_s);
    r.requireUserIdOrEmail();
    if (auto error = r.error())
        return *error;
    Team* team = findTeam(teamId);
    if (!team)
        return teamNotFound(teamId);
    const qsizetype index = memberIndex(*team, userId, email);
    if (index < 0)
        return badRequest(u"User not found in team"_s);

    const TeamMemberRole removed = team->membersWithRoles.takeAt(index);
    const QString removedId = removed.userId.value_or(QString());
    if (User* user = findUser(removedId)) {
        QStringList teams = userTeams(m_data, *user);
        teams.removeAll(team->id);
        setUserTeams(*user, teams);
    }
    m_data.teamMemberships.removeIf([&](const TeamMembership& membership) {
        return membership.teamId == team->id && membership.userId == removedId;
    });
    return {200, teamObject(m_data, *team)};
}

FakeReply FakeLiteLLMRoutes::teamBlock(const QJsonObject& body) {
    return setTeamBlocked(body, true);
}

FakeReply FakeLiteLLMRoutes::teamUnblock(const QJsonObject& body) {
    return setTeamBlocked(body, false);
}

FakeReply FakeLiteLLMRoutes::setTeamBlocked(const QJsonObject& body, bool blocked) {
    BodyReader r(body);
    const QString teamId = r.requiredString(u"team_id"_s);
    if (auto error = r.error())
        return *error;
    Team* team = findTeam(teamId);
    if (!team)
        return teamNotFound(teamId);
    team->blocked = blocked;
    return {200, teamObject(m_data, *team)};
}

FakeReply FakeLiteLLMRoutes::keyUpdate(const QJsonObject& body) {
    BodyReader r(body);
    const QString passed = r.requiredString(u"key"_s);
    const auto alias = r.nullableString(u"key_alias"_s);
    const auto teamId = r.nullableString(u"team_id"_s);
    const auto userId = r.nullableString(u"user_id"_s);
    const auto models = r.stringList(u"models"_s);
    const auto aliases = r.stringMap(u"aliases"_s);
    const auto accessGroups = r.stringList(u"access_group_ids"_s);
    const auto blocked = r.boolean(u"blocked"_s);
    if (auto error = r.error())
        return *error;
    Key* key = findKey(passed);
    if (!key) {
        return {404, proxyError(pythonErrorDict(u"Key not found, passed key="_s + passed),
                                u"not_found_error"_s, u"key"_s, 404)};
    }

    if (alias)
        key->alias = *alias;
    if (teamId)
        key->teamId = *teamId;
    if (userId)
        key->userId = *userId;
    key->models = models.value_or(key->models);
    key->aliases = aliases.value_or(key->aliases);
    key->accessGroupIds = accessGroups.value_or(key->accessGroupIds);
    key->blocked = blocked.value_or(key->blocked);
    return {200, keyObject(*key)};
}

} // namespace litescope::test
