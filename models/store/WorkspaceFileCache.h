#pragma once

#include "domain/BoundedFile.h"
#include "domain/Result.h"
#include "domain/Workspace.h"
#include "store/Operation.h"

#include <QString>

#include <atomic>
#include <memory>
#include <mutex>

namespace litescope {

// A workspace file as parsed, with its teams in team_id order: what FileStore's reads share.
struct ParsedWorkspace {
    Workspace workspace;
    QList<Team> teamsById;
};

// The parsed workspace of one file, kept while the file stays the same. The file is read again
// only when its identity changed: device, inode, size, modification or status-change time (a
// replaced file has a new inode, a rewritten one new times). A file modified within the last two
// seconds when it was read is never trusted from the cache: file times are coarser than writes
// (a few milliseconds), so an in-place rewrite of the same size right after the read would
// otherwise go unnoticed. Safe to use from several threads; one reads at a time.
class WorkspaceFileCache {
public:
    // Reads at most `limit` bytes of the file (readBoundedRegularFile).
    WorkspaceFileCache(QString path, qint64 limit);

    // The workspace as the file holds it now. While reading, checks `call` between chunks and
    // before parsing (Cancelled) and reports the phase "reading" in bytes.
    Result<std::shared_ptr<const ParsedWorkspace>> current(const CallOptions& call);

    // How often the file was read and parsed, for tests and diagnostics.
    int reads() const { return m_reads.load(); }

    struct Identity {
        qint64 device = 0;
        qint64 inode = 0;
        qint64 size = -1;
        qint64 modifiedNs = 0;
        qint64 changedNs = 0;
        bool operator==(const Identity&) const = default;
    };

private:
    Result<std::shared_ptr<const ParsedWorkspace>> read(const CallOptions& call);

    QString m_path;
    qint64 m_limit;
    std::mutex m_mutex;
    Identity m_identity;
    bool m_trusted = false; // the cached identity is old enough to be believed
    std::shared_ptr<const ParsedWorkspace> m_parsed;
    std::atomic<int> m_reads{0};
};

} // namespace litescope
