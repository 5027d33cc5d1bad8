#pragma once

#include "store/Store.h"

#include <QString>

namespace litescope {

// The Store over a litescope workspace file (offline mode, demos, tests). Every call reads the
// file afresh, so changes made by another FileStore or another program are seen; apply() re-reads,
// edits with applyEdit() and replaces the file atomically, under a lock file beside it
// (`<path>.lock`) so concurrent writers cannot lose each other's edits. All file work runs on
// Qt's global thread pool.
class FileStore final : public Store {
public:
    FileStore(QString path, bool readOnly);

    QCoro::Task<Result<StoreInfo>> open() override;
    QCoro::Task<Result<Workspace>> snapshot() override;
    QCoro::Task<Result<Page<Team>>> teams(PageRequest page) override;
    QCoro::Task<Result<QList<TeamMember>>> members(QString team) override;
    QCoro::Task<Result<EditOutcome>> apply(StoreEdit edit) override;

    const QString& path() const { return m_path; }
    bool isReadOnly() const { return m_readOnly; }

private:
    QString m_path;
    bool m_readOnly = false;
};

} // namespace litescope
