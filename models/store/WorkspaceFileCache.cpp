#include "store/WorkspaceFileCache.h"

#include "workspace/WorkspaceJson.h"

#include <QDateTime>
#include <QFile>

#include <algorithm>
#include <optional>
#include <sys/stat.h>

namespace litescope {

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 RacyWindowNs = qint64(2'000'000'000);

qint64 nanoseconds(const timespec& time) {
    return qint64(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

WorkspaceFileCache::Identity identityOf(const struct stat& st) {
    return {qint64(st.st_dev), qint64(st.st_ino), qint64(st.st_size), nanoseconds(st.st_mtim),
            nanoseconds(st.st_ctim)};
}

std::optional<WorkspaceFileCache::Identity> identityOf(const QString& path) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return std::nullopt;
    return identityOf(st);
}

std::optional<WorkspaceFileCache::Identity> identityOf(int descriptor) {
    struct stat st {};
    if (::fstat(descriptor, &st) != 0)
        return std::nullopt;
    return identityOf(st);
}

bool oldEnough(const WorkspaceFileCache::Identity& identity) {
    const qint64 now = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    const qint64 newest = std::max(identity.modifiedNs, identity.changedNs);
    return now - newest > RacyWindowNs;
}

} // namespace

WorkspaceFileCache::WorkspaceFileCache(QString path, qint64 limit)
    : m_path(std::move(path))
    , m_limit(limit) {}

Result<std::shared_ptr<const ParsedWorkspace>>
WorkspaceFileCache::current(const CallOptions& call) {
    std::lock_guard lock(m_mutex);
    if (m_parsed && m_trusted) {
        if (const std::optional<Identity> now = identityOf(m_path); now && *now == m_identity)
            return m_parsed;
    }
    m_parsed.reset();
    return read(call);
}

Result<std::shared_ptr<const ParsedWorkspace>> WorkspaceFileCache::read(const CallOptions& call) {
    std::optional<Identity> identity;
    FileReadHooks hooks;
    // The identity of what is read, not of whatever the path names a moment later.
    hooks.opened = [&identity](int descriptor) { identity = identityOf(descriptor); };
    hooks.progress = [&call](qint64 done, qint64 size) -> std::optional<Error> {
        if (call.isCancelled())
            return CallOptions::cancelledError();
        call.report(u"reading"_s, done, size);
        return std::nullopt;
    };
    Result<QByteArray> json = readBoundedRegularFile(m_path, m_limit, hooks);
    if (!json)
        return json.error();
    if (call.isCancelled())
        return CallOptions::cancelledError();
    Result<Workspace> ws = workspace::parseFileContents(m_path, std::move(json).value());
    if (!ws)
        return ws.error();
    auto parsed = std::make_shared<ParsedWorkspace>();
    parsed->teamsById = ws->teams;
    std::sort(parsed->teamsById.begin(), parsed->teamsById.end(),
              [](const Team& a, const Team& b) { return a.id < b.id; });
    parsed->workspace = std::move(ws).value();
    ++m_reads;
    if (identity) {
        m_identity = *identity;
        m_trusted = oldEnough(*identity);
        m_parsed = parsed;
    }
    if (call.isCancelled())
        return CallOptions::cancelledError();
    return std::shared_ptr<const ParsedWorkspace>(std::move(parsed));
}

} // namespace litescope
