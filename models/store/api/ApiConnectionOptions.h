#pragma once

#include "domain/BoundedFile.h"
#include "domain/Result.h"

#include <QJsonObject>
#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

#include <optional>

namespace litescope {

// How to reach a LiteLLM proxy's admin REST API. The key (the master key or an admin's virtual
// key) is kept only here and in the request headers: displayName(), every message and every
// workspace leave it out.
struct ApiConnectionOptions {
    QUrl baseUrl; // http(s)://proxy.example:4000, optionally with a path prefix
    QString apiKey;
    // LiteLLM accepts "Authorization: Bearer" by default; admins can rename the header
    // (general_settings.litellm_key_header_name). The value is always "Bearer <key>".
    QString keyHeader = QStringLiteral("Authorization");
    // PEM file with extra trusted CA certificates (a private CA or a self-signed proxy). The
    // system's CAs stay trusted; certificate checks are never switched off.
    QString caFile;
    qint64 caFileLimit = DefaultConfigFileLimit; // the most bytes read of caFile
    int timeoutMs = 30'000;
    // Reads that fail on the network or with 502/503/504 are retried this often, with
    // exponential backoff from retryDelayMs. Writes are never retried: a write that may have
    // landed must not land twice.
    int readRetries = 3;
    int retryDelayMs = 250;
    int pageSize = 100;
    bool readOnly = false;
    // Sent as litellm-changed-by, which LiteLLM records as changed_by in its own audit log.
    QString actor = QStringLiteral("default_user_id");
    // LiteLLM's litellm_settings (model_alias_map, personal_key_model_access_from_teams, ...) live
    // in the proxy's config.yaml and no admin endpoint returns them. When the admin supplies them,
    // a snapshot carries them; otherwise it marks `settings` unknown and decisions that depend on
    // them come out unknown instead of guessed.
    std::optional<QJsonObject> litellmSettings;

    // "https://proxy.example:4000": scheme, host, port and path; never the key or user info.
    QString displayName() const;
    // A URL litescope can use: http or https, a host, no query or fragment; a CA file that is
    // a readable file of PEM certificates.
    Status check() const;
};

// The certificates of a PEM CA file: a regular file of at most `limit` bytes
// (readBoundedRegularFile) holding at least one certificate.
Result<QList<QSslCertificate>> readCaCertificates(const QString& path, qint64 limit);

} // namespace litescope
