// PgStore's member writes follow the LiteLLM release (VersionedRule::MemberBudgetUnlink, PR
// #41632, _upsert_budget_and_membership): from 1.103.0 on a scope or limits edit that would leave
// the member's budget row holding no limit unlinks the member (budget_id NULL, the row kept);
// before, the row keeps the emptied values. A row shared with the team's default or other members
// is copied before any write in every release, and unlinked from without a copy in 1.103.0. Each
// case at 1.102.0 and 1.103.0 (--litellm-version, Store::setLiteLLMVersion) and by the release
// the database's migrations show; the rows checked with SQL, one audit row per edit, and the undo.
#include "support/PgStoreTestSupport.h"

#include <QJsonArray>
#include <QTest>
#include <QUuid>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

namespace {

const LiteLLMVersion Before{1, 102, 0};
const LiteLLMVersion Unlinking{1, 103, 0};

// dave's ML Research row holds only its scope (the seed also gives it tpm and parallel limits).
const QString DaveScopeOnly = u"UPDATE \"LiteLLM_BudgetTable\" SET tpm_limit = NULL, "
                              u"max_parallel_requests = NULL WHERE budget_id = 'budget-ml-dave';"_s;
// ... or only a tpm limit.
const QString DaveTpmOnly = u"UPDATE \"LiteLLM_BudgetTable\" SET allowed_models = '{}', "
                            u"max_parallel_requests = NULL WHERE budget_id = 'budget-ml-dave';"_s;
// The Search Platform default row (erin's and svc's) holds only its scope.
const QString SharedScopeOnly =
    u"UPDATE \"LiteLLM_BudgetTable\" SET max_budget = NULL, rpm_limit = NULL, budget_duration = "
    u"NULL, budget_reset_at = NULL WHERE budget_id = 'budget-search-member-default';"_s;

QString membershipBudget(const QString& team, const QString& user) {
    return u"SELECT coalesce(budget_id, 'NULL') FROM \"LiteLLM_TeamMembership\" WHERE team_id = '"_s +
           team + u"' AND user_id = '"_s + user + u"';"_s;
}

// A budget row's limits and scope: max_budget|max_parallel_requests|tpm|rpm|updated_by|scope.
QString limitsOf(const QString& budgetId) {
    return u"SELECT max_budget, max_parallel_requests, tpm_limit, rpm_limit, updated_by, "
           u"array_to_json(allowed_models) FROM \"LiteLLM_BudgetTable\" WHERE budget_id = '"_s +
           budgetId + u"';"_s;
}

QJsonObject blob(QJsonObject fields, const QString& team, const QString& user) {
    fields.insert(u"team_id"_s, team);
    fields.insert(u"user_id"_s, user);
    return fields;
}

StoreEdit clearTpm(const QString& team, const QString& user) {
    StoreEdit edit = StoreEdit::updateMember(team, user);
    edit.tpmLimit.emplace(std::nullopt);
    return edit;
}

} // namespace

class TestPgStoreUnlink : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
    }
    void cleanupTestCase() { m_pg.stop(); }

    void emptyScopeKeepsRowBefore1103();
    void emptyScopeUnlinksFrom1103();
    void clearingTheLastLimit();
    void anotherLiteLLMLimitKeepsTheLink();
    void sharedRow();
    void followsTheDatabasesRelease();

private:
    PgStoreFixture m_pg;

    // Applies `edit` as WriteActor deciding as `version` (none: the database's release).
    void apply(const QString& db, const StoreEdit& edit, std::optional<LiteLLMVersion> version,
               EditOutcome* outcome = nullptr) {
        auto store = m_pg.store(db, false, WriteActor);
        store->setLiteLLMVersion(version);
        const Result<EditOutcome> result = awaitTask(store->apply(edit));
        VERIFY_SUCCEEDS(result);
        QVERIFY(result->auditLogged);
        if (outcome)
            *outcome = *result;
    }
};

void TestPgStoreUnlink::emptyScopeKeepsRowBefore1103() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(m_pg, db, DaveScopeOnly);
    EditOutcome outcome;
    apply(db, StoreEdit::setMemberScope(seed::mlTeam, seed::dave, {}), Before, &outcome);
    QCOMPARE(m_pg.sql(db, membershipBudget(seed::mlTeam, seed::dave)), u"budget-ml-dave"_s);
    QCOMPARE(m_pg.sql(db, limitsOf(u"budget-ml-dave"_s)), u"||||"_s + WriteActor + u"|[]"_s);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
    QVERIFY2(!outcome.summary.contains(u"unlinked"_s), qPrintable(outcome.summary));
    checkOneAudit(
        m_pg, db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam,
        blob({{u"allowed_models"_s, QJsonArray{u"beta-models"_s}}}, seed::mlTeam, seed::dave),
        blob({{u"allowed_models"_s, QJsonArray()}}, seed::mlTeam, seed::dave), seed::mlTeam,
        u"ML Research"_s);
}

void TestPgStoreUnlink::emptyScopeUnlinksFrom1103() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(m_pg, db, DaveScopeOnly);
    EditOutcome outcome;
    apply(db, StoreEdit::setMemberScope(seed::mlTeam, seed::dave, {}), Unlinking, &outcome);
    // The membership lets go of its row; the row itself stays, as it was.
    QCOMPARE(m_pg.sql(db, membershipBudget(seed::mlTeam, seed::dave)), u"NULL"_s);
    QCOMPARE(m_pg.sql(db, limitsOf(u"budget-ml-dave"_s)),
             u"||||"_s + seed::alice + u"|[\"beta-models\"]"_s);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
    QVERIFY2(outcome.summary.endsWith(u"allowed_models [beta-models] -> [] (all team models); "
                                      u"unlinked from its budget row, which would hold no limit "
                                      u"(LiteLLM 1.103.0 and later): the member falls back to the "
                                      u"team's defaults"_s),
             qPrintable(outcome.summary));
    checkOneAudit(m_pg, db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam,
                  blob({{u"allowed_models"_s, QJsonArray{u"beta-models"_s}},
                        {u"budget_id"_s, u"budget-ml-dave"_s}},
                       seed::mlTeam, seed::dave),
                  blob({{u"allowed_models"_s, QJsonArray()}, {u"budget_id"_s, QJsonValue::Null}},
                       seed::mlTeam, seed::dave),
                  seed::mlTeam, u"ML Research"_s);
    auto store = m_pg.store(db);
    const Result<QList<TeamMember>> members = awaitTask(store->members(seed::mlTeam));
    VERIFY_SUCCEEDS(members);
    QCOMPARE(memberLine(members->at(2)),
             u"dave@example.com|dave@example.com|user|row|-||-|-|-|0"_s);

    // The undo gives the scope back on a new row of the member's own; the old row stays behind.
    QCOMPARE(outcome.undo.size(), 1);
    apply(db, outcome.undo.front(), Unlinking);
    const QString budget = m_pg.sql(db, membershipBudget(seed::mlTeam, seed::dave));
    QVERIFY2(!QUuid::fromString(budget).isNull(), qPrintable(budget));
    QCOMPARE(m_pg.sql(db, limitsOf(budget)), u"||||"_s + WriteActor + u"|[\"beta-models\"]"_s);
    QCOMPARE(m_pg.sql(db, BudgetCount), u"8"_s);
    QCOMPARE(m_pg.takeAudit(db).size(), 1);
}

void TestPgStoreUnlink::clearingTheLastLimit() {
    for (const LiteLLMVersion& version : {Before, Unlinking}) {
        PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
        PGTEST_EXEC(m_pg, db, DaveTpmOnly);
        EditOutcome outcome;
        apply(db, clearTpm(u"ML Research"_s, u"dave@example.com"_s), version, &outcome);
        const bool unlinks = version == Unlinking;
        QCOMPARE(m_pg.sql(db, membershipBudget(seed::mlTeam, seed::dave)),
                 unlinks ? u"NULL"_s : u"budget-ml-dave"_s);
        QCOMPARE(m_pg.sql(db, limitsOf(u"budget-ml-dave"_s)),
                 unlinks ? u"||10000||"_s + seed::alice + u"|[]"_s
                         : u"||||"_s + WriteActor + u"|[]"_s);
        QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
        QJsonObject before{{u"tpm_limit"_s, 10000}}, after{{u"tpm_limit"_s, QJsonValue::Null}};
        if (unlinks) {
            before.insert(u"budget_id"_s, u"budget-ml-dave"_s);
            after.insert(u"budget_id"_s, QJsonValue::Null);
        }
        checkOneAudit(m_pg, db, u"updated"_s, u"LiteLLM_TeamTable"_s, seed::mlTeam,
                      blob(before, seed::mlTeam, seed::dave), blob(after, seed::mlTeam, seed::dave),
                      seed::mlTeam, u"ML Research"_s);

        // The undo sets the limit again: on the same row before 1.103.0, on a new one after.
        apply(db, outcome.undo.front(), version);
        const QString budget = m_pg.sql(db, membershipBudget(seed::mlTeam, seed::dave));
        QCOMPARE(budget != u"budget-ml-dave"_s, unlinks);
        QCOMPARE(m_pg.sql(db, limitsOf(budget)), u"||10000||"_s + WriteActor + u"|[]"_s);
    }
}

// LiteLLM counts more limits than the four litescope edits (max_parallel_requests, budget
// duration, per-model budgets…): a row still holding one keeps its member.
void TestPgStoreUnlink::anotherLiteLLMLimitKeepsTheLink() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(m_pg, db,
                u"UPDATE \"LiteLLM_BudgetTable\" SET allowed_models = '{}' WHERE budget_id = "
                u"'budget-ml-dave';"_s);
    apply(db, clearTpm(seed::mlTeam, seed::dave), Unlinking);
    QCOMPARE(m_pg.sql(db, membershipBudget(seed::mlTeam, seed::dave)), u"budget-ml-dave"_s);
    QCOMPARE(m_pg.sql(db, limitsOf(u"budget-ml-dave"_s)), u"|4|||"_s + WriteActor + u"|[]"_s);

    // bob's row keeps budget_duration and per-model budgets when its scope and max_budget go.
    StoreEdit noBudget = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    noBudget.maxBudget.emplace(std::nullopt);
    apply(db, noBudget, Unlinking);
    apply(db, StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {}), Unlinking);
    QCOMPARE(m_pg.sql(db, membershipBudget(seed::mlTeam, seed::bob)), u"budget-ml-bob"_s);
    QCOMPARE(m_pg.sql(db, limitsOf(u"budget-ml-bob"_s)), u"||||"_s + WriteActor + u"|[]"_s);
}

// erin and svc share the team's default member budget. litescope never changes it in place, in
// any release (LiteLLM before 1.103.0 did, changing every sharer's scope): before 1.103.0 erin gets
// a copy with the new scope; from 1.103.0 a copy that would hold no limit is not made, erin is
// unlinked.
void TestPgStoreUnlink::sharedRow() {
    for (const LiteLLMVersion& version : {Before, Unlinking}) {
        PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
        PGTEST_EXEC(m_pg, db, SharedScopeOnly);
        const QString shared = m_pg.sql(db, limitsOf(u"budget-search-member-default"_s));
        EditOutcome outcome;
        apply(db, StoreEdit::setMemberScope(u"Search Platform"_s, seed::erin, {}), version,
              &outcome);
        const QString erin = m_pg.sql(db, membershipBudget(seed::searchTeam, seed::erin));
        if (version == Unlinking) {
            QCOMPARE(erin, u"NULL"_s);
            QCOMPARE(m_pg.sql(db, BudgetCount), u"7"_s);
        } else {
            QVERIFY2(!QUuid::fromString(erin).isNull(), qPrintable(erin));
            QCOMPARE(m_pg.sql(db, limitsOf(erin)), u"||||"_s + WriteActor + u"|[]"_s);
            QCOMPARE(m_pg.sql(db, BudgetCount), u"8"_s);
        }
        QCOMPARE(m_pg.sql(db, limitsOf(u"budget-search-member-default"_s)), shared);
        QCOMPARE(m_pg.sql(db, membershipBudget(seed::searchTeam, seed::svc)),
                 u"budget-search-member-default"_s);
        QCOMPARE(m_pg.takeAudit(db).size(), 1);

        // Back: erin's own row with the old scope; the shared one still untouched.
        apply(db, outcome.undo.front(), version);
        const QString back = m_pg.sql(db, membershipBudget(seed::searchTeam, seed::erin));
        QVERIFY2(!QUuid::fromString(back).isNull(), qPrintable(back));
        QCOMPARE(m_pg.sql(db, limitsOf(back)), u"||||"_s + WriteActor + u"|[\"gpt-4o-mini\"]"_s);
        QCOMPARE(m_pg.sql(db, limitsOf(u"budget-search-member-default"_s)), shared);
    }
}

// Without --litellm-version the writes follow what the database's migrations show: the seed
// (1.92.0 at least, older than 1.103.0) keeps the row, the seed with 1.103.0's index unlinks.
void TestPgStoreUnlink::followsTheDatabasesRelease() {
    const QString index =
        u"CREATE TABLE \"LiteLLM_SpendLogs\" (request_id TEXT PRIMARY KEY, api_key TEXT, "
        u"\"startTime\" TIMESTAMP(3)); CREATE INDEX \"LiteLLM_SpendLogs_api_key_startTime_idx\" "
        u"ON \"LiteLLM_SpendLogs\" (api_key, \"startTime\");"_s;
    for (const bool at1103 : {false, true}) {
        PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
        PGTEST_EXEC(m_pg, db, DaveScopeOnly + (at1103 ? index : QString()));
        apply(db, StoreEdit::setMemberScope(seed::mlTeam, seed::dave, {}), std::nullopt);
        QCOMPARE(m_pg.sql(db, membershipBudget(seed::mlTeam, seed::dave)),
                 at1103 ? u"NULL"_s : u"budget-ml-dave"_s);
        QCOMPARE(m_pg.sql(db, u"SELECT array_to_json(allowed_models) FROM \"LiteLLM_BudgetTable\" "
                              u"WHERE budget_id = 'budget-ml-dave';"_s),
                 at1103 ? u"[\"beta-models\"]"_s : u"[]"_s);
        QCOMPARE(m_pg.takeAudit(db).size(), 1);
    }
}

QTEST_GUILESS_MAIN(TestPgStoreUnlink)
#include "tst_pgstore_unlink.moc"
