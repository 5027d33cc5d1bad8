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

void addSourceOptions(QCommandLineParser& parser) {
    parser.addOption({{u"w"_s, u"workspace"_s},
                      QCoreApplication::translate("cli", "Read the workspace file <file>."),
                      u"file"_s});
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

int badInput(const QString& message) {
    out().flush();
    err() << "litescope-cli: " << message << Qt::endl;
    return ExitBadInput;
}

} // namespace litescope::cli
