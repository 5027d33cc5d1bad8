#include "CliSupport.h"
#include "CliText.h"
#include "Commands.h"
#include "DecisionPrinter.h"
#include "domain/DisplayText.h"
#include "engine/AccessEngine.h"
#include "engine/DecisionText.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <unistd.h>
#include <utility>

using namespace Qt::StringLiterals;

namespace litescope::cli {

namespace {

struct Request {
    int line = 0; // in the requests file, for messages
    QString key;
    QJsonValue model; // as written, echoed in the decision line
    ModelRequest models;
};

// A request names one model or a list (LiteLLM's batch completion); a list longer than any
// real request, or a line longer than any real request, is refused before it is parsed: a
// 1,000,000-name list otherwise costs seconds and gigabytes.
constexpr qsizetype maxNamesPerRequest = 1000;
constexpr qint64 maxLineBytes = 1024 * 1024;

Result<Request> parseRequestLine(const QByteArray& line, int lineNumber) {
    const QString where = CliText::tr("requests line %1: ").arg(lineNumber);
    // Qt's parser stops at a NUL and would judge a different line than the file holds.
    if (const qsizetype nul = line.indexOf('\0'); nul >= 0)
        return Error::invalid(where + CliText::tr("holds a NUL byte at byte %1; each line must be "
                                                  "one JSON object in UTF-8")
                                          .arg(nul + 1));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::invalid(where + CliText::tr("not valid JSON (%1 at character %2)")
                                          .arg(parseError.errorString())
                                          .arg(parseError.offset + 1));
    if (!document.isObject())
        return Error::invalid(
            where +
            CliText::tr("expected a JSON object like {\"key\": \"sk-…\", \"model\": \"gpt-4o\"}"));
    const QJsonObject object = document.object();
    const QJsonValue key = object.value(u"key"_s);
    if (!key.isString() || key.toString().isEmpty())
        return Error::invalid(where + CliText::tr("\"key\" must be a non-empty string"));
    const QJsonValue model = object.value(u"model"_s);
    Request request{lineNumber, key.toString(), model, {}};
    if (model.isString()) {
        request.models = ModelRequest::single(model.toString());
    } else if (model.isArray() && !model.toArray().isEmpty()) {
        const QJsonArray array = model.toArray();
        if (array.size() > maxNamesPerRequest)
            return Error::invalid(where + CliText::tr("\"model\" lists %1 names; a request may "
                                                      "list at most %2")
                                              .arg(array.size())
                                              .arg(maxNamesPerRequest));
        QStringList names;
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array[i].isString())
                return Error::invalid(where + CliText::tr("\"model\"[%1] must be a string").arg(i));
            names.append(array[i].toString());
        }
        request.models = ModelRequest::list(names);
    } else {
        return Error::invalid(
            where + CliText::tr("\"model\" must be a string or a non-empty list of strings"));
    }
    return request;
}

Result<QList<Request>> readRequests(const QString& path) {
    QFile file;
    // By descriptor: a FILE* makes Qt read lines with fgets, which ends a line at a NUL byte.
    if (path == u"-"_s) {
        if (!file.open(STDIN_FILENO, QIODevice::ReadOnly))
            return Error::io(CliText::tr("cannot read requests from standard input"));
    } else {
        file.setFileName(path);
        if (!file.open(QIODevice::ReadOnly))
            return Error::io(CliText::tr("cannot read requests file %1: %2")
                                 .arg(shownName(path), file.errorString()));
    }
    QList<Request> requests;
    int lineNumber = 0;
    QByteArray pending; // the start of a line whose end has not been read yet
    auto tooLong = [&] {
        return Error::invalid(
            CliText::tr("requests line %1: longer than %2 MiB; a line is one request")
                .arg(lineNumber)
                .arg(maxLineBytes / (1024 * 1024)));
    };
    auto takeLine = [&](QByteArray line) -> Status {
        ++lineNumber;
        if (line.size() > maxLineBytes)
            return tooLong();
        line = line.trimmed();
        if (line.isEmpty())
            return Done{};
        Result<Request> request = parseRequestLine(line, lineNumber);
        if (!request)
            return request.error();
        requests.append(std::move(request).value());
        return Done{};
    };
    for (;;) {
        const QByteArray chunk = file.read(64 * 1024);
        if (file.error() != QFileDevice::NoError)
            return Error::io(CliText::tr("cannot read requests line %1: %2")
                                 .arg(lineNumber + 1)
                                 .arg(file.errorString()));
        if (chunk.isEmpty())
            break;
        qsizetype from = 0;
        for (qsizetype end = chunk.indexOf('\n'); end >= 0; end = chunk.indexOf('\n', from)) {
            pending.append(QByteArrayView(chunk).sliced(from, end - from));
            from = end + 1;
            if (Status taken = takeLine(std::exchange(pending, {})); !taken)
                return taken.error();
        }
        pending.append(QByteArrayView(chunk).sliced(from));
        // A line longer than any request is refused before it is all read: /dev/zero has no
        // newline at all.
        if (pending.size() > maxLineBytes) {
            ++lineNumber;
            return tooLong();
        }
    }
    if (Status taken = takeLine(pending); !taken)
        return taken.error();
    return requests;
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
    if (const std::optional<int> exit = parseCommand(parser, arguments))
        return *exit;

    const bool batch = parser.isSet(u"requests"_s);
    if (batch == parser.isSet(u"key"_s))
        return badInput(CliText::tr("give either --key with --model, or --requests"));
    if (!batch && !parser.isSet(u"model"_s))
        return badInput(CliText::tr("--key needs at least one --model"));
    if (batch && parser.isSet(u"model"_s))
        return badInput(CliText::tr("--model goes with --key, not with --requests"));

    Result<Workspace> workspace = loadSource(parser);
    if (!workspace)
        return badInput(workspace.error().message);

    QList<Request> requests;
    if (batch) {
        Result<QList<Request>> read = readRequests(parser.value(u"requests"_s));
        if (!read)
            return badInput(read.error().message);
        requests = std::move(read).value();
    } else {
        for (const QString& model : parser.values(u"model"_s))
            requests.append(
                {0, parser.value(u"key"_s), QJsonValue(model), ModelRequest::single(model)});
    }

    const AccessEngine engine(*workspace);
    QList<std::int32_t> keys;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const std::int32_t key = engine.findKey(requests[i].key);
        if (key < 0)
            return badInput(batch ? CliText::tr("requests line %1: ").arg(requests[i].line) +
                                        noSuchKeyMessage(requests[i].key)
                                  : noSuchKeyMessage(requests[i].key));
        keys.append(key);
    }
    warnAboutDanglingReferences(engine, keys);

    const bool json = parser.isSet(u"json"_s);
    bool allAllowed = true;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const Request& request = requests[i];
        const Decision decision = engine.decide(Subject::forKey(keys[i]), request.models);
        allAllowed = allAllowed && decision.allowed();
        if (json)
            printDecisionLine(engine, request.key, request.model, request.models, decision);
        else
            printDecision(engine, request.key, request.models, decision);
    }
    out().flush();
    return batch || allAllowed ? ExitOk : ExitDenied;
}

} // namespace litescope::cli
