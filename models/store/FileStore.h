#pragma once

#include "store/Store.h"

#include <QString>

namespace litescope {

// The Store over a litescope workspace file (offline mode, demos, tests). Every call reads the
// file afresh, so changes made by another FileStore or another program are seen; apply() re-reads,
// applies the whole batch with applyEdit() and replaces the file atomically once, under a lock file
// beside it
// (`<path>.lock`) so concurrent writers cannot lose each other's edits. All file work runs on
// Qt's global thread pool.
class FileStore final : public Store {
public:
    FileStore(QString path, bool readOnly);

    const QString& path() const { return m_path; }
    bool isReadOnly() const { return m_readOnly; }

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
};

} // namespace litescope
