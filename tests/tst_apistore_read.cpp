// ApiStore reading a proxy through its admin API (a fake LiteLLM on 127.0.0.1 serving the demo
// data with LiteLLM's JSON shapes): open() and version detection, a snapshot read across several
// pages of every listing that decides exactly like the data it came from, what the API cannot
// show marked unknown (and decisions on it unknown, never guessed), the fallbacks to older
// endpoints, members(), teams() paging, and the key travelling only in its header.
#include "store/WorkspaceEdits.h"
#include "support/ApiTestSupport.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

class TstApiStoreRead : public QObject {
    Q_OBJECT

private:
    Workspace m_data = demoDataset();
    ApiFixture m_api;

    // A snapshot through the API with the admin's litellm_settings supplied.
    Result<Workspace> snapshotWithSettings() { return m_api.snapshotWithSettingsOf(m_data); }

private Q_SLOTS:
    void init() {
        QString error;
        QVERIFY2(m_api.start(m_data, &error), qPrintable(error));
    }

    void openDetectsTheProxy() {
        auto store = std::make_unique<ApiStore>(m_api.options());
        const Result<StoreInfo> info = awaitTask(store->open());
        VERIFY_SUCCEEDS(info);
        QCOMPARE(info->kind, u"api"_s);
        QCOMPARE(info->displayName, m_api.proxy().url().toString());
        QVERIFY2(info->schemaLevel.contains(u"1.96.0"_s), qPrintable(info->schemaLevel));
        QVERIFY(info->memberScopes);
        QVERIFY(info->accessGroups);
        QVERIFY(info->projects);
        QVERIFY(!info->auditLog);
        QVERIFY(!info->readOnly);

        // A proxy without the newer endpoints.
        m_api.proxy().disableRoute(u"/v1/access_group"_s);
        m_api.proxy().disableRoute(u"/project/list"_s);
        const Result<StoreInfo> older = awaitTask(store->open());
        VERIFY_SUCCEEDS(older);
        QVERIFY(!older->accessGroups);
        QVERIFY(!older->projects);
    }

    void openOnAnOlderProxy() {
        m_api.proxy().setLiteLLMVersion(u"1.80.5"_s);
        auto store = std::make_unique<ApiStore>(m_api.options());
        const Result<StoreInfo> info = awaitTask(store->open());
        VERIFY_SUCCEEDS(info);
        QVERIFY(!info->memberScopes);
        QVERIFY2(info->schemaLevel.contains(u"older than v1.83.14"_s),
                 qPrintable(info->schemaLevel));
    }

    void snapshotReadsEveryPage() {
        const Result<Workspace> snapshot = snapshotWithSettings();
        VERIFY_SUCCEEDS(snapshot);
        QCOMPARE(snapshot->source.kind, u"api"_s);
        QCOMPARE(snapshot->source.unknown, QStringList());
        QCOMPARE(snapshot->teams.size(), m_data.teams.size());
        QCOMPARE(snapshot->teamMemberships.size(), m_data.teamMemberships.size());
        QCOMPARE(snapshot->users.size(), m_data.users.size());
        QCOMPARE(snapshot->keys.size(), m_data.keys.size());
        QCOMPARE(snapshot->proxyModels.size(), m_data.proxyModels.size());
        QCOMPARE(snapshot->accessGroups.size(), m_data.accessGroups.size());
        QCOMPARE(snapshot->organizations.size(), m_data.organizations.size());
        QCOMPARE(snapshot->projects.size(), m_data.projects.size());
        QCOMPARE(snapshot->modelGroupAlias.keys(), m_data.modelGroupAlias.keys());
        QVERIFY(snapshot->modelGroupAlias.value(u"o3-internal-preview"_s).hidden);
        // Page size 7: every paged listing took several requests, and one /team/info per team.
        FakeLiteLLM& proxy = m_api.proxy();
        QVERIFY(proxy.requestCount(u"/v2/team/list"_s) >= 2);
        QVERIFY(proxy.requestCount(u"/key/list"_s) >= 6);
        QVERIFY(proxy.requestCount(u"/user/list"_s) >= 11);
        QVERIFY(proxy.requestCount(u"/v2/model/info"_s) >= 3);
        QCOMPARE(proxy.requestCount(u"/team/info"_s), m_data.teams.size());
        // The team with model aliases kept them (they come from /team/info's model table).
        const auto withAliases =
            std::find_if(snapshot->teams.cbegin(), snapshot->teams.cend(),
                         [](const Team& t) { return t.modelAliases.contains(u"fast"_s); });
        QVERIFY(withAliases != snapshot->teams.cend());
        // model_id says which teams have a model table (the fake proxy names it after the team).
        for (const Team& team : snapshot->teams)
            QCOMPARE(team.modelId, team.modelAliases.isEmpty()
                                       ? std::optional<QString>()
                                       : std::optional<QString>(u"model-"_s + team.id));
    }

    void snapshotDecidesLikeTheData() {
        const Result<Workspace> snapshot = snapshotWithSettings();
        VERIFY_SUCCEEDS(snapshot);
        const QStringList models = candidateModels(m_data);
        const QStringList expected = decisionLines(m_data, models);
        const QStringList actual = decisionLines(*snapshot, models);
        QCOMPARE(actual.size(), expected.size());
        QVERIFY(expected.size() > 1000);
        for (qsizetype i = 0; i < expected.size(); ++i)
            QCOMPARE(actual.at(i), expected.at(i));
        // The file a snapshot is saved as loads back with the same decisions.
        const Result<Workspace> reread = workspace::parse(workspace::serialize(*snapshot));
        VERIFY_SUCCEEDS(reread);
        QCOMPARE(decisionLines(*reread, models), expected);
    }

    void settingsAreAssumedWithoutTheAdminsValues() {
        // litellm_settings live in config.yaml: without the admin's values the snapshot decides
        // with LiteLLM's defaults and marks every decision that rests on them.
        auto store = m_api.store();
        QVERIFY(store);
        const Result<Workspace> snapshot = awaitTask(store->snapshot());
        VERIFY_SUCCEEDS(snapshot);
        QCOMPARE(snapshot->source.unknown, QStringList());
        QCOMPARE(snapshot->source.assumed, QStringList{u"settings"_s});
        QVERIFY(snapshot->settings.modelAliasMap.isEmpty());

        // Every decision is concrete: the data's own, or one that consulted the settings and
        // says it assumed them (the demo's real settings differ from LiteLLM's defaults).
        const QStringList models = candidateModels(m_data);
        const QStringList expected = decisionLines(m_data, models);
        const QStringList actual = decisionLines(*snapshot, models, true);
        QCOMPARE(actual.size(), expected.size());
        int differing = 0, assumed = 0;
        for (qsizetype i = 0; i < expected.size(); ++i) {
            QVERIFY2(!actual.at(i).contains(u"| unknown |"_s), qPrintable(actual.at(i)));
            const bool restsOnSettings = actual.at(i).endsWith(u"| assumed settings"_s);
            assumed += restsOnSettings ? 1 : 0;
            const QString decision = actual.at(i).section(u" | assumed"_s, 0, 0);
            if (decision == expected.at(i))
                continue;
            QVERIFY2(restsOnSettings,
                     qPrintable(actual.at(i) + u"\nexpected\n"_s + expected.at(i)));
            ++differing;
        }
        QVERIFY(differing > 0);
        QVERIFY(assumed > differing);
    }

    void teamAliasesHiddenByTeamInfo() {
        // LiteLLM v1.96's /team/info leaves out the team's model table; the v1 /team/list has
        // it, for every team in one request.
        m_api.proxy().setTeamInfoShowsModelTable(false);
        Result<Workspace> snapshot = snapshotWithSettings();
        VERIFY_SUCCEEDS(snapshot);
        QCOMPARE(snapshot->source.unknown, QStringList());
        QCOMPARE(m_api.proxy().requestCount(u"/team/list"_s), 1);
        const QStringList models = candidateModels(m_data);
        const QStringList expected = decisionLines(m_data, models);
        QCOMPARE(decisionLines(*snapshot, models), expected);

        // Without it, the aliases of the teams that have a model table are unknown, and only
        // decisions for those teams' keys depend on them.
        m_api.proxy().disableRoute(u"/team/list"_s);
        snapshot = snapshotWithSettings();
        VERIFY_SUCCEEDS(snapshot);
        QCOMPARE(snapshot->source.unknown, QStringList{u"teams.model_aliases"_s});
        QCOMPARE(
            snapshot->source.warnings.filter(u"has a model table that /team/info does not show"_s)
                .size(),
            2);

        QSet<QString> aliasedTeams, aliasedTeamKeys;
        for (const Team& team : m_data.teams) {
            if (!team.modelAliases.isEmpty())
                aliasedTeams.insert(team.id);
        }
        QCOMPARE(aliasedTeams.size(), 2);
        for (const Key& key : m_data.keys) {
            if (key.teamId && aliasedTeams.contains(*key.teamId))
                aliasedTeamKeys.insert(key.token);
        }
        // A team's own deployment's alias is rebuilt from /model/info.
        const auto support =
            std::find_if(snapshot->teams.cbegin(), snapshot->teams.cend(),
                         [](const Team& t) { return t.modelAliases.contains(u"support-gpt"_s); });
        QVERIFY(support != snapshot->teams.cend());

        const QStringList actual = decisionLines(*snapshot, models);
        QCOMPARE(actual.size(), expected.size());
        int unknown = 0;
        for (qsizetype i = 0; i < expected.size(); ++i) {
            if (actual.at(i) == expected.at(i))
                continue;
            const QString token = actual.at(i).section(u" | "_s, 0, 0);
            QVERIFY2(aliasedTeamKeys.contains(token) && actual.at(i).contains(u"| unknown |"_s) &&
                         actual.at(i).endsWith(u"teams.model_aliases"_s),
                     qPrintable(actual.at(i) + u"\nexpected\n"_s + expected.at(i)));
            ++unknown;
        }
        QVERIFY(unknown > 0);
    }

    void routerAliasesFromEitherEndpoint() {
        m_api.proxy().disableRoute(u"/get/config/callbacks"_s);
        Result<Workspace> snapshot = snapshotWithSettings();
        VERIFY_SUCCEEDS(snapshot);
        QCOMPARE(snapshot->source.unknown, QStringList());
        QCOMPARE(snapshot->modelGroupAlias.keys(), m_data.modelGroupAlias.keys());
        QCOMPARE(m_api.proxy().requestCount(u"/router/settings"_s), 1);

        m_api.proxy().disableRoute(u"/router/settings"_s);
        snapshot = snapshotWithSettings();
        VERIFY_SUCCEEDS(snapshot);
        QCOMPARE(snapshot->source.unknown, QStringList());
        QCOMPARE(snapshot->source.assumed, QStringList{u"model_group_alias"_s});
        QVERIFY(snapshot->modelGroupAlias.isEmpty());
    }

    void olderEndpointsAreTheFallback() {
        FakeLiteLLM& proxy = m_api.proxy();
        proxy.disableRoute(u"/v2/team/list"_s);
        proxy.disableRoute(u"/v2/model/info"_s);
        const Result<Workspace> snapshot = snapshotWithSettings();
        VERIFY_SUCCEEDS(snapshot);
        QCOMPARE(proxy.requestCount(u"/team/list"_s), 1);
        QCOMPARE(proxy.requestCount(u"/model/info"_s), 1);
        const QStringList models = candidateModels(m_data);
        QCOMPARE(decisionLines(*snapshot, models), decisionLines(m_data, models));
    }

    void missingFeaturesOnOlderProxies() {
        // No access groups or projects endpoints while teams and keys refer to them: unknown.
        FakeLiteLLM& proxy = m_api.proxy();
        proxy.disableRoute(u"/v1/access_group"_s);
        proxy.disableRoute(u"/project/list"_s);
        proxy.disableRoute(u"/organization/list"_s);
        const Result<Workspace> snapshot = snapshotWithSettings();
        VERIFY_SUCCEEDS(snapshot);
        QStringList unknown = snapshot->source.unknown;
        unknown.sort();
        QCOMPARE(unknown, (QStringList{u"access_groups"_s, u"projects"_s}));
        QVERIFY(snapshot->organizations.isEmpty());
        for (const Team& team : snapshot->teams)
            QVERIFY(!team.organizationId);
    }

    void membersOfATeam() {
        auto store = m_api.store();
        QVERIFY(store);
        for (const Team& team : m_data.teams) {
            const QString name = team.alias.isEmpty() ? team.id : team.alias;
            const Result<QList<TeamMember>> members = awaitTask(store->members(name));
            VERIFY_SUCCEEDS(members);
            QCOMPARE(memberLines(*members), memberLines(teamMembers(m_data, team)));
        }
        VERIFY_FAILS_WITH(awaitTask(store->members(u"no-such-team"_s)), ErrorKind::NotFound,
                          u"no-such-team"_s);
    }

    void membersNamedLikeTheDatabaseDoes() {
        // Roster entries written by older LiteLLM or other tools: one without user_email (its
        // users row has one), one with only an email. /user/list fills both in.
        Workspace data = m_data;
        Team& team = data.teams.first();
        QVERIFY(team.membersWithRoles.size() >= 3);
        team.membersWithRoles[1].userEmail.reset();
        team.membersWithRoles[2].userId.reset();
        QString error;
        QVERIFY2(m_api.start(data, &error), qPrintable(error));
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().clearRequests();
        const Result<QList<TeamMember>> members = awaitTask(store->members(team.id));
        VERIFY_SUCCEEDS(members);
        const QList<TeamMember> expected = teamMembers(data, team);
        QVERIFY(expected[1].email.has_value());
        QVERIFY(!expected[2].userId.isEmpty());
        QCOMPARE(memberLines(*members), memberLines(expected));
        QCOMPARE(m_api.proxy().requestCount(u"/user/list"_s), 2);

        // An edit names the email-only member as the database store would.
        const Result<EditOutcome> scoped = awaitTask(store->apply(
            StoreEdit::setMemberScope(team.id, *team.membersWithRoles[2].userEmail, {})));
        VERIFY_SUCCEEDS(scoped);
    }

    void teamsPageByTeamId() {
        auto store = m_api.store();
        QVERIFY(store);
        QStringList expected;
        for (const Team& team : m_data.teams)
            expected.append(team.id);
        expected.sort();
        QStringList seen;
        PageRequest request{QString(), 4};
        for (int pages = 0; pages < 10; ++pages) {
            const Result<Page<Team>> page = awaitTask(store->teams(request));
            VERIFY_SUCCEEDS(page);
            QVERIFY(page->items.size() <= 4);
            for (const Team& team : page->items)
                seen.append(team.id);
            if (page->next.isEmpty())
                break;
            request.after = page->next;
        }
        QCOMPARE(seen, expected);
    }

    void aRenamedKeyHeader() {
        // general_settings.litellm_key_header_name: the key goes in that header only.
        ApiConnectionOptions options = m_api.options();
        options.keyHeader = u"x-litellm-api-key"_s;
        auto store = m_api.store(options);
        QVERIFY(store);
        VERIFY_SUCCEEDS(awaitTask(store->members(u"Search"_s)));
        const QList<FakeLiteLLM::RecordedRequest> requests = m_api.proxy().requests();
        QVERIFY(requests.size() >= 3);
        for (const FakeLiteLLM::RecordedRequest& request : requests) {
            QCOMPARE(request.headers.value("x-litellm-api-key"), "Bearer " + MasterKey.toUtf8());
            QVERIFY(!request.headers.contains("authorization"));
        }
    }

    void theKeyTravelsOnlyInItsHeader() {
        QVERIFY(snapshotWithSettings().ok());
        const QList<FakeLiteLLM::RecordedRequest> requests = m_api.proxy().requests();
        QVERIFY(requests.size() > 30);
        for (const FakeLiteLLM::RecordedRequest& request : requests) {
            if (request.path.startsWith(u"/health"_s))
                continue;
            QCOMPARE(request.headers.value("authorization"), "Bearer " + MasterKey.toUtf8());
            QVERIFY(!request.query.toString().contains(MasterKey));
            QVERIFY(!request.body.contains(MasterKey.toUtf8()));
        }
    }
};

QTEST_GUILESS_MAIN(TstApiStoreRead)
#include "tst_apistore_read.moc"
