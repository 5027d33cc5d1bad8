// PgStore reading a real LiteLLM database (tests/data/pg): open() on both schema levels and what
// it reports, the connection's display name without the password, snapshot() entity by entity
// (NULL arrays, '{}' rosters, aliases via model_id, access groups, BYOK models, projects), no
// secrets in the snapshot, the snapshot through the workspace format and the access engine,
// teams() paging and members() of every seed team.
#include "engine/AccessEngine.h"
#include "support/PgStoreTestSupport.h"
#include "support/WorkspaceTestSupport.h"
#include "workspace/WorkspaceJson.h"

#include <QJsonArray>
#include <QTest>

#include <mutex>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

namespace {

const Team* findTeam(const Workspace& ws, const QString& id) {
    for (const Team& team : ws.teams)
        if (team.id == id)
            return &team;
    return nullptr;
}

const Key* findKey(const Workspace& ws, const QString& token) {
    for (const Key& key : ws.keys)
        if (key.token == token)
            return &key;
    return nullptr;
}

const User* findUser(const Workspace& ws, const QString& id) {
    for (const User& user : ws.users)
        if (user.id == id)
            return &user;
    return nullptr;
}

QString rosterLine(const Team& team) {
    QStringList entries;
    for (const TeamMemberRole& member : team.membersWithRoles)
        entries.append(member.userId.value_or(u"-"_s) + u'/' + member.userEmail.value_or(u"-"_s) +
                       u'/' + member.role);
    return entries.join(u", "_s);
}

QString membershipLines(const Workspace& ws) {
    QStringList lines;
    for (const TeamMembership& m : ws.teamMemberships)
        lines.append(m.teamId + u'|' + m.userId + u'|' + m.budgetId.value_or(u"-"_s) + u'|' +
                     m.allowedModels.join(u'+'));
    return lines.join(u'\n');
}

QString decisionText(const Decision& decision) {
    QString text = QString::number(int(decision.verdict)) + u'/' +
                   QString::number(int(decision.deniedBy)) + u'/' +
                   QString::number(decision.unknownData);
    for (const TrailStep& step : decision.trail)
        text += u' ' + QString::number(int(step.stage)) + u':' +
                QString::number(int(step.verdict)) + u':' + QString::number(int(step.rule));
    return text;
}

} // namespace

class TestPgStoreRead : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void openNewestLevel();
    void openPreMemberScopeLevel();
    void openReadOnly();
    void displayNameWithoutPassword_data();
    void displayNameWithoutPassword();

    void snapshotTeams();
    void snapshotMembershipsAndUsers();
    void snapshotKeys();
    void snapshotAnnouncesItsLists();
    void snapshotModelsGroupsProjects();
    void snapshotPreMemberScopeLevel();
    void snapshotHasNoSecrets();
    void snapshotSettingsSavedThroughTheUi();
    void snapshotWarnsAboutKeysOfDeletedTeams();
    void snapshotThroughWorkspaceFormatAndEngine_data();
    void snapshotThroughWorkspaceFormatAndEngine();

    void teamsPaging_data();
    void teamsPaging();
    void membersOfEachTeam_data();
    void membersOfEachTeam();
    void membersByAlias();
    void membersFallBackToUserEmail();
    void membersOfUnknownTeam();

private:
    PgStoreFixture m_pg;
    QString m_newest; // shared, never written by this suite
    QString m_pre;
};

void TestPgStoreRead::initTestCase() {
    QString error;
    QVERIFY2(m_pg.start(&error), qPrintable(error));
    m_newest = m_pg.freshDatabase(Level::Newest, &error);
    QVERIFY2(!m_newest.isEmpty(), qPrintable(error));
    m_pre = m_pg.freshDatabase(Level::PreMemberScope, &error);
    QVERIFY2(!m_pre.isEmpty(), qPrintable(error));
}

void TestPgStoreRead::cleanupTestCase() {
    m_pg.stop();
}

void TestPgStoreRead::openNewestLevel() {
    auto store = m_pg.store(m_newest);
    const Result<StoreInfo> info = awaitTask(store->open());
    VERIFY_SUCCEEDS(info);
    QCOMPARE(info->kind, u"postgres"_s);
    QCOMPARE(info->displayName,
             u"postgres@127.0.0.1:"_s + QString::number(m_pg.cluster().port()) + u'/' + m_newest);
    // The seed's schema has budget_fallbacks (1.92.0) but not the 1.103.0 SpendLogs index
    // (tst_pgstore_release places other levels).
    QCOMPARE(info->schemaLevel, u"LiteLLM v1.92.0 or newer, older than v1.103.0 (member model "
                                u"scopes); decided as LiteLLM v1.92.0, assumed"_s);
    QCOMPARE(info->litellmVersion, u"1.92.0"_s);
    QVERIFY(info->memberScopes);
    QVERIFY(info->accessGroups);
    QVERIFY(info->projects);
    QVERIFY(info->auditLog);
    QVERIFY(!info->readOnly);
}

void TestPgStoreRead::openPreMemberScopeLevel() {
    auto store = m_pg.store(m_pre);
    const Result<StoreInfo> info = awaitTask(store->open());
    VERIFY_SUCCEEDS(info);
    QCOMPARE(info->kind, u"postgres"_s);
    QVERIFY2(info->schemaLevel.startsWith(u"older than LiteLLM v1.83.14"_s),
             qPrintable(info->schemaLevel));
    QVERIFY2(info->schemaLevel.contains(u"scope editing is refused"_s),
             qPrintable(info->schemaLevel));
    QVERIFY(!info->memberScopes);
    QVERIFY(info->accessGroups); // LiteLLM_AccessGroupTable predates member scopes
    QVERIFY(info->projects);
    QVERIFY(info->auditLog);
}

void TestPgStoreRead::openReadOnly() {
    auto store = m_pg.store(m_newest, true);
    const Result<StoreInfo> info = awaitTask(store->open());
    VERIFY_SUCCEEDS(info);
    QVERIFY(info->readOnly);
    QVERIFY(info->memberScopes);
}

void TestPgStoreRead::displayNameWithoutPassword_data() {
    QTest::addColumn<QString>("connection");
    const QString port = QString::number(m_pg.cluster().port());
    QTest::newRow("uri with password")
        << u"postgresql://postgres:secret@127.0.0.1:"_s + port + u'/' + m_newest;
    QTest::newRow("uri with password and parameters")
        << u"postgresql://postgres:secret@127.0.0.1:"_s + port + u'/' + m_newest +
               u"?sslmode=disable&application_name=x"_s;
    QTest::newRow("key/value with password") << u"host=127.0.0.1 port="_s + port + u" dbname="_s +
                                                    m_newest + u" user=postgres password=secret"_s;
    QTest::newRow("key/value with quoted password")
        << u"password='se cret' host=127.0.0.1 port="_s + port + u" dbname="_s + m_newest +
               u" user=postgres"_s;
}

void TestPgStoreRead::displayNameWithoutPassword() {
    QFETCH(QString, connection);
    PgConnectionOptions options;
    options.connectionString = connection;
    const Result<QString> name = options.displayName();
    VERIFY_SUCCEEDS(name);
    const QString expected =
        u"postgres@127.0.0.1:"_s + QString::number(m_pg.cluster().port()) + u'/' + m_newest;
    QCOMPARE(*name, expected);

    // The trust cluster ignores the password: the store connects and says where, without it.
    PgStore store(options);
    const Result<StoreInfo> info = awaitTask(store.open());
    VERIFY_SUCCEEDS(info);
    QCOMPARE(info->displayName, expected);
    const Result<Workspace> ws = awaitTask(store.snapshot());
    VERIFY_SUCCEEDS(ws);
    QCOMPARE(ws->source.label, expected);
    QVERIFY(!workspace::serialize(*ws).contains("secret"));
    QVERIFY(!workspace::serialize(*ws).contains("cret"));
}

void TestPgStoreRead::snapshotTeams() {
    auto store = m_pg.store(m_newest);
    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(ws);
    QCOMPARE(ws->source.kind, u"postgres"_s);
    QVERIFY(!ws->source.capturedAt.isEmpty());
    QVERIFY(ws->source.extra.isEmpty());
    // Every key's team exists: the one warning is how roughly the migrations place the release.
    QCOMPARE(ws->source.warnings.size(), 1);
    QVERIFY2(ws->source.warnings[0].startsWith(u"The database's migrations and columns place the "
                                               u"proxy at LiteLLM 1.92.0 or newer"_s),
             qPrintable(ws->source.warnings[0]));

    QStringList ids;
    for (const Team& team : ws->teams)
        ids.append(team.id);
    QCOMPARE(ids,
             (QStringList{seed::searchTeam, seed::legacyTeam, seed::mlTeam, seed::supportTeam}));

    const Team* ml = findTeam(*ws, seed::mlTeam);
    QCOMPARE(ml->alias, u"ML Research"_s);
    QCOMPARE(ml->organizationId, std::optional<QString>(u"org-acme-research"_s));
    QCOMPARE(ml->models, (QStringList{u"gpt-4o"_s, u"claude-3-5-sonnet"_s, u"beta-models"_s}));
    QCOMPARE(ml->defaultTeamMemberModels, QStringList{u"gpt-4o"_s});
    QVERIFY(!ml->blocked);
    QVERIFY(ml->accessGroupIds.isEmpty());
    // Team model aliases come from LiteLLM_ModelTable through team.model_id.
    QCOMPARE(ml->modelAliases, (StringMap{{u"fast"_s, u"gpt-4o-mini"_s},
                                          {u"smart"_s, u"gpt-4o"_s},
                                          {u"claude"_s, u"claude-3-5-sonnet"_s}}));
    QCOMPARE(ml->modelId, std::optional<QString>(u"1"_s)); // LiteLLM's integer, as text
    QCOMPARE(rosterLine(*ml),
             seed::alice + u"/alice@example.com/admin, "_s + seed::bob +
                 u"/bob@example.com/user, dave@example.com/dave@example.com/user"_s);

    const Team* search = findTeam(*ws, seed::searchTeam);
    QCOMPARE(search->alias, u"Search Platform"_s);
    QCOMPARE(search->models, (QStringList{u"gpt-4o-mini"_s, u"text-embedding-3-small"_s,
                                          u"production-models"_s, u"search-rerank"_s}));
    QCOMPARE(search->defaultTeamMemberModels,
             (QStringList{u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));
    QVERIFY(search->modelAliases.isEmpty()); // model_id NULL
    QVERIFY(!search->modelId);
    QCOMPARE(rosterLine(*search),
             seed::carol + u"/Carol.Nguyen@Example.com/admin, "_s + seed::alice +
                 u"/alice@example.com/user, "_s + seed::bob +
                 u"/bob@example.com/user, erin@example.org/erin@example.org/user, "
                 u"svc-nightly-batch/-/user"_s);

    const Team* support = findTeam(*ws, seed::supportTeam);
    QCOMPARE(support->organizationId, std::nullopt);
    QCOMPARE(support->accessGroupIds, QStringList{u"ag-support-models"_s});
    QVERIFY(support->defaultTeamMemberModels.isEmpty());

    // members_with_roles stored as the column default '{}' (an object) means no members; models,
    // admins and members NULL read as empty lists.
    const Team* legacy = findTeam(*ws, seed::legacyTeam);
    QCOMPARE(legacy->alias, u"Legacy Sandbox"_s);
    QVERIFY(legacy->blocked);
    QVERIFY(legacy->models.isEmpty());
    QVERIFY(legacy->membersWithRoles.isEmpty());
    QVERIFY(legacy->modelAliases.isEmpty());
}

void TestPgStoreRead::snapshotMembershipsAndUsers() {
    auto store = m_pg.store(m_newest);
    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(ws);
    // Ordered by team_id, then user_id.
    QCOMPARE(membershipLines(*ws),
             seed::searchTeam + u'|' + seed::bob + u"|budget-search-bob|\n"_s + seed::searchTeam +
                 u"|erin@example.org|budget-search-member-default|gpt-4o-mini\n"_s +
                 seed::searchTeam +
                 u"|svc-nightly-batch|budget-search-member-default|gpt-4o-mini\n"
                 u"team-ml-research|"_s +
                 seed::bob +
                 u"|budget-ml-bob|gpt-4o\n"
                 u"team-ml-research|dave@example.com|budget-ml-dave|beta-models\n"
                 u"team-support-bots|dave@example.com|-|"_s);

    QCOMPARE(ws->users.size(), 8);
    const User* alice = findUser(*ws, seed::alice);
    QCOMPARE(alice->email, std::optional<QString>(u"alice@example.com"_s));
    QCOMPARE(alice->role, u"internal_user"_s);
    QVERIFY(alice->models.isEmpty());
    QCOMPARE(alice->teams, std::optional(QStringList{seed::mlTeam, seed::searchTeam}));
    const User* carol = findUser(*ws, seed::carol);
    QCOMPARE(carol->email, std::optional<QString>(u"Carol.Nguyen@Example.com"_s));
    const User* dave = findUser(*ws, seed::dave);
    QCOMPARE(dave->models, QStringList{u"no-default-models"_s});
    const User* svc = findUser(*ws, seed::svc);
    QCOMPARE(svc->email, std::nullopt);
    const User* grace = findUser(*ws, seed::grace);
    QCOMPARE(grace->role, u"proxy_admin_viewer"_s);
    QVERIFY(grace->models.isEmpty());            // NULL
    QVERIFY(!grace->extra.contains(u"teams"_s)); // teams NULL
    QCOMPARE(findUser(*ws, seed::admin)->role, u"proxy_admin"_s);
    QVERIFY(findUser(*ws, seed::bob)->models.isEmpty()); // NULL
}

void TestPgStoreRead::snapshotKeys() {
    auto store = m_pg.store(m_newest);
    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(ws);
    QCOMPARE(ws->keys.size(), 8);
    QStringList tokens;
    for (const Key& key : ws->keys)
        tokens.append(key.token);
    QStringList sorted = tokens;
    sorted.sort();
    QCOMPARE(tokens, sorted);

    const Key* ci = findKey(*ws, seed::mlCiKey);
    QCOMPARE(ci->alias, std::optional<QString>(u"ml-research-ci"_s));
    QCOMPARE(ci->teamId, std::optional<QString>(seed::mlTeam));
    QCOMPARE(ci->userId, std::optional<QString>(seed::alice));
    QCOMPARE(ci->projectId, std::optional<QString>(u"proj-ml-eval"_s));
    QVERIFY(ci->models.isEmpty());
    QVERIFY(!ci->blocked);

    const Key* notebook = findKey(*ws, seed::bobNotebookKey);
    QCOMPARE(notebook->models, (QStringList{u"gpt-4o"_s, u"smart"_s}));
    QCOMPARE(notebook->aliases, (StringMap{{u"my-fast"_s, u"gpt-4o-mini"_s}}));
    QVERIFY(notebook->config.isEmpty());

    const Key* prod = findKey(*ws, seed::searchProdKey);
    QCOMPARE(prod->userId, std::nullopt);
    QCOMPARE(prod->models, (QStringList{u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));

    // models NULL and blocked NULL.
    const Key* erin = findKey(*ws, seed::erinDevKey);
    QVERIFY(erin->models.isEmpty());
    QVERIFY(!erin->blocked);
    QCOMPARE(erin->projectId, std::nullopt);

    QCOMPARE(findKey(*ws, seed::supportBotKey)->accessGroupIds,
             QStringList{u"ag-support-models"_s});
    QCOMPARE(findKey(*ws, seed::legacyKey)->teamId, std::optional<QString>(seed::legacyTeam));
    QCOMPARE(findKey(*ws, seed::alicePersonalKey)->teamId, std::nullopt);

    const Key* dave = findKey(*ws, seed::davePersonalKey);
    QVERIFY(dave->blocked);
    QCOMPARE(dave->alias, std::nullopt);
    QCOMPARE(dave->teamId, std::nullopt);
    QCOMPARE(dave->userId, std::optional<QString>(seed::dave));
}

// snapshot -o writes the long lists out while the other tables are still read: what listsRead is
// given must be the very lists the workspace ends up with (shared, not copies that a later change
// detached), each handed over once.
void TestPgStoreRead::snapshotAnnouncesItsLists() {
    auto store = m_pg.store(m_newest);
    std::mutex mutex;
    QList<QList<Team>> teams;
    QList<QList<TeamMembership>> memberships;
    QList<QList<User>> users;
    QList<QList<Key>> keys;
    const auto keep = [&mutex](auto& into) {
        return [&mutex, &into](const auto& list) {
            const std::lock_guard lock(mutex);
            into.append(list);
        };
    };
    CallOptions options;
    options.listsRead = {keep(teams), keep(memberships), keep(users), keep(keys)};
    const Result<Workspace> ws = awaitTask(store->snapshot(std::move(options)));
    VERIFY_SUCCEEDS(ws);
    QCOMPARE(teams.size(), 1);
    QCOMPARE(memberships.size(), 1);
    QCOMPARE(users.size(), 1);
    QCOMPARE(keys.size(), 1);
    QCOMPARE(teams.first().size(), ws->teams.size());
    QCOMPARE(keys.first().size(), 8);
    QCOMPARE(teams.first().constData(), ws->teams.constData());
    QCOMPARE(memberships.first().constData(), ws->teamMemberships.constData());
    QCOMPARE(users.first().constData(), ws->users.constData());
    QCOMPARE(keys.first().constData(), ws->keys.constData());
}

void TestPgStoreRead::snapshotModelsGroupsProjects() {
    auto store = m_pg.store(m_newest);
    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(ws);

    QStringList models;
    for (const ProxyModel& model : ws->proxyModels)
        models.append(model.modelName + u'=' + model.litellmModel + u'=' + model.modelId + u'=' +
                      model.accessGroups.join(u'+'));
    const QString byokName =
        u"model_name_"_s + seed::searchTeam + u"_7d3e9a1b-2c4f-4e6a-8b0d-1f3a5c7e9b12"_s;
    QCOMPARE(models,
             (QStringList{
                 u"claude-3-5-sonnet=anthropic/claude-3-5-sonnet-20241022="
                 u"b1f0c6d2-8a4e-4c7b-9e15-3d2a6f8c0a03=beta-models"_s,
                 u"gpt-4o=openai/gpt-4o=b1f0c6d2-8a4e-4c7b-9e15-3d2a6f8c0a01="
                 u"beta-models+production-models"_s,
                 u"gpt-4o-mini=openai/gpt-4o-mini=b1f0c6d2-8a4e-4c7b-9e15-3d2a6f8c0a02="
                 u"production-models"_s,
                 byokName + u"=cohere/rerank-english-v3.0=7d3e9a1b-2c4f-4e6a-8b0d-1f3a5c7e9b12="_s,
                 u"text-embedding-3-small=openai/text-embedding-3-small="
                 u"b1f0c6d2-8a4e-4c7b-9e15-3d2a6f8c0a04="_s}));
    // The team's own (BYOK) deployment, reachable by its public name only in that team.
    const ProxyModel& byok = ws->proxyModels[3];
    QCOMPARE(byok.teamId, std::optional<QString>(seed::searchTeam));
    QCOMPARE(byok.teamPublicModelName, std::optional<QString>(u"search-rerank"_s));
    QCOMPARE(ws->proxyModels[0].teamId, std::nullopt);

    QCOMPARE(ws->accessGroups.size(), 2);
    const AccessGroup& research = ws->accessGroups[0];
    QCOMPARE(research.id, u"ag-research-tools"_s);
    QCOMPARE(research.name, u"research-tools"_s);
    QCOMPARE(research.modelNames, QStringList{u"gpt-4o"_s});
    QVERIFY(research.assignedTeamIds.isEmpty());
    const AccessGroup& support = ws->accessGroups[1];
    QCOMPARE(support.id, u"ag-support-models"_s);
    QCOMPARE(support.modelNames, (QStringList{u"gpt-4o-mini"_s, u"claude-3-5-sonnet"_s}));
    QCOMPARE(support.assignedTeamIds, QStringList{seed::supportTeam});
    QCOMPARE(support.assignedKeyIds, QStringList{seed::supportBotKey});

    QCOMPARE(ws->organizations.size(), 2);
    QCOMPARE(ws->organizations[0].id, u"6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f"_s);
    QVERIFY(ws->organizations[0].models.isEmpty()); // NULL
    QCOMPARE(ws->organizations[1].alias, u"Acme Research"_s);
    QCOMPARE(ws->organizations[1].models.size(), 5);

    QCOMPARE(ws->projects.size(), 1);
    QCOMPARE(ws->projects[0].id, u"proj-ml-eval"_s);
    QCOMPARE(ws->projects[0].models, (QStringList{u"gpt-4o"_s, u"claude-3-5-sonnet"_s}));
    QVERIFY(!ws->projects[0].blocked);

    // LiteLLM_Config holds no router aliases or model_alias_map in the seed.
    QVERIFY(ws->modelGroupAlias.isEmpty());
    QVERIFY(ws->settings.modelAliasMap.isEmpty());
}

void TestPgStoreRead::snapshotPreMemberScopeLevel() {
    auto store = m_pg.store(m_pre);
    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(ws);
    QCOMPARE(ws->teams.size(), 4);
    QCOMPARE(ws->users.size(), 8);
    QCOMPARE(ws->keys.size(), 8);
    QCOMPARE(ws->proxyModels.size(), 5);
    QCOMPARE(ws->accessGroups.size(), 2);
    QCOMPARE(ws->projects.size(), 1);
    // No scope columns: every member inherits the team's models, no default member models.
    QCOMPARE(ws->teamMemberships.size(), 6);
    for (const TeamMembership& membership : ws->teamMemberships)
        QVERIFY(membership.allowedModels.isEmpty());
    for (const Team& team : ws->teams)
        QVERIFY(team.defaultTeamMemberModels.isEmpty());
    QCOMPARE(findTeam(*ws, seed::mlTeam)->membersWithRoles.size(), 3);
    QCOMPARE(findTeam(*ws, seed::mlTeam)->modelAliases.size(), 3);
}

void TestPgStoreRead::snapshotSettingsSavedThroughTheUi() {
    // /config/update stores litellm_settings in LiteLLM_Config: the global alias map and the
    // personal-key settings the engine's last layer needs.
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(m_pg, db,
                u"UPDATE \"LiteLLM_Config\" SET param_value = param_value || "
                u"'{\"model_alias_map\": {\"gpt4\": \"gpt-4o\"}, "
                u"\"personal_key_model_access_from_teams\": true, "
                u"\"personal_key_multi_team_access\": \"intersection\"}' "
                u"WHERE param_name = 'litellm_settings';"_s);
    auto store = m_pg.store(db);
    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(ws);
    QCOMPARE(ws->settings.modelAliasMap.value(u"gpt4"_s), u"gpt-4o"_s);
    QVERIFY(ws->settings.personalKeyModelAccessFromTeams);
    QCOMPARE(ws->settings.personalKeyMultiTeamAccess, MultiTeamAccess::Intersection);

    // The seed's settings leave them at LiteLLM's defaults.
    const Result<Workspace> seed = awaitTask(m_pg.store(m_newest)->snapshot());
    VERIFY_SUCCEEDS(seed);
    QVERIFY(!seed->settings.personalKeyModelAccessFromTeams);
    QCOMPARE(seed->settings.personalKeyMultiTeamAccess, MultiTeamAccess::Union);
}

// A key whose team was deleted stays in a snapshot (the proxy still serves it), and the snapshot
// says so in source.warnings, which a workspace file keeps.
void TestPgStoreRead::snapshotWarnsAboutKeysOfDeletedTeams() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(m_pg, db,
                u"UPDATE \"LiteLLM_VerificationToken\" SET team_id = 'team-deleted-long-ago' "
                u"WHERE key_alias = 'ml-research-ci';"_s);
    auto store = m_pg.store(db);
    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(ws);
    QCOMPARE(
        ws->source.warnings.value(0),
        u"1 key(s) belong to teams that no longer exist; LiteLLM before 1.99.0 serves them with "
        u"no team limits, newer releases refuse them"_s);
    QVERIFY(std::ranges::any_of(ws->keys, [](const Key& key) {
        return key.alias == u"ml-research-ci"_s && key.teamId == u"team-deleted-long-ago"_s;
    }));
    const Result<Workspace> reread = workspace::parse(workspace::serialize(*ws));
    VERIFY_SUCCEEDS(reread);
    QCOMPARE(reread->source.warnings, ws->source.warnings);
}

void TestPgStoreRead::snapshotHasNoSecrets() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    // A UI login password hash and a model_info value that is not secret, next to the encrypted
    // api_key values litellm_params holds.
    PGTEST_EXEC(
        m_pg, db,
        u"UPDATE \"LiteLLM_UserTable\" SET password = "
        u"'$2b$12$PASSWORDHASHxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' WHERE user_id = '"_s +
            seed::alice +
            u"';"
            u"UPDATE \"LiteLLM_ProxyModelTable\" SET litellm_params = "
            u"litellm_params || '{\"api_base\": \"https://internal.example\", "
            u"\"aws_secret_access_key\": \"AWSSECRET\"}';"_s);
    auto store = m_pg.store(db);
    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(ws);
    const QByteArray text = workspace::serialize(*ws);
    QVERIFY(!text.isEmpty());
    for (const char* secret : {"PASSWORDHASH", "$2b$12$", "Z0FBQUFB", "api_key", "AWSSECRET",
                               "aws_secret_access_key", "internal.example", "password"})
        QVERIFY2(!text.contains(secret), secret);
    // What is kept of a deployment: its backend model and model_info.
    QCOMPARE(ws->proxyModels[1].litellmModel, u"openai/gpt-4o"_s);
    QCOMPARE(ws->proxyModels[1].extra.keys(), QStringList{u"model_info"_s});
}

void TestPgStoreRead::snapshotThroughWorkspaceFormatAndEngine_data() {
    QTest::addColumn<bool>("newest");
    QTest::newRow("newest") << true;
    QTest::newRow("pre-member-scope") << false;
}

void TestPgStoreRead::snapshotThroughWorkspaceFormatAndEngine() {
    QFETCH(bool, newest);
    auto store = m_pg.store(newest ? m_newest : m_pre);
    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(ws);
    const Status valid = workspace::validate(*ws);
    QVERIFY2(valid.ok(), failureText(valid).constData());

    const QByteArray text = workspace::serialize(*ws);
    const Result<Workspace> parsed = workspace::parse(text);
    QVERIFY2(parsed.ok(), failureText(parsed).constData());
    compareWorkspaces(*ws, *parsed);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(workspace::serialize(*parsed), text);

    // The same decision for every key and every model the proxy serves it, from the snapshot in
    // memory and from the file it was written to.
    const AccessEngine memory(*ws);
    const AccessEngine file(*parsed);
    int decisions = 0;
    for (std::int32_t key = 0; key < std::int32_t(ws->keys.size()); ++key) {
        QStringList models = memory.previewModels(Subject::forKey(key), {u"not-on-proxy"_s});
        QCOMPARE(file.previewModels(Subject::forKey(key), {u"not-on-proxy"_s}), models);
        for (const QString& model : models) {
            const QString a = decisionText(memory.decide(key, model));
            const QString b = decisionText(file.decide(key, model));
            QVERIFY2(a == b, qPrintable(ws->keys[key].token + u" × "_s + model + u": "_s + a +
                                        u" vs "_s + b));
            ++decisions;
        }
    }
    QVERIFY(decisions >= 8 * 5);

    // A few decisions the seed is built for.
    auto decide = [&](const QString& token, const QString& model) {
        return memory.decide(memory.findKey(token), model);
    };
    QVERIFY(decide(seed::bobNotebookKey, u"gpt-4o"_s).allowed());
    QCOMPARE(decide(seed::bobNotebookKey, u"claude-3-5-sonnet"_s).deniedBy, Layer::Key);
    QVERIFY(decide(seed::erinDevKey, u"gpt-4o-mini"_s).allowed());
    QCOMPARE(decide(seed::legacyKey, u"gpt-4o-mini"_s).deniedBy, Layer::Team);
    QCOMPARE(decide(seed::davePersonalKey, u"gpt-4o-mini"_s).deniedBy, Layer::Key);
    QVERIFY(decide(seed::searchProdKey, u"text-embedding-3-small"_s).allowed());
    // Erin's (shared) member budget scopes her to gpt-4o-mini on the newest level only.
    const Decision embedding = decide(seed::erinDevKey, u"text-embedding-3-small"_s);
    if (newest)
        QCOMPARE(embedding.deniedBy, Layer::TeamMember);
    else
        QVERIFY(embedding.allowed());
}

void TestPgStoreRead::teamsPaging_data() {
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("pages");
    QTest::newRow("1") << 1 << 4;
    QTest::newRow("3") << 3 << 2;
    QTest::newRow("4") << 4 << 1;
    QTest::newRow("500") << 500 << 1;
}

void TestPgStoreRead::teamsPaging() {
    QFETCH(int, limit);
    QFETCH(int, pages);
    auto store = m_pg.store(m_newest);
    QStringList ids;
    QString after;
    int count = 0;
    do {
        const Result<Page<Team>> page = awaitTask(store->teams({after, limit}));
        VERIFY_SUCCEEDS(page);
        QVERIFY(page->items.size() <= limit);
        QVERIFY(!page->items.isEmpty());
        for (const Team& team : page->items)
            ids.append(team.id);
        // `next` continues after the last item of a full page; empty at the end.
        if (!page->next.isEmpty())
            QCOMPARE(page->next, page->items.back().id);
        after = page->next;
        QVERIFY(++count <= 10);
    } while (!after.isEmpty());
    QCOMPARE(count, pages);
    QCOMPARE(ids,
             (QStringList{seed::searchTeam, seed::legacyTeam, seed::mlTeam, seed::supportTeam}));

    // Pages carry the same team details as the snapshot.
    const Result<Page<Team>> first = awaitTask(store->teams({seed::legacyTeam, 1}));
    VERIFY_SUCCEEDS(first);
    QCOMPARE(first->items.size(), 1);
    QCOMPARE(first->items[0].id, seed::mlTeam);
    QCOMPARE(first->items[0].modelAliases.value(u"smart"_s), u"gpt-4o"_s);
    QCOMPARE(first->items[0].modelId, std::optional<QString>(u"1"_s));
    QCOMPARE(first->items[0].defaultTeamMemberModels, QStringList{u"gpt-4o"_s});
    QCOMPARE(first->next, seed::mlTeam);
    const Result<Page<Team>> past = awaitTask(store->teams({seed::supportTeam, 2}));
    VERIFY_SUCCEEDS(past);
    QVERIFY(past->items.isEmpty());
    QVERIFY(past->next.isEmpty());
}

void TestPgStoreRead::membersOfEachTeam_data() {
    QTest::addColumn<QString>("team");
    QTest::addColumn<QStringList>("members");
    QTest::newRow("ML Research")
        << seed::mlTeam
        << QStringList{seed::alice + u"|alice@example.com|admin|no row|-||-|-|-|0"_s,
                       seed::bob + u"|bob@example.com|user|row|budget-ml-bob|gpt-4o|50|-|-|12.5"_s,
                       u"dave@example.com|dave@example.com|user|row|budget-ml-dave|beta-models|-|"
                       u"10000|-|0"_s};
    QTest::newRow("Search Platform")
        << seed::searchTeam
        << QStringList{
               seed::carol + u"|Carol.Nguyen@Example.com|admin|no row|-||-|-|-|0"_s,
               seed::alice + u"|alice@example.com|user|no row|-||-|-|-|0"_s,
               seed::bob + u"|bob@example.com|user|row|budget-search-bob||100|-|-|1.1"_s,
               u"erin@example.org|erin@example.org|user|row|budget-search-member-default|"
               u"gpt-4o-mini|25|-|60|3.2"_s,
               u"svc-nightly-batch|-|user|row|budget-search-member-default|gpt-4o-mini|25|-|60|"
               u"8.75"_s};
    QTest::newRow("Support Bots")
        << seed::supportTeam
        << QStringList{u"dave@example.com|dave@example.com|admin|row|-||-|-|-|0.4"_s,
                       u"svc-nightly-batch|-|user|no row|-||-|-|-|0"_s};
    QTest::newRow("Legacy Sandbox") << seed::legacyTeam << QStringList{};
}

void TestPgStoreRead::membersOfEachTeam() {
    QFETCH(QString, team);
    QFETCH(QStringList, members);
    auto store = m_pg.store(m_newest);
    const Result<QList<TeamMember>> got = awaitTask(store->members(team));
    VERIFY_SUCCEEDS(got);
    QCOMPARE(memberLines(*got), members);

    // The old level: the same members and limits, no scopes.
    auto old = m_pg.store(m_pre);
    const Result<QList<TeamMember>> oldGot = awaitTask(old->members(team));
    VERIFY_SUCCEEDS(oldGot);
    QCOMPARE(oldGot->size(), members.size());
    for (qsizetype i = 0; i < oldGot->size(); ++i) {
        QVERIFY((*oldGot)[i].allowedModels.isEmpty());
        QCOMPARE((*oldGot)[i].maxBudget, (*got)[i].maxBudget);
        QCOMPARE((*oldGot)[i].budgetId, (*got)[i].budgetId);
    }
}

void TestPgStoreRead::membersByAlias() {
    auto store = m_pg.store(m_newest);
    const Result<QList<TeamMember>> byId = awaitTask(store->members(seed::searchTeam));
    const Result<QList<TeamMember>> byAlias = awaitTask(store->members(u"Search Platform"_s));
    VERIFY_SUCCEEDS(byId);
    VERIFY_SUCCEEDS(byAlias);
    QCOMPARE(memberLines(*byAlias), memberLines(*byId));
}

void TestPgStoreRead::membersFallBackToUserEmail() {
    // A roster entry without user_email takes the email of the users row.
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(
        m_pg, db,
        u"UPDATE \"LiteLLM_UserTable\" SET user_email = 'Dave.Row@example.com' WHERE "
        u"user_id = 'dave@example.com';"
        u"UPDATE \"LiteLLM_TeamTable\" SET members_with_roles = jsonb_set(members_with_roles,"
        u" '{0,user_email}', 'null') WHERE team_id = 'team-support-bots';"
        u"UPDATE \"LiteLLM_TeamTable\" SET members_with_roles = members_with_roles #- "
        u"'{1,user_email}' WHERE team_id = 'team-support-bots';"_s);
    auto store = m_pg.store(db);
    const Result<QList<TeamMember>> got = awaitTask(store->members(seed::supportTeam));
    VERIFY_SUCCEEDS(got);
    QCOMPARE(memberLines(*got),
             (QStringList{u"dave@example.com|Dave.Row@example.com|admin|row|-||-|-|-|0.4"_s,
                          u"svc-nightly-batch|-|user|no row|-||-|-|-|0"_s}));
    // An email in the roster wins over the users row.
    const Result<QList<TeamMember>> ml = awaitTask(store->members(seed::mlTeam));
    VERIFY_SUCCEEDS(ml);
    QCOMPARE(ml->at(2).email, std::optional<QString>(u"dave@example.com"_s));
}

void TestPgStoreRead::membersOfUnknownTeam() {
    auto store = m_pg.store(m_newest);
    const Result<QList<TeamMember>> got = awaitTask(store->members(u"No Such Team"_s));
    VERIFY_FAILS_WITH(got, ErrorKind::NotFound, u"No Such Team"_s);
    const Result<QList<TeamMember>> empty = awaitTask(store->members(QString()));
    VERIFY_FAILS_WITH(empty, ErrorKind::InvalidInput, u"team"_s);
}

QTEST_GUILESS_MAIN(TestPgStoreRead)
#include "tst_pgstore_read.moc"
