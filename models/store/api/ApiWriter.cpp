#include "store/api/ApiWriter.h"

#include "store/WorkspaceEditSupport.h"
#include "store/WorkspaceEdits.h"
#include "store/api/ApiConversion.h"
#include "store/api/ApiReader.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace litescope::api {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("ApiStore", text);
}

using Kind = StoreEdit::Kind;

bool isTeamEdit(Kind kind) {
    return kind != Kind::SetKeyModels;
}

// Edits the proxy cannot take: refused before anything is read or sent.
std::optional<Error> refusal(const StoreEdit& edit, bool memberScopes) {
    const bool needsScopes = edit.kind == Kind::SetMemberScope ||
                             edit.kind == Kind::SetDefaultMemberModels ||
                             (edit.kind == Kind::AddMember && edit.memberModels);
    if (needsScopes && !memberScopes)
        return Error{ErrorKind::Unsupported,
                     tr("This proxy is older than LiteLLM v1.83.14 and has no per-member model "
                        "scopes; nothing was changed.")};
    if (edit.kind == Kind::UpdateMember) {
        QStringList cleared;
        if (edit.maxBudget && !*edit.maxBudget)
            cleared.append(u"max_budget"_s);
        if (edit.tpmLimit && !*edit.tpmLimit)
            cleared.append(u"tpm_limit"_s);
        if (edit.rpmLimit && !*edit.rpmLimit)
            cleared.append(u"rpm_limit"_s);
        if (!cleared.isEmpty())
            return Error{ErrorKind::Unsupported,
                         tr("LiteLLM's /team/member_update cannot clear %1 (it reads an empty "
                            "value as \"leave unchanged\"); set a value instead, or make this "
                            "change through the database. Nothing was changed.")
                             .arg(cleared.join(u", "_s))};
    }
    return std::nullopt;
}

// As the roster names the member: LiteLLM matches user_id (or user_email) against
// members_with_roles.
QJsonObject memberIdentity(const edits::MemberRef& member) {
    if (member.rosterUserId)
        return {{u"user_id"_s, *member.rosterUserId}};
    return {{u"user_email"_s, member.rosterEmail.value_or(QString())}};
}

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
        withMember();
        body.insert(u"allowed_models"_s, QJsonArray::fromStringList(edit.models));
        return {u"/team/member_update"_s, body};
    case Kind::UpdateMember:
        withMember();
        if (edit.role)
            body.insert(u"role"_s, *edit.role);
        if (edit.maxBudget)
            body.insert(u"max_budget_in_team"_s, **edit.maxBudget);
        if (edit.tpmLimit)
            body.insert(u"tpm_limit"_s, static_cast<double>(**edit.tpmLimit));
        if (edit.rpmLimit)
            body.insert(u"rpm_limit"_s, static_cast<double>(**edit.rpmLimit));
        return {u"/team/member_update"_s, body};
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
    return Error{
        ErrorKind::Unsupported,
        tr("The proxy accepted the request but did not store allowed_models (it "
           "answered %1); it is probably older than LiteLLM v1.83.14.")
            .arg(stored.isUndefined() ? tr("without the field") : edits::shownJson(stored))};
}

QCoro::Task<Result<EditOutcome>> applyTeamEdit(std::shared_ptr<ApiClient> client, StoreEdit edit) {
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
    Result<EditOutcome> outcome = litescope::applyEdit(*state, local);
    if (!outcome)
        co_return outcome.error();
    const Request request = teamRequest(edit, teamId, member, state->teams.front());
    QCoro::Task<Result<QJsonValue>> sending = ApiClient::post(client, request.path, request.body);
    const Result<QJsonValue> answer = co_await std::move(sending);
    if (!answer)
        co_return answer.error();
    if (std::optional<Error> notStored = checkScopeStored(edit, *answer))
        co_return *notStored;
    co_return outcome;
}

QCoro::Task<Result<EditOutcome>> applyKeyEdit(std::shared_ptr<ApiClient> client, StoreEdit edit) {
    QCoro::Task<Result<QJsonObject>> reading = readKey(client, edit.key);
    const Result<QJsonObject> key = co_await std::move(reading);
    if (!key)
        co_return key.error();
    Result<Workspace> state = keyWorkspace(*key);
    if (!state)
        co_return Error{ErrorKind::ServerError, state.error().message};
    StoreEdit local = edit;
    local.key = state->keys.front().token;
    Result<EditOutcome> outcome = litescope::applyEdit(*state, local);
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
                                           bool memberScopes) {
    if (std::optional<Error> refused = refusal(edit, memberScopes))
        co_return *refused;
    if (isTeamEdit(edit.kind)) {
        QCoro::Task<Result<EditOutcome>> team = applyTeamEdit(client, edit);
        co_return co_await std::move(team);
    }
    QCoro::Task<Result<EditOutcome>> key = applyKeyEdit(client, edit);
    co_return co_await std::move(key);
}

} // namespace litescope::api
