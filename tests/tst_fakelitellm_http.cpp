// The fake LiteLLM proxy as an HTTP server: keys and auth errors, routes, the request log,
// injected faults, keep-alive, pipelined and split requests, disconnects, and HTTPS.
// Proves the fake (support/FakeLiteLLM) with clients that are not litescope's, so the admin API
// client's tests can trust it.
#include "support/FakeLiteLLMTestClient.h"

using namespace Qt::StringLiterals;
using namespace litescope::test::fakeclient;

class TestFakeLiteLLMHttp : public FakeLiteLLMSuite {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { loadDemo(); }
    void init() { startProxy(); }
    void cleanup() { stopProxy(); }

    void readinessNeedsNoKey();
    void wrongKeyGets401EchoingTheKey();
    void missingKeyGets401();
    void alternativeKeyHeaders();
    void viewerKeyReadsButCannotWrite();
    void unknownRouteAndWrongMethod();
    void disabledRouteIs404();
    void recordsRequests();
    void injected503ThenNormal();
    void unusedFaultsFailTheTest();
    void faultBodiesAndDrops();
    void delayedReply();
    void keepAliveServesSequentialRequests();
    void pipelinedAndSplitRequests();
    void connectionCloseAndClientDisconnect();
    void destroyedWhileServing();
    void httpsNeedsTheCertificateAsCa();
};

void TestFakeLiteLLMHttp::readinessNeedsNoKey() {
    m_proxy->setLiteLLMVersion(u"1.97.1"_s);
    const HttpAnswer answer =
        perform(*m_network, apiUrl(), {.path = u"/health/readiness"_s, .key = {}});
    QCOMPARE(answer.status, 200);
    const QJsonObject body = answer.object();
    QCOMPARE(body.value(u"status"_s).toString(), u"healthy"_s);
    QCOMPARE(body.value(u"db"_s).toString(), u"connected"_s);
    QVERIFY(body.value(u"cache"_s).isNull());
    QCOMPARE(body.value(u"litellm_version"_s).toString(), u"1.97.1"_s);
    QVERIFY(body.value(u"success_callbacks"_s).isArray());

    const HttpAnswer alive =
        perform(*m_network, apiUrl(), {.path = u"/health/liveliness"_s, .key = {}});
    QCOMPARE(alive.status, 200);
    QCOMPARE(alive.body, QByteArrayLiteral("\"I'm alive!\""));
}
void TestFakeLiteLLMHttp::wrongKeyGets401EchoingTheKey() {
    const QByteArray wrong = QByteArrayLiteral("sk-wrong-key-abcdef123456");
    const HttpAnswer answer =
        perform(*m_network, apiUrl(), {.path = u"/team/list"_s, .key = wrong});
    QCOMPARE(answer.status, 401);
    QCOMPARE(answer.error, QNetworkReply::AuthenticationRequiredError);
    const QJsonObject error = answer.object().value(u"error"_s).toObject();
    const QString hash =
        QString::fromLatin1(QCryptographicHash::hash(wrong, QCryptographicHash::Sha256).toHex());
    QCOMPARE(error.value(u"message"_s).toString(),
             u"Authentication Error, Invalid proxy server token passed. Received API Key = "_s +
                 QString::fromLatin1(wrong) + u", Key Hash (Token) ="_s + hash +
                 u". Unable to find token in cache or `LiteLLM_VerificationTokenTable`"_s);
    QCOMPARE(error.value(u"type"_s).toString(), u"auth_error"_s);
    QCOMPARE(error.value(u"param"_s).toString(), u"None"_s);
    QCOMPARE(error.value(u"code"_s).toString(), u"401"_s);
}
void TestFakeLiteLLMHttp::missingKeyGets401() {
    const HttpAnswer answer =
        perform(*m_network, apiUrl(), {.path = u"/v2/team/list"_s, .key = {}});
    QCOMPARE(answer.status, 401);
    QCOMPARE(answer.object().value(u"error"_s)[u"code"_s].toString(), u"401"_s);
}
void TestFakeLiteLLMHttp::alternativeKeyHeaders() {
    for (const QByteArray& value : {QByteArray("Bearer " + kMasterKey), kMasterKey}) {
        QUrl url = apiUrl();
        url.setPath(u"/team/list"_s);
        QNetworkRequest request(url);
        request.setRawHeader("X-LiteLLM-API-Key", value);
        std::unique_ptr<QNetworkReply> reply(m_network->get(request));
        QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, 10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    }
}
void TestFakeLiteLLMHttp::viewerKeyReadsButCannotWrite() {
    const HttpAnswer read =
        perform(*m_network, apiUrl(), {.path = u"/v2/team/list"_s, .key = kViewerKey});
    QCOMPARE(read.status, 200);
    const HttpAnswer write =
        post(u"/team/update"_s, {{u"team_id"_s, kSearchTeam}, {u"blocked"_s, true}}, kViewerKey);
    QCOMPARE(write.status, 403);
    const QJsonObject error = write.object().value(u"error"_s).toObject();
    QCOMPARE(error.value(u"message"_s).toString(),
             u"Only proxy admin can be used to generate, delete, update info for new "
             u"keys/users/teams. Route=/team/update. Your role=proxy_admin_viewer. Your "
             u"user_id=viewer"_s);
    QCOMPARE(error.value(u"code"_s).toString(), u"403"_s);
    QVERIFY(!m_proxy->data().teams.first().blocked);
}
void TestFakeLiteLLMHttp::unknownRouteAndWrongMethod() {
    const HttpAnswer unknown = get(u"/team/nope"_s);
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.object(), QJsonObject({{u"detail"_s, u"Not Found"_s}}));
    QCOMPARE(post(u"/team/list"_s, {}).status, 405);
}
void TestFakeLiteLLMHttp::disabledRouteIs404() {
    m_proxy->disableRoute(u"/v2/team/list"_s);
    const HttpAnswer answer = get(u"/v2/team/list"_s);
    QCOMPARE(answer.status, 404);
    QCOMPARE(answer.object(), QJsonObject({{u"detail"_s, u"Not Found"_s}}));
    QCOMPARE(get(u"/team/list"_s).status, 200);
}
void TestFakeLiteLLMHttp::recordsRequests() {
    m_proxy->clearRequests();
    // Starlette decodes '+' as a space: a client must send a literal '+' as %2B.
    get(u"/team/info"_s, QUrlQuery(u"team_id=a+b%2Bc%25d&plus=a+b"_s));
    post(u"/team/block"_s, {{u"team_id"_s, kSearchTeam}});
    const QList<FakeLiteLLM::RecordedRequest> requests = m_proxy->requests();
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests.at(0).method, QByteArrayLiteral("GET"));
    QCOMPARE(requests.at(0).path, u"/team/info"_s);
    QCOMPARE(requests.at(0).query.queryItemValue(u"team_id"_s, QUrl::FullyDecoded), u"a b+c%d"_s);
    QCOMPARE(requests.at(0).query.queryItemValue(u"plus"_s, QUrl::FullyDecoded), u"a b"_s);
    QCOMPARE(requests.at(0).headers.value("authorization"), "Bearer " + kMasterKey);
    QCOMPARE(requests.at(1).method, QByteArrayLiteral("POST"));
    QCOMPARE(QJsonDocument::fromJson(requests.at(1).body).object().value(u"team_id"_s).toString(),
             kSearchTeam);
    QCOMPARE(requests.at(1).headers.value("content-type"), QByteArrayLiteral("application/json"));
    QCOMPARE(m_proxy->requestCount(u"/team/block"_s), 1);
    QCOMPARE(m_proxy->requestCount(u"/team/update"_s), 0);
}
void TestFakeLiteLLMHttp::injected503ThenNormal() {
    FakeLiteLLM::Fault unavailable;
    unavailable.status = 503;
    unavailable.body = QByteArrayLiteral("{\"error\": {\"message\": \"DB not ready\", \"type\": "
                                         "\"internal_server_error\", \"param\": \"None\", "
                                         "\"code\": \"503\"}}");
    unavailable.times = 2;
    m_proxy->injectFault(u"/v2/team/list"_s, unavailable);
    for (int i = 0; i < 2; ++i) {
        const HttpAnswer failed = get(u"/v2/team/list"_s);
        QCOMPARE(failed.status, 503);
        QCOMPARE(failed.body, unavailable.body);
        QCOMPARE(failed.error, QNetworkReply::ServiceUnavailableError);
    }
    QCOMPARE(get(u"/v2/team/list"_s).status, 200);
    QCOMPARE(m_proxy->requestCount(u"/v2/team/list"_s), 3);
}
void TestFakeLiteLLMHttp::faultBodiesAndDrops() {
    FakeLiteLLM::Fault malformed;
    malformed.body = QByteArrayLiteral("{not json");
    m_proxy->injectFault(u"/team/list"_s, malformed);
    FakeLiteLLM::Fault broken;
    broken.status = 500;
    broken.body = QByteArrayLiteral("{\"error\": {\"message\": \"boom\", \"type\": "
                                    "\"internal_server_error\", \"param\": \"None\", \"code\": "
                                    "\"500\"}}");
    m_proxy->injectFault(u"/team/list"_s, broken);
    FakeLiteLLM::Fault drop;
    drop.dropConnection = true;
    drop.times = 2;
    m_proxy->injectFault(u"/team/list"_s, drop);

    const HttpAnswer first = get(u"/team/list"_s);
    QCOMPARE(first.status, 200);
    QCOMPARE(first.body, QByteArrayLiteral("{not json"));
    QCOMPARE(get(u"/team/list"_s).status, 500);
    // QNetworkAccessManager resends once on a connection closed before any answer, so the drop
    // fault is injected for two attempts.
    const HttpAnswer dropped = get(u"/team/list"_s);
    QCOMPARE(dropped.status, 0);
    QCOMPARE(dropped.error, QNetworkReply::RemoteHostClosedError);
    QCOMPARE(get(u"/team/list"_s).status, 200);

    m_proxy->injectFault(u"/team/list"_s, broken);
    m_proxy->clearFaults();
    QCOMPARE(get(u"/team/list"_s).status, 200);

    // A write behind a fault is not applied: the fault replaces the answer.
    FakeLiteLLM::Fault rejected;
    rejected.status = 422;
    rejected.body = QByteArrayLiteral("{\"detail\": [{\"type\": \"extra_forbidden\"}]}");
    m_proxy->injectFault(u"/team/block"_s, rejected);
    QCOMPARE(post(u"/team/block"_s, {{u"team_id"_s, kSearchTeam}}).status, 422);
    QVERIFY(!m_proxy->data().teams.first().blocked);
}
void TestFakeLiteLLMHttp::delayedReply() {
    FakeLiteLLM::Fault slow;
    slow.delayMs = 400;
    m_proxy->injectFault(u"/team/list"_s, slow);
    const HttpAnswer late = get(u"/team/list"_s);
    QCOMPARE(late.status, 200);
    QVERIFY2(late.elapsedMs >= 380, qPrintable(QString::number(late.elapsedMs)));
    QCOMPARE(late.json().toArray().size(), 13);

    // Beyond the client's timeout: the client gives up, the server survives.
    slow.delayMs = 1500;
    m_proxy->injectFault(u"/team/list"_s, slow);
    const HttpAnswer timedOut =
        perform(*m_network, apiUrl(), {.path = u"/team/list"_s, .transferTimeoutMs = 200});
    QCOMPARE(timedOut.error, QNetworkReply::OperationCanceledError);
    QVERIFY(timedOut.elapsedMs < 1400);
    QTest::qWait(1500); // the delayed answer fires into a closed connection
    QCOMPARE(get(u"/team/list"_s).status, 200);
}
void TestFakeLiteLLMHttp::keepAliveServesSequentialRequests() {
    RawClient client(m_proxy->url().port());
    QVERIFY(client.connected());
    QStringList teamIds;
    for (int i = 0; i < 20; ++i) {
        const QByteArray target =
            "/v2/team/list?page_size=1&sort_by=team_id&page=" + QByteArray::number(i % 13 + 1);
        client.write(rawGet(target));
        const auto [head, body] = client.response();
        QVERIFY2(head.startsWith("HTTP/1.1 200 OK"), head.constData());
        QVERIFY(head.contains("Content-Type: application/json"));
        QVERIFY(!head.toLower().contains("connection: close"));
        teamIds.append(
            QJsonDocument::fromJson(body).object().value(u"teams"_s)[0][u"team_id"_s].toString());
    }
    QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState);
    QCOMPARE(QSet<QString>(teamIds.cbegin(), teamIds.cend()).size(), 13);

    // QNetworkAccessManager reuses its connections the same way.
    for (int i = 0; i < 20; ++i)
        QCOMPARE(get(u"/key/list"_s).status, 200);
    QCOMPARE(m_proxy->requestCount(u"/key/list"_s), 20);
}
void TestFakeLiteLLMHttp::pipelinedAndSplitRequests() {
    RawClient client(m_proxy->url().port());
    QVERIFY(client.connected());
    // Three requests in one write, the second one delayed: answers still come in order.
    FakeLiteLLM::Fault slow;
    slow.delayMs = 200;
    m_proxy->injectFault(u"/organization/list"_s, slow);
    client.write(rawGet("/team/list") + rawGet("/organization/list") + rawGet("/project/list"));
    for (const int expectedSize : {int(m_demo.teams.size()), int(m_demo.organizations.size()),
                                   int(m_demo.projects.size())}) {
        const auto [head, body] = client.response();
        QVERIFY(head.startsWith("HTTP/1.1 200"));
        QCOMPARE(QJsonDocument::fromJson(body).array().size(), expectedSize);
    }

    // A POST whose head and body arrive in pieces.
    const QByteArray body = toBytes({{u"team_id"_s, kSearchTeam}});
    const QByteArray request =
        "POST /team/block HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kMasterKey +
        "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    for (qsizetype at = 0; at < request.size(); at += 7) {
        client.write(request.mid(at, 7));
        QTest::qWait(1);
    }
    const auto [head, reply] = client.response();
    QVERIFY(head.startsWith("HTTP/1.1 200"));
    QCOMPARE(QJsonDocument::fromJson(reply).object().value(u"blocked"_s), QJsonValue(true));
}
void TestFakeLiteLLMHttp::connectionCloseAndClientDisconnect() {
    {
        RawClient client(m_proxy->url().port());
        QVERIFY(client.connected());
        client.write(rawGet("/health/readiness", "Connection: close\r\n"));
        const auto [head, body] = client.response();
        QVERIFY(head.contains("Connection: close"));
        QVERIFY(QTest::qWaitFor(
            [&] { return client.socket().state() == QAbstractSocket::UnconnectedState; }, 5000));
    }
    {
        // Gone halfway through a body, and halfway through a head.
        RawClient client(m_proxy->url().port());
        QVERIFY(client.connected());
        client.write("POST /team/block HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"team_id\"");
        QTest::qWait(50);
        client.socket().abort();
        RawClient other(m_proxy->url().port());
        QVERIFY(other.connected());
        other.write("GET /team/li");
        QTest::qWait(50);
    }
    QTest::qWait(50);
    QCOMPARE(get(u"/team/list"_s).status, 200);
    QVERIFY(!m_proxy->data().teams.first().blocked);

    // Garbage gets a 400 and the connection closed.
    RawClient garbage(m_proxy->url().port());
    QVERIFY(garbage.connected());
    garbage.write("NONSENSE\r\n\r\n");
    QVERIFY(garbage.response().first.startsWith("HTTP/1.1 400"));
}
void TestFakeLiteLLMHttp::destroyedWhileServing() {
    FakeLiteLLM::Fault slow;
    slow.delayMs = 300;
    m_proxy->injectFault(u"/team/list"_s, slow);
    RawClient waiting(m_proxy->url().port());
    RawClient partial(m_proxy->url().port());
    QVERIFY(waiting.connected());
    QVERIFY(partial.connected());
    waiting.write(rawGet("/team/list"));
    partial.write("GET /team/li");
    QTest::qWait(50);
    m_proxy.reset(); // with a delayed answer pending and a request half read
    QVERIFY(QTest::qWaitFor(
        [&] { return waiting.socket().state() == QAbstractSocket::UnconnectedState; }, 5000));
    QTest::qWait(400); // the delayed answer's timer must not fire into the destroyed server
}
void TestFakeLiteLLMHttp::httpsNeedsTheCertificateAsCa() {
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    QString error;
    const auto certificate = litescope::test::makeSelfSignedCertificate(directory.path(), &error);
    QVERIFY2(certificate, qPrintable(error));
    FakeLiteLLM tlsProxy(m_demo, QString::fromLatin1(kMasterKey));
    QVERIFY2(tlsProxy.listenTls(certificate->certificatePem, certificate->privateKeyPem, &error),
             qPrintable(error));
    QCOMPARE(tlsProxy.url().scheme(), u"https"_s);

    {
        QNetworkAccessManager network;
        network.setProxy(QNetworkProxy::NoProxy);
        const HttpAnswer refused =
            perform(network, tlsProxy.url(), {.path = u"/health/readiness"_s, .key = {}});
        QCOMPARE(refused.error, QNetworkReply::SslHandshakeFailedError);
        QVERIFY(!refused.sslErrors.isEmpty());
        QCOMPARE(tlsProxy.requestCount(u"/health/readiness"_s), 0);
    }
    {
        QNetworkAccessManager network;
        network.setProxy(QNetworkProxy::NoProxy);
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setCaCertificates(configuration.caCertificates() +
                                        QSslCertificate::fromPath(certificate->certificatePath));
        QUrl url = tlsProxy.url();
        url.setPath(u"/v2/team/list"_s);
        QNetworkRequest request(url);
        request.setSslConfiguration(configuration);
        request.setRawHeader("Authorization", "Bearer " + kMasterKey);
        std::unique_ptr<QNetworkReply> reply(network.get(request));
        QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, 20000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(u"total"_s).toInt(), 13);
    }
}

void TestFakeLiteLLMHttp::unusedFaultsFailTheTest() {
    m_proxy->injectFault(u"/team/info"_s, {503, "{}", 0, 5, false});
    m_proxy->injectFault(u"/user/list"_s, {503, "{}", 0, 1, false});
    QCOMPARE(get(u"/team/info"_s, QUrlQuery{{u"team_id"_s, kSearchTeam}}).status, 503);
    // /team/info's fault was met (once is enough); /user/list's never was.
    QEXPECT_FAIL("", "the /user/list fault was never met", Continue);
    m_proxy->verifyFaultsFired();
    m_proxy->clearFaults();
}

QTEST_GUILESS_MAIN(TestFakeLiteLLMHttp)
#include "tst_fakelitellm_http.moc"
