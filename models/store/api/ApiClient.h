#pragma once

#include "domain/Result.h"
#include "store/Operation.h"
#include "store/api/ApiConnectionOptions.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QSslConfiguration>
#include <QString>
#include <qcoro/qcorotask.h>

#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace litescope::api {

// Query parameters as given (decoded); the client percent-encodes them, '+' and '%' included.
using Query = QList<std::pair<QString, QString>>;

// One connection to a proxy's admin API: authentication, TLS, timeouts, read retries and the
// translation of LiteLLM's error bodies into errors an admin can act on.
//
// Requests are coroutines that take the client by shared pointer, so a store destroyed while a
// request is in flight leaves the client (and its QNetworkAccessManager) alive until the request
// ends. Each reply is owned by the request and released as soon as it has been read. The client
// lives on the thread that created it; network I/O never blocks that thread and JSON is parsed on
// a worker thread.
//
// A client made by forCall() belongs to one store call: when the call is cancelled, a GET in
// flight is aborted (never retried) and no new request is sent. A POST already sent is let
// finish, so that the caller learns whether the proxy took the write.
class ApiClient {
public:
    explicit ApiClient(ApiConnectionOptions options);
    ~ApiClient();
    ApiClient(const ApiClient&) = delete;
    ApiClient& operator=(const ApiClient&) = delete;

    const ApiConnectionOptions& options() const { return m_options; }
    QString displayName() const { return m_options.displayName(); }

    // The same connection for one call: its requests watch `call.cancellation`, and the readers
    // report their progress to `call.progress`.
    std::shared_ptr<ApiClient> forCall(CallOptions call) const;
    const CallOptions& call() const { return m_call; }

    // `path` is sent as given after the base URL's path: a segment taken from data must be
    // percent-encoded (QUrl::toPercentEncoding).
    // GET, retried with backoff on network failures and 502/503/504. The body parsed as JSON.
    static QCoro::Task<Result<QJsonValue>> get(std::shared_ptr<ApiClient> client, QString path,
                                               Query query = {});
    // POST a JSON object, never retried.
    static QCoro::Task<Result<QJsonValue>> post(std::shared_ptr<ApiClient> client, QString path,
                                                QJsonObject body);

    // `text` with every occurrence of the key replaced: server messages may echo it.
    QString redacted(QString text) const;

private:
    ApiClient(const ApiClient& base, CallOptions call);

    struct Reply;
    static QCoro::Task<Reply> sendOnce(std::shared_ptr<ApiClient> client, QByteArray method,
                                       QString path, Query query, QByteArray body);
    static QCoro::Task<Result<QJsonValue>> send(std::shared_ptr<ApiClient> client,
                                                QByteArray method, QString path, Query query,
                                                QByteArray body);

    ApiConnectionOptions m_options;
    // Shared by the clients of every call; it lives on the thread that created the first client.
    std::shared_ptr<QNetworkAccessManager> m_network;
    // The system's CAs and those of options.caFile, read once when the client is made (a file
    // read for every request could be replaced by a FIFO meanwhile); none without a CA file.
    std::optional<QSslConfiguration> m_tls;
    CallOptions m_call;
};

} // namespace litescope::api
