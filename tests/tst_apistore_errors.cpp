// ApiStore when things go wrong (a fake LiteLLM on 127.0.0.1 with injected faults): a refused key
// (401, never echoing the key), unknown objects (404), a key alias two keys share, validation
// errors (422), LiteLLM's error bodies quoted verbatim (500), reads retried with backoff on 503 and
// dropped connections while writes never are, a slow reply hitting the timeout, malformed JSON, an
// unreachable proxy, redirects (elsewhere or in a loop) and a bulk_update row quoting the key
// without it, and TLS: a self-signed certificate refused by default and accepted with its CA file.
#include "support/ApiTestSupport.h"
#include "support/TestCertificate.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

const QString SearchTeam = u"e295a6e1-6b64-490c-8983-d4a384434f4c"_s;

QByteArray liteLLMError(const QByteArray& message, const QByteArray& type, const QByteArray& code) {
    return "{\"error\": {\"message\": \"" + message + "\", \"type\": \"" + type +
           "\", \"param\": \"None\", \"code\": \"" + code + "\"}}";
}

} // namespace

class TstApiStoreErrors : public QObject {
    Q_OBJECT

private:
    ApiFixture m_api;

private Q_SLOTS:
    void init() {
        QString error;
        QVERIFY2(m_api.start(demoDataset(), &error), qPrintable(error));
    }

    void cleanup() { m_api.proxy().verifyFaultsFired(); }

    void aRefusedKeyIsExplainedAndNeverShown() {
        const QString wrongKey = u"sk-wrong-key-that-must-not-leak-5521"_s;
        auto store = std::make_unique<ApiStore>(m_api.options(wrongKey));
        const Result<StoreInfo> info = awaitTask(store->open());
        VERIFY_FAILS_WITH(info, ErrorKind::PermissionDenied, u"HTTP 401"_s);
        // LiteLLM's message is quoted (it echoes the key it got: redacted here).
        QVERIFY(info.error().message.contains(u"Authentication Error"_s));
        QVERIFY(info.error().message.contains(u"auth_error"_s));
        QVERIFY(info.error().message.contains(u"[the API key]"_s));
        QVERIFY(!info.error().message.contains(wrongKey));
        QVERIFY(info.error().message.contains(u"master key"_s));
    }

    void noKeyAtAll() {
        auto store = std::make_unique<ApiStore>(m_api.options(QString()));
        VERIFY_FAILS_WITH(awaitTask(store->open()), ErrorKind::PermissionDenied, u"No API key"_s);
        QVERIFY(m_api.proxy().requests().isEmpty());
    }

    void badAddresses_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("message");
        QTest::newRow("scheme") << u"ftp://127.0.0.1:1"_s << u"http://"_s;
        QTest::newRow("no host") << u"http://"_s << u"not usable"_s;
        QTest::newRow("query") << u"http://127.0.0.1:1/?x=1"_s << u"query"_s;
        QTest::newRow("user info") << u"http://admin:pw@127.0.0.1:1"_s << u"user:password"_s;
    }

    void badAddresses() {
        QFETCH(QString, url);
        QFETCH(QString, message);
        ApiConnectionOptions options = m_api.options();
        options.baseUrl = QUrl(url);
        auto store = std::make_unique<ApiStore>(options);
        VERIFY_FAILS_WITH(awaitTask(store->open()), ErrorKind::InvalidInput, message);
    }

    void unknownObjects() {
        auto store = m_api.store();
        QVERIFY(store);
        VERIFY_FAILS_WITH(awaitTask(store->members(u"no-such-team"_s)), ErrorKind::NotFound,
                          u"no team"_s);
        VERIFY_FAILS_WITH(
            awaitTask(store->apply(StoreEdit::setTeamModels(u"no-such-team"_s, {u"a"_s}))),
            ErrorKind::NotFound, u"no team"_s);
        VERIFY_FAILS_WITH(
            awaitTask(store->apply(StoreEdit::setMemberScope(SearchTeam, u"ghost"_s, {}))),
            ErrorKind::NotFound, u"ghost"_s);
    }

    // LiteLLM keeps key aliases unique now; a proxy from before that may still have two keys with
    // one alias, and that alias names neither, as in the other stores.
    void aKeyAliasTwoKeysShareNamesNeither() {
        Workspace data = demoDataset();
        for (Key& key : data.keys)
            if (key.alias == u"search-staging"_s)
                key.alias = u"search-prod"_s;
        QString error;
        QVERIFY2(m_api.start(data, &error), qPrintable(error));
        auto store = m_api.store();
        QVERIFY(store);
        VERIFY_FAILS_WITH(
            awaitTask(store->apply(StoreEdit::setKeyModels(u"search-prod"_s, {u"gpt-4o"_s}))),
            ErrorKind::InvalidInput, u"key_alias search-prod is used by 2 keys"_s);
        QCOMPARE(m_api.proxy().requestCount(u"/key/update"_s), 0);
    }

    void validationErrorsAreQuoted() {
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().injectFault(
            u"/team/update"_s,
            {422,
             "{\"detail\": [{\"type\": \"missing\", \"loc\": [\"body\", \"team_id\"], \"msg\": "
             "\"Field required\", \"input\": {}}]}",
             0, 1, false});
        VERIFY_FAILS_WITH(
            awaitTask(store->apply(StoreEdit::setTeamModels(SearchTeam, {u"gpt-4o"_s}))),
            ErrorKind::InvalidInput, u"HTTP 422: body.team_id: Field required"_s);
    }

    void liteLLMErrorsAreQuotedVerbatim() {
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().injectFault(
            u"/team/member_update"_s,
            {500,
             liteLLMError("{'error': 'Internal Server Error, database is locked'}",
                          "internal_server_error", "500"),
             0, 1, false});
        const Result<EditOutcome> failed = awaitTask(store->apply(StoreEdit::setMemberScope(
            SearchTeam, u"0e104407-b5ce-4cc1-a136-cd4692ea49cb"_s, {u"gpt-4o"_s})));
        VERIFY_FAILS_WITH(failed, ErrorKind::ServerError,
                          u"{'error': 'Internal Server Error, database is locked'}"_s);
        QVERIFY(failed.error().message.contains(u"type internal_server_error, code 500"_s));
        QVERIFY(failed.error().message.contains(u"POST /team/member_update"_s));
        // Writes are not retried.
        QCOMPARE(m_api.proxy().requestCount(u"/team/member_update"_s), 1);
    }

    // A body that tries to write lines of its own, or colour the terminal, is quoted escaped.
    void aServerBodyCannotForgeLines() {
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().injectFault(
            u"/team/member_update"_s,
            {500,
             liteLLMError("locked\\nALLOWED  spoof\\u001b[31m", "internal_server_error", "500"), 0,
             1, false});
        const Result<EditOutcome> failed = awaitTask(store->apply(StoreEdit::setMemberScope(
            SearchTeam, u"0e104407-b5ce-4cc1-a136-cd4692ea49cb"_s, {u"gpt-4o"_s})));
        VERIFY_FAILS_WITH(failed, ErrorKind::ServerError,
                          u"locked\\u000aALLOWED  spoof\\u001b[31m"_s);
        QVERIFY(!failed.error().message.contains(u"\nALLOWED"_s));
        QVERIFY(!failed.error().message.contains(QChar(0x1b)));
    }

    void readsAreRetried() {
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().clearRequests();
        m_api.proxy().injectFault(
            u"/v2/team/list"_s,
            {503, liteLLMError("restarting", "service_unavailable", "503"), 0, 2, false});
        m_api.proxy().injectFault(u"/team/info"_s, {200, {}, 0, 1, true});
        const Result<Workspace> snapshot = awaitTask(store->snapshot());
        VERIFY_SUCCEEDS(snapshot);
        QCOMPARE(snapshot->teams.size(), demoDataset().teams.size());
        QVERIFY(m_api.proxy().requestCount(u"/team/info"_s) > demoDataset().teams.size());
    }

    void readsAreRetriedOnInternalErrors() {
        // LiteLLM answers 500 when its database hiccups: a read tries again, and a 500 that
        // persists is quoted verbatim once the attempts are spent.
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().clearRequests();
        m_api.proxy().injectFault(
            u"/team/info"_s,
            {500, liteLLMError("database is locked", "internal_server_error", "500"), 0, 2, false});
        VERIFY_SUCCEEDS(awaitTask(store->members(SearchTeam)));
        QCOMPARE(m_api.proxy().requestCount(u"/team/info"_s), 3);

        ApiConnectionOptions options = m_api.options();
        options.readRetries = 1;
        auto impatient = m_api.store(options);
        QVERIFY(impatient);
        m_api.proxy().clearRequests();
        m_api.proxy().injectFault(
            u"/team/info"_s,
            {500, liteLLMError("database is locked", "internal_server_error", "500"), 0, 100,
             false});
        VERIFY_FAILS_WITH(awaitTask(impatient->members(SearchTeam)), ErrorKind::ServerError,
                          u"database is locked"_s);
        QCOMPARE(m_api.proxy().requestCount(u"/team/info"_s), 2);
    }

    void retriesGiveUp() {
        ApiConnectionOptions options = m_api.options();
        options.readRetries = 2;
        auto store = m_api.store(options);
        QVERIFY(store);
        m_api.proxy().clearRequests();
        m_api.proxy().injectFault(
            u"/team/info"_s,
            {503, liteLLMError("overloaded", "service_unavailable", "503"), 0, 100, false});
        VERIFY_FAILS_WITH(awaitTask(store->members(SearchTeam)), ErrorKind::ConnectionLost,
                          u"overloaded"_s);
        QCOMPARE(m_api.proxy().requestCount(u"/team/info"_s), 3);
    }

    void writesAreNeverRetried() {
        // A 503 on a read is retried (readsAreRetried); on a write it is reported at once.
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().clearRequests();
        m_api.proxy().injectFault(
            u"/team/block"_s,
            {503, liteLLMError("restarting", "service_unavailable", "503"), 0, 1, false});
        VERIFY_FAILS_WITH(awaitTask(store->apply(StoreEdit::setTeamBlocked(SearchTeam, true))),
                          ErrorKind::ConnectionLost, u"POST /team/block"_s);
        QCOMPARE(m_api.proxy().requestCount(u"/team/block"_s), 1);
        QVERIFY(!m_api.proxy().data().teams.front().blocked);
    }

    void aSlowReplyTimesOut() {
        ApiConnectionOptions options = m_api.options();
        options.timeoutMs = 300;
        options.readRetries = 0;
        auto store = m_api.store(options);
        QVERIFY(store);
        m_api.proxy().injectFault(u"/team/info"_s, {200, {}, 2000, 1, false});
        VERIFY_FAILS_WITH(awaitTask(store->members(SearchTeam)), ErrorKind::ConnectionLost,
                          u"no answer"_s);
    }

    void malformedJson() {
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().injectFault(u"/team/info"_s, {200, "{not json", 0, 1, false});
        VERIFY_FAILS_WITH(awaitTask(store->members(SearchTeam)), ErrorKind::ServerError,
                          u"not LiteLLM's JSON"_s);
        // A JSON answer of the wrong shape.
        m_api.proxy().injectFault(u"/v2/team/list"_s, {200, "{\"items\": []}", 0, 1, false});
        VERIFY_FAILS_WITH(awaitTask(store->snapshot()), ErrorKind::ServerError,
                          u"\"teams\" list"_s);
    }

    void anUnreachableProxy() {
        QTcpServer reserved;
        QVERIFY(reserved.listen(QHostAddress::LocalHost));
        const quint16 port = reserved.serverPort();
        reserved.close(); // nothing listens there now
        ApiConnectionOptions options = m_api.options();
        options.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
        options.readRetries = 1;
        auto store = std::make_unique<ApiStore>(options);
        VERIFY_FAILS_WITH(awaitTask(store->open()), ErrorKind::ConnectionLost,
                          u"Cannot reach the proxy"_s);
    }

    void noRedirectToAnotherOrigin() {
        // A proxy address that redirects elsewhere: the key must not follow.
        QTcpServer elsewhere;
        QVERIFY(elsewhere.listen(QHostAddress::LocalHost));
        QTcpServer redirecting;
        QVERIFY(redirecting.listen(QHostAddress::LocalHost));
        const QByteArray location =
            "http://127.0.0.1:" + QByteArray::number(elsewhere.serverPort()) + "/health/readiness";
        QObject::connect(&redirecting, &QTcpServer::newConnection, &redirecting, [&] {
            QTcpSocket* socket = redirecting.nextPendingConnection();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, location] {
                socket->readAll();
                socket->write("HTTP/1.1 302 Found\r\nLocation: " + location +
                              "\r\nContent-Length: 0\r\n\r\n");
            });
        });
        ApiConnectionOptions options = m_api.options();
        options.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(redirecting.serverPort()));
        options.readRetries = 0;
        auto store = std::make_unique<ApiStore>(options);
        VERIFY_FAILS_WITH(awaitTask(store->open()), ErrorKind::InvalidInput,
                          u"does not send the key to another address"_s);
        QVERIFY(!elsewhere.hasPendingConnections());
        QVERIFY(!elsewhere.waitForNewConnection(100));
    }

    // Where a redirect points is the server's text: the key may be in its query, path or user
    // info, as is or percent-encoded. The message names the origin only.
    void redirectsNeverShowTheKey() {
        const QString key = u"sk-redirect/echo+key=5f1d"_s;
        FakeLiteLLM proxy(demoDataset(), key);
        QString error;
        QVERIFY2(proxy.listen(&error), qPrintable(error));
        ApiConnectionOptions options = m_api.options(key);
        options.baseUrl = proxy.url();
        options.readRetries = 0;
        const QByteArray encoded = QUrl::toPercentEncoding(key);
        proxy.injectRedirect(u"/user/list"_s, 302,
                             "https://admin:" + encoded + "@sso.example:8443/k/" + encoded +
                                 "?key=" + key.toUtf8());
        const Result<StoreInfo> elsewhere = awaitTask(std::make_unique<ApiStore>(options)->open());
        VERIFY_FAILS_WITH(elsewhere, ErrorKind::InvalidInput, u"https://sso.example:8443."_s);
        QVERIFY2(!elsewhere.error().message.contains(u"5f1d"_s),
                 qPrintable(elsewhere.error().message));
        QVERIFY(!elsewhere.error().message.contains(u"admin"_s));
        // A loop within the origin is followed until Qt gives up on it.
        proxy.injectRedirect(u"/user/list"_s, 307, "/user/list?key=" + encoded, 1000);
        const Result<StoreInfo> loop = awaitTask(std::make_unique<ApiStore>(options)->open());
        VERIFY_FAILS_WITH(loop, ErrorKind::InvalidInput, u"redirected in a loop"_s);
        QVERIFY2(!loop.error().message.contains(u"5f1d"_s), qPrintable(loop.error().message));
        proxy.verifyFaultsFired();
    }

    // Every message that leaves the store is redacted, not only those ApiClient builds: here a
    // bulk_update row's answer, quoted in the batch's error.
    void aBulkRowEchoingTheKeyIsRedacted() {
        m_api.proxy().setLiteLLMVersion(u"1.103.0"_s);
        auto store = m_api.store();
        QVERIFY(store);
        const QString bulkPath =
            u"/management/v1/teams/"_s + SearchTeam + u"/members/bulk_update"_s;
        const QByteArray body = "{\"data\": [{\"success\": true}, {\"success\": false, "
                                "\"error\": \"key " +
                                MasterKey.toUtf8() + " may not do this\"}]}";
        m_api.proxy().injectFault(bulkPath, {200, body, 0, 1, false});
        StoreEdit hannah =
            StoreEdit::updateMember(SearchTeam, u"5bcc2bec-040b-484c-9b7d-60c1f3771a90"_s);
        hannah.tpmLimit = std::optional<qint64>(500);
        StoreEdit bob =
            StoreEdit::updateMember(SearchTeam, u"0e104407-b5ce-4cc1-a136-cd4692ea49cb"_s);
        bob.rpmLimit = std::optional<qint64>(7);
        const BatchResult batch = awaitTask(store->apply(QList<StoreEdit>{hannah, bob}));
        QVERIFY(batch.error);
        QCOMPARE(batch.failedIndex, 1);
        QVERIFY2(batch.error->message.contains(u"bulk_update answered \"key [the API key] may"_s),
                 qPrintable(batch.error->message));
        QVERIFY(!batch.error->message.contains(MasterKey));
        QCOMPARE(m_api.proxy().requestCount(bulkPath), 1);
    }

    void tlsVerification() {
        QTemporaryDir dir;
        QString error;
        const std::optional<TestCertificate> certificate =
            makeSelfSignedCertificate(dir.path(), &error);
        QVERIFY2(certificate, qPrintable(error));
        FakeLiteLLM secure(demoDataset(), MasterKey);
        QVERIFY2(secure.listenTls(certificate->certificatePem, certificate->privateKeyPem, &error),
                 qPrintable(error));
        ApiConnectionOptions options = m_api.options();
        options.baseUrl = secure.url();
        options.readRetries = 0;

        auto refusing = std::make_unique<ApiStore>(options);
        const Result<StoreInfo> refused = awaitTask(refusing->open());
        VERIFY_FAILS_WITH(refused, ErrorKind::ConnectionLost, u"certificate"_s);
        QVERIFY(refused.error().message.contains(u"--ca-file"_s));

        options.caFile = certificate->certificatePath;
        auto trusting = std::make_unique<ApiStore>(options);
        VERIFY_SUCCEEDS(awaitTask(trusting->open()));
        const Result<Workspace> snapshot = awaitTask(trusting->snapshot());
        VERIFY_SUCCEEDS(snapshot);
        QCOMPARE(snapshot->teams.size(), demoDataset().teams.size());

        options.caFile = dir.filePath(u"missing.pem"_s);
        auto missing = std::make_unique<ApiStore>(options);
        VERIFY_FAILS_WITH(awaitTask(missing->open()), ErrorKind::NotFound, u"CA file"_s);
    }

    void aStoreDestroyedMidRequest() {
        // Destroying the store cancels the request in flight: the call completes with Cancelled
        // at once and touches nothing of the gone store.
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().injectFault(u"/team/info"_s, {200, {}, 3000, 1, false});
        QCoro::Task<Result<QList<TeamMember>>> pending = store->members(SearchTeam);
        QTRY_COMPARE(m_api.proxy().requestCount(u"/team/info"_s), 1);
        store.reset();
        const Result<QList<TeamMember>> members = awaitTask(std::move(pending), 2000);
        VERIFY_FAILS_WITH(members, ErrorKind::Cancelled, u""_s);
        QCOMPARE(m_api.proxy().requestCount(u"/team/info"_s), 1);
    }
};

QTEST_GUILESS_MAIN(TstApiStoreErrors)
#include "tst_apistore_errors.moc"
