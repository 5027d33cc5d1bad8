#include "store/FileStore.h"

#include "store/WorkspaceEdits.h"
#include "workspace/WorkspaceJson.h"

#include <QDir>
#include <QLockFile>
#include <QtConcurrent/QtConcurrentRun>
#include <qcoro/qcorofuture.h>

#include <algorithm>
#include <exception>
#include <utility>

namespace litescope {

using namespace Qt::StringLiterals;

namespace {

// Long enough for another writer to finish a large file, short enough to answer a stuck lock.
constexpr int lockTimeoutMs = 10000;

// Runs `work` (-> Result<T>) on Qt's thread pool. An exception (bad_alloc, a bug) becomes an
// Error here: QtConcurrent would rethrow it in the awaiting coroutine, and Store calls never throw.
template <typename T, typename Work>
QCoro::Task<Result<T>> offThread(Work work) {
    QFuture<Result<T>> future = QtConcurrent::run([work = std::move(work)]() -> Result<T> {
        try {
            return work();
        } catch (const std::exception& e) {
            return Error::io(u"internal error: "_s + QString::fromLocal8Bit(e.what()));
        } catch (...) {
            return Error::io(u"internal error"_s);
        }
    });
    co_return co_await future;
}

QString shownPath(const QString& path) {
    return QDir::toNativeSeparators(path);
}

Result<StoreInfo> openFile(const QString& path, bool readOnly) {
    const Result<Workspace> ws = workspace::readFile(path);
    if (!ws)
        return ws.error();
    StoreInfo info;
    info.kind = u"file"_s;
    info.displayName = path;
    info.schemaLevel = u"litescope workspace file, version 1"_s;
    info.memberScopes = true;
    info.accessGroups = true;
    info.projects = true;
    info.auditLog = false;
    info.readOnly = readOnly;
    return info;
}

Result<Workspace> readSnapshot(const QString& path) {
    Result<Workspace> ws = workspace::readFile(path);
    // A file saved from a live proxy keeps saying where it was captured; a bare one is the file.
    if (ws && ws->source.kind.isEmpty()) {
        ws->source.kind = u"file"_s;
        if (ws->source.label.isEmpty())
            ws->source.label = path;
    }
    return ws;
}

Result<Page<Team>> readTeamPage(const QString& path, const PageRequest& request) {
    if (request.limit <= 0)
        return Error::invalid(u"page limit must be at least 1, not "_s +
                              QString::number(request.limit));
    Result<Workspace> ws = workspace::readFile(path);
    if (!ws)
        return ws.error();
    QList<Team> teams = std::move(ws->teams);
    const auto byId = [](const Team& a, const Team& b) { return a.id < b.id; };
    std::sort(teams.begin(), teams.end(), byId);
    auto first = teams.cbegin();
    if (!request.after.isEmpty())
        first = std::upper_bound(teams.cbegin(), teams.cend(), request.after,
                                 [](const QString& after, const Team& t) { return after < t.id; });
    const qsizetype remaining = teams.cend() - first;
    const qsizetype taken = std::min<qsizetype>(remaining, request.limit);
    Page<Team> page;
    page.items = QList<Team>(first, first + taken);
    if (remaining > taken)
        page.next = page.items.back().id;
    return page;
}

Result<QList<TeamMember>> readMembers(const QString& path, const QString& team) {
    const Result<Workspace> ws = workspace::readFile(path);
    if (!ws)
        return ws.error();
    const Result<qsizetype> index = findTeam(*ws, team);
    if (!index)
        return index.error();
    return teamMembers(*ws, ws->teams.at(*index));
}

Error lockError(const QString& path, const QLockFile& lock) {
    const QString file = shownPath(lock.fileName());
    switch (lock.error()) {
    case QLockFile::LockFailedError:
        return Error::io(u"cannot change "_s + shownPath(path) +
                         u": another program is writing it (lock file "_s + file + u')');
    case QLockFile::PermissionError:
        return Error::io(u"cannot change "_s + shownPath(path) +
                         u": no permission to create the lock file "_s + file);
    case QLockFile::NoError:
    case QLockFile::UnknownError:
        break;
    }
    return Error::io(u"cannot change "_s + shownPath(path) + u": cannot create the lock file "_s +
                     file);
}

// Read, edit, write under the lock: the edit and its `expected` check see the file as it is now,
// and nothing is written unless the whole edit succeeded.
Result<EditOutcome> applyToFile(const QString& path, const StoreEdit& edit) {
    QLockFile lock(path + u".lock"_s);
    if (!lock.tryLock(lockTimeoutMs))
        return lockError(path, lock);
    Result<Workspace> ws = workspace::readFile(path);
    if (!ws)
        return ws.error();
    Result<EditOutcome> outcome = applyEdit(*ws, edit);
    if (!outcome)
        return outcome;
    if (const Status valid = workspace::validate(*ws); !valid)
        return Error::invalid(u"the edit would leave "_s + shownPath(path) +
                              u" invalid, nothing was written: "_s + valid.error().message);
    if (const Status written = workspace::writeFile(*ws, path); !written)
        return written.error();
    return outcome;
}

} // namespace

// Each call names its lambda and task before awaiting: GCC 12 destroys a temporary passed by
// value to a coroutine inside a co_await expression twice (`co_await offThread([path] {…})`
// frees `path` once too often).

FileStore::FileStore(QString path, bool readOnly)
    : m_path(std::move(path))
    , m_readOnly(readOnly) {}

QCoro::Task<Result<StoreInfo>> FileStore::open() {
    auto work = [path = m_path, readOnly = m_readOnly] { return openFile(path, readOnly); };
    QCoro::Task<Result<StoreInfo>> task = offThread<StoreInfo>(std::move(work));
    co_return co_await std::move(task);
}

QCoro::Task<Result<Workspace>> FileStore::snapshot() {
    auto work = [path = m_path] { return readSnapshot(path); };
    QCoro::Task<Result<Workspace>> task = offThread<Workspace>(std::move(work));
    co_return co_await std::move(task);
}

QCoro::Task<Result<Page<Team>>> FileStore::teams(PageRequest page) {
    auto work = [path = m_path, page] { return readTeamPage(path, page); };
    QCoro::Task<Result<Page<Team>>> task = offThread<Page<Team>>(std::move(work));
    co_return co_await std::move(task);
}

QCoro::Task<Result<QList<TeamMember>>> FileStore::members(QString team) {
    auto work = [path = m_path, team] { return readMembers(path, team); };
    QCoro::Task<Result<QList<TeamMember>>> task = offThread<QList<TeamMember>>(std::move(work));
    co_return co_await std::move(task);
}

QCoro::Task<Result<EditOutcome>> FileStore::apply(StoreEdit edit) {
    if (m_readOnly) {
        Result<EditOutcome> refused =
            Error{ErrorKind::PermissionDenied,
                  shownPath(m_path) + u" is open read-only; nothing was written"_s};
        co_return refused;
    }
    auto work = [path = m_path, edit] { return applyToFile(path, edit); };
    QCoro::Task<Result<EditOutcome>> task = offThread<EditOutcome>(std::move(work));
    co_return co_await std::move(task);
}

} // namespace litescope
