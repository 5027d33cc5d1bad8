// The fake LiteLLM proxy's read endpoints: LiteLLM's shapes, paging, filters and errors.
// Proves the fake (support/FakeLiteLLM) with clients that are not litescope's, so the admin API
// client's tests can trust it.
#include "support/FakeLiteLLMTestClient.h"

using namespace Qt::StringLiterals;
using namespace litescope::test::fakeclient;

class TestFakeLiteLLMReads : public FakeLiteLLMSuite {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { loadDemo(); }
    void init() { startProxy(); }
    void cleanup() { stopProxy(); }

    void teamListV2PagesCoverAllTeamsSorted();
    void teamListV2FiltersAndLimits();
    void teamListV1IsAnArray();
    void teamInfoShape();
    void teamInfoErrors();
    void keyListIdsOrFullObjects();
    void keyInfoByTokenOrAlias();
    void otherReadShapes();
};

void TestFakeLiteLLMReads::teamListV2PagesCoverAllTeamsSorted() {
    QStringList seen;
    qint64 totalPages = -1;
    for (int page = 1; totalPages < 0 || page <= totalPages; ++page) {
        const HttpAnswer answer =
            get(u"/v2/team/list"_s, QUrlQuery({{u"page"_s, QString::number(page)},
                                               {u"page_size"_s, u"2"_s},
                                               {u"sort_by"_s, u"team_id"_s}}));
        QCOMPARE(answer.status, 200);
        const QJsonObject body = answer.object();
        QCOMPARE(body.value(u"total"_s).toInt(), 13);
        QCOMPARE(body.value(u"page"_s).toInt(), page);
        QCOMPARE(body.value(u"page_size"_s).toInt(), 2);
        totalPages = body.value(u"total_pages"_s).toInteger();
        QCOMPARE(totalPages, 7);
        const QJsonArray teams = body.value(u"teams"_s).toArray();
        QCOMPARE(teams.size(), page < 7 ? 2 : 1);
        for (const QJsonValue& team : teams) {
            QVERIFY(!team.toObject().contains(u"model_aliases"_s));
            seen.append(team[u"team_id"_s].toString());
        }
    }
    QStringList expected;
    for (const litescope::Team& team : m_demo.teams)
        expected.append(team.id);
    std::sort(expected.begin(), expected.end());
    QCOMPARE(seen, expected);

    // Past the end: an empty page, same totals.
    const HttpAnswer beyond =
        get(u"/v2/team/list"_s, QUrlQuery({{u"page"_s, u"9"_s}, {u"page_size"_s, u"2"_s}}));
    QCOMPARE(beyond.object().value(u"teams"_s).toArray().size(), 0);
    QCOMPARE(beyond.object().value(u"total_pages"_s).toInt(), 7);

    // Defaults: page 1 of 10 in dataset order.
    const QJsonObject first = get(u"/v2/team/list"_s).object();
    QCOMPARE(first.value(u"page_size"_s).toInt(), 10);
    QCOMPARE(first.value(u"teams"_s).toArray().size(), 10);
    QCOMPARE(first.value(u"teams"_s)[0][u"team_id"_s].toString(), m_demo.teams.first().id);
}
void TestFakeLiteLLMReads::teamListV2FiltersAndLimits() {
    const QJsonObject byAlias =
        get(u"/v2/team/list"_s, QUrlQuery({{u"team_alias"_s, u"sEaRcH"_s}})).object();
    QCOMPARE(byAlias.value(u"total"_s).toInt(), 2); // "Search" and "ML Research"
    QCOMPARE(byAlias.value(u"teams"_s)[0][u"team_id"_s].toString(), kSearchTeam);

    const QJsonObject byId =
        get(u"/v2/team/list"_s, QUrlQuery({{u"team_id"_s, u"team-ml-research"_s}})).object();
    QCOMPARE(byId.value(u"total"_s).toInt(), 1);
    const QJsonObject team = byId.value(u"teams"_s)[0].toObject();
    QCOMPARE(team.value(u"model_id"_s).toString(), u"model-team-ml-research"_s);
    QCOMPARE(team.value(u"members_count"_s).toInt(), 8);
    QCOMPARE(team.value(u"spend"_s).toInt(), 0);
    QVERIFY(team.value(u"max_budget"_s).isNull());

    const HttpAnswer tooBig = get(u"/v2/team/list"_s, QUrlQuery({{u"page_size"_s, u"101"_s}}));
    QCOMPARE(tooBig.status, 422);
    QCOMPARE(tooBig.object().value(u"detail"_s)[0][u"type"_s].toString(), u"less_than_equal"_s);
    const HttpAnswer notANumber = get(u"/v2/team/list"_s, QUrlQuery({{u"page"_s, u"x"_s}}));
    QCOMPARE(notANumber.status, 422);
    QCOMPARE(notANumber.object().value(u"detail"_s)[0][u"loc"_s].toArray(),
             QJsonArray({u"query"_s, u"page"_s}));
}
void TestFakeLiteLLMReads::teamListV1IsAnArray() {
    const HttpAnswer answer = get(u"/team/list"_s);
    QCOMPARE(answer.status, 200);
    QVERIFY(answer.json().isArray());
    QCOMPARE(answer.json().toArray().size(), 13);
}
void TestFakeLiteLLMReads::teamInfoShape() {
    const HttpAnswer answer = get(u"/team/info"_s, QUrlQuery({{u"team_id"_s, kSearchTeam}}));
    QCOMPARE(answer.status, 200);
    const QJsonObject body = answer.object();
    QCOMPARE(body.value(u"team_id"_s).toString(), kSearchTeam);
    const QJsonObject info = body.value(u"team_info"_s).toObject();
    QCOMPARE(info.value(u"team_alias"_s).toString(), u"Search"_s);
    QCOMPARE(stringsOf(info.value(u"default_team_member_models"_s)),
             QStringList({u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));
    QVERIFY(info.value(u"litellm_model_table"_s).isNull());
    QVERIFY(info.value(u"model_id"_s).isNull());
    QCOMPARE(info.value(u"members_with_roles"_s).toArray().size(), 8);
    QCOMPARE(info.value(u"members_with_roles"_s)[0].toObject(),
             QJsonObject({{u"user_id"_s, u"priya.raman@acme.example"_s},
                          {u"user_email"_s, u"priya.raman@acme.example"_s},
                          {u"role"_s, u"admin"_s}}));

    for (const QJsonValue& key : body.value(u"keys"_s).toArray()) {
        QCOMPARE(key[u"team_id"_s].toString(), kSearchTeam);
        QCOMPARE(key[u"key_name"_s].toString(), u"sk-..."_s + key[u"token"_s].toString().right(4));
    }
    QVERIFY(!body.value(u"keys"_s).toArray().isEmpty());

    const QJsonArray memberships = body.value(u"team_memberships"_s).toArray();
    QCOMPARE(memberships.size(), 8);
    bool sawBob = false;
    bool sawNoBudget = false;
    for (const QJsonValue& membership : memberships) {
        const QJsonValue budget = membership[u"litellm_budget_table"_s];
        if (membership[u"budget_id"_s].isNull()) {
            QVERIFY(budget.isNull());
            sawNoBudget = true;
            continue;
        }
        QCOMPARE(budget[u"budget_id"_s].toString(), membership[u"budget_id"_s].toString());
        for (const char* field : {"max_budget", "tpm_limit", "rpm_limit", "budget_duration"})
            QVERIFY(budget.toObject().contains(QLatin1StringView(field)));
        if (membership[u"user_id"_s].toString() == kBob) {
            sawBob = true;
            QCOMPARE(stringsOf(budget[u"allowed_models"_s]),
                     QStringList({u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));
        }
    }
    QVERIFY(sawBob);
    QVERIFY(sawNoBudget);

    const QJsonObject research =
        get(u"/team/info"_s, QUrlQuery({{u"team_id"_s, u"team-ml-research"_s}})).object();
    const QJsonValue table = research.value(u"team_info"_s)[u"litellm_model_table"_s];
    QVERIFY(table.isObject());
    QVERIFY(!table[u"model_aliases"_s].toObject().isEmpty());
}
void TestFakeLiteLLMReads::teamInfoErrors() {
    const HttpAnswer missing = get(u"/team/info"_s);
    QCOMPARE(missing.status, 422);
    QCOMPARE(missing.object(),
             QJsonObject({{u"detail"_s, QJsonArray({QJsonObject({
                                            {u"type"_s, u"missing"_s},
                                            {u"loc"_s, QJsonArray({u"query"_s, u"team_id"_s})},
                                            {u"msg"_s, u"Field required"_s},
                                            {u"input"_s, QJsonValue::Null},
                                        })})}}));

    const HttpAnswer unknown = get(u"/team/info"_s, QUrlQuery({{u"team_id"_s, u"abc"_s}}));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.object().value(u"error"_s).toObject(),
             QJsonObject({{u"message"_s, u"{'error': 'Team not found, passed team_id=abc'}"_s},
                          {u"type"_s, u"not_found_error"_s},
                          {u"param"_s, u"team_id"_s},
                          {u"code"_s, u"404"_s}}));
}
void TestFakeLiteLLMReads::keyListIdsOrFullObjects() {
    const QJsonObject ids = get(u"/key/list"_s).object();
    QCOMPARE(ids.value(u"total_count"_s).toInt(), m_demo.keys.size());
    QCOMPARE(ids.value(u"current_page"_s).toInt(), 1);
    QCOMPARE(ids.value(u"total_pages"_s).toInt(), (m_demo.keys.size() + 9) / 10);
    const QJsonArray tokens = ids.value(u"keys"_s).toArray();
    QCOMPARE(tokens.size(), 10);
    QVERIFY(tokens.first().isString());
    QCOMPARE(tokens.first().toString(), m_demo.keys.first().token);

    QStringList all;
    for (int page = 1; page <= 3; ++page) {
        const QJsonObject full =
            get(u"/key/list"_s, QUrlQuery({{u"return_full_object"_s, u"true"_s},
                                           {u"include_team_keys"_s, u"true"_s},
                                           {u"size"_s, u"20"_s},
                                           {u"page"_s, QString::number(page)}}))
                .object();
        for (const QJsonValue& key : full.value(u"keys"_s).toArray()) {
            QVERIFY(key.isObject());
            for (const char* field :
                 {"token", "key_alias", "key_name", "team_id", "user_id", "project_id", "models",
                  "aliases", "access_group_ids", "config", "blocked", "spend", "metadata"})
                QVERIFY2(key.toObject().contains(QLatin1StringView(field)), field);
            all.append(key[u"token"_s].toString());
        }
    }
    QCOMPARE(all.size(), m_demo.keys.size());

    const QJsonObject byAlias =
        get(u"/key/list"_s, QUrlQuery({{u"key_alias"_s, u"search-prod"_s}})).object();
    QCOMPARE(byAlias.value(u"total_count"_s).toInt(), 1);
}
void TestFakeLiteLLMReads::keyInfoByTokenOrAlias() {
    const litescope::Key& key = m_demo.keys.first();
    const QJsonObject byToken = get(u"/key/info"_s, QUrlQuery({{u"key"_s, key.token}})).object();
    QCOMPARE(byToken.value(u"key"_s).toString(), key.token);
    QCOMPARE(byToken.value(u"info"_s)[u"token"_s].toString(), key.token);
    const QJsonObject byAlias = get(u"/key/info"_s, QUrlQuery({{u"key"_s, *key.alias}})).object();
    QCOMPARE(byAlias.value(u"key"_s).toString(), *key.alias);
    QCOMPARE(byAlias.value(u"info"_s)[u"token"_s].toString(), key.token);
    const HttpAnswer unknown = get(u"/key/info"_s, QUrlQuery({{u"key"_s, u"sk-nope"_s}}));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.object().value(u"error"_s)[u"type"_s].toString(), u"not_found_error"_s);
}
void TestFakeLiteLLMReads::otherReadShapes() {
    const QJsonObject users = get(u"/user/list"_s).object();
    QCOMPARE(users.value(u"page_size"_s).toInt(), 25);
    QCOMPARE(users.value(u"total"_s).toInt(), m_demo.users.size());
    QCOMPARE(users.value(u"users"_s).toArray().size(), 25);
    const QJsonObject firstUser = users.value(u"users"_s)[0].toObject();
    for (const char* field : {"user_id", "user_email", "user_role", "models", "teams", "spend",
                              "max_budget", "key_count"})
        QVERIFY2(firstUser.contains(QLatin1StringView(field)), field);
    const QJsonObject bob = get(u"/user/list"_s, QUrlQuery({{u"user_ids"_s, kBob}})).object();
    QVERIFY(stringsOf(bob.value(u"users"_s)[0][u"teams"_s]).contains(kSearchTeam));

    const QJsonObject models = get(u"/v2/model/info"_s, QUrlQuery({{u"size"_s, u"5"_s}})).object();
    QCOMPARE(models.value(u"total_count"_s).toInt(), m_demo.proxyModels.size());
    QCOMPARE(models.value(u"size"_s).toInt(), 5);
    QCOMPARE(models.value(u"total_pages"_s).toInt(), (m_demo.proxyModels.size() + 4) / 5);
    const QJsonObject model = models.value(u"data"_s)[0].toObject();
    QCOMPARE(model.value(u"litellm_params"_s)[u"model"_s].toString(),
             m_demo.proxyModels.first().litellmModel);
    QCOMPARE(model.value(u"model_info"_s)[u"id"_s].toString(), m_demo.proxyModels.first().modelId);
    QCOMPARE(get(u"/v2/model/info"_s).object().value(u"size"_s).toInt(), 50);
    QCOMPARE(get(u"/model/info"_s).object().value(u"data"_s).toArray().size(),
             m_demo.proxyModels.size());

    QCOMPARE(get(u"/organization/list"_s).json().toArray().size(), m_demo.organizations.size());
    const QJsonArray groups = get(u"/v1/access_group"_s).json().toArray();
    QCOMPARE(groups.size(), m_demo.accessGroups.size());
    QVERIFY(groups.first().toObject().contains(u"assigned_key_ids"_s));
    QCOMPARE(get(u"/project/list"_s).json().toArray().size(), m_demo.projects.size());

    const QJsonObject callbacks = get(u"/get/config/callbacks"_s).object();
    const QJsonObject aliases =
        callbacks.value(u"router_settings"_s)[u"model_group_alias"_s].toObject();
    QCOMPARE(aliases.value(u"gpt4"_s).toString(), u"gpt-4o"_s);
    QCOMPARE(aliases.value(u"o3-internal-preview"_s)[u"hidden"_s].toBool(), true);
    const QJsonObject router = get(u"/router/settings"_s).object();
    QCOMPARE(router.value(u"current_values"_s)[u"model_group_alias"_s].toObject(), aliases);
}

QTEST_GUILESS_MAIN(TestFakeLiteLLMReads)
#include "tst_fakelitellm_reads.moc"
