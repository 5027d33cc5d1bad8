// Which LiteLLM release PgStore says a database is (models/store/pg/PgRelease.cpp): the markers
// (a migration row, columns, an index) at several levels built from the seed, a `prisma db push`
// database without _prisma_migrations, migration rows that failed or were rolled back, the
// stand-in (source.assumed, a warning) when the markers leave a rule open, and the admin's
// --litellm-version over all of it. What the writes do with the release: tst_pgstore_unlink.
#include "engine/AccessEngine.h"
#include "engine/DecisionText.h"
#include "store/pg/PgRelease.h"
#include "support/PgStoreTestSupport.h"

#include <QTest>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

namespace {

// The 1.103.0 marker (PR #37983). The seed has no spend logs: a table with the indexed columns.
const QString AddSpendLogsIndex =
    u"CREATE TABLE \"LiteLLM_SpendLogs\" (request_id TEXT PRIMARY KEY, api_key TEXT, "
    u"\"startTime\" TIMESTAMP(3));"
    u"CREATE INDEX \"LiteLLM_SpendLogs_api_key_startTime_idx\" ON \"LiteLLM_SpendLogs\" "
    u"(api_key, \"startTime\");"_s;
const QString DropBudgetFallbacks =
    u"ALTER TABLE \"LiteLLM_VerificationToken\" DROP COLUMN budget_fallbacks;"_s;
const QString DropMigrationTable = u"DROP TABLE \"_prisma_migrations\";"_s;
const QString DropScopeColumns =
    u"ALTER TABLE \"LiteLLM_BudgetTable\" DROP COLUMN allowed_models;"
    u"ALTER TABLE \"LiteLLM_TeamTable\" DROP COLUMN default_team_member_models;"_s;
const QString ScopeMigration = u"20260401000000_add_team_member_model_scope"_s;

QString insertMigration(const QString& name, const QString& finishedAt,
                        const QString& rolledBackAt) {
    return u"INSERT INTO \"_prisma_migrations\" (id, checksum, finished_at, migration_name, "
           u"rolled_back_at, applied_steps_count) VALUES (gen_random_uuid()::text, "
           u"encode(sha256(convert_to('"_s +
           name + u"', 'UTF8')), 'hex'), "_s + finishedAt + u", '"_s + name + u"', "_s +
           rolledBackAt + u", 1);"_s;
}

} // namespace

class TestPgStoreRelease : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
    }
    void cleanupTestCase() { m_pg.stop(); }

    void levels_data();
    void levels();
    void failedMigrationRowsDoNotCount();
    void adminVersionWins();
    void decisionsFollowTheRelease();
    void placeReleaseBounds();

private:
    PgStoreFixture m_pg;
};

// One database per row: the seed at a level, what open() and snapshot() say of it.
void TestPgStoreRelease::levels_data() {
    QTest::addColumn<Level>("level");
    QTest::addColumn<QString>("setup");   // SQL on the seed
    QTest::addColumn<QString>("version"); // StoreInfo::litellmVersion, source.litellm_version
    QTest::addColumn<bool>("assumed");    // "litellm_version" in source.assumed
    QTest::addColumn<QString>("schemaLevel");
    QTest::addColumn<QString>("warning"); // the start of the release warning; empty: none

    const QString scopes = u" (member model scopes)"_s;
    // The seed as the fixture builds it: budget_fallbacks (1.92.0), no 1.103.0 index. 1.97.0,
    // 1.99.0 and 1.102.0 changed rules in between: 1.92.0 stands in.
    const QString between =
        u"The database's migrations and columns place the proxy at LiteLLM 1.92.0 or newer but "
        u"older than 1.103.0, and rules changed in between (key_team_router_aliases (1.97.0), "
        u"missing_team_refused (1.99.0), claude_model_names (1.102.0)). Decisions and writes "
        u"follow LiteLLM 1.92.0's rules unless --litellm-version says otherwise."_s;
    QTest::newRow("seed: 1.92.0 to 1.103.0, assumed")
        << Level::Newest << QString() << u"1.92.0"_s << true
        << u"LiteLLM v1.92.0 or newer, older than v1.103.0"_s + scopes +
               u"; decided as LiteLLM v1.92.0, assumed"_s
        << between;
    QTest::newRow("with the 1.103.0 index: exact")
        << Level::Newest << AddSpendLogsIndex << u"1.103.0"_s << false
        << u"LiteLLM v1.103.0 or newer"_s + scopes << QString();
    // No rule changed between 1.83.14 and 1.92.0: the lower bound decides alike, not assumed.
    QTest::newRow("without budget_fallbacks: 1.83.14 by the migration")
        << Level::Newest << DropBudgetFallbacks << u"1.83.14"_s << false
        << u"LiteLLM v1.83.14 or newer, older than v1.92.0"_s + scopes << QString();
    QTest::newRow("db push, with the index")
        << Level::Newest << DropMigrationTable + AddSpendLogsIndex << u"1.103.0"_s << false
        << u"LiteLLM v1.103.0 or newer"_s + scopes << QString();
    QTest::newRow("db push: 1.83.14 by the columns")
        << Level::Newest << DropMigrationTable + DropBudgetFallbacks << u"1.83.14"_s << false
        << u"LiteLLM v1.83.14 or newer, older than v1.92.0"_s + scopes << QString();
    QTest::newRow("db push, seed: assumed")
        << Level::Newest << DropMigrationTable << u"1.92.0"_s << true
        << u"LiteLLM v1.92.0 or newer, older than v1.103.0"_s + scopes +
               u"; decided as LiteLLM v1.92.0, assumed"_s
        << between;
    // The migration row alone places it (columns dropped by hand afterwards, say).
    QTest::newRow("scope migration row without its columns")
        << Level::Newest << DropBudgetFallbacks + DropScopeColumns << u"1.83.14"_s << false
        << u"LiteLLM v1.83.14 or newer, older than v1.92.0 (no member model scopes: reading "
           u"works, scope editing is refused)"_s
        << QString();
    const QString older =
        u"The database shows none of the migrations, columns or indexes litescope knows from "
        u"LiteLLM 1.83.14 on: the proxy is older than 1.83.14."_s;
    QTest::newRow("before member scopes: older than every marker")
        << Level::PreMemberScope << QString() << u"1.83.14"_s << true
        << u"older than LiteLLM v1.83.14 (no member model scopes: reading works, scope editing "
           u"is refused); decided as LiteLLM v1.83.14, assumed"_s
        << older;
    QTest::newRow("before member scopes, db push")
        << Level::PreMemberScope << DropMigrationTable << u"1.83.14"_s << true
        << u"older than LiteLLM v1.83.14 (no member model scopes: reading works, scope editing "
           u"is refused); decided as LiteLLM v1.83.14, assumed"_s
        << older;
    QTest::newRow("before member scopes, with the scope migration's row")
        << Level::PreMemberScope << insertMigration(ScopeMigration, u"now()"_s, u"NULL"_s)
        << u"1.83.14"_s << false
        << u"LiteLLM v1.83.14 or newer, older than v1.92.0 (no member model scopes: reading "
           u"works, scope editing is refused)"_s
        << QString();
}

void TestPgStoreRelease::levels() {
    QFETCH(Level, level);
    QFETCH(QString, setup);
    QFETCH(QString, version);
    QFETCH(bool, assumed);
    QFETCH(QString, schemaLevel);
    QFETCH(QString, warning);
    PGTEST_FRESH_DATABASE(m_pg, db, level);
    if (!setup.isEmpty())
        PGTEST_EXEC(m_pg, db, setup);

    auto store = m_pg.store(db, true);
    const Result<StoreInfo> info = awaitTask(store->open());
    VERIFY_SUCCEEDS(info);
    QCOMPARE(info->litellmVersion, version);
    QCOMPARE(info->schemaLevel, schemaLevel);

    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(ws);
    QCOMPARE(ws->source.litellmVersion, version);
    QCOMPARE(ws->source.assumed.contains(u"litellm_version"_s), assumed);
    QStringList releaseWarnings;
    for (const QString& line : ws->source.warnings)
        if (line.contains(u"--litellm-version"_s))
            releaseWarnings.append(line);
    if (warning.isEmpty()) {
        QVERIFY2(releaseWarnings.isEmpty(), qPrintable(releaseWarnings.join(u'\n')));
    } else {
        QCOMPARE(releaseWarnings.size(), 1);
        QVERIFY2(releaseWarnings[0].startsWith(warning), qPrintable(releaseWarnings[0]));
    }
}

// Only finished migrations that were not rolled back place the release.
void TestPgStoreRelease::failedMigrationRowsDoNotCount() {
    const struct {
        QString finishedAt;
        QString rolledBackAt;
        QString version;
        bool assumed;
    } rows[] = {
        {u"NULL"_s, u"NULL"_s, u"1.83.14"_s, true},   // still running, or failed
        {u"now()"_s, u"now()"_s, u"1.83.14"_s, true}, // rolled back
        {u"now()"_s, u"NULL"_s, u"1.83.14"_s, false}, // applied
    };
    for (const auto& row : rows) {
        PGTEST_FRESH_DATABASE(m_pg, db, Level::PreMemberScope);
        PGTEST_EXEC(m_pg, db, insertMigration(ScopeMigration, row.finishedAt, row.rolledBackAt));
        auto store = m_pg.store(db, true);
        const Result<Workspace> ws = awaitTask(store->snapshot());
        VERIFY_SUCCEEDS(ws);
        QCOMPARE(ws->source.litellmVersion, row.version);
        QCOMPARE(ws->source.assumed.contains(u"litellm_version"_s), row.assumed);
    }
}

// --litellm-version (Store::setLiteLLMVersion): the admin's release, not assumed, no warning
// about the detected range.
void TestPgStoreRelease::adminVersionWins() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    auto store = m_pg.store(db, true);
    store->setLiteLLMVersion(LiteLLMVersion{1, 97, 0});
    const Result<StoreInfo> info = awaitTask(store->open());
    VERIFY_SUCCEEDS(info);
    QCOMPARE(info->litellmVersion, u"1.97.0"_s);
    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(ws);
    QCOMPARE(ws->source.litellmVersion, u"1.97.0"_s);
    QVERIFY(!ws->source.assumed.contains(u"litellm_version"_s));
    QVERIFY2(ws->source.warnings.isEmpty(), qPrintable(ws->source.warnings.join(u'\n')));
}

// The engine decides with the detected release: a key of a deleted team is judged by its copy
// of the team below 1.99.0 and refused from 1.103.0's markers on; the stand-in says "assumed".
void TestPgStoreRelease::decisionsFollowTheRelease() {
    const QString orphanSql =
        u"UPDATE \"LiteLLM_VerificationToken\" SET team_id = 'team-gone' WHERE key_alias = "
        u"'ml-research-ci';"_s;
    const struct {
        QString setup;
        bool allowed;
        QString profile;
    } rows[] = {
        {DropBudgetFallbacks, true, u"LiteLLM 1.83.14"_s},
        {QString(), true, u"LiteLLM 1.92.0, assumed"_s},
        {AddSpendLogsIndex, false, u"LiteLLM 1.103.0"_s},
    };
    for (const auto& row : rows) {
        PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
        PGTEST_EXEC(m_pg, db, orphanSql + row.setup);
        auto store = m_pg.store(db, true);
        const Result<Workspace> ws = awaitTask(store->snapshot());
        VERIFY_SUCCEEDS(ws);
        const AccessEngine engine(*ws);
        QCOMPARE(engine.compiled().profile().name(), row.profile);
        const std::int32_t key = engine.findKey(u"ml-research-ci"_s);
        QVERIFY(key >= 0);
        const Decision decision = engine.decide(key, u"gpt-4o"_s);
        QCOMPARE(decision.allowed(), row.allowed);
        // The stand-in is named as what decided, not the newest release.
        const QString reason = reasonFor(engine, ModelRequest::single(u"gpt-4o"_s), decision);
        const bool standIn = row.profile.endsWith(u"assumed"_s);
        QVERIFY2(reason.endsWith(u"(The source cannot say exactly which LiteLLM release the "
                                 u"proxy runs: decided as 1.92.0.)"_s) == standIn,
                 qPrintable(reason));
    }
}

// The bounds from the markers alone (no database): the newest present marker is the lower bound,
// the next one the upper.
void TestPgStoreRelease::placeReleaseBounds() {
    const auto markers = pg::releaseMarkers();
    QCOMPARE(markers.size(), std::size_t(3));
    const pg::DetectedRelease none = pg::placeRelease({false, false, false});
    QVERIFY(!none.atLeast);
    QCOMPARE(none.below, std::optional(LiteLLMVersion{1, 83, 14}));
    QVERIFY(none.assumed());
    // A newer marker without the older ones still places the proxy at the newer one.
    const pg::DetectedRelease gap = pg::placeRelease({true, false, true});
    QCOMPARE(gap.version().toString(), u"1.103.0"_s);
    QVERIFY(!gap.below);
    QVERIFY(!gap.assumed());
    QVERIFY(gap.warning().isEmpty());
    const pg::DetectedRelease between = pg::placeRelease({true, true, false});
    QCOMPARE(between.rulesChangingInRange(),
             (QStringList{u"key_team_router_aliases (1.97.0)"_s, u"missing_team_refused (1.99.0)"_s,
                          u"claude_model_names (1.102.0)"_s}));
    QCOMPARE(between.range(), u"LiteLLM v1.92.0 or newer, older than v1.103.0"_s);
}

QTEST_GUILESS_MAIN(TestPgStoreRelease)
#include "tst_pgstore_release.moc"
