#include "CliSupport.h"
#include "CliText.h"
#include "Commands.h"
#include "engine/AccessEngine.h"
#include "engine/WorkspaceValidator.h"

using namespace Qt::StringLiterals;

namespace litescope::cli {

namespace {} // namespace

int runValidate(const QStringList& arguments) {
    QCommandLineParser parser;
    setUpCommand(
        parser, u"validate"_s,
        CliText::tr(
            "Check a workspace: errors that stop it from loading, and warnings about settings "
            "that will not do what an admin expects. Exit 0 when it loads (warnings allowed), "
            "1 when it has errors."));
    if (const std::optional<int> exit = parseCommand(parser, arguments))
        return *exit;
    if (!hasSource(parser))
        return badInput(missingSourceMessage());
    Result<Workspace> workspace = loadSource(parser);
    if (!workspace) {
        // Only a workspace file can be invalid itself; a bad option, a database or a proxy's
        // refusal is bad input like everywhere else.
        if (workspace.error().kind != ErrorKind::InvalidInput || !parser.isSet(u"workspace"_s))
            return badInput(workspace.error().message);
        out() << "error: " << workspace.error().message << '\n';
        out() << CliText::tr("1 error") << '\n';
        out().flush();
        return ExitDenied;
    }
    const AccessEngine engine(*workspace);
    const QList<ValidationIssue> issues = validateWorkspace(engine);
    for (const ValidationIssue& issue : issues)
        out() << (issue.severity == ValidationIssue::Severity::Error ? "error: " : "warning: ")
              << issue.path << ": " << issue.message << '\n';
    out() << CliText::tr("0 errors, %1 warnings").arg(issues.size()) << '\n';
    out().flush();
    return ExitOk;
}

} // namespace litescope::cli
