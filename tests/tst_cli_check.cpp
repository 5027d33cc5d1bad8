// litescope-cli check: single requests (--key with one or more --model), batches from
// --requests (a file or standard input, JSON Lines), model names echoed as given, and bad request
// lines. Shared helpers and the exit-code conventions: support/CliTestSupport.h.
#include "support/CliRunner.h"
#include "support/CliTestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope::test;

class TstCliCheck : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QJsonObject m_demo;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_dir.isValid(), "temporary directory");
        QVERIFY2(QFile::exists(QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli")),
                 "litescope-cli is built");
        m_demo = readJsonObject(demoPath());
        QVERIFY(m_demo[u"keys"_s].toArray().size() >= 10);
    }

    // ---- check --key --model -----------------------------------------------------------------

    void checkOne_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<QString>("deniedBy");
        QTest::addColumn<QString>("reasonStart");

        QTest::newRow("team key, team model")
            << u"search-prod"_s << u"gpt-4o"_s << true << QString() << u"Allowed: "_s;
        QTest::newRow("team key, model outside the team")
            << u"search-prod"_s << u"claude-3-5-sonnet"_s << false << u"team"_s
            << u"Denied by the team layer: "_s;
        QTest::newRow("member scope refuses")
            << u"search-bob-dev"_s << u"gpt-4o"_s << false << u"team_member"_s
            << u"Denied by the team member layer: "_s;
        QTest::newRow("member scope grants")
            << u"search-bob-dev"_s << u"gpt-4o-mini"_s << true << QString() << u"Allowed: "_s;
        QTest::newRow("access group in team models")
            << u"ml-research-batch"_s << u"o3-mini"_s << true << QString() << u"Allowed: "_s;
        QTest::newRow("key alias resolves")
            << u"devtools-copilot"_s << u"copilot-chat"_s << true << QString() << u"Allowed: "_s;
        QTest::newRow("key models refuse") << u"devtools-copilot"_s << u"gpt-4.1"_s << false
                                           << u"key"_s << u"Denied by the key layer: "_s;
        QTest::newRow("blocked key") << u"search-prod-legacy"_s << u"gpt-4o"_s << false << u"key"_s
                                     << u"Denied by the key layer: the key is blocked"_s;
        QTest::newRow("blocked team") << u"voice-agent-prod"_s << u"gpt-4o"_s << false << u"team"_s
                                      << u"Denied by the team layer: "_s;
        QTest::newRow("personal key, user models") << u"alice-personal"_s << u"gpt-4o"_s << false
                                                   << u"user"_s << u"Denied by the user layer: "_s;
        QTest::newRow("project models") << u"contracts-assistant"_s << u"claude-opus-4-1"_s << false
                                        << u"project"_s << u"Denied by the project layer: "_s;
        QTest::newRow("unknown model name") << u"search-prod"_s << u"no-such-model"_s << false
                                            << u"team"_s << u"Denied by the team layer: "_s;
    }

    void checkOne() {
        QFETCH(QString, key);
        QFETCH(QString, model);
        QFETCH(bool, allowed);
        QFETCH(QString, deniedBy);
        QFETCH(QString, reasonStart);
        const int exitCode = allowed ? 0 : 1;

        const CliRun json = runCli(
            {u"check"_s, u"-w"_s, demoPath(), u"--key"_s, key, u"--model"_s, model, u"--json"_s});
        EXPECT_EXIT(json, exitCode);
        QVERIFY(json.err.isEmpty());
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(json.out, decisions);
        QCOMPARE(decisions.size(), 1);
        const QJsonObject decision = decisions.first();
        VERIFY_DECISION(decision);
        QCOMPARE(decision[u"key"_s].toString(), key);
        QCOMPARE(decision[u"model"_s].toString(), model);
        QCOMPARE(decision[u"allowed"_s].toBool(), allowed);
        if (deniedBy.isEmpty())
            QVERIFY(decision[u"denied_by"_s].isNull());
        else
            QCOMPARE(decision[u"denied_by"_s].toString(), deniedBy);
        QVERIFY2(decision[u"reason"_s].toString().startsWith(reasonStart),
                 qPrintable(decision[u"reason"_s].toString()));

        // The same decision for a person: verdict line, the reason, one line per trail step.
        const CliRun text =
            runCli({u"check"_s, u"-w"_s, demoPath(), u"--key"_s, key, u"--model"_s, model});
        EXPECT_EXIT(text, exitCode);
        QVERIFY(text.err.isEmpty());
        const QStringList lines = textLines(text.out);
        const QJsonArray trail = decision[u"trail"_s].toArray();
        QCOMPARE(lines.size(), 2 + trail.size());
        QCOMPARE(lines[0],
                 QString((allowed ? u"ALLOWED  "_s : u"DENIED  "_s) + key + u" -> "_s + model));
        QCOMPARE(lines[1], QString(u"  "_s + decision[u"reason"_s].toString()));
        for (qsizetype i = 0; i < trail.size(); ++i) {
            const QJsonObject step = trail[i].toObject();
            QVERIFY2(lines[2 + i].startsWith(u"    "_s + step[u"check"_s].toString()),
                     qPrintable(lines[2 + i]));
            QVERIFY2(lines[2 + i].endsWith(QString(u' ' + step[u"detail"_s].toString())),
                     qPrintable(lines[2 + i]));
        }
    }

    void checkSeveralModels() {
        const QStringList models{u"claude-3-5-sonnet"_s, u"gpt-4o"_s, u"text-embedding-3-small"_s,
                                 u"claude-3-5-sonnet"_s, u"rerank-english-v3.0"_s};
        const QList<bool> expected{false, true, true, false, true};
        QStringList arguments{u"check"_s, u"-w"_s, demoPath(), u"-k"_s, u"search-prod"_s};
        for (const QString& model : models)
            arguments << u"--model"_s << model;

        const CliRun json = runCli(arguments + QStringList{u"--json"_s});
        EXPECT_EXIT(json, 1);
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(json.out, decisions);
        QCOMPARE(decisions.size(), models.size());
        for (qsizetype i = 0; i < models.size(); ++i) {
            QCOMPARE(decisions[i][u"model"_s].toString(), models[i]);
            QCOMPARE(decisions[i][u"key"_s].toString(), u"search-prod"_s);
            QCOMPARE(decisions[i][u"allowed"_s].toBool(), expected[i]);
        }

        const CliRun text = runCli(arguments);
        EXPECT_EXIT(text, 1);
        QStringList headers;
        for (const QString& line : textLines(text.out))
            if (!line.startsWith(u' '))
                headers.append(line);
        QStringList expectedHeaders;
        for (qsizetype i = 0; i < models.size(); ++i)
            expectedHeaders.append(QString((expected[i] ? u"ALLOWED  "_s : u"DENIED  "_s) +
                                           u"search-prod -> "_s + models[i]));
        QCOMPARE(headers, expectedHeaders);
    }

    void checkSeveralModelsAllAllowed() {
        const CliRun run = runCli({u"check"_s, u"-w"_s, demoPath(), u"--key"_s, u"search-prod"_s,
                                   u"-m"_s, u"gpt-4o"_s, u"-m"_s, u"gpt-4o-mini"_s, u"--json"_s});
        EXPECT_EXIT(run, 0);
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(run.out, decisions);
        QCOMPARE(decisions.size(), 2);
        QVERIFY(decisions[0][u"allowed"_s].toBool() && decisions[1][u"allowed"_s].toBool());
    }

    void checkKeyByToken() {
        const QJsonObject key = m_demo[u"keys"_s].toArray().first().toObject();
        const QString alias = key[u"key_alias"_s].toString();
        const QString token = key[u"token"_s].toString();
        QVERIFY(!alias.isEmpty() && !token.isEmpty());
        const QStringList models{u"gpt-4o"_s, u"claude-3-5-sonnet"_s};
        QList<QJsonObject> byAlias, byToken;
        for (const QString& name : {alias, token}) {
            const CliRun run =
                runCli({u"check"_s, u"-w"_s, demoPath(), u"--key"_s, name, u"--model"_s, models[0],
                        u"--model"_s, models[1], u"--json"_s});
            EXPECT_EXIT(run, 1);
            PARSE_JSON_LINES(run.out, name == alias ? byAlias : byToken);
        }
        QCOMPARE(byAlias.size(), 2);
        QCOMPARE(byToken.size(), 2);
        for (qsizetype i = 0; i < 2; ++i) {
            QCOMPARE(byAlias[i][u"key"_s].toString(), alias);
            QCOMPARE(byToken[i][u"key"_s].toString(), token);
            byAlias[i].remove(u"key"_s);
            byToken[i].remove(u"key"_s);
            QCOMPARE(byToken[i], byAlias[i]);
        }
    }

    void checkModelNameEchoed_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("shown"); // in the text output
        QTest::newRow("commas") << u"gpt-4o,claude-3-5-sonnet"_s << u"gpt-4o,claude-3-5-sonnet"_s;
        // A bidi override is shown escaped (and the name quoted, so it reads as one name);
        // joiners stay, or emoji and Persian words would fall apart.
        QTest::newRow("everything") << u"we,ird \"quoted\" {braces} [x] back\\slash \\n "
                                       u"\U0001F680\U0001F469\u200D\U0001F4BB "
                                       u"\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627 "
                                       u"\u202Eltr:end"_s
                                    << u"\"we,ird \\\"quoted\\\" {braces} [x] back\\\\slash \\\\n "
                                       u"\U0001F680\U0001F469\u200D\U0001F4BB "
                                       u"\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627 "
                                       u"\\u202eltr:end\""_s;
        QTest::newRow("right to left only")
            << u"\u05DE\u05D5\u05D3\u05DC-\u05D2\u05D3\u05D5\u05DC"_s
            << u"\u05DE\u05D5\u05D3\u05DC-\u05D2\u05D3\u05D5\u05DC"_s;
        QTest::newRow("emoji only") << u"\U0001F916\U0001F916"_s << u"\U0001F916\U0001F916"_s;
        QTest::newRow("json text")
            << u"{\"key\": \"x\", \"model\": [1, 2]}"_s << u"{\"key\": \"x\", \"model\": [1, 2]}"_s;
    }

    void checkModelNameEchoed() {
        QFETCH(QString, model);
        QFETCH(QString, shown);
        const CliRun json = runCli({u"check"_s, u"-w"_s, demoPath(), u"--key"_s, u"search-prod"_s,
                                    u"--model"_s, model, u"--json"_s});
        EXPECT_EXIT(json, 1); // not a model of team Search
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(json.out, decisions);
        QCOMPARE(decisions.size(), 1); // one request: commas do not split a name
        QVERIFY(decisions[0][u"model"_s].isString());
        QCOMPARE(decisions[0][u"model"_s].toString(), model);
        QCOMPARE(decisions[0][u"model"_s].toString().toUtf8(), model.toUtf8());
        // Written as UTF-8, not as \u escapes an admin's grep would miss; only a character that
        // would act on the terminal (the bidi override) is escaped, which JSON reads the same.
        for (const QString& word : model.split(u' '))
            if (!word.contains(u'"') && !word.contains(u'\\') && !word.contains(u'\u202E'))
                QVERIFY2(json.out.contains(word.toUtf8()), qPrintable(word));
        QVERIFY(!json.out.contains(QString(u'\u202E').toUtf8()));

        const CliRun text = runCli(
            {u"check"_s, u"-w"_s, demoPath(), u"--key"_s, u"search-prod"_s, u"--model"_s, model});
        EXPECT_EXIT(text, 1);
        QVERIFY2(text.out.startsWith(QByteArray("DENIED  search-prod -> " + shown.toUtf8() + '\n')),
                 text.out.constData());
    }

    // ---- check --requests --------------------------------------------------------------------

    void checkRequestsFile() {
        const CliRun run = runCli({u"check"_s, u"-w"_s, demoPath(), u"--requests"_s,
                                   dataPath(u"requests.jsonl"_s), u"--json"_s});
        EXPECT_EXIT(run, 0); // some are denied: a batch still succeeds
        QVERIFY(run.err.isEmpty());
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(run.out, decisions);

        // The non-blank lines of the file, in order, with their verdicts.
        QList<QJsonObject> requests;
        for (const QByteArray& line : readBytes(dataPath(u"requests.jsonl"_s)).split('\n'))
            if (!line.trimmed().isEmpty())
                requests.append(QJsonDocument::fromJson(line).object());
        QCOMPARE(requests.size(), 8);
        const QList<QVariant> deniedBy{QVariant(), u"team_member"_s, QVariant(), u"team"_s,
                                       u"user"_s,  u"project"_s,     u"key"_s,   QVariant()};
        QCOMPARE(decisions.size(), requests.size());
        for (qsizetype i = 0; i < requests.size(); ++i) {
            VERIFY_DECISION(decisions[i]);
            QCOMPARE(decisions[i].value(u"key"_s), requests[i].value(u"key"_s));
            QCOMPARE(decisions[i].value(u"model"_s),
                     requests[i].value(u"model"_s)); // lists stay lists
            QCOMPARE(decisions[i][u"allowed"_s].toBool(), deniedBy[i].isNull());
            if (!deniedBy[i].isNull())
                QCOMPARE(decisions[i][u"denied_by"_s].toString(), deniedBy[i].toString());
        }

        // Standard input gives the same lines.
        const CliRun piped =
            runCli({u"check"_s, u"-w"_s, demoPath(), u"--requests"_s, u"-"_s, u"--json"_s},
                   readBytes(dataPath(u"requests.jsonl"_s)));
        EXPECT_EXIT(piped, 0);
        QCOMPARE(piped.out, run.out);

        // And the text form has one verdict line per request, in order.
        const CliRun text = runCli(
            {u"check"_s, u"-w"_s, demoPath(), u"--requests"_s, dataPath(u"requests.jsonl"_s)});
        EXPECT_EXIT(text, 0);
        QStringList headers;
        for (const QString& line : textLines(text.out))
            if (!line.startsWith(u' '))
                headers.append(line);
        QCOMPARE(headers.size(), requests.size());
        QCOMPARE(headers[1], u"DENIED  search-bob-dev -> gpt-4o"_s);
        QCOMPARE(headers[2], u"ALLOWED  search-prod -> [gpt-4o, gpt-4o-mini]"_s);
    }

    void checkRequestsListModel_data() {
        QTest::addColumn<QJsonArray>("models");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<int>("deniedElement");
        QTest::newRow("all allowed") << QJsonArray{u"gpt-4o"_s, u"gpt-4o-mini"_s} << true << -1;
        QTest::newRow("second denied")
            << QJsonArray{u"gpt-4o"_s, u"claude-3-5-sonnet"_s} << false << 1;
        QTest::newRow("first denied")
            << QJsonArray{u"claude-3-5-sonnet"_s, u"gpt-4o"_s} << false << 0;
        QTest::newRow("one element") << QJsonArray{u"gpt-4o"_s} << true << -1;
        QTest::newRow("three, last denied")
            << QJsonArray{u"gpt-4o"_s, u"text-embedding-3-small"_s, u"o3-pro"_s} << false << 2;
    }

    void checkRequestsListModel() {
        QFETCH(QJsonArray, models);
        QFETCH(bool, allowed);
        QFETCH(int, deniedElement);
        const QJsonObject request{{u"key"_s, u"search-prod"_s}, {u"model"_s, models}};
        const CliRun run = runCli({u"check"_s, u"-w"_s, demoPath(), u"-r"_s, u"-"_s, u"--json"_s},
                                  QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
        EXPECT_EXIT(run, 0);
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(run.out, decisions);
        QCOMPARE(decisions.size(), 1);
        const QJsonObject decision = decisions.first();
        VERIFY_DECISION(decision);
        QCOMPARE(decision[u"model"_s].toArray(), models);
        QCOMPARE(decision[u"allowed"_s].toBool(), allowed);
        // Every step says which element it is about; the denial names the refused element.
        QSet<int> elements;
        for (const QJsonValue& value : decision[u"trail"_s].toArray()) {
            const QJsonObject step = value.toObject();
            QVERIFY(step[u"element"_s].isDouble());
            const int element = step[u"element"_s].toInt();
            QVERIFY(element >= 0 && element < models.size());
            elements.insert(element);
            if (step[u"verdict"_s].toString() == u"denied"_s) {
                QCOMPARE(element, deniedElement);
                QCOMPARE(step[u"model"_s].toString(), models[element].toString());
            }
        }
        if (allowed)
            QCOMPARE(elements.size(), models.size()); // all of them were checked
    }

    void checkRequestsBlankLinesAndEmptyInput() {
        const QByteArray input = "\n   \n{\"key\": \"search-prod\", \"model\": \"gpt-4o\"}\r\n\t\n"
                                 "\n{\"key\": \"search-prod\", \"model\": \"o3-pro\"}";
        const CliRun run =
            runCli({u"check"_s, u"-w"_s, demoPath(), u"--requests"_s, u"-"_s, u"--json"_s}, input);
        EXPECT_EXIT(run, 0);
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(run.out, decisions);
        QCOMPARE(decisions.size(), 2);
        QCOMPARE(decisions[0][u"model"_s].toString(), u"gpt-4o"_s);
        QCOMPARE(decisions[0][u"allowed"_s].toBool(), true);
        QCOMPARE(decisions[1][u"model"_s].toString(), u"o3-pro"_s);
        QCOMPARE(decisions[1][u"allowed"_s].toBool(), false);

        const CliRun empty =
            runCli({u"check"_s, u"-w"_s, demoPath(), u"--requests"_s, u"-"_s, u"--json"_s});
        EXPECT_EXIT(empty, 0);
        QVERIFY(empty.out.isEmpty());
        QVERIFY(empty.err.isEmpty());
    }

    // ---- bad request lines: exit 2, a message on stderr, the decisions before it on stdout -----

    void badRequests_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("before"); // requests decided before the bad line

        const QByteArray good = "{\"key\": \"search-prod\", \"model\": \"gpt-4o\"}\n";
        QTest::newRow("not JSON") << QByteArray(good + "\nnot json\n" + good)
                                  << u"requests line 3: not valid JSON"_s << 1;
        QTest::newRow("truncated JSON")
            << QByteArray(good + "{\"key\": \"search-prod\", \"model\": \n")
            << u"requests line 2: not valid JSON"_s << 1;
        QTest::newRow("not an object") << QByteArray("[\"search-prod\", \"gpt-4o\"]\n")
                                       << u"requests line 1: expected a JSON object"_s << 0;
        QTest::newRow("no key") << QByteArray(good + good + "{\"model\": \"gpt-4o\"}\n")
                                << u"requests line 3: \"key\" must be a non-empty string"_s << 2;
        QTest::newRow("empty key") << QByteArray("{\"key\": \"\", \"model\": \"gpt-4o\"}\n")
                                   << u"requests line 1: \"key\" must be a non-empty string"_s << 0;
        QTest::newRow("model is a number")
            << QByteArray("{\"key\": \"search-prod\", \"model\": 42}\n")
            << u"requests line 1: \"model\" must be a string or a non-empty list of strings"_s << 0;
        QTest::newRow("model is an object")
            << QByteArray(good + "{\"key\": \"search-prod\", \"model\": {\"name\": \"gpt-4o\"}}\n")
            << u"requests line 2: \"model\" must be a string or a non-empty list of strings"_s << 1;
        QTest::newRow("model missing")
            << QByteArray("{\"key\": \"search-prod\"}\n")
            << u"requests line 1: \"model\" must be a string or a non-empty list of strings"_s << 0;
        QTest::newRow("model null")
            << QByteArray("{\"key\": \"search-prod\", \"model\": null}\n")
            << u"requests line 1: \"model\" must be a string or a non-empty list of strings"_s << 0;
        QTest::newRow("empty list model")
            << QByteArray("{\"key\": \"search-prod\", \"model\": []}\n")
            << u"requests line 1: \"model\" must be a string or a non-empty list of strings"_s << 0;
        QTest::newRow("list with a number")
            << QByteArray("{\"key\": \"search-prod\", \"model\": [\"gpt-4o\", 7]}\n")
            << u"requests line 1: \"model\"[1] must be a string"_s << 0;
        QTest::newRow("unknown key after good lines")
            << QByteArray(good + "\n{\"key\": \"no-such-key\", \"model\": \"gpt-4o\"}\n")
            << u"requests line 3: no key \"no-such-key\" in the workspace"_s << 1;

        // A NUL byte ended the line for Qt's reader: the line was dropped, or judged cut short.
        QTest::newRow("NUL first") << QByteArray(good + QByteArray("\0", 1) + good)
                                   << u"requests line 2: holds a NUL byte at byte 1"_s << 1;
        QTest::newRow("NUL after the object")
            << QByteArray(good.chopped(1) + QByteArray("\0", 1) + "junk\n")
            << u"requests line 1: holds a NUL byte at byte 42"_s << 0;
        QTest::newRow("NUL inside a name")
            << QByteArray("{\"key\": \"search-prod\", \"model\": \"gpt" + QByteArray("\0", 1) +
                          "-4o\"}\n")
            << u"requests line 1: holds a NUL byte at byte 37"_s << 0;
        QByteArray names;
        for (int i = 0; i < 1001; ++i)
            names += (i == 0 ? "\"m" : ", \"m") + QByteArray::number(i) + '"';
        QTest::newRow("list of 1001 names")
            << QByteArray("{\"key\": \"search-prod\", \"model\": [" + names + "]}\n")
            << u"requests line 1: \"model\" lists 1001 names; a request may list at most 1000"_s
            << 0;
        QTest::newRow("a line over 1 MiB")
            << QByteArray(good + "{\"key\": \"search-prod\", \"model\": \"" +
                          QByteArray(1024 * 1024, 'x') + "\"}\n")
            << u"requests line 2: longer than 1 MiB"_s << 1;
    }

    // Endless devices as a requests file: refused at the first line, in a moment, never read
    // whole (reading /dev/zero grew to gigabytes).
    void requestsFromEndlessDevices_data() {
        QTest::addColumn<QString>("device");
        QTest::addColumn<QString>("message");
        QTest::newRow("zero") << u"/dev/zero"_s << u"requests line 1: longer than 1 MiB"_s;
        // Random bytes may start with a blank line: the first line that is not blank is bad.
        QTest::newRow("urandom") << u"/dev/urandom"_s << u"requests line "_s;
    }

    void requestsFromEndlessDevices() {
        QFETCH(QString, device);
        QFETCH(QString, message);
        const CliRun run =
            runCli({u"check"_s, u"-w"_s, demoPath(), u"--requests"_s, device}, {}, 20000);
        QVERIFY2(run.finished, "still reading after 20 s");
        EXPECT_EXIT(run, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.startsWith(QByteArray("litescope-cli: " + message.toUtf8())),
                 run.err.constData());
    }

    // Decisions are printed as they are decided: a bad line stops the batch, and stdout holds
    // exactly the decisions of the lines before it, as a batch of those lines alone prints them.
    void badRequests() {
        QFETCH(QByteArray, input);
        QFETCH(QString, message);
        QFETCH(int, before);
        const int badLine = message.section(u' ', 2, 2).chopped(1).toInt();
        QVERIFY(badLine >= 1);
        const QByteArray goodPart = input.split('\n').mid(0, badLine - 1).join('\n') + '\n';
        for (const bool json : {true, false}) {
            QStringList arguments{u"check"_s, u"-w"_s, demoPath(), u"--requests"_s, u"-"_s};
            if (json)
                arguments.append(u"--json"_s);
            const CliRun run = runCli(arguments, input);
            EXPECT_EXIT(run, 2);
            QVERIFY2(run.err.startsWith(QByteArray("litescope-cli: " + message.toUtf8())),
                     run.err.constData());
            QVERIFY(run.err.endsWith('\n'));
            const CliRun good = runCli(arguments, goodPart);
            EXPECT_EXIT(good, 0);
            QCOMPARE(run.out, good.out);
            qsizetype decisions = 0; // JSON lines, or the text form's verdict lines
            for (const QString& line : textLines(run.out))
                decisions += json || !line.startsWith(u' ') ? 1 : 0;
            QCOMPARE(decisions, qsizetype(before));
        }
        // The same from a file.
        const QString path = m_dir.filePath(u"requests.jsonl"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(input);
        file.close();
        const CliRun run =
            runCli({u"check"_s, u"-w"_s, demoPath(), u"--requests"_s, path, u"--json"_s});
        EXPECT_EXIT(run, 2);
        QCOMPARE(run.out.count('\n'), before);
        QVERIFY2(run.err.startsWith(QByteArray("litescope-cli: " + message.toUtf8())),
                 run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TstCliCheck)
#include "tst_cli_check.moc"
