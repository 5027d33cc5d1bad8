#pragma once

#include "domain/Result.h"

#include <QByteArray>
#include <QNetworkReply>
#include <QString>

namespace litescope::api {

// Errors for what a proxy answered, in words an admin can act on. LiteLLM's own message, type and
// code are quoted verbatim; 401 and 403 are explained. `request` reads "GET /team/info".

// An HTTP answer outside 2xx. 404 {"detail": "Not Found"} (a route the proxy does not have) is
// Unsupported; other 404s are NotFound.
Error httpError(int status, const QByteArray& body, const QString& request);

// No HTTP answer at all: refused, unreachable, timed out, TLS handshake refused.
Error networkError(QNetworkReply::NetworkError error, const QString& errorString,
                   const QString& request, const QString& proxy, int timeoutMs);

// A redirect to another origin, which is not followed (the key would go along). The message names
// the target's origin (scheme, host, port) only: its path, query or user info may carry the key.
Error redirectRefused(const QString& request, const QString& proxy, const QString& location);

// A 2xx answer whose body is not JSON (a web page, a truncated reply).
Error malformedReply(const QString& request, const QString& parseError);

// Whether retrying a read may help: the network failed or the proxy is overloaded or restarting.
bool isTransient(int status, QNetworkReply::NetworkError error);

} // namespace litescope::api
