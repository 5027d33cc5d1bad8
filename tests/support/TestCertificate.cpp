#include "support/TestCertificate.h"

#include <QDir>
#include <QFile>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace litescope::test {

namespace {

constexpr int kOpensslTimeoutMs = 60000;

std::optional<QString> readText(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read "_s + path + u": "_s + file.errorString();
        return std::nullopt;
    }
    return QString::fromUtf8(file.readAll());
}

} // namespace

std::optional<TestCertificate> makeSelfSignedCertificate(const QString& directory, QString* error) {
    const QDir dir(directory);
    const QString keyPath = dir.filePath(u"key.pem"_s);
    const QString certificatePath = dir.filePath(u"cert.pem"_s);
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(u"openssl"_s, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s,
                                 u"-keyout"_s, keyPath, u"-out"_s, certificatePath, u"-days"_s,
                                 u"2"_s, u"-subj"_s, u"/CN=127.0.0.1"_s, u"-addext"_s,
                                 u"subjectAltName=IP:127.0.0.1,DNS:localhost"_s});
    if (!openssl.waitForFinished(kOpensslTimeoutMs) ||
        openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0) {
        *error =
            u"openssl req failed: "_s + (openssl.error() == QProcess::FailedToStart
                                             ? openssl.errorString()
                                             : QString::fromLocal8Bit(openssl.readAll()).trimmed());
        return std::nullopt;
    }

    TestCertificate certificate;
    certificate.certificatePath = certificatePath;
    const std::optional<QString> certificatePem = readText(certificatePath, error);
    const std::optional<QString> keyPem = certificatePem ? readText(keyPath, error) : std::nullopt;
    if (!keyPem)
        return std::nullopt;
    certificate.certificatePem = *certificatePem;
    certificate.privateKeyPem = *keyPem;
    return certificate;
}

} // namespace litescope::test
