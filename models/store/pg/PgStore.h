#pragma once

#include "store/Store.h"
#include "store/pg/PgConnectionOptions.h"

#include <memory>

class QThreadPool;

namespace litescope {

class PgSession;

// The Store over a LiteLLM PostgreSQL database (libpqxx). All database work runs on one worker
// thread of the store's own, one operation at a time, so the calling (GUI) thread never blocks
// on the network. Coroutines hold the session and pool by shared pointer: a store destroyed while
// an operation is in flight leaves that operation to finish safely.
class PgStore final : public Store {
public:
    explicit PgStore(PgConnectionOptions options);
    ~PgStore() override;

protected:
    QCoro::Task<Result<StoreInfo>> doOpen() override;
    QCoro::Task<Result<Workspace>> doSnapshot(CallOptions options) override;
    QCoro::Task<Result<KeySlice>> doKeySnapshot(QString tokenOrAlias, CallOptions options) override;
    QCoro::Task<Result<Page<Team>>> doTeams(PageRequest page, CallOptions options) override;
    QCoro::Task<Result<QList<TeamMember>>> doMembers(QString team, CallOptions options) override;
    QCoro::Task<BatchResult> doApply(QList<StoreEdit> edits, CallOptions options) override;
    QCoro::Task<Status> doCheckEdit(StoreEdit edit) override;

private:
    std::shared_ptr<PgSession> m_session;
    std::shared_ptr<QThreadPool> m_pool;
};

} // namespace litescope
