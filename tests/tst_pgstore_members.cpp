// PgStore editing the members of a real LiteLLM team: setting a member's scope (a private budget
// row changed in place, a shared one - the team's default member budget, an end user's, a tag's -
// copied first), updating limits and role, removing a member from the three membership places
// (members_with_roles, UserTable.teams, TeamMembership), members known only by the roster; the
// exact rows each edit leaves and the LiteLLM_AuditLog row it adds. Adding members, team and key
// edits: tst_pgstore_write.
#include "support/PgStoreTestSupport.h"

#include <QJsonArray>
#include <QTest>
#include <QUuid>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

class TestPgStoreMembers : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void setMemberScopeUpdatesPrivateBudgetInPlace();
    void setMemberScopeCreatesBudgetAndMembership();
    void setMemberScopeCopiesSharedBudget();
    void setMemberScopeEmptyMeansAllTeamModels();
    void setMemberScopeCopiesBudgetOfOtherTables_data();
    void setMemberScopeCopiesBudgetOfOtherTables();

    void updateMemberChangesOnlyGivenLimits();
    void updateMemberRoleKeepsOtherRosterEntries();
    void updateMemberCopiesSharedBudget();
    void updateMemberWithoutMembershipRow();

    void removeMemberFromAllThreePlaces();
    void membersByIdOnlyInRoster();

private:
    PgStoreFixture m_pg;
};

void TestPgStoreMembers::initTestCase() {
    QString error;
    QVERIFY2(m_pg.start(&error), qPrintable(error));
}

void TestPgStoreMembers::cleanupTestCase() {
    m_pg.stop();
}

// Scope and limits -------------------------------------------------------------------------------

void TestPgStoreMembers::setMemberScopeUpdatesPrivateBudgetInPlace() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString before = m_pg.sql(db, budgetById(u"budget-ml-bob"_s));
    QCOMPARE(before, u"50|||||{\"gpt-4o\": {\"time_period\": \"1d\", \"budget_limit\": 20.0}}|1d|"
                     u"2026-04-28 00:00:00|"_s +
                         seed::alice + u'|' + seed::alice + u"|[\"gpt-4o\"]"_s);

    // By team alias and by email, in another case than stored.
    EditOutcome outcome;
    applyWrite(m_pg, db,
               StoreEdit::setMemberScope(u"ML Research"_s, u"BOB@Example.com"_s,
                                         {u"gpt-4o"_s, u"claude-3-5-sonnet"_s}),
               &outcome);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::mlTeam, seed::bob)), u"budget-ml-bob|12.5|22.5"_s);
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-ml-bob"_s)),
             u"50|||||{\"gpt-4o\": {\"time_period\": \"1d\", \"budget_limit\": 20.0}}|1d|"
             u"2026-04-28 00:00:00|"_s +
                 seed::alice + u'|' + WriteActor + u"|[\"gpt-4o\",\"claude-3-5-sonnet\"]"_s);
    QCOMPARE(m_pg.sql(db, u"SELECT updated_at > timezone('UTC', now()) - interval '5 minutes' "
                          u"FROM \"LiteLLM_BudgetTable\" WHERE budget_id = 'budget-ml-bob';"_s),
             u"t"_s);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);

    QCOMPARE(outcome.objectId, seed::mlTeam);
    QCOMPARE(outcome.before, (QJsonObject{{u"allowed_models"_s, QJsonArray{u"gpt-4o"_s}}}));
    QCOMPARE(outcome.after,
             (QJsonObject{{u"allowed_models"_s, QJsonArray{u"gpt-4o"_s, u"claude-3-5-sonnet"_s}}}));
    QVERIFY2(outcome.summary.contains(u"allowed_models [gpt-4o] -> [gpt-4o, claude-3-5-sonnet]"_s),
             qPrintable(outcome.summary));
    // litescope records member changes as updates of the team, naming team and user.
    checkOneAudit(m_pg, db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam,
                  {{u"allowed_models"_s, QJsonArray{u"gpt-4o"_s}},
                   {u"team_id"_s, seed::mlTeam},
                   {u"user_id"_s, seed::bob}},
                  {{u"allowed_models"_s, QJsonArray{u"gpt-4o"_s, u"claude-3-5-sonnet"_s}},
                   {u"team_id"_s, seed::mlTeam},
                   {u"user_id"_s, seed::bob}},
                  seed::mlTeam, u"ML Research"_s);
}

void TestPgStoreMembers::setMemberScopeCreatesBudgetAndMembership() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    // alice is an ML Research admin without a membership row.
    QCOMPARE(m_pg.sql(db, membershipSql(seed::mlTeam, seed::alice)), QString());
    applyWrite(m_pg, db,
               StoreEdit::setMemberScope(seed::mlTeam, seed::alice, {u"claude-3-5-sonnet"_s}));
    const QStringList row = m_pg.sql(db, membershipSql(seed::mlTeam, seed::alice)).split(u'|');
    QCOMPARE(row.size(), 3);
    QVERIFY2(!QUuid::fromString(row[0]).isNull(), qPrintable(row[0]));
    QCOMPARE(row[1], u"0"_s);
    QCOMPARE(row[2], u"0"_s);
    QCOMPARE(m_pg.sql(db, budgetById(row[0])),
             u"||||||||"_s + WriteActor + u'|' + WriteActor + u"|[\"claude-3-5-sonnet\"]"_s);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"8"_s);
    m_pg.takeAudit(db);

    // dave's Support Bots row lost its budget (budget_id NULL): a new one is attached, the row's
    // spend stays.
    applyWrite(m_pg, db,
               StoreEdit::setMemberScope(u"Support Bots"_s, seed::dave, {u"gpt-4o-mini"_s}));
    const QStringList dave = m_pg.sql(db, membershipSql(seed::supportTeam, seed::dave)).split(u'|');
    QCOMPARE(dave.size(), 3);
    QVERIFY(!QUuid::fromString(dave[0]).isNull());
    QCOMPARE(dave[1], u"0.4"_s);
    QCOMPARE(m_pg.sql(db, budgetById(dave[0])),
             u"||||||||"_s + WriteActor + u'|' + WriteActor + u"|[\"gpt-4o-mini\"]"_s);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"9"_s);

    auto store = m_pg.store(db);
    const Result<QList<TeamMember>> members = awaitTask(store->members(seed::supportTeam));
    VERIFY_SUCCEEDS(members);
    QCOMPARE(memberLine(members->at(0)), u"dave@example.com|dave@example.com|admin|row|"_s +
                                             dave[0] + u"|gpt-4o-mini|-|-|-|0.4"_s);
}

void TestPgStoreMembers::setMemberScopeCopiesSharedBudget() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString defaultBefore =
        m_pg.sql(db, u"SELECT row_to_json(b)::text FROM \"LiteLLM_BudgetTable\" b WHERE "
                     u"budget_id = 'budget-search-member-default';"_s);
    const QString metadataBefore =
        m_pg.sql(db, u"SELECT metadata::text FROM \"LiteLLM_TeamTable\" WHERE team_id = '"_s +
                         seed::searchTeam + u"';"_s);

    // erin and svc-nightly-batch share the team's default member budget row: erin gets a copy.
    applyWrite(m_pg, db,
               StoreEdit::setMemberScope(u"Search Platform"_s, u"erin@example.org"_s,
                                         {u"text-embedding-3-small"_s}));
    const QStringList erin = m_pg.sql(db, membershipSql(seed::searchTeam, seed::erin)).split(u'|');
    QCOMPARE(erin.size(), 3);
    QVERIFY(erin[0] != u"budget-search-member-default"_s);
    QVERIFY(!QUuid::fromString(erin[0]).isNull());
    QCOMPARE(erin[1], u"3.2"_s);
    // The copy keeps every limit of the shared row; only allowed_models and the authorship change.
    QCOMPARE(m_pg.sql(db, budgetById(erin[0])), u"25||||60||7d|2026-04-30 00:00:00|"_s +
                                                    WriteActor + u'|' + WriteActor +
                                                    u"|[\"text-embedding-3-small\"]"_s);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::svc)),
             u"budget-search-member-default|8.75|18.75"_s);
    QCOMPARE(m_pg.sql(db, u"SELECT row_to_json(b)::text FROM \"LiteLLM_BudgetTable\" b WHERE "
                          u"budget_id = 'budget-search-member-default';"_s),
             defaultBefore);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"8"_s);

    // svc-nightly-batch's row is still shared with the team default: a copy again, with [].
    applyWrite(m_pg, db, StoreEdit::setMemberScope(seed::searchTeam, seed::svc, {}));
    const QString svcBudget =
        m_pg.sql(db, membershipSql(seed::searchTeam, seed::svc)).section(u'|', 0, 0);
    QVERIFY(svcBudget != u"budget-search-member-default"_s);
    QCOMPARE(m_pg.sql(db, budgetById(svcBudget)),
             u"25||||60||7d|2026-04-30 00:00:00|"_s + WriteActor + u'|' + WriteActor + u"|[]"_s);
    QCOMPARE(m_pg.sql(db, u"SELECT row_to_json(b)::text FROM \"LiteLLM_BudgetTable\" b WHERE "
                          u"budget_id = 'budget-search-member-default';"_s),
             defaultBefore);
    QCOMPARE(m_pg.sql(db, u"SELECT metadata::text FROM \"LiteLLM_TeamTable\" WHERE team_id = '"_s +
                              seed::searchTeam + u"';"_s),
             metadataBefore);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"9"_s);

    // erin's copy is hers alone now: changed in place.
    applyWrite(m_pg, db,
               StoreEdit::setMemberScope(seed::searchTeam, seed::erin, {u"gpt-4o-mini"_s}));
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::erin)).section(u'|', 0, 0),
             erin[0]);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"9"_s);
    QCOMPARE(m_pg.takeAudit(db).size(), 3);
}

void TestPgStoreMembers::setMemberScopeEmptyMeansAllTeamModels() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    applyWrite(m_pg, db, StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {}));
    // [] is stored as an empty array (not NULL), as /team/member_update does.
    QCOMPARE(m_pg.sql(db, u"SELECT allowed_models = '{}' FROM \"LiteLLM_BudgetTable\" WHERE "
                          u"budget_id = 'budget-ml-bob';"_s),
             u"t"_s);
    auto store = m_pg.store(db);
    const Result<QList<TeamMember>> members = awaitTask(store->members(seed::mlTeam));
    VERIFY_SUCCEEDS(members);
    QVERIFY(members->at(1).allowedModels.isEmpty());
    QCOMPARE(members->at(1).budgetId, std::optional<QString>(u"budget-ml-bob"_s));

    // A member without a row already has all team models: no rows are created for [].
    const Result<EditOutcome> none =
        awaitTask(store->apply(StoreEdit::setMemberScope(seed::searchTeam, seed::alice, {})));
    VERIFY_SUCCEEDS(none);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::alice)), QString());
    QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
}

void TestPgStoreMembers::setMemberScopeCopiesBudgetOfOtherTables_data() {
    // LiteLLM tables outside the seed's DDL that reference budget rows too (end users and tags).
    QTest::addColumn<QString>("ddl");
    QTest::newRow("end user")
        << u"CREATE TABLE \"LiteLLM_EndUserTable\" (user_id text PRIMARY KEY, "
           u"alias text, spend double precision NOT NULL DEFAULT 0, "
           u"allowed_model_region text, default_model text, budget_id text "
           u"REFERENCES \"LiteLLM_BudgetTable\" (budget_id) ON UPDATE CASCADE "
           u"ON DELETE SET NULL, blocked boolean NOT NULL DEFAULT false);"
           u"INSERT INTO \"LiteLLM_EndUserTable\" (user_id, budget_id) VALUES "
           u"('customer-1', 'budget-ml-bob');"_s;
    QTest::newRow("tag") << u"CREATE TABLE \"LiteLLM_TagTable\" (tag_name text PRIMARY KEY, "
                            u"description text, models text[], model_info jsonb, spend double "
                            u"precision NOT NULL DEFAULT 0, budget_id text REFERENCES "
                            u"\"LiteLLM_BudgetTable\" (budget_id) ON UPDATE CASCADE ON DELETE SET "
                            u"NULL, created_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "
                            u"created_by text, updated_at timestamp(3) NOT NULL DEFAULT "
                            u"CURRENT_TIMESTAMP, updated_by text);"
                            u"INSERT INTO \"LiteLLM_TagTable\" (tag_name, budget_id) VALUES "
                            u"('nightly', 'budget-ml-bob');"_s;
}

void TestPgStoreMembers::setMemberScopeCopiesBudgetOfOtherTables() {
    // bob's ML Research budget row is also an end user's / a tag's budget: editing his scope must
    // not change theirs.
    QFETCH(QString, ddl);
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(m_pg, db, ddl);
    applyWrite(m_pg, db,
               StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {u"claude-3-5-sonnet"_s}));
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-ml-bob"_s)).section(u'|', -1), u"[\"gpt-4o\"]"_s);
    QVERIFY(m_pg.sql(db, membershipSql(seed::mlTeam, seed::bob)).section(u'|', 0, 0) !=
            u"budget-ml-bob"_s);
    QCOMPARE(m_pg.sql(db, budgetOf(seed::mlTeam, seed::bob)).section(u'|', -1),
             u"[\"claude-3-5-sonnet\"]"_s);
}

void TestPgStoreMembers::updateMemberChangesOnlyGivenLimits() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString mmb = u"{\"gpt-4o\": {\"time_period\": \"1d\", \"budget_limit\": 20.0}}"_s;
    StoreEdit tpm = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    tpm.tpmLimit = std::optional<qint64>(2000000);
    EditOutcome outcome;
    applyWrite(m_pg, db, tpm, &outcome);
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-ml-bob"_s)),
             u"50|||2000000||"_s + mmb + u"|1d|2026-04-28 00:00:00|"_s + seed::alice + u'|' +
                 WriteActor + u"|[\"gpt-4o\"]"_s);
    QCOMPARE(outcome.before, (QJsonObject{{u"tpm_limit"_s, QJsonValue::Null}}));
    QCOMPARE(outcome.after, (QJsonObject{{u"tpm_limit"_s, 2000000}}));
    checkOneAudit(
        m_pg, db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam,
        {{u"tpm_limit"_s, QJsonValue::Null},
         {u"team_id"_s, seed::mlTeam},
         {u"user_id"_s, seed::bob}},
        {{u"tpm_limit"_s, 2000000}, {u"team_id"_s, seed::mlTeam}, {u"user_id"_s, seed::bob}},
        seed::mlTeam, u"ML Research"_s);

    // "none" clears a limit; the others stay.
    StoreEdit clear = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    clear.maxBudget.emplace(std::nullopt);
    applyWrite(m_pg, db, clear, &outcome);
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-ml-bob"_s)),
             u"|||2000000||"_s + mmb + u"|1d|2026-04-28 00:00:00|"_s + seed::alice + u'|' +
                 WriteActor + u"|[\"gpt-4o\"]"_s);
    QCOMPARE(outcome.before, (QJsonObject{{u"max_budget"_s, 50}}));
    QCOMPARE(outcome.after, (QJsonObject{{u"max_budget"_s, QJsonValue::Null}}));

    // Several at once.
    StoreEdit both = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    both.maxBudget = std::optional<double>(12.5);
    both.rpmLimit = std::optional<qint64>(30);
    applyWrite(m_pg, db, both, &outcome);
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-ml-bob"_s)),
             u"12.5|||2000000|30|"_s + mmb + u"|1d|2026-04-28 00:00:00|"_s + seed::alice + u'|' +
                 WriteActor + u"|[\"gpt-4o\"]"_s);
    QCOMPARE(outcome.after, (QJsonObject{{u"max_budget"_s, 12.5}, {u"rpm_limit"_s, 30}}));
    QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
    QCOMPARE(m_pg.takeAudit(db).size(), 2);
    // The roster is not touched by limit changes.
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::mlTeam, 1)),
             u"{\"role\": \"user\", \"user_id\": \""_s + seed::bob +
                 u"\", \"user_email\": \"bob@example.com\"}"_s);
}

void TestPgStoreMembers::updateMemberRoleKeepsOtherRosterEntries() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    // Fields LiteLLM may add to roster entries survive a role change.
    PGTEST_EXEC(
        m_pg, db,
        u"UPDATE \"LiteLLM_TeamTable\" SET members_with_roles = jsonb_set(members_with_roles,"
        u" '{1,extra}', '{\"since\": \"2025-11-03\", \"n\": [1, 2.5, null, true]}') WHERE "
        u"team_id = 'team-ml-research';"_s);
    const QString bobBefore = m_pg.sql(db, rosterEntrySql(seed::mlTeam, 1));
    const QString daveBefore = m_pg.sql(db, rosterEntrySql(seed::mlTeam, 2));
    const QJsonObject teamBefore = m_pg.teamRow(db, seed::mlTeam);

    StoreEdit role = StoreEdit::updateMember(u"ML Research"_s, u"alice@example.com"_s);
    role.role = u"user"_s;
    EditOutcome outcome;
    applyWrite(m_pg, db, role, &outcome);
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::mlTeam, 0)),
             u"{\"role\": \"user\", \"user_id\": \""_s + seed::alice +
                 u"\", \"user_email\": \"alice@example.com\"}"_s);
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::mlTeam, 1)), bobBefore);
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::mlTeam, 2)), daveBefore);
    QCOMPARE(m_pg.sql(db, u"SELECT jsonb_array_length(members_with_roles) FROM "
                          u"\"LiteLLM_TeamTable\" WHERE team_id = 'team-ml-research';"_s),
             u"3"_s);
    // A role change needs no budget: none is created.
    QCOMPARE(m_pg.sql(db, membershipSql(seed::mlTeam, seed::alice)), QString());
    QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
    QCOMPARE(outcome.before, (QJsonObject{{u"role"_s, u"admin"_s}}));
    QCOMPARE(outcome.after, (QJsonObject{{u"role"_s, u"user"_s}}));
    // Nothing else of the team row changed.
    QJsonObject teamAfter = m_pg.teamRow(db, seed::mlTeam);
    QVERIFY(teamAfter.value(u"updated_at"_s) != teamBefore.value(u"updated_at"_s));
    QJsonObject teamBeforeRest = teamBefore;
    for (const QString& field : {u"members_with_roles"_s, u"updated_at"_s}) {
        teamAfter.remove(field);
        teamBeforeRest.remove(field);
    }
    QCOMPARE(teamAfter, teamBeforeRest);
    // The rewritten roster is recorded as /team/update records the team row.
    checkOneAudit(
        m_pg, db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam,
        {{u"role"_s, u"admin"_s},
         {u"team_id"_s, seed::mlTeam},
         {u"user_id"_s, seed::alice},
         {u"members_with_roles"_s, teamBefore.value(u"members_with_roles"_s)}},
        {{u"role"_s, u"user"_s},
         {u"team_id"_s, seed::mlTeam},
         {u"user_id"_s, seed::alice},
         {u"members_with_roles"_s, m_pg.teamRow(db, seed::mlTeam).value(u"members_with_roles"_s)}},
        seed::mlTeam, u"ML Research"_s);
}

void TestPgStoreMembers::updateMemberCopiesSharedBudget() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString defaultBefore = m_pg.sql(db, budgetById(u"budget-search-member-default"_s));
    StoreEdit edit = StoreEdit::updateMember(seed::searchTeam, seed::svc);
    edit.tpmLimit = std::optional<qint64>(1000);
    applyWrite(m_pg, db, edit);
    const QString copy =
        m_pg.sql(db, membershipSql(seed::searchTeam, seed::svc)).section(u'|', 0, 0);
    QVERIFY(copy != u"budget-search-member-default"_s);
    QCOMPARE(m_pg.sql(db, budgetById(copy)), u"25|||1000|60||7d|2026-04-30 00:00:00|"_s +
                                                 WriteActor + u'|' + WriteActor +
                                                 u"|[\"gpt-4o-mini\"]"_s);
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-search-member-default"_s)), defaultBefore);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::erin)),
             u"budget-search-member-default|3.2|13.2"_s);
}

void TestPgStoreMembers::updateMemberWithoutMembershipRow() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    StoreEdit edit = StoreEdit::updateMember(seed::searchTeam, seed::carol);
    edit.maxBudget = std::optional<double>(5);
    applyWrite(m_pg, db, edit);
    QCOMPARE(m_pg.sql(db, budgetOf(seed::searchTeam, seed::carol)),
             u"5||||||||"_s + WriteActor + u'|' + WriteActor + u"|[]"_s);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::carol)).section(u'|', 1), u"0|0"_s);
}

// Removal and roster-only members ----------------------------------------------------------------

void TestPgStoreMembers::removeMemberFromAllThreePlaces() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString aliceEntry = m_pg.sql(db, rosterEntrySql(seed::mlTeam, 0));
    const QString daveEntry = m_pg.sql(db, rosterEntrySql(seed::mlTeam, 2));
    const QJsonArray rosterBefore =
        QJsonDocument::fromJson(m_pg.sql(db, rosterSql(seed::mlTeam)).toUtf8()).array();
    EditOutcome outcome;
    applyWrite(m_pg, db, StoreEdit::removeMember(u"ML Research"_s, seed::bob), &outcome);
    QCOMPARE(m_pg.sql(db, u"SELECT jsonb_array_length(members_with_roles) FROM "
                          u"\"LiteLLM_TeamTable\" WHERE team_id = 'team-ml-research';"_s),
             u"2"_s);
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::mlTeam, 0)), aliceEntry);
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::mlTeam, 1)), daveEntry);
    QCOMPARE(m_pg.sql(db, userSql(seed::bob)),
             u"internal_user|[\""_s + seed::searchTeam + u"\"]|bob@example.com|"_s);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::mlTeam, seed::bob)), QString());
    // LiteLLM leaves the budget row behind.
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-ml-bob"_s)).section(u'|', 0, 0), u"50"_s);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
    // bob's other team is untouched.
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::bob)),
             u"budget-search-bob|1.1|11.1"_s);
    QJsonArray rosterAfter = rosterBefore;
    rosterAfter.removeAt(1);
    QJsonObject auditBefore = outcome.before;
    QJsonObject auditAfter = outcome.after;
    for (QJsonObject* blob : {&auditBefore, &auditAfter}) {
        blob->insert(u"team_id"_s, seed::mlTeam);
        blob->insert(u"user_id"_s, seed::bob);
    }
    auditBefore.insert(u"members_with_roles"_s, rosterBefore);
    auditAfter.insert(u"members_with_roles"_s, rosterAfter);
    checkOneAudit(m_pg, db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam, auditBefore,
                  auditAfter, seed::mlTeam, u"ML Research"_s);

    // By email, sharing the team default budget: the shared row stays for svc-nightly-batch.
    applyWrite(m_pg, db, StoreEdit::removeMember(seed::searchTeam, u"Erin@Example.ORG"_s));
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::erin)), QString());
    QCOMPARE(m_pg.sql(db, userSql(seed::erin)).section(u'|', 1, 1), u"[]"_s);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::svc)),
             u"budget-search-member-default|8.75|18.75"_s);

    // A member without a membership row.
    applyWrite(m_pg, db, StoreEdit::removeMember(seed::supportTeam, seed::svc));
    QCOMPARE(m_pg.sql(db, rosterSql(seed::supportTeam)),
             u"[{\"role\": \"admin\", \"user_id\": \"dave@example.com\", \"user_email\": "
             u"\"dave@example.com\"}]"_s);
    QCOMPARE(m_pg.sql(db, userSql(seed::svc)).section(u'|', 1, 1),
             u"[\""_s + seed::searchTeam + u"\"]"_s);
    QCOMPARE(m_pg.takeAudit(db).size(), 2);
}

void TestPgStoreMembers::membersByIdOnlyInRoster() {
    // A roster entry with no users row is found by its email (case-insensitive).
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(m_pg, db,
                u"UPDATE \"LiteLLM_TeamTable\" SET members_with_roles = members_with_roles || "
                u"'[{\"role\": \"user\", \"user_id\": \"ghost-1\", \"user_email\": "
                u"\"Ghost@Example.com\"}]' WHERE team_id = 'team-support-bots';"_s);
    applyWrite(
        m_pg, db,
        StoreEdit::setMemberScope(seed::supportTeam, u"ghost@example.COM"_s, {u"gpt-4o-mini"_s}));
    QCOMPARE(m_pg.sql(db, budgetOf(seed::supportTeam, u"ghost-1"_s)).section(u'|', -1),
             u"[\"gpt-4o-mini\"]"_s);
    applyWrite(m_pg, db, StoreEdit::removeMember(seed::supportTeam, u"ghost@example.com"_s));
    QCOMPARE(m_pg.sql(db, u"SELECT jsonb_array_length(members_with_roles) FROM "
                          u"\"LiteLLM_TeamTable\" WHERE team_id = 'team-support-bots';"_s),
             u"2"_s);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::supportTeam, u"ghost-1"_s)), QString());
}

QTEST_GUILESS_MAIN(TestPgStoreMembers)
#include "tst_pgstore_members.moc"
