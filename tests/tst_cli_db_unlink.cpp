// litescope-cli member edits against a LiteLLM database write the rows of the release that
// --litellm-version names, else of the one the database's migrations show: from 1.103.0 on a
// member whose budget row would hold no limit is unlinked from it (budget_id NULL, the row kept);
// before, the row keeps the emptied values. --dry-run says the same and writes nothing. Rows
// checked with psql; store-level cases: tst_pgstore_unlink.
#include "support/CliPgSupport.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope::test;

namespace {

// dave's ML Research budget row holds only its scope and a tpm limit.
const QString DaveScopeAndTpm =
    u"UPDATE \"LiteLLM_BudgetTable\" SET max_parallel_requests = NULL WHERE budget_id = "
    u"'budget-ml-dave';"_s;

const QString DaveBudget =
    u"SELECT coalesce(budget_id, 'NULL') FROM \"LiteLLM_TeamMembership\" "
    u"WHERE team_id = 'team-ml-research' AND user_id = 'dave@example.com';"_s;
const QString DaveRow = u"SELECT tpm_limit, array_to_json(allowed_models) FROM "
                        u"\"LiteLLM_BudgetTable\" WHERE budget_id = 'budget-ml-dave';"_s;
const QString Unlinked = u"; unlinked from its budget row, which would hold no limit (LiteLLM "
                         u"1.103.0 and later): the member falls back to the team's defaults"_s;

} // namespace

class TstCliDbUnlink : public QObject {
    Q_OBJECT

private:
    CliPgFixture m_pg;

    CliRun edit(const QString& db, const QStringList& args, const QString& release = {}) {
        QStringList all = args + QStringList{u"--db"_s, m_pg.uri(db)};
        if (!release.isEmpty())
            all += QStringList{u"--litellm-version"_s, release};
        return runCli(all);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFile::exists(cliPath()), "litescope-cli is built");
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_pg.stop(); }

    // Clearing dave's tpm limit, then his scope: the second write leaves the row empty.
    void releaseDecidesTheRows_data() {
        QTest::addColumn<QString>("release"); // --litellm-version; empty: the database's
        QTest::addColumn<bool>("unlinks");
        QTest::newRow("--litellm-version 1.102.0") << u"1.102.0"_s << false;
        QTest::newRow("--litellm-version 1.103.0") << u"1.103.0"_s << true;
        // The seed's migrations show 1.92.0 or newer, older than 1.103.0: decided as 1.92.0.
        QTest::newRow("the database's release") << QString() << false;
    }

    void releaseDecidesTheRows() {
        QFETCH(QString, release);
        QFETCH(bool, unlinks);
        PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
        PGTEST_EXEC(m_pg, db, DaveScopeAndTpm);
        const QStringList dave{u"-t"_s, u"ML Research"_s, u"-u"_s, u"dave@example.com"_s};
        const CliRun tpm = edit(
            db, QStringList{u"member"_s, u"update"_s} + dave + QStringList{u"--tpm"_s, u"none"_s},
            release);
        EXPECT_EXIT(tpm, 0);
        QCOMPARE(m_pg.sql(db, DaveBudget), u"budget-ml-dave"_s); // the scope is still a limit
        QCOMPARE(m_pg.sql(db, DaveRow), u"|[\"beta-models\"]"_s);

        const QStringList scope =
            QStringList{u"member"_s, u"set-scope"_s} + dave + QStringList{u"--all-team-models"_s};
        const QString summary =
            u"team \"ML Research\": member dave@example.com: allowed_models [beta-models] -> [] "
            u"(all team models)"_s +
            (unlinks ? Unlinked : QString()) + u'\n';
        const QString before = m_pg.dump(db);
        const CliRun dryRun = edit(db, scope + QStringList{u"--dry-run"_s}, release);
        EXPECT_EXIT(dryRun, 0);
        QVERIFY2(QString::fromUtf8(dryRun.out).contains(summary.trimmed()), dryRun.out.constData());
        QCOMPARE(m_pg.dump(db), before);

        const CliRun run = edit(db, scope, release);
        EXPECT_EXIT(run, 0);
        QCOMPARE(QString::fromUtf8(run.out), summary);
        QCOMPARE(m_pg.sql(db, DaveBudget), unlinks ? u"NULL"_s : u"budget-ml-dave"_s);
        // Unlinked, the row stays as it was; kept, it holds the emptied scope.
        QCOMPARE(m_pg.sql(db, DaveRow), unlinks ? u"|[\"beta-models\"]"_s : u"|[]"_s);
        QCOMPARE(m_pg.sql(db, u"SELECT count(*) FROM \"LiteLLM_BudgetTable\";"_s), u"7"_s);
        // One audit row per edit; the unlink names the row it left.
        const QList<QJsonObject> audit = m_pg.newAuditRows(db);
        QCOMPARE(audit.size(), 2);
        const QJsonObject after = audit[1].value(u"updated_values"_s).toObject();
        QCOMPARE(after.contains(u"budget_id"_s), unlinks);
        QCOMPARE(audit[1].value(u"before_value"_s).toObject().value(u"budget_id"_s).toString(),
                 unlinks ? u"budget-ml-dave"_s : QString());
    }
};

QTEST_GUILESS_MAIN(TstCliDbUnlink)
#include "tst_cli_db_unlink.moc"
