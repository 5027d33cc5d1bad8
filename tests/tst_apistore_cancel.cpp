// ApiStore's cancel and progress (a fake LiteLLM on 127.0.0.1 serving the demo data): calls
// cancelled before they start send nothing; cancelled at their first progress report or while a
// request is in flight (the fake holds its answer back) they answer Cancelled at once, the request
// is aborted and never retried, nothing is written, and the store works afterwards. A retry's
// backoff is cut short. Destroying the store mid-request completes the call with Cancelled. A
// batch stops at the edit in progress; a write already sent is let finish and reported applied.
// Progress: every listing counts its pages up to total_pages.
#include "support/ApiTestSupport.h"
#include "support/CancelTestSupport.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

// Far longer than any cancelled call may take.
constexpr int HeldBackMs = 5000;

QStringList methodsOf(const QList<FakeLiteLLM::RecordedRequest>& requests) {
    QStringList methods;
    for (const FakeLiteLLM::RecordedRequest& request : requests)
        methods.append(QString::fromLatin1(request.method));
    methods.removeDuplicates();
    return methods;
}

CallOptions cancellable() {
    CallOptions options;
    options.cancellation = std::make_shared<Cancellation>();
    return options;
}

} // namespace

class TstApiStoreCancel : public QObject {
    Q_OBJECT

private:
    Workspace m_data = demoDataset();
    ApiFixture m_api;

    // Waits (serving the event loop, so the fake answers) until `path` was requested `count`
    // times.
    bool waitForRequests(const QString& path, int count) {
        QElapsedTimer clock;
        clock.start();
        while (m_api.proxy().requestCount(path) < count) {
            if (clock.elapsed() > 10000)
                return false;
            QTest::qWait(5);
        }
        return true;
    }

private Q_SLOTS:
    void init() {
        QString error;
        QVERIFY2(m_api.start(m_data, &error), qPrintable(error));
    }
    void cleanup() { m_api.proxy().verifyFaultsFired(); }

    void cancelledBeforeStart() {
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().clearRequests();
        VERIFY_FAILS_WITH(awaitTask(store->snapshot(alreadyCancelled())), ErrorKind::Cancelled,
                          u"nothing was written"_s);
        VERIFY_FAILS_WITH(awaitTask(store->teams({}, alreadyCancelled())), ErrorKind::Cancelled,
                          u""_s);
        VERIFY_FAILS_WITH(awaitTask(store->members(m_data.teams.front().id, alreadyCancelled())),
                          ErrorKind::Cancelled, u""_s);
        QCOMPARE(m_api.proxy().requests().size(), 0);
        VERIFY_SUCCEEDS(awaitTask(store->snapshot()));
    }

    void cancelledAtTheFirstReport() {
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().clearRequests();
        ProgressLog log;
        const Result<Workspace> cancelled =
            awaitTask(store->snapshot(cancelWhen(log, [](const Progress&) { return true; })));
        VERIFY_FAILS_WITH(cancelled, ErrorKind::Cancelled, u""_s);
        // Only the first page of one listing was taken in; no team's details were asked for.
        QCOMPARE(log.reports().size(), 1);
        QCOMPARE(m_api.proxy().requestCount(u"/team/info"_s), 0);
        QCOMPARE(methodsOf(m_api.proxy().requests()), QStringList{u"GET"_s});

        const Result<Workspace> again = awaitTask(store->snapshot());
        VERIFY_SUCCEEDS(again);
        QCOMPARE(again->teams.size(), m_data.teams.size());
    }

    void cancelledMidRequest_data() {
        QTest::addColumn<QString>("call");
        QTest::addColumn<QString>("path");
        QTest::newRow("snapshot, a key page") << u"snapshot"_s << u"/key/list"_s;
        QTest::newRow("snapshot, a team's details") << u"snapshot"_s << u"/team/info"_s;
        QTest::newRow("teams") << u"teams"_s << u"/v2/team/list"_s;
        QTest::newRow("members") << u"members"_s << u"/team/info"_s;
    }

    void cancelledMidRequest() {
        QFETCH(QString, call);
        QFETCH(QString, path);
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().clearRequests();
        m_api.proxy().injectFault(path, {200, {}, HeldBackMs, 1, false});
        CallOptions options = cancellable();
        QElapsedTimer clock;
        if (call == u"snapshot"_s) {
            QCoro::Task<Result<Workspace>> running = store->snapshot(options);
            QVERIFY(waitForRequests(path, 1));
            clock.start();
            options.cancellation->cancel();
            VERIFY_FAILS_WITH(awaitTask(std::move(running)), ErrorKind::Cancelled, u""_s);
        } else if (call == u"teams"_s) {
            QCoro::Task<Result<Page<Team>>> running = store->teams({}, options);
            QVERIFY(waitForRequests(path, 1));
            clock.start();
            options.cancellation->cancel();
            VERIFY_FAILS_WITH(awaitTask(std::move(running)), ErrorKind::Cancelled, u""_s);
        } else {
            QCoro::Task<Result<QList<TeamMember>>> running =
                store->members(m_data.teams.front().id, options);
            QVERIFY(waitForRequests(path, 1));
            clock.start();
            options.cancellation->cancel();
            VERIFY_FAILS_WITH(awaitTask(std::move(running)), ErrorKind::Cancelled, u""_s);
        }
        // The held-back request was aborted, not waited for, and not sent again. (Requests the
        // call had in flight beside it reach the proxy's count late, so the check is that no
        // request was repeated, not that the count stood still.)
        QVERIFY2(clock.elapsed() < HeldBackMs / 2, qPrintable(QString::number(clock.elapsed())));
        QTest::qWait(200);
        QStringList urls;
        for (const FakeLiteLLM::RecordedRequest& request : m_api.proxy().requests())
            urls.append(request.path + u'?' + request.query.toString());
        const QSet<QString> distinct(urls.cbegin(), urls.cend());
        QCOMPARE(distinct.size(), urls.size());
        QCOMPARE(methodsOf(m_api.proxy().requests()), QStringList{u"GET"_s});

        VERIFY_SUCCEEDS(awaitTask(store->snapshot()));
        VERIFY_SUCCEEDS(awaitTask(store->members(m_data.teams.front().id)));
    }

    void aRetryBackoffIsCutShort() {
        ApiConnectionOptions options = m_api.options();
        options.retryDelayMs = HeldBackMs;
        auto store = m_api.store(options);
        QVERIFY(store);
        m_api.proxy().clearRequests();
        m_api.proxy().injectFault(u"/team/info"_s,
                                  {503, "{\"detail\": \"restarting\"}", 0, 1, false});
        CallOptions call = cancellable();
        QCoro::Task<Result<QList<TeamMember>>> running =
            store->members(m_data.teams.front().id, call);
        QVERIFY(waitForRequests(u"/team/info"_s, 1));
        QTest::qWait(50); // the 503 arrived; the client waits before its retry
        QElapsedTimer clock;
        clock.start();
        call.cancellation->cancel();
        VERIFY_FAILS_WITH(awaitTask(std::move(running)), ErrorKind::Cancelled, u""_s);
        QVERIFY2(clock.elapsed() < HeldBackMs / 2, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(m_api.proxy().requestCount(u"/team/info"_s), 1);
    }

    void destroyingTheStoreMidSnapshot() {
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().injectFault(u"/key/list"_s, {200, {}, HeldBackMs, 1, false});
        QCoro::Task<Result<Workspace>> running = store->snapshot();
        QVERIFY(waitForRequests(u"/key/list"_s, 1));
        QElapsedTimer clock;
        clock.start();
        store.reset();
        VERIFY_FAILS_WITH(awaitTask(std::move(running)), ErrorKind::Cancelled, u""_s);
        QVERIFY2(clock.elapsed() < HeldBackMs / 2, qPrintable(QString::number(clock.elapsed())));
    }

    void cancelledBatchSendsNoWrite() {
        auto store = m_api.store();
        QVERIFY(store);
        const Team& team = m_data.teams.front();
        m_api.proxy().clearRequests();
        // The first edit reads the team first; the read is held back and cancelled.
        m_api.proxy().injectFault(u"/team/info"_s, {200, {}, HeldBackMs, 1, false});
        CallOptions call = cancellable();
        QCoro::Task<BatchResult> running =
            store->apply({StoreEdit::setTeamBlocked(team.id, !team.blocked),
                          StoreEdit::setTeamAlias(team.id, u"Renamed"_s)},
                         call);
        QVERIFY(waitForRequests(u"/team/info"_s, 1));
        call.cancellation->cancel();
        const BatchResult batch = awaitTask(std::move(running));
        QVERIFY(!batch.ok());
        QCOMPARE(kindName(batch.error->kind), kindName(ErrorKind::Cancelled));
        QCOMPARE(batch.failedIndex, 0);
        QVERIFY(batch.applied.isEmpty());
        QCOMPARE(methodsOf(m_api.proxy().requests()), QStringList{u"GET"_s});
        QCOMPARE(m_api.proxy().data().teams.front().blocked, team.blocked);
    }

    void aWriteAlreadySentIsLetFinish() {
        auto store = m_api.store();
        QVERIFY(store);
        const Team& team = m_data.teams.front();
        m_api.proxy().clearRequests();
        // The proxy applies the block at once and answers late; the cancel comes in between.
        const QString blockPath = team.blocked ? u"/team/unblock"_s : u"/team/block"_s;
        m_api.proxy().injectFault(blockPath, {200, {}, 500, 1, false});
        CallOptions call = cancellable();
        QCoro::Task<BatchResult> running =
            store->apply({StoreEdit::setTeamBlocked(team.id, !team.blocked),
                          StoreEdit::setTeamAlias(team.id, u"Renamed"_s)},
                         call);
        QVERIFY(waitForRequests(blockPath, 1));
        call.cancellation->cancel();
        const BatchResult batch = awaitTask(std::move(running));
        QVERIFY(!batch.ok());
        QCOMPARE(kindName(batch.error->kind), kindName(ErrorKind::Cancelled));
        QCOMPARE(batch.applied.size(), 1);
        QCOMPARE(batch.failedIndex, 1);
        QCOMPARE(m_api.proxy().data().teams.front().blocked, !team.blocked);
        QCOMPARE(m_api.proxy().requestCount(u"/team/update"_s), 0);
    }

    void progressOfASnapshot() {
        auto store = m_api.store();
        QVERIFY(store);
        ProgressLog log;
        CallOptions options;
        options.progress = log.callback();
        VERIFY_SUCCEEDS(awaitTask(store->snapshot(options)));
        QVERIFY2(log.problems().isEmpty(), qPrintable(log.problems()));
        QStringList phases = log.phases();
        phases.sort();
        QCOMPARE(phases,
                 (QStringList{u"keys"_s, u"models"_s, u"team details"_s, u"teams"_s, u"users"_s}));
        // Page size 7: every listing to its last page.
        const auto pages = [](qsizetype items) { return qint64((items + 6) / 7); };
        const struct {
            QString phase;
            qint64 total;
        } expected[] = {{u"teams"_s, pages(m_data.teams.size())},
                        {u"users"_s, pages(m_data.users.size())},
                        {u"keys"_s, pages(m_data.keys.size())},
                        {u"models"_s, pages(m_data.proxyModels.size())},
                        {u"team details"_s, qint64(m_data.teams.size())}};
        for (const auto& listing : expected) {
            const Progress last = log.last(listing.phase);
            QCOMPARE(last.done, listing.total);
            QCOMPARE(last.total, listing.total);
        }
    }

    void progressOfMembers() {
        auto store = m_api.store();
        QVERIFY(store);
        ProgressLog log;
        CallOptions options;
        options.progress = log.callback();
        VERIFY_SUCCEEDS(awaitTask(store->members(m_data.teams.front().id, options)));
        QCOMPARE(log.phases(), QStringList{u"members"_s});
        QVERIFY2(log.problems().isEmpty(), qPrintable(log.problems()));
        QCOMPARE(log.last(u"members"_s).done, 2);
    }
};

QTEST_GUILESS_MAIN(TstApiStoreCancel)
#include "tst_apistore_cancel.moc"
