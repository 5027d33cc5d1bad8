#pragma once

#include "domain/BoundedFile.h"
#include "domain/Result.h"
#include "store/pg/PgConnectionOptions.h"

#include <QString>

#include <optional>

namespace litescope {

enum class ConnectionKind { WorkspaceFile, Database, Api };

// Where litescope reads and writes a proxy, as an admin describes it: the CLI's source options,
// the window's connection profile. Exactly one of the three sources must be set. The spec stays
// loose on purpose (every source optional) so that input naming none or several is refused with
// a message instead of one source silently winning. It holds secrets (the API key, a password in
// the database string) but never shows them: displayName() and every message leave them out.
struct ConnectionSpec {
    std::optional<QString> workspaceFile;
    // A libpq URI (postgresql://user@host:5432/litellm) or key=value string; libpq honours the
    // PG* environment variables and ~/.pgpass, which keep the password out of the spec.
    std::optional<QString> databaseUri;
    // The proxy's admin API (http(s)://host:port, optionally with a path prefix) and the options
    // that only mean something for it.
    std::optional<QString> apiUrl;
    std::optional<QString> apiKey;       // the master key or an admin's virtual key
    std::optional<QString> apiKeyHeader; // LiteLLM's litellm_key_header_name; Authorization
    std::optional<QString> caFile;       // extra trusted CA certificates (PEM)
    std::optional<double> timeoutSeconds;
    // A JSON object of the proxy's litellm_settings (model_alias_map, ...), which no admin
    // endpoint returns. Without it, decisions that depend on them come out unknown.
    std::optional<QString> litellmSettingsFile;
    // The proxy's own config.yaml, for any source: its config-only deployments, litellm_settings
    // and router aliases are merged into what the source reads (mergeProxyConfig).
    std::optional<QString> proxyConfigFile;

    // The most bytes read of any file the spec names (the workspace, config.yaml and its
    // includes, litellm_settings, the CA file); none: 1 GiB for a workspace, 16 MiB for the others
    // (FileLimits). A bigger file is refused before it is read.
    std::optional<qint64> maxFileSize;

    // The proxy's LiteLLM release ("1.97.2"), overriding what the source says: decisions and
    // writes follow that release's rules (LiteLLMProfile).
    std::optional<QString> litellmVersion;
    bool readOnly = false;
    // Recorded as changed_by / updated_by by the database and the API; none = LiteLLM's
    // default_user_id (what the master key writes). A workspace file records no actor.
    std::optional<QString> actor;

    // The one source that is set; nullopt when none or several are.
    std::optional<ConnectionKind> kind() const;
    // Where the spec points, for titles and messages: the file, "user@host:port/db" or the
    // proxy's URL, never a password or key. Empty when the spec names no single source.
    QString displayName() const;
    // Whether the database string carries a password (the CLI warns that the process list
    // shows it); Unreadable when libpq cannot read the string, which may then hold one.
    PasswordCheck databasePassword() const;
    // The size limits for the files the spec names: maxFileSize for all, or the defaults.
    FileLimits fileLimits() const {
        return maxFileSize ? FileLimits::same(*maxFileSize) : FileLimits::defaults();
    }
};

// The part of a spec a problem is about, so a caller can say it in its own terms (the CLI names
// its options, a connection dialog marks the field).
enum class SpecField {
    Source,
    WorkspaceFile,
    DatabaseUri,
    ApiUrl,
    ApiKey,
    ApiKeyHeader,
    CaFile,
    Timeout,
    LitellmSettingsFile,
    ProxyConfigFile,
    LitellmVersion,
    Actor,
    MaxFileSize,
};

struct SpecProblem {
    enum class Kind {
        NoSource,       // none of the three sources
        SeveralSources, // more than one
        OnlyForApi,     // an admin API option without an API URL
        Empty,          // a value that cannot be empty
        Invalid,        // a value that is there but unusable (a bad URL, an unreadable file)
    };
    Kind kind;
    SpecField field;
    Error error; // in the factory's own words
};

// The first thing wrong with `spec`, checked in the order an admin fixes them (the source, then
// the options, then their values), or nullopt. Reads the CA, litellm_settings and config.yaml
// files, so a dialog can check a profile before it connects. A missing API key is not a problem
// here: it may come later (a prompt, a keychain); makeStore() needs it.
std::optional<SpecProblem> findProblem(const ConnectionSpec& spec);

} // namespace litescope
