#include "store/StoreFactory.h"

#include "config/ProxyConfig.h"
#include "domain/DisplayText.h"
#include "domain/TranslationContexts.h"
#include "store/FileStore.h"
#include "store/api/ApiConnectionOptions.h"
#include "store/api/ApiStore.h"
#include "store/pg/PgConnectionOptions.h"
#include "store/pg/PgStore.h"
#include "workspace/JsonText.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <utility>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

// Longer than any proxy takes to answer one request; a mistyped "30000" (milliseconds) is caught.
constexpr double maxTimeoutSeconds = 3600;

SpecProblem problem(SpecProblem::Kind kind, SpecField field, Error error) {
    return SpecProblem{kind, field, std::move(error)};
}

SpecProblem invalid(SpecField field, Error error) {
    return problem(SpecProblem::Kind::Invalid, field, std::move(error));
}

PgConnectionOptions databaseOptions(const ConnectionSpec& spec) {
    PgConnectionOptions options;
    options.connectionString = spec.databaseUri.value_or(QString());
    options.readOnly = spec.readOnly;
    if (spec.actor)
        options.actor = *spec.actor;
    return options;
}

// Everything but the key and the litellm_settings, which need a prompt or a file read.
ApiConnectionOptions apiOptions(const ConnectionSpec& spec) {
    ApiConnectionOptions options;
    options.baseUrl = QUrl(spec.apiUrl.value_or(QString()), QUrl::StrictMode);
    options.readOnly = spec.readOnly;
    if (spec.actor)
        options.actor = *spec.actor;
    if (spec.caFile)
        options.caFile = *spec.caFile;
    options.caFileLimit = spec.fileLimits().config;
    if (spec.apiKeyHeader)
        options.keyHeader = *spec.apiKeyHeader;
    if (spec.timeoutSeconds)
        options.timeoutMs = std::max(1, static_cast<int>(*spec.timeoutSeconds * 1000));
    return options;
}

// The API options in the order the CLI has always checked them.
std::optional<SpecProblem> optionOutsideApi(const ConnectionSpec& spec) {
    const struct {
        bool set;
        SpecField field;
        const char* name;
    } options[] = {
        {spec.apiKey.has_value(), SpecField::ApiKey,
         QT_TRANSLATE_NOOP("litescope::StoreFactory", "The API key")},
        {spec.caFile.has_value(), SpecField::CaFile,
         QT_TRANSLATE_NOOP("litescope::StoreFactory", "The CA file")},
        {spec.timeoutSeconds.has_value(), SpecField::Timeout,
         QT_TRANSLATE_NOOP("litescope::StoreFactory", "The timeout")},
        {spec.litellmSettingsFile.has_value(), SpecField::LitellmSettingsFile,
         QT_TRANSLATE_NOOP("litescope::StoreFactory", "The litellm_settings file")},
        {spec.apiKeyHeader.has_value(), SpecField::ApiKeyHeader,
         QT_TRANSLATE_NOOP("litescope::StoreFactory", "The API key header")},
    };
    for (const auto& option : options)
        if (option.set)
            return problem(SpecProblem::Kind::OnlyForApi, option.field,
                           Error::invalid(StoreFactoryText::tr("%1 goes with an admin API URL.")
                                              .arg(StoreFactoryText::tr(option.name))));
    return std::nullopt;
}

std::optional<SpecProblem> apiProblem(const ConnectionSpec& spec) {
    if (spec.timeoutSeconds &&
        !(*spec.timeoutSeconds > 0 && *spec.timeoutSeconds <= maxTimeoutSeconds))
        return invalid(SpecField::Timeout,
                       Error::invalid(StoreFactoryText::tr(
                                          "The timeout takes a number of seconds above 0 and at "
                                          "most %1.")
                                          .arg(maxTimeoutSeconds)));
    if (spec.apiKeyHeader && spec.apiKeyHeader->trimmed().isEmpty())
        return problem(SpecProblem::Kind::Empty, SpecField::ApiKeyHeader,
                       Error::invalid(StoreFactoryText::tr("The API key header needs a name.")));
    if (spec.litellmSettingsFile)
        if (Result<QJsonObject> settings =
                readLitellmSettingsFile(*spec.litellmSettingsFile, spec.fileLimits().config);
            !settings)
            return invalid(SpecField::LitellmSettingsFile, settings.error());
    // One check at a time, so the problem names the right field. Without a key check() ends with
    // PermissionDenied ("no key"), which is not a problem of the spec.
    ApiConnectionOptions options = apiOptions(spec);
    const auto failure = [](const ApiConnectionOptions& checked) -> std::optional<Error> {
        Status usable = checked.check();
        if (usable || usable.error().kind == ErrorKind::PermissionDenied)
            return std::nullopt;
        return usable.error();
    };
    const QString caFile = std::exchange(options.caFile, QString());
    if (std::optional<Error> error = failure(options))
        return invalid(SpecField::ApiUrl, *error);
    options.caFile = caFile;
    if (std::optional<Error> error = failure(options))
        return invalid(SpecField::CaFile, *error);
    options.apiKey = spec.apiKey.value_or(QString());
    if (std::optional<Error> error = failure(options))
        return invalid(SpecField::ApiKey, *error);
    return std::nullopt;
}

} // namespace

std::optional<ConnectionKind> ConnectionSpec::kind() const {
    const int sources =
        int(workspaceFile.has_value()) + int(databaseUri.has_value()) + int(apiUrl.has_value());
    if (sources != 1)
        return std::nullopt;
    if (workspaceFile)
        return ConnectionKind::WorkspaceFile;
    return databaseUri ? ConnectionKind::Database : ConnectionKind::Api;
}

QString ConnectionSpec::displayName() const {
    switch (kind().value_or(ConnectionKind::WorkspaceFile)) {
    case ConnectionKind::WorkspaceFile:
        return kind() ? *workspaceFile : QString();
    case ConnectionKind::Database: {
        const Result<QString> name = databaseOptions(*this).displayName();
        // Never the string itself: it may hold a password.
        return name ? *name : StoreFactoryText::tr("(invalid connection string)");
    }
    case ConnectionKind::Api:
        return apiOptions(*this).displayName();
    }
    return {};
}

PasswordCheck ConnectionSpec::databasePassword() const {
    return databaseUri ? databaseOptions(*this).passwordCheck() : PasswordCheck::None;
}

std::optional<SpecProblem> findProblem(const ConnectionSpec& spec) {
    const std::optional<ConnectionKind> kind = spec.kind();
    if (!kind) {
        if (!spec.workspaceFile && !spec.databaseUri && !spec.apiUrl)
            return problem(SpecProblem::Kind::NoSource, SpecField::Source,
                           Error::invalid(StoreFactoryText::tr(
                               "Say where the data comes from: a workspace file, a "
                               "database connection or an admin API URL.")));
        return problem(SpecProblem::Kind::SeveralSources, SpecField::Source,
                       Error::invalid(StoreFactoryText::tr(
                           "Give one of a workspace file, a database connection and "
                           "an admin API URL, not several.")));
    }
    if (*kind != ConnectionKind::Api)
        if (std::optional<SpecProblem> misplaced = optionOutsideApi(spec))
            return misplaced;
    // Before any file is read: the limit applies to all of them.
    if (spec.maxFileSize && !(*spec.maxFileSize > 0 && *spec.maxFileSize <= MaxFileLimit))
        return invalid(SpecField::MaxFileSize,
                       Error::invalid(StoreFactoryText::tr(
                                          "The file size limit must be above 0 and at most %1 "
                                          "MiB.")
                                          .arg(MaxFileLimit / MiB)));
    if (spec.proxyConfigFile)
        if (Result<ProxyConfig> config =
                readProxyConfig(*spec.proxyConfigFile, spec.fileLimits().config);
            !config)
            return invalid(SpecField::ProxyConfigFile, config.error());
    if (spec.litellmVersion && !LiteLLMVersion::parse(*spec.litellmVersion))
        return invalid(
            SpecField::LitellmVersion,
            Error::invalid(StoreFactoryText::tr("%1 is not a LiteLLM release; give one such as "
                                                "1.97.2.")
                               .arg(quotedName(*spec.litellmVersion))));
    if (*kind == ConnectionKind::WorkspaceFile) {
        if (spec.workspaceFile->isEmpty())
            return problem(SpecProblem::Kind::Empty, SpecField::WorkspaceFile,
                           Error::invalid(StoreFactoryText::tr("Name the workspace file.")));
        return std::nullopt; // the file records no actor: an empty one changes nothing
    }
    if (spec.actor && spec.actor->isEmpty())
        return problem(SpecProblem::Kind::Empty, SpecField::Actor,
                       Error::invalid(StoreFactoryText::tr("The actor cannot be empty.")));
    if (*kind == ConnectionKind::Api)
        return apiProblem(spec);
    if (const Result<QString> name = databaseOptions(spec).displayName(); !name)
        return invalid(SpecField::DatabaseUri, name.error());
    return std::nullopt;
}

Result<std::unique_ptr<Store>> makeStore(const ConnectionSpec& spec) {
    if (std::optional<SpecProblem> wrong = findProblem(spec))
        return wrong->error;
    std::unique_ptr<Store> store;
    switch (*spec.kind()) {
    case ConnectionKind::WorkspaceFile:
        store = std::make_unique<FileStore>(*spec.workspaceFile, spec.readOnly,
                                            spec.fileLimits().workspace);
        break;
    case ConnectionKind::Database:
        store = std::make_unique<PgStore>(databaseOptions(spec));
        break;
    case ConnectionKind::Api: {
        ApiConnectionOptions options = apiOptions(spec);
        options.apiKey = spec.apiKey.value_or(QString());
        if (spec.litellmSettingsFile) {
            Result<QJsonObject> settings =
                readLitellmSettingsFile(*spec.litellmSettingsFile, spec.fileLimits().config);
            if (!settings)
                return settings.error();
            options.litellmSettings = *settings;
        }
        if (Status usable = options.check(); !usable)
            return usable.error(); // by now only the missing key
        store = std::make_unique<ApiStore>(std::move(options));
        break;
    }
    }
    if (spec.litellmVersion)
        store->setLiteLLMVersion(LiteLLMVersion::parse(*spec.litellmVersion));
    return store;
}

Result<QJsonObject> readLitellmSettingsFile(const QString& path, qint64 limit) {
    Result<QByteArray> bytes = readBoundedRegularFile(path, limit);
    if (!bytes)
        return bytes.error();
    const Result<QJsonDocument> document = workspace::parseJsonText(std::move(bytes).value());
    if (!document || !document->isObject())
        return Error::invalid(
            StoreFactoryText::tr("%1 is not a JSON object of litellm_settings: %2")
                .arg(path, !document ? document.error().message
                                     : StoreFactoryText::tr("expected {...}")));
    const QJsonObject settings = document->object();
    const QJsonValue aliases = settings.value(u"model_alias_map"_s);
    if (!aliases.isUndefined() && !aliases.isObject())
        return Error::invalid(
            StoreFactoryText::tr("%1: model_alias_map must be an object of strings").arg(path));
    return settings;
}

} // namespace litescope
