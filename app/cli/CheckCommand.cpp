#include "BatchCheck.h"
#include "CliSupport.h"
#include "CliText.h"
#include "Commands.h"
#include "DecisionPrinter.h"
#include "domain/DisplayText.h"
#include "engine/AccessEngine.h"
#include "engine/DecisionLineWriter.h"

#include <QFile>

#include <cerrno>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace litescope::cli {

namespace {

// --fields: names of the line's top-level fields, separated by commas.
Result<std::uint16_t> parseFields(const QString& value) {
    std::uint16_t fields = 0;
    for (const QString& name : value.split(u',')) {
        const std::optional<DecisionField> field = decisionFieldNamed(name.trimmed());
        if (!field)
            return Error::invalid(
                CliText::tr("--fields: no field %1 in a decision line; the fields are %2")
                    .arg(quotedName(name.trimmed()), decisionFieldNames().join(u", "_s)));
        fields |= static_cast<std::uint16_t>(*field);
    }
    return fields;
}

// The requests file as a descriptor of its own, for the batch's reader thread.
Result<int> openRequests(const QString& path) {
    if (path == u"-"_s) {
        const int fd = ::dup(STDIN_FILENO);
        if (fd < 0)
            return Error::io(CliText::tr("cannot read requests from standard input"));
        return fd;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(CliText::tr("cannot read requests file %1: %2")
                             .arg(shownName(path), file.errorString()));
    const int fd = ::dup(file.handle());
    if (fd < 0)
        return Error::io(CliText::tr("cannot read requests file %1: %2")
                             .arg(shownName(path), qt_error_string(errno)));
    return fd;
}

} // namespace

int runCheck(const QStringList& arguments) {
    QCommandLineParser parser;
    setUpCommand(
        parser, u"check"_s,
        CliText::tr(
            "Decide whether keys may call models, as the LiteLLM proxy would, and say why.\n"
            "Either --key with one or more --model, or --requests with JSON Lines "
            "({\"key\": …, \"model\": \"name\" or [\"a\", \"b\"]})."));
    parser.addOption(
        {{u"k"_s, u"key"_s}, CliText::tr("The key: a token, its hash or a key alias."), u"key"_s});
    parser.addOption(
        {{u"m"_s, u"model"_s},
         CliText::tr("A model to check; repeat for several requests (names may contain commas)."),
         u"model"_s});
    parser.addOption(
        {{u"r"_s, u"requests"_s},
         CliText::tr("Read requests as JSON Lines from <file>, or - for standard input."),
         u"file"_s});
    parser.addOption({u"json"_s, CliText::tr("Write one JSON decision line per request.")});
    parser.addOption({u"fields"_s,
                      CliText::tr("Write only these fields of each JSON decision line, e.g. "
                                  "allowed,denied_by (implies --json). The fields: %1.")
                          .arg(decisionFieldNames().join(u", "_s)),
                      u"names"_s});
    if (const std::optional<int> exit = parseCommand(parser, arguments))
        return *exit;

    const bool batch = parser.isSet(u"requests"_s);
    if (batch == parser.isSet(u"key"_s))
        return badInput(CliText::tr("give either --key with --model, or --requests"));
    if (!batch && !parser.isSet(u"model"_s))
        return badInput(CliText::tr("--key needs at least one --model"));
    if (batch && parser.isSet(u"model"_s))
        return badInput(CliText::tr("--model goes with --key, not with --requests"));

    std::uint16_t fields = AllDecisionFields;
    if (parser.isSet(u"fields"_s)) {
        const Result<std::uint16_t> chosen = parseFields(parser.value(u"fields"_s));
        if (!chosen)
            return badInput(chosen.error().message);
        fields = *chosen;
    }
    const bool json = parser.isSet(u"json"_s) || parser.isSet(u"fields"_s);

    if (batch) {
        Result<Workspace> workspace = loadSource(parser);
        if (!workspace)
            return badInput(workspace.error().message);
        const AccessEngine engine(*workspace);
        const Result<int> input = openRequests(parser.value(u"requests"_s));
        if (!input)
            return badInput(input.error().message);
        return runBatch(engine, *input, {json, fields});
    }

    // One key: only what deciding it reads (a big database is not read whole).
    const QString key = parser.value(u"key"_s);
    const Result<KeySlice> slice = loadKeySource(parser, key);
    if (!slice)
        return badInput(slice.error().message);
    const AccessEngine engine(slice->workspace);
    const std::int32_t keyIndex = engine.findKey(key);
    if (keyIndex < 0)
        return badInput(noSuchKeyMessage(key));
    warnAboutDanglingReferences(engine, {keyIndex}, &*slice);
    DecisionLineWriter writer(engine, fields);
    bool allAllowed = true;
    for (const QString& model : parser.values(u"model"_s)) {
        const ModelRequest request = ModelRequest::single(model);
        const Decision decision = engine.decide(Subject::forKey(keyIndex), request);
        allAllowed = allAllowed && decision.allowed();
        if (json)
            printDecisionLine(writer, key, request, decision);
        else
            out() << decisionText(engine, key, request, decision);
    }
    out().flush();
    return allAllowed ? ExitOk : ExitDenied;
}

} // namespace litescope::cli
