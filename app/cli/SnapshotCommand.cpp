#include "CliSupport.h"
#include "CliText.h"
#include "Commands.h"
#include "workspace/WorkspaceFile.h"
#include "workspace/WorkspaceJson.h"

using namespace Qt::StringLiterals;

namespace litescope::cli {

int runSnapshot(const QStringList& arguments) {
    QCommandLineParser parser;
    setUpCommand(
        parser, u"snapshot"_s,
        CliText::tr("Save everything the access engine needs from a proxy (--db or --api) as a "
                    "workspace file: models, access groups, organizations, teams, members and "
                    "their scopes, users and keys. No password hash, connection secret or API key "
                    "is ever written. What the source cannot show is listed in source.unknown, "
                    "and decisions that depend on it come out unknown."));
    parser.addOption(
        {{u"o"_s, u"output"_s}, CliText::tr("Write the workspace to <file>."), u"file"_s});
    if (const std::optional<int> exit = parseCommand(parser, arguments))
        return *exit;
    if (!parser.isSet(u"output"_s) || parser.value(u"output"_s).isEmpty())
        return badInput(CliText::tr("snapshot needs -o FILE."));

    // The long lists, nearly all of a large proxy's file, are written out as soon as each is
    // read, while the other tables are still being read; writeFile copies them into place.
    const QString output = parser.value(u"output"_s);
    workspace::PrewrittenSections sections(output);
    CallOptions options;
    options.listsRead = {
        [&sections](const QList<Team>& teams) { sections.write(teams); },
        [&sections](const QList<TeamMembership>& memberships) { sections.write(memberships); },
        [&sections](const QList<User>& users) { sections.write(users); },
        [&sections](const QList<Key>& keys) { sections.write(keys); },
    };
    Result<Workspace> workspace = loadSource(parser, std::move(options));
    if (!workspace)
        return badInput(workspace.error().message);
    for (const QString& warning : workspace->source.warnings)
        err() << "litescope-cli: warning: " << warning << Qt::endl;
    if (!workspace->source.unknown.isEmpty())
        err() << "litescope-cli: warning: "
              << CliText::tr("not known through this source: %1")
                     .arg(workspace->source.unknown.join(u", "_s))
              << Qt::endl;
    if (Status written = workspace::writeFile(*workspace, output, sections); !written)
        return badInput(written.error().message);
    out() << CliText::tr(
                 "Wrote %1: %2 teams, %3 members with a membership row, %4 users, %5 keys, %6 "
                 "proxy models.")
                 .arg(output)
                 .arg(workspace->teams.size())
                 .arg(workspace->teamMemberships.size())
                 .arg(workspace->users.size())
                 .arg(workspace->keys.size())
                 .arg(workspace->proxyModels.size())
          << '\n';
    out().flush();
    return ExitOk;
}

} // namespace litescope::cli
