#include "CliSupport.h"

#include "store/FileStore.h"
#include "store/pg/PgStore.h"
#include "workspace/WorkspaceJson.h"

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
    return parser.isSet(u"workspace"_s) || parser.isSet(u"db"_s);
}

QString missingSourceMessage() {
    return QCoreApplication::translate(
        "cli", "Say where the data comes from: --workspace FILE or --db CONNECTION.");
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

Status checkOneSource(const QCommandLineParser& parser) {
    if (!hasSource(parser))
        return Error::invalid(missingSourceMessage());
    if (parser.isSet(u"workspace"_s) && parser.isSet(u"db"_s))
        return Error::invalid(
            QCoreApplication::translate("cli", "Give either --workspace or --db, not both."));
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
