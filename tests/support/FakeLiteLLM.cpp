#include "support/FakeLiteLLM.h"

#include "support/FakeLiteLLMJson.h"
#include "support/FakeLiteLLMRoutes.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace litescope::test {

namespace {

// A request head larger than this is refused rather than buffered for ever.
constexpr qsizetype kMaxHeadBytes = 64 * 1024;

enum class Parse { Incomplete, Complete, Malformed };

// Takes the first complete HTTP/1.1 request off `buffer`. `*close` tells whether the client
// wants the connection closed after the answer.
Parse takeRequest(QByteArray& buffer, FakeLiteLLM::RecordedRequest* request, bool* close) {
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return buffer.size() > kMaxHeadBytes ? Parse::Malformed : Parse::Incomplete;

    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1."))
        return Parse::Malformed;
    QMap<QByteArray, QByteArray> headers;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon <= 0)
            return Parse::Malformed;
        const QByteArray name = lines.at(i).left(colon).trimmed().toLower();
        const QByteArray value = lines.at(i).mid(colon + 1).trimmed();
        headers.insert(name, headers.contains(name) ? headers.value(name) + ", " + value : value);
    }
    if (headers.contains("transfer-encoding"))
        return Parse::Malformed; // QNetworkAccessManager sends Content-Length for byte arrays
    bool lengthOk = true;
    const qsizetype length = headers.contains("content-length")
                                 ? headers.value("content-length").toLongLong(&lengthOk)
                                 : 0;
    if (!lengthOk || length < 0)
        return Parse::Malformed;
    const qsizetype bodyStart = headEnd + 4;
    if (buffer.size() - bodyStart < length)
        return Parse::Incomplete;

    const QByteArray target = requestLine.at(1);
    const qsizetype question = target.indexOf('?');
    request->method = requestLine.at(0);
    request->path = QUrl::fromPercentEncoding(target.left(question < 0 ? target.size() : question));
    // Starlette decodes '+' in a query as a space.
    QByteArray query = question < 0 ? QByteArray() : target.mid(question + 1);
    query.replace('+', "%20");
    request->query = QUrlQuery(QString::fromUtf8(query));
    request->headers = headers;
    request->body = buffer.mid(bodyStart, length);
    buffer.remove(0, bodyStart + length);

    const QByteArray connection = headers.value("connection").toLower();
    *close = connection.contains("close") ||
             (requestLine.at(2) == "HTTP/1.0" && !connection.contains("keep-alive"));
    return Parse::Complete;
}

QByteArray reasonPhrase(int status) {
    static const QHash<int, QByteArray> phrases = {
        {200, "OK"},
        {301, "Moved Permanently"},
        {302, "Found"},
        {307, "Temporary Redirect"},
        {308, "Permanent Redirect"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {422, "Unprocessable Entity"},
        {500, "Internal Server Error"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
    };
    return phrases.value(status, "Unknown");
}

// QJsonDocument holds only objects and arrays; /health/liveliness answers a bare string.
QByteArray toJson(const QJsonValue& value) {
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

FakeReply detail(int status, const QString& text) {
    return {status, QJsonObject{{u"detail"_s, text}}};
}

// The key a request presents: x-litellm-api-key wins over Authorization, as in LiteLLM.
std::optional<QString> presentedKey(const QMap<QByteArray, QByteArray>& headers) {
    QByteArray value;
    if (headers.contains("x-litellm-api-key"))
        value = headers.value("x-litellm-api-key");
    else if (headers.contains("authorization"))
        value = headers.value("authorization");
    else
        return std::nullopt;
    if (value.startsWith("Bearer ") || value.startsWith("bearer "))
        value = value.mid(7).trimmed();
    return QString::fromUtf8(value);
}

} // namespace

FakeLiteLLM::FakeLiteLLM(Workspace data, QString masterKey, QObject* parent)
    : QObject(parent)
    , m_routes(std::make_unique<FakeLiteLLMRoutes>(std::move(data)))
    , m_masterKey(std::move(masterKey)) {}

FakeLiteLLM::~FakeLiteLLM() {
    // The sockets are children of the server; stop their signals before the members they use go.
    const QList<QTcpSocket*> sockets = m_connections.keys();
    m_connections.clear();
    for (QTcpSocket* socket : sockets) {
        socket->disconnect(this);
        socket->abort();
        delete socket;
    }
}

bool FakeLiteLLM::listen(QString* error) {
    return startListening(new QTcpServer(this), error);
}

bool FakeLiteLLM::listenTls(const QString& certificatePem, const QString& privateKeyPem,
                            QString* error) {
    if (!QSslSocket::supportsSsl()) {
        *error = u"this Qt has no TLS backend with SSL support"_s;
        return false;
    }
    const QSslCertificate certificate(certificatePem.toUtf8(), QSsl::Pem);
    QSslKey key(privateKeyPem.toUtf8(), QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(privateKeyPem.toUtf8(), QSsl::Ec, QSsl::Pem);
    if (certificate.isNull() || key.isNull()) {
        *error = certificate.isNull() ? u"the certificate is not a PEM certificate"_s
                                      : u"the private key is not an unencrypted PEM key"_s;
        return false;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(certificate);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
    auto* server = new QSslServer(this);
    server->setSslConfiguration(configuration);
    m_tls = true;
    return startListening(server, error);
}

bool FakeLiteLLM::startListening(QTcpServer* server, QString* error) {
    if (m_server) {
        delete server;
        *error = u"the fake proxy is already listening on "_s + url().toString();
        return false;
    }
    if (!server->listen(QHostAddress::LocalHost, 0)) {
        *error = u"cannot listen on 127.0.0.1: "_s + server->errorString();
        delete server;
        return false;
    }
    m_server = server;
    // Not newConnection: QSslServer queues a socket only once its handshake is done.
    connect(server, &QTcpServer::pendingConnectionAvailable, this, &FakeLiteLLM::acceptConnections);
    return true;
}

QUrl FakeLiteLLM::url() const {
    if (!m_server)
        return {};
    QUrl url;
    url.setScheme(m_tls ? u"https"_s : u"http"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(m_server->serverPort());
    return url;
}

void FakeLiteLLM::addViewerKey(QString key) {
    m_viewerKeys.append(std::move(key));
}

void FakeLiteLLM::setLiteLLMVersion(QString version) {
    m_routes->setVersion(std::move(version));
}

void FakeLiteLLM::setReportsVersion(bool reports) {
    m_routes->setReportsVersion(reports);
}

QList<QJsonObject> FakeLiteLLM::auditLog() const {
    return m_routes->auditLog();
}

QList<QJsonObject> FakeLiteLLM::detachedBudgets() const {
    return m_routes->detachedBudgets();
}

void FakeLiteLLM::setTeamInfoShowsModelTable(bool shows) {
    m_routes->setTeamInfoShowsModelTable(shows);
}

void FakeLiteLLM::disableRoute(const QString& path) {
    m_disabledRoutes.insert(path);
}

void FakeLiteLLM::injectFault(const QString& path, Fault fault) {
    if (fault.times > 0)
        m_faults[path].append({std::move(fault), false, {}});
}

void FakeLiteLLM::injectRedirect(const QString& path, int status, QByteArray location, int times) {
    const QByteArray body = toJson(
        QJsonObject{{u"detail"_s, QString(u"Redirecting to "_s + QString::fromUtf8(location))}});
    if (times > 0)
        m_faults[path].append({Fault{status, body, 0, times, false}, false, std::move(location)});
}

void FakeLiteLLM::verifyFaultsFired() const {
    QStringList unused;
    for (auto it = m_faults.constBegin(); it != m_faults.constEnd(); ++it) {
        for (const QueuedFault& queued : it.value()) {
            if (!queued.fired)
                unused.append(it.key());
        }
    }
    QVERIFY2(unused.isEmpty(),
             qPrintable(u"faults injected but never met by a request: "_s + unused.join(u", "_s)));
}

void FakeLiteLLM::clearFaults() {
    m_faults.clear();
}

const Workspace& FakeLiteLLM::data() const {
    return m_routes->data();
}

Workspace& FakeLiteLLM::editData() {
    return m_routes->data();
}

QList<FakeLiteLLM::RecordedRequest> FakeLiteLLM::requests() const {
    return m_requests;
}

void FakeLiteLLM::clearRequests() {
    m_requests.clear();
}

int FakeLiteLLM::requestCount(const QString& path) const {
    return static_cast<int>(
        std::count_if(m_requests.cbegin(), m_requests.cend(),
                      [&](const RecordedRequest& r) { return r.path == path; }));
}

void FakeLiteLLM::acceptConnections() {
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        m_connections.insert(socket, Connection());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            const auto it = m_connections.find(socket);
            if (it == m_connections.end())
                return;
            it->buffer += socket->readAll();
            serveBuffered(socket);
        });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_connections.remove(socket);
            socket->deleteLater();
        });
    }
}

void FakeLiteLLM::serveBuffered(QTcpSocket* socket) {
    for (;;) {
        const auto it = m_connections.find(socket);
        if (it == m_connections.end() || it->busy ||
            socket->state() != QAbstractSocket::ConnectedState)
            return;
        RecordedRequest request;
        bool close = false;
        const Parse parse = takeRequest(it->buffer, &request, &close);
        if (parse == Parse::Incomplete)
            return;
        if (parse == Parse::Malformed) {
            it->buffer.clear();
            send(socket, 400, toJson(QJsonObject{{u"detail"_s, u"Invalid HTTP request"_s}}), true);
            return;
        }
        m_requests.append(request);
        if (!serve(socket, request, close))
            return;
    }
}

// Answers one request. False when the connection takes no further requests now: closed, or
// waiting for a delayed answer (which resumes serveBuffered).
bool FakeLiteLLM::serve(QTcpSocket* socket, const RecordedRequest& request, bool close) {
    const std::optional<QueuedFault> queued = takeFault(request.path);
    const std::optional<Fault> fault =
        queued ? std::optional<Fault>(queued->fault) : std::optional<Fault>();
    const QByteArray location = queued ? queued->location : QByteArray();
    if (fault && fault->dropConnection) {
        socket->abort();
        return false;
    }
    int status = fault ? fault->status : 200;
    QByteArray body = fault ? fault->body : QByteArray();
    if (body.isEmpty() && status == 200) {
        // Answered (and any write applied) now, even when the answer is delayed: a client that
        // times out cannot tell whether its change landed, as with a real proxy.
        const FakeReply reply = answer(request);
        status = reply.status;
        body = toJson(reply.body);
    }
    if (!fault || fault->delayMs <= 0) {
        send(socket, status, body, close, location);
        return !close;
    }
    m_connections[socket].busy = true;
    QTimer::singleShot(fault->delayMs, socket, [this, socket, status, body, close, location] {
        const auto it = m_connections.find(socket);
        if (it == m_connections.end())
            return;
        it->busy = false;
        send(socket, status, body, close, location);
        if (!close)
            serveBuffered(socket);
    });
    return false;
}

FakeReply FakeLiteLLM::answer(const RecordedRequest& request) {
    if (m_disabledRoutes.contains(request.path))
        return detail(404, u"Not Found"_s);
    switch (m_routes->match(request.method, request.path)) {
    case FakeLiteLLMRoutes::Match::Unknown:
        return detail(404, u"Not Found"_s);
    case FakeLiteLLMRoutes::Match::WrongMethod:
        return detail(405, u"Method Not Allowed"_s);
    case FakeLiteLLMRoutes::Match::Found:
        break;
    }
    if (const std::optional<FakeReply> refused = refusal(request))
        return *refused;
    return m_routes->handle(request.method, request.path, request.query, request.body);
}

std::optional<FakeReply> FakeLiteLLM::refusal(const RecordedRequest& request) const {
    if (FakeLiteLLMRoutes::isPublic(request.path))
        return std::nullopt;
    const std::optional<QString> key = presentedKey(request.headers);
    if (!key) {
        return FakeReply{401, fakejson::proxyError(u"Authentication Error, No api key passed in."_s,
                                                   u"auth_error"_s, u"None"_s, 401)};
    }
    if (*key == m_masterKey)
        return std::nullopt;
    if (m_viewerKeys.contains(*key)) {
        if (request.method != "POST")
            return std::nullopt;
        // The /management/v1 routes authorize in the route and answer a problem document.
        if (FakeLiteLLMRoutes::isManagementV1(request.path))
            return FakeReply{
                403, fakejson::problem(u"forbidden"_s, u"Forbidden"_s, 403,
                                       u"Call not allowed. User not proxy admin OR team admin OR "
                                       u"org admin for this team. route='"_s +
                                           request.path + u"'"_s)};
        return FakeReply{
            403, fakejson::proxyError(u"Only proxy admin can be used to generate, delete, update "
                                      u"info for new keys/users/teams. Route="_s +
                                          request.path +
                                          u". Your role=proxy_admin_viewer. Your user_id=viewer"_s,
                                      u"auth_error"_s, u"None"_s, 403)};
    }
    const QByteArray hash =
        QCryptographicHash::hash(key->toUtf8(), QCryptographicHash::Sha256).toHex();
    return FakeReply{
        401, fakejson::proxyError(u"Authentication Error, Invalid proxy server token passed. "
                                  u"Received API Key = "_s +
                                      *key + u", Key Hash (Token) ="_s + QString::fromLatin1(hash) +
                                      u". Unable to find token in cache or "
                                      u"`LiteLLM_VerificationTokenTable`"_s,
                                  u"auth_error"_s, u"None"_s, 401)};
}

std::optional<FakeLiteLLM::QueuedFault> FakeLiteLLM::takeFault(const QString& path) {
    const auto it = m_faults.find(path);
    if (it == m_faults.end() || it->isEmpty())
        return std::nullopt;
    QueuedFault& queued = it->first();
    queued.fired = true;
    QueuedFault taken = queued;
    if (--queued.fault.times <= 0)
        it->removeFirst();
    return taken;
}

void FakeLiteLLM::send(QTcpSocket* socket, int status, const QByteArray& body, bool close,
                       const QByteArray& location) {
    QByteArray head =
        "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\nServer: uvicorn\r\n";
    if (!location.isEmpty())
        head += "Location: " + location + "\r\n";
    if (close)
        head += "Connection: close\r\n";
    socket->write(head + "\r\n" + body);
    if (close)
        socket->disconnectFromHost();
}

} // namespace litescope::test
