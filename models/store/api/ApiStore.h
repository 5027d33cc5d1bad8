#pragma once

#include "store/Store.h"
#include "store/api/ApiConnectionOptions.h"

#include <memory>

namespace litescope {

namespace api {
class ApiClient;
class TeamPageHints;
} // namespace api

// The Store over a LiteLLM proxy's admin REST API (Qt Network). Reads use the paged endpoints
// with fallbacks to older ones; edits use LiteLLM's own endpoints, so the proxy applies its own
// rules, caches and audit log. What the API does not show is marked unknown in a snapshot
// (source.unknown). Each call gets its own view of the client (ApiClient::forCall), which aborts
// its reads in flight when the call is cancelled or the store destroyed; coroutines hold it by
// shared pointer, so nothing of a destroyed store is touched.
class ApiStore final : public Store {
public:
    explicit ApiStore(ApiConnectionOptions options);
    ~ApiStore() override;

protected:
    QCoro::Task<Result<StoreInfo>> doOpen() override;
    QCoro::Task<Result<Workspace>> doSnapshot(CallOptions options) override;
    QCoro::Task<Result<Page<Team>>> doTeams(PageRequest page, CallOptions options) override;
    QCoro::Task<Result<QList<TeamMember>>> doMembers(QString team, CallOptions options) override;
    // In order, stopping at the first failure: the API has no transactions. The edits are
    // written as the release the proxy reports (or the admin's --litellm-version): from
    // LiteLLM 1.103.0 a member limit can be cleared, and consecutive member budget edits of one
    // team go in one bulk_update call (ApiBulkWriter.h).
    QCoro::Task<BatchResult> doApply(QList<StoreEdit> edits, CallOptions options) override;
    QCoro::Task<Status> doCheckEdit(StoreEdit edit) override;

private:
    std::shared_ptr<api::ApiClient> m_client;
    // What open() found (its litellmVersion is the proxy's, not the admin's); before it, member
    // scopes and the newest release are assumed.
    std::shared_ptr<StoreInfo> m_info;
    // Where the team pages handed out ended (ApiTeamPages.h).
    std::shared_ptr<api::TeamPageHints> m_teamPages;
};

} // namespace litescope
