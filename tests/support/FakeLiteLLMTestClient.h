#pragma once

// Shared by the suites that prove the fake LiteLLM proxy (tst_fakelitellm_*): a plain
// QNetworkAccessManager client, a raw-socket client, and a fixture serving the demo workspace.
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

namespace litescope::test::fakeclient {

using litescope::test::FakeLiteLLM;

using namespace Qt::StringLiterals;

inline const QByteArray kMasterKey = QByteArrayLiteral("sk-master-test-0123456789");
inline const QByteArray kViewerKey = QByteArrayLiteral("sk-viewer-test-0123456789");
inline const QString kSearchTeam = u"e295a6e1-6b64-490c-8983-d4a384434f4c"_s;
inline const QString kBob =
    u"0e104407-b5ce-4cc1-a136-cd4692ea49cb"_s; // a Search member with a budget

inline QString demoWorkspacePath() {
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

inline HttpAnswer perform(QNetworkAccessManager& network, const QUrl& base, const Call& call) {
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

inline QByteArray toBytes(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

inline QStringList stringsOf(const QJsonValue& value) {
    QStringList list;
    for (const QJsonValue& item : value.toArray())
        list.append(item.toString());
    return list;
}

inline const litescope::TeamMembership* membershipOf(const litescope::Workspace& data,
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

inline QByteArray rawGet(const QByteArray& target, const QByteArray& extraHeaders = {}) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kMasterKey +
           "\r\n" + extraHeaders + "\r\n";
}

// The demo workspace on a fresh fake proxy per test function, and a client without a proxy.
// Each suite's initTestCase/init/cleanup slots call loadDemo/startProxy/stopProxy.
class FakeLiteLLMSuite : public QObject {
protected:
    QUrl apiUrl() const { return m_proxy->url(); }
    HttpAnswer get(const QString& path, const QUrlQuery& query = {}) {
        return perform(*m_network, apiUrl(), {.path = path, .query = query});
    }
    HttpAnswer post(const QString& path, const QJsonObject& body,
                    const QByteArray& key = kMasterKey) {
        return perform(*m_network, apiUrl(),
                       {.method = "POST", .path = path, .key = key, .body = toBytes(body)});
    }

    void loadDemo() {
        auto demo = litescope::workspace::readFile(demoWorkspacePath());
        QVERIFY2(demo.ok(), qPrintable(demo.ok() ? QString() : demo.error().message));
        m_demo = *demo;
        QCOMPARE(m_demo.teams.size(), 13);
    }

    void startProxy() {
        m_proxy = std::make_unique<FakeLiteLLM>(m_demo, QString::fromLatin1(kMasterKey));
        m_proxy->addViewerKey(QString::fromLatin1(kViewerKey));
        QString error;
        QVERIFY2(m_proxy->listen(&error), qPrintable(error));
        QCOMPARE(m_proxy->url().scheme(), u"http"_s);
        QCOMPARE(m_proxy->url().host(), u"127.0.0.1"_s);
        m_network = std::make_unique<QNetworkAccessManager>();
        m_network->setProxy(QNetworkProxy::NoProxy);
    }

    void stopProxy() {
        m_network.reset();
        if (m_proxy)
            m_proxy->verifyFaultsFired();
        m_proxy.reset();
    }

    litescope::Workspace m_demo;
    std::unique_ptr<FakeLiteLLM> m_proxy;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

} // namespace litescope::test::fakeclient
