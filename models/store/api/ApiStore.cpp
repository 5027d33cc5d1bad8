#include "store/api/ApiStore.h"

#include "store/WorkspaceEdits.h"
#include "store/api/ApiClient.h"
#include "store/api/ApiConversion.h"
#include "store/api/ApiReader.h"
#include "store/api/ApiWriter.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

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

QCoro::Task<Result<QList<TeamMember>>> membersWith(std::shared_ptr<api::ApiClient> client,
                                                   QString team) {
    QCoro::Task<Result<api::TeamInfo>> reading = api::readTeam(client, team);
    const Result<api::TeamInfo> info = co_await std::move(reading);
    if (!info)
        co_return info.error();
    QCoro::Task<Result<QJsonArray>> lookup = api::readRosterUsers(client, *info);
    const Result<QJsonArray> users = co_await std::move(lookup);
    if (!users)
        co_return users.error();
    const Result<Workspace> state = api::teamWorkspace(*info, *users);
    if (!state)
        co_return Error{ErrorKind::ServerError, state.error().message};
    co_return teamMembers(*state, state->teams.front());
}

QCoro::Task<Result<EditOutcome>> applyWith(std::shared_ptr<api::ApiClient> client,
                                           std::shared_ptr<StoreInfo> known, StoreEdit edit) {
    if (client->options().readOnly)
        co_return Error{ErrorKind::PermissionDenied,
                        QCoreApplication::translate(
                            "ApiStore", "The connection to %1 is read-only; nothing was sent.")
                            .arg(client->displayName())};
    QCoro::Task<Result<EditOutcome>> applying =
        api::applyEdit(client, std::move(edit), known->memberScopes);
    co_return co_await std::move(applying);
}

} // namespace

ApiStore::ApiStore(ApiConnectionOptions options)
    : m_client(std::make_shared<api::ApiClient>(std::move(options)))
    , m_info(std::make_shared<StoreInfo>()) {
    m_info->memberScopes = true;
}

ApiStore::~ApiStore() = default;

QCoro::Task<Result<StoreInfo>> ApiStore::open() {
    return openWith(m_client, m_info);
}

QCoro::Task<Result<Workspace>> ApiStore::snapshot() {
    return api::readSnapshot(m_client);
}

QCoro::Task<Result<Page<Team>>> ApiStore::teams(PageRequest page) {
    return api::readTeamPage(m_client, page);
}

QCoro::Task<Result<QList<TeamMember>>> ApiStore::members(QString team) {
    return membersWith(m_client, std::move(team));
}

QCoro::Task<Result<EditOutcome>> ApiStore::apply(StoreEdit edit) {
    return applyWith(m_client, m_info, std::move(edit));
}

} // namespace litescope
