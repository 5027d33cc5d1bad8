#include "store/api/ApiClient.h"

#include "domain/Redaction.h"
#include "store/api/ApiErrors.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <qcoro/qcorofuture.h>
#include <qcoro/qcoronetworkreply.h>
#include <qcoro/qcorotimer.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>

using namespace Qt::StringLiterals;

namespace litescope::api {

struct ApiClient::Reply {
    int status = 0; // 0: no HTTP answer
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    QString location; // where a 3xx answer points
};

namespace {

// Replies belong to the request that made them and go as soon as they have been read.
struct LaterDeleter {
    void operator()(QNetworkReply* reply) const { reply->deleteLater(); }
};

QString requestName(const QByteArray& method, const QString& path) {
    return QString::fromLatin1(method) + u' ' + path;
}

struct Parsed {
    QJsonValue value;
    QString error;
};

// Runs `action` on `target`'s thread when `cancellation` fires, while this lives. The hook may
// run on any thread: it only posts, under a lock the destructor takes too, so `target` is never
// reached once the owner let it go (Qt drops events posted to an object that is deleted).
class CancelRelay {
public:
    CancelRelay(const std::shared_ptr<Cancellation>& cancellation, QObject* target,
                std::function<void()> action)
        : m_state(std::make_shared<State>()) {
        m_state->target = target;
        m_hook = Cancellation::onCancel(cancellation, [state = m_state, action] {
            std::lock_guard lock(state->mutex);
            if (state->target)
                QMetaObject::invokeMethod(state->target, action, Qt::QueuedConnection);
        });
    }
    ~CancelRelay() {
        std::lock_guard lock(m_state->mutex);
        m_state->target = nullptr;
    }
    CancelRelay(const CancelRelay&) = delete;
    CancelRelay& operator=(const CancelRelay&) = delete;

private:
    struct State {
        std::mutex mutex;
        QObject* target = nullptr;
    };
    std::shared_ptr<State> m_state;
    Cancellation::Hook m_hook;
};

// QCoro::sleepFor that ends early when `cancellation` fires.
QCoro::Task<> pause(std::chrono::milliseconds delay, std::shared_ptr<Cancellation> cancellation) {
    QTimer timer;
    timer.setSingleShot(true);
    timer.start(delay);
    const CancelRelay relay(cancellation, &timer, [&timer] { timer.start(0); });
    co_await timer;
}

Parsed parseJson(const QByteArray& body) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return {{}, error.errorString() + u" at offset "_s + QString::number(error.offset)};
    if (document.isArray())
        return {document.array(), {}};
    return {document.object(), {}};
}

} // namespace

ApiClient::ApiClient(ApiConnectionOptions options)
    : m_options(std::move(options))
    , m_network(std::make_shared<QNetworkAccessManager>()) {
    // The key travels in a header: never follow a redirect to another origin with it.
    m_network->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
    // A CA file that cannot be read is refused by open() (ApiConnectionOptions::check).
    if (!m_options.caFile.isEmpty())
        if (Result<QList<QSslCertificate>> extra =
                readCaCertificates(m_options.caFile, m_options.caFileLimit);
            extra) {
            QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
            tls.setCaCertificates(tls.caCertificates() + *extra);
            m_tls = tls;
        }
}

ApiClient::ApiClient(const ApiClient& base, CallOptions call)
    : m_options(base.m_options)
    , m_network(base.m_network)
    , m_tls(base.m_tls)
    , m_call(std::move(call)) {}

std::shared_ptr<ApiClient> ApiClient::forCall(CallOptions call) const {
    return std::shared_ptr<ApiClient>(new ApiClient(*this, std::move(call)));
}

ApiClient::~ApiClient() = default;

QString ApiClient::redacted(QString text) const {
    return withoutSecret(std::move(text), m_options.apiKey, u"[the API key]"_s);
}

QCoro::Task<ApiClient::Reply> ApiClient::sendOnce(std::shared_ptr<ApiClient> client,
                                                  QByteArray method, QString path, Query query,
                                                  QByteArray body) {
    const ApiConnectionOptions& options = client->m_options;
    QUrl url = options.baseUrl;
    // Encoded, so that a percent-encoded segment of `path` (a team id) is sent as it is.
    QString base = url.path(QUrl::FullyEncoded);
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path, QUrl::TolerantMode);
    QStringList parameters;
    for (const auto& [name, value] : query)
        parameters.append(QString::fromLatin1(QUrl::toPercentEncoding(name)) + u'=' +
                          QString::fromLatin1(QUrl::toPercentEncoding(value)));
    url.setQuery(parameters.join(u'&'), QUrl::StrictMode);

    QNetworkRequest request(url);
    request.setRawHeader(options.keyHeader.toUtf8(), "Bearer " + options.apiKey.toUtf8());
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QString(u"litescope/"_s + QCoreApplication::applicationVersion()));
    request.setTransferTimeout(options.timeoutMs);
    if (client->m_tls)
        request.setSslConfiguration(*client->m_tls);
    if (method != "GET") {
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        if (!options.actor.isEmpty())
            request.setRawHeader("litellm-changed-by", options.actor.toUtf8());
    }

    std::unique_ptr<QNetworkReply, LaterDeleter> reply(
        method == "GET" ? client->m_network->get(request)
                        : client->m_network->sendCustomRequest(request, method, body));
    {
        QNetworkReply* const sent = reply.get();
        std::optional<CancelRelay> relay;
        if (method == "GET")
            relay.emplace(client->m_call.cancellation, sent, [sent] { sent->abort(); });
        co_await reply.get();
    }
    // The reply resumes this coroutine from inside its finished() signal. The rest of the call may
    // end there and release the last reference to the network manager, which deletes the reply
    // while it is still emitting: go on from the event loop instead.
    QTimer hop;
    hop.setSingleShot(true);
    hop.start(0);
    co_await hop;
    Reply result;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    result.status = status.isValid() ? status.toInt() : 0;
    result.error = reply->error();
    result.errorString = reply->errorString();
    result.location = QString::fromUtf8(reply->rawHeader("Location"));
    if (reply->isOpen()) // an aborted (timed-out) reply is closed
        result.body = reply->readAll();
    reply.reset();
    co_return result;
}

QCoro::Task<Result<QJsonValue>> ApiClient::send(std::shared_ptr<ApiClient> client,
                                                QByteArray method, QString path, Query query,
                                                QByteArray body) {
    const ApiConnectionOptions& options = client->m_options;
    const QString name = requestName(method, path);
    const int attempts = method == "GET" ? 1 + options.readRetries : 1;
    for (int attempt = 1;; ++attempt) {
        if (client->m_call.isCancelled())
            co_return CallOptions::cancelledError();
        QCoro::Task<Reply> pending = sendOnce(client, method, path, query, body);
        const Reply reply = co_await std::move(pending);
        // An aborted GET looks like a timeout (OperationCanceledError): never retried. A POST
        // that was sent is reported as the proxy answered it.
        if (method == "GET" && client->m_call.isCancelled())
            co_return CallOptions::cancelledError();
        if (isTransient(reply.status, reply.error) && attempt < attempts) {
            const auto delay =
                std::chrono::milliseconds(options.retryDelayMs) * (1 << (attempt - 1));
            QCoro::Task<> waiting = pause(delay, client->m_call.cancellation);
            co_await std::move(waiting);
            continue;
        }
        if (reply.status == 0) {
            Error error = networkError(reply.error, reply.errorString, name, client->displayName(),
                                       options.timeoutMs);
            error.message = client->redacted(error.message);
            co_return error;
        }
        if (reply.status >= 300 && reply.status <= 399) {
            // Only same-origin redirects are followed: the key never goes to another address.
            // Where it points is the server's text and may carry the key (?key=, a path).
            Error error = reply.error == QNetworkReply::TooManyRedirectsError
                              ? networkError(reply.error, reply.errorString, name,
                                             client->displayName(), options.timeoutMs)
                              : redirectRefused(name, client->displayName(), reply.location);
            error.message = client->redacted(error.message);
            co_return error;
        }
        if (reply.status < 200 || reply.status > 299) {
            Error error = httpError(reply.status, reply.body, name);
            error.message = client->redacted(error.message);
            co_return error;
        }
        QFuture<Parsed> parsing = QtConcurrent::run(&parseJson, reply.body);
        Parsed parsed = co_await parsing;
        // A read cancelled while its answer was parsed is dropped too: nothing after a cancel
        // may pass for data (or be reported as progress).
        if (method == "GET" && client->m_call.isCancelled())
            co_return CallOptions::cancelledError();
        if (!parsed.error.isEmpty()) {
            Error error = malformedReply(name, parsed.error);
            error.message = client->redacted(error.message);
            co_return error;
        }
        co_return std::move(parsed.value);
    }
}

QCoro::Task<Result<QJsonValue>> ApiClient::get(std::shared_ptr<ApiClient> client, QString path,
                                               Query query) {
    return send(std::move(client), "GET", std::move(path), std::move(query), {});
}

QCoro::Task<Result<QJsonValue>> ApiClient::post(std::shared_ptr<ApiClient> client, QString path,
                                                QJsonObject body) {
    return send(std::move(client), "POST", std::move(path), {},
                QJsonDocument(body).toJson(QJsonDocument::Compact));
}

} // namespace litescope::api
