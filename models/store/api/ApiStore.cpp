#include "store/api/ApiStore.h"

#include "domain/TranslationContexts.h"
#include "store/WorkspaceEdits.h"
#include "store/api/ApiBulkWriter.h"
#include "store/api/ApiClient.h"
#include "store/api/ApiConversion.h"
#include "store/api/ApiReader.h"
#include "store/api/ApiRedaction.h"
#include "store/api/ApiTeamPages.h"
#include "store/api/ApiWriter.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

Error readOnlyError(const api::ApiClient& client) {
    return {ErrorKind::PermissionDenied,
            ApiText::tr("The connection to %1 is read-only; nothing was sent.")
                .arg(client.displayName())};
}

QCoro::Task<Result<StoreInfo>> openWith(std::shared_ptr<api::ApiClient> client,
                                        std::shared_ptr<StoreInfo> known) {
    if (Status usable = client->options().check(); !usable)
        co_return usable.error();
    QCoro::Task<Result<StoreInfo>> probing = api::probe(client);
    Result<StoreInfo> info = co_await std::move(probing);
    if (info)
        *known = *info;
    co_return info;
}

// Progress: "members", 1 of 2 once the team is read, 2 of 2 once its roster's users are.
QCoro::Task<Result<QList<TeamMember>>> membersWith(std::shared_ptr<api::ApiClient> client,
                                                   QString team) {
    QCoro::Task<Result<api::TeamInfo>> reading = api::readTeam(client, team);
    const Result<api::TeamInfo> info = co_await std::move(reading);
    if (!info)
        co_return info.error();
    client->call().report(u"members"_s, 1, 2);
    QCoro::Task<Result<QJsonArray>> lookup = api::readRosterUsers(client, *info);
    const Result<QJsonArray> users = co_await std::move(lookup);
    if (!users)
        co_return users.error();
    client->call().report(u"members"_s, 2, 2);
    const Result<Workspace> state = api::teamWorkspace(*info, *users);
    if (!state)
        co_return Error{ErrorKind::ServerError, state.error().message};
    co_return teamMembers(*state, state->teams.front());
}

QCoro::Task<BatchResult> applyWith(std::shared_ptr<api::ApiClient> client,
                                   std::shared_ptr<StoreInfo> known, LiteLLMProfile profile,
                                   QList<StoreEdit> edits, CallOptions options) {
    BatchResult batch;
    if (client->options().readOnly) {
        batch.error = readOnlyError(*client);
        batch.failedIndex = 0;
        co_return batch;
    }
    // From 1.103.0 consecutive member budget edits of one team go in one bulk_update call.
    bool bulk = profile.has(VersionedRule::MemberBulkEndpoint);
    for (qsizetype i = 0; i < edits.size();) {
        options.report(u"edits"_s, i, edits.size());
        if (options.isCancelled()) {
            batch.error = CallOptions::cancelledError();
            batch.failedIndex = i;
            co_return batch;
        }
        if (bulk && api::startsMemberRun(edits, i)) {
            QCoro::Task<api::MemberRun> running =
                api::applyMemberRun(client, edits, i, known->memberScopes, profile);
            api::MemberRun run = co_await std::move(running);
            if (run.sendSingly) {
                bulk = false; // nothing was sent: the rest of the batch goes one by one
                continue;
            }
            for (auto& [index, outcome] : run.applied) {
                batch.applied.append(std::move(outcome));
                batch.appliedIndexes.append(index);
            }
            if (run.error) {
                batch.error = std::move(run.error);
                batch.failedIndex = run.failedIndex;
                co_return batch;
            }
            i = run.next;
            continue;
        }
        QCoro::Task<Result<EditOutcome>> applying =
            api::applyEdit(client, edits.at(i), known->memberScopes, profile);
        Result<EditOutcome> outcome = co_await std::move(applying);
        if (!outcome) {
            batch.error = outcome.error();
            batch.failedIndex = i;
            co_return batch;
        }
        batch.applied.append(std::move(outcome).value());
        batch.appliedIndexes.append(i);
        ++i;
    }
    options.report(u"edits"_s, edits.size(), edits.size());
    co_return batch;
}

} // namespace

ApiStore::ApiStore(ApiConnectionOptions options)
    : m_client(std::make_shared<api::ApiClient>(std::move(options)))
    , m_info(std::make_shared<StoreInfo>())
    , m_teamPages(std::make_shared<api::TeamPageHints>()) {
    m_info->memberScopes = true;
}

ApiStore::~ApiStore() = default;

// Each call's task is named before it is handed on (GCC 12 double-destroys temporaries) and
// passes api::redacted on the way out.
QCoro::Task<Result<StoreInfo>> ApiStore::doOpen() {
    QCoro::Task<Result<StoreInfo>> opening = openWith(m_client, m_info);
    return api::redacted(m_client, std::move(opening));
}

QCoro::Task<Result<Workspace>> ApiStore::doSnapshot(CallOptions options) {
    std::shared_ptr<api::ApiClient> client = m_client->forCall(std::move(options));
    QCoro::Task<Result<Workspace>> reading = api::readSnapshot(client);
    return api::redacted(client, std::move(reading));
}

QCoro::Task<Result<Page<Team>>> ApiStore::doTeams(PageRequest page, CallOptions options) {
    std::shared_ptr<api::ApiClient> client = m_client->forCall(std::move(options));
    QCoro::Task<Result<Page<Team>>> reading = api::readTeamPage(client, m_teamPages, page);
    return api::redacted(client, std::move(reading));
}

QCoro::Task<Result<QList<TeamMember>>> ApiStore::doMembers(QString team, CallOptions options) {
    std::shared_ptr<api::ApiClient> client = m_client->forCall(std::move(options));
    QCoro::Task<Result<QList<TeamMember>>> reading = membersWith(client, std::move(team));
    return api::redacted(client, std::move(reading));
}

QCoro::Task<Status> ApiStore::doCheckEdit(StoreEdit edit) {
    if (m_client->options().readOnly)
        co_return readOnlyError(*m_client);
    if (std::optional<Error> refused =
            api::refusal(edit, m_info->memberScopes, profile(m_info->litellmVersion)))
        co_return *refused;
    co_return Done{};
}

QCoro::Task<BatchResult> ApiStore::doApply(QList<StoreEdit> edits, CallOptions options) {
    // Made before the call: arguments are evaluated in no set order, and `options` is moved.
    std::shared_ptr<api::ApiClient> client = m_client->forCall(options);
    QCoro::Task<BatchResult> applying = applyWith(client, m_info, profile(m_info->litellmVersion),
                                                  std::move(edits), std::move(options));
    return api::redacted(client, std::move(applying));
}

} // namespace litescope
