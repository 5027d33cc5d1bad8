// The fake LiteLLM proxy's write endpoints: only the fields sent change, LiteLLM's error
// bodies, and body validation.
// Proves the fake (support/FakeLiteLLM) with clients that are not litescope's, so the admin API
// client's tests can trust it.
#include "support/FakeLiteLLMTestClient.h"

using namespace Qt::StringLiterals;
using namespace litescope::test::fakeclient;

class TestFakeLiteLLMWrites : public FakeLiteLLMSuite {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { loadDemo(); }
    void init() { startProxy(); }
    void cleanup() { stopProxy(); }

    void memberUpdateChangesOnlyAllowedModels();
    void memberAddAndDelete();
    void teamUpdateAndBlock();
    void keyUpdate();
    void writeBodyValidation();
};

void TestFakeLiteLLMWrites::memberUpdateChangesOnlyAllowedModels() {
    // Give Bob a budget and limits first, so the scope change can be seen to leave them alone.
    HttpAnswer setup = post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                                       {u"user_id"_s, kBob},
                                                       {u"max_budget_in_team"_s, 25.5},
                                                       {u"tpm_limit"_s, 1000}});
    QCOMPARE(setup.status, 200);
    const litescope::TeamMembership* found = membershipOf(m_proxy->data(), kSearchTeam, kBob);
    QVERIFY(found);
    const litescope::TeamMembership before = *found;
    const litescope::Team teamBefore = m_proxy->data().teams.first();

    const HttpAnswer answer =
        post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                        {u"user_id"_s, kBob},
                                        {u"allowed_models"_s, QJsonArray({u"gpt-4o"_s})}});
    QCOMPARE(answer.status, 200);
    const QJsonObject reply = answer.object();
    QCOMPARE(reply.value(u"user_id"_s).toString(), kBob);
    QCOMPARE(reply.value(u"team_id"_s).toString(), kSearchTeam);
    QCOMPARE(stringsOf(reply.value(u"allowed_models"_s)), QStringList({u"gpt-4o"_s}));
    QVERIFY(reply.value(u"max_budget_in_team"_s).isNull()); // echoes the request only

    const litescope::TeamMembership* after = membershipOf(m_proxy->data(), kSearchTeam, kBob);
    QVERIFY(after);
    QCOMPARE(after->allowedModels, QStringList({u"gpt-4o"_s}));
    QCOMPARE(after->budgetId, before.budgetId);
    QVERIFY(after->extra == before.extra);
    QCOMPARE(after->maxBudget, std::optional(25.5));
    const litescope::Team& teamAfter = m_proxy->data().teams.first();
    QCOMPARE(teamAfter.models, teamBefore.models);
    QCOMPARE(teamAfter.membersWithRoles.at(1).role, teamBefore.membersWithRoles.at(1).role);

    // The read path shows it; null leaves the scope; [] clears it.
    const QJsonObject info =
        get(u"/team/info"_s, QUrlQuery({{u"team_id"_s, kSearchTeam}})).object();
    for (const QJsonValue& m : info.value(u"team_memberships"_s).toArray()) {
        if (m[u"user_id"_s].toString() == kBob) {
            QCOMPARE(stringsOf(m[u"litellm_budget_table"_s][u"allowed_models"_s]),
                     QStringList({u"gpt-4o"_s}));
            QCOMPARE(m[u"litellm_budget_table"_s][u"max_budget"_s].toDouble(), 25.5);
            QCOMPARE(m[u"litellm_budget_table"_s][u"tpm_limit"_s].toInt(), 1000);
        }
    }
    QCOMPARE(post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                             {u"user_id"_s, kBob},
                                             {u"allowed_models"_s, QJsonValue::Null}})
                 .status,
             200);
    QCOMPARE(membershipOf(m_proxy->data(), kSearchTeam, kBob)->allowedModels,
             QStringList({u"gpt-4o"_s}));
    QCOMPARE(post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                             {u"user_email"_s, u"bob.martinez@acme.example"_s},
                                             {u"allowed_models"_s, QJsonArray()}})
                 .status,
             200);
    QVERIFY(membershipOf(m_proxy->data(), kSearchTeam, kBob)->allowedModels.isEmpty());

    // A member without a budget row gets one when a scope is set.
    const QString wei = u"160155e3-a847-4f6f-860b-2058b8d69eb0"_s;
    QVERIFY(!membershipOf(m_proxy->data(), kSearchTeam, wei)->budgetId);
    QCOMPARE(post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam},
                                             {u"user_id"_s, wei},
                                             {u"role"_s, u"admin"_s},
                                             {u"allowed_models"_s, QJsonArray({u"gpt-4o"_s})}})
                 .status,
             200);
    QCOMPARE(membershipOf(m_proxy->data(), kSearchTeam, wei)->budgetId, u"budget-1"_s);

    const HttpAnswer stranger =
        post(u"/team/member_update"_s, {{u"team_id"_s, kSearchTeam}, {u"user_id"_s, u"nobody"_s}});
    QCOMPARE(stranger.status, 400);
    QCOMPARE(stranger.object().value(u"error"_s).toObject(),
             QJsonObject({{u"message"_s, u"{'error': \"User id doesn't exist in team table\"}"_s},
                          {u"type"_s, u"bad_request_error"_s},
                          {u"param"_s, u"None"_s},
                          {u"code"_s, u"400"_s}}));
}
void TestFakeLiteLLMWrites::memberAddAndDelete() {
    const HttpAnswer added = post(
        u"/team/member_add"_s,
        {{u"team_id"_s, kSearchTeam},
         {u"member"_s,
          QJsonObject({{u"user_email"_s, u"new.person@acme.example"_s}, {u"role"_s, u"user"_s}})}});
    QCOMPARE(added.status, 200);
    const QJsonObject reply = added.object();
    QCOMPARE(reply.value(u"team_id"_s).toString(), kSearchTeam);
    QCOMPARE(reply.value(u"members_count"_s).toInt(), 9);
    QCOMPARE(m_proxy->data().teams.first().membersWithRoles.size(), 9);
    QCOMPARE(m_demo.teams.first().membersWithRoles.size(), 8);
    QCOMPARE(m_proxy->data().users.size(), m_demo.users.size() + 1);
    const QString newId = reply.value(u"updated_users"_s)[0][u"user_id"_s].toString();
    QVERIFY(!newId.isEmpty());
    QCOMPARE(reply.value(u"updated_users"_s)[0][u"user_role"_s].toString(), u"internal_user"_s);
    const QJsonValue membership = reply.value(u"updated_team_memberships"_s)[0];
    QCOMPARE(membership[u"budget_id"_s].toString(), u"budget-1"_s);
    // No allowed_models given: the team's default_team_member_models.
    QCOMPARE(stringsOf(membership[u"litellm_budget_table"_s][u"allowed_models"_s]),
             QStringList({u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));

    const HttpAnswer again = post(
        u"/team/member_add"_s,
        {{u"team_id"_s, kSearchTeam},
         {u"member"_s, QJsonArray({QJsonObject({{u"user_id"_s, kBob}, {u"role"_s, u"user"_s}})})},
         {u"allowed_models"_s, QJsonArray({u"gpt-4o"_s})}});
    QCOMPARE(again.status, 400);
    QVERIFY(again.object().value(u"error"_s)[u"message"_s].toString().startsWith(
        // Python's repr() switches to double quotes: the text contains single quotes.
        u"{'error': \"User="_s + kBob + u" already in team. Existing members=['"_s));

    const HttpAnswer deleted =
        post(u"/team/member_delete"_s, {{u"team_id"_s, kSearchTeam}, {u"user_id"_s, newId}});
    QCOMPARE(deleted.status, 200);
    QCOMPARE(deleted.object().value(u"members_count"_s).toInt(), 8);
    QVERIFY(!membershipOf(m_proxy->data(), kSearchTeam, newId));
    const auto user = std::find_if(m_proxy->data().users.cbegin(), m_proxy->data().users.cend(),
                                   [&](const litescope::User& u) { return u.id == newId; });
    QVERIFY(user != m_proxy->data().users.cend());
    QVERIFY(user->teams.value_or(QStringList()).isEmpty());

    const HttpAnswer gone =
        post(u"/team/member_delete"_s, {{u"team_id"_s, kSearchTeam}, {u"user_id"_s, newId}});
    QCOMPARE(gone.status, 400);
    QCOMPARE(gone.object().value(u"error"_s)[u"message"_s].toString(),
             u"{'error': 'User not found in team'}"_s);
}
void TestFakeLiteLLMWrites::teamUpdateAndBlock() {
    const HttpAnswer updated =
        post(u"/team/update"_s, {{u"team_id"_s, kSearchTeam},
                                 {u"default_team_member_models"_s, QJsonArray({u"gpt-4o"_s})}});
    QCOMPARE(updated.status, 200);
    QCOMPARE(updated.object().value(u"team_id"_s).toString(), kSearchTeam);
    QCOMPARE(stringsOf(updated.object().value(u"data"_s)[u"default_team_member_models"_s]),
             QStringList({u"gpt-4o"_s}));
    const litescope::Team& team = m_proxy->data().teams.first();
    QCOMPARE(team.defaultTeamMemberModels, QStringList({u"gpt-4o"_s}));
    QCOMPARE(team.models, m_demo.teams.first().models);
    QCOMPARE(team.alias, u"Search"_s);

    QCOMPARE(post(u"/team/block"_s, {{u"team_id"_s, kSearchTeam}}).object().value(u"blocked"_s),
             QJsonValue(true));
    QVERIFY(m_proxy->data().teams.first().blocked);
    // The proxy's workspace is its own: the copy it was made from stays as it was.
    QVERIFY(!m_demo.teams.first().blocked);
    QCOMPARE(m_demo.teams.first().defaultTeamMemberModels,
             QStringList({u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));
    QCOMPARE(post(u"/team/unblock"_s, {{u"team_id"_s, kSearchTeam}}).status, 200);
    QVERIFY(!m_proxy->data().teams.first().blocked);
    const HttpAnswer unknown = post(u"/team/block"_s, {{u"team_id"_s, u"nope"_s}});
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.object().value(u"error"_s)[u"message"_s].toString(),
             u"{'error': 'Team not found, passed team_id=nope'}"_s);
}
void TestFakeLiteLLMWrites::keyUpdate() {
    const litescope::Key& key = m_demo.keys.at(1);
    const HttpAnswer answer =
        post(u"/key/update"_s, {{u"key"_s, *key.alias}, {u"models"_s, QJsonArray({u"gpt-4o"_s})}});
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.object().value(u"token"_s).toString(), key.token);
    QCOMPARE(m_proxy->data().keys.at(1).models, QStringList({u"gpt-4o"_s}));
    QCOMPARE(m_proxy->data().keys.at(1).alias, key.alias);
    QCOMPARE(m_demo.keys.at(1).models, key.models);
    QVERIFY(key.models != QStringList({u"gpt-4o"_s}));
    QCOMPARE(post(u"/key/update"_s, {{u"key"_s, u"sk-nope"_s}}).status, 404);
}
void TestFakeLiteLLMWrites::writeBodyValidation() {
    const HttpAnswer notJson = perform(
        *m_network, apiUrl(), {.method = "POST", .path = u"/team/update"_s, .body = "{nope"});
    QCOMPARE(notJson.status, 422);
    QCOMPARE(notJson.object().value(u"detail"_s)[0].toObject(),
             QJsonObject({{u"type"_s, u"json_invalid"_s},
                          {u"loc"_s, QJsonArray({u"body"_s, 0})},
                          {u"msg"_s, u"JSON decode error"_s},
                          {u"input"_s, QJsonObject()}}));
    QCOMPARE(
        perform(*m_network, apiUrl(), {.method = "POST", .path = u"/team/update"_s, .body = "[1]"})
            .status,
        422);

    const HttpAnswer missing = post(u"/team/update"_s, {{u"blocked"_s, true}});
    QCOMPARE(missing.status, 422);
    const QJsonObject issue = missing.object().value(u"detail"_s)[0].toObject();
    QCOMPARE(issue.value(u"loc"_s).toArray(), QJsonArray({u"body"_s, u"team_id"_s}));
    QCOMPARE(issue.value(u"type"_s).toString(), u"missing"_s);
    QCOMPARE(issue.value(u"msg"_s).toString(), u"Field required"_s);

    const HttpAnswer wrongType =
        post(u"/team/update"_s, {{u"team_id"_s, kSearchTeam}, {u"models"_s, u"gpt-4o"_s}});
    QCOMPARE(wrongType.status, 422);
    QCOMPARE(wrongType.object().value(u"detail"_s)[0][u"type"_s].toString(), u"list_type"_s);
    QCOMPARE(m_proxy->data().teams.first().models, m_demo.teams.first().models);

    const HttpAnswer badRole =
        post(u"/team/member_add"_s,
             {{u"team_id"_s, kSearchTeam},
              {u"member"_s, QJsonObject({{u"user_id"_s, u"x"_s}, {u"role"_s, u"owner"_s}})}});
    QCOMPARE(badRole.status, 422);
    QCOMPARE(badRole.object().value(u"detail"_s)[0][u"loc"_s].toArray(),
             QJsonArray({u"body"_s, u"member"_s, u"role"_s}));
}

QTEST_GUILESS_MAIN(TestFakeLiteLLMWrites)
#include "tst_fakelitellm_writes.moc"
