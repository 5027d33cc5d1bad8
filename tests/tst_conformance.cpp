// The conformance suite: workspaces with requests and the decisions LiteLLM gives for them, run
// through `litescope-cli check --json`. Two sources: conformance/sample.json (answers from
// LiteLLM's own code) and conformance/scenarios/*.json (built from LiteLLM's unit tests and the
// semantics document, each case citing where its answer comes from).
#include "support/CliRunner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QJsonDocument readJson(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("%s: %s", qPrintable(path), qPrintable(error.errorString()));
    return document;
}

} // namespace

class TstConformance : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_dir.isValid(), "temporary directory");
        QVERIFY2(QFile::exists(QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli")),
                 "litescope-cli is built");
    }

    void decisions_data() {
        QTest::addColumn<QJsonObject>("workspace");
        QTest::addColumn<QJsonArray>("cases");

        const QString root = QStringLiteral(LITESCOPE_TEST_DATA "/conformance");
        const QJsonArray sample = readJson(root + u"/sample.json"_s).object()[u"cases"_s].toArray();
        QVERIFY(sample.size() >= 60);
        for (const QJsonValue& entry : sample) {
            const QJsonObject testCase = entry.toObject();
            QJsonObject one{{u"request"_s, testCase[u"request"_s]},
                            {u"expect"_s, testCase[u"expect"_s]},
                            {u"why"_s, testCase[u"source"_s]}};
            // LiteLLM's code of spring 2026 answered these, before any rule of the version
            // table changed: they are decided as that release line.
            QJsonObject workspace = testCase[u"workspace"_s].toObject();
            QJsonObject source = workspace[u"source"_s].toObject();
            source.insert(u"litellm_version"_s, u"1.96.0"_s);
            workspace.insert(u"source"_s, source);
            QTest::addRow("sample: %s", qPrintable(testCase[u"name"_s].toString()))
                << workspace << QJsonArray{one};
        }

        const QDir scenarios(root + u"/scenarios"_s);
        const QStringList files = scenarios.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
        QVERIFY2(!files.isEmpty(), "scenario files exist");
        for (const QString& file : files) {
            const QJsonArray list =
                readJson(scenarios.filePath(file)).object()[u"scenarios"_s].toArray();
            for (const QJsonValue& entry : list) {
                const QJsonObject scenario = entry.toObject();
                QTest::addRow("%s: %s", qPrintable(file),
                              qPrintable(scenario[u"name"_s].toString()))
                    << scenario[u"workspace"_s].toObject() << scenario[u"cases"_s].toArray();
            }
        }
    }

    void decisions() {
        QFETCH(QJsonObject, workspace);
        QFETCH(QJsonArray, cases);
        QVERIFY(!cases.isEmpty());

        const QString path = m_dir.filePath(u"workspace-%1.json"_s.arg(++m_counter));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // A case gives the workspace's fields; a workspace file also says what it is.
        QJsonObject document = workspace;
        if (!document.contains(u"format"_s))
            document.insert(u"format"_s, u"litescope-workspace"_s);
        if (!document.contains(u"version"_s))
            document.insert(u"version"_s, 1);
        file.write(QJsonDocument(document).toJson());
        file.close();

        QByteArray requests;
        for (const QJsonValue& testCase : cases)
            requests +=
                QJsonDocument(testCase[u"request"_s].toObject()).toJson(QJsonDocument::Compact) +
                '\n';

        const litescope::test::CliRun run = litescope::test::runCli(
            {u"check"_s, u"--workspace"_s, path, u"--requests"_s, u"-"_s, u"--json"_s}, requests);
        QVERIFY2(run.finished, "litescope-cli finished");
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), cases.size());

        for (qsizetype i = 0; i < cases.size(); ++i) {
            const QJsonObject expected = cases[i][u"expect"_s].toObject();
            const QJsonObject decision = QJsonDocument::fromJson(lines[i]).object();
            const QByteArray context =
                "request " +
                QJsonDocument(cases[i][u"request"_s].toObject()).toJson(QJsonDocument::Compact) +
                "\n   why: " + cases[i][u"why"_s].toString().toUtf8() +
                "\n   got: " + decision[u"reason"_s].toString().toUtf8();
            QVERIFY2(decision[u"allowed"_s] == expected[u"allowed"_s] &&
                         decision[u"denied_by"_s] == expected[u"denied_by"_s],
                     context.constData());
            // A case about a rule that changed between releases names the profile that decided.
            if (expected.contains(u"litellm_profile"_s)) {
                const QJsonObject want = expected[u"litellm_profile"_s].toObject();
                const QJsonObject got = decision[u"litellm_profile"_s].toObject();
                const QByteArray shown =
                    context + "\n   profile: " + QJsonDocument(got).toJson(QJsonDocument::Compact);
                QVERIFY2(got[u"litellm_version"_s] == want[u"litellm_version"_s] &&
                             got[u"rules"_s] == want[u"rules"_s] &&
                             got[u"assumed"_s] == QJsonValue(false),
                         shown.constData());
            }
            QVERIFY2(!decision[u"reason"_s].toString().isEmpty(), "every decision has a reason");
            QVERIFY2(!decision[u"trail"_s].toArray().isEmpty(), "every decision has a trail");
        }
    }

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
};

QTEST_GUILESS_MAIN(TstConformance)
#include "tst_conformance.moc"
