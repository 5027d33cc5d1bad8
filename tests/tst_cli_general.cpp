// litescope-cli as a program: help, version and unknown commands; bad arguments of every command
// (exit 2, one message on stderr, nothing on stdout); validate; and check agreeing with preview on
// every demo key. Shared helpers and the exit-code conventions: support/CliTestSupport.h.
#include "support/CliRunner.h"
#include "support/CliTestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace litescope::test;

class TstCliGeneral : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QJsonObject m_demo;

    // `preview --key K --json` for every key of the demo, by the name keyName() gives it.
    QList<QPair<QString, QList<QJsonObject>>> m_previews;

    QString missingPath() const { return m_dir.filePath(u"no-such-workspace.json"_s); }

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
                               << QStringList{u"--workspace"_s, u"--key"_s,  u"--model"_s,
                                              u"--requests"_s,  u"--json"_s, u"--fields"_s};
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

    // ---- bad arguments: exit 2, a message on stderr, nothing on stdout -----------------------

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
            << u"Say where the data comes from: --workspace FILE, --db CONNECTION or --api URL."_s;
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
            << QStringList{u"check"_s,
                           u"-w"_s,
                           demo,
                           u"--key"_s,
                           demoToken(m_demo, 0).left(16),
                           u"--model"_s,
                           u"gpt-4o"_s}
            << QString(u"no key \""_s + demoToken(m_demo, 0).left(16) + u'"');
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
            << u"Say where the data comes from: --workspace FILE, --db CONNECTION or --api URL."_s;
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
            << QStringList{u"validate"_s}
            << u"Say where the data comes from: --workspace FILE, --db CONNECTION or --api URL."_s;
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

    // A key of a deleted team loads (LiteLLM serves it): validate warns, check decides and warns.
    // A key typed on the command line is never shown back whole (issue 11): not in the "no key"
    // error, not however long it is.
    void keysAreNeverEchoedWhole() {
        const QString secret = u"sk-SECRETRAWKEY123"_s;
        const CliRun missing =
            runCli({u"check"_s, u"-w"_s, demoPath(), u"-k"_s, secret, u"--model"_s, u"gpt-4o"_s});
        EXPECT_EXIT(missing, 2);
        QVERIFY2(!missing.err.contains("SECRETRAWKEY") && !missing.out.contains("SECRETRAWKEY"),
                 missing.err.constData());
        QVERIFY2(missing.err.contains("sk-…Y123"), missing.err.constData());
        const CliRun preview = runCli({u"preview"_s, u"-w"_s, demoPath(), u"-k"_s, secret});
        QVERIFY2(!preview.err.contains("SECRETRAWKEY") && !preview.out.contains("SECRETRAWKEY"),
                 preview.err.constData());
        const QString huge(100000, u'k'); // one argument may hold at most 128 KiB
        const CliRun long_ =
            runCli({u"check"_s, u"-w"_s, demoPath(), u"-k"_s, huge, u"--model"_s, u"gpt-4o"_s});
        EXPECT_EXIT(long_, 2);
        QVERIFY2(long_.err.size() < 1000, "a 100 kB key is not echoed");

        // A key that exists and has no alias: preview's heading and validate's warning about it
        // name it redacted too (validate printed its first 12 characters).
        const QString path = m_dir.filePath(u"raw-key.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(R"({"format": "litescope-workspace", "version": 1,
            "proxy_models": [{"model_name": "gpt-4o", "litellm_params": {"model": "openai/gpt-4o"}}],
            "keys": [{"token": "sk-SECRETRAWKEY123", "models": ["not-served"]}]})");
        file.close();
        for (const QStringList& arguments :
             {QStringList{u"preview"_s, u"-w"_s, path, u"-k"_s, secret},
              QStringList{u"validate"_s, u"-w"_s, path}}) {
            const CliRun run = runCli(arguments);
            EXPECT_EXIT(run, 0);
            QVERIFY2(!run.err.contains("SECRETRAW") && !run.out.contains("SECRETRAW"),
                     qPrintable(describe(run)));
            QVERIFY2(run.out.contains("sk-…Y123"), qPrintable(describe(run)));
        }
    }

    void danglingTeamWarns() {
        const QString path = dataPath(u"dangling-team.json"_s);
        const CliRun validate = runCli({u"validate"_s, u"-w"_s, path});
        EXPECT_EXIT(validate, 0);
        QVERIFY2(validate.out.contains(
                     "warning: keys[0].team_id: no team \"no-such-team\" in this workspace\n"),
                 validate.out.constData());
        const QStringList orphan{u"check"_s,      u"-w"_s,      path,       u"--key"_s,
                                 u"orphan-key"_s, u"--model"_s, u"gpt-4o"_s};
        // The file does not say which release: the newest rules refuse a key of a deleted team,
        // and the verdict says it rests on that assumption.
        const CliRun newest = runCli(orphan);
        EXPECT_EXIT(newest, 1);
        QVERIFY2(newest.err.contains("litescope-cli: warning: keys[0].team_id: no team"),
                 newest.err.constData());
        QVERIFY2(newest.out.contains("TeamNotFoundError") && newest.out.contains(", assumed"),
                 newest.out.constData());
        // Before 1.99 the key's copy of the team grants every model.
        const CliRun old = runCli(orphan + QStringList{u"--litellm-version"_s, u"1.98.0"_s});
        EXPECT_EXIT(old, 0);
        QVERIFY2(old.out.contains("decided as LiteLLM 1.98.0") && !old.out.contains("assumed"),
                 old.out.constData());
        const CliRun bad = runCli(orphan + QStringList{u"--litellm-version"_s, u"latest"_s});
        EXPECT_EXIT(bad, 2);
        QVERIFY2(bad.err.contains("\"latest\" is not a LiteLLM release"), bad.err.constData());
    }

    // A source that names its release only as a stand-in ("litellm_version" in source.assumed,
    // as a database placed between two releases): the warning and the reason name the stand-in;
    // one that names none, the newest release.
    void releaseStandInWarns() {
        QJsonObject root = readJsonObject(dataPath(u"dangling-team.json"_s));
        const QString path = m_dir.filePath(u"stand-in.json"_s);
        const struct {
            QString version;
            QByteArray decided;
            int exitCode;
        } rows[] = {{u"1.92.0"_s, "1.92.0", 0}, {QString(), "1.103.0", 1}};
        for (const auto& row : rows) {
            QJsonObject source = root[u"source"_s].toObject();
            source[u"assumed"_s] = QJsonArray{u"litellm_version"_s};
            if (row.version.isEmpty())
                source.remove(u"litellm_version"_s);
            else
                source[u"litellm_version"_s] = row.version;
            root[u"source"_s] = source;
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(QJsonDocument(root).toJson());
            file.close();
            const CliRun run = runCli({u"check"_s, u"-w"_s, path, u"--key"_s, u"orphan-key"_s,
                                       u"--model"_s, u"gpt-4o"_s});
            EXPECT_EXIT(run, row.exitCode);
            const QByteArray warning = "this source cannot say exactly which LiteLLM release the "
                                       "proxy runs; decisions follow LiteLLM " +
                                       row.decided + "'s rules";
            QVERIFY2(run.err.contains(warning), run.err.constData());
            const QByteArray profile = "LiteLLM " + row.decided + ", assumed";
            QVERIFY2(run.out.contains(profile), run.out.constData());
        }
    }

    void validateErrors_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("wrong type")
            << u"malformed-team-models.json"_s << u"teams[0].models[1]: expected a string"_s;
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

QTEST_GUILESS_MAIN(TstCliGeneral)
#include "tst_cli_general.moc"
