// The admin API and the database give the same answers: a LiteLLM database (the seed, at both
// schema levels) is read by PgStore; a fake LiteLLM proxy serves exactly that data through the
// admin API; the snapshot ApiStore takes decides every key x model exactly like the database's
// snapshot, members() lists the same members, and the same edits made through both leave both
// deciding alike with the same members.
#include "store/pg/PgStore.h"
#include "support/ApiTestSupport.h"
#include "support/PgTestDatabase.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

Q_DECLARE_METATYPE(litescope::test::Level)

class TstApiStoreEquivalence : public QObject {
    Q_OBJECT

private:
    PgTestFixture m_pg{u"equiv"_s};

    std::unique_ptr<PgStore> pgStore(const QString& database) {
        PgConnectionOptions options;
        options.connectionString = m_pg.uri(database);
        return std::make_unique<PgStore>(options);
    }

private Q_SLOTS:
    void initTestCase() {
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_pg.stop(); }

    void sameDecisionsAsTheDatabase_data() {
        QTest::addColumn<Level>("level");
        QTest::newRow("newest") << Level::Newest;
        QTest::newRow("pre-member-scope") << Level::PreMemberScope;
    }

    void sameDecisionsAsTheDatabase() {
        QFETCH(Level, level);
        QString error;
        const QString database = m_pg.freshDatabase(level, &error);
        QVERIFY2(!database.isEmpty(), qPrintable(error));
        auto pg = pgStore(database);
        VERIFY_SUCCEEDS(awaitTask(pg->open()));
        const Result<Workspace> fromDb = awaitTask(pg->snapshot());
        VERIFY_SUCCEEDS(fromDb);

        ApiFixture api;
        QVERIFY2(api.start(*fromDb, &error), qPrintable(error));
        if (level == Level::PreMemberScope)
            api.proxy().setLiteLLMVersion(u"1.82.0"_s);
        ApiConnectionOptions options = api.options();
        options.litellmSettings = settingsOf(*fromDb);
        auto store = api.store(options);
        QVERIFY(store);
        const Result<Workspace> fromApi = awaitTask(store->snapshot());
        VERIFY_SUCCEEDS(fromApi);
        QCOMPARE(fromApi->source.unknown, QStringList());

        const QStringList models = candidateModels(*fromDb);
        const QStringList expected = decisionLines(*fromDb, models);
        const QStringList actual = decisionLines(*fromApi, models);
        QVERIFY(expected.size() > 100);
        QCOMPARE(actual.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i)
            QCOMPARE(actual.at(i), expected.at(i));

        for (const Team& team : fromDb->teams) {
            const Result<QList<TeamMember>> dbMembers = awaitTask(pg->members(team.id));
            const Result<QList<TeamMember>> apiMembers = awaitTask(store->members(team.id));
            VERIFY_SUCCEEDS(dbMembers);
            VERIFY_SUCCEEDS(apiMembers);
            QCOMPARE(memberLines(*apiMembers), memberLines(*dbMembers));
        }
    }

    void withoutTheConfigBothAssumeAlike() {
        // Neither source shows litellm_settings or router aliases (no LiteLLM_Config rows, no
        // router endpoint): both decide with LiteLLM's defaults and mark the same decisions.
        QString error;
        const QString database = m_pg.freshDatabase(Level::Newest, &error);
        QVERIFY2(!database.isEmpty(), qPrintable(error));
        QVERIFY(m_pg.sql(database, u"DELETE FROM \"LiteLLM_Config\";"_s).isEmpty());
        // Both are told the release (the seed's schema places it only roughly): what they
        // assume is the config alone.
        const LiteLLMVersion release{1, 103, 0};
        auto pg = pgStore(database);
        pg->setLiteLLMVersion(release);
        VERIFY_SUCCEEDS(awaitTask(pg->open()));
        const Result<Workspace> fromDb = awaitTask(pg->snapshot());
        VERIFY_SUCCEEDS(fromDb);
        QCOMPARE(fromDb->source.assumed, (QStringList{u"settings"_s, u"model_group_alias"_s}));

        ApiFixture api;
        QVERIFY2(api.start(*fromDb, &error), qPrintable(error));
        api.proxy().disableRoute(u"/get/config/callbacks"_s);
        api.proxy().disableRoute(u"/router/settings"_s);
        auto store = api.store();
        QVERIFY(store);
        store->setLiteLLMVersion(release);
        const Result<Workspace> fromApi = awaitTask(store->snapshot());
        VERIFY_SUCCEEDS(fromApi);
        QCOMPARE(fromApi->source.assumed, fromDb->source.assumed);
        QCOMPARE(fromApi->source.unknown, QStringList());

        const QStringList models = candidateModels(*fromDb);
        const QStringList expected = decisionLines(*fromDb, models, true);
        QCOMPARE(decisionLines(*fromApi, models, true), expected);
        QVERIFY(std::any_of(expected.cbegin(), expected.cend(), [](const QString& line) {
            return line.endsWith(u"| assumed settings"_s);
        }));
    }

    void theSameEditThroughBoth() {
        QString error;
        const QString database = m_pg.freshDatabase(Level::Newest, &error);
        QVERIFY2(!database.isEmpty(), qPrintable(error));
        auto pg = pgStore(database);
        VERIFY_SUCCEEDS(awaitTask(pg->open()));
        const Result<Workspace> before = awaitTask(pg->snapshot());
        VERIFY_SUCCEEDS(before);
        ApiFixture api;
        QVERIFY2(api.start(*before, &error), qPrintable(error));
        ApiConnectionOptions options = api.options();
        options.litellmSettings = settingsOf(*before);
        auto store = api.store(options);
        QVERIFY(store);

        const QList<StoreEdit> edits{
            StoreEdit::setMemberScope(seed::searchTeam, seed::bob, {u"gpt-4o-mini"_s}),
            StoreEdit::setTeamModels(seed::supportTeam, {u"gpt-4o"_s, u"claude-3-5-sonnet"_s}),
            StoreEdit::removeMember(seed::mlTeam, seed::alice),
            StoreEdit::setKeyModels(seed::searchProdKey, {u"gpt-4o"_s}),
        };
        for (const StoreEdit& edit : edits) {
            const Result<EditOutcome> viaDb = awaitTask(pg->apply(edit));
            const Result<EditOutcome> viaApi = awaitTask(store->apply(edit));
            VERIFY_SUCCEEDS(viaDb);
            VERIFY_SUCCEEDS(viaApi);
            QCOMPARE(viaApi->objectId, viaDb->objectId);
        }
        const Result<Workspace> dbAfter = awaitTask(pg->snapshot());
        const Result<Workspace> apiAfter = awaitTask(store->snapshot());
        VERIFY_SUCCEEDS(dbAfter);
        VERIFY_SUCCEEDS(apiAfter);
        const QStringList models = candidateModels(*dbAfter);
        QCOMPARE(decisionLines(*apiAfter, models), decisionLines(*dbAfter, models));
        QVERIFY(decisionLines(*dbAfter, models) != decisionLines(*before, models));
        for (const Team& team : dbAfter->teams) {
            const Result<QList<TeamMember>> dbMembers = awaitTask(pg->members(team.id));
            const Result<QList<TeamMember>> apiMembers = awaitTask(store->members(team.id));
            VERIFY_SUCCEEDS(dbMembers);
            VERIFY_SUCCEEDS(apiMembers);
            QCOMPARE(memberLines(*apiMembers), memberLines(*dbMembers));
        }
    }
};

QTEST_GUILESS_MAIN(TstApiStoreEquivalence)
#include "tst_apistore_equivalence.moc"
