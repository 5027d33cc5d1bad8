#pragma once

#include "domain/BoundedFile.h"
#include "store/Store.h"

#include <QString>

#include <memory>

namespace litescope {

class WorkspaceFileCache;

// The Store over a litescope workspace file (offline mode, demos, tests). Reads share the parsed
// file while it stays the same (WorkspaceFileCache): paging through teams reads it once, and a
// change made by another FileStore or another program is seen by the next call. apply() re-reads,
// applies the whole batch with applyEdit() and replaces the file atomically once, under a lock file
// beside it (`<path>.lock`) so concurrent writers cannot lose each other's edits. All file work
// runs on Qt's global thread pool. The file is read only when it is a regular file of at most
// `limit` bytes (readBoundedRegularFile).
class FileStore final : public Store {
public:
    FileStore(QString path, bool readOnly, qint64 limit = DefaultWorkspaceFileLimit);
    ~FileStore() override;

    const QString& path() const { return m_path; }
    bool isReadOnly() const { return m_readOnly; }
    // How often the file was read and parsed for reads (not for apply()), for tests.
    int fileReads() const;

protected:
    QCoro::Task<Result<StoreInfo>> doOpen() override;
    QCoro::Task<Result<Workspace>> doSnapshot(CallOptions options) override;
    QCoro::Task<Result<Page<Team>>> doTeams(PageRequest page, CallOptions options) override;
    QCoro::Task<Result<QList<TeamMember>>> doMembers(QString team, CallOptions options) override;
    QCoro::Task<BatchResult> doApply(QList<StoreEdit> edits, CallOptions options) override;
    QCoro::Task<Status> doCheckEdit(StoreEdit edit) override;

private:
    QString m_path;
    bool m_readOnly = false;
    qint64 m_limit;
    // Shared with the work in flight, which may outlive the store.
    std::shared_ptr<WorkspaceFileCache> m_cache;
};

} // namespace litescope
