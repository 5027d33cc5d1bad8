// PgStore writing a real LiteLLM database: every StoreEdit kind and the exact rows it leaves in
// the three membership places (members_with_roles, UserTable.teams, TeamMembership + its budget
// row), as /team/member_add|update|delete, /team/update, /team/block and /key/update would; how
// admins name teams, users and keys; the LiteLLM_AuditLog row each write adds in the same
// transaction (shapes, masking, actor); and columns newer than litescope left alone.
#include "support/PgStoreTestSupport.h"

#include <QJsonArray>
#include <QTest>
#include <QUuid>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

namespace {

const QString Actor = u"litescope-test-admin"_s;

// A budget row as psql prints it: max_budget|soft_budget|max_parallel_requests|tpm|rpm|
// model_max_budget|budget_duration|budget_reset_at|created_by|updated_by|allowed_models.
QString budgetSql(const QString& where) {
    return u"SELECT max_budget, soft_budget, max_parallel_requests, tpm_limit, rpm_limit, "
           u"model_max_budget::text, budget_duration, budget_reset_at, created_by, updated_by, "
           u"array_to_json(allowed_models) FROM \"LiteLLM_BudgetTable\" WHERE "_s +
           where + u';';
}

QString budgetById(const QString& id) {
    return budgetSql(u"budget_id = '"_s + id + u'\'');
}

QString budgetOf(const QString& team, const QString& user) {
    return budgetSql(u"budget_id = (SELECT budget_id FROM \"LiteLLM_TeamMembership\" WHERE "
                     u"team_id = '"_s +
                     team + u"' AND user_id = '"_s + user + u"')"_s);
}

// budget_id|spend|total_spend of a membership row (empty output: no row).
QString membershipSql(const QString& team, const QString& user) {
    return u"SELECT budget_id, spend, total_spend FROM \"LiteLLM_TeamMembership\" WHERE "
           u"team_id = '"_s +
           team + u"' AND user_id = '"_s + user + u"';"_s;
}

QString userSql(const QString& user) {
    return u"SELECT user_role, array_to_json(teams), user_email, array_to_json(models) FROM "
           u"\"LiteLLM_UserTable\" WHERE user_id = '"_s +
           user + u"';"_s;
}

QString rosterEntrySql(const QString& team, int index) {
    return u"SELECT (members_with_roles->"_s + QString::number(index) +
           u")::text FROM \"LiteLLM_TeamTable\" WHERE team_id = '"_s + team + u"';"_s;
}

const QString BudgetCount = u"SELECT count(*) FROM \"LiteLLM_BudgetTable\";"_s;

QJsonObject masked(QJsonObject row, const QStringList& fields) {
    for (const QString& field : fields)
        if (row.value(field).isString())
            row.insert(field, u"*****"_s);
    return row;
}

} // namespace

class TestPgStoreWrite : public QObject {
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

    void addMemberCreatesUser();
    void addMemberExistingUserGetsTeamOnce();
    void addMemberScopeFromExplicitModels();
    void addMemberScopeFromDefaultMemberModels();
    void addMemberWithoutScopeHasNoMembershipRow();
    void addMemberClonesTeamDefaultBudget();
    void addMemberCloneReportsTheClonedScope();

    void removeMemberFromAllThreePlaces();

    void setTeamModels();
    void setDefaultMemberModels();
    void setTeamAlias();
    void setTeamBlocked();
    void setKeyModels_data();
    void setKeyModels();

    void membersByIdOnlyInRoster();
    void writesKeepColumnsTheyDoNotKnow();

private:
    // Applies `edit` with a fresh store on `db` and checks it succeeded; the outcome in *outcome.
    void apply(const QString& db, const StoreEdit& edit, EditOutcome* outcome = nullptr);
    // The one audit row written since the last call, with LiteLLM's team/key edit shape. teamAlias:
    // the expected object_team_alias (nullopt: not checked).
    void checkOneAudit(const QString& db, const QString& action, const QString& table,
                       const QString& objectId, const QJsonObject& before, const QJsonObject& after,
                       const QString& teamId, const std::optional<QString>& teamAlias);

    PgStoreFixture m_pg;
};

void TestPgStoreWrite::initTestCase() {
    QString error;
    QVERIFY2(m_pg.start(&error), qPrintable(error));
}

void TestPgStoreWrite::cleanupTestCase() {
    m_pg.stop();
}

void TestPgStoreWrite::apply(const QString& db, const StoreEdit& edit, EditOutcome* outcome) {
    auto store = m_pg.store(db, false, Actor);
    const Result<EditOutcome> result = awaitTask(store->apply(edit));
    PGS_VERIFY_OK(result);
    QVERIFY(result->auditLogged);
    if (outcome)
        *outcome = *result;
}

void TestPgStoreWrite::checkOneAudit(const QString& db, const QString& action, const QString& table,
                                     const QString& objectId, const QJsonObject& before,
                                     const QJsonObject& after, const QString& teamId,
                                     const std::optional<QString>& teamAlias) {
    const QList<QJsonObject> rows = m_pg.takeAudit(db);
    QCOMPARE(rows.size(), 1);
    const QJsonObject row = rows[0];
    QCOMPARE(row.value(u"action"_s).toString(), action);
    QCOMPARE(row.value(u"table_name"_s).toString(), table);
    QCOMPARE(row.value(u"object_id"_s).toString(), objectId);
    QCOMPARE(row.value(u"changed_by"_s).toString(), Actor);
    QCOMPARE(row.value(u"changed_by_api_key"_s).toString(), QString());
    QVERIFY(!QUuid::fromString(row.value(u"id"_s).toString()).isNull());
    QCOMPARE(row.value(u"before_value"_s).toObject(), before);
    QCOMPARE(row.value(u"updated_values"_s).toObject(), after);
    // The newer columns LiteLLM stamps at write time, when the table has them.
    if (teamId.isEmpty())
        QVERIFY(row.value(u"object_team_id"_s).isNull());
    else
        QCOMPARE(row.value(u"object_team_id"_s).toString(), teamId);
    if (teamAlias)
        QCOMPARE(row.value(u"object_team_alias"_s).toString(), *teamAlias);
    const QString recent =
        m_pg.sql(db, u"SELECT timestamp '"_s + row.value(u"updated_at"_s).toString() +
                         u"' > timezone('UTC', now()) - interval '5 minutes';"_s);
    QCOMPARE(recent, u"t"_s);
}

// Members ---------------------------------------------------------------------------------------

void TestPgStoreWrite::setMemberScopeUpdatesPrivateBudgetInPlace() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString before = m_pg.sql(db, budgetById(u"budget-ml-bob"_s));
    QCOMPARE(before, u"50|||||{\"gpt-4o\": {\"time_period\": \"1d\", \"budget_limit\": 20.0}}|1d|"
                     u"2026-04-28 00:00:00|"_s +
                         seed::alice + u'|' + seed::alice + u"|[\"gpt-4o\"]"_s);

    // By team alias and by email, in another case than stored.
    EditOutcome outcome;
    apply(db,
          StoreEdit::setMemberScope(u"ML Research"_s, u"BOB@Example.com"_s,
                                    {u"gpt-4o"_s, u"claude-3-5-sonnet"_s}),
          &outcome);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::mlTeam, seed::bob)), u"budget-ml-bob|12.5|22.5"_s);
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-ml-bob"_s)),
             u"50|||||{\"gpt-4o\": {\"time_period\": \"1d\", \"budget_limit\": 20.0}}|1d|"
             u"2026-04-28 00:00:00|"_s +
                 seed::alice + u'|' + Actor + u"|[\"gpt-4o\",\"claude-3-5-sonnet\"]"_s);
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
    checkOneAudit(db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam,
                  {{u"allowed_models"_s, QJsonArray{u"gpt-4o"_s}},
                   {u"team_id"_s, seed::mlTeam},
                   {u"user_id"_s, seed::bob}},
                  {{u"allowed_models"_s, QJsonArray{u"gpt-4o"_s, u"claude-3-5-sonnet"_s}},
                   {u"team_id"_s, seed::mlTeam},
                   {u"user_id"_s, seed::bob}},
                  seed::mlTeam, u"ML Research"_s);
}

void TestPgStoreWrite::setMemberScopeCreatesBudgetAndMembership() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    // alice is an ML Research admin without a membership row.
    QCOMPARE(m_pg.sql(db, membershipSql(seed::mlTeam, seed::alice)), QString());
    apply(db, StoreEdit::setMemberScope(seed::mlTeam, seed::alice, {u"claude-3-5-sonnet"_s}));
    const QStringList row = m_pg.sql(db, membershipSql(seed::mlTeam, seed::alice)).split(u'|');
    QCOMPARE(row.size(), 3);
    QVERIFY2(!QUuid::fromString(row[0]).isNull(), qPrintable(row[0]));
    QCOMPARE(row[1], u"0"_s);
    QCOMPARE(row[2], u"0"_s);
    QCOMPARE(m_pg.sql(db, budgetById(row[0])),
             u"||||||||"_s + Actor + u'|' + Actor + u"|[\"claude-3-5-sonnet\"]"_s);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"8"_s);
    m_pg.takeAudit(db);

    // dave's Support Bots row lost its budget (budget_id NULL): a new one is attached, the row's
    // spend stays.
    apply(db, StoreEdit::setMemberScope(u"Support Bots"_s, seed::dave, {u"gpt-4o-mini"_s}));
    const QStringList dave = m_pg.sql(db, membershipSql(seed::supportTeam, seed::dave)).split(u'|');
    QCOMPARE(dave.size(), 3);
    QVERIFY(!QUuid::fromString(dave[0]).isNull());
    QCOMPARE(dave[1], u"0.4"_s);
    QCOMPARE(m_pg.sql(db, budgetById(dave[0])),
             u"||||||||"_s + Actor + u'|' + Actor + u"|[\"gpt-4o-mini\"]"_s);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"9"_s);

    auto store = m_pg.store(db);
    const Result<QList<TeamMember>> members = awaitTask(store->members(seed::supportTeam));
    PGS_VERIFY_OK(members);
    QCOMPARE(memberLine(members->at(0)), u"dave@example.com|dave@example.com|admin|row|"_s +
                                             dave[0] + u"|gpt-4o-mini|-|-|-|0.4"_s);
}

void TestPgStoreWrite::setMemberScopeCopiesSharedBudget() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString defaultBefore =
        m_pg.sql(db, u"SELECT row_to_json(b)::text FROM \"LiteLLM_BudgetTable\" b WHERE "
                     u"budget_id = 'budget-search-member-default';"_s);
    const QString metadataBefore =
        m_pg.sql(db, u"SELECT metadata::text FROM \"LiteLLM_TeamTable\" WHERE team_id = '"_s +
                         seed::searchTeam + u"';"_s);

    // erin and svc-nightly-batch share the team's default member budget row: erin gets a copy.
    apply(db, StoreEdit::setMemberScope(u"Search Platform"_s, u"erin@example.org"_s,
                                        {u"text-embedding-3-small"_s}));
    const QStringList erin = m_pg.sql(db, membershipSql(seed::searchTeam, seed::erin)).split(u'|');
    QCOMPARE(erin.size(), 3);
    QVERIFY(erin[0] != u"budget-search-member-default"_s);
    QVERIFY(!QUuid::fromString(erin[0]).isNull());
    QCOMPARE(erin[1], u"3.2"_s);
    // The copy keeps every limit of the shared row; only allowed_models and the authorship change.
    QCOMPARE(m_pg.sql(db, budgetById(erin[0])), u"25||||60||7d|2026-04-30 00:00:00|"_s + Actor +
                                                    u'|' + Actor +
                                                    u"|[\"text-embedding-3-small\"]"_s);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::svc)),
             u"budget-search-member-default|8.75|18.75"_s);
    QCOMPARE(m_pg.sql(db, u"SELECT row_to_json(b)::text FROM \"LiteLLM_BudgetTable\" b WHERE "
                          u"budget_id = 'budget-search-member-default';"_s),
             defaultBefore);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"8"_s);

    // svc-nightly-batch's row is still shared with the team default: a copy again, with [].
    apply(db, StoreEdit::setMemberScope(seed::searchTeam, seed::svc, {}));
    const QString svcBudget =
        m_pg.sql(db, membershipSql(seed::searchTeam, seed::svc)).section(u'|', 0, 0);
    QVERIFY(svcBudget != u"budget-search-member-default"_s);
    QCOMPARE(m_pg.sql(db, budgetById(svcBudget)),
             u"25||||60||7d|2026-04-30 00:00:00|"_s + Actor + u'|' + Actor + u"|[]"_s);
    QCOMPARE(m_pg.sql(db, u"SELECT row_to_json(b)::text FROM \"LiteLLM_BudgetTable\" b WHERE "
                          u"budget_id = 'budget-search-member-default';"_s),
             defaultBefore);
    QCOMPARE(m_pg.sql(db, u"SELECT metadata::text FROM \"LiteLLM_TeamTable\" WHERE team_id = '"_s +
                              seed::searchTeam + u"';"_s),
             metadataBefore);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"9"_s);

    // erin's copy is hers alone now: changed in place.
    apply(db, StoreEdit::setMemberScope(seed::searchTeam, seed::erin, {u"gpt-4o-mini"_s}));
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::erin)).section(u'|', 0, 0),
             erin[0]);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"9"_s);
    QCOMPARE(m_pg.takeAudit(db).size(), 3);
}

void TestPgStoreWrite::setMemberScopeEmptyMeansAllTeamModels() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    apply(db, StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {}));
    // [] is stored as an empty array (not NULL), as /team/member_update does.
    QCOMPARE(m_pg.sql(db, u"SELECT allowed_models = '{}' FROM \"LiteLLM_BudgetTable\" WHERE "
                          u"budget_id = 'budget-ml-bob';"_s),
             u"t"_s);
    auto store = m_pg.store(db);
    const Result<QList<TeamMember>> members = awaitTask(store->members(seed::mlTeam));
    PGS_VERIFY_OK(members);
    QVERIFY(members->at(1).allowedModels.isEmpty());
    QCOMPARE(members->at(1).budgetId, std::optional<QString>(u"budget-ml-bob"_s));

    // A member without a row already has all team models: no rows are created for [].
    const Result<EditOutcome> none =
        awaitTask(store->apply(StoreEdit::setMemberScope(seed::searchTeam, seed::alice, {})));
    PGS_VERIFY_OK(none);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::alice)), QString());
    QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
}

void TestPgStoreWrite::setMemberScopeCopiesBudgetOfOtherTables_data() {
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

void TestPgStoreWrite::setMemberScopeCopiesBudgetOfOtherTables() {
    // bob's ML Research budget row is also an end user's / a tag's budget: editing his scope must
    // not change theirs.
    QFETCH(QString, ddl);
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(m_pg, db, ddl);
    apply(db, StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {u"claude-3-5-sonnet"_s}));
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-ml-bob"_s)).section(u'|', -1), u"[\"gpt-4o\"]"_s);
    QVERIFY(m_pg.sql(db, membershipSql(seed::mlTeam, seed::bob)).section(u'|', 0, 0) !=
            u"budget-ml-bob"_s);
    QCOMPARE(m_pg.sql(db, budgetOf(seed::mlTeam, seed::bob)).section(u'|', -1),
             u"[\"claude-3-5-sonnet\"]"_s);
}

void TestPgStoreWrite::updateMemberChangesOnlyGivenLimits() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString mmb = u"{\"gpt-4o\": {\"time_period\": \"1d\", \"budget_limit\": 20.0}}"_s;
    StoreEdit tpm = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    tpm.tpmLimit = std::optional<qint64>(2000000);
    EditOutcome outcome;
    apply(db, tpm, &outcome);
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-ml-bob"_s)),
             u"50|||2000000||"_s + mmb + u"|1d|2026-04-28 00:00:00|"_s + seed::alice + u'|' +
                 Actor + u"|[\"gpt-4o\"]"_s);
    QCOMPARE(outcome.before, (QJsonObject{{u"tpm_limit"_s, QJsonValue::Null}}));
    QCOMPARE(outcome.after, (QJsonObject{{u"tpm_limit"_s, 2000000}}));
    checkOneAudit(
        db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam,
        {{u"tpm_limit"_s, QJsonValue::Null},
         {u"team_id"_s, seed::mlTeam},
         {u"user_id"_s, seed::bob}},
        {{u"tpm_limit"_s, 2000000}, {u"team_id"_s, seed::mlTeam}, {u"user_id"_s, seed::bob}},
        seed::mlTeam, u"ML Research"_s);

    // "none" clears a limit; the others stay.
    StoreEdit clear = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    clear.maxBudget.emplace(std::nullopt);
    apply(db, clear, &outcome);
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-ml-bob"_s)),
             u"|||2000000||"_s + mmb + u"|1d|2026-04-28 00:00:00|"_s + seed::alice + u'|' + Actor +
                 u"|[\"gpt-4o\"]"_s);
    QCOMPARE(outcome.before, (QJsonObject{{u"max_budget"_s, 50}}));
    QCOMPARE(outcome.after, (QJsonObject{{u"max_budget"_s, QJsonValue::Null}}));

    // Several at once.
    StoreEdit both = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    both.maxBudget = std::optional<double>(12.5);
    both.rpmLimit = std::optional<qint64>(30);
    apply(db, both, &outcome);
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-ml-bob"_s)),
             u"12.5|||2000000|30|"_s + mmb + u"|1d|2026-04-28 00:00:00|"_s + seed::alice + u'|' +
                 Actor + u"|[\"gpt-4o\"]"_s);
    QCOMPARE(outcome.after, (QJsonObject{{u"max_budget"_s, 12.5}, {u"rpm_limit"_s, 30}}));
    QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
    QCOMPARE(m_pg.takeAudit(db).size(), 2);
    // The roster is not touched by limit changes.
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::mlTeam, 1)),
             u"{\"role\": \"user\", \"user_id\": \""_s + seed::bob +
                 u"\", \"user_email\": \"bob@example.com\"}"_s);
}

void TestPgStoreWrite::updateMemberRoleKeepsOtherRosterEntries() {
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
    apply(db, role, &outcome);
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
    checkOneAudit(
        db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam,
        {{u"role"_s, u"admin"_s}, {u"team_id"_s, seed::mlTeam}, {u"user_id"_s, seed::alice}},
        {{u"role"_s, u"user"_s}, {u"team_id"_s, seed::mlTeam}, {u"user_id"_s, seed::alice}},
        seed::mlTeam, u"ML Research"_s);
}

void TestPgStoreWrite::updateMemberCopiesSharedBudget() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString defaultBefore = m_pg.sql(db, budgetById(u"budget-search-member-default"_s));
    StoreEdit edit = StoreEdit::updateMember(seed::searchTeam, seed::svc);
    edit.tpmLimit = std::optional<qint64>(1000);
    apply(db, edit);
    const QString copy =
        m_pg.sql(db, membershipSql(seed::searchTeam, seed::svc)).section(u'|', 0, 0);
    QVERIFY(copy != u"budget-search-member-default"_s);
    QCOMPARE(m_pg.sql(db, budgetById(copy)), u"25|||1000|60||7d|2026-04-30 00:00:00|"_s + Actor +
                                                 u'|' + Actor + u"|[\"gpt-4o-mini\"]"_s);
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-search-member-default"_s)), defaultBefore);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::erin)),
             u"budget-search-member-default|3.2|13.2"_s);
}

void TestPgStoreWrite::updateMemberWithoutMembershipRow() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    StoreEdit edit = StoreEdit::updateMember(seed::searchTeam, seed::carol);
    edit.maxBudget = std::optional<double>(5);
    apply(db, edit);
    QCOMPARE(m_pg.sql(db, budgetOf(seed::searchTeam, seed::carol)),
             u"5||||||||"_s + Actor + u'|' + Actor + u"|[]"_s);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::carol)).section(u'|', 1), u"0|0"_s);
}

void TestPgStoreWrite::addMemberCreatesUser() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString rosterBefore = m_pg.sql(db, rosterSql(seed::supportTeam));
    EditOutcome outcome;
    apply(db, StoreEdit::addMember(u"Support Bots"_s, u"newbie@example.net"_s), &outcome);
    QCOMPARE(m_pg.sql(db, userSql(u"newbie@example.net"_s)),
             u"internal_user|[\"team-support-bots\"]|newbie@example.net|[]"_s);
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::supportTeam, 2)),
             u"{\"role\": \"user\", \"user_id\": \"newbie@example.net\", \"user_email\": "
             u"\"newbie@example.net\"}"_s);
    // Support Bots has no default member models and no default member budget: no row.
    QCOMPARE(m_pg.sql(db, membershipSql(seed::supportTeam, u"newbie@example.net"_s)), QString());
    QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
    QCOMPARE(outcome.after.value(u"allowed_models"_s).toArray(), QJsonArray());
    QCOMPARE(outcome.after.value(u"role"_s).toString(), u"user"_s);
    const QJsonArray rosterAfter =
        QJsonDocument::fromJson(m_pg.sql(db, rosterSql(seed::supportTeam)).toUtf8()).array();
    checkOneAudit(
        db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::supportTeam,
        {{u"members_with_roles"_s, QJsonDocument::fromJson(rosterBefore.toUtf8()).array()},
         {u"team_id"_s, seed::supportTeam},
         {u"user_id"_s, u"newbie@example.net"_s}},
        {{u"members_with_roles"_s, rosterAfter},
         {u"role"_s, u"user"_s},
         {u"allowed_models"_s, QJsonArray()},
         {u"team_id"_s, seed::supportTeam},
         {u"user_id"_s, u"newbie@example.net"_s}},
        seed::supportTeam, u"Support Bots"_s);

    // A new user id without '@' and an explicit email; role admin.
    StoreEdit svc = StoreEdit::addMember(seed::supportTeam, u"svc-reports"_s);
    svc.email = u"reports@example.net"_s;
    svc.role = u"admin"_s;
    apply(db, svc);
    QCOMPARE(m_pg.sql(db, userSql(u"svc-reports"_s)),
             u"internal_user|[\"team-support-bots\"]|reports@example.net|[]"_s);
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::supportTeam, 3)),
             u"{\"role\": \"admin\", \"user_id\": \"svc-reports\", \"user_email\": "
             u"\"reports@example.net\"}"_s);
}

void TestPgStoreWrite::addMemberExistingUserGetsTeamOnce() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    apply(db, StoreEdit::addMember(seed::supportTeam, u"Alice@Example.com"_s));
    QCOMPARE(m_pg.sql(db, userSql(seed::alice)),
             u"internal_user|[\""_s + seed::mlTeam + u"\",\""_s + seed::searchTeam +
                 u"\",\"team-support-bots\"]|alice@example.com|[]"_s);
    // The roster names the user by id, with the email of the users row.
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::supportTeam, 2)),
             u"{\"role\": \"user\", \"user_id\": \""_s + seed::alice +
                 u"\", \"user_email\": \"alice@example.com\"}"_s);
    QCOMPARE(m_pg.sql(db, u"SELECT count(*) FROM \"LiteLLM_UserTable\";"_s), u"8"_s);

    // teams NULL
    apply(db, StoreEdit::addMember(seed::supportTeam, seed::grace));
    QCOMPARE(m_pg.sql(db, userSql(seed::grace)),
             u"proxy_admin_viewer|[\"team-support-bots\"]|grace@example.com|"_s);

    // teams already naming the team (out of step with the roster): not appended twice.
    PGTEST_EXEC(m_pg, db,
                u"UPDATE \"LiteLLM_UserTable\" SET teams = ARRAY['"_s + seed::searchTeam +
                    u"', 'team-support-bots'] WHERE user_id = '"_s + seed::carol + u"';"_s);
    apply(db, StoreEdit::addMember(seed::supportTeam, seed::carol));
    QCOMPARE(m_pg.sql(db, userSql(seed::carol)).section(u'|', 1, 1),
             u"[\""_s + seed::searchTeam + u"\",\"team-support-bots\"]"_s);
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::supportTeam, 4)),
             u"{\"role\": \"user\", \"user_id\": \""_s + seed::carol +
                 u"\", \"user_email\": \"Carol.Nguyen@Example.com\"}"_s);
}

void TestPgStoreWrite::addMemberScopeFromExplicitModels() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    StoreEdit edit = StoreEdit::addMember(seed::mlTeam, seed::grace);
    edit.memberModels = QStringList{u"claude-3-5-sonnet"_s, u"beta-models"_s};
    edit.role = u"admin"_s;
    EditOutcome outcome;
    apply(db, edit, &outcome);
    QCOMPARE(m_pg.sql(db, budgetOf(seed::mlTeam, seed::grace)),
             u"||||||||"_s + Actor + u'|' + Actor + u"|[\"claude-3-5-sonnet\",\"beta-models\"]"_s);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::mlTeam, seed::grace)).section(u'|', 1), u"0|0"_s);
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::mlTeam, 3)),
             u"{\"role\": \"admin\", \"user_id\": \""_s + seed::grace +
                 u"\", \"user_email\": \"grace@example.com\"}"_s);
    QCOMPARE(outcome.after.value(u"allowed_models"_s).toArray(),
             (QJsonArray{u"claude-3-5-sonnet"_s, u"beta-models"_s}));
    QCOMPARE(m_pg.sql(db, BudgetCount), u"8"_s);
}

void TestPgStoreWrite::addMemberScopeFromDefaultMemberModels() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    // ML Research: default_team_member_models {gpt-4o}, no default member budget.
    apply(db, StoreEdit::addMember(seed::mlTeam, seed::erin));
    QCOMPARE(m_pg.sql(db, budgetOf(seed::mlTeam, seed::erin)),
             u"||||||||"_s + Actor + u'|' + Actor + u"|[\"gpt-4o\"]"_s);
    // Search Platform has both; the default models win and the default budget's limits are not
    // copied (as /team/member_add).
    EditOutcome outcome;
    apply(db, StoreEdit::addMember(u"Search Platform"_s, u"dave@example.com"_s), &outcome);
    QCOMPARE(m_pg.sql(db, budgetOf(seed::searchTeam, seed::dave)),
             u"||||||||"_s + Actor + u'|' + Actor +
                 u"|[\"gpt-4o-mini\",\"text-embedding-3-small\"]"_s);
    QCOMPARE(outcome.after.value(u"allowed_models"_s).toArray(),
             (QJsonArray{u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));
    QCOMPARE(m_pg.sql(db, userSql(seed::dave)).section(u'|', 1, 1),
             u"[\"team-ml-research\",\"team-support-bots\",\""_s + seed::searchTeam + u"\"]"_s);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"9"_s);
}

void TestPgStoreWrite::addMemberWithoutScopeHasNoMembershipRow() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    // An explicit [] overrides ML Research's default member models; no budget, no row.
    StoreEdit edit = StoreEdit::addMember(seed::mlTeam, seed::grace);
    edit.memberModels = QStringList{};
    apply(db, edit);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::mlTeam, seed::grace)), QString());
    QCOMPARE(m_pg.sql(db, userSql(seed::grace)).section(u'|', 1, 1), u"[\"team-ml-research\"]"_s);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
    auto store = m_pg.store(db);
    const Result<QList<TeamMember>> members = awaitTask(store->members(seed::mlTeam));
    PGS_VERIFY_OK(members);
    QCOMPARE(memberLine(members->at(3)),
             seed::grace + u"|grace@example.com|user|no row|-||-|-|-|0"_s);
}

void TestPgStoreWrite::addMemberClonesTeamDefaultBudget() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    // Without default member models, a new Search Platform member gets a copy of the team's
    // default member budget (metadata.team_member_budget_id), allowed_models included.
    PGTEST_EXEC(
        m_pg, db,
        u"UPDATE \"LiteLLM_TeamTable\" SET default_team_member_models = '{}' WHERE team_id = '"_s +
            seed::searchTeam + u"';"_s);
    const QString defaultBefore = m_pg.sql(db, budgetById(u"budget-search-member-default"_s));
    apply(db, StoreEdit::addMember(seed::searchTeam, seed::dave));
    const QString budget =
        m_pg.sql(db, membershipSql(seed::searchTeam, seed::dave)).section(u'|', 0, 0);
    QVERIFY(!QUuid::fromString(budget).isNull());
    // The fields /team/member_add clones: max_budget, soft_budget, tpm/rpm, model_max_budget,
    // budget_duration, allowed_models. (budget_reset_at is not among them; litescope copies it too,
    // which only moves the first reset of the new row.)
    QCOMPARE(
        m_pg.sql(db, u"SELECT max_budget, soft_budget, tpm_limit, rpm_limit, "
                     u"model_max_budget::text, budget_duration, array_to_json(allowed_models), "
                     u"created_by FROM \"LiteLLM_BudgetTable\" WHERE budget_id = '"_s +
                         budget + u"';"_s),
        u"25|||60||7d|[\"gpt-4o-mini\"]|"_s + Actor);
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-search-member-default"_s)), defaultBefore);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"8"_s);
}

void TestPgStoreWrite::addMemberCloneReportsTheClonedScope() {
    // What the outcome (summary, undo stack) and the audit row say the new member may use must be
    // what the cloned budget row holds.
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(
        m_pg, db,
        u"UPDATE \"LiteLLM_TeamTable\" SET default_team_member_models = '{}' WHERE team_id = '"_s +
            seed::searchTeam + u"';"_s);
    EditOutcome outcome;
    apply(db, StoreEdit::addMember(seed::searchTeam, seed::dave), &outcome);
    QCOMPARE(m_pg.sql(db, budgetOf(seed::searchTeam, seed::dave)).section(u'|', -1),
             u"[\"gpt-4o-mini\"]"_s);
    const QList<QJsonObject> audit = m_pg.takeAudit(db);
    QCOMPARE(audit.size(), 1);
    QCOMPARE(audit[0].value(u"updated_values"_s).toObject().value(u"allowed_models"_s).toArray(),
             QJsonArray{u"gpt-4o-mini"_s});
    QVERIFY2(!outcome.summary.contains(u"all team models"_s), qPrintable(outcome.summary));
    QCOMPARE(outcome.after.value(u"allowed_models"_s).toArray(), QJsonArray{u"gpt-4o-mini"_s});
}

void TestPgStoreWrite::removeMemberFromAllThreePlaces() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString aliceEntry = m_pg.sql(db, rosterEntrySql(seed::mlTeam, 0));
    const QString daveEntry = m_pg.sql(db, rosterEntrySql(seed::mlTeam, 2));
    const QJsonArray rosterBefore =
        QJsonDocument::fromJson(m_pg.sql(db, rosterSql(seed::mlTeam)).toUtf8()).array();
    EditOutcome outcome;
    apply(db, StoreEdit::removeMember(u"ML Research"_s, seed::bob), &outcome);
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
    checkOneAudit(db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam,
                  {{u"members_with_roles"_s, rosterBefore},
                   {u"team_id"_s, seed::mlTeam},
                   {u"user_id"_s, seed::bob}},
                  {{u"members_with_roles"_s, rosterAfter},
                   {u"team_id"_s, seed::mlTeam},
                   {u"user_id"_s, seed::bob}},
                  seed::mlTeam, u"ML Research"_s);

    // By email, sharing the team default budget: the shared row stays for svc-nightly-batch.
    apply(db, StoreEdit::removeMember(seed::searchTeam, u"Erin@Example.ORG"_s));
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::erin)), QString());
    QCOMPARE(m_pg.sql(db, userSql(seed::erin)).section(u'|', 1, 1), u"[]"_s);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::searchTeam, seed::svc)),
             u"budget-search-member-default|8.75|18.75"_s);

    // A member without a membership row.
    apply(db, StoreEdit::removeMember(seed::supportTeam, seed::svc));
    QCOMPARE(m_pg.sql(db, rosterSql(seed::supportTeam)),
             u"[{\"role\": \"admin\", \"user_id\": \"dave@example.com\", \"user_email\": "
             u"\"dave@example.com\"}]"_s);
    QCOMPARE(m_pg.sql(db, userSql(seed::svc)).section(u'|', 1, 1),
             u"[\""_s + seed::searchTeam + u"\"]"_s);
    QCOMPARE(m_pg.takeAudit(db).size(), 2);
}

// Teams and keys ----------------------------------------------------------------------------------

void TestPgStoreWrite::setTeamModels() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QJsonObject before = m_pg.teamRow(db, seed::mlTeam);
    EditOutcome outcome;
    apply(db, StoreEdit::setTeamModels(u"ML Research"_s, {u"gpt-4o"_s, u"gpt-4o-mini"_s}),
          &outcome);
    QCOMPARE(m_pg.sql(db, u"SELECT array_to_json(models), updated_at > timezone('UTC', now()) - "
                          u"interval '5 minutes' FROM \"LiteLLM_TeamTable\" WHERE team_id = "
                          u"'team-ml-research';"_s),
             u"[\"gpt-4o\",\"gpt-4o-mini\"]|t"_s);
    QCOMPARE(outcome.objectId, seed::mlTeam);
    QCOMPARE(outcome.before, (QJsonObject{{u"models"_s, before.value(u"models"_s)}}));
    QVERIFY2(outcome.summary.contains(
                 u"models [gpt-4o, claude-3-5-sonnet, beta-models] -> [gpt-4o, gpt-4o-mini]"_s),
             qPrintable(outcome.summary));
    // As /team/update: the whole row before, the changed key/values after.
    checkOneAudit(
        db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam, before,
        {{u"team_id"_s, seed::mlTeam}, {u"models"_s, QJsonArray{u"gpt-4o"_s, u"gpt-4o-mini"_s}}},
        seed::mlTeam, u"ML Research"_s);

    // NULL models (Legacy Sandbox) to a list and back to [].
    apply(db, StoreEdit::setTeamModels(seed::legacyTeam, {u"gpt-4o-mini"_s}), &outcome);
    QCOMPARE(outcome.before, (QJsonObject{{u"models"_s, QJsonValue::Null}}));
    apply(db, StoreEdit::setTeamModels(seed::legacyTeam, {}));
    QCOMPARE(m_pg.sql(db, u"SELECT models = '{}' FROM \"LiteLLM_TeamTable\" WHERE team_id = "
                          u"'team-legacy-sandbox';"_s),
             u"t"_s);
}

void TestPgStoreWrite::setDefaultMemberModels() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    QJsonObject before = m_pg.teamRow(db, seed::searchTeam);
    apply(db, StoreEdit::setDefaultMemberModels(u"Search Platform"_s, {u"search-rerank"_s}));
    QCOMPARE(m_pg.sql(db, u"SELECT array_to_json(default_team_member_models) FROM "
                          u"\"LiteLLM_TeamTable\" WHERE team_id = '"_s +
                              seed::searchTeam + u"';"_s),
             u"[\"search-rerank\"]"_s);
    // Existing members keep their scopes: only new members are seeded from the defaults.
    QCOMPARE(m_pg.sql(db, budgetById(u"budget-search-member-default"_s)).section(u'|', -1),
             u"[\"gpt-4o-mini\"]"_s);
    // Audit values whose JSON key contains "key" are masked, nested ones too, as LiteLLM does.
    QJsonObject metadata = before.value(u"metadata"_s).toObject();
    QCOMPARE(metadata.value(u"team_member_key_duration"_s).toString(), u"30d"_s);
    metadata.insert(u"team_member_key_duration"_s, u"*****"_s);
    before.insert(u"metadata"_s, metadata);
    checkOneAudit(db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::searchTeam, before,
                  {{u"team_id"_s, seed::searchTeam},
                   {u"default_team_member_models"_s, QJsonArray{u"search-rerank"_s}}},
                  seed::searchTeam, u"Search Platform"_s);
}

void TestPgStoreWrite::setTeamAlias() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QJsonObject before = m_pg.teamRow(db, seed::supportTeam);
    apply(db, StoreEdit::setTeamAlias(u"Support Bots"_s, u"Support Automation"_s));
    QCOMPARE(m_pg.sql(db, u"SELECT team_alias FROM \"LiteLLM_TeamTable\" WHERE team_id = "
                          u"'team-support-bots';"_s),
             u"Support Automation"_s);
    // The audit row names the team by the alias it had.
    checkOneAudit(db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::supportTeam, before,
                  {{u"team_id"_s, seed::supportTeam}, {u"team_alias"_s, u"Support Automation"_s}},
                  seed::supportTeam, u"Support Bots"_s);
    // The new alias names the team from now on; "" clears it (NULL).
    apply(db, StoreEdit::setTeamAlias(u"Support Automation"_s, QString()));
    QCOMPARE(m_pg.sql(db, u"SELECT team_alias IS NULL FROM \"LiteLLM_TeamTable\" WHERE team_id = "
                          u"'team-support-bots';"_s),
             u"t"_s);
}

void TestPgStoreWrite::setTeamBlocked() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    QJsonObject before = m_pg.teamRow(db, seed::mlTeam);
    apply(db, StoreEdit::setTeamBlocked(seed::mlTeam, true));
    QCOMPARE(m_pg.sql(db, u"SELECT blocked FROM \"LiteLLM_TeamTable\" WHERE team_id = "
                          u"'team-ml-research';"_s),
             u"t"_s);
    checkOneAudit(db, u"blocked"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam, before,
                  {{u"team_id"_s, seed::mlTeam}, {u"blocked"_s, true}}, seed::mlTeam,
                  u"ML Research"_s);
    before = m_pg.teamRow(db, seed::legacyTeam);
    apply(db, StoreEdit::setTeamBlocked(u"Legacy Sandbox"_s, false));
    QCOMPARE(m_pg.sql(db, u"SELECT blocked FROM \"LiteLLM_TeamTable\" WHERE team_id = "
                          u"'team-legacy-sandbox';"_s),
             u"f"_s);
    checkOneAudit(db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::legacyTeam, before,
                  {{u"team_id"_s, seed::legacyTeam}, {u"blocked"_s, false}}, seed::legacyTeam,
                  u"Legacy Sandbox"_s);
}

void TestPgStoreWrite::setKeyModels_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("team");
    QTest::newRow("token") << seed::bobNotebookKey << seed::bobNotebookKey << seed::mlTeam;
    QTest::newRow("alias") << u"bob-notebook"_s << seed::bobNotebookKey << seed::mlTeam;
    QTest::newRow("raw key") << u"sk-seed-ml-bob-notebook-Zp3m"_s << seed::bobNotebookKey
                             << seed::mlTeam;
    QTest::newRow("models NULL") << u"erin-dev"_s << seed::erinDevKey << seed::searchTeam;
    QTest::newRow("personal, no alias")
        << seed::davePersonalRawKey << seed::davePersonalKey << QString();
}

void TestPgStoreWrite::setKeyModels() {
    QFETCH(QString, key);
    QFETCH(QString, token);
    QFETCH(QString, team);
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QJsonObject before = m_pg.keyRow(db, token);
    EditOutcome outcome;
    apply(db, StoreEdit::setKeyModels(key, {u"gpt-4o-mini"_s, u"all-team-models"_s}), &outcome);
    QCOMPARE(m_pg.sql(db, u"SELECT array_to_json(models), updated_by, updated_at > "
                          u"timezone('UTC', now()) - interval '5 minutes' FROM "
                          u"\"LiteLLM_VerificationToken\" WHERE token = '"_s +
                              token + u"';"_s),
             u"[\"gpt-4o-mini\",\"all-team-models\"]|"_s + Actor + u"|t"_s);
    QCOMPARE(outcome.objectId, token);
    QCOMPARE(outcome.before, (QJsonObject{{u"models"_s, before.value(u"models"_s)}}));
    QVERIFY(!outcome.summary.contains(u"sk-seed"_s));
    // The key row before with every "*key*" value masked; the changed values after.
    checkOneAudit(db, u"updated"_s, u"LiteLLM_VerificationToken"_s, token,
                  masked(before, {u"key_name"_s, u"key_alias"_s}),
                  {{u"models"_s, QJsonArray{u"gpt-4o-mini"_s, u"all-team-models"_s}}}, team,
                  std::nullopt);
    // No other key changed.
    QCOMPARE(m_pg.sql(db, u"SELECT count(*) FROM \"LiteLLM_VerificationToken\" WHERE updated_by "
                          u"= '"_s +
                              Actor + u"';"_s),
             u"1"_s);
}

void TestPgStoreWrite::membersByIdOnlyInRoster() {
    // A roster entry with no users row is found by its email (case-insensitive).
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(m_pg, db,
                u"UPDATE \"LiteLLM_TeamTable\" SET members_with_roles = members_with_roles || "
                u"'[{\"role\": \"user\", \"user_id\": \"ghost-1\", \"user_email\": "
                u"\"Ghost@Example.com\"}]' WHERE team_id = 'team-support-bots';"_s);
    apply(db,
          StoreEdit::setMemberScope(seed::supportTeam, u"ghost@example.COM"_s, {u"gpt-4o-mini"_s}));
    QCOMPARE(m_pg.sql(db, budgetOf(seed::supportTeam, u"ghost-1"_s)).section(u'|', -1),
             u"[\"gpt-4o-mini\"]"_s);
    apply(db, StoreEdit::removeMember(seed::supportTeam, u"ghost@example.com"_s));
    QCOMPARE(m_pg.sql(db, u"SELECT jsonb_array_length(members_with_roles) FROM "
                          u"\"LiteLLM_TeamTable\" WHERE team_id = 'team-support-bots';"_s),
             u"2"_s);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::supportTeam, u"ghost-1"_s)), QString());
}

void TestPgStoreWrite::writesKeepColumnsTheyDoNotKnow() {
    // Columns newer than litescope (self_max_budget, budget_fallbacks) and v1.83.14 ones it does
    // not edit (total_spend, budget_limits) keep their values through every write.
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(
        m_pg, db,
        u"UPDATE \"LiteLLM_TeamMembership\" SET self_max_budget = 7.5;"
        u"UPDATE \"LiteLLM_VerificationToken\" SET budget_fallbacks = "
        u"'{\"gpt-4o\": [\"gpt-4o-mini\"]}', budget_limits = '[{\"budget_duration\": \"1d\"}]';"_s);
    const QString teamLimits =
        m_pg.sql(db, u"SELECT budget_limits::text FROM \"LiteLLM_TeamTable\" WHERE team_id = "
                     u"'team-ml-research';"_s);
    QVERIFY(!teamLimits.isEmpty());

    apply(db, StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {u"claude-3-5-sonnet"_s}));
    apply(db, StoreEdit::setMemberScope(seed::searchTeam, seed::erin, {u"search-rerank"_s}));
    StoreEdit update = StoreEdit::updateMember(seed::searchTeam, seed::svc);
    update.rpmLimit = std::optional<qint64>(5);
    update.role = u"admin"_s;
    apply(db, update);
    apply(db, StoreEdit::setTeamModels(seed::mlTeam, {u"gpt-4o"_s}));
    apply(db, StoreEdit::setTeamBlocked(seed::mlTeam, true));
    apply(db, StoreEdit::setKeyModels(u"bob-notebook"_s, {u"gpt-4o"_s}));

    QCOMPARE(m_pg.sql(db, u"SELECT string_agg(team_id || '/' || user_id || '=' || self_max_budget "
                          u"|| '/' || total_spend, ',' ORDER BY team_id, user_id) FROM "
                          u"\"LiteLLM_TeamMembership\";"_s),
             seed::searchTeam + u'/' + seed::bob + u"=7.5/11.1,"_s + seed::searchTeam +
                 u"/erin@example.org=7.5/13.2,"_s + seed::searchTeam +
                 u"/svc-nightly-batch=7.5/18.75,team-ml-research/"_s + seed::bob +
                 u"=7.5/22.5,team-ml-research/dave@example.com=7.5/10,"
                 u"team-support-bots/dave@example.com=7.5/10.4"_s);
    QCOMPARE(m_pg.sql(db, u"SELECT budget_fallbacks::text, budget_limits::text FROM "
                          u"\"LiteLLM_VerificationToken\" WHERE key_alias = 'bob-notebook';"_s),
             u"{\"gpt-4o\": [\"gpt-4o-mini\"]}|[{\"budget_duration\": \"1d\"}]"_s);
    QCOMPARE(m_pg.sql(db, u"SELECT budget_limits::text FROM \"LiteLLM_TeamTable\" WHERE team_id = "
                          u"'team-ml-research';"_s),
             teamLimits);
}

QTEST_GUILESS_MAIN(TestPgStoreWrite)
#include "tst_pgstore_write.moc"
