#include "store/pg/PgStore.h"

#include "domain/TranslationContexts.h"
#include "store/pg/PgKeySlice.h"
#include "store/pg/PgReader.h"
#include "store/pg/PgSession.h"
#include "store/pg/PgWriter.h"

#include <QCoreApplication>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <qcoro/qcorofuture.h>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

// Runs `work` on the store's worker thread with a live connection, cancelled with `options`.
// Takes everything by value: nothing here refers to the PgStore, which may be gone when the work
// completes.
template <typename T>
QCoro::Task<Result<T>>
onWorker(std::shared_ptr<QThreadPool> pool, std::shared_ptr<PgSession> session, CallOptions options,
         std::function<Result<T>(pqxx::connection&, PgSession&, const PgCall&)> work) {
    QFuture<Result<T>> future = QtConcurrent::run(pool.get(), [session, options, work]() {
        const PgCall call(options);
        return session->run<T>(
            call, [&](pqxx::connection& connection) { return work(connection, *session, call); });
    });
    co_return co_await future;
}

StoreInfo infoFor(const PgSession& session) {
    const PgSchema& schema = session.schema();
    StoreInfo info;
    info.kind = u"postgres"_s;
    info.displayName = session.displayName();
    info.memberScopes = schema.memberScopes();
    info.accessGroups = schema.accessGroups();
    info.projects = schema.projects();
    info.auditLog = schema.auditLog();
    info.readOnly = session.options().readOnly;
    const pg::DetectedRelease& release = session.release();
    info.litellmVersion = release.version().toString();
    info.schemaLevel = info.memberScopes
                           ? PgText::tr("%1 (member model scopes)").arg(release.range())
                           : PgText::tr("%1 (no member model scopes: reading works, scope editing "
                                        "is refused)")
                                 .arg(release.range());
    if (release.assumed())
        info.schemaLevel +=
            PgText::tr("; decided as LiteLLM v%1, assumed").arg(release.version().toString());
    return info;
}

Error readOnlyError(const PgSession& session) {
    return {ErrorKind::PermissionDenied,
            PgText::tr("The connection to %1 is read-only; nothing was written.")
                .arg(session.displayName())};
}

} // namespace

PgStore::PgStore(PgConnectionOptions options)
    : m_session(std::make_shared<PgSession>(std::move(options)))
    , m_pool(std::make_shared<QThreadPool>()) {
    // One connection, one thread: libpq connections must not be used concurrently.
    m_pool->setMaxThreadCount(1);
}

PgStore::~PgStore() = default;

QCoro::Task<Result<StoreInfo>> PgStore::doOpen() {
    return onWorker<StoreInfo>(m_pool, m_session, {},
                               [](pqxx::connection&, PgSession& session, const PgCall&) {
                                   return Result<StoreInfo>(infoFor(session));
                               });
}

QCoro::Task<Result<Workspace>> PgStore::doSnapshot(CallOptions options) {
    // With the admin's version the detected one is not used (Store::snapshot sets it), and
    // neither is the warning about how wide the detected range is.
    const bool versionGiven = litellmVersionOverride().has_value();
    return onWorker<Workspace>(
        m_pool, m_session, std::move(options),
        [versionGiven](pqxx::connection& connection, PgSession& session, const PgCall& call) {
            Result<Workspace> ws =
                pg::readSnapshot(connection, toStd(session.options().connectionString),
                                 session.schema(), session.displayName(), call);
            if (ws && !versionGiven)
                pg::describeRelease(session.release(), ws->source);
            return ws;
        });
}

QCoro::Task<Result<KeySlice>> PgStore::doKeySnapshot(QString tokenOrAlias, CallOptions options) {
    const bool versionGiven = litellmVersionOverride().has_value();
    return onWorker<KeySlice>(
        m_pool, m_session, std::move(options),
        [versionGiven, tokenOrAlias](pqxx::connection& connection, PgSession& session,
                                     const PgCall& call) {
            Result<KeySlice> slice = pg::readKeySlice(connection, session.schema(),
                                                      session.displayName(), tokenOrAlias, call);
            if (slice && !versionGiven)
                pg::describeRelease(session.release(), slice->workspace.source);
            return slice;
        });
}

QCoro::Task<Result<Page<Team>>> PgStore::doTeams(PageRequest page, CallOptions options) {
    return onWorker<Page<Team>>(
        m_pool, m_session, std::move(options),
        [page](pqxx::connection& connection, PgSession& session, const PgCall& call) {
            return pg::readTeamPage(connection, session.schema(), page, call);
        });
}

QCoro::Task<Result<QList<TeamMember>>> PgStore::doMembers(QString team, CallOptions options) {
    return onWorker<QList<TeamMember>>(
        m_pool, m_session, std::move(options),
        [team](pqxx::connection& connection, PgSession& session, const PgCall& call) {
            return pg::readTeamMembers(connection, session.schema(), team, call);
        });
}

QCoro::Task<Status> PgStore::doCheckEdit(StoreEdit edit) {
    if (m_session->options().readOnly)
        co_return readOnlyError(*m_session);
    // The schema is the session's, detected on the worker thread: read it there.
    std::function<Result<Done>(pqxx::connection&, PgSession&, const PgCall&)> work =
        [edit = std::move(edit)](pqxx::connection&, PgSession& session, const PgCall&) {
            return pg::requireSchema(session.schema(), edit);
        };
    QCoro::Task<Result<Done>> task = onWorker<Done>(m_pool, m_session, {}, std::move(work));
    co_return co_await std::move(task);
}

QCoro::Task<BatchResult> PgStore::doApply(QList<StoreEdit> edits, CallOptions options) {
    if (m_session->options().readOnly) {
        // Refused before anything is sent; the session is read-only on the server as well.
        BatchResult refused;
        refused.error = readOnlyError(*m_session);
        refused.failedIndex = 0;
        co_return refused;
    }
    auto current = std::make_shared<qsizetype>(0);
    const std::optional<LiteLLMVersion> version = litellmVersionOverride();
    // The call watches the connection: a cancel interrupts the statement of the edit in progress
    // as well as stopping the batch between edits; the transaction rolls back either way. The
    // rows written are those of the admin's release, else the database's (detected on connect).
    std::function<Result<BatchResult>(pqxx::connection&, PgSession&, const PgCall&)> work =
        [edits = std::move(edits), current, version](pqxx::connection& connection,
                                                     PgSession& session, const PgCall& call) {
            const LiteLLMProfile profile =
                profileFor(version, session.release().version().toString());
            return Result<BatchResult>(pg::applyEdits(connection, session.schema(),
                                                      session.options(), profile, edits,
                                                      call.options(), *current));
        };
    QCoro::Task<Result<BatchResult>> task =
        onWorker<BatchResult>(m_pool, m_session, std::move(options), std::move(work));
    Result<BatchResult> batch = co_await std::move(task);
    if (batch)
        co_return std::move(batch).value();
    // An exception (a lost connection, a refused or cancelled statement) rolled the whole batch
    // back.
    BatchResult failed;
    failed.error = batch.error();
    failed.failedIndex = *current;
    co_return failed;
}

} // namespace litescope
