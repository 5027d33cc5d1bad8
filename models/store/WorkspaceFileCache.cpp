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

// Big enough that reading is not slowed down, small enough that a cancel is noticed at once.
constexpr qint64 ChunkSize = qint64(4) << 20;
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

WorkspaceFileCache::WorkspaceFileCache(QString path)
    : m_path(std::move(path)) {}

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
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return workspace::readError(m_path, file);
    // The identity of what is read, not of whatever the path names a moment later.
    const std::optional<Identity> identity = identityOf(file.handle());
    const qint64 size = identity ? identity->size : file.size();
    QByteArray json;
    json.reserve(size);
    call.report(u"reading"_s, 0, size);
    for (;;) {
        if (call.isCancelled())
            return CallOptions::cancelledError();
        const QByteArray chunk = file.read(ChunkSize);
        if (file.error() != QFileDevice::NoError)
            return workspace::readError(m_path, file);
        if (chunk.isEmpty())
            break;
        json += chunk;
        call.report(u"reading"_s, json.size(), std::max(size, qint64(json.size())));
    }
    Result<Workspace> ws = workspace::parseFileContents(m_path, json);
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
