#include "store/api/ApiWriter.h"

#include "domain/TranslationContexts.h"
#include "store/WorkspaceEditSupport.h"
#include "store/WorkspaceEdits.h"
#include "store/api/ApiConversion.h"
#include "store/api/ApiReader.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace litescope::api {

namespace {

using Kind = StoreEdit::Kind;

bool isTeamEdit(Kind kind) {
    return kind != Kind::SetKeyModels;
}

// The limits an UpdateMember edit clears, by LiteLLM field name.
QStringList clearedLimits(const StoreEdit& edit) {
    QStringList cleared;
    if (edit.kind != Kind::UpdateMember)
        return cleared;
    if (edit.maxBudget && !*edit.maxBudget)
        cleared.append(u"max_budget"_s);
    if (edit.tpmLimit && !*edit.tpmLimit)
        cleared.append(u"tpm_limit"_s);
    if (edit.rpmLimit && !*edit.rpmLimit)
        cleared.append(u"rpm_limit"_s);
    return cleared;
}

} // namespace

std::optional<Error> refusal(const StoreEdit& edit, bool memberScopes,
                             const LiteLLMProfile& profile) {
    const bool needsScopes = edit.kind == Kind::SetMemberScope ||
                             edit.kind == Kind::SetDefaultMemberModels ||
                             (edit.kind == Kind::AddMember && edit.memberModels);
    if (needsScopes && !memberScopes)
        return Error{
            ErrorKind::Unsupported,
            ApiText::tr("This proxy is older than LiteLLM v1.83.14 and has no per-member model "
                        "scopes; nothing was changed.")};
    const QStringList cleared = clearedLimits(edit);
    if (!cleared.isEmpty() && !profile.has(VersionedRule::MemberUpdateMergePatch))
        return Error{
            ErrorKind::Unsupported,
            ApiText::tr("%1's /team/member_update cannot clear %2 (it reads an empty value as "
                        "\"leave unchanged\"); LiteLLM %3 and newer can. Set a value instead, "
                        "or make this change through the database. Nothing was changed.")
                .arg(profile.name(), cleared.join(u", "_s),
                     ruleInfo(VersionedRule::MemberUpdateMergePatch).since.toString())};
    return std::nullopt;
}

bool isMemberBudgetEdit(const StoreEdit& edit) {
    return edit.kind == Kind::SetMemberScope || (edit.kind == Kind::UpdateMember && !edit.role);
}

QJsonObject memberBudgetFields(const StoreEdit& edit) {
    QJsonObject fields;
    if (edit.kind == Kind::SetMemberScope) {
        fields.insert(u"allowed_models"_s, QJsonArray::fromStringList(edit.models));
        return fields;
    }
    // null clears a limit: refusal() lets it through only to releases that read it so.
    if (edit.maxBudget)
        fields.insert(u"max_budget_in_team"_s,
                      *edit.maxBudget ? QJsonValue(**edit.maxBudget) : QJsonValue());
    if (edit.tpmLimit)
        fields.insert(u"tpm_limit"_s, *edit.tpmLimit
                                          ? QJsonValue(static_cast<double>(**edit.tpmLimit))
                                          : QJsonValue());
    if (edit.rpmLimit)
        fields.insert(u"rpm_limit"_s, *edit.rpmLimit
                                          ? QJsonValue(static_cast<double>(**edit.rpmLimit))
                                          : QJsonValue());
    return fields;
}

// As the roster names the member: LiteLLM matches user_id (or user_email) against
// members_with_roles.
QJsonObject memberIdentity(const edits::MemberRef& member) {
    if (member.rosterUserId)
        return {{u"user_id"_s, *member.rosterUserId}};
    return {{u"user_email"_s, member.rosterEmail.value_or(QString())}};
}

namespace {

// The request for an edit already applied to `after` (the team's state with the edit made).
struct Request {
    QString path;
    QJsonObject body;
};

Request teamRequest(const StoreEdit& edit, const QString& teamId,
                    const std::optional<edits::MemberRef>& member, const Team& after) {
    QJsonObject body{{u"team_id"_s, teamId}};
    const auto withMember = [&] {
        const QJsonObject identity = memberIdentity(*member);
        for (auto it = identity.constBegin(); it != identity.constEnd(); ++it)
            body.insert(it.key(), it.value());
    };
    switch (edit.kind) {
    case Kind::SetMemberScope:
    case Kind::UpdateMember: {
        withMember();
        if (edit.role)
            body.insert(u"role"_s, *edit.role);
        const QJsonObject fields = memberBudgetFields(edit);
        for (auto it = fields.constBegin(); it != fields.constEnd(); ++it)
            body.insert(it.key(), it.value());
        return {u"/team/member_update"_s, body};
    }
    case Kind::AddMember: {
        // The roster entry applyEdit added says who the new member is (an existing user by id,
        // then by email, else a new user), as /team/member_add resolves it.
        const TeamMemberRole& added = after.membersWithRoles.back();
        QJsonObject newMember{{u"role"_s, added.role}};
        if (added.userId)
            newMember.insert(u"user_id"_s, *added.userId);
        if (added.userEmail)
            newMember.insert(u"user_email"_s, *added.userEmail);
        body.insert(u"member"_s, newMember);
        if (edit.memberModels)
            body.insert(u"allowed_models"_s, QJsonArray::fromStringList(*edit.memberModels));
        return {u"/team/member_add"_s, body};
    }
    case Kind::RemoveMember:
        withMember();
        return {u"/team/member_delete"_s, body};
    case Kind::SetTeamModels:
        body.insert(u"models"_s, QJsonArray::fromStringList(edit.models));
        return {u"/team/update"_s, body};
    case Kind::SetDefaultMemberModels:
        body.insert(u"default_team_member_models"_s, QJsonArray::fromStringList(edit.models));
        return {u"/team/update"_s, body};
    case Kind::SetTeamAlias:
        body.insert(u"team_alias"_s, edit.alias);
        return {u"/team/update"_s, body};
    case Kind::SetTeamBlocked:
        return {edit.blocked ? u"/team/block"_s : u"/team/unblock"_s, body};
    case Kind::SetKeyModels:
        break;
    }
    return {};
}

// An older proxy answers /team/member_update without allowed_models (or ignores it): the scope
// was not stored, whatever the status says.
std::optional<Error> checkScopeStored(const StoreEdit& edit, const QJsonValue& answer) {
    if (edit.kind != Kind::SetMemberScope)
        return std::nullopt;
    const QJsonValue stored = answer.toObject().value(u"allowed_models"_s);
    const QStringList storedModels = edits::strings(stored);
    if ((stored.isArray() || stored.isNull()) && storedModels == edit.models)
        return std::nullopt;
    return Error{ErrorKind::Unsupported,
                 ApiText::tr("The proxy accepted the request but did not store allowed_models (it "
                             "answered %1); it is probably older than LiteLLM v1.83.14.")
                     .arg(stored.isUndefined() ? ApiText::tr("without the field")
                                               : edits::shownJson(stored))};
}

// A proxy that does not show its release is written to as the newest one: a limit it was asked
// to clear is read back, since a release before 1.103.0 answers 200 and ignores the null. The
// write was taken either way: a read-back that fails (or finds the member gone) proves nothing
// and is not reported as the edit failing.
QCoro::Task<std::optional<Error>> checkLimitsCleared(std::shared_ptr<ApiClient> client,
                                                     StoreEdit edit, QString teamId) {
    QCoro::Task<Result<TeamInfo>> reading = readTeam(client, teamId);
    const Result<TeamInfo> info = co_await std::move(reading);
    if (!info)
        co_return std::nullopt;
    QCoro::Task<Result<QJsonArray>> rosterLookup = readRosterUsers(client, *info);
    const Result<QJsonArray> rosterUsers = co_await std::move(rosterLookup);
    if (!rosterUsers)
        co_return std::nullopt;
    const Result<Workspace> state = teamWorkspace(*info, *rosterUsers);
    if (!state)
        co_return std::nullopt;
    const Team& team = state->teams.front();
    const Result<edits::MemberRef> member = edits::findMember(*state, team, edit.user);
    if (!member)
        co_return std::nullopt;
    const QJsonObject now = edits::memberState(*state, team, *member);
    QStringList kept;
    for (const QString& field : clearedLimits(edit)) {
        if (!now.value(field).isNull())
            kept.append(field);
    }
    if (kept.isEmpty())
        co_return std::nullopt;
    co_return Error{
        ErrorKind::Unsupported,
        ApiText::tr("The proxy took the request but kept %1: it does not show its release and is "
                    "older than LiteLLM %2, whose /team/member_update clears a limit sent as "
                    "null. The edit's other changes were made. Give --litellm-version with the "
                    "proxy's release so that such edits are refused before anything is sent.")
            .arg(kept.join(u", "_s),
                 ruleInfo(VersionedRule::MemberUpdateMergePatch).since.toString())};
}

QCoro::Task<Result<EditOutcome>> applyTeamEdit(std::shared_ptr<ApiClient> client, StoreEdit edit,
                                               LiteLLMProfile profile) {
    QCoro::Task<Result<TeamInfo>> reading = readTeam(client, edit.team);
    const Result<TeamInfo> info = co_await std::move(reading);
    if (!info)
        co_return info.error();
    QCoro::Task<Result<QJsonArray>> rosterLookup = readRosterUsers(client, *info);
    const Result<QJsonArray> rosterUsers = co_await std::move(rosterLookup);
    if (!rosterUsers)
        co_return rosterUsers.error();
    QJsonArray extraUsers = *rosterUsers;
    if (edit.kind == Kind::AddMember) {
        // member_add resolves an existing user by id, then by email: so does the check.
        for (const QString& identifier : {edit.user, edit.email.value_or(QString())}) {
            if (identifier.isEmpty())
                continue;
            QCoro::Task<Result<QJsonArray>> lookup = findUsers(client, identifier);
            const Result<QJsonArray> users = co_await std::move(lookup);
            if (!users)
                co_return users.error();
            for (const QJsonValue& user : *users)
                extraUsers.append(user);
        }
    }
    Result<Workspace> state = teamWorkspace(*info, extraUsers);
    if (!state)
        co_return Error{ErrorKind::ServerError, state.error().message};
    const QString teamId = state->teams.front().id;
    std::optional<edits::MemberRef> member;
    if (edit.kind == Kind::SetMemberScope || edit.kind == Kind::UpdateMember ||
        edit.kind == Kind::RemoveMember) {
        Result<edits::MemberRef> found = edits::findMember(*state, state->teams.front(), edit.user);
        if (!found)
            co_return found.error();
        member = *found;
    }
    if (edit.kind == Kind::SetTeamAlias && !edit.alias.isEmpty()) {
        // The rules refuse an alias another team has; this state holds only the edited team.
        QCoro::Task<Result<QStringList>> lookup = findTeamsByAlias(client, edit.alias);
        const Result<QStringList> holders = co_await std::move(lookup);
        if (!holders)
            co_return holders.error();
        for (const QString& holder : *holders) {
            if (holder != teamId)
                co_return teamAliasTaken(edit.alias, holder);
        }
    }
    StoreEdit local = edit;
    local.team = teamId;
    Result<EditOutcome> outcome = litescope::applyEdit(*state, local, profile);
    if (!outcome)
        co_return outcome.error();
    const Request request = teamRequest(edit, teamId, member, state->teams.front());
    QCoro::Task<Result<QJsonValue>> sending = ApiClient::post(client, request.path, request.body);
    const Result<QJsonValue> answer = co_await std::move(sending);
    if (!answer)
        co_return answer.error();
    if (std::optional<Error> notStored = checkScopeStored(edit, *answer))
        co_return *notStored;
    if (profile.assumed() && !clearedLimits(edit).isEmpty()) {
        QCoro::Task<std::optional<Error>> checking = checkLimitsCleared(client, edit, teamId);
        if (std::optional<Error> kept = co_await std::move(checking))
            co_return *kept;
    }
    co_return outcome;
}

QCoro::Task<Result<EditOutcome>> applyKeyEdit(std::shared_ptr<ApiClient> client, StoreEdit edit,
                                              LiteLLMProfile profile) {
    QCoro::Task<Result<QJsonObject>> reading = readKey(client, edit.key);
    const Result<QJsonObject> key = co_await std::move(reading);
    if (!key)
        co_return key.error();
    Result<Workspace> state = keyWorkspace(*key);
    if (!state)
        co_return Error{ErrorKind::ServerError, state.error().message};
    StoreEdit local = edit;
    local.key = state->keys.front().token;
    Result<EditOutcome> outcome = litescope::applyEdit(*state, local, profile);
    if (!outcome)
        co_return outcome.error();
    const QJsonObject body{{u"key"_s, local.key},
                           {u"models"_s, QJsonArray::fromStringList(edit.models)}};
    QCoro::Task<Result<QJsonValue>> sending = ApiClient::post(client, u"/key/update"_s, body);
    const Result<QJsonValue> answer = co_await std::move(sending);
    if (!answer)
        co_return answer.error();
    co_return outcome;
}

} // namespace

QCoro::Task<Result<EditOutcome>> applyEdit(std::shared_ptr<ApiClient> client, StoreEdit edit,
                                           bool memberScopes, LiteLLMProfile profile) {
    if (std::optional<Error> refused = refusal(edit, memberScopes, profile))
        co_return *refused;
    if (isTeamEdit(edit.kind)) {
        QCoro::Task<Result<EditOutcome>> team = applyTeamEdit(client, edit, profile);
        co_return co_await std::move(team);
    }
    QCoro::Task<Result<EditOutcome>> key = applyKeyEdit(client, edit, profile);
    co_return co_await std::move(key);
}

} // namespace litescope::api
