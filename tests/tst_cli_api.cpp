// litescope-cli against a proxy's admin API (--api URL --api-key-env NAME; a fake LiteLLM on
// 127.0.0.1 serving the demo data): the done-criterion (`snapshot --api` writes a
// workspace deciding like the proxy's data, and `check --api` answers the same), decisions that
// depend on litellm_settings coming out as "allowed": null with "unknown" when the admin did not
// supply them, edits through the API, the key asked for on the terminal without echo, and the
// failures that exit 2 with LiteLLM's message and never the key: a refused key, a missing
// variable, no terminal to ask on, an unreachable proxy, misplaced options; edits written as the
// proxy's release, or as the one --litellm-version names.
#include "support/ApiTestSupport.h"
#include "support/CliRunner.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

const QString KeyVariable = u"LITELLM_MASTER_KEY"_s;

QString describe(const CliRun& run) {
    return u"exit %1\nstdout:\n%2\nstderr:\n%3"_s.arg(run.exitCode)
        .arg(QString::fromUtf8(run.out), QString::fromUtf8(run.err));
}

} // namespace

class TstCliApi : public QObject {
    Q_OBJECT

private:
    ApiFixture m_api;
    QTemporaryDir m_dir;
    Workspace m_data = demoDataset();
    int m_files = 0;

    QString newFile(const QString& suffix = u".json"_s) {
        return m_dir.filePath(u"file-%1%2"_s.arg(++m_files).arg(suffix));
    }

    QStringList apiArguments() const {
        return {u"--api"_s, m_api.options().baseUrl.toString(), u"--api-key-env"_s, KeyVariable};
    }

    CliRun onApi(const QStringList& arguments, const QString& key = MasterKey) {
        return runCliServing(arguments + apiArguments(), {{KeyVariable, key}});
    }

    QString settingsFile() {
        const QString path = newFile();
        QFile file(path);
        if (file.open(QIODevice::WriteOnly))
            file.write(QJsonDocument(settingsOf(m_data)).toJson());
        return path;
    }

    // JSON Lines asking every key of the demo for every candidate model.
    QString requestsFile() {
        const QString path = newFile(u".jsonl"_s);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        for (const Key& key : m_data.keys) {
            for (const QString& model : candidateModels(m_data))
                file.write(QJsonDocument(QJsonObject{{u"key"_s, key.token}, {u"model"_s, model}})
                               .toJson(QJsonDocument::Compact) +
                           '\n');
        }
        return path;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void init() {
        QString error;
        QVERIFY2(m_api.start(m_data, &error), qPrintable(error));
    }

    void snapshotDecidesLikeTheProxy() {
        const QString output = newFile();
        const CliRun run =
            onApi({u"snapshot"_s, u"-o"_s, output, u"--litellm-settings"_s, settingsFile()});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY(run.out.contains("Wrote"));
        QFile file(output);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY(!written.contains(MasterKey.toUtf8()));
        QVERIFY(written.contains("\"kind\": \"api\""));
        const Result<Workspace> snapshot = workspace::readFile(output);
        VERIFY_SUCCEEDS(snapshot);
        const QStringList models = candidateModels(m_data);
        QCOMPARE(decisionLines(*snapshot, models), decisionLines(m_data, models));

        // check --api and check --workspace on the snapshot print the same decision lines.
        const QString requests = requestsFile();
        const CliRun live = onApi(
            {u"check"_s, u"--json"_s, u"-r"_s, requests, u"--litellm-settings"_s, settingsFile()});
        QVERIFY2(live.exitCode == 0, qPrintable(describe(live)));
        const CliRun offline =
            runCli({u"check"_s, u"--json"_s, u"-r"_s, requests, u"--workspace"_s, output});
        QVERIFY2(offline.exitCode == 0, qPrintable(describe(offline)));
        QCOMPARE(live.out, offline.out);
        QVERIFY(live.out.count('\n') > 1000);
    }

    void decisionsOnUnseenSettingsAssumeDefaults() {
        const QString output = newFile();
        const CliRun run = onApi({u"snapshot"_s, u"-o"_s, output});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        const Result<Workspace> written = workspace::readFile(output);
        VERIFY_SUCCEEDS(written);
        QCOMPARE(written->source.assumed, QStringList{u"settings"_s});

        const CliRun check = onApi({u"check"_s, u"--json"_s, u"-k"_s, u"search-prod"_s, u"-m"_s,
                                    u"unheard-of-model"_s, u"-m"_s, u"gpt-4o"_s});
        // One warning, naming what was assumed and how to give the real values.
        QCOMPARE(check.err.count("litescope-cli: warning: this source cannot show settings"), 1);
        QVERIFY2(check.err.contains("--proxy-config"), qPrintable(describe(check)));
        const QList<QByteArray> lines = check.out.trimmed().split('\n');
        QVERIFY2(lines.size() == 2, qPrintable(describe(check)));
        // A concrete answer, marked with what it assumed and which default that was.
        const QJsonObject denied = QJsonDocument::fromJson(lines.at(0)).object();
        QCOMPARE(denied.value(u"allowed"_s), QJsonValue(false));
        QVERIFY(!denied.contains(u"unknown"_s));
        QCOMPARE(denied.value(u"assumed"_s).toArray(), QJsonArray{u"settings"_s});
        const QJsonArray defaults = denied.value(u"assumed_defaults"_s).toArray();
        QCOMPARE(defaults.size(), 1);
        QCOMPARE(defaults.first().toObject().value(u"dataset"_s).toString(), u"settings"_s);
        QVERIFY(defaults.first()
                    .toObject()
                    .value(u"detail"_s)
                    .toString()
                    .contains(u"no model_alias_map"_s));
        QVERIFY(denied.value(u"reason"_s).toString().contains(u"Assuming LiteLLM's defaults"_s));
        const QJsonObject allowed = QJsonDocument::fromJson(lines.at(1)).object();
        QCOMPARE(allowed.value(u"allowed"_s), QJsonValue(true));

        // With the admin's values nothing is assumed.
        const CliRun given =
            onApi({u"check"_s, u"--json"_s, u"-k"_s, u"search-prod"_s, u"-m"_s,
                   u"unheard-of-model"_s, u"--litellm-settings"_s, settingsFile()});
        QVERIFY2(!given.err.contains("cannot show"), qPrintable(describe(given)));
        QVERIFY(!QJsonDocument::fromJson(given.out).object().contains(u"assumed"_s));
    }

    void previewAndValidate() {
        const QString output = newFile();
        QCOMPARE(onApi({u"snapshot"_s, u"-o"_s, output, u"--litellm-settings"_s, settingsFile()})
                     .exitCode,
                 0);
        const QStringList preview{u"preview"_s, u"--json"_s, u"-k"_s, u"search-prod"_s};
        const CliRun live = onApi(preview + QStringList{u"--litellm-settings"_s, settingsFile()});
        const CliRun offline = runCli(preview + QStringList{u"--workspace"_s, output});
        QVERIFY2(live.exitCode == offline.exitCode, qPrintable(describe(live)));
        QCOMPARE(live.out, offline.out);
        const CliRun validate = onApi({u"validate"_s});
        QVERIFY2(validate.exitCode == 0 || validate.exitCode == 1, qPrintable(describe(validate)));
    }

    void editsGoThroughTheApi() {
        const CliRun run =
            onApi({u"member"_s, u"set-scope"_s, u"-t"_s, u"Search"_s, u"-u"_s,
                   u"bob.martinez@acme.example"_s, u"-m"_s, u"gpt-4o"_s, u"-m"_s, u"a,b"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY(run.out.contains("allowed_models"));
        const auto& memberships = m_api.proxy().data().teamMemberships;
        const auto bob = std::find_if(memberships.cbegin(), memberships.cend(), [](const auto& m) {
            return m.userId == u"0e104407-b5ce-4cc1-a136-cd4692ea49cb"_s;
        });
        QCOMPARE(bob->allowedModels, (QStringList{u"gpt-4o"_s, u"a,b"_s}));

        const CliRun blocked = onApi({u"team"_s, u"block"_s, u"-t"_s, u"Search"_s});
        QVERIFY2(blocked.exitCode == 0, qPrintable(describe(blocked)));
        QCOMPARE(m_api.proxy().requestCount(u"/team/block"_s), 1);

        const CliRun readOnly =
            onApi({u"team"_s, u"unblock"_s, u"-t"_s, u"Search"_s, u"--read-only"_s});
        QCOMPARE(readOnly.exitCode, 2);
        QVERIFY(readOnly.err.contains("read-only"));
        QCOMPARE(m_api.proxy().requestCount(u"/team/unblock"_s), 0);
    }

    // The proxy says 1.103.0, whose /team/member_update clears a limit sent as null;
    // --litellm-version 1.102.0 makes litescope write as that release, which cannot.
    void theReleaseDecidesWhatAMemberEditMayDo() {
        m_api.proxy().setLiteLLMVersion(u"1.103.0"_s);
        const QStringList bob{u"member"_s, u"update"_s, u"-t"_s,
                              u"Search"_s, u"-u"_s,     u"bob.martinez@acme.example"_s};
        const auto tpm = [this] {
            for (const TeamMembership& m : m_api.proxy().data().teamMemberships)
                if (m.userId == u"0e104407-b5ce-4cc1-a136-cd4692ea49cb"_s &&
                    m.teamId == u"e295a6e1-6b64-490c-8983-d4a384434f4c"_s)
                    return m.tpmLimit;
            return std::optional<qint64>(-1);
        };
        CliRun run = onApi(bob + QStringList{u"--tpm"_s, u"100"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        run = onApi(bob + QStringList{u"--tpm"_s, u"none"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QCOMPARE(tpm(), std::nullopt);

        run = onApi(bob + QStringList{u"--tpm"_s, u"100"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        m_api.proxy().clearRequests();
        const QStringList older{u"--litellm-version"_s, u"1.102.0"_s};
        for (const QStringList& extra : {older, older + QStringList{u"--dry-run"_s}}) {
            run = onApi(bob + QStringList{u"--tpm"_s, u"none"_s} + extra);
            QCOMPARE(run.exitCode, 2);
            QVERIFY2(run.err.contains("LiteLLM 1.102.0's /team/member_update cannot clear "
                                      "tpm_limit") &&
                         run.err.contains("LiteLLM 1.103.0 and newer can"),
                     qPrintable(describe(run)));
        }
        for (const FakeLiteLLM::RecordedRequest& request : m_api.proxy().requests())
            QVERIFY2(request.method == "GET", qPrintable(request.path));
        QCOMPARE(tpm(), std::optional<qint64>(100));
    }

    void aRefusedKeyExitsTwoWithoutShowingIt() {
        const QString wrong = u"sk-cli-wrong-key-never-printed-3141"_s;
        const CliRun run = onApi({u"snapshot"_s, u"-o"_s, newFile()}, wrong);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("HTTP 401"), qPrintable(describe(run)));
        QVERIFY(run.err.contains("Authentication Error"));
        QVERIFY(!run.err.contains(wrong.toUtf8()));
        QVERIFY(!run.out.contains(wrong.toUtf8()));

        const CliRun viewer = onApi({u"team"_s, u"block"_s, u"-t"_s, u"Search"_s}, ViewerKey);
        QCOMPARE(viewer.exitCode, 2);
        QVERIFY2(viewer.err.contains("HTTP 403"), qPrintable(describe(viewer)));
        QVERIFY(!viewer.err.contains(ViewerKey.toUtf8()));
    }

    void aMissingVariable() {
        const CliRun run = runCliServing({u"snapshot"_s, u"-o"_s, newFile(), u"--api"_s,
                                          m_api.options().baseUrl.toString(), u"--api-key-env"_s,
                                          u"LITESCOPE_TEST_UNSET_VARIABLE"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("LITESCOPE_TEST_UNSET_VARIABLE is not set"),
                 qPrintable(describe(run)));
    }

    void theKeyIsAskedForOnTheTerminal() {
        // `script` gives the CLI a terminal; the key typed there is not echoed back.
        const QString output = newFile();
        const QString command = QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli") +
                                u" snapshot -o "_s + output + u" --litellm-settings "_s +
                                settingsFile() + u" --api "_s + m_api.options().baseUrl.toString();
        QProcess process;
        QEventLoop loop;
        QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        process.start(u"script"_s, {u"-qec"_s, command, u"/dev/null"_s});
        QVERIFY(process.waitForStarted());
        bool asked = false;
        QObject::connect(&process, &QProcess::readyReadStandardOutput, &loop, [&] {
            if (!asked && process.peek(4096).contains("API key for")) {
                asked = true;
                process.write(MasterKey.toUtf8() + '\n');
            }
        });
        loop.exec();
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
        const QByteArray shown = process.readAll();
        QCOMPARE(process.exitCode(), 0);
        QVERIFY2(asked, shown.constData());
        QVERIFY2(!shown.contains(MasterKey.toUtf8()), shown.constData());
        QVERIFY(QFile::exists(output));
    }

    void noTerminalAndNoVariable() {
        // Without a controlling terminal (setsid) there is no one to ask.
        const CliRun run = runCliServing(
            {u"snapshot"_s, u"-o"_s, newFile(), u"--api"_s, m_api.options().baseUrl.toString()}, {},
            60000, true);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--api-key-env"), qPrintable(describe(run)));
        QVERIFY(m_api.proxy().requests().isEmpty());
    }

    void anUnreachableProxy() {
        QTcpServer reserved;
        QVERIFY(reserved.listen(QHostAddress::LocalHost));
        const QString url = u"http://127.0.0.1:%1"_s.arg(reserved.serverPort());
        reserved.close();
        const CliRun run =
            runCliServing({u"check"_s, u"-k"_s, u"x"_s, u"-m"_s, u"y"_s, u"--api"_s, url,
                           u"--api-key-env"_s, KeyVariable, u"--timeout"_s, u"2"_s},
                          {{KeyVariable, MasterKey}});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("Cannot reach the proxy"), qPrintable(describe(run)));
    }

    void misplacedOptions() {
        CliRun run = runCli({u"snapshot"_s, u"-o"_s, newFile(), u"--workspace"_s, u"x.json"_s,
                             u"--ca-file"_s, u"ca.pem"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--ca-file goes with --api"), qPrintable(describe(run)));
        run = runCli({u"snapshot"_s, u"-o"_s, newFile(), u"--db"_s, u"postgresql://x/y"_s,
                      u"--api"_s, u"http://127.0.0.1:1"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("not several"));
        run = runCliServing({u"check"_s, u"-k"_s, u"x"_s, u"-m"_s, u"y"_s, u"--api"_s,
                             u"ftp://127.0.0.1:1"_s, u"--api-key-env"_s, KeyVariable},
                            {{KeyVariable, MasterKey}});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("http://"), qPrintable(describe(run)));
        run = runCliServing(QStringList{u"validate"_s, u"--timeout"_s, u"0"_s} + apiArguments(),
                            {{KeyVariable, MasterKey}});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--timeout takes a number of seconds above 0"),
                 qPrintable(describe(run)));
        QVERIFY(m_api.proxy().requests().isEmpty());
        run = runCliServing(QStringList{u"validate"_s} + apiArguments() +
                                QStringList{u"--litellm-settings"_s, m_dir.filePath(u"nope"_s)},
                            {{KeyVariable, MasterKey}});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QByteArray("cannot read " + m_dir.filePath(u"nope"_s).toUtf8())),
                 qPrintable(describe(run)));
    }
};

QTEST_GUILESS_MAIN(TstCliApi)
#include "tst_cli_api.moc"
