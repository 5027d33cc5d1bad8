// litescope-cli end to end: every test runs the real binary from the build tree and checks its
// exit code, stdout and stderr. Exit codes: 0 ok, 1 denied (check) / workspace errors (validate),
// 2 bad input, with a message on stderr and nothing on stdout. Decision lines follow
// docs/workspace-format.md. Fixtures: the demo workspace and small files under data/cli/.
#include "support/CliRunner.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using litescope::test::CliRun;
using litescope::test::runCli;

namespace {

QString demoPath() {
    return QStringLiteral(LITESCOPE_TEST_DATA "/../resources/demo/demo-workspace.json");
}

QString dataPath(const QString& name) {
    return QStringLiteral(LITESCOPE_TEST_DATA "/data/cli/") + name;
}

QByteArray readBytes(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

QJsonObject readJsonObject(const QString& path) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(readBytes(path), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("%s: %s", qPrintable(path), qPrintable(error.errorString()));
    return document.object();
}

// What the CLI printed, for failure messages.
QString describe(const CliRun& run) {
    return u"finished %1, exit %2\n--- stdout:\n%3\n--- stderr:\n%4"_s.arg(run.finished)
        .arg(run.exitCode)
        .arg(QString::fromUtf8(run.out.left(3000)), QString::fromUtf8(run.err.left(3000)));
}

// Lines of a text output; the output must end with a newline.
QStringList textLines(const QByteArray& output) {
    if (output.isEmpty())
        return {};
    QString text = QString::fromUtf8(output);
    if (text.endsWith(u'\n'))
        text.chop(1);
    return text.split(u'\n');
}

// One JSON object per line, nothing else.
bool parseJsonLines(const QByteArray& output, QList<QJsonObject>& objects, QString& error) {
    objects.clear();
    if (output.isEmpty())
        return true;
    if (!output.endsWith('\n')) {
        error = u"output does not end with a newline"_s;
        return false;
    }
    const QList<QByteArray> lines = output.chopped(1).split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(lines[i], &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            error = u"output line %1 is not a JSON object: %2"_s.arg(i + 1).arg(
                QString::fromUtf8(lines[i]));
            return false;
        }
        objects.append(document.object());
    }
    return true;
}

// The models the proxy serves to a key of `teamId` (empty: no team), per docs/workspace-format.md:
// public deployments (no model_info.team_id) without wildcards, the team's own deployments under
// their public name, and router aliases that are not hidden.
QSet<QString> servedModels(const QJsonObject& workspace, const QString& teamId) {
    QSet<QString> names;
    const QJsonArray models = workspace[u"proxy_models"_s].toArray();
    for (const QJsonValue& entry : models) {
        const QJsonObject model = entry.toObject();
        const QJsonObject info = model[u"model_info"_s].toObject();
        const QJsonValue owner = info[u"team_id"_s];
        QString name = model[u"model_name"_s].toString();
        if (owner.isString()) {
            if (teamId.isEmpty() || owner.toString() != teamId)
                continue;
            if (info[u"team_public_model_name"_s].isString())
                name = info[u"team_public_model_name"_s].toString();
        }
        if (!name.contains(u'*'))
            names.insert(name);
    }
    const QJsonObject aliases = workspace[u"model_group_alias"_s].toObject();
    for (auto it = aliases.constBegin(); it != aliases.constEnd(); ++it)
        if (!it.value().toObject()[u"hidden"_s].toBool())
            names.insert(it.key());
    return names;
}

// How a request names a key in these tests: its alias, or its token for every other key (both
// must work).
QString keyName(const QJsonObject& key, qsizetype index) {
    const QString alias = key[u"key_alias"_s].toString();
    return alias.isEmpty() || index % 2 == 1 ? key[u"token"_s].toString() : alias;
}

struct TableRow {
    QString model;
    QString verdict;
    QString layer;
    QString reason;
};

const QSet<QString> layers{u"key"_s, u"team"_s, u"team_member"_s, u"user"_s, u"project"_s};
const QSet<QString> verdicts{u"allowed"_s, u"denied"_s, u"skipped"_s, u"unknown"_s};

} // namespace

// Fails the test with what the CLI printed when it did not exit with `code`.
#define EXPECT_EXIT(run, code)                                                                     \
    QVERIFY2((run).finished && (run).exitCode == (code),                                           \
             qPrintable(u"expected exit %1; "_s.arg(code) + describe(run)))

// Parses `bytes` as JSON Lines into `list` or fails the test.
#define PARSE_JSON_LINES(bytes, list)                                                              \
    do {                                                                                           \
        QString parseError_;                                                                       \
        QVERIFY2(parseJsonLines((bytes), (list), parseError_), qPrintable(parseError_));           \
    } while (false)

// Runs verifyDecisionShape() and stops the test when it failed.
#define VERIFY_DECISION(decision)                                                                  \
    do {                                                                                           \
        verifyDecisionShape(decision);                                                             \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

class TstCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QJsonObject m_demo;

    // `preview --key K --json` for every key of the demo, by the name keyName() gives it.
    QList<QPair<QString, QList<QJsonObject>>> m_previews;

    QString missingPath() const { return m_dir.filePath(u"no-such-workspace.json"_s); }

    QString demoToken(qsizetype index) const {
        return m_demo.value(u"keys"_s).toArray().at(index).toObject().value(u"token"_s).toString();
    }

    // Checks the shape of one decision line of docs/workspace-format.md.
    static void verifyDecisionShape(const QJsonObject& decision) {
        const QStringList fields = decision.keys();
        for (const QString& field :
             {u"key"_s, u"model"_s, u"allowed"_s, u"denied_by"_s, u"reason"_s, u"trail"_s})
            QVERIFY2(fields.contains(field), qPrintable(u"decision has no "_s + field));
        QVERIFY(decision[u"key"_s].isString());
        QVERIFY(decision[u"model"_s].isString() || decision[u"model"_s].isArray());
        QVERIFY(decision[u"allowed"_s].isBool());
        QVERIFY(!decision[u"reason"_s].toString().isEmpty());
        const QJsonArray trail = decision[u"trail"_s].toArray();
        QVERIFY(!trail.isEmpty());
        // A later check of a layer may grant what an earlier one refused (access groups, the
        // key's groups for the team): what counts is each layer's last step.
        QString lastDeniedLayer;
        QHash<QString, QString> lastVerdictOfLayer;
        for (const QJsonValue& value : trail) {
            const QJsonObject step = value.toObject();
            for (const QString& field :
                 {u"layer"_s, u"check"_s, u"verdict"_s, u"rule"_s, u"detail"_s}) {
                QVERIFY2(step[field].isString() && !step[field].toString().isEmpty(),
                         qPrintable(u"trail step without "_s + field));
            }
            QVERIFY2(layers.contains(step[u"layer"_s].toString()),
                     qPrintable(step[u"layer"_s].toString()));
            QVERIFY2(verdicts.contains(step[u"verdict"_s].toString()),
                     qPrintable(step[u"verdict"_s].toString()));
            if (step[u"verdict"_s].toString() == u"denied"_s)
                lastDeniedLayer = step[u"layer"_s].toString();
            lastVerdictOfLayer.insert(step[u"layer"_s].toString(), step[u"verdict"_s].toString());
        }
        if (decision[u"allowed"_s].toBool()) {
            QVERIFY(decision[u"denied_by"_s].isNull());
            for (auto it = lastVerdictOfLayer.cbegin(); it != lastVerdictOfLayer.cend(); ++it)
                QVERIFY2(it.value() != u"denied"_s, qPrintable(it.key()));
            QVERIFY(decision[u"reason"_s].toString().startsWith(u"Allowed"_s));
        } else {
            QVERIFY(decision[u"denied_by"_s].isString());
            QVERIFY(layers.contains(decision[u"denied_by"_s].toString()));
            QCOMPARE(lastDeniedLayer, decision[u"denied_by"_s].toString());
            QCOMPARE(lastVerdictOfLayer.value(lastDeniedLayer), u"denied"_s);
            QVERIFY(decision[u"reason"_s].toString().startsWith(u"Denied"_s));
        }
    }

    // The table of `preview` without --json: rows between the header and the summary line.
    static void parseTable(const QByteArray& output, const QString& label, QList<TableRow>& rows,
                           int& allowed, int& total) {
        const QStringList lines = textLines(output);
        QVERIFY2(lines.size() >= 3, output.constData());
        QCOMPARE(lines.first(), QString(u"Preview for "_s + label));
        const QString header = lines[1];
        QVERIFY(header.startsWith(u"MODEL "_s));
        const qsizetype verdictAt = header.indexOf(u"VERDICT"_s);
        const qsizetype layerAt = header.indexOf(u"LAYER"_s);
        const qsizetype reasonAt = header.indexOf(u"REASON"_s);
        QVERIFY(verdictAt > 0 && layerAt > verdictAt && reasonAt > layerAt);
        static const QRegularExpression summary(u"^(\\d+) of (\\d+) models allowed$"_s);
        const QRegularExpressionMatch match = summary.match(lines.last());
        QVERIFY2(match.hasMatch(), qPrintable(lines.last()));
        allowed = match.captured(1).toInt();
        total = match.captured(2).toInt();
        rows.clear();
        for (qsizetype i = 2; i < lines.size() - 1; ++i) {
            const QString& line = lines[i];
            rows.append({line.left(verdictAt).trimmed(),
                         line.mid(verdictAt, layerAt - verdictAt).trimmed(),
                         line.mid(layerAt, reasonAt - layerAt).trimmed(), line.mid(reasonAt)});
        }
    }

    // Runs `preview --json` for every demo key once.
    void loadPreviews() {
        if (!m_previews.isEmpty())
            return;
        QList<QPair<QString, QList<QJsonObject>>> previews;
        const QJsonArray keys = m_demo[u"keys"_s].toArray();
        for (qsizetype i = 0; i < keys.size(); ++i) {
            const QString key = keyName(keys[i].toObject(), i);
            const CliRun run =
                runCli({u"preview"_s, u"-w"_s, demoPath(), u"--key"_s, key, u"--json"_s});
            EXPECT_EXIT(run, 0);
            QList<QJsonObject> decisions;
            PARSE_JSON_LINES(run.out, decisions);
            previews.append({key, decisions});
        }
        m_previews = previews; // only when all of them worked
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_dir.isValid(), "temporary directory");
        QVERIFY2(QFile::exists(QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli")),
                 "litescope-cli is built");
        m_demo = readJsonObject(demoPath());
        QVERIFY(m_demo[u"keys"_s].toArray().size() >= 10);
    }

    // ---- the program itself ------------------------------------------------------------------

    void help_data() {
        QTest::addColumn<QString>("option");
        QTest::newRow("--help") << u"--help"_s;
        QTest::newRow("-h") << u"-h"_s;
        QTest::newRow("help") << u"help"_s;
    }

    void help() {
        QFETCH(QString, option);
        const CliRun run = runCli({option});
        EXPECT_EXIT(run, 0);
        QVERIFY(run.err.isEmpty());
        QVERIFY(run.out.startsWith("Usage: litescope-cli <command> [options]\n"));
        for (const char* command : {"\n  check ", "\n  preview ", "\n  validate "})
            QVERIFY2(run.out.contains(command), command);
        QVERIFY(run.out.contains("--version"));
    }

    void version_data() {
        QTest::addColumn<QString>("option");
        QTest::newRow("--version") << u"--version"_s;
        QTest::newRow("-v") << u"-v"_s;
    }

    void version() {
        QFETCH(QString, option);
        const CliRun run = runCli({option});
        EXPECT_EXIT(run, 0);
        QCOMPARE(run.out, QByteArray("litescope-cli 0.1.0\n"));
        QVERIFY(run.err.isEmpty());
    }

    void noCommand() {
        const CliRun run = runCli({});
        EXPECT_EXIT(run, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.startsWith("Usage: litescope-cli <command> [options]\n"),
                 run.err.constData());
        QVERIFY(run.err.contains("\n  check "));
    }

    void unknownCommand() {
        const CliRun run = runCli({u"frobnicate"_s, u"-w"_s, demoPath()});
        EXPECT_EXIT(run, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY(run.err.contains("Usage: litescope-cli"));
        QVERIFY2(run.err.endsWith("litescope-cli: unknown command \"frobnicate\"\n"),
                 run.err.constData());
    }

    void commandHelp_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QStringList>("options");
        QTest::newRow("check") << u"check"_s
                               << QStringList{u"--workspace"_s, u"--key"_s, u"--model"_s,
                                              u"--requests"_s, u"--json"_s};
        QTest::newRow("preview") << u"preview"_s
                                 << QStringList{u"--workspace"_s, u"--key"_s,   u"--team"_s,
                                                u"--member"_s,    u"--model"_s, u"--json"_s};
        QTest::newRow("validate") << u"validate"_s << QStringList{u"--workspace"_s};
    }

    void commandHelp() {
        QFETCH(QString, command);
        QFETCH(QStringList, options);
        for (const QString& flag : {u"--help"_s, u"-h"_s}) {
            const CliRun run = runCli({command, flag});
            EXPECT_EXIT(run, 0);
            QVERIFY(run.err.isEmpty());
            QVERIFY(run.out.startsWith("Usage: "));
            for (const QString& option : options)
                QVERIFY2(run.out.contains(option.toUtf8()), qPrintable(option));
        }
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
        QTest::newRow("commas") << u"gpt-4o,claude-3-5-sonnet"_s;
        QTest::newRow("everything") << u"we,ird \"quoted\" {braces} [x] back\\slash \\n "
                                       u"\U0001F680\U0001F469\u200D\U0001F4BB "
                                       u"\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627 "
                                       u"\u202Eltr:end"_s;
        QTest::newRow("right to left only")
            << u"\u05DE\u05D5\u05D3\u05DC-\u05D2\u05D3\u05D5\u05DC"_s;
        QTest::newRow("emoji only") << u"\U0001F916\U0001F916"_s;
        QTest::newRow("json text") << u"{\"key\": \"x\", \"model\": [1, 2]}"_s;
    }

    void checkModelNameEchoed() {
        QFETCH(QString, model);
        const CliRun json = runCli({u"check"_s, u"-w"_s, demoPath(), u"--key"_s, u"search-prod"_s,
                                    u"--model"_s, model, u"--json"_s});
        EXPECT_EXIT(json, 1); // not a model of team Search
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(json.out, decisions);
        QCOMPARE(decisions.size(), 1); // one request: commas do not split a name
        QVERIFY(decisions[0][u"model"_s].isString());
        QCOMPARE(decisions[0][u"model"_s].toString(), model);
        QCOMPARE(decisions[0][u"model"_s].toString().toUtf8(), model.toUtf8());
        // Written as UTF-8, not as \u escapes an admin's grep would miss.
        for (const QString& word : model.split(u' '))
            if (!word.contains(u'"') && !word.contains(u'\\'))
                QVERIFY2(json.out.contains(word.toUtf8()), qPrintable(word));

        const CliRun text = runCli(
            {u"check"_s, u"-w"_s, demoPath(), u"--key"_s, u"search-prod"_s, u"--model"_s, model});
        EXPECT_EXIT(text, 1);
        QVERIFY(text.out.startsWith(QByteArray("DENIED  search-prod -> " + model.toUtf8() + '\n')));
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

    // ---- bad input: exit 2, a message on stderr, nothing on stdout ---------------------------

    void badRequests_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("message");

        const QByteArray good = "{\"key\": \"search-prod\", \"model\": \"gpt-4o\"}\n";
        QTest::newRow("not JSON") << QByteArray(good + "\nnot json\n" + good)
                                  << u"requests line 3: not valid JSON"_s;
        QTest::newRow("truncated JSON")
            << QByteArray(good + "{\"key\": \"search-prod\", \"model\": \n")
            << u"requests line 2: not valid JSON"_s;
        QTest::newRow("not an object") << QByteArray("[\"search-prod\", \"gpt-4o\"]\n")
                                       << u"requests line 1: expected a JSON object"_s;
        QTest::newRow("no key") << QByteArray(good + good + "{\"model\": \"gpt-4o\"}\n")
                                << u"requests line 3: \"key\" must be a non-empty string"_s;
        QTest::newRow("empty key") << QByteArray("{\"key\": \"\", \"model\": \"gpt-4o\"}\n")
                                   << u"requests line 1: \"key\" must be a non-empty string"_s;
        QTest::newRow("model is a number")
            << QByteArray("{\"key\": \"search-prod\", \"model\": 42}\n")
            << u"requests line 1: \"model\" must be a string or a non-empty list of strings"_s;
        QTest::newRow("model is an object")
            << QByteArray(good + "{\"key\": \"search-prod\", \"model\": {\"name\": \"gpt-4o\"}}\n")
            << u"requests line 2: \"model\" must be a string or a non-empty list of strings"_s;
        QTest::newRow("model missing")
            << QByteArray("{\"key\": \"search-prod\"}\n")
            << u"requests line 1: \"model\" must be a string or a non-empty list of strings"_s;
        QTest::newRow("model null")
            << QByteArray("{\"key\": \"search-prod\", \"model\": null}\n")
            << u"requests line 1: \"model\" must be a string or a non-empty list of strings"_s;
        QTest::newRow("empty list model")
            << QByteArray("{\"key\": \"search-prod\", \"model\": []}\n")
            << u"requests line 1: \"model\" must be a string or a non-empty list of strings"_s;
        QTest::newRow("list with a number")
            << QByteArray("{\"key\": \"search-prod\", \"model\": [\"gpt-4o\", 7]}\n")
            << u"requests line 1: \"model\"[1] must be a string"_s;
        QTest::newRow("unknown key after good lines")
            << QByteArray(good + "\n{\"key\": \"no-such-key\", \"model\": \"gpt-4o\"}\n")
            << u"requests line 3: no key \"no-such-key\" in the workspace"_s;
    }

    void badRequests() {
        QFETCH(QByteArray, input);
        QFETCH(QString, message);
        for (const bool json : {true, false}) {
            QStringList arguments{u"check"_s, u"-w"_s, demoPath(), u"--requests"_s, u"-"_s};
            if (json)
                arguments.append(u"--json"_s);
            const CliRun run = runCli(arguments, input);
            EXPECT_EXIT(run, 2);
            QVERIFY2(run.out.isEmpty(), run.out.constData()); // no partial output
            QVERIFY2(run.err.startsWith(QByteArray("litescope-cli: " + message.toUtf8())),
                     run.err.constData());
            QVERIFY(run.err.endsWith('\n'));
        }
        // The same from a file.
        const QString path = m_dir.filePath(u"requests.jsonl"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(input);
        file.close();
        const CliRun run = runCli({u"check"_s, u"-w"_s, demoPath(), u"--requests"_s, path});
        EXPECT_EXIT(run, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.startsWith(QByteArray("litescope-cli: " + message.toUtf8())),
                 run.err.constData());
    }

    void badArguments_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");

        const QString demo = demoPath();
        const QString missing = missingPath();
        const QString malformed = dataPath(u"malformed-team-models.json"_s);
        const QString truncated = dataPath(u"truncated.json"_s);

        // check
        QTest::newRow("check: no workspace")
            << QStringList{u"check"_s, u"--key"_s, u"search-prod"_s, u"--model"_s, u"gpt-4o"_s}
            << u"Say where the data comes from: --workspace FILE."_s;
        QTest::newRow("check: missing workspace file")
            << QStringList{u"check"_s,       u"-w"_s, missing,    u"-k"_s,
                           u"search-prod"_s, u"-m"_s, u"gpt-4o"_s}
            << QString(u"cannot read "_s + missing + u": "_s);
        QTest::newRow("check: workspace is a directory")
            << QStringList{u"check"_s,       u"-w"_s, m_dir.path(), u"-k"_s,
                           u"search-prod"_s, u"-m"_s, u"gpt-4o"_s}
            << QString(u"cannot read "_s + m_dir.path() + u": "_s);
        QTest::newRow("check: malformed workspace")
            << QStringList{u"check"_s,     u"-w"_s, malformed,  u"-k"_s,
                           u"alpha-key"_s, u"-m"_s, u"gpt-4o"_s}
            << QString(malformed + u": teams[0].models[1]: expected a string"_s);
        QTest::newRow("check: workspace is not JSON")
            << QStringList{u"check"_s, u"-w"_s, truncated, u"-k"_s, u"x"_s, u"-m"_s, u"y"_s}
            << QString(truncated + u": invalid JSON at line "_s);
        QTest::newRow("check: --key and --requests")
            << QStringList{u"check"_s,       u"-w"_s,         demo,  u"--key"_s,
                           u"search-prod"_s, u"--requests"_s, u"-"_s}
            << u"give either --key with --model, or --requests"_s;
        QTest::newRow("check: neither --key nor --requests")
            << QStringList{u"check"_s, u"-w"_s, demo, u"--json"_s}
            << u"give either --key with --model, or --requests"_s;
        QTest::newRow("check: --key without --model")
            << QStringList{u"check"_s, u"-w"_s, demo, u"--key"_s, u"search-prod"_s}
            << u"--key needs at least one --model"_s;
        QTest::newRow("check: --model with --requests")
            << QStringList{u"check"_s,
                           u"-w"_s,
                           demo,
                           u"--requests"_s,
                           dataPath(u"requests.jsonl"_s),
                           u"--model"_s,
                           u"gpt-4o"_s}
            << u"--model goes with --key, not with --requests"_s;
        QTest::newRow("check: unknown key")
            << QStringList{u"check"_s,   u"-w"_s,    demo, u"--key"_s, u"nobody-has-this-key"_s,
                           u"--model"_s, u"gpt-4o"_s}
            << u"no key \"nobody-has-this-key\" in the workspace"_s;
        QTest::newRow("check: token prefix is not a key")
            << QStringList{u"check"_s,   u"-w"_s,    demo, u"--key"_s, demoToken(0).left(16),
                           u"--model"_s, u"gpt-4o"_s}
            << QString(u"no key \""_s + demoToken(0).left(16) + u'"');
        QTest::newRow("check: missing requests file")
            << QStringList{u"check"_s, u"-w"_s, demo, u"--requests"_s, missing}
            << QString(u"cannot read requests file "_s + missing);
        QTest::newRow("check: unknown option")
            << QStringList{u"check"_s, u"-w"_s,          demo,    u"--bogus"_s,
                           u"-k"_s,    u"search-prod"_s, u"-m"_s, u"gpt-4o"_s}
            << u"Unknown option 'bogus'"_s;
        QTest::newRow("check: --workspace without a value")
            << QStringList{u"check"_s,   u"--key"_s,  u"search-prod"_s,
                           u"--model"_s, u"gpt-4o"_s, u"--workspace"_s}
            << u"Missing value after '--workspace'"_s;

        // preview
        QTest::newRow("preview: no subject") << QStringList{u"preview"_s, u"-w"_s, demo}
                                             << u"give either --key, or --team with --member"_s;
        QTest::newRow("preview: --key and --team")
            << QStringList{u"preview"_s, u"-w"_s,          demo,
                           u"--key"_s,   u"search-prod"_s, u"--team"_s,
                           u"Search"_s,  u"--member"_s,    u"priya.raman@acme.example"_s}
            << u"give either --key, or --team with --member"_s;
        QTest::newRow("preview: --team without --member")
            << QStringList{u"preview"_s, u"-w"_s, demo, u"--team"_s, u"Search"_s}
            << u"--team and --member go together"_s;
        QTest::newRow("preview: --member without --team")
            << QStringList{u"preview"_s, u"-w"_s, demo, u"--member"_s,
                           u"bob.martinez@acme.example"_s}
            << u"--team and --member go together"_s;
        QTest::newRow("preview: no workspace")
            << QStringList{u"preview"_s, u"--key"_s, u"search-prod"_s}
            << u"Say where the data comes from: --workspace FILE."_s;
        QTest::newRow("preview: missing workspace file")
            << QStringList{u"preview"_s, u"-w"_s, missing, u"--key"_s, u"search-prod"_s}
            << QString(u"cannot read "_s + missing + u": "_s);
        QTest::newRow("preview: malformed workspace")
            << QStringList{u"preview"_s, u"-w"_s, malformed, u"--key"_s, u"alpha-key"_s}
            << QString(malformed + u": teams[0].models[1]: expected a string"_s);
        QTest::newRow("preview: unknown key")
            << QStringList{u"preview"_s, u"-w"_s, demo, u"--key"_s, u"nobody-has-this-key"_s}
            << u"no key \"nobody-has-this-key\" in the workspace"_s;
        QTest::newRow("preview: unknown team") << QStringList{u"preview"_s,
                                                              u"-w"_s,
                                                              demo,
                                                              u"--team"_s,
                                                              u"No Such Team"_s,
                                                              u"--member"_s,
                                                              u"bob.martinez@acme.example"_s}
                                               << u"no team \"No Such Team\" in the workspace"_s;
        QTest::newRow("preview: not a member (email)")
            << QStringList{u"preview"_s,
                           u"-w"_s,
                           demo,
                           u"--team"_s,
                           u"Search"_s,
                           u"--member"_s,
                           u"kenji.tanaka@acme.example"_s}
            << u"\"kenji.tanaka@acme.example\" is not a member of team Search"_s;
        QTest::newRow("preview: not a member (team id, unknown user)")
            << QStringList{u"preview"_s,
                           u"-w"_s,
                           demo,
                           u"--team"_s,
                           u"team-ml-research"_s,
                           u"--member"_s,
                           u"nobody@acme.example"_s}
            << u"\"nobody@acme.example\" is not a member of team ML Research"_s;
        QTest::newRow("preview: unknown option")
            << QStringList{u"preview"_s, u"-w"_s,          demo,
                           u"--key"_s,   u"search-prod"_s, u"--frobnicate"_s}
            << u"Unknown option 'frobnicate'"_s;

        // validate
        QTest::newRow("validate: missing workspace file")
            << QStringList{u"validate"_s, u"-w"_s, missing} << QString(u"cannot read "_s + missing);
        QTest::newRow("validate: workspace is a directory")
            << QStringList{u"validate"_s, u"--workspace"_s, m_dir.path()}
            << QString(u"cannot read "_s + m_dir.path());
        QTest::newRow("validate: unknown option")
            << QStringList{u"validate"_s, u"-w"_s, demo, u"--strict"_s}
            << u"Unknown option 'strict'"_s;
        // A usage mistake, not a workspace with errors: exit 2 like the other commands.
        QTest::newRow("validate: no workspace")
            << QStringList{u"validate"_s} << u"Say where the data comes from: --workspace FILE."_s;
    }

    void badArguments() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CliRun run = runCli(arguments);
        EXPECT_EXIT(run, 2);
        QVERIFY2(run.out.isEmpty(), run.out.constData());
        QVERIFY2(run.err.startsWith(QByteArray("litescope-cli: " + message.toUtf8())),
                 run.err.constData());
        QVERIFY(run.err.endsWith('\n'));
        QCOMPARE(run.err.count('\n'), qsizetype(1)); // one message, no usage dump
    }

    // ---- preview -----------------------------------------------------------------------------

    void previewKey_data() {
        QTest::addColumn<QString>("key");
        QTest::newRow("team key with member scope") << u"search-bob-dev"_s;
        QTest::newRow("team with its own deployment") << u"support-bot-prod"_s;
        QTest::newRow("personal key") << u"alice-personal"_s;
        QTest::newRow("blocked team") << u"voice-agent-prod"_s;
        QTest::newRow("access groups") << u"ml-research-batch"_s;
        QTest::newRow("by token") << demoToken(2);
    }

    void previewKey() {
        QFETCH(QString, key);
        QJsonObject demoKey;
        const QJsonArray keys = m_demo[u"keys"_s].toArray();
        for (const QJsonValue& value : keys)
            if (value[u"key_alias"_s].toString() == key || value[u"token"_s].toString() == key)
                demoKey = value.toObject();
        QVERIFY(!demoKey.isEmpty());
        const QSet<QString> served = servedModels(m_demo, demoKey[u"team_id"_s].toString());

        const CliRun table = runCli({u"preview"_s, u"-w"_s, demoPath(), u"--key"_s, key});
        EXPECT_EXIT(table, 0);
        QVERIFY(table.err.isEmpty());
        QList<TableRow> rows;
        int allowed = -1;
        int total = -1;
        parseTable(table.out, key, rows, allowed, total);
        if (QTest::currentTestFailed())
            return;

        QStringList tableModels;
        for (const TableRow& row : rows)
            tableModels.append(row.model);
        QCOMPARE(QSet<QString>(tableModels.cbegin(), tableModels.cend()), served);
        QCOMPARE(tableModels.size(), served.size()); // each once
        QCOMPARE(total, rows.size());
        QCOMPARE(qsizetype(allowed),
                 std::count_if(rows.cbegin(), rows.cend(),
                               [](const TableRow& row) { return row.verdict == u"allowed"_s; }));

        const CliRun json =
            runCli({u"preview"_s, u"-w"_s, demoPath(), u"--key"_s, key, u"--json"_s});
        EXPECT_EXIT(json, 0);
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(json.out, decisions);
        QCOMPARE(decisions.size(), rows.size());
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QJsonObject& decision = decisions[i];
            VERIFY_DECISION(decision);
            QCOMPARE(decision[u"key"_s].toString(), key);
            QCOMPARE(decision[u"model"_s].toString(), rows[i].model); // same order
            QCOMPARE(rows[i].verdict, decision[u"allowed"_s].toBool() ? u"allowed"_s : u"denied"_s);
            QCOMPARE(rows[i].layer, decision[u"denied_by"_s].toString());
            QCOMPARE(rows[i].reason, decision[u"reason"_s].toString());
        }
    }

    void previewKnownVerdicts() {
        const CliRun run = runCli(
            {u"preview"_s, u"-w"_s, demoPath(), u"--key"_s, u"search-bob-dev"_s, u"--json"_s});
        EXPECT_EXIT(run, 0);
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(run.out, decisions);
        QHash<QString, QJsonObject> byModel;
        for (const QJsonObject& decision : decisions)
            byModel.insert(decision[u"model"_s].toString(), decision);
        QCOMPARE(byModel[u"gpt-4o-mini"_s][u"allowed"_s].toBool(), true);
        QCOMPARE(byModel[u"text-embedding-3-small"_s][u"allowed"_s].toBool(), true);
        QCOMPARE(byModel[u"gpt-4o"_s][u"denied_by"_s].toString(), u"team_member"_s);
        QCOMPARE(byModel[u"claude-3-5-sonnet"_s][u"denied_by"_s].toString(), u"team"_s);
        QVERIFY(!byModel.contains(u"openai/*"_s));            // wildcards are not models
        QVERIFY(!byModel.contains(u"o3-internal-preview"_s)); // hidden alias

        // A team's own deployment shows under its public name, only to that team's keys.
        const QString internal = u"model_name_1239180f-5507-4476-bcf1-337c32a83fe4_"
                                 u"e93a1e2a-27c7-4cb3-a06b-b1176519b9a1"_s;
        const CliRun support = runCli(
            {u"preview"_s, u"-w"_s, demoPath(), u"--key"_s, u"support-bot-prod"_s, u"--json"_s});
        EXPECT_EXIT(support, 0);
        PARSE_JSON_LINES(support.out, decisions);
        QStringList supportModels;
        for (const QJsonObject& decision : decisions) {
            supportModels.append(decision[u"model"_s].toString());
            if (decision[u"model"_s].toString() == u"support-gpt"_s)
                QCOMPARE(decision[u"allowed"_s].toBool(), true);
        }
        QVERIFY(supportModels.contains(u"support-gpt"_s));
        QVERIFY(!supportModels.contains(internal));
        QVERIFY(!byModel.contains(u"support-gpt"_s));
    }

    void previewExtraModels() {
        const QStringList base{u"preview"_s, u"-w"_s, demoPath(), u"--key"_s, u"search-prod"_s};
        const CliRun plain = runCli(base);
        EXPECT_EXIT(plain, 0);
        QList<TableRow> rows;
        int allowed = 0;
        int total = 0;
        parseTable(plain.out, u"search-prod"_s, rows, allowed, total);
        if (QTest::currentTestFailed())
            return;

        const CliRun extra = runCli(base + QStringList{u"--model"_s, u"extra-model-x"_s, u"-m"_s,
                                                       u"embed"_s, u"-m"_s, u"with space,comma"_s});
        EXPECT_EXIT(extra, 0);
        QList<TableRow> extraRows;
        int extraAllowed = 0;
        int extraTotal = 0;
        parseTable(extra.out, u"search-prod"_s, extraRows, extraAllowed, extraTotal);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(extraTotal, total + 2); // "embed" is served already: no second row
        QCOMPARE(extraRows.size(), rows.size() + 2);
        QCOMPARE(extraAllowed, allowed);
        QCOMPARE(extraRows[rows.size()].model, u"extra-model-x"_s);
        QCOMPARE(extraRows[rows.size()].verdict, u"denied"_s);
        QCOMPARE(extraRows[rows.size() + 1].model, u"with space,comma"_s);
        QVERIFY(extra.out.endsWith(
            u"%1 of %2 models allowed\n"_s.arg(allowed).arg(total + 2).toUtf8()));

        const CliRun json = runCli(
            base + QStringList{u"--json"_s, u"--model"_s, u"gpt-4o"_s, u"--model"_s, u"gpt-4.1"_s});
        EXPECT_EXIT(json, 0);
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(json.out, decisions);
        QCOMPARE(decisions.size(), total); // both are served already
        QStringList models;
        for (const QJsonObject& decision : decisions)
            models.append(decision[u"model"_s].toString());
        QCOMPARE(models.count(u"gpt-4o"_s), 1);
        QCOMPARE(models.count(u"gpt-4.1"_s), 1);
    }

    void previewMember_data() {
        QTest::addColumn<QString>("team");
        QTest::addColumn<QString>("member");
        const QString teamId = u"e295a6e1-6b64-490c-8983-d4a384434f4c"_s;
        const QString userId = u"0e104407-b5ce-4cc1-a136-cd4692ea49cb"_s;
        QTest::newRow("team id, user id") << teamId << userId;
        QTest::newRow("team alias, user id") << u"Search"_s << userId;
        QTest::newRow("team id, email") << teamId << u"bob.martinez@acme.example"_s;
        QTest::newRow("team alias, email") << u"Search"_s << u"bob.martinez@acme.example"_s;
    }

    void previewMember() {
        QFETCH(QString, team);
        QFETCH(QString, member);
        const QString label =
            u"e295a6e1-6b64-490c-8983-d4a384434f4c/0e104407-b5ce-4cc1-a136-cd4692ea49cb"_s;

        const CliRun table =
            runCli({u"preview"_s, u"-w"_s, demoPath(), u"--team"_s, team, u"--member"_s, member});
        EXPECT_EXIT(table, 0);
        QVERIFY(table.err.isEmpty());
        QList<TableRow> rows;
        int allowed = 0;
        int total = 0;
        parseTable(table.out, label, rows, allowed, total);
        if (QTest::currentTestFailed())
            return;
        QStringList models;
        for (const TableRow& row : rows)
            models.append(row.model);
        QCOMPARE(QSet<QString>(models.cbegin(), models.cend()),
                 servedModels(m_demo, u"e295a6e1-6b64-490c-8983-d4a384434f4c"_s));

        // Bob's scope is [gpt-4o-mini, text-embedding-3-small] (and "embed", its alias).
        QSet<QString> allowedModels;
        for (const TableRow& row : rows)
            if (row.verdict == u"allowed"_s)
                allowedModels.insert(row.model);
        QCOMPARE(allowedModels,
                 (QSet<QString>{u"gpt-4o-mini"_s, u"text-embedding-3-small"_s, u"embed"_s}));
        QCOMPARE(allowed, 3);

        // Bob's own key (models [], his membership) gets the same verdicts.
        const CliRun json = runCli({u"preview"_s, u"-w"_s, demoPath(), u"--team"_s, team,
                                    u"--member"_s, member, u"--json"_s});
        EXPECT_EXIT(json, 0);
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(json.out, decisions);
        const CliRun key = runCli(
            {u"preview"_s, u"-w"_s, demoPath(), u"--key"_s, u"search-bob-dev"_s, u"--json"_s});
        EXPECT_EXIT(key, 0);
        QList<QJsonObject> keyDecisions;
        PARSE_JSON_LINES(key.out, keyDecisions);
        QCOMPARE(decisions.size(), keyDecisions.size());
        for (qsizetype i = 0; i < decisions.size(); ++i) {
            QCOMPARE(decisions[i][u"key"_s].toString(), label);
            QCOMPARE(decisions[i].value(u"model"_s), keyDecisions[i].value(u"model"_s));
            QCOMPARE(decisions[i].value(u"allowed"_s), keyDecisions[i].value(u"allowed"_s));
            QCOMPARE(decisions[i].value(u"denied_by"_s), keyDecisions[i].value(u"denied_by"_s));
        }
    }

    void previewMemberWhoseIdIsAnEmail() {
        const CliRun run =
            runCli({u"preview"_s, u"-w"_s, demoPath(), u"--team"_s, u"Data Platform"_s,
                    u"--member"_s, u"ivan.petrov@acme.example"_s, u"--json"_s});
        EXPECT_EXIT(run, 0);
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(run.out, decisions);
        QStringList allowed;
        for (const QJsonObject& decision : decisions) {
            QCOMPARE(decision[u"key"_s].toString(),
                     u"200e54ac-657e-4cca-b438-4403cc6cdf77/ivan.petrov@acme.example"_s);
            if (decision[u"allowed"_s].toBool())
                allowed.append(decision[u"model"_s].toString());
        }
        QCOMPARE(allowed, QStringList{u"llama-local"_s}); // his scope
    }

    // The help promises "--member: user id or email"; the team's member list carries the email
    // even when the users table has no row for the member.
    void previewMemberByEmailWithoutUserRow() {
        const QString workspace = dataPath(u"member-without-user-row.json"_s);
        const CliRun byId = runCli(
            {u"preview"_s, u"-w"_s, workspace, u"--team"_s, u"Alpha"_s, u"--member"_s, u"u-ann"_s});
        EXPECT_EXIT(byId, 0);
        QVERIFY(byId.out.endsWith("1 of 2 models allowed\n"));
        const CliRun byEmail = runCli({u"preview"_s, u"-w"_s, workspace, u"--team"_s, u"Alpha"_s,
                                       u"--member"_s, u"ann@example.com"_s});
        EXPECT_EXIT(byEmail, 0);
        QCOMPARE(byEmail.out, byId.out);
    }

    // ---- validate ----------------------------------------------------------------------------

    void validateDemo() {
        const CliRun run = runCli({u"validate"_s, u"--workspace"_s, demoPath()});
        EXPECT_EXIT(run, 0);
        QVERIFY(run.err.isEmpty());
        const QStringList lines = textLines(run.out);
        QVERIFY(!lines.isEmpty());
        static const QRegularExpression summary(u"^0 errors, (\\d+) warnings$"_s);
        const QRegularExpressionMatch match = summary.match(lines.last());
        QVERIFY2(match.hasMatch(), qPrintable(lines.last()));
        QCOMPARE(qsizetype(match.captured(1).toInt()), lines.size() - 1);
        QVERIFY(lines.size() - 1 >= 2);
        static const QRegularExpression warning(
            u"^warning: [a-z_]+\\[\\d+\\](\\.[a-z_]+(\\[\\d+\\])?)*: \\S.*$"_s);
        for (qsizetype i = 0; i + 1 < lines.size(); ++i)
            QVERIFY2(warning.match(lines[i]).hasMatch(), qPrintable(lines[i]));

        // Carlos is scoped to claude-3-5-sonnet, which team Search does not have.
        const QJsonArray memberships = m_demo[u"team_memberships"_s].toArray();
        qsizetype carlos = -1;
        for (qsizetype i = 0; i < memberships.size(); ++i)
            if (memberships[i][u"user_id"_s].toString() == u"carlos.silva@acme.example"_s &&
                memberships[i][u"team_id"_s].toString() ==
                    u"e295a6e1-6b64-490c-8983-d4a384434f4c"_s)
                carlos = i;
        QVERIFY(carlos >= 0);
        QVERIFY2(lines.contains(u"warning: team_memberships[%1].allowed_models[0]: member "
                                u"carlos.silva@acme.example of team Search is scoped to "
                                u"\"claude-3-5-sonnet\", which the team cannot use"_s.arg(carlos)),
                 run.out.constData());

        // voice-agent-prod belongs to a blocked team: it can call nothing.
        const QJsonArray keys = m_demo[u"keys"_s].toArray();
        qsizetype voice = -1;
        for (qsizetype i = 0; i < keys.size(); ++i)
            if (keys[i][u"key_alias"_s].toString() == u"voice-agent-prod"_s)
                voice = i;
        QVERIFY(voice >= 0);
        const QString prefix = u"warning: keys[%1]: key voice-agent-prod can call none of the "
                               u"proxy's "_s.arg(voice);
        QVERIFY2(std::any_of(lines.cbegin(), lines.cend(),
                             [&](const QString& line) { return line.startsWith(prefix); }),
                 run.out.constData());
        // A key that can call models gets no such warning.
        QVERIFY(!run.out.contains("key search-prod can call none"));
    }

    // Every unblocked key whose preview allows nothing is named by validate, and no other key.
    void validateKeysThatCanCallNothing() {
        loadPreviews();
        if (QTest::currentTestFailed())
            return;
        const CliRun run = runCli({u"validate"_s, u"-w"_s, demoPath()});
        EXPECT_EXIT(run, 0);
        const QJsonArray keys = m_demo[u"keys"_s].toArray();
        QCOMPARE(m_previews.size(), keys.size());
        int named = 0;
        for (qsizetype i = 0; i < keys.size(); ++i) {
            const QList<QJsonObject>& decisions = m_previews[i].second;
            const bool none =
                std::none_of(decisions.cbegin(), decisions.cend(), [](const QJsonObject& decision) {
                    return decision[u"allowed"_s].toBool();
                });
            const bool expected = none && !keys[i][u"blocked"_s].toBool();
            const QByteArray warning = u"\nwarning: keys[%1]: "_s.arg(i).toUtf8();
            QVERIFY2(QByteArray('\n' + run.out).contains(warning) == expected,
                     qPrintable(u"keys[%1] (%2)"_s.arg(i).arg(m_previews[i].first)));
            named += expected ? 1 : 0;
        }
        QVERIFY(named >= 1);
    }

    // A key that can call nothing is reported wherever it sits in the file, also after a
    // personal key that sees no models (the proxy's only model belongs to a team).
    void validateKeyAfterPersonalKeyWithoutModels() {
        const QString workspace = dataPath(u"only-team-models.json"_s);
        const CliRun preview =
            runCli({u"preview"_s, u"-w"_s, workspace, u"--key"_s, u"locked-out"_s});
        EXPECT_EXIT(preview, 0);
        QVERIFY(preview.out.endsWith("0 of 1 models allowed\n"));
        const CliRun run = runCli({u"validate"_s, u"-w"_s, workspace});
        EXPECT_EXIT(run, 0);
        QVERIFY2(run.out.contains(
                     "warning: keys[1]: key locked-out can call none of the proxy's 1 models\n"),
                 run.out.constData());
        QVERIFY(run.out.endsWith("0 errors, 1 warnings\n"));
    }

    void validateErrors_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("wrong type")
            << u"malformed-team-models.json"_s << u"teams[0].models[1]: expected a string"_s;
        QTest::newRow("dangling reference")
            << u"dangling-team.json"_s << u"keys[0].team_id: no team \"no-such-team\""_s;
        QTest::newRow("not JSON") << u"truncated.json"_s << u"invalid JSON at line "_s;
    }

    void validateErrors() {
        QFETCH(QString, file);
        QFETCH(QString, message);
        const QString path = dataPath(file);
        const CliRun run = runCli({u"validate"_s, u"-w"_s, path});
        EXPECT_EXIT(run, 1);
        QVERIFY(run.err.isEmpty());
        const QStringList lines = textLines(run.out);
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[0].startsWith(QString(u"error: "_s + path + u": "_s + message)),
                 qPrintable(lines[0]));
        QCOMPARE(lines[1], u"1 error"_s);
    }

    // ---- check agrees with preview -----------------------------------------------------------

    void checkAgreesWithPreview() {
        loadPreviews();
        if (QTest::currentTestFailed())
            return;
        QByteArray requests;
        QList<QJsonObject> expected;
        for (const auto& [key, decisions] : std::as_const(m_previews)) {
            QVERIFY2(!decisions.isEmpty(), qPrintable(key));
            for (const QJsonObject& decision : decisions) {
                VERIFY_DECISION(decision);
                QCOMPARE(decision[u"key"_s].toString(), key);
                const QJsonObject request{{u"key"_s, key}, {u"model"_s, decision[u"model"_s]}};
                requests += QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n';
                expected.append(decision);
            }
        }
        QVERIFY(expected.size() > 300);

        const CliRun run = runCli(
            {u"check"_s, u"-w"_s, demoPath(), u"--requests"_s, u"-"_s, u"--json"_s}, requests);
        EXPECT_EXIT(run, 0);
        QVERIFY(run.err.isEmpty());
        QList<QJsonObject> decisions;
        PARSE_JSON_LINES(run.out, decisions);
        QCOMPARE(decisions.size(), expected.size());
        int allowed = 0;
        for (qsizetype i = 0; i < decisions.size(); ++i) {
            const QString what =
                expected[i][u"key"_s].toString() + u" -> "_s + expected[i][u"model"_s].toString();
            QVERIFY2(decisions[i] == expected[i], qPrintable(what));
            allowed += decisions[i][u"allowed"_s].toBool() ? 1 : 0;
        }
        QVERIFY(allowed > 0 && allowed < decisions.size()); // both verdicts occur
    }
};

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
