#include "CliSupport.h"
#include "CliText.h"
#include "Commands.h"
#include "domain/DisplayText.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;
using litescope::cli::CliText;

namespace {

QString usage() {
    return CliText::tr(
        "Usage: litescope-cli <command> [options]\n"
        "\n"
        "Administer a LiteLLM proxy's model access from the command line.\n"
        "\n"
        "Commands:\n"
        "  check      decide whether keys may call models, and why\n"
        "  preview    every proxy model with its verdict for a key or a team member\n"
        "  validate   check a workspace for errors and surprising settings\n"
        "  snapshot   save a database or a proxy's admin API as a workspace file\n"
        "  member     set-scope | add | update | remove a team member\n"
        "  team       set-models | set-default-member-models | set-alias | block | unblock\n"
        "  key        set-models\n"
        "\n"
        "Every command reads --workspace FILE, --db CONNECTION or --api URL (with\n"
        "--api-key-env NAME; add --read-only to forbid changes). Edits rewrite the file, write\n"
        "the database in one transaction, or call the proxy's own admin endpoints; with\n"
        "--dry-run they say what would change and write nothing.\n"
        "\n"
        "Options:\n"
        "  -h, --help     this help; `litescope-cli <command> --help` for a command's options\n"
        "  -v, --version  the version\n");
}

// Qt's own warnings (a library quoting a pattern or a file name it was given) reach the
// terminal through the same escaping as every other line.
void printQtMessage(QtMsgType, const QMessageLogContext&, const QString& message) {
    litescope::cli::err() << "litescope-cli: " << litescope::escapeHiddenCharacters(message)
                          << Qt::endl;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    qInstallMessageHandler(printQtMessage);
    QCoreApplication::setApplicationName(u"litescope-cli"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(LITESCOPE_VERSION));
    QCoreApplication::setOrganizationName(u"litescope"_s);

    using namespace litescope::cli;
    const QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.value(1);
    if (command == u"check"_s)
        return runCheck(arguments);
    if (command == u"preview"_s)
        return runPreview(arguments);
    if (command == u"validate"_s)
        return runValidate(arguments);
    if (command == u"snapshot"_s)
        return runSnapshot(arguments);
    if (command == u"member"_s)
        return runMember(arguments);
    if (command == u"team"_s)
        return runTeam(arguments);
    if (command == u"key"_s)
        return runKey(arguments);
    if (command == u"--version"_s || command == u"-v"_s) {
        out() << "litescope-cli " << QCoreApplication::applicationVersion() << Qt::endl;
        return ExitOk;
    }
    if (command == u"--help"_s || command == u"-h"_s || command == u"help"_s) {
        out() << usage();
        return ExitOk;
    }
    err() << usage();
    if (!command.isEmpty())
        return badInput(CliText::tr("unknown command %1").arg(litescope::quotedName(command)));
    return ExitBadInput;
}
