// litescope-cli preview: the table and JSON Lines for a key (by alias or token) or for a team
// member, the models it lists (those the proxy serves to the key, plus --model extras) and known
// verdicts of the demo workspace. Shared helpers: support/CliTestSupport.h.
#include "support/CliRunner.h"
#include "support/CliTestSupport.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace litescope::test;

namespace {

struct TableRow {
    QString model;
    QString verdict;
    QString layer;
    QString reason;
};

} // namespace

class TstCliPreview : public QObject {
    Q_OBJECT

private:
    QJsonObject m_demo;

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

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFile::exists(QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli")),
                 "litescope-cli is built");
        m_demo = readJsonObject(demoPath());
        QVERIFY(m_demo[u"keys"_s].toArray().size() >= 10);
    }

    void previewKey_data() {
        QTest::addColumn<QString>("key");
        QTest::newRow("team key with member scope") << u"search-bob-dev"_s;
        QTest::newRow("team with its own deployment") << u"support-bot-prod"_s;
        QTest::newRow("personal key") << u"alice-personal"_s;
        QTest::newRow("blocked team") << u"voice-agent-prod"_s;
        QTest::newRow("access groups") << u"ml-research-batch"_s;
        QTest::newRow("by token") << demoToken(m_demo, 2);
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
};

QTEST_GUILESS_MAIN(TstCliPreview)
#include "tst_cli_preview.moc"
