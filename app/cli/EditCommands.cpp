// The scriptable edits: `member …`, `team …`, `key …`. Each builds one StoreEdit, applies it
// through the Store behind --workspace, --db or --api, and reports what changed; with --dry-run
// it reports what would change and writes nothing.
#include "CliSupport.h"
#include "CliText.h"
#include "Commands.h"
#include "domain/DisplayText.h"
#include "store/EditPreview.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

namespace litescope::cli {

namespace {

struct Verb {
    const char16_t* name;
    const char* description;
};

const QList<Verb> MemberVerbs = {
    {u"set-scope", "Set a member's allowed models (--model, repeatable), or --all-team-models."},
    {u"add", "Add a member; the scope comes from --model or the team's default member models."},
    {u"update", "Change a member's role or limits; only the options given are changed."},
    {u"remove", "Remove a member from the team."},
};
const QList<Verb> TeamVerbs = {
    {u"set-models", "Set the team's models (--model, repeatable), or --all-proxy-models."},
    {u"set-default-member-models", "Set the models new members get (none: all team models)."},
    {u"set-alias", "Rename the team (--alias)."},
    {u"block", "Block the team: every key of it is refused."},
    {u"unblock", "Unblock the team."},
};
const QList<Verb> KeyVerbs = {
    {u"set-models", "Set the key's models (--model, repeatable; none: no key restriction)."},
};

QString usageOf(const QString& noun, const QList<Verb>& verbs) {
    QString text = CliText::tr("Usage: litescope-cli %1 <verb> [options]\n\nVerbs:\n").arg(noun);
    for (const Verb& verb : verbs)
        text += u"  "_s + QString::fromUtf16(verb.name).leftJustified(28) +
                CliText::tr(verb.description) + u'\n';
    return text +
           CliText::tr("\n`litescope-cli %1 <verb> --help` lists a verb's options.\n").arg(noun);
}

// "--max-budget 12.5" or "--max-budget none" (clear the limit).
template <typename Number>
Result<std::optional<std::optional<Number>>> limitOption(const QCommandLineParser& parser,
                                                         const QString& name) {
    if (!parser.isSet(name))
        return std::optional<std::optional<Number>>();
    const QString text = parser.value(name);
    if (text == u"none"_s)
        return std::optional<std::optional<Number>>(std::optional<Number>());
    bool ok = false;
    const double value = text.toDouble(&ok);
    // toDouble() accepts "inf" and "nan"; a whole number must also fit (casting 1e30 to qint64
    // is undefined behaviour).
    const bool whole = !std::is_integral_v<Number> ||
                       (value < 9223372036854775808.0 && value == std::floor(value));
    if (!ok || !std::isfinite(value) || value < 0 || !whole)
        return Error::invalid(CliText::tr("--%1 takes a non-negative %2 or \"none\", not %3.")
                                  .arg(name,
                                       std::is_integral_v<Number> ? CliText::tr("whole number")
                                                                  : CliText::tr("number"),
                                       quotedName(text)));
    return std::optional<std::optional<Number>>(std::optional<Number>(Number(value)));
}

// A refusal reads the same with and without --dry-run, so a dry run tells a script exactly what
// the real edit would answer.
int report(const QCommandLineParser& parser, const Result<EditOutcome>& outcome, bool dryRun) {
    if (!outcome)
        return badInput(outcome.error().message);
    if (parser.isSet(u"json"_s)) {
        QJsonObject json{{u"ok"_s, true},
                         {u"summary"_s, outcome->summary},
                         {u"object_id"_s, outcome->objectId},
                         {u"before"_s, outcome->before},
                         {u"after"_s, outcome->after},
                         {u"audit_logged"_s, outcome->auditLogged}};
        if (dryRun)
            json.insert(u"dry_run"_s, true);
        out() << QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)) << '\n';
    } else if (dryRun) {
        out() << CliText::tr("Would apply: %1\nDry run: nothing was written.").arg(outcome->summary)
              << '\n';
    } else {
        out() << outcome->summary << '\n';
    }
    out().flush();
    return ExitOk;
}

// The store's own refusals first (read-only, too old a proxy), then the shared edit rules on a
// snapshot: apply() answers in that order too, and every store runs those same rules on the state
// it reads, so the outcome is the one apply() would give had nobody changed anything meanwhile.
Result<EditOutcome> dryRun(const QCommandLineParser& parser, Store& store, const StoreEdit& edit) {
    if (const Status allowed = run(store.checkEdit(edit)); !allowed)
        return allowed.error();
    const Result<Workspace> snapshot = withProxyConfig(parser, run(store.snapshot()));
    if (!snapshot)
        return snapshot.error();
    return previewEdits(*snapshot, {edit}).results.front();
}

// Builds the edit for `noun verb` from the parsed options, or says what is missing.
Result<StoreEdit> buildEdit(const QString& noun, const QString& verb, const QCommandLineParser& p) {
    auto need = [&](const char16_t* option) -> Status {
        if (!p.isSet(QString::fromUtf16(option)) || p.value(QString::fromUtf16(option)).isEmpty())
            return Error::invalid(
                CliText::tr("%1 %2 needs --%3.").arg(noun, verb, QString::fromUtf16(option)));
        return Done{};
    };
    // Only verbs that define --model may ask for it (QCommandLineParser warns otherwise).
    auto models = [&p] { return p.values(u"model"_s); };
    if (noun == u"member"_s) {
        if (Status ok = need(u"team"); !ok)
            return ok.error();
        if (Status ok = need(u"user"); !ok)
            return ok.error();
        const QString team = p.value(u"team"_s);
        const QString user = p.value(u"user"_s);
        if (verb == u"set-scope"_s) {
            if (p.isSet(u"all-team-models"_s) == p.isSet(u"model"_s))
                return Error::invalid(CliText::tr("member set-scope needs --model (repeatable) or "
                                                  "--all-team-models, not both."));
            return StoreEdit::setMemberScope(team, user, models());
        }
        if (verb == u"add"_s) {
            StoreEdit edit = StoreEdit::addMember(team, user);
            if (p.isSet(u"model"_s))
                edit.memberModels = models();
            if (p.isSet(u"role"_s))
                edit.role = p.value(u"role"_s);
            if (p.isSet(u"email"_s))
                edit.email = p.value(u"email"_s);
            return edit;
        }
        if (verb == u"update"_s) {
            StoreEdit edit = StoreEdit::updateMember(team, user);
            if (p.isSet(u"role"_s))
                edit.role = p.value(u"role"_s);
            auto budget = limitOption<double>(p, u"max-budget"_s);
            auto tpm = limitOption<qint64>(p, u"tpm"_s);
            auto rpm = limitOption<qint64>(p, u"rpm"_s);
            for (const Status& parsed : {budget ? Status(Done{}) : Status(budget.error()),
                                         tpm ? Status(Done{}) : Status(tpm.error()),
                                         rpm ? Status(Done{}) : Status(rpm.error())})
                if (!parsed)
                    return parsed.error();
            edit.maxBudget = *budget;
            edit.tpmLimit = *tpm;
            edit.rpmLimit = *rpm;
            if (!edit.role && !edit.maxBudget && !edit.tpmLimit && !edit.rpmLimit)
                return Error::invalid(
                    CliText::tr("member update needs --role, --max-budget, --tpm or --rpm."));
            return edit;
        }
        return StoreEdit::removeMember(team, user);
    }
    if (noun == u"team"_s) {
        if (Status ok = need(u"team"); !ok)
            return ok.error();
        const QString team = p.value(u"team"_s);
        if (verb == u"set-models"_s) {
            if (p.isSet(u"all-proxy-models"_s) == p.isSet(u"model"_s))
                return Error::invalid(CliText::tr("team set-models needs --model (repeatable) or "
                                                  "--all-proxy-models, not both."));
            return StoreEdit::setTeamModels(team, p.isSet(u"all-proxy-models"_s)
                                                      ? QStringList{u"all-proxy-models"_s}
                                                      : models());
        }
        if (verb == u"set-default-member-models"_s)
            return StoreEdit::setDefaultMemberModels(team, models());
        if (verb == u"set-alias"_s) {
            if (!p.isSet(u"alias"_s))
                return Error::invalid(CliText::tr("team set-alias needs --alias."));
            return StoreEdit::setTeamAlias(team, p.value(u"alias"_s));
        }
        return StoreEdit::setTeamBlocked(team, verb == u"block"_s);
    }
    if (Status ok = need(u"key"); !ok)
        return ok.error();
    return StoreEdit::setKeyModels(p.value(u"key"_s), models());
}

void addVerbOptions(QCommandLineParser& parser, const QString& noun, const QString& verb) {
    parser.addOption({u"json"_s, CliText::tr("Report the change as one JSON object.")});
    parser.addOption(
        {u"dry-run"_s,
         CliText::tr("Say what would change, or why it would be refused, and write nothing.")});
    if (noun == u"key"_s) {
        parser.addOption({{u"k"_s, u"key"_s},
                          CliText::tr("The key: token hash, raw key or key alias."),
                          u"key"_s});
    } else {
        parser.addOption(
            {{u"t"_s, u"team"_s}, CliText::tr("The team: team id or alias."), u"team"_s});
    }
    if (noun == u"member"_s)
        parser.addOption(
            {{u"u"_s, u"user"_s}, CliText::tr("The member: user id or email."), u"user"_s});
    const bool takesModels = verb.startsWith(u"set-"_s) || verb == u"add"_s;
    if (takesModels && verb != u"set-alias"_s)
        parser.addOption({{u"m"_s, u"model"_s},
                          CliText::tr("A model; repeat for several (names may contain commas)."),
                          u"model"_s});
    if (noun == u"member"_s && verb == u"set-scope"_s)
        parser.addOption(
            {u"all-team-models"_s, CliText::tr("No member restriction: all team models.")});
    if (noun == u"team"_s && verb == u"set-models"_s)
        parser.addOption({u"all-proxy-models"_s, CliText::tr("Every model on the proxy.")});
    if (noun == u"team"_s && verb == u"set-alias"_s)
        parser.addOption({u"alias"_s, CliText::tr("The new team alias."), u"alias"_s});
    if (noun == u"member"_s && (verb == u"add"_s || verb == u"update"_s))
        parser.addOption({u"role"_s, CliText::tr("\"user\" or \"admin\"."), u"role"_s});
    if (noun == u"member"_s && verb == u"add"_s)
        parser.addOption(
            {u"email"_s, CliText::tr("The email to record for a new user."), u"email"_s});
    if (noun == u"member"_s && verb == u"update"_s) {
        parser.addOption({u"max-budget"_s,
                          CliText::tr("Budget in USD within the team, or \"none\"."), u"usd"_s});
        parser.addOption({u"tpm"_s, CliText::tr("Tokens per minute, or \"none\"."), u"limit"_s});
        parser.addOption({u"rpm"_s, CliText::tr("Requests per minute, or \"none\"."), u"limit"_s});
    }
}

int runEdit(const QStringList& arguments, const QString& noun, const QList<Verb>& verbs) {
    const QString verb = arguments.value(2);
    auto known = std::find_if(verbs.cbegin(), verbs.cend(),
                              [&](const Verb& v) { return QString::fromUtf16(v.name) == verb; });
    if (verb.isEmpty() || verb == u"--help"_s || verb == u"-h"_s) {
        (verb.isEmpty() ? err() : out()) << usageOf(noun, verbs);
        return verb.isEmpty() ? ExitBadInput : ExitOk;
    }
    if (known == verbs.cend())
        return badInput(CliText::tr("unknown verb %1 for %2; try `litescope-cli %2 --help`")
                            .arg(quotedName(verb), noun));

    QCommandLineParser parser;
    setUpCommand(parser, noun, CliText::tr(known->description));
    parser.addPositionalArgument(u"verb"_s, CliText::tr("What to do."));
    addVerbOptions(parser, noun, verb);
    if (const std::optional<int> exit = parseCommand(parser, arguments))
        return *exit;
    Result<StoreEdit> edit = buildEdit(noun, verb, parser);
    if (!edit)
        return badInput(edit.error().message);
    Result<std::unique_ptr<Store>> store = openStore(parser);
    if (!store)
        return badInput(store.error().message);
    if (parser.isSet(u"dry-run"_s))
        return report(parser, dryRun(parser, **store, *edit), true);
    return report(parser, run((*store)->apply(*edit)), false);
}

} // namespace

int runMember(const QStringList& arguments) {
    return runEdit(arguments, u"member"_s, MemberVerbs);
}

int runTeam(const QStringList& arguments) {
    return runEdit(arguments, u"team"_s, TeamVerbs);
}

int runKey(const QStringList& arguments) {
    return runEdit(arguments, u"key"_s, KeyVerbs);
}

} // namespace litescope::cli
