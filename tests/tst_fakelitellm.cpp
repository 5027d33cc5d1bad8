// Tests the fake LiteLLM proxy (support/FakeLiteLLM) with a plain QNetworkAccessManager and raw
// sockets, so the admin API client's tests can trust it: LiteLLM's shapes, auth and errors,
// paging, writes landing in the workspace, faults, keep-alive and HTTPS.

#include "support/FakeLiteLLM.h"
#include "support/TestCertificate.h"
#include "workspace/WorkspaceJson.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSet>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using litescope::test::FakeLiteLLM;

namespace {

const QByteArray kMasterKey = QByteArrayLiteral("sk-master-test-0123456789");
const QByteArray kViewerKey = QByteArrayLiteral("sk-viewer-test-0123456789");
const QString kSearchTeam = u"e295a6e1-6b64-490c-8983-d4a384434f4c"_s;
const QString kBob = u"0e104407-b5ce-4cc1-a136-cd4692ea49cb"_s; // a Search member with a budget

QString demoWorkspacePath() {
    return QStringLiteral(LITESCOPE_TEST_DATA "/../resources/demo/demo-workspace.json");
}

struct HttpAnswer {
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QList<QSslError> sslErrors;
    qint64 elapsedMs = 0;

    QJsonValue json() const {
        const QJsonDocument document = QJsonDocument::fromJson(body);
        return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    }
    QJsonObject object() const { return json().toObject(); }
};

struct Call {
    QByteArray method = "GET";
    QString path = {};
    QUrlQuery query = {};
    QByteArray key = kMasterKey;
    QByteArray body = {};
    int transferTimeoutMs = 0;
};

HttpAnswer perform(QNetworkAccessManager& network, const QUrl& base, const Call& call) {
    QUrl url = base;
    url.setPath(call.path);
    url.setQuery(call.query);
    QNetworkRequest request(url);
    if (!call.key.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + call.key);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (call.transferTimeoutMs > 0)
        request.setTransferTimeout(call.transferTimeoutMs);

    HttpAnswer answer;
    QElapsedTimer clock;
    clock.start();
    std::unique_ptr<QNetworkReply> reply(call.method == "GET" ? network.get(request)
                                                              : network.post(request, call.body));
    QObject::connect(reply.get(), &QNetworkReply::sslErrors, reply.get(),
                     [&answer](const QList<QSslError>& errors) { answer.sslErrors = errors; });
    QEventLoop loop;
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    answer.elapsedMs = clock.elapsed();
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->isOpen())
        answer.body = reply->readAll();
    answer.error = reply->error();
    return answer;
}

QByteArray toBytes(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QStringList stringsOf(const QJsonValue& value) {
    QStringList list;
    for (const QJsonValue& item : value.toArray())
        list.append(item.toString());
    return list;
}

const litescope::TeamMembership* membershipOf(const litescope::Workspace& data,
                                              const QString& teamId, const QString& userId) {
    for (const litescope::TeamMembership& m : data.teamMemberships) {
        if (m.teamId == teamId && m.userId == userId)
            return &m;
    }
    return nullptr;
}

// Reads whole HTTP responses off a raw socket, driving the event loop while it waits.
class RawClient {
public:
    explicit RawClient(quint16 port) {
        m_socket.setProxy(QNetworkProxy::NoProxy);
        m_socket.connectToHost(u"127.0.0.1"_s, port);
    }
    bool connected() {
        return QTest::qWaitFor(
            [this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000);
    }
    void write(const QByteArray& bytes) { m_socket.write(bytes); }
    QTcpSocket& socket() { return m_socket; }

    // The next response's head and body, or an empty head on a timeout.
    std::pair<QByteArray, QByteArray> response(int timeoutMs = 5000) {
        std::pair<QByteArray, QByteArray> result;
        const bool complete = QTest::qWaitFor(
            [&] {
                m_buffer += m_socket.readAll();
                const qsizetype end = m_buffer.indexOf("\r\n\r\n");
                if (end < 0)
                    return false;
                const QByteArray head = m_buffer.left(end);
                const qsizetype at = head.toLower().indexOf("content-length: ");
                const qsizetype length = head.mid(at + 16).split('\r').first().toLongLong();
                if (at < 0 || m_buffer.size() < end + 4 + length)
                    return false;
                result = {head, m_buffer.mid(end + 4, length)};
                m_buffer.remove(0, end + 4 + length);
                return true;
            },
            timeoutMs);
        return complete ? result : std::pair<QByteArray, QByteArray>();
    }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

QByteArray rawGet(const QByteArray& target, const QByteArray& extraHeaders = {}) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kMasterKey +
           "\r\n" + extraHeaders + "\r\n";
}

} // namespace

class TestFakeLiteLLM : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void readinessNeedsNoKey();
    void wrongKeyGets401EchoingTheKey();
    void missingKeyGets401();
    void alternativeKeyHeaders();
    void viewerKeyReadsButCannotWrite();
    void unknownRouteAndWrongMethod();
    void disabledRouteIs404();

    void teamListV2PagesCoverAllTeamsSorted();
    void teamListV2FiltersAndLimits();
    void teamListV1IsAnArray();
    void teamInfoShape();
    void teamInfoErrors();
    void keyListIdsOrFullObjects();
    void keyInfoByTokenOrAlias();
    void otherReadShapes();

    void memberUpdateChangesOnlyAllowedModels();
    void memberAddAndDelete();
    void teamUpdateAndBlock();
    void keyUpdate();
    void writeBodyValidation();
    void recordsRequests();

    void injected503ThenNormal();
    void faultBodiesAndDrops();
    void delayedReply();
    void keepAliveServesSequentialRequests();
    void pipelinedAndSplitRequests();
    void connectionCloseAndClientDisconnect();
    void destroyedWhileServing();
    void httpsNeedsTheCertificateAsCa();

private:
    QUrl apiUrl() const { return m_proxy->url(); }
    HttpAnswer get(const QString& path, const QUrlQuery& query = {}) {
        return perform(*m_network, apiUrl(), {.path = path, .query = query});
    }
    HttpAnswer post(const QString& path, const QJsonObject& body,
                    const QByteArray& key = kMasterKey) {
        return perform(*m_network, apiUrl(),
                       {.method = "POST", .path = path, .key = key, .body = toBytes(body)});
    }

    litescope::Workspace m_demo;
    std::unique_ptr<FakeLiteLLM> m_proxy;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

void TestFakeLiteLLM::initTestCase() {
    auto demo = litescope::workspace::readFile(demoWorkspacePath());
    QVERIFY2(demo.ok(), qPrintable(demo.ok() ? QString() : demo.error().message));
    m_demo = *demo;
    QCOMPARE(m_demo.teams.size(), 13);
}

void TestFakeLiteLLM::init() {
    m_proxy = std::make_unique<FakeLiteLLM>(m_demo, QString::fromLatin1(kMasterKey));
    m_proxy->addViewerKey(QString::fromLatin1(kViewerKey));
    QString error;
    QVERIFY2(m_proxy->listen(&error), qPrintable(error));
    QCOMPARE(m_proxy->url().scheme(), u"http"_s);
    QCOMPARE(m_proxy->url().host(), u"127.0.0.1"_s);
    m_network = std::make_unique<QNetworkAccessManager>();
    m_network->setProxy(QNetworkProxy::NoProxy);
}

void TestFakeLiteLLM::cleanup() {
    m_network.reset();
    m_proxy.reset();
}

void TestFakeLiteLLM::readinessNeedsNoKey() {
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

void TestFakeLiteLLM::wrongKeyGets401EchoingTheKey() {
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

void TestFakeLiteLLM::missingKeyGets401() {
    const HttpAnswer answer =
        perform(*m_network, apiUrl(), {.path = u"/v2/team/list"_s, .key = {}});
    QCOMPARE(answer.status, 401);
    QCOMPARE(answer.object().value(u"error"_s)[u"code"_s].toString(), u"401"_s);
}

void TestFakeLiteLLM::alternativeKeyHeaders() {
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

void TestFakeLiteLLM::viewerKeyReadsButCannotWrite() {
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

void TestFakeLiteLLM::unknownRouteAndWrongMethod() {
    const HttpAnswer unknown = get(u"/team/nope"_s);
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.object(), QJsonObject({{u"detail"_s, u"Not Found"_s}}));
    QCOMPARE(post(u"/team/list"_s, {}).status, 405);
}

void TestFakeLiteLLM::disabledRouteIs404() {
    m_proxy->disableRoute(u"/v2/team/list"_s);
    const HttpAnswer answer = get(u"/v2/team/list"_s);
    QCOMPARE(answer.status, 404);
    QCOMPARE(answer.object(), QJsonObject({{u"detail"_s, u"Not Found"_s}}));
    QCOMPARE(get(u"/team/list"_s).status, 200);
}

void TestFakeLiteLLM::teamListV2PagesCoverAllTeamsSorted() {
    QStringList seen;
    qint64 totalPages = -1;
    for (int page = 1; totalPages < 0 || page <= totalPages; ++page) {
        const HttpAnswer answer =
            get(u"/v2/team/list"_s, QUrlQuery({{u"page"_s, QString::number(page)},
                                               {u"page_size"_s, u"2"_s},
                                               {u"sort_by"_s, u"team_id"_s}}));
        QCOMPARE(answer.status, 200);
        const QJsonObject body = answer.object();
        QCOMPARE(body.value(u"total"_s).toInt(), 13);
        QCOMPARE(body.value(u"page"_s).toInt(), page);
        QCOMPARE(body.value(u"page_size"_s).toInt(), 2);
        totalPages = body.value(u"total_pages"_s).toInteger();
        QCOMPARE(totalPages, 7);
        const QJsonArray teams = body.value(u"teams"_s).toArray();
        QCOMPARE(teams.size(), page < 7 ? 2 : 1);
        for (const QJsonValue& team : teams) {
            QVERIFY(!team.toObject().contains(u"model_aliases"_s));
            seen.append(team[u"team_id"_s].toString());
        }
    }
    QStringList expected;
    for (const litescope::Team& team : m_demo.teams)
        expected.append(team.id);
    std::sort(expected.begin(), expected.end());
    QCOMPARE(seen, expected);

    // Past the end: an empty page, same totals.
    const HttpAnswer beyond =
        get(u"/v2/team/list"_s, QUrlQuery({{u"page"_s, u"9"_s}, {u"page_size"_s, u"2"_s}}));
    QCOMPARE(beyond.object().value(u"teams"_s).toArray().size(), 0);
    QCOMPARE(beyond.object().value(u"total_pages"_s).toInt(), 7);

    // Defaults: page 1 of 10 in dataset order.
    const QJsonObject first = get(u"/v2/team/list"_s).object();
    QCOMPARE(first.value(u"page_size"_s).toInt(), 10);
    QCOMPARE(first.value(u"teams"_s).toArray().size(), 10);
    QCOMPARE(first.value(u"teams"_s)[0][u"team_id"_s].toString(), m_demo.teams.first().id);
}

void TestFakeLiteLLM::teamListV2FiltersAndLimits() {
    const QJsonObject byAlias =
        get(u"/v2/team/list"_s, QUrlQuery({{u"team_alias"_s, u"sEaRcH"_s}})).object();
    QCOMPARE(byAlias.value(u"total"_s).toInt(), 2); // "Search" and "ML Research"
    QCOMPARE(byAlias.value(u"teams"_s)[0][u"team_id"_s].toString(), kSearchTeam);

    const QJsonObject byId =
        get(u"/v2/team/list"_s, QUrlQuery({{u"team_id"_s, u"team-ml-research"_s}})).object();
    QCOMPARE(byId.value(u"total"_s).toInt(), 1);
    const QJsonObject team = byId.value(u"teams"_s)[0].toObject();
    QCOMPARE(team.value(u"model_id"_s).toString(), u"model-team-ml-research"_s);
    QCOMPARE(team.value(u"members_count"_s).toInt(), 8);
    QCOMPARE(team.value(u"spend"_s).toInt(), 0);
    QVERIFY(team.value(u"max_budget"_s).isNull());

    const HttpAnswer tooBig = get(u"/v2/team/list"_s, QUrlQuery({{u"page_size"_s, u"101"_s}}));
    QCOMPARE(tooBig.status, 422);
    QCOMPARE(tooBig.object().value(u"detail"_s)[0][u"type"_s].toString(), u"less_than_equal"_s);
    const HttpAnswer notANumber = get(u"/v2/team/list"_s, QUrlQuery({{u"page"_s, u"x"_s}}));
    QCOMPARE(notANumber.status, 422);
    QCOMPARE(notANumber.object().value(u"detail"_s)[0][u"loc"_s].toArray(),
             QJsonArray({u"query"_s, u"page"_s}));
}

void TestFakeLiteLLM::teamListV1IsAnArray() {
    const HttpAnswer answer = get(u"/team/list"_s);
    QCOMPARE(answer.status, 200);
    QVERIFY(answer.json().isArray());
    QCOMPARE(answer.json().toArray().size(), 13);
}

void TestFakeLiteLLM::teamInfoShape() {
    const HttpAnswer answer = get(u"/team/info"_s, QUrlQuery({{u"team_id"_s, kSearchTeam}}));
    QCOMPARE(answer.status, 200);
    const QJsonObject body = answer.object();
    QCOMPARE(body.value(u"team_id"_s).toString(), kSearchTeam);
    const QJsonObject info = body.value(u"team_info"_s).toObject();
    QCOMPARE(info.value(u"team_alias"_s).toString(), u"Search"_s);
    QCOMPARE(stringsOf(info.value(u"default_team_member_models"_s)),
             QStringList({u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));
    QVERIFY(info.value(u"litellm_model_table"_s).isNull());
    QVERIFY(info.value(u"model_id"_s).isNull());
    QCOMPARE(info.value(u"members_with_roles"_s).toArray().size(), 8);
    QCOMPARE(info.value(u"members_with_roles"_s)[0].toObject(),
             QJsonObject({{u"user_id"_s, u"priya.raman@acme.example"_s},
                          {u"user_email"_s, u"priya.raman@acme.example"_s},
                          {u"role"_s, u"admin"_s}}));

    for (const QJsonValue& key : body.value(u"keys"_s).toArray()) {
        QCOMPARE(key[u"team_id"_s].toString(), kSearchTeam);
        QCOMPARE(key[u"key_name"_s].toString(), u"sk-..."_s + key[u"token"_s].toString().right(4));
    }
    QVERIFY(!body.value(u"keys"_s).toArray().isEmpty());

    const QJsonArray memberships = body.value(u"team_memberships"_s).toArray();
    QCOMPARE(memberships.size(), 8);
    bool sawBob = false;
    bool sawNoBudget = false;
    for (const QJsonValue& membership : memberships) {
        const QJsonValue budget = membership[u"litellm_budget_table"_s];
        if (membership[u"budget_id"_s].isNull()) {
            QVERIFY(budget.isNull());
            sawNoBudget = true;
            continue;
        }
        QCOMPARE(budget[u"budget_id"_s].toString(), membership[u"budget_id"_s].toString());
        for (const char* field : {"max_budget", "tpm_limit", "rpm_limit", "budget_duration"})
            QVERIFY(budget.toObject().contains(QLatin1StringView(field)));
        if (membership[u"user_id"_s].toString() == kBob) {
            sawBob = true;
            QCOMPARE(stringsOf(budget[u"allowed_models"_s]),
                     QStringList({u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));
        }
    }
    QVERIFY(sawBob);
    QVERIFY(sawNoBudget);

    const QJsonObject research =
        get(u"/team/info"_s, QUrlQuery({{u"team_id"_s, u"team-ml-research"_s}})).object();
    const QJsonValue table = research.value(u"team_info"_s)[u"litellm_model_table"_s];
    QVERIFY(table.isObject());
    QVERIFY(!table[u"model_aliases"_s].toObject().isEmpty());
}

void TestFakeLiteLLM::teamInfoErrors() {
    const HttpAnswer missing = get(u"/team/info"_s);
    QCOMPARE(missing.status, 422);
    QCOMPARE(missing.object(),
             QJsonObject({{u"detail"_s, QJsonArray({QJsonObject({
                                            {u"type"_s, u"missing"_s},
                                            {u"loc"_s, QJsonArray({u"query"_s, u"team_id"_s})},
                                            {u"msg"_s, u"Field required"_s},
                                            {u"input"_s, QJsonValue::Null},
                                        })})}}));

    const HttpAnswer unknown = get(u"/team/info"_s, QUrlQuery({{u"team_id"_s, u"abc"_s}}));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.object().value(u"error"_s).toObject(),
             QJsonObject({{u"message"_s, u"{'error': 'Team not found, passed team_id=abc'}"_s},
                          {u"type"_s, u"not_found_error"_s},
                          {u"param"_s, u"team_id"_s},
                          {u"code"_s, u"404"_s}}));
}

void TestFakeLiteLLM::keyListIdsOrFullObjects() {
    const QJsonObject ids = get(u"/key/list"_s).object();
    QCOMPARE(ids.value(u"total_count"_s).toInt(), m_demo.keys.size());
    QCOMPARE(ids.value(u"current_page"_s).toInt(), 1);
    QCOMPARE(ids.value(u"total_pages"_s).toInt(), (m_demo.keys.size() + 9) / 10);
    const QJsonArray tokens = ids.value(u"keys"_s).toArray();
    QCOMPARE(tokens.size(), 10);
    QVERIFY(tokens.first().isString());
    QCOMPARE(tokens.first().toString(), m_demo.keys.first().token);

    QStringList all;
    for (int page = 1; page <= 3; ++page) {
        const QJsonObject full =
            get(u"/key/list"_s, QUrlQuery({{u"return_full_object"_s, u"true"_s},
                                           {u"include_team_keys"_s, u"true"_s},
                                           {u"size"_s, u"20"_s},
                                           {u"page"_s, QString::number(page)}}))
                .object();
        for (const QJsonValue& key : full.value(u"keys"_s).toArray()) {
            QVERIFY(key.isObject());
            for (const char* field :
                 {"token", "key_alias", "key_name", "team_id", "user_id", "project_id", "models",
                  "aliases", "access_group_ids", "config", "blocked", "spend", "metadata"})
                QVERIFY2(key.toObject().contains(QLatin1StringView(field)), field);
            all.append(key[u"token"_s].toString());
        }
    }
    QCOMPARE(all.size(), m_demo.keys.size());

    const QJsonObject byAlias =
        get(u"/key/list"_s, QUrlQuery({{u"key_alias"_s, u"search-prod"_s}})).object();
    QCOMPARE(byAlias.value(u"total_count"_s).toInt(), 1);
}

void TestFakeLiteLLM::keyInfoByTokenOrAlias() {
    const litescope::Key& key = m_demo.keys.first();
    const QJsonObject byToken = get(u"/key/info"_s, QUrlQuery({{u"key"_s, key.token}})).object();
    QCOMPARE(byToken.value(u"key"_s).toString(), key.token);
    QCOMPARE(byToken.value(u"info"_s)[u"token"_s].toString(), key.token);
    const QJsonObject byAlias = get(u"/key/info"_s, QUrlQuery({{u"key"_s, *key.alias}})).object();
    QCOMPARE(byAlias.value(u"key"_s).toString(), *key.alias);
    QCOMPARE(byAlias.value(u"info"_s)[u"token"_s].toString(), key.token);
    const HttpAnswer unknown = get(u"/key/info"_s, QUrlQuery({{u"key"_s, u"sk-nope"_s}}));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.object().value(u"error"_s)[u"type"_s].toString(), u"not_found_error"_s);
}

void TestFakeLiteLLM::otherReadShapes() {
    const QJsonObject users = get(u"/user/list"_s).object();
    QCOMPARE(users.value(u"page_size"_s).toInt(), 25);
    QCOMPARE(users.value(u"total"_s).toInt(), m_demo.users.size());
    QCOMPARE(users.value(u"users"_s).toArray().size(), 25);
    const QJsonObject firstUser = users.value(u"users"_s)[0].toObject();
    for (const char* field : {"user_id", "user_email", "user_role", "models", "teams", "spend",
                              "max_budget", "key_count"})
        QVERIFY2(firstUser.contains(QLatin1StringView(field)), field);
    const QJsonObject bob = get(u"/user/list"_s, QUrlQuery({{u"user_ids"_s, kBob}})).object();
    QVERIFY(stringsOf(bob.value(u"users"_s)[0][u"teams"_s]).contains(kSearchTeam));

    const QJsonObject models = get(u"/v2/model/info"_s, QUrlQuery({{u"size"_s, u"5"_s}})).object();
    QCOMPARE(models.value(u"total_count"_s).toInt(), m_demo.proxyModels.size());
    QCOMPARE(models.value(u"size"_s).toInt(), 5);
    QCOMPARE(models.value(u"total_pages"_s).toInt(), (m_demo.proxyModels.size() + 4) / 5);
    const QJsonObject model = models.value(u"data"_s)[0].toObject();
    QCOMPARE(model.value(u"litellm_params"_s)[u"model"_s].toString(),
             m_demo.proxyModels.first().litellmModel);
    QCOMPARE(model.value(u"model_info"_s)[u"id"_s].toString(), m_demo.proxyModels.first().modelId);
    QCOMPARE(get(u"/v2/model/info"_s).object().value(u"size"_s).toInt(), 50);
    QCOMPARE(get(u"/model/info"_s).object().value(u"data"_s).toArray().size(),
             m_demo.proxyModels.size());

    QCOMPARE(get(u"/organization/list"_s).json().toArray().size(), m_demo.organizations.size());
    const QJsonArray groups = get(u"/v1/access_group"_s).json().toArray();
    QCOMPARE(groups.size(), m_demo.accessGroups.size());
    QVERIFY(groups.first().toObject().contains(u"assigned_key_ids"_s));
    QCOMPARE(get(u"/project/list"_s).json().toArray().size(), m_demo.projects.size());

    const QJsonObject callbacks = get(u"/get/config/callbacks"_s).object();
    const QJsonObject aliases =
        callbacks.value(u"router_settings"_s)[u"model_group_alias"_s].toObject();
    QCOMPARE(aliases.value(u"gpt4"_s).toString(), u"gpt-4o"_s);
    QCOMPARE(aliases.value(u"o3-internal-preview"_s)[u"hidden"_s].toBool(), true);
    const QJsonObject router = get(u"/router/settings"_s).object();
    QCOMPARE(router.value(u"current_values"_s)[u"model_group_alias"_s].toObject(), aliases);
}

void TestFakeLiteLLM::memberUpdateChangesOnlyAllowedModels() {
    // Give Bob a budget and limits first, so the scope change can be seen to leave them alone.
    HttpAnswer setup = post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                                       {u"user_id"_s, kBob},
                                                       {u"max_budget_in_team"_s, 25.5},
                                                       {u"tpm_limit"_s, 1000}});
    QCOMPARE(setup.status, 200);
    const litescope::TeamMembership before = *membershipOf(m_proxy->data(), kSearchTeam, kBob);
    const litescope::Team teamBefore = m_proxy->data().teams.first();

    const HttpAnswer answer =
        post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                        {u"user_id"_s, kBob},
                                        {u"allowed_models"_s, QJsonArray({u"gpt-4o"_s})}});
    QCOMPARE(answer.status, 200);
    const QJsonObject reply = answer.object();
    QCOMPARE(reply.value(u"user_id"_s).toString(), kBob);
    QCOMPARE(reply.value(u"team_id"_s).toString(), kSearchTeam);
    QCOMPARE(stringsOf(reply.value(u"allowed_models"_s)), QStringList({u"gpt-4o"_s}));
    QVERIFY(reply.value(u"max_budget_in_team"_s).isNull()); // echoes the request only

    const litescope::TeamMembership* after = membershipOf(m_proxy->data(), kSearchTeam, kBob);
    QVERIFY(after);
    QCOMPARE(after->allowedModels, QStringList({u"gpt-4o"_s}));
    QCOMPARE(after->budgetId, before.budgetId);
    QCOMPARE(after->original, before.original);
    QCOMPARE(after->original.value(u"max_budget"_s).toDouble(), 25.5);
    const litescope::Team& teamAfter = m_proxy->data().teams.first();
    QCOMPARE(teamAfter.models, teamBefore.models);
    QCOMPARE(teamAfter.membersWithRoles.at(1).role, teamBefore.membersWithRoles.at(1).role);

    // The read path shows it; null leaves the scope; [] clears it.
    const QJsonObject info =
        get(u"/team/info"_s, QUrlQuery({{u"team_id"_s, kSearchTeam}})).object();
    for (const QJsonValue& m : info.value(u"team_memberships"_s).toArray()) {
        if (m[u"user_id"_s].toString() == kBob) {
            QCOMPARE(stringsOf(m[u"litellm_budget_table"_s][u"allowed_models"_s]),
                     QStringList({u"gpt-4o"_s}));
            QCOMPARE(m[u"litellm_budget_table"_s][u"max_budget"_s].toDouble(), 25.5);
            QCOMPARE(m[u"litellm_budget_table"_s][u"tpm_limit"_s].toInt(), 1000);
        }
    }
    QCOMPARE(post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                             {u"user_id"_s, kBob},
                                             {u"allowed_models"_s, QJsonValue::Null}})
                 .status,
             200);
    QCOMPARE(membershipOf(m_proxy->data(), kSearchTeam, kBob)->allowedModels,
             QStringList({u"gpt-4o"_s}));
    QCOMPARE(post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                             {u"user_email"_s, u"bob.martinez@acme.example"_s},
                                             {u"allowed_models"_s, QJsonArray()}})
                 .status,
             200);
    QVERIFY(membershipOf(m_proxy->data(), kSearchTeam, kBob)->allowedModels.isEmpty());

    // A member without a budget row gets one when a scope is set.
    const QString wei = u"160155e3-a847-4f6f-860b-2058b8d69eb0"_s;
    QVERIFY(!membershipOf(m_proxy->data(), kSearchTeam, wei)->budgetId);
    QCOMPARE(post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                             {u"user_id"_s, wei},
                                             {u"role"_s, u"admin"_s},
                                             {u"allowed_models"_s, QJsonArray({u"gpt-4o"_s})}})
                 .status,
             200);
    QCOMPARE(membershipOf(m_proxy->data(), kSearchTeam, wei)->budgetId, u"budget-1"_s);

    const HttpAnswer stranger =
        post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam}, {u"user_id"_s, u"nobody"_s}});
    QCOMPARE(stranger.status, 400);
    QCOMPARE(stranger.object().value(u"error"_s).toObject(),
             QJsonObject({{u"message"_s, u"{'error': \"User id doesn't exist in team table\"}"_s},
                          {u"type"_s, u"bad_request_error"_s},
                          {u"param"_s, u"None"_s},
                          {u"code"_s, u"400"_s}}));
}

void TestFakeLiteLLM::memberAddAndDelete() {
    const HttpAnswer added = post(
        u"/team/member_add"_s,
        {{u"team_id"_s, kSearchTeam},
         {u"member"_s,
          QJsonObject({{u"user_email"_s, u"new.person@acme.example"_s}, {u"role"_s, u"user"_s}})}});
    QCOMPARE(added.status, 200);
    const QJsonObject reply = added.object();
    QCOMPARE(reply.value(u"team_id"_s).toString(), kSearchTeam);
    QCOMPARE(reply.value(u"members_count"_s).toInt(), 9);
    QCOMPARE(m_proxy->data().teams.first().membersWithRoles.size(), 9);
    QCOMPARE(m_demo.teams.first().membersWithRoles.size(), 8);
    QCOMPARE(m_proxy->data().users.size(), m_demo.users.size() + 1);
    const QString newId = reply.value(u"updated_users"_s)[0][u"user_id"_s].toString();
    QVERIFY(!newId.isEmpty());
    QCOMPARE(reply.value(u"updated_users"_s)[0][u"user_role"_s].toString(), u"internal_user"_s);
    const QJsonValue membership = reply.value(u"updated_team_memberships"_s)[0];
    QCOMPARE(membership[u"budget_id"_s].toString(), u"budget-1"_s);
    // No allowed_models given: the team's default_team_member_models.
    QCOMPARE(stringsOf(membership[u"litellm_budget_table"_s][u"allowed_models"_s]),
             QStringList({u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));

    const HttpAnswer again = post(
        u"/team/member_add"_s,
        {{u"team_id"_s, kSearchTeam},
         {u"member"_s, QJsonArray({QJsonObject({{u"user_id"_s, kBob}, {u"role"_s, u"user"_s}})})},
         {u"allowed_models"_s, QJsonArray({u"gpt-4o"_s})}});
    QCOMPARE(again.status, 400);
    QVERIFY(again.object().value(u"error"_s)[u"message"_s].toString().startsWith(
        // Python's repr() switches to double quotes: the text contains single quotes.
        u"{'error': \"User="_s + kBob + u" already in team. Existing members=['"_s));

    const HttpAnswer deleted =
        post(u"/team/member_delete"_s, {{u"team_id"_s, kSearchTeam}, {u"user_id"_s, newId}});
    QCOMPARE(deleted.status, 200);
    QCOMPARE(deleted.object().value(u"members_count"_s).toInt(), 8);
    QVERIFY(!membershipOf(m_proxy->data(), kSearchTeam, newId));
    const auto user = std::find_if(m_proxy->data().users.cbegin(), m_proxy->data().users.cend(),
                                   [&](const litescope::User& u) { return u.id == newId; });
    QVERIFY(user != m_proxy->data().users.cend());
    QVERIFY(user->original.value(u"teams"_s).toArray().isEmpty());

    const HttpAnswer gone =
        post(u"/team/member_delete"_s, {{u"team_id"_s, kSearchTeam}, {u"user_id"_s, newId}});
    QCOMPARE(gone.status, 400);
    QCOMPARE(gone.object().value(u"error"_s)[u"message"_s].toString(),
             u"{'error': 'User not found in team'}"_s);
}

void TestFakeLiteLLM::teamUpdateAndBlock() {
    const HttpAnswer updated =
        post(u"/team/update"_s, {{u"team_id"_s, kSearchTeam},
                                 {u"default_team_member_models"_s, QJsonArray({u"gpt-4o"_s})}});
    QCOMPARE(updated.status, 200);
    QCOMPARE(updated.object().value(u"team_id"_s).toString(), kSearchTeam);
    QCOMPARE(stringsOf(updated.object().value(u"data"_s)[u"default_team_member_models"_s]),
             QStringList({u"gpt-4o"_s}));
    const litescope::Team& team = m_proxy->data().teams.first();
    QCOMPARE(team.defaultTeamMemberModels, QStringList({u"gpt-4o"_s}));
    QCOMPARE(team.models, m_demo.teams.first().models);
    QCOMPARE(team.alias, u"Search"_s);

    QCOMPARE(post(u"/team/block"_s, {{u"team_id"_s, kSearchTeam}}).object().value(u"blocked"_s),
             QJsonValue(true));
    QVERIFY(m_proxy->data().teams.first().blocked);
    // The proxy's workspace is its own: the copy it was made from stays as it was.
    QVERIFY(!m_demo.teams.first().blocked);
    QCOMPARE(m_demo.teams.first().defaultTeamMemberModels,
             QStringList({u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));
    QCOMPARE(post(u"/team/unblock"_s, {{u"team_id"_s, kSearchTeam}}).status, 200);
    QVERIFY(!m_proxy->data().teams.first().blocked);
    const HttpAnswer unknown = post(u"/team/block"_s, {{u"team_id"_s, u"nope"_s}});
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.object().value(u"error"_s)[u"message"_s].toString(),
             u"{'error': 'Team not found, passed team_id=nope'}"_s);
}

void TestFakeLiteLLM::keyUpdate() {
    const litescope::Key& key = m_demo.keys.at(1);
    const HttpAnswer answer =
        post(u"/key/update"_s, {{u"key"_s, *key.alias}, {u"models"_s, QJsonArray({u"gpt-4o"_s})}});
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.object().value(u"token"_s).toString(), key.token);
    QCOMPARE(m_proxy->data().keys.at(1).models, QStringList({u"gpt-4o"_s}));
    QCOMPARE(m_proxy->data().keys.at(1).alias, key.alias);
    QCOMPARE(m_demo.keys.at(1).models, key.models);
    QVERIFY(key.models != QStringList({u"gpt-4o"_s}));
    QCOMPARE(post(u"/key/update"_s, {{u"key"_s, u"sk-nope"_s}}).status, 404);
}

void TestFakeLiteLLM::writeBodyValidation() {
    const HttpAnswer notJson = perform(
        *m_network, apiUrl(), {.method = "POST", .path = u"/team/update"_s, .body = "{nope"});
    QCOMPARE(notJson.status, 422);
    QCOMPARE(notJson.object().value(u"detail"_s)[0].toObject(),
             QJsonObject({{u"type"_s, u"json_invalid"_s},
                          {u"loc"_s, QJsonArray({u"body"_s, 0})},
                          {u"msg"_s, u"JSON decode error"_s},
                          {u"input"_s, QJsonObject()}}));
    QCOMPARE(
        perform(*m_network, apiUrl(), {.method = "POST", .path = u"/team/update"_s, .body = "[1]"})
            .status,
        422);

    const HttpAnswer missing = post(u"/team/update"_s, {{u"blocked"_s, true}});
    QCOMPARE(missing.status, 422);
    const QJsonObject issue = missing.object().value(u"detail"_s)[0].toObject();
    QCOMPARE(issue.value(u"loc"_s).toArray(), QJsonArray({u"body"_s, u"team_id"_s}));
    QCOMPARE(issue.value(u"type"_s).toString(), u"missing"_s);
    QCOMPARE(issue.value(u"msg"_s).toString(), u"Field required"_s);

    const HttpAnswer wrongType =
        post(u"/team/update"_s, {{u"team_id"_s, kSearchTeam}, {u"models"_s, u"gpt-4o"_s}});
    QCOMPARE(wrongType.status, 422);
    QCOMPARE(wrongType.object().value(u"detail"_s)[0][u"type"_s].toString(), u"list_type"_s);
    QCOMPARE(m_proxy->data().teams.first().models, m_demo.teams.first().models);

    const HttpAnswer badRole =
        post(u"/team/member_add"_s,
             {{u"team_id"_s, kSearchTeam},
              {u"member"_s, QJsonObject({{u"user_id"_s, u"x"_s}, {u"role"_s, u"owner"_s}})}});
    QCOMPARE(badRole.status, 422);
    QCOMPARE(badRole.object().value(u"detail"_s)[0][u"loc"_s].toArray(),
             QJsonArray({u"body"_s, u"member"_s, u"role"_s}));
}

void TestFakeLiteLLM::recordsRequests() {
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

void TestFakeLiteLLM::injected503ThenNormal() {
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

void TestFakeLiteLLM::faultBodiesAndDrops() {
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

void TestFakeLiteLLM::delayedReply() {
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

void TestFakeLiteLLM::keepAliveServesSequentialRequests() {
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

void TestFakeLiteLLM::pipelinedAndSplitRequests() {
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

void TestFakeLiteLLM::connectionCloseAndClientDisconnect() {
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

void TestFakeLiteLLM::destroyedWhileServing() {
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

void TestFakeLiteLLM::httpsNeedsTheCertificateAsCa() {
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

QTEST_GUILESS_MAIN(TestFakeLiteLLM)
#include "tst_fakelitellm.moc"
