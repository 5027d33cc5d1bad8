#include "CliSupport.h"

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
                      QCoreApplication::translate("cli", "Read the workspace file <file>."),
                      u"file"_s});
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
    return parser.isSet(u"workspace"_s);
}

QString missingSourceMessage() {
    return QCoreApplication::translate("cli", "Say where the data comes from: --workspace FILE.");
}

Result<Workspace> loadSource(const QCommandLineParser& parser) {
    if (!hasSource(parser))
        return Error::invalid(missingSourceMessage());
    return workspace::readFile(parser.value(u"workspace"_s));
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
