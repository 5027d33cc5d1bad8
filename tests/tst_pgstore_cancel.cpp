// PgStore's cancel and progress on a real LiteLLM database: calls cancelled before they start, at
// their first progress report, while a statement waits for a lock another session holds (the
// statement is cancelled on the server) and while the keys are read on the second connection all
// answer Cancelled, and the next call works on the same connection. A batch cancelled in the
// middle of an edit's statement commits nothing. Destroying the store mid-query completes the call
// with Cancelled. A statement_timeout is not mistaken for a cancel. Progress names its phases and
// counts rows up to each table's size.
#include "support/CancelTestSupport.h"
#include "support/PgStoreTestSupport.h"

#include <QElapsedTimer>
#include <QTest>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

namespace {

// The snapshot phases (PgReader.h); "keys" runs alongside the others.
const QStringList SnapshotPhases{u"teams"_s, u"memberships"_s, u"users"_s};

// More rows than one 10,000-row batch in the big tables.
const QString GeneratedRows =
    u"INSERT INTO \"LiteLLM_TeamTable\" (team_id, team_alias) SELECT 'gen-' || lpad(i::text, 6, "
    u"'0'), 'Generated ' || i FROM generate_series(1, 12000) i;"
    u"INSERT INTO \"LiteLLM_UserTable\" (user_id) SELECT 'gen-user-' || i FROM "
    u"generate_series(1, 15000) i;"
    u"INSERT INTO \"LiteLLM_VerificationToken\" (token, team_id, models) SELECT md5('gen' || i), "
    u"'gen-' || lpad((1 + i % 12000)::text, 6, '0'), ARRAY['gpt-4o'] FROM "
    u"generate_series(1, 25000) i;"_s;

QString backendSql(const QString& applicationName) {
    return u"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND "
           u"application_name = '"_s +
           applicationName + u"' ORDER BY pid;"_s;
}

const QString LockWaits =
    u"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
    u"application_name = 'litescope' AND wait_event_type = 'Lock';"_s;

} // namespace

class TestPgStoreCancel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void cancelledBeforeStart();
    void cancelledAtTheFirstReport();
    void cancelledWhileWaitingForALock_data();
    void cancelledWhileWaitingForALock();
    void cancelledWhileKeysAreRead();
    void cancelledBatchCommitsNothing();
    void destroyingTheStoreMidQuery();
    void statementTimeoutIsNotACancel();
    void progressOfASnapshot();
    void progressOfPagesAndMembers();

private:
    // Holds `lock` in another session until the returned session finishes.
    std::unique_ptr<PsqlSession> holdLock(const QString& db, const QString& lock);
    // Waits (serving the event loop) until a litescope statement waits for a lock.
    bool waitForLockWait(const QString& db);

    PgStoreFixture m_pg;
};

void TestPgStoreCancel::initTestCase() {
    QString error;
    QVERIFY2(m_pg.start(&error), qPrintable(error));
}

void TestPgStoreCancel::cleanupTestCase() {
    m_pg.stop();
}

std::unique_ptr<PsqlSession> TestPgStoreCancel::holdLock(const QString& db, const QString& lock) {
    auto holder = std::make_unique<PsqlSession>(m_pg.cluster(), db, u"litescope-test-lock"_s);
    QString error;
    if (!holder->start(&error)) {
        qWarning("psql: %s", qPrintable(error));
        return nullptr;
    }
    holder->send(u"BEGIN;"_s);
    holder->send(lock);
    if (!holder->waitIdleInTransaction(&error)) {
        qWarning("psql: %s", qPrintable(error));
        return nullptr;
    }
    return holder;
}

bool TestPgStoreCancel::waitForLockWait(const QString& db) {
    for (int i = 0; i < 400; ++i) {
        if (m_pg.sql(db, LockWaits) == u"1"_s)
            return true;
        QTest::qWait(25);
    }
    return false;
}

// ---- Cancel -------------------------------------------------------------------------------------

void TestPgStoreCancel::cancelledBeforeStart() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    auto store = m_pg.store(db);
    VERIFY_FAILS_WITH(awaitTask(store->snapshot(alreadyCancelled())), ErrorKind::Cancelled,
                      u"nothing was written"_s);
    VERIFY_FAILS_WITH(awaitTask(store->teams({}, alreadyCancelled())), ErrorKind::Cancelled, u""_s);
    VERIFY_FAILS_WITH(awaitTask(store->members(seed::mlTeam, alreadyCancelled())),
                      ErrorKind::Cancelled, u""_s);
    // Nothing was even connected.
    QCOMPARE(m_pg.sql(db, backendSql(u"litescope"_s)), QString());
    VERIFY_SUCCEEDS(awaitTask(store->snapshot()));
}

void TestPgStoreCancel::cancelledAtTheFirstReport() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    auto store = m_pg.store(db);
    VERIFY_SUCCEEDS(awaitTask(store->open()));
    const QString backend = m_pg.sql(db, backendSql(u"litescope"_s));
    QVERIFY(!backend.isEmpty());

    ProgressLog log;
    const Result<Workspace> cancelled =
        awaitTask(store->snapshot(cancelWhen(log, [](const Progress&) { return true; })));
    VERIFY_FAILS_WITH(cancelled, ErrorKind::Cancelled, u""_s);
    QCOMPARE(log.reports().front().phase, u"teams"_s);
    QVERIFY2(!log.phases().contains(u"memberships"_s), qPrintable(log.phases().join(u',')));

    // The same connection serves the next call; the key reader's connection is closed.
    const Result<Workspace> again = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(again);
    QCOMPARE(again->teams.size(), 4);
    QCOMPARE(m_pg.sql(db, backendSql(u"litescope"_s)), backend);
    QCOMPARE(m_pg.sql(db, backendSql(u"litescope-keys"_s)), QString());
}

void TestPgStoreCancel::cancelledWhileWaitingForALock_data() {
    QTest::addColumn<QString>("call");
    QTest::addColumn<QString>("lock");
    const QString teamTable = u"LOCK TABLE \"LiteLLM_TeamTable\" IN ACCESS EXCLUSIVE MODE;"_s;
    QTest::newRow("snapshot") << u"snapshot"_s << teamTable;
    QTest::newRow("teams") << u"teams"_s << teamTable;
    QTest::newRow("members")
        << u"members"_s << u"LOCK TABLE \"LiteLLM_TeamMembership\" IN ACCESS EXCLUSIVE MODE;"_s;
}

void TestPgStoreCancel::cancelledWhileWaitingForALock() {
    QFETCH(QString, call);
    QFETCH(QString, lock);
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    auto store = m_pg.store(db);
    VERIFY_SUCCEEDS(awaitTask(store->open()));
    const QString backend = m_pg.sql(db, backendSql(u"litescope"_s));
    std::unique_ptr<PsqlSession> holder = holdLock(db, lock);
    QVERIFY(holder);

    CallOptions options;
    options.cancellation = std::make_shared<Cancellation>();
    QString kind;
    QElapsedTimer clock;
    if (call == u"snapshot"_s) {
        QCoro::Task<Result<Workspace>> running = store->snapshot(options);
        QVERIFY(waitForLockWait(db));
        clock.start();
        options.cancellation->cancel();
        const Result<Workspace> result = awaitTask(std::move(running), 10000);
        VERIFY_FAILS_WITH(result, ErrorKind::Cancelled, u""_s);
    } else if (call == u"teams"_s) {
        QCoro::Task<Result<Page<Team>>> running = store->teams({}, options);
        QVERIFY(waitForLockWait(db));
        clock.start();
        options.cancellation->cancel();
        VERIFY_FAILS_WITH(awaitTask(std::move(running), 10000), ErrorKind::Cancelled, u""_s);
    } else {
        QCoro::Task<Result<QList<TeamMember>>> running = store->members(seed::mlTeam, options);
        QVERIFY(waitForLockWait(db));
        clock.start();
        options.cancellation->cancel();
        VERIFY_FAILS_WITH(awaitTask(std::move(running), 10000), ErrorKind::Cancelled, u""_s);
    }
    // The server cancelled the statement: the call did not wait for the lock.
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(m_pg.sql(db, LockWaits), u"0"_s);
    holder->finish();

    VERIFY_SUCCEEDS(awaitTask(store->snapshot()));
    VERIFY_SUCCEEDS(awaitTask(store->members(seed::mlTeam)));
    QCOMPARE(m_pg.sql(db, backendSql(u"litescope"_s)), backend);
}

void TestPgStoreCancel::cancelledWhileKeysAreRead() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(m_pg, db, GeneratedRows);
    auto store = m_pg.store(db);
    VERIFY_SUCCEEDS(awaitTask(store->open()));
    const QString backend = m_pg.sql(db, backendSql(u"litescope"_s));

    // Cancelled from the key reader's thread after its first batch, while both connections work.
    ProgressLog log;
    const Result<Workspace> cancelled = awaitTask(store->snapshot(
        cancelWhen(log, [](const Progress& p) { return p.phase == u"keys"_s && p.done > 0; })));
    VERIFY_FAILS_WITH(cancelled, ErrorKind::Cancelled, u""_s);
    QVERIFY(log.last(u"keys"_s).done < 25008);

    const Result<Workspace> again = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(again);
    QCOMPARE(again->keys.size(), 25008);
    QCOMPARE(m_pg.sql(db, backendSql(u"litescope"_s)), backend);
    QCOMPARE(m_pg.sql(db, backendSql(u"litescope-keys"_s)), QString());
}

void TestPgStoreCancel::cancelledBatchCommitsNothing() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString before = m_pg.dump(db);
    auto store = m_pg.store(db, false, WriteActor);
    VERIFY_SUCCEEDS(awaitTask(store->open()));
    const QString backend = m_pg.sql(db, backendSql(u"litescope"_s));
    // The first edit goes through; the second waits for the team row another session holds.
    std::unique_ptr<PsqlSession> holder =
        holdLock(db, u"SELECT 1 FROM \"LiteLLM_TeamTable\" WHERE team_id = 'team-support-bots' "
                     u"FOR UPDATE;"_s);
    QVERIFY(holder);
    const QList<StoreEdit> edits{StoreEdit::setTeamBlocked(seed::mlTeam, true),
                                 StoreEdit::setTeamAlias(seed::supportTeam, u"Helpdesk"_s),
                                 StoreEdit::setTeamBlocked(seed::legacyTeam, true)};
    CallOptions options;
    options.cancellation = std::make_shared<Cancellation>();
    QCoro::Task<BatchResult> running = store->apply(edits, options);
    QVERIFY(waitForLockWait(db));
    options.cancellation->cancel();
    const BatchResult batch = awaitTask(std::move(running), 10000);
    QVERIFY(!batch.ok());
    QCOMPARE(kindName(batch.error->kind), kindName(ErrorKind::Cancelled));
    QCOMPARE(batch.failedIndex, 1);
    QVERIFY(batch.applied.isEmpty());
    holder->finish();
    QCOMPARE(m_pg.dump(db), before);

    // Usable afterwards, on the same connection.
    const BatchResult again = awaitTask(store->apply(edits));
    QVERIFY2(again.ok(), again.error ? qPrintable(again.error->message) : "");
    QCOMPARE(m_pg.takeAudit(db).size(), 3);
    QCOMPARE(m_pg.sql(db, backendSql(u"litescope"_s)), backend);
}

void TestPgStoreCancel::destroyingTheStoreMidQuery() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    auto store = m_pg.store(db);
    VERIFY_SUCCEEDS(awaitTask(store->open()));
    std::unique_ptr<PsqlSession> holder =
        holdLock(db, u"LOCK TABLE \"LiteLLM_TeamTable\" IN ACCESS EXCLUSIVE MODE;"_s);
    QVERIFY(holder);
    QCoro::Task<Result<Workspace>> running = store->snapshot();
    QVERIFY(waitForLockWait(db));
    store.reset();
    VERIFY_FAILS_WITH(awaitTask(std::move(running), 10000), ErrorKind::Cancelled, u""_s);
    holder->finish();
    // The connection went with the store.
    QTRY_COMPARE(m_pg.sql(db, backendSql(u"litescope"_s)), QString());
}

void TestPgStoreCancel::statementTimeoutIsNotACancel() {
    // PostgreSQL reports a statement_timeout with the same SQLSTATE (57014) as a cancel.
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PgConnectionOptions options;
    options.connectionString = m_pg.uri(db) + u"?options=-c%20statement_timeout%3D300"_s;
    PgStore store(options);
    VERIFY_SUCCEEDS(awaitTask(store.open()));
    std::unique_ptr<PsqlSession> holder =
        holdLock(db, u"LOCK TABLE \"LiteLLM_TeamTable\" IN ACCESS EXCLUSIVE MODE;"_s);
    QVERIFY(holder);
    const Result<Page<Team>> page = awaitTask(store.teams({}));
    VERIFY_FAILS_WITH(page, ErrorKind::ServerError, u"statement timeout"_s);
    QVERIFY2(page.error().message.contains(u"statement_timeout"_s), failureText(page).constData());
    holder->finish();
    VERIFY_SUCCEEDS(awaitTask(store.teams({})));
}

// ---- Progress -----------------------------------------------------------------------------------

void TestPgStoreCancel::progressOfASnapshot() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(m_pg, db, GeneratedRows);
    auto store = m_pg.store(db);
    ProgressLog log;
    CallOptions options;
    options.progress = log.callback();
    const Result<Workspace> ws = awaitTask(store->snapshot(options));
    VERIFY_SUCCEEDS(ws);
    QVERIFY2(log.problems().isEmpty(), qPrintable(log.problems()));
    QStringList mainPhases = log.phases();
    mainPhases.removeAll(u"keys"_s);
    QCOMPARE(mainPhases, SnapshotPhases);
    const struct {
        QString phase;
        qint64 rows;
    } tables[] = {{u"teams"_s, 12004},
                  {u"memberships"_s, qint64(ws->teamMemberships.size())},
                  {u"users"_s, qint64(ws->users.size())},
                  {u"keys"_s, 25008}};
    for (const auto& table : tables) {
        const Progress last = log.last(table.phase);
        QCOMPARE(last.done, table.rows);
        QCOMPARE(last.total, table.rows);
    }
    QCOMPARE(ws->teams.size(), 12004);
    // Several batches each: reports before and after every batch.
    QVERIFY(log.reports().size() >= 12);
}

void TestPgStoreCancel::progressOfPagesAndMembers() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    auto store = m_pg.store(db);
    ProgressLog pageLog;
    CallOptions pageOptions;
    pageOptions.progress = pageLog.callback();
    VERIFY_SUCCEEDS(awaitTask(store->teams({QString(), 3}, pageOptions)));
    QCOMPARE(pageLog.phases(), QStringList{u"teams"_s});
    QCOMPARE(pageLog.last(u"teams"_s).done, 3);

    ProgressLog memberLog;
    CallOptions memberOptions;
    memberOptions.progress = memberLog.callback();
    const Result<QList<TeamMember>> members =
        awaitTask(store->members(seed::mlTeam, memberOptions));
    VERIFY_SUCCEEDS(members);
    QCOMPARE(memberLog.phases(), QStringList{u"members"_s});
    QCOMPARE(memberLog.last(u"members"_s).done, members->size());
}

QTEST_GUILESS_MAIN(TestPgStoreCancel)
#include "tst_pgstore_cancel.moc"
