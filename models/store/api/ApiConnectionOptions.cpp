#include "store/api/ApiConnectionOptions.h"

#include "domain/TranslationContexts.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSslCertificate>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

// What QUrl found wrong, without what it quotes: its message goes on with "; source was" and the
// whole URL, and names the offending character of a user name or password.
QString urlProblem(const QUrl& url) {
    static const QRegularExpression quoted(u"\\s*\\(character .*\\)$"_s);
    const QString said = url.errorString();
    const qsizetype source = said.indexOf(u"; source was"_s);
    if (source <= 0)
        return ApiText::tr("it is not a well-formed URL");
    return said.left(source).remove(quoted);
}

} // namespace

QString ApiConnectionOptions::displayName() const {
    return baseUrl
        .adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment |
                  QUrl::StripTrailingSlash)
        .toString();
}

Status ApiConnectionOptions::check() const {
    const auto invalid = [](const QString& why) {
        return Error::invalid(ApiText::tr("The proxy URL is not usable: %1").arg(why));
    };
    if (!baseUrl.isValid())
        return invalid(urlProblem(baseUrl));
    const QString scheme = baseUrl.scheme().toLower();
    if (scheme != u"http"_s && scheme != u"https"_s)
        return invalid(
            ApiText::tr("give an http:// or https:// address, e.g. https://proxy.example:4000"));
    if (baseUrl.host().isEmpty())
        return invalid(ApiText::tr("it names no host"));
    if (baseUrl.hasQuery() || baseUrl.hasFragment())
        return invalid(ApiText::tr("leave out the query and the fragment"));
    if (!baseUrl.userInfo().isEmpty())
        return invalid(ApiText::tr("leave out user:password@; the key is given separately"));
    if (!caFile.isEmpty())
        if (Result<QList<QSslCertificate>> authorities = readCaCertificates(caFile, caFileLimit);
            !authorities)
            return authorities.error();
    if (timeoutMs <= 0 || pageSize <= 0 || readRetries < 0)
        return Error::invalid(ApiText::tr("The timeout and page size must be positive."));
    if (apiKey.isEmpty())
        return Error{ErrorKind::PermissionDenied,
                     ApiText::tr("No API key was given: the admin API needs the proxy's "
                                 "master key or an admin's virtual key.")};
    if (apiKey.contains(u'\n') || apiKey.contains(u'\r'))
        return Error::invalid(ApiText::tr("The API key contains a line break."));
    return Done{};
}

Result<QList<QSslCertificate>> readCaCertificates(const QString& path, qint64 limit) {
    const Result<QByteArray> pem = readBoundedRegularFile(path, limit);
    if (!pem)
        return Error{pem.error().kind, ApiText::tr("The CA file: %1").arg(pem.error().message)};
    QList<QSslCertificate> certificates = QSslCertificate::fromData(*pem, QSsl::Pem);
    if (certificates.isEmpty())
        return Error::invalid(ApiText::tr("The CA file %1 holds no PEM certificate.").arg(path));
    return certificates;
}

} // namespace litescope
