// The fake LiteLLM proxy is the release it says it is: before 1.103.0 /team/member_update ignores
// null and the /management/v1 bulk member routes do not exist (404 Not Found, like a missing
// route); from 1.103.0 member_update is a merge-patch that unlinks a member left with no limit
// (the budget row kept), and bulk_update / bulk_delete answer in LiteLLM's shapes: per-row
// results in request order, one audit row per call, 422 validation, problem documents.
// Proves the fake (support/FakeLiteLLM) with a plain QNetworkAccessManager, so the admin API
// store's tests can trust it.
#include "support/FakeLiteLLMTestClient.h"

using namespace Qt::StringLiterals;
using namespace litescope::test::fakeclient;

namespace {

const QString kHannah = u"5bcc2bec-040b-484c-9b7d-60c1f3771a90"_s;
const QString kWei = u"160155e3-a847-4f6f-860b-2058b8d69eb0"_s; // a membership without a budget

QString bulkPath(const QString& route, const QString& team = kSearchTeam) {
    return u"/management/v1/teams/"_s + team + u"/members/"_s + route;
}

QJsonObject members(const QJsonArray& rows) {
    return {{u"members"_s, rows}};
}

} // namespace

class TestFakeLiteLLMReleases : public FakeLiteLLMSuite {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { loadDemo(); }
    void init() { startProxy(); }
    void cleanup() { stopProxy(); }

    void bulkRoutesOnlyFrom1103();
    void bulkUpdateAnswersPerRowInOneCall();
    void bulkUpdateValidatesLikePydantic();
    void bulkErrorsAreProblemDocuments();
    void bulkDeleteRemovesMembers();
    void memberUpdateNullIsIgnoredBefore1103();
    void memberUpdateIsAMergePatchFrom1103();
};

void TestFakeLiteLLMReleases::bulkRoutesOnlyFrom1103() {
    const QJsonObject body = members({QJsonObject{{u"user_id"_s, kBob}, {u"tpm_limit"_s, 10}}});
    for (const QString& version : {u"1.96.0"_s, u"1.102.0"_s}) {
        m_proxy->setLiteLLMVersion(version);
        for (const QString& route : {u"bulk_update"_s, u"bulk_delete"_s}) {
            const HttpAnswer missing = post(bulkPath(route), body);
            QCOMPARE(missing.status, 404);
            QCOMPARE(missing.object(), QJsonObject({{u"detail"_s, u"Not Found"_s}}));
        }
    }
    QCOMPARE(membershipOf(m_proxy->data(), kSearchTeam, kBob)->tpmLimit, std::nullopt);

    m_proxy->setLiteLLMVersion(u"1.103.0"_s);
    QCOMPARE(post(bulkPath(u"bulk_update"_s), body).status, 200);
    QCOMPARE(membershipOf(m_proxy->data(), kSearchTeam, kBob)->tpmLimit, std::optional<qint64>(10));
    // A newer release keeps the route; GET is not one of its methods.
    m_proxy->setLiteLLMVersion(u"1.104.2"_s);
    QCOMPARE(post(bulkPath(u"bulk_update"_s), body).status, 200);
    QCOMPARE(get(bulkPath(u"bulk_update"_s)).status, 405);
}

void TestFakeLiteLLMReleases::bulkUpdateAnswersPerRowInOneCall() {
    m_proxy->setLiteLLMVersion(u"1.103.0"_s);
    const QString bobBudget = *membershipOf(m_proxy->data(), kSearchTeam, kBob)->budgetId;
    const HttpAnswer answer =
        post(bulkPath(u"bulk_update"_s),
             members({QJsonObject{{u"user_id"_s, kBob}, {u"max_budget_in_team"_s, 20.5}},
                      QJsonObject{{u"user_id"_s, u"nobody"_s}, {u"tpm_limit"_s, 5}},
                      QJsonObject{{u"user_email"_s, u"hannah.lee@acme.example"_s},
                                  {u"allowed_models"_s, QJsonArray{u"gpt-4o"_s}},
                                  {u"rpm_limit"_s, 7}},
                      QJsonObject{{u"user_id"_s, kBob}, {u"tpm_limit"_s, 1}},
                      QJsonObject{{u"user_id"_s, kWei}, {u"budget_duration"_s, u"30d"_s}}}));
    QCOMPARE(answer.status, 200);
    const QJsonArray data = answer.object().value(u"data"_s).toArray();
    QCOMPARE(data.size(), 5);

    // In request order; a failed row carries only who and why.
    const QJsonObject bob = data.at(0).toObject();
    QCOMPARE(bob.value(u"success"_s), QJsonValue(true));
    QVERIFY(bob.value(u"error"_s).isNull());
    QCOMPARE(bob.value(u"user_id"_s).toString(), kBob);
    QCOMPARE(bob.value(u"user_email"_s).toString(), u"bob.martinez@acme.example"_s);
    QCOMPARE(bob.value(u"budget_id"_s).toString(), bobBudget);
    QCOMPARE(bob.value(u"max_budget"_s).toDouble(), 20.5);
    QCOMPARE(bob.value(u"max_budget_source"_s).toString(), u"member"_s);
    QCOMPARE(stringsOf(bob.value(u"allowed_models"_s)),
             (QStringList{u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));
    QCOMPARE(data.at(1).toObject(), QJsonObject({{u"user_id"_s, u"nobody"_s},
                                                 {u"user_email"_s, QJsonValue::Null},
                                                 {u"success"_s, false},
                                                 {u"error"_s, u"User not found in team"_s}}));
    const QJsonObject hannah = data.at(2).toObject();
    QCOMPARE(hannah.value(u"user_id"_s).toString(), kHannah);
    QCOMPARE(hannah.value(u"rpm_limit"_s).toInt(), 7);
    QCOMPARE(stringsOf(hannah.value(u"allowed_models"_s)), QStringList{u"gpt-4o"_s});
    QCOMPARE(data.at(3).toObject().value(u"error"_s).toString(), u"Duplicate member in request"_s);
    QCOMPARE(data.at(3).toObject().keys().size(), 4);
    const QJsonObject wei = data.at(4).toObject();
    QCOMPARE(wei.value(u"success"_s), QJsonValue(true));
    QVERIFY(wei.value(u"budget_id"_s).isString()); // a new row for a member who had none
    QCOMPARE(wei.value(u"budget_duration"_s).toString(), u"30d"_s);

    // Merge-patch per row: what was not sent is kept.
    const litescope::TeamMembership* stored = membershipOf(m_proxy->data(), kSearchTeam, kBob);
    QCOMPARE(stored->maxBudget, std::optional(20.5));
    QCOMPARE(stored->tpmLimit, std::nullopt);
    QCOMPARE(stored->allowedModels, (QStringList{u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));
    QCOMPARE(membershipOf(m_proxy->data(), kSearchTeam, kHannah)->allowedModels,
             QStringList{u"gpt-4o"_s});

    // One audit row for the call, before and after of the applied members sorted by user_id.
    QCOMPARE(m_proxy->auditLog().size(), 1);
    const QJsonObject audit = m_proxy->auditLog().front();
    QCOMPARE(audit.value(u"action"_s).toString(), u"updated"_s);
    QCOMPARE(audit.value(u"table_name"_s).toString(), u"LiteLLM_TeamTable"_s);
    QCOMPARE(audit.value(u"object_id"_s).toString(), kSearchTeam);
    const QJsonArray after =
        QJsonDocument::fromJson(audit.value(u"updated_values"_s).toString().toUtf8())
            .object()
            .value(u"team_member_budgets"_s)
            .toArray();
    QCOMPARE(after.size(), 3);
    QCOMPARE(after.at(0).toObject().value(u"user_id"_s).toString(), kBob);
    QCOMPARE(after.at(1).toObject().value(u"user_id"_s).toString(), kWei);
    QCOMPARE(after.at(2).toObject().value(u"user_id"_s).toString(), kHannah);
    QVERIFY(!after.at(0).toObject().contains(u"tpm_limit"_s)); // None fields dropped
    const QJsonArray before =
        QJsonDocument::fromJson(audit.value(u"before_value"_s).toString().toUtf8())
            .object()
            .value(u"team_member_budgets"_s)
            .toArray();
    QCOMPARE(before.size(), 3);
    QVERIFY(!before.at(0).toObject().contains(u"max_budget"_s));

    // Nobody applicable: nothing written, no audit row.
    QCOMPARE(post(bulkPath(u"bulk_update"_s),
                  members({QJsonObject{{u"user_id"_s, u"nobody"_s}, {u"tpm_limit"_s, 5}}}))
                 .status,
             200);
    QCOMPARE(m_proxy->auditLog().size(), 1);
}

void TestFakeLiteLLMReleases::bulkUpdateValidatesLikePydantic() {
    m_proxy->setLiteLLMVersion(u"1.103.0"_s);
    QJsonArray tooMany;
    for (int i = 0; i < 501; ++i)
        tooMany.append(QJsonObject{{u"user_id"_s, kBob}});
    const QList<std::pair<QJsonObject, QString>> cases = {
        {members({}), u"too_short"_s},
        {members(tooMany), u"too_long"_s},
        {QJsonObject{}, u"missing"_s},
        {QJsonObject{{u"members"_s, QJsonArray{QJsonObject{{u"user_id"_s, kBob}}}},
                     {u"team_id"_s, kSearchTeam}},
         u"extra_forbidden"_s},
        {members({QJsonObject{{u"user_id"_s, kBob}, {u"role"_s, u"admin"_s}}}),
         u"extra_forbidden"_s},
        {members({QJsonObject{{u"user_id"_s, kBob},
                              {u"user_email"_s, u"bob.martinez@acme.example"_s}}}),
         u"value_error"_s},
        {members({QJsonObject{{u"tpm_limit"_s, 5}}}), u"value_error"_s},
        {members({QJsonObject{{u"user_id"_s, kBob}, {u"tpm_limit"_s, 1.5}}}), u"int_type"_s},
    };
    for (const auto& [body, type] : cases) {
        const HttpAnswer answer = post(bulkPath(u"bulk_update"_s), body);
        QCOMPARE(answer.status, 422);
        const QJsonArray detail = answer.object().value(u"detail"_s).toArray();
        QVERIFY2(!detail.isEmpty(), answer.body.constData());
        QCOMPARE(detail.at(0).toObject().value(u"type"_s).toString(), type);
    }
    // Unknown query parameters are refused too.
    const HttpAnswer query =
        perform(*m_network, apiUrl(),
                {.method = "POST",
                 .path = bulkPath(u"bulk_update"_s),
                 .query = QUrlQuery({{u"dry_run"_s, u"1"_s}}),
                 .body = toBytes(members({QJsonObject{{u"user_id"_s, kBob}}}))});
    QCOMPARE(query.status, 422);
    QVERIFY(m_proxy->auditLog().isEmpty());
}

void TestFakeLiteLLMReleases::bulkErrorsAreProblemDocuments() {
    m_proxy->setLiteLLMVersion(u"1.103.0"_s);
    const QJsonObject body = members({QJsonObject{{u"user_id"_s, kBob}, {u"tpm_limit"_s, 10}}});
    const HttpAnswer missing = post(bulkPath(u"bulk_update"_s, u"team-gone"_s), body);
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.object().value(u"title"_s).toString(), u"Team not found"_s);
    QCOMPARE(missing.object().value(u"status"_s).toInt(), 404);
    QVERIFY(missing.object().value(u"type"_s).toString().endsWith(u"/team-not-found"_s));
    QCOMPARE(missing.object().value(u"detail"_s).toString(),
             u"Team id=team-gone does not exist in db"_s);

    const HttpAnswer viewer = post(bulkPath(u"bulk_update"_s), body, kViewerKey);
    QCOMPARE(viewer.status, 403);
    QVERIFY(viewer.object().value(u"type"_s).toString().endsWith(u"/forbidden"_s));
    QVERIFY(viewer.object().value(u"detail"_s).toString().contains(u"route='/management/v1/"_s));
    QCOMPARE(membershipOf(m_proxy->data(), kSearchTeam, kBob)->tpmLimit, std::nullopt);
}

void TestFakeLiteLLMReleases::bulkDeleteRemovesMembers() {
    m_proxy->setLiteLLMVersion(u"1.103.0"_s);
    const HttpAnswer answer = post(
        bulkPath(u"bulk_delete"_s),
        members({QJsonObject{{u"user_id"_s, kBob}},
                 QJsonObject{{u"user_email"_s, u"hannah.lee@acme.example"_s}},
                 QJsonObject{{u"user_id"_s, kBob}}, QJsonObject{{u"user_id"_s, u"nobody"_s}}}));
    QCOMPARE(answer.status, 200);
    const QJsonArray data = answer.object().value(u"data"_s).toArray();
    QCOMPARE(data.size(), 4);
    QCOMPARE(data.at(0).toObject(), QJsonObject({{u"user_id"_s, kBob},
                                                 {u"user_email"_s, u"bob.martinez@acme.example"_s},
                                                 {u"success"_s, true},
                                                 {u"error"_s, QJsonValue::Null}}));
    QCOMPARE(data.at(1).toObject().value(u"user_id"_s).toString(), kHannah);
    QCOMPARE(data.at(2).toObject().value(u"error"_s).toString(), u"Duplicate member in request"_s);
    QCOMPARE(data.at(3).toObject().value(u"error"_s).toString(), u"User not found in team"_s);
    QVERIFY(!membershipOf(m_proxy->data(), kSearchTeam, kBob));
    QVERIFY(!membershipOf(m_proxy->data(), kSearchTeam, kHannah));
    for (const litescope::TeamMemberRole& entry : m_proxy->data().teams.first().membersWithRoles)
        QVERIFY(entry.userId != kBob && entry.userId != kHannah);
    QCOMPARE(post(bulkPath(u"bulk_delete"_s),
                  members({QJsonObject{{u"user_id"_s, kBob}, {u"tpm_limit"_s, 1}}}))
                 .status,
             422);
}

void TestFakeLiteLLMReleases::memberUpdateNullIsIgnoredBefore1103() {
    m_proxy->setLiteLLMVersion(u"1.102.0"_s);
    QCOMPARE(post(u"/team/member_update"_s,
                  {{u"team_id"_s, kSearchTeam}, {u"user_id"_s, kBob}, {u"tpm_limit"_s, 100}})
                 .status,
             200);
    QCOMPARE(post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                             {u"user_id"_s, kBob},
                                             {u"tpm_limit"_s, QJsonValue::Null},
                                             {u"allowed_models"_s, QJsonValue::Null}})
                 .status,
             200);
    const litescope::TeamMembership* bob = membershipOf(m_proxy->data(), kSearchTeam, kBob);
    QCOMPARE(bob->tpmLimit, std::optional<qint64>(100));
    QCOMPARE(bob->allowedModels, (QStringList{u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));
    // [] empties the scope but the member keeps the row.
    QCOMPARE(post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                             {u"user_id"_s, kHannah},
                                             {u"allowed_models"_s, QJsonArray()}})
                 .status,
             200);
    QVERIFY(membershipOf(m_proxy->data(), kSearchTeam, kHannah)->budgetId);
    QVERIFY(m_proxy->detachedBudgets().isEmpty());
}

void TestFakeLiteLLMReleases::memberUpdateIsAMergePatchFrom1103() {
    m_proxy->setLiteLLMVersion(u"1.103.0"_s);
    QCOMPARE(post(u"/team/member_update"_s,
                  {{u"team_id"_s, kSearchTeam}, {u"user_id"_s, kBob}, {u"tpm_limit"_s, 100}})
                 .status,
             200);
    const QString budget = *membershipOf(m_proxy->data(), kSearchTeam, kBob)->budgetId;
    // null clears one limit; what is not sent stays.
    QCOMPARE(post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                             {u"user_id"_s, kBob},
                                             {u"tpm_limit"_s, QJsonValue::Null}})
                 .status,
             200);
    const litescope::TeamMembership* bob = membershipOf(m_proxy->data(), kSearchTeam, kBob);
    QCOMPARE(bob->tpmLimit, std::nullopt);
    QCOMPARE(bob->budgetId, std::optional(budget));
    QCOMPARE(bob->allowedModels, (QStringList{u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));

    // Nothing left to limit (an empty allowed_models is none): unlinked, the row kept.
    QCOMPARE(post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                             {u"user_id"_s, kBob},
                                             {u"allowed_models"_s, QJsonArray()}})
                 .status,
             200);
    bob = membershipOf(m_proxy->data(), kSearchTeam, kBob);
    QVERIFY(bob);
    QCOMPARE(bob->budgetId, std::nullopt);
    QVERIFY(bob->allowedModels.isEmpty());
    QCOMPARE(m_proxy->detachedBudgets().size(), 1);
    QCOMPARE(m_proxy->detachedBudgets().front().value(u"budget_id"_s).toString(), budget);
    const QJsonObject info =
        get(u"/team/info"_s, QUrlQuery({{u"team_id"_s, kSearchTeam}})).object();
    for (const QJsonValue& m : info.value(u"team_memberships"_s).toArray()) {
        if (m[u"user_id"_s].toString() == kBob) {
            QVERIFY(m[u"budget_id"_s].isNull());
            QVERIFY(m[u"litellm_budget_table"_s].isNull());
        }
    }

    // A member without a row gets one only for a real limit.
    QCOMPARE(post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                             {u"user_id"_s, kWei},
                                             {u"rpm_limit"_s, QJsonValue::Null}})
                 .status,
             200);
    QCOMPARE(membershipOf(m_proxy->data(), kSearchTeam, kWei)->budgetId, std::nullopt);
    QCOMPARE(post(u"/team/member_update"_s,
                  {{u"team_id"_s, kSearchTeam}, {u"user_id"_s, kWei}, {u"rpm_limit"_s, 3}})
                 .status,
             200);
    QVERIFY(membershipOf(m_proxy->data(), kSearchTeam, kWei)->budgetId);
    QCOMPARE(membershipOf(m_proxy->data(), kSearchTeam, kWei)->rpmLimit, std::optional<qint64>(3));
}

QTEST_GUILESS_MAIN(TestFakeLiteLLMReleases)
#include "tst_fakelitellm_releases.moc"
