// litescope-cli check --requests as a stream: decisions come out while the input still comes in,
// in the input's order whatever thread decided them, a bad line late in a large input stops the
// batch after the decisions of every line before it, and --fields chooses the fields of the JSON
// lines. Single requests and bad lines in general: tst_cli_check.
#include "support/CliRunner.h"
#include "support/CliTestSupport.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope::test;

namespace {

QByteArray requestLine(const QString& key, const QJsonValue& model) {
    return QJsonDocument(QJsonObject{{u"key"_s, key}, {u"model"_s, model}})
               .toJson(QJsonDocument::Compact) +
           '\n';
}

QStringList checkArguments(const QStringList& extra = {}) {
    return QStringList{u"check"_s, u"-w"_s, demoPath(), u"--requests"_s, u"-"_s} + extra;
}

} // namespace

class TstCliCheckBatch : public QObject {
    Q_OBJECT

private:
    QList<QByteArray> m_requests; // one line each: every demo key with a few models, and lists

private Q_SLOTS:
    void initTestCase() {
        const QJsonObject demo = readJsonObject(demoPath());
        const QStringList models{u"gpt-4o"_s, u"gpt-4o-mini"_s, u"claude-3-5-sonnet"_s,
                                 u"o3-mini"_s, u"no-such-model"_s};
        for (const QJsonValue& key : demo[u"keys"_s].toArray()) {
            const QString alias = key[u"key_alias"_s].toString();
            const QString name = alias.isEmpty() ? key[u"token"_s].toString() : alias;
            for (const QString& model : models)
                m_requests.append(requestLine(name, model));
            m_requests.append(requestLine(name, QJsonArray{models[0], models[2]}));
        }
        QVERIFY(m_requests.size() > 60);
    }

    // A decision is printed once its line is read, not when the input ends: a batch can follow
    // a proxy's log as it grows.
    void decisionsComeOutWhileTheInputComesIn() {
        QProcess process;
        process.start(QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli"),
                      checkArguments({u"--json"_s}));
        QVERIFY(process.waitForStarted());
        for (int i = 0; i < 3; ++i) {
            process.write(m_requests[i]);
            QElapsedTimer waited;
            waited.start();
            while (!process.canReadLine() && waited.elapsed() < 20000)
                process.waitForReadyRead(1000);
            QVERIFY2(process.canReadLine(), "no decision before the input ended");
            const QJsonObject decision = QJsonDocument::fromJson(process.readLine()).object();
            QCOMPARE(decision[u"key"_s], QJsonDocument::fromJson(m_requests[i]).object()[u"key"_s]);
        }
        process.closeWriteChannel();
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(process.readAllStandardOutput().isEmpty());
    }

    // Tens of thousands of lines, decided on every core: each decision at its request's place,
    // and the same as the decision of that request alone.
    void orderKeptOnEveryCore() {
        const CliRun alone = runCli(checkArguments({u"--json"_s}), m_requests.join());
        EXPECT_EXIT(alone, 0);
        const QList<QByteArray> single = alone.out.split('\n').mid(0, m_requests.size());
        QCOMPARE(single.size(), m_requests.size());

        QByteArray input;
        QList<qsizetype> order;
        for (qsizetype i = 0; i < 40000; ++i) {
            const qsizetype pick = (i * 7919 + i / 13) % m_requests.size();
            order.append(pick);
            input += m_requests[pick];
        }
        const CliRun run = runCli(checkArguments({u"--json"_s}), input);
        EXPECT_EXIT(run, 0);
        QVERIFY(run.err.isEmpty());
        const QList<QByteArray> lines = run.out.split('\n');
        QCOMPARE(lines.size(), order.size() + 1); // and the empty rest after the last '\n'
        for (qsizetype i = 0; i < order.size(); ++i)
            if (lines[i] != single[order[i]])
                QFAIL(qPrintable(u"line %1: %2"_s.arg(i + 1).arg(QString::fromUtf8(lines[i]))));
    }

    // A bad line far into the input: the decisions of all lines before it are out, none after,
    // and the message names it.
    void badLineLateInALargeInput() {
        QByteArray input;
        for (qsizetype i = 0; i < 60000; ++i)
            input += m_requests[i % m_requests.size()];
        const QByteArray bad = "{\"key\": \"search-prod\", \"model\": 7}\n";
        for (const QStringList& mode : {QStringList{u"--json"_s}, QStringList()}) {
            const CliRun run = runCli(checkArguments(mode), input + bad + input);
            EXPECT_EXIT(run, 2);
            QVERIFY2(run.err.startsWith("litescope-cli: requests line 60001: \"model\" must be"),
                     run.err.constData());
            const CliRun good = runCli(checkArguments(mode), input);
            EXPECT_EXIT(good, 0);
            QVERIFY(run.out == good.out);
        }
    }

    // ---- --fields ----------------------------------------------------------------------------

    void chosenFields_data() {
        QTest::addColumn<QString>("fields");
        QTest::addColumn<QStringList>("expected"); // the line's keys, in the line's order
        QTest::newRow("allowed,denied_by")
            << u"allowed,denied_by"_s << QStringList{u"allowed"_s, u"denied_by"_s};
        QTest::newRow("in another order")
            << u"denied_by,allowed"_s << QStringList{u"allowed"_s, u"denied_by"_s};
        QTest::newRow("spaces and repeats")
            << u" reason , key,reason"_s << QStringList{u"key"_s, u"reason"_s};
        QTest::newRow("key, model, trail")
            << u"trail,model,key"_s << QStringList{u"key"_s, u"model"_s, u"trail"_s};
        QTest::newRow("only a field no demo decision has") << u"unknown"_s << QStringList();
    }

    // The chosen fields, in the full line's order and with the full line's values; --json is
    // implied.
    void chosenFields() {
        QFETCH(QString, fields);
        QFETCH(QStringList, expected);
        const QByteArray input = m_requests.join();
        const CliRun full = runCli(checkArguments({u"--json"_s}), input);
        EXPECT_EXIT(full, 0);
        for (const QStringList& json : {QStringList(), QStringList{u"--json"_s}}) {
            const CliRun run =
                runCli(checkArguments(QStringList{u"--fields"_s, fields} + json), input);
            EXPECT_EXIT(run, 0);
            QVERIFY(run.err.isEmpty());
            const QList<QByteArray> lines = run.out.split('\n');
            const QList<QByteArray> fullLines = full.out.split('\n');
            QCOMPARE(lines.size(), fullLines.size());
            for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
                const QJsonObject line = QJsonDocument::fromJson(lines[i]).object();
                QJsonObject want = QJsonDocument::fromJson(fullLines[i]).object();
                for (const QString& key : want.keys())
                    if (!expected.contains(key))
                        want.remove(key);
                QCOMPARE(line, want);
                QCOMPARE(line.keys(), expected); // QJsonObject sorts: the line did too
                QCOMPARE(lines[i], QJsonDocument(want).toJson(QJsonDocument::Compact));
            }
        }
        // And for --key with --model.
        const CliRun one = runCli({u"check"_s, u"-w"_s, demoPath(), u"-k"_s, u"search-prod"_s,
                                   u"-m"_s, u"gpt-4o"_s, u"--fields"_s, fields});
        EXPECT_EXIT(one, 0);
        QCOMPARE(QJsonDocument::fromJson(one.out).object().keys(), expected);
    }

    void badFields_data() {
        QTest::addColumn<QString>("fields");
        QTest::addColumn<QString>("named");
        QTest::newRow("unknown") << u"allowed,verdict"_s << u"\"verdict\""_s;
        QTest::newRow("wrong case") << u"Allowed"_s << u"\"Allowed\""_s;
        QTest::newRow("empty") << QString() << u"\"\""_s;
        QTest::newRow("trailing comma") << u"allowed,"_s << u"\"\""_s;
        QTest::newRow("hidden character") << u"allowed\u202e"_s << u"\"allowed\\u202e\""_s;
    }

    void badFields() {
        QFETCH(QString, fields);
        QFETCH(QString, named);
        const CliRun run = runCli(checkArguments({u"--fields"_s, fields}), m_requests.first());
        EXPECT_EXIT(run, 2);
        QVERIFY(run.out.isEmpty());
        const QByteArray expected = "litescope-cli: --fields: no field " + named.toUtf8() +
                                    " in a decision line; the fields are allowed, assumed, "
                                    "assumed_defaults, denied_by, key, litellm_profile, model, "
                                    "reason, trail, unknown\n";
        QCOMPARE(run.err, expected);
    }
};

QTEST_GUILESS_MAIN(TstCliCheckBatch)
#include "tst_cli_check_batch.moc"
