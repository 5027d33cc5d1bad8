#include "store/api/ApiErrors.h"

#include "domain/DisplayText.h"
#include "domain/TranslationContexts.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace litescope::api {

namespace {

QString scalarText(const QJsonValue& value) {
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble());
    if (value.isBool())
        return value.toBool() ? u"true"_s : u"false"_s;
    if (value.isNull() || value.isUndefined())
        return {};
    return QString::fromUtf8(QJsonDocument(value.isObject() ? QJsonDocument(value.toObject())
                                                            : QJsonDocument(value.toArray()))
                                 .toJson(QJsonDocument::Compact));
}

// FastAPI's 422: {"detail": [{"loc": ["body", "team_id"], "msg": "Field required", ...}]}
QString validationText(const QJsonArray& details) {
    QStringList parts;
    for (const QJsonValue& entry : details) {
        const QJsonObject detail = entry.toObject();
        QStringList location;
        for (const QJsonValue& part : detail.value(u"loc"_s).toArray())
            location.append(scalarText(part));
        const QString message = detail.value(u"msg"_s).toString();
        parts.append(location.isEmpty() ? message : location.join(u'.') + u": "_s + message);
    }
    return parts.join(u"; "_s);
}

// What LiteLLM said, in any of its four error shapes (litellm-admin-api.md §0), verbatim.
QString serverText(const QByteArray& body) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        const QString raw = QString::fromUtf8(body.left(500)).trimmed();
        return raw.isEmpty() ? ApiText::tr("(an empty body)") : raw;
    }
    const QJsonObject root = document.object();
    if (root.value(u"error"_s).isObject()) {
        const QJsonObject error = root.value(u"error"_s).toObject();
        QStringList facts;
        const QString type = scalarText(error.value(u"type"_s));
        const QString code = scalarText(error.value(u"code"_s));
        if (!type.isEmpty() && type != u"None"_s)
            facts.append(u"type "_s + type);
        if (!code.isEmpty() && code != u"None"_s)
            facts.append(u"code "_s + code);
        const QString message = scalarText(error.value(u"message"_s));
        return facts.isEmpty() ? message : message + u" ("_s + facts.join(u", "_s) + u')';
    }
    if (root.contains(u"error"_s))
        return scalarText(root.value(u"error"_s));
    const QJsonValue detail = root.value(u"detail"_s);
    if (detail.isArray())
        return validationText(detail.toArray());
    if (detail.isObject()) {
        const QJsonObject object = detail.toObject();
        for (const QString& field : {u"message"_s, u"error"_s}) {
            if (object.contains(field))
                return scalarText(object.value(field));
        }
        return scalarText(detail);
    }
    if (detail.isString())
        return detail.toString();
    return QString::fromUtf8(body.left(500));
}

// What the proxy said is quoted in one line: a body's newlines and terminal controls (a proxy
// behind a hostile or broken gateway) come out escaped, never as lines of our own.
QString liteLLMText(const QByteArray& body) {
    return escapeHiddenCharacters(serverText(body));
}

bool isRouteMissing(const QByteArray& body) {
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    return root.value(u"detail"_s).toString() == u"Not Found"_s;
}

} // namespace

Error httpError(int status, const QByteArray& body, const QString& request) {
    const QString said = liteLLMText(body);
    const QString head =
        ApiText::tr("The proxy refused %1 with HTTP %2: %3").arg(request).arg(status).arg(said);
    switch (status) {
    case 401:
        return {ErrorKind::PermissionDenied,
                head + u"\n"_s +
                    ApiText::tr(
                        "The key was not accepted. Check that the environment variable holds the "
                        "proxy's master key (or a proxy admin's virtual key) and that the proxy "
                        "expects it in this header.")};
    case 403:
        return {ErrorKind::PermissionDenied,
                head + u"\n"_s +
                    ApiText::tr(
                        "The key is valid but may not do this: read-only roles "
                        "(proxy_admin_viewer) and non-admin keys cannot change teams or keys. Use "
                        "the master key or a proxy admin's key.")};
    case 404:
        if (isRouteMissing(body))
            return {
                ErrorKind::Unsupported,
                ApiText::tr("The proxy has no %1 endpoint (an older or differently built LiteLLM).")
                    .arg(request)};
        return {ErrorKind::NotFound, head};
    case 409:
        return {ErrorKind::Conflict, head};
    case 429:
    case 502:
    case 503:
    case 504:
        return {ErrorKind::ConnectionLost,
                head + u"\n"_s +
                    ApiText::tr("The proxy is overloaded or restarting; try again shortly.")};
    default:
        break;
    }
    if (status >= 500)
        return {ErrorKind::ServerError,
                head + u"\n"_s + ApiText::tr("The proxy failed; its log has the details.")};
    return {ErrorKind::InvalidInput, head};
}

Error networkError(QNetworkReply::NetworkError error, const QString& errorString,
                   const QString& request, const QString& proxy, int timeoutMs) {
    switch (error) {
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TimeoutError:
        return {ErrorKind::ConnectionLost,
                ApiText::tr("%1 got no answer from %2 within %3 s; the proxy may be overloaded or "
                            "unreachable.")
                    .arg(request, proxy)
                    .arg(timeoutMs / 1000.0)};
    case QNetworkReply::SslHandshakeFailedError:
        return {ErrorKind::ConnectionLost,
                ApiText::tr(
                    "The TLS certificate of %1 was not accepted: %2. If the proxy uses a private "
                    "or self-signed certificate, give its CA certificate with --ca-file.")
                    .arg(proxy, errorString)};
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
        return {
            ErrorKind::ConnectionLost,
            ApiText::tr("Cannot reach the proxy at %1: %2. Check the address and that the proxy is "
                        "running.")
                .arg(proxy, errorString)};
    case QNetworkReply::TooManyRedirectsError:
        return {ErrorKind::InvalidInput, ApiText::tr("%1 to %2 was redirected in a loop (%3).")
                                             .arg(request, proxy, errorString)};
    default:
        return {ErrorKind::ConnectionLost,
                ApiText::tr("%1 to %2 failed: %3").arg(request, proxy, errorString)};
    }
}

Error redirectRefused(const QString& request, const QString& proxy, const QString& location) {
    // Only the origin it points to: the path, query string or user:password@ of a sign-in page
    // may carry the key (in any encoding), and the origin is all an admin needs, since redirects
    // within it are followed.
    const QUrl target(location, QUrl::StrictMode);
    const QString shown = target.isValid() && !target.host().isEmpty()
                              ? target
                                    .adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath |
                                              QUrl::RemoveQuery | QUrl::RemoveFragment)
                                    .toString()
                              : ApiText::tr("another address");
    return {ErrorKind::InvalidInput,
            ApiText::tr("%1 to %2 was redirected to %3. litescope does not send the key to another "
                        "address: give the address the proxy redirects to.")
                .arg(request, proxy, shown)};
}

Error malformedReply(const QString& request, const QString& parseError) {
    return {
        ErrorKind::ServerError,
        ApiText::tr("The answer to %1 is not LiteLLM's JSON (%2). Check that the address is the "
                    "proxy's and not a web page in front of it.")
            .arg(request, parseError)};
}

bool isTransient(int status, QNetworkReply::NetworkError error) {
    // LiteLLM answers 500 for transient database errors (a lock, a dropped connection) too.
    // Only reads are retried, so a 500 that means "this failed for good" costs a few requests.
    if (status == 429 || status == 500 || status == 502 || status == 503 || status == 504)
        return true;
    if (status != 0)
        return false;
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionClosedError:
        return true;
    default:
        return false;
    }
}

} // namespace litescope::api
