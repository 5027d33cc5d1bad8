#include "CliSupport.h"

#include "ApiKeyPrompt.h"
#include "store/FileStore.h"
#include "store/api/ApiStore.h"
#include "store/pg/PgStore.h"
#include "workspace/WorkspaceJson.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace litescope::cli {

QTextStream& out() {
    static QTextStream stream(stdout);
    return stream;
}

QTextStream& err() {
    static QTextStream stream(stderr);
    return stream;
}

void setUpCommand(QCommandLineParser& parser, const QString& command, const QString& description) {
    parser.setApplicationDescription(description);
    parser.addHelpOption();
    parser.addOption({{u"w"_s, u"workspace"_s},
                      QCoreApplication::translate("cli", "Use the workspace file <file>."),
                      u"file"_s});
    parser.addOption(
        {u"db"_s,
         QCoreApplication::translate(
             "cli", "Use the LiteLLM database <connection>: a URI (postgresql://user@host/db) or "
                    "key=value string. Give the password through PGPASSWORD or ~/.pgpass, not on "
                    "the command line."),
         u"connection"_s});
    parser.addOption(
        {u"api"_s,
         QCoreApplication::translate(
             "cli", "Use the LiteLLM proxy's admin API at <url> (http(s)://host:port)."),
         u"url"_s});
    parser.addOption(
        {u"api-key-env"_s,
         QCoreApplication::translate(
             "cli", "With --api: read the master key (or an admin's key) from the environment "
                    "variable <name>. Without it the key is asked for on the terminal. Never "
                    "put the key itself on the command line."),
         u"name"_s});
    parser.addOption({u"ca-file"_s,
                      QCoreApplication::translate(
                          "cli", "With --api: also trust the CA certificates in <file> (PEM), "
                                 "for a proxy with a private or self-signed certificate."),
                      u"file"_s});
    parser.addOption({u"timeout"_s,
                      QCoreApplication::translate(
                          "cli", "With --api: give up on a request after <seconds> (default 30)."),
                      u"seconds"_s});
    parser.addOption(
        {u"litellm-settings"_s,
         QCoreApplication::translate(
             "cli", "With --api: the proxy's litellm_settings as JSON (model_alias_map, "
                    "personal_key_model_access_from_teams, personal_key_multi_team_access), "
                    "which the admin API does not return. Without it, decisions that depend on "
                    "them come out unknown."),
         u"file"_s});
    parser.addOption(
        {u"api-key-header"_s,
         QCoreApplication::translate("cli", "With --api: send the key in header <name> (default "
                                            "Authorization; LiteLLM's litellm_key_header_name)."),
         u"name"_s});
    parser.addOption({u"read-only"_s, QCoreApplication::translate(
                                          "cli", "Refuse every change (enforced by the database "
                                                 "session too).")});
    parser.addOption({u"actor"_s,
                      QCoreApplication::translate(
                          "cli", "Who is making changes, recorded as changed_by / updated_by "
                                 "(default: default_user_id, as LiteLLM's master key)."),
                      u"name"_s});
    parser.addPositionalArgument(command, QCoreApplication::translate("cli", "The command."));
}

std::optional<int> parseCommand(QCommandLineParser& parser, const QStringList& arguments) {
    if (!parser.parse(arguments))
        return badInput(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        out() << parser.helpText();
        out().flush();
        return ExitOk;
    }
    return std::nullopt;
}

bool hasSource(const QCommandLineParser& parser) {
    return parser.isSet(u"workspace"_s) || parser.isSet(u"db"_s) || parser.isSet(u"api"_s);
}

QString missingSourceMessage() {
    return QCoreApplication::translate(
        "cli", "Say where the data comes from: --workspace FILE, --db CONNECTION or --api URL.");
}

namespace {

Result<PgConnectionOptions> connectionOptions(const QCommandLineParser& parser) {
    PgConnectionOptions options;
    options.connectionString = parser.value(u"db"_s);
    options.readOnly = parser.isSet(u"read-only"_s);
    if (parser.isSet(u"actor"_s))
        options.actor = parser.value(u"actor"_s);
    if (options.actor.isEmpty())
        return Error::invalid(QCoreApplication::translate("cli", "--actor cannot be empty."));
    if (options.holdsPassword())
        err() << QCoreApplication::translate(
                     "cli", "litescope-cli: warning: the --db connection string holds a password, "
                            "which other users can see in the process list; use PGPASSWORD or "
                            "~/.pgpass instead.")
              << Qt::endl;
    return options;
}

Result<QJsonObject> readSettingsFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::notFound(
            QCoreApplication::translate("cli", "Cannot read %1: %2").arg(path, file.errorString()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return Error::invalid(
            QCoreApplication::translate("cli", "%1 is not a JSON object of litellm_settings: %2")
                .arg(path, error.error != QJsonParseError::NoError
                               ? error.errorString()
                               : QCoreApplication::translate("cli", "expected {...}")));
    const QJsonObject settings = document.object();
    if (!settings.value(u"model_alias_map"_s).isUndefined() &&
        !settings.value(u"model_alias_map"_s).isObject())
        return Error::invalid(
            QCoreApplication::translate("cli", "%1: model_alias_map must be an object of strings")
                .arg(path));
    return settings;
}

Result<ApiConnectionOptions> apiOptions(const QCommandLineParser& parser) {
    ApiConnectionOptions options;
    options.baseUrl = QUrl(parser.value(u"api"_s), QUrl::StrictMode);
    options.readOnly = parser.isSet(u"read-only"_s);
    if (parser.isSet(u"actor"_s))
        options.actor = parser.value(u"actor"_s);
    if (options.actor.isEmpty())
        return Error::invalid(QCoreApplication::translate("cli", "--actor cannot be empty."));
    if (parser.isSet(u"ca-file"_s))
        options.caFile = parser.value(u"ca-file"_s);
    if (parser.isSet(u"api-key-header"_s))
        options.keyHeader = parser.value(u"api-key-header"_s);
    if (parser.isSet(u"timeout"_s)) {
        bool ok = false;
        const double seconds = parser.value(u"timeout"_s).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 3600)
            return Error::invalid(QCoreApplication::translate(
                "cli", "--timeout takes a number of seconds above 0 and at most 3600."));
        options.timeoutMs = std::max(1, static_cast<int>(seconds * 1000));
    }
    if (parser.isSet(u"litellm-settings"_s)) {
        Result<QJsonObject> settings = readSettingsFile(parser.value(u"litellm-settings"_s));
        if (!settings)
            return settings.error();
        options.litellmSettings = *settings;
    }
    if (Status usable = options.check();
        !usable && usable.error().kind != ErrorKind::PermissionDenied)
        return usable.error(); // the address, before asking for a key
    Result<QString> key = parser.isSet(u"api-key-env"_s)
                              ? apiKeyFromEnvironment(parser.value(u"api-key-env"_s))
                              : promptForApiKey(options.displayName());
    if (!key)
        return key.error();
    options.apiKey = *key;
    return options;
}

Status checkOneSource(const QCommandLineParser& parser) {
    if (!hasSource(parser))
        return Error::invalid(missingSourceMessage());
    const int sources = int(parser.isSet(u"workspace"_s)) + int(parser.isSet(u"db"_s)) +
                        int(parser.isSet(u"api"_s));
    if (sources > 1)
        return Error::invalid(QCoreApplication::translate(
            "cli", "Give one of --workspace, --db and --api, not several."));
    for (const QString& option : {u"api-key-env"_s, u"ca-file"_s, u"timeout"_s,
                                  u"litellm-settings"_s, u"api-key-header"_s}) {
        if (parser.isSet(option) && !parser.isSet(u"api"_s))
            return Error::invalid(
                QCoreApplication::translate("cli", "--%1 goes with --api.").arg(option));
    }
    return Done{};
}

} // namespace

Result<Workspace> loadSource(const QCommandLineParser& parser) {
    if (Status one = checkOneSource(parser); !one)
        return one.error();
    if (parser.isSet(u"workspace"_s))
        return workspace::readFile(parser.value(u"workspace"_s));
    Result<std::unique_ptr<Store>> store = openStore(parser);
    if (!store)
        return store.error();
    return run((*store)->snapshot());
}

Result<std::unique_ptr<Store>> openStore(const QCommandLineParser& parser) {
    if (Status one = checkOneSource(parser); !one)
        return one.error();
    std::unique_ptr<Store> store;
    if (parser.isSet(u"workspace"_s)) {
        store =
            std::make_unique<FileStore>(parser.value(u"workspace"_s), parser.isSet(u"read-only"_s));
    } else if (parser.isSet(u"api"_s)) {
        Result<ApiConnectionOptions> options = apiOptions(parser);
        if (!options)
            return options.error();
        store = std::make_unique<ApiStore>(std::move(*options));
    } else {
        Result<PgConnectionOptions> options = connectionOptions(parser);
        if (!options)
            return options.error();
        store = std::make_unique<PgStore>(*options);
    }
    Result<StoreInfo> info = run(store->open());
    if (!info)
        return info.error();
    return store;
}

QString noSuchKeyMessage(const QString& key) {
    return QCoreApplication::translate(
               "cli", "no key \"%1\" in the workspace (give a token, hash or key alias)")
        .arg(key);
}

int badInput(const QString& message) {
    out().flush();
    err() << "litescope-cli: " << message << Qt::endl;
    return ExitBadInput;
}

} // namespace litescope::cli
