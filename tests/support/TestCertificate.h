#pragma once

#include <QString>

#include <optional>

namespace litescope::test {

// A self-signed certificate for 127.0.0.1 (and localhost), made by the `openssl` binary, for
// HTTPS tests: a client trusting only the system CAs must refuse it, a client given
// certificatePath as its CA must accept it.
struct TestCertificate {
    QString certificatePem;
    QString privateKeyPem;   // unencrypted RSA 2048, PKCS#8
    QString certificatePath; // cert.pem in the directory passed in
};

// Writes key.pem and cert.pem into `directory` (which must exist); valid for two days.
std::optional<TestCertificate> makeSelfSignedCertificate(const QString& directory, QString* error);

} // namespace litescope::test
