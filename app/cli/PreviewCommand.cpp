#include "CliSupport.h"
#include "CliText.h"
#include "Commands.h"
#include "DecisionPrinter.h"
#include "domain/DisplayText.h"
#include "domain/Redaction.h"
#include "engine/AccessEngine.h"
#include "engine/DecisionText.h"

using namespace Qt::StringLiterals;

namespace litescope::cli {

namespace {} // namespace

int runPreview(const QStringList& arguments) {
    QCommandLineParser parser;
    setUpCommand(
        parser, u"preview"_s,
        CliText::tr(
            "Show every model the proxy serves with the verdict for a key, or for a team member "
            "using a team key."));
    parser.addOption(
        {{u"k"_s, u"key"_s}, CliText::tr("The key: a token, its hash or a key alias."), u"key"_s});
    parser.addOption(
        {{u"t"_s, u"team"_s}, CliText::tr("The team: id or alias (with --member)."), u"team"_s});
    parser.addOption({{u"u"_s, u"member"_s},
                      CliText::tr("The member: user id or email (with --team)."),
                      u"user"_s});
    parser.addOption({{u"m"_s, u"model"_s},
                      CliText::tr("Also decide this model name; repeatable."),
                      u"model"_s});
    parser.addOption({u"json"_s, CliText::tr("Write one JSON decision line per model.")});
    if (const std::optional<int> exit = parseCommand(parser, arguments))
        return *exit;
    const bool byKey = parser.isSet(u"key"_s);
    const bool byMember = parser.isSet(u"team"_s) || parser.isSet(u"member"_s);
    if (byKey == byMember)
        return badInput(CliText::tr("give either --key, or --team with --member"));
    if (byMember && !(parser.isSet(u"team"_s) && parser.isSet(u"member"_s)))
        return badInput(CliText::tr("--team and --member go together"));

    Result<Workspace> workspace = loadSource(parser);
    if (!workspace)
        return badInput(workspace.error().message);
    const AccessEngine engine(*workspace);

    Subject subject;
    QString label;      // in --json, as given
    QString shownLabel; // for a person: escaped, a raw key redacted
    if (byKey) {
        const std::int32_t key = engine.findKey(parser.value(u"key"_s));
        if (key < 0)
            return badInput(noSuchKeyMessage(parser.value(u"key"_s)));
        subject = Subject::forKey(key);
        label = parser.value(u"key"_s);
        shownLabel = redactedKey(label);
        warnAboutDanglingReferences(engine, {key});
    } else {
        const std::int32_t team = engine.findTeam(parser.value(u"team"_s));
        if (team < 0)
            return badInput(CliText::tr("no team %1 in the workspace (give a team id or alias)")
                                .arg(quotedName(parser.value(u"team"_s))));
        const Team& row = workspace->teams[team];
        const QString member = parser.value(u"member"_s);
        // A member by user id or email: the users table first, then the team's own roster
        // (members_with_roles carries emails of users that may have no users row).
        const std::int32_t user = engine.compiled().userIndex(member);
        QString userId = user >= 0 ? workspace->users[user].id : member;
        for (const TeamMemberRole& m : row.membersWithRoles)
            if (m.userId && user < 0 && m.userEmail == member)
                userId = *m.userId;
        const bool isMember =
            engine.compiled().membershipIndex(team, userId) >= 0 ||
            std::any_of(row.membersWithRoles.cbegin(), row.membersWithRoles.cend(),
                        [&](const TeamMemberRole& m) { return m.userId == userId; });
        if (!isMember)
            return badInput(CliText::tr("%1 is not a member of team %2")
                                .arg(quotedName(parser.value(u"member"_s)),
                                     shownName(row.alias.isEmpty() ? row.id : row.alias)));
        subject = Subject::forMember(team, userId);
        label = row.id + u'/' + userId;
        shownLabel = shownName(row.id) + u'/' + shownName(userId);
    }

    const QList<PreviewRow> rows = engine.preview(subject, parser.values(u"model"_s));
    if (parser.isSet(u"json"_s)) {
        DecisionLineWriter writer(engine);
        for (const PreviewRow& row : rows)
            printDecisionLine(writer, label, ModelRequest::single(row.model), row.decision);
        out().flush();
        return ExitOk;
    }
    QStringList models;
    qsizetype width = 5;
    for (const PreviewRow& row : rows) {
        models.append(shownName(row.model));
        width = std::max(width, models.back().size());
    }
    width = std::min<qsizetype>(width, 48);
    int allowed = 0;
    out() << CliText::tr("Preview for %1").arg(shownLabel) << '\n';
    out() << CliText::tr("MODEL").leftJustified(width + 2)
          << CliText::tr("VERDICT").leftJustified(9) << CliText::tr("LAYER").leftJustified(13)
          << CliText::tr("REASON") << '\n';
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const PreviewRow& row = rows[i];
        const ModelRequest request = ModelRequest::single(row.model);
        allowed += row.decision.allowed() ? 1 : 0;
        // A name wider than the column still gets its gap before the verdict.
        out() << models[i].leftJustified(width) << "  "
              << verdictName(row.decision.verdict).leftJustified(9)
              << layerName(row.decision.deniedBy).leftJustified(13)
              << reasonFor(engine, request, row.decision) << '\n';
    }
    out() << CliText::tr("%1 of %2 models allowed").arg(allowed).arg(rows.size()) << '\n';
    out().flush();
    return ExitOk;
}

} // namespace litescope::cli
