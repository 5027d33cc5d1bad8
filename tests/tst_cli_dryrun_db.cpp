// litescope-cli --dry-run against a LiteLLM database (a throwaway PostgreSQL cluster): every edit
// verb reports, as text and as JSON, what the real edit then reports, and leaves every LiteLLM
// table row for row as it was, LiteLLM_AuditLog included; refused edits (unknown, ambiguous or
// non-member names, a read-only connection, a schema too old for member scopes, bad input) are
// refused with the same exit code and message as without --dry-run.
#include "support/CliDryRunSupport.h"
#include "support/CliPgSupport.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope::test;

class TstCliDryRunDb : public QObject {
    Q_OBJECT

private:
    CliPgFixture m_pg;

    // Every row of every LiteLLM table, and the audit rows on their own so that a failure says
    // plainly when one was added.
    DryRunSource source(const QString& db) {
        CliPgFixture* pg = &m_pg;
        const QString uri = m_pg.uri(db);
        return {[uri](const QStringList& args) {
                    return runCli(args + QStringList{u"--db"_s, uri});
                },
                [pg, db]() -> QString {
                    return u"audit rows added: "_s + QString::number(pg->newAuditRows(db).size()) +
                           u'\n' + pg->dump(db);
                }};
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFile::exists(cliPath()), "litescope-cli is built");
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_pg.stop(); }

    // Each row: edits run in order on one fresh database, each first as a dry run.
    void everyVerb_data() {
        QTest::addColumn<QList<QStringList>>("steps");
        using namespace seed;
        const QStringList bobInMl{u"-t"_s, u"ML Research"_s, u"-u"_s, u"bob@example.com"_s};
        QTest::newRow("member set-scope: own budget, then all team models")
            << QList<QStringList>{QStringList{u"member"_s, u"set-scope"_s} + bobInMl +
                                      QStringList{u"-m"_s, u"gpt-4o-mini"_s, u"-m"_s, u"a;b"_s},
                                  QStringList{u"member"_s, u"set-scope"_s} + bobInMl +
                                      QStringList{u"--all-team-models"_s}};
        QTest::newRow("member set-scope: shared budget copied")
            << QList<QStringList>{{u"member"_s, u"set-scope"_s, u"--team"_s, searchTeam,
                                   u"--user"_s, erin, u"-m"_s, u"text-embedding-3-small"_s}};
        QTest::newRow("member set-scope: no membership row yet")
            << QList<QStringList>{{u"member"_s, u"set-scope"_s, u"-t"_s, u"ML Research"_s, u"-u"_s,
                                   u"alice@example.com"_s, u"-m"_s, u"gpt-4o"_s}};
        QTest::newRow("member add: a new user") << QList<QStringList>{
            {u"member"_s, u"add"_s, u"-t"_s, u"ML Research"_s, u"-u"_s, u"newbie"_s, u"--email"_s,
             u"newbie@example.com"_s, u"--role"_s, u"admin"_s, u"-m"_s, u"claude-3-5-sonnet"_s}};
        QTest::newRow("member add: default member models")
            << QList<QStringList>{{u"member"_s, u"add"_s, u"--team"_s, u"Search Platform"_s,
                                   u"--user"_s, u"grace@example.com"_s}};
        QTest::newRow("member add: no scope, no membership row") << QList<QStringList>{
            {u"member"_s, u"add"_s, u"-t"_s, supportTeam, u"-u"_s, seed::bob}};
        QTest::newRow("member update") << QList<QStringList>{
            QStringList{u"member"_s, u"update"_s} + bobInMl +
                QStringList{u"--role"_s, u"admin"_s, u"--max-budget"_s, u"12.5"_s, u"--tpm"_s,
                            u"none"_s, u"--rpm"_s, u"7"_s},
            QStringList{u"member"_s, u"update"_s} + bobInMl +
                QStringList{u"--max-budget"_s, u"none"_s}};
        QTest::newRow("member update: shared budget copied")
            << QList<QStringList>{{u"member"_s, u"update"_s, u"-t"_s, u"Search Platform"_s, u"-u"_s,
                                   svc, u"--tpm"_s, u"100"_s}};
        QTest::newRow("member remove") << QList<QStringList>{
            {u"member"_s, u"remove"_s, u"-t"_s, u"ML Research"_s, u"-u"_s, u"BOB@example.com"_s}};
        QTest::newRow("team set-models") << QList<QStringList>{
            {u"team"_s, u"set-models"_s, u"-t"_s, u"Search Platform"_s, u"-m"_s, u"gpt-4o"_s,
             u"-m"_s, u"search-rerank"_s},
            {u"team"_s, u"set-models"_s, u"-t"_s, supportTeam, u"--all-proxy-models"_s}};
        QTest::newRow("team set-default-member-models") << QList<QStringList>{
            {u"team"_s, u"set-default-member-models"_s, u"-t"_s, u"ML Research"_s, u"-m"_s,
             u"gpt-4o"_s, u"-m"_s, u"claude-3-5-sonnet"_s},
            {u"team"_s, u"set-default-member-models"_s, u"-t"_s, u"ML Research"_s}};
        QTest::newRow("team set-alias")
            << QList<QStringList>{{u"team"_s, u"set-alias"_s, u"-t"_s, u"Support Bots"_s,
                                   u"--alias"_s, u"Helpdesk \"Bots\" 🤖"_s}};
        QTest::newRow("team block, unblock")
            << QList<QStringList>{{u"team"_s, u"block"_s, u"-t"_s, u"ML Research"_s},
                                  {u"team"_s, u"unblock"_s, u"--team"_s, u"Legacy Sandbox"_s}};
        QTest::newRow("key set-models") << QList<QStringList>{
            {u"key"_s, u"set-models"_s, u"-k"_s, u"bob-notebook"_s, u"-m"_s, u"gpt-4o-mini"_s},
            {u"key"_s, u"set-models"_s, u"--key"_s, u"sk-seed-ml-bob-notebook-Zp3m"_s},
            {u"key"_s, u"set-models"_s, u"-k"_s, davePersonalKey, u"-m"_s, u"gpt-4o"_s}};
    }

    void everyVerb() {
        QFETCH(QList<QStringList>, steps);
        PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
        const DryRunSource database = source(db);
        for (const QStringList& step : steps) {
            const QString problem = dryRunMatchesApply(database, step);
            QVERIFY2(problem.isEmpty(), qPrintable(step.join(u' ') + u":\n"_s + problem));
        }
    }

    void refusedAlike_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("preMemberScope"); // the schema before LiteLLM v1.83.14
        const QString ml = u"ML Research"_s;
        const QStringList bob{u"-t"_s, ml, u"-u"_s, u"bob@example.com"_s};
        const QStringList scope{u"member"_s, u"set-scope"_s};
        const QStringList x{u"-m"_s, u"x"_s};
        QTest::newRow("unknown team")
            << scope + QStringList{u"-t"_s, u"nope"_s, u"-u"_s, u"bob@example.com"_s} + x << false;
        QTest::newRow("unknown user")
            << scope + QStringList{u"-t"_s, ml, u"-u"_s, u"nobody@example.com"_s} + x << false;
        QTest::newRow("not a member")
            << scope + QStringList{u"-t"_s, ml, u"-u"_s, u"grace@example.com"_s} + x << false;
        QTest::newRow("already a member") << QStringList{u"member"_s, u"add"_s} + bob << false;
        QTest::newRow("unknown key")
            << QStringList{u"key"_s, u"set-models"_s, u"-k"_s, u"nokey"_s} << false;
        QTest::newRow("unknown raw key")
            << QStringList{u"key"_s, u"set-models"_s, u"-k"_s, u"sk-unknown-secret-9f8e"_s}
            << false;
        QTest::newRow("alias of another team")
            << QStringList{u"team"_s, u"set-alias"_s, u"-t"_s,
                           ml,        u"--alias"_s,   u"Search Platform"_s}
            << false;
        QTest::newRow("model listed twice") << scope + bob + x + x << false;
        QTest::newRow("bad role") << QStringList{u"member"_s, u"update"_s} + bob +
                                         QStringList{u"--role"_s, u"Admin"_s}
                                  << false;
        QTest::newRow("read-only") << scope + bob + x + QStringList{u"--read-only"_s} << false;
        QTest::newRow("read-only, --json")
            << QStringList{u"team"_s, u"block"_s, u"-t"_s, ml, u"--read-only"_s, u"--json"_s}
            << false;
        QTest::newRow("member scope, old schema") << scope + bob + x << true;
        QTest::newRow("member added with a scope, old schema")
            << QStringList{u"member"_s, u"add"_s, u"-t"_s, ml, u"-u"_s, u"new@example.com"_s} + x
            << true;
        QTest::newRow("default member models, old schema")
            << QStringList{u"team"_s, u"set-default-member-models"_s, u"-t"_s, ml} + x << true;
        QTest::newRow("unknown team, old schema")
            << scope + QStringList{u"-t"_s, u"nope"_s, u"-u"_s, u"bob@example.com"_s} + x << true;
    }

    void refusedAlike() {
        QFETCH(QStringList, args);
        QFETCH(bool, preMemberScope);
        PGTEST_FRESH_DATABASE(m_pg, db, preMemberScope ? Level::PreMemberScope : Level::Newest);
        const QString problem = dryRunRefusedLikeApply(source(db), args);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // The old schema still takes the edits it has columns for, dry and for real alike.
    void oldSchemaEdits() {
        PGTEST_FRESH_DATABASE(m_pg, db, Level::PreMemberScope);
        const DryRunSource database = source(db);
        for (const QStringList& step :
             {QStringList{u"team"_s, u"block"_s, u"-t"_s, u"ML Research"_s},
              QStringList{u"member"_s, u"add"_s, u"-t"_s, u"ML Research"_s, u"-u"_s,
                          u"new@example.com"_s},
              QStringList{u"member"_s, u"update"_s, u"-t"_s, u"ML Research"_s, u"-u"_s,
                          u"bob@example.com"_s, u"--rpm"_s, u"5"_s}}) {
            const QString problem = dryRunMatchesApply(database, step);
            QVERIFY2(problem.isEmpty(), qPrintable(step.join(u' ') + u":\n"_s + problem));
        }
    }
};

QTEST_GUILESS_MAIN(TstCliDryRunDb)
#include "tst_cli_dryrun_db.moc"
