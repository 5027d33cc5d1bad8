// PgStore writing a real LiteLLM database: adding team members (the user row, the roster entry
// and a membership row whose scope comes from explicit models, the team's default member models or
// a copy of its default member budget), team edits (models, default member models, alias, blocked)
// and key edits, as /team/member_add, /team/update, /team/block and /key/update would; how admins
// name teams, users and keys; the LiteLLM_AuditLog row each write adds in the same transaction
// (shapes, masking, actor); and columns newer than litescope left alone. Edits of existing
// members: tst_pgstore_members.
#include "support/PgStoreTestSupport.h"

#include <QJsonArray>
#include <QTest>
#include <QUuid>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

class TestPgStoreWrite : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void addMemberCreatesUser();
    void addMemberExistingUserGetsTeamOnce();
    void addMemberScopeFromExplicitModels();
    void addMemberScopeFromDefaultMemberModels();
    void addMemberWithoutScopeHasNoMembershipRow();
    void addMemberClonesTeamDefaultBudget();
    void addMemberCloneReportsTheClonedScope();

    void setTeamModels();
    void setDefaultMemberModels();
    void setTeamAlias();
    void setTeamBlocked();
    void setKeyModels_data();
    void setKeyModels();

    void writesKeepColumnsTheyDoNotKnow();

private:
    PgStoreFixture m_pg;
};

namespace {

QJsonObject masked(QJsonObject row, const QStringList& fields) {
    for (const QString& field : fields)
        if (row.value(field).isString())
            row.insert(field, u"*****"_s);
    return row;
}

} // namespace

void TestPgStoreWrite::initTestCase() {
    QString error;
    QVERIFY2(m_pg.start(&error), qPrintable(error));
}

void TestPgStoreWrite::cleanupTestCase() {
    m_pg.stop();
}

// Adding members ----------------------------------------------------------------------------------

void TestPgStoreWrite::addMemberCreatesUser() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString rosterBefore = m_pg.sql(db, rosterSql(seed::supportTeam));
    EditOutcome outcome;
    applyWrite(m_pg, db, StoreEdit::addMember(u"Support Bots"_s, u"newbie@example.net"_s),
               &outcome);
    QCOMPARE(m_pg.sql(db, userSql(u"newbie@example.net"_s)),
             u"internal_user|[\"team-support-bots\"]|newbie@example.net|[]"_s);
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::supportTeam, 2)),
             u"{\"role\": \"user\", \"user_id\": \"newbie@example.net\", \"user_email\": "
             u"\"newbie@example.net\"}"_s);
    // Support Bots has no default member models and no default member budget: no row.
    QCOMPARE(m_pg.sql(db, membershipSql(seed::supportTeam, u"newbie@example.net"_s)), QString());
    QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
    QCOMPARE(outcome.after.value(u"allowed_models"_s).toArray(), QJsonArray());
    QCOMPARE(outcome.after.value(u"member"_s)[u"role"_s].toString(), u"user"_s);
    const QJsonArray rosterAfter =
        QJsonDocument::fromJson(m_pg.sql(db, rosterSql(seed::supportTeam)).toUtf8()).array();
    checkOneAudit(
        m_pg, db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::supportTeam,
        {{u"members_with_roles"_s, QJsonDocument::fromJson(rosterBefore.toUtf8()).array()},
         {u"member"_s, QJsonValue::Null},
         {u"team_id"_s, seed::supportTeam},
         {u"user_id"_s, u"newbie@example.net"_s}},
        {{u"members_with_roles"_s, rosterAfter},
         {u"member"_s, outcome.after.value(u"member"_s)},
         {u"allowed_models"_s, QJsonArray()},
         {u"team_id"_s, seed::supportTeam},
         {u"user_id"_s, u"newbie@example.net"_s}},
        seed::supportTeam, u"Support Bots"_s);

    // A new user id without '@' and an explicit email; role admin.
    StoreEdit svc = StoreEdit::addMember(seed::supportTeam, u"svc-reports"_s);
    svc.email = u"reports@example.net"_s;
    svc.role = u"admin"_s;
    applyWrite(m_pg, db, svc);
    QCOMPARE(m_pg.sql(db, userSql(u"svc-reports"_s)),
             u"internal_user|[\"team-support-bots\"]|reports@example.net|[]"_s);
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::supportTeam, 3)),
             u"{\"role\": \"admin\", \"user_id\": \"svc-reports\", \"user_email\": "
             u"\"reports@example.net\"}"_s);
}

void TestPgStoreWrite::addMemberExistingUserGetsTeamOnce() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    applyWrite(m_pg, db, StoreEdit::addMember(seed::supportTeam, u"Alice@Example.com"_s));
    QCOMPARE(m_pg.sql(db, userSql(seed::alice)),
             u"internal_user|[\""_s + seed::mlTeam + u"\",\""_s + seed::searchTeam +
                 u"\",\"team-support-bots\"]|alice@example.com|[]"_s);
    // The roster names the user by id, with the email of the users row.
    QCOMPARE(m_pg.sql(db, rosterEntrySql(seed::supportTeam, 2)),
             u"{\"role\": \"user\", \"user_id\": \""_s + seed::alice +
                 u"\", \"user_email\": \"alice@example.com\"}"_s);
    QCOMPARE(m_pg.sql(db, u"SELECT count(*) FROM \"LiteLLM_UserTable\";"_s), u"8"_s);

    // teams NULL
    applyWrite(m_pg, db, StoreEdit::addMember(seed::supportTeam, seed::grace));
    QCOMPARE(m_pg.sql(db, userSql(seed::grace)),
             u"proxy_admin_viewer|[\"team-support-bots\"]|grace@example.com|"_s);

    // teams already naming the team (out of step with the roster): not appended twice.
    PGTEST_EXEC(m_pg, db,
                u"UPDATE \"LiteLLM_UserTable\" SET teams = ARRAY['"_s + seed::searchTeam +
                    u"', 'team-support-bots'] WHERE user_id = '"_s + seed::carol + u"';"_s);
    applyWrite(m_pg, db, StoreEdit::addMember(seed::supportTeam, seed::carol));
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
    applyWrite(m_pg, db, edit, &outcome);
    QCOMPARE(m_pg.sql(db, budgetOf(seed::mlTeam, seed::grace)),
             u"||||||||"_s + WriteActor + u'|' + WriteActor +
                 u"|[\"claude-3-5-sonnet\",\"beta-models\"]"_s);
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
    applyWrite(m_pg, db, StoreEdit::addMember(seed::mlTeam, seed::erin));
    QCOMPARE(m_pg.sql(db, budgetOf(seed::mlTeam, seed::erin)),
             u"||||||||"_s + WriteActor + u'|' + WriteActor + u"|[\"gpt-4o\"]"_s);
    // Search Platform has both; the default models win and the default budget's limits are not
    // copied (as /team/member_add).
    EditOutcome outcome;
    applyWrite(m_pg, db, StoreEdit::addMember(u"Search Platform"_s, u"dave@example.com"_s),
               &outcome);
    QCOMPARE(m_pg.sql(db, budgetOf(seed::searchTeam, seed::dave)),
             u"||||||||"_s + WriteActor + u'|' + WriteActor +
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
    applyWrite(m_pg, db, edit);
    QCOMPARE(m_pg.sql(db, membershipSql(seed::mlTeam, seed::grace)), QString());
    QCOMPARE(m_pg.sql(db, userSql(seed::grace)).section(u'|', 1, 1), u"[\"team-ml-research\"]"_s);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
    auto store = m_pg.store(db);
    const Result<QList<TeamMember>> members = awaitTask(store->members(seed::mlTeam));
    VERIFY_SUCCEEDS(members);
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
    applyWrite(m_pg, db, StoreEdit::addMember(seed::searchTeam, seed::dave));
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
        u"25|||60||7d|[\"gpt-4o-mini\"]|"_s + WriteActor);
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
    applyWrite(m_pg, db, StoreEdit::addMember(seed::searchTeam, seed::dave), &outcome);
    QCOMPARE(m_pg.sql(db, budgetOf(seed::searchTeam, seed::dave)).section(u'|', -1),
             u"[\"gpt-4o-mini\"]"_s);
    const QList<QJsonObject> audit = m_pg.takeAudit(db);
    QCOMPARE(audit.size(), 1);
    QCOMPARE(audit[0].value(u"updated_values"_s).toObject().value(u"allowed_models"_s).toArray(),
             QJsonArray{u"gpt-4o-mini"_s});
    QVERIFY2(!outcome.summary.contains(u"all team models"_s), qPrintable(outcome.summary));
    QCOMPARE(outcome.after.value(u"allowed_models"_s).toArray(), QJsonArray{u"gpt-4o-mini"_s});
}

// Teams and keys ----------------------------------------------------------------------------------

void TestPgStoreWrite::setTeamModels() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QJsonObject before = m_pg.teamRow(db, seed::mlTeam);
    EditOutcome outcome;
    applyWrite(m_pg, db,
               StoreEdit::setTeamModels(u"ML Research"_s, {u"gpt-4o"_s, u"gpt-4o-mini"_s}),
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
        m_pg, db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam, before,
        {{u"team_id"_s, seed::mlTeam}, {u"models"_s, QJsonArray{u"gpt-4o"_s, u"gpt-4o-mini"_s}}},
        seed::mlTeam, u"ML Research"_s);

    // NULL models (Legacy Sandbox) to a list and back to [].
    applyWrite(m_pg, db, StoreEdit::setTeamModels(seed::legacyTeam, {u"gpt-4o-mini"_s}), &outcome);
    // A NULL list is the empty list, in every store.
    QCOMPARE(outcome.before, (QJsonObject{{u"models"_s, QJsonArray()}}));
    applyWrite(m_pg, db, StoreEdit::setTeamModels(seed::legacyTeam, {}));
    QCOMPARE(m_pg.sql(db, u"SELECT models = '{}' FROM \"LiteLLM_TeamTable\" WHERE team_id = "
                          u"'team-legacy-sandbox';"_s),
             u"t"_s);
}

void TestPgStoreWrite::setDefaultMemberModels() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    QJsonObject before = m_pg.teamRow(db, seed::searchTeam);
    applyWrite(m_pg, db,
               StoreEdit::setDefaultMemberModels(u"Search Platform"_s, {u"search-rerank"_s}));
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
    checkOneAudit(m_pg, db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::searchTeam, before,
                  {{u"team_id"_s, seed::searchTeam},
                   {u"default_team_member_models"_s, QJsonArray{u"search-rerank"_s}}},
                  seed::searchTeam, u"Search Platform"_s);
}

void TestPgStoreWrite::setTeamAlias() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QJsonObject before = m_pg.teamRow(db, seed::supportTeam);
    applyWrite(m_pg, db, StoreEdit::setTeamAlias(u"Support Bots"_s, u"Support Automation"_s));
    QCOMPARE(m_pg.sql(db, u"SELECT team_alias FROM \"LiteLLM_TeamTable\" WHERE team_id = "
                          u"'team-support-bots';"_s),
             u"Support Automation"_s);
    // The audit row names the team by the alias it had.
    checkOneAudit(m_pg, db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::supportTeam, before,
                  {{u"team_id"_s, seed::supportTeam}, {u"team_alias"_s, u"Support Automation"_s}},
                  seed::supportTeam, u"Support Bots"_s);
    // The new alias names the team from now on; "" clears it (NULL).
    applyWrite(m_pg, db, StoreEdit::setTeamAlias(u"Support Automation"_s, QString()));
    QCOMPARE(m_pg.sql(db, u"SELECT team_alias IS NULL FROM \"LiteLLM_TeamTable\" WHERE team_id = "
                          u"'team-support-bots';"_s),
             u"t"_s);
}

void TestPgStoreWrite::setTeamBlocked() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    QJsonObject before = m_pg.teamRow(db, seed::mlTeam);
    applyWrite(m_pg, db, StoreEdit::setTeamBlocked(seed::mlTeam, true));
    QCOMPARE(m_pg.sql(db, u"SELECT blocked FROM \"LiteLLM_TeamTable\" WHERE team_id = "
                          u"'team-ml-research';"_s),
             u"t"_s);
    checkOneAudit(m_pg, db, u"blocked"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam, before,
                  {{u"team_id"_s, seed::mlTeam}, {u"blocked"_s, true}}, seed::mlTeam,
                  u"ML Research"_s);
    before = m_pg.teamRow(db, seed::legacyTeam);
    applyWrite(m_pg, db, StoreEdit::setTeamBlocked(u"Legacy Sandbox"_s, false));
    QCOMPARE(m_pg.sql(db, u"SELECT blocked FROM \"LiteLLM_TeamTable\" WHERE team_id = "
                          u"'team-legacy-sandbox';"_s),
             u"f"_s);
    checkOneAudit(m_pg, db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::legacyTeam, before,
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
    applyWrite(m_pg, db, StoreEdit::setKeyModels(key, {u"gpt-4o-mini"_s, u"all-team-models"_s}),
               &outcome);
    QCOMPARE(m_pg.sql(db, u"SELECT array_to_json(models), updated_by, updated_at > "
                          u"timezone('UTC', now()) - interval '5 minutes' FROM "
                          u"\"LiteLLM_VerificationToken\" WHERE token = '"_s +
                              token + u"';"_s),
             u"[\"gpt-4o-mini\",\"all-team-models\"]|"_s + WriteActor + u"|t"_s);
    QCOMPARE(outcome.objectId, token);
    QCOMPARE(outcome.before, (QJsonObject{{u"models"_s, before.value(u"models"_s).isNull()
                                                            ? QJsonValue(QJsonArray())
                                                            : before.value(u"models"_s)}}));
    QVERIFY(!outcome.summary.contains(u"sk-seed"_s));
    // The key row before with every "*key*" value masked; the changed values after.
    checkOneAudit(m_pg, db, u"updated"_s, u"LiteLLM_VerificationToken"_s, token,
                  masked(before, {u"key_name"_s, u"key_alias"_s}),
                  {{u"models"_s, QJsonArray{u"gpt-4o-mini"_s, u"all-team-models"_s}}}, team,
                  std::nullopt);
    // No other key changed.
    QCOMPARE(m_pg.sql(db, u"SELECT count(*) FROM \"LiteLLM_VerificationToken\" WHERE updated_by "
                          u"= '"_s +
                              WriteActor + u"';"_s),
             u"1"_s);
}

// Columns litescope does not know -------------------------------------------------------------

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

    applyWrite(m_pg, db,
               StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {u"claude-3-5-sonnet"_s}));
    applyWrite(m_pg, db,
               StoreEdit::setMemberScope(seed::searchTeam, seed::erin, {u"search-rerank"_s}));
    StoreEdit update = StoreEdit::updateMember(seed::searchTeam, seed::svc);
    update.rpmLimit = std::optional<qint64>(5);
    update.role = u"admin"_s;
    applyWrite(m_pg, db, update);
    applyWrite(m_pg, db, StoreEdit::setTeamModels(seed::mlTeam, {u"gpt-4o"_s}));
    applyWrite(m_pg, db, StoreEdit::setTeamBlocked(seed::mlTeam, true));
    applyWrite(m_pg, db, StoreEdit::setKeyModels(u"bob-notebook"_s, {u"gpt-4o"_s}));

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
