#include "store/FileStore.h"

#include "domain/TranslationContexts.h"
#include "store/WorkspaceEdits.h"
#include "store/WorkspaceFileCache.h"
#include "workspace/WorkspaceJson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QtConcurrent/QtConcurrentRun>
#include <qcoro/qcorofuture.h>

#include <algorithm>
#include <exception>
#include <sys/stat.h>
#include <utility>

namespace litescope {

using namespace Qt::StringLiterals;

namespace {

// Long enough for another writer to finish a large file, short enough to answer a stuck lock.
constexpr int lockTimeoutMs = 10000;

// Runs `work` (-> Result<T>) on Qt's thread pool. An exception (bad_alloc, a bug) becomes an
// Error here: QtConcurrent would rethrow it in the awaiting coroutine, and Store calls never throw.
// A call cancelled while it waited for a pool thread does not start.
template <typename T, typename Work>
QCoro::Task<Result<T>> offThread(Work work, CallOptions call = {}) {
    QFuture<Result<T>> future = QtConcurrent::run([work = std::move(work), call]() -> Result<T> {
        if (call.isCancelled())
            return CallOptions::cancelledError();
        try {
            return work();
        } catch (const std::exception& e) {
            return Error::io(
                FileStoreText::tr("internal error: %1").arg(QString::fromLocal8Bit(e.what())));
        } catch (...) {
            return Error::io(FileStoreText::tr("internal error"));
        }
    });
    co_return co_await future;
}

QString shownPath(const QString& path) {
    return QDir::toNativeSeparators(path);
}

Error readOnlyError(const QString& path) {
    return {ErrorKind::PermissionDenied,
            FileStoreText::tr("%1 is open read-only; nothing was written").arg(shownPath(path))};
}

using Cache = std::shared_ptr<WorkspaceFileCache>;

Result<StoreInfo> openFile(WorkspaceFileCache& cache, const QString& path, bool readOnly) {
    const Result<std::shared_ptr<const ParsedWorkspace>> ws = cache.current({});
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

Result<Workspace> readSnapshot(WorkspaceFileCache& cache, const QString& path,
                               const CallOptions& call) {
    const Result<std::shared_ptr<const ParsedWorkspace>> parsed = cache.current(call);
    if (!parsed)
        return parsed.error();
    // A copy shares its lists with the cache until either changes them.
    Workspace ws = (*parsed)->workspace;
    // A file saved from a live proxy keeps saying where it was captured; a bare one is the file.
    if (ws.source.kind.isEmpty()) {
        ws.source.kind = u"file"_s;
        if (ws.source.label.isEmpty())
            ws.source.label = path;
    }
    return ws;
}

Result<Page<Team>> readTeamPage(WorkspaceFileCache& cache, const PageRequest& request,
                                const CallOptions& call) {
    const Result<std::shared_ptr<const ParsedWorkspace>> parsed = cache.current(call);
    if (!parsed)
        return parsed.error();
    const QList<Team>& teams = (*parsed)->teamsById;
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

Result<QList<TeamMember>> readMembers(WorkspaceFileCache& cache, const QString& team,
                                      const CallOptions& call) {
    const Result<std::shared_ptr<const ParsedWorkspace>> parsed = cache.current(call);
    if (!parsed)
        return parsed.error();
    const Workspace& ws = (*parsed)->workspace;
    const Result<qsizetype> index = findTeam(ws, team);
    if (!index)
        return index.error();
    return teamMembers(ws, ws.teams.at(*index));
}

Error lockError(const QString& path, const QLockFile& lock) {
    const QString file = shownPath(lock.fileName());
    switch (lock.error()) {
    case QLockFile::LockFailedError:
        return Error::io(
            FileStoreText::tr("cannot change %1: another program is writing it (lock file %2)")
                .arg(shownPath(path), file));
    case QLockFile::PermissionError:
        return Error::io(
            FileStoreText::tr("cannot change %1: no permission to create the lock file %2")
                .arg(shownPath(path), file));
    case QLockFile::NoError:
    case QLockFile::UnknownError:
        break;
    }
    return Error::io(FileStoreText::tr("cannot change %1: cannot create the lock file %2")
                         .arg(shownPath(path), file));
}

// Read, edit, write under the lock: the edits and their `expected` checks see the file as it is
// now, and nothing is written unless every edit of the batch succeeded.
BatchResult applyToFile(const QString& path, qint64 limit, const QList<StoreEdit>& edits,
                        const std::optional<LiteLLMVersion>& version, const CallOptions& options) {
    BatchResult batch;
    const auto fail = [&batch](qsizetype index, Error error) {
        batch.applied.clear();
        batch.error = std::move(error);
        batch.failedIndex = index;
        return batch;
    };
    // One file, one lock, whatever name it is edited by: a symlink, a `..` path and the real
    // path all lock the canonical file (a lock beside the name as given let two writers in).
    const QString canonical = QFileInfo(path).canonicalFilePath();
    const QString target = canonical.isEmpty() ? path : canonical;
    // No lock file beside a device, a FIFO or a directory: refused before anything is made.
    if (Status regular = checkRegularFile(target);
        !regular && regular.error().kind != ErrorKind::NotFound)
        return fail(0, regular.error());
    QLockFile lock(target + u".lock"_s);
    if (!lock.tryLock(lockTimeoutMs))
        return fail(0, lockError(path, lock));
    // The file is replaced atomically: another hard link would keep the old contents and be
    // edited apart from this one, silently. Refuse before anything is written.
    struct stat info {};
    if (::stat(QFile::encodeName(target).constData(), &info) == 0 && info.st_nlink > 1)
        return fail(0, Error::invalid(FileStoreText::tr(
                                          "cannot change %1: it has %2 hard links, and writing "
                                          "it would leave the other names with the old contents; "
                                          "keep one name (a symlink is fine)")
                                          .arg(shownPath(path))
                                          .arg(qulonglong(info.st_nlink))));
    Result<Workspace> ws = workspace::readFile(target, limit);
    if (!ws)
        return fail(0, ws.error());
    // The rows of the admin's release, else of the one the file names (source.litellm_version).
    const LiteLLMProfile profile = Store::profileFor(version, ws->source.litellmVersion);
    for (qsizetype i = 0; i < edits.size(); ++i) {
        if (options.isCancelled())
            return fail(i, CallOptions::cancelledError());
        options.report(u"edits"_s, i, edits.size());
        Result<EditOutcome> outcome = applyEdit(*ws, edits.at(i), profile);
        if (!outcome)
            return fail(i, outcome.error());
        batch.applied.append(std::move(outcome).value());
    }
    if (const Status valid = workspace::validate(*ws); !valid)
        return fail(edits.size() - 1,
                    Error::invalid(FileStoreText::tr("the edits would leave %1 invalid, nothing "
                                                     "was written: %2")
                                       .arg(shownPath(path), valid.error().message)));
    if (options.isCancelled())
        return fail(edits.size() - 1, CallOptions::cancelledError());
    if (const Status written = workspace::writeFile(*ws, target); !written)
        return fail(edits.size() - 1, written.error());
    options.report(u"edits"_s, edits.size(), edits.size());
    return batch;
}

} // namespace

// Each call names its lambda and task before awaiting: GCC 12 destroys a temporary passed by
// value to a coroutine inside a co_await expression twice (`co_await offThread([path] {…})`
// frees `path` once too often).

FileStore::FileStore(QString path, bool readOnly, qint64 limit)
    : m_path(std::move(path))
    , m_readOnly(readOnly)
    , m_limit(limit)
    , m_cache(std::make_shared<WorkspaceFileCache>(m_path, limit)) {}

FileStore::~FileStore() = default;

int FileStore::fileReads() const {
    return m_cache->reads();
}

QCoro::Task<Result<StoreInfo>> FileStore::doOpen() {
    auto work = [cache = m_cache, path = m_path, readOnly = m_readOnly] {
        return openFile(*cache, path, readOnly);
    };
    QCoro::Task<Result<StoreInfo>> task = offThread<StoreInfo>(std::move(work));
    co_return co_await std::move(task);
}

QCoro::Task<Result<Workspace>> FileStore::doSnapshot(CallOptions options) {
    auto work = [cache = m_cache, path = m_path, options] {
        return readSnapshot(*cache, path, options);
    };
    QCoro::Task<Result<Workspace>> task = offThread<Workspace>(std::move(work), options);
    co_return co_await std::move(task);
}

QCoro::Task<Result<Page<Team>>> FileStore::doTeams(PageRequest page, CallOptions options) {
    auto work = [cache = m_cache, page, options] { return readTeamPage(*cache, page, options); };
    QCoro::Task<Result<Page<Team>>> task = offThread<Page<Team>>(std::move(work), options);
    co_return co_await std::move(task);
}

QCoro::Task<Result<QList<TeamMember>>> FileStore::doMembers(QString team, CallOptions options) {
    auto work = [cache = m_cache, team, options] { return readMembers(*cache, team, options); };
    QCoro::Task<Result<QList<TeamMember>>> task =
        offThread<QList<TeamMember>>(std::move(work), options);
    co_return co_await std::move(task);
}

QCoro::Task<Status> FileStore::doCheckEdit(StoreEdit) {
    if (m_readOnly)
        co_return readOnlyError(m_path);
    co_return Done{};
}

QCoro::Task<BatchResult> FileStore::doApply(QList<StoreEdit> edits, CallOptions options) {
    if (m_readOnly) {
        BatchResult refused;
        refused.error = readOnlyError(m_path);
        refused.failedIndex = 0;
        co_return refused;
    }
    auto work = [path = m_path, limit = m_limit, edits = std::move(edits),
                 version = litellmVersionOverride(), options = std::move(options)] {
        try {
            return applyToFile(path, limit, edits, version, options);
        } catch (...) {
            // As offThread: an exception becomes an Error; nothing was written.
            BatchResult failed;
            failed.error = Error::io(FileStoreText::tr("internal error; nothing was written"));
            failed.failedIndex = 0;
            return failed;
        }
    };
    QFuture<BatchResult> future = QtConcurrent::run(std::move(work));
    co_return co_await future;
}

} // namespace litescope
