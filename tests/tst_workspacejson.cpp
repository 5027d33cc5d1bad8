#include "workspace/WorkspaceJson.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

using namespace litescope;
using namespace Qt::StringLiterals;

namespace {

// Asserts inside helpers only leave the helper; callers check QTest::currentTestFailed().
#define COMPARE_FIELD(a, b, field) QCOMPARE((a).field, (b).field)

void compareProxyModel(const ProxyModel& a, const ProxyModel& b) {
    COMPARE_FIELD(a, b, modelName);
    COMPARE_FIELD(a, b, litellmModel);
    COMPARE_FIELD(a, b, modelId);
    COMPARE_FIELD(a, b, accessGroups);
    COMPARE_FIELD(a, b, teamId);
    COMPARE_FIELD(a, b, teamPublicModelName);
}

void compareTeam(const Team& a, const Team& b) {
    COMPARE_FIELD(a, b, id);
    COMPARE_FIELD(a, b, alias);
    COMPARE_FIELD(a, b, organizationId);
    COMPARE_FIELD(a, b, models);
    COMPARE_FIELD(a, b, defaultTeamMemberModels);
    COMPARE_FIELD(a, b, blocked);
    COMPARE_FIELD(a, b, accessGroupIds);
    COMPARE_FIELD(a, b, modelAliases);
    QCOMPARE(a.membersWithRoles.size(), b.membersWithRoles.size());
    for (qsizetype i = 0; i < a.membersWithRoles.size(); ++i) {
        COMPARE_FIELD(a.membersWithRoles[i], b.membersWithRoles[i], userId);
        COMPARE_FIELD(a.membersWithRoles[i], b.membersWithRoles[i], userEmail);
        COMPARE_FIELD(a.membersWithRoles[i], b.membersWithRoles[i], role);
    }
}

void compareKey(const Key& a, const Key& b) {
    COMPARE_FIELD(a, b, token);
    COMPARE_FIELD(a, b, alias);
    COMPARE_FIELD(a, b, teamId);
    COMPARE_FIELD(a, b, userId);
    COMPARE_FIELD(a, b, projectId);
    COMPARE_FIELD(a, b, models);
    COMPARE_FIELD(a, b, aliases);
    COMPARE_FIELD(a, b, accessGroupIds);
    COMPARE_FIELD(a, b, config);
    COMPARE_FIELD(a, b, blocked);
}

void compareEntities(const Workspace& a, const Workspace& b) {
    QCOMPARE(a.accessGroups.size(), b.accessGroups.size());
    for (qsizetype i = 0; i < a.accessGroups.size(); ++i) {
        COMPARE_FIELD(a.accessGroups[i], b.accessGroups[i], id);
        COMPARE_FIELD(a.accessGroups[i], b.accessGroups[i], name);
        COMPARE_FIELD(a.accessGroups[i], b.accessGroups[i], modelNames);
        COMPARE_FIELD(a.accessGroups[i], b.accessGroups[i], assignedTeamIds);
        COMPARE_FIELD(a.accessGroups[i], b.accessGroups[i], assignedKeyIds);
    }
    QCOMPARE(a.organizations.size(), b.organizations.size());
    for (qsizetype i = 0; i < a.organizations.size(); ++i) {
        COMPARE_FIELD(a.organizations[i], b.organizations[i], id);
        COMPARE_FIELD(a.organizations[i], b.organizations[i], alias);
        COMPARE_FIELD(a.organizations[i], b.organizations[i], models);
    }
    QCOMPARE(a.teamMemberships.size(), b.teamMemberships.size());
    for (qsizetype i = 0; i < a.teamMemberships.size(); ++i) {
        COMPARE_FIELD(a.teamMemberships[i], b.teamMemberships[i], teamId);
        COMPARE_FIELD(a.teamMemberships[i], b.teamMemberships[i], userId);
        COMPARE_FIELD(a.teamMemberships[i], b.teamMemberships[i], budgetId);
        COMPARE_FIELD(a.teamMemberships[i], b.teamMemberships[i], allowedModels);
    }
    QCOMPARE(a.users.size(), b.users.size());
    for (qsizetype i = 0; i < a.users.size(); ++i) {
        COMPARE_FIELD(a.users[i], b.users[i], id);
        COMPARE_FIELD(a.users[i], b.users[i], email);
        COMPARE_FIELD(a.users[i], b.users[i], role);
        COMPARE_FIELD(a.users[i], b.users[i], models);
    }
    QCOMPARE(a.projects.size(), b.projects.size());
    for (qsizetype i = 0; i < a.projects.size(); ++i) {
        COMPARE_FIELD(a.projects[i], b.projects[i], id);
        COMPARE_FIELD(a.projects[i], b.projects[i], models);
        COMPARE_FIELD(a.projects[i], b.projects[i], blocked);
    }
}

// Every known value; `original` is left out on purpose (it differs after a write).
void compareWorkspaces(const Workspace& a, const Workspace& b) {
    COMPARE_FIELD(a, b, source.kind);
    COMPARE_FIELD(a, b, source.label);
    COMPARE_FIELD(a, b, source.capturedAt);
    COMPARE_FIELD(a, b, source.unknown);
    COMPARE_FIELD(a, b, settings.modelAliasMap);
    COMPARE_FIELD(a, b, settings.personalKeyModelAccessFromTeams);
    COMPARE_FIELD(a, b, settings.personalKeyMultiTeamAccess);
    COMPARE_FIELD(a, b, modelProviders);
    QCOMPARE(a.modelGroupAlias.keys(), b.modelGroupAlias.keys());
    for (auto it = a.modelGroupAlias.cbegin(); it != a.modelGroupAlias.cend(); ++it) {
        QCOMPARE(it->target, b.modelGroupAlias[it.key()].target);
        QCOMPARE(it->hidden, b.modelGroupAlias[it.key()].hidden);
    }
    QCOMPARE(a.proxyModels.size(), b.proxyModels.size());
    for (qsizetype i = 0; i < a.proxyModels.size() && !QTest::currentTestFailed(); ++i)
        compareProxyModel(a.proxyModels[i], b.proxyModels[i]);
    QCOMPARE(a.teams.size(), b.teams.size());
    for (qsizetype i = 0; i < a.teams.size() && !QTest::currentTestFailed(); ++i)
        compareTeam(a.teams[i], b.teams[i]);
    QCOMPARE(a.keys.size(), b.keys.size());
    for (qsizetype i = 0; i < a.keys.size() && !QTest::currentTestFailed(); ++i)
        compareKey(a.keys[i], b.keys[i]);
    if (!QTest::currentTestFailed())
        compareEntities(a, b);
}

// A workspace with every field set to something other than its default.
Workspace richWorkspace() {
    Workspace ws;
    ws.source = {u"postgres"_s, u"prod proxy"_s, u"2026-11-23T10:00:00Z"_s, {u"projects"_s}, {}};
    ws.settings.modelAliasMap = {{u"gpt4"_s, u"gpt-4o"_s}};
    ws.settings.personalKeyModelAccessFromTeams = true;
    ws.settings.personalKeyMultiTeamAccess = MultiTeamAccess::Intersection;
    ws.proxyModels = {
        {u"gpt-4o"_s,
         u"openai/gpt-4o"_s,
         u"m-1"_s,
         {u"beta-models"_s},
         std::nullopt,
         std::nullopt,
         {}},
        {u"gpt-4o"_s, u"azure/gpt-4o-2024-11-20"_s, u"m-2"_s, {}, std::nullopt, std::nullopt, {}},
        {u"byok-model_team-a_1"_s,
         u"openai/ft:gpt-4o"_s,
         u"m-3"_s,
         {u"research"_s},
         u"team-a"_s,
         u"my-model"_s,
         {}},
        {u"openai/*"_s, u"openai/*"_s, {}, {}, std::nullopt, std::nullopt, {}},
    };
    ws.modelGroupAlias = {{u"gpt4"_s, {u"gpt-4o"_s, false, {}}},
                          {u"secret"_s, {u"gpt-4o"_s, true, {}}}};
    ws.modelProviders = {{u"my-finetune-x"_s, u"openai"_s}};
    ws.accessGroups = {
        {u"ag-1"_s, u"claude"_s, {u"claude-sonnet"_s}, {u"team-a"_s}, {u"sk-search"_s}, {}}};
    ws.organizations = {{u"org-1"_s, u"Research"_s, {u"gpt-4o"_s, u"claude-sonnet"_s}, {}}};
    Team team;
    team.id = u"team-a"_s;
    team.alias = u"Search"_s;
    team.organizationId = u"org-1"_s;
    team.models = {u"gpt-4o"_s, u"claude-sonnet"_s};
    team.defaultTeamMemberModels = {u"gpt-4o"_s};
    team.blocked = true;
    team.accessGroupIds = {u"ag-1"_s};
    team.modelAliases = {{u"team-gpt"_s, u"gpt-4o"_s}};
    team.membersWithRoles = {{u"u1"_s, u"a@example.com"_s, u"admin"_s, {}},
                             {std::nullopt, u"b@example.com"_s, u"user"_s, {}}};
    ws.teams = {team, Team{u"team-b"_s, {}, std::nullopt, {}, {}, false, {}, {}, {}, {}}};
    ws.teamMemberships = {{u"team-a"_s, u"u1"_s, u"b-1"_s, {u"gpt-4o"_s}, {}},
                          {u"team-b"_s, u"u1"_s, std::nullopt, {}, {}}};
    ws.users = {{u"u1"_s, u"a@example.com"_s, u"internal_user"_s, {u"gpt-4o"_s}, {}}};
    Key key;
    key.token = u"sk-search"_s;
    key.alias = u"search-prod"_s;
    key.teamId = u"team-a"_s;
    key.userId = u"u1"_s;
    key.projectId = u"p-1"_s;
    key.models = {u"gpt-4o"_s};
    key.aliases = {{u"fast"_s, u"gpt-4o-mini"_s}};
    key.accessGroupIds = {u"ag-1"_s};
    key.config = QJsonObject{{u"allowed_routes"_s, QJsonArray{u"/chat/completions"_s}}};
    key.blocked = true;
    ws.keys = {key};
    ws.projects = {{u"p-1"_s, {u"gpt-4o"_s}, true, {}}};
    return ws;
}

// Every string slot of a consistent workspace holds `s` (the ids reference each other).
Workspace workspaceOf(const QString& s) {
    Workspace ws;
    ws.source = {s, s, s, {s}, {}};
    ws.settings.modelAliasMap = {{s, s}};
    ws.proxyModels = {{s, s, s, {s}, s, s, {}}};
    ws.modelGroupAlias = {{s, {s, true, {}}}};
    ws.modelProviders = {{s, s}};
    ws.accessGroups = {{s, s, {s}, {s}, {s}, {}}};
    ws.organizations = {{s, s, {s}, {}}};
    ws.teams = {Team{s, s, s, {s, s}, {s}, false, {s}, {{s, s}}, {{s, s, s, {}}}, {}}};
    ws.teamMemberships = {{s, s, s, {s}, {}}};
    ws.users = {{s, s, s, {s}, {}}};
    ws.keys = {Key{s, s, s, s, s, {s}, {{s, s}}, {s}, QJsonObject{{s, s}}, false, {}}};
    ws.projects = {{s, {s}, false, {}}};
    return ws;
}

QJsonObject sampleFile() {
    QFile file(QStringLiteral(LITESCOPE_TEST_DATA "/conformance/sample.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QJsonValue at(const QJsonValue& root, const QStringList& path) {
    QJsonValue v = root;
    for (const QString& step : path) {
        bool isIndex = false;
        const int index = step.toInt(&isIndex);
        v = isIndex ? v.toArray().at(index) : v.toObject().value(step);
    }
    return v;
}

} // namespace

class TestWorkspaceJson : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void malformed_data();
    void malformed();
    void emptyObjectIsAnEmptyWorkspace();
    void nullMeansAbsent();
    void readsEveryField();
    void routerAliasForms();
    void rawByteOrderMarks();
    void referenceWarnings();
    void validateWorkspaceBuiltInCode();
    void roundTripRichWorkspace();
    void writesEveryKnownField();
    void unknownFieldsSurvive();
    void hostileStrings_data();
    void hostileStrings();
    void conformanceSamples_data();
    void conformanceSamples();
    void writeAndReadFile();
    void readFileErrors();
    void writeFileFailures_data();
    void writeFileFailures();
};

void TestWorkspaceJson::malformed_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");

    const auto row = [](const char* name, const char* json, const QString& message) {
        QTest::newRow(name) << QByteArray(json) << message;
    };
    // Syntax and header.
    row("bad json", R"({"teams": [})",
        u"invalid JSON at line 1, column 13: object is missing after a comma"_s);
    row("bad json line 3", "{\n  \"teams\": [\n    {\"team_id\": tru}\n  ]\n}",
        u"invalid JSON at line 3, column 21: illegal value"_s);
    row("column counts characters", "{\"é🤖\": x}",
        u"invalid JSON at line 1, column 8: illegal number"_s);
    row("position after a bom", "{\"\xEF\xBB\xBFk\": x}",
        u"invalid JSON at line 1, column 8: illegal number"_s);
    row("empty input", "", u"invalid JSON at line 1, column 1: illegal value"_s);
    row("invalid utf-8", "{\"a\": \"\xff\"}",
        u"invalid JSON at line 1, column 8: invalid UTF8 string"_s);
    row("top level array", "[]", u"top level: expected an object"_s);
    row("wrong format", R"({"format": "litellm-config"})",
        u"format: expected \"litescope-workspace\""_s);
    row("format not a string", R"({"format": 1})", u"format: expected \"litescope-workspace\""_s);
    row("newer version", R"({"format": "litescope-workspace", "version": 2})",
        u"version: this file is version 2, newer than this litescope reads (version 1); "
        "update litescope"_s);
    row("version zero", R"({"version": 0})",
        u"version: unsupported version 0 (this litescope reads version 1)"_s);
    row("version as string", R"({"version": "1"})", u"version: expected a whole number"_s);
    row("fractional version", R"({"version": 1.5})", u"version: expected a whole number"_s);

    // Wrong types, top level and nested.
    row("teams not a list", R"({"teams": {}})", u"teams: expected an array"_s);
    row("team not an object", R"({"teams": ["team-a"]})", u"teams[0]: expected an object"_s);
    row("team model not a string",
        R"({"teams": [{"team_id": "a"}, {"team_id": "b"}, {"team_id": "c"},
                      {"team_id": "d", "models": ["gpt-4o", 4]}]})",
        u"teams[3].models[1]: expected a string"_s);
    row("null inside a list", R"({"teams": [{"team_id": "a", "models": [null]}]})",
        u"teams[0].models[0]: expected a string"_s);
    row("key blocked not a bool", R"({"keys": [{"token": "sk-1", "blocked": "yes"}]})",
        u"keys[0].blocked: expected true or false"_s);
    row("team blocked as 0", R"({"teams": [{"team_id": "a", "blocked": 0}]})",
        u"teams[0].blocked: expected true or false"_s);
    row("model_info not an object",
        R"({"proxy_models": [{"model_name": "a"}, {"model_name": "b"},
                             {"model_name": "c", "model_info": []}]})",
        u"proxy_models[2].model_info: expected an object"_s);
    row("model_info access group",
        R"({"proxy_models": [{"model_name": "a", "model_info": {"access_groups": ["x", {}]}}]})",
        u"proxy_models[0].model_info.access_groups[1]: expected a string"_s);
    row("litellm_params model", R"({"proxy_models": [{"model_name": "a",
                                                     "litellm_params": {"model": 7}}]})",
        u"proxy_models[0].litellm_params.model: expected a string"_s);
    row("model_info team_id", R"({"proxy_models": [{"model_name": "a",
                                                   "model_info": {"team_id": false}}]})",
        u"proxy_models[0].model_info.team_id: expected a string"_s);
    row("team alias value", R"({"teams": [{"team_id": "a", "model_aliases": {"x": 1}}]})",
        u"teams[0].model_aliases.x: expected a string"_s);
    row("map key with slash",
        R"({"teams": [{"team_id": "a", "model_aliases": {"openai/gpt 4o": []}}]})",
        u"teams[0].model_aliases[\"openai/gpt 4o\"]: expected a string"_s);
    row("member role", R"({"teams": [{"team_id": "a", "members_with_roles": [{"role": 1}]}]})",
        u"teams[0].members_with_roles[0].role: expected a string"_s);
    row("member user_id", R"({"teams": [{"team_id": "a",
                                         "members_with_roles": [{"role": "user"}, {"user_id": 5}]}]})",
        u"teams[0].members_with_roles[1].user_id: expected a string"_s);
    row("team organization_id", R"({"teams": [{"team_id": "a", "organization_id": 3}]})",
        u"teams[0].organization_id: expected a string"_s);
    row("key config", R"({"keys": [{"token": "sk-1", "config": "x"}]})",
        u"keys[0].config: expected an object"_s);
    row("key aliases", R"({"keys": [{"token": "sk-1", "aliases": ["fast"]}]})",
        u"keys[0].aliases: expected an object"_s);
    row("settings", R"({"settings": []})", u"settings: expected an object"_s);
    row("settings alias map", R"({"settings": {"model_alias_map": {"gpt4": null}}})",
        u"settings.model_alias_map.gpt4: expected a string"_s);
    row("settings bool", R"({"settings": {"personal_key_model_access_from_teams": "true"}})",
        u"settings.personal_key_model_access_from_teams: expected true or false"_s);
    row("source unknown", R"({"source": {"unknown": [1]}})",
        u"source.unknown[0]: expected a string"_s);
    row("model_providers", R"({"model_providers": {"x": 1}})",
        u"model_providers.x: expected a string"_s);
    row("membership allowed_models",
        R"({"team_memberships": [{"team_id": "a", "user_id": "u", "allowed_models": "gpt-4o"}]})",
        u"team_memberships[0].allowed_models: expected an array"_s);

    // Enumerations and alias shapes.
    row("multi team access", R"({"settings": {"personal_key_multi_team_access": "both"}})",
        u"settings.personal_key_multi_team_access: expected \"union\" or \"intersection\""_s);
    row("multi team access number", R"({"settings": {"personal_key_multi_team_access": 1}})",
        u"settings.personal_key_multi_team_access: expected \"union\" or \"intersection\""_s);
    row("group alias number", R"({"model_group_alias": {"gpt4": 4}})",
        u"model_group_alias.gpt4: expected a string or an object {\"model\": …, \"hidden\": …}"_s);
    row("group alias without model", R"({"model_group_alias": {"gpt4": {"hidden": true}}})",
        u"model_group_alias.gpt4.model: missing required field"_s);
    row("group alias hidden", R"({"model_group_alias": {"gpt.4": {"model": "x", "hidden": 1}}})",
        u"model_group_alias[\"gpt.4\"].hidden: expected true or false"_s);

    // Required ids.
    row("team id missing", R"({"teams": [{"team_id": "a"}, {"team_alias": "b"}]})",
        u"teams[1].team_id: missing required field"_s);
    row("key token missing", R"({"keys": [{"key_alias": "k"}]})",
        u"keys[0].token: missing required field"_s);
    row("user id null", R"({"users": [{"user_id": "a"}, {"user_id": "b"}, {"user_id": null}]})",
        u"users[2].user_id: missing required field"_s);
    row("access group id", R"({"access_groups": [{"access_group_name": "g"}]})",
        u"access_groups[0].access_group_id: missing required field"_s);
    row("organization id empty", R"({"organizations": [{"organization_id": ""}]})",
        u"organizations[0].organization_id: missing required field (empty string)"_s);
    row("project id number", R"({"projects": [{"project_id": 7}]})",
        u"projects[0].project_id: expected a string"_s);
    row("membership team", R"({"team_memberships": [{"user_id": "u"}]})",
        u"team_memberships[0].team_id: missing required field"_s);
    row("membership user empty", R"({"team_memberships": [{"team_id": "t", "user_id": ""}]})",
        u"team_memberships[0].user_id: missing required field (empty string)"_s);
    row("model name", R"({"proxy_models": [{"litellm_params": {"model": "openai/x"}}]})",
        u"proxy_models[0].model_name: missing required field"_s);
    row("model name empty", R"({"proxy_models": [{"model_name": ""}]})",
        u"proxy_models[0].model_name: missing required field (empty string)"_s);
    row("key token empty", R"({"keys": [{"token": ""}]})",
        u"keys[0].token: missing required field (empty string)"_s);

    // Duplicates.
    row("duplicate team", R"({"teams": [{"team_id": "a"}, {"team_id": "b"}, {"team_id": "a"}]})",
        u"teams[2].team_id: duplicate \"a\" (also at teams[0].team_id)"_s);
    row("duplicate token", R"({"keys": [{"token": "sk-1"}, {"token": "sk-1"}]})",
        u"keys[1].token: duplicate \"sk-1\" (also at keys[0].token)"_s);
    row("duplicate key alias", R"({"keys": [{"token": "sk-1", "key_alias": "prod"},
                                            {"token": "sk-2", "key_alias": null},
                                            {"token": "sk-3", "key_alias": "prod"}]})",
        u"keys[2].key_alias: duplicate \"prod\" (also at keys[0].key_alias)"_s);
    row("duplicate user", R"({"users": [{"user_id": "u1"}, {"user_id": "u1"}]})",
        u"users[1].user_id: duplicate \"u1\" (also at users[0].user_id)"_s);
    row("duplicate membership", R"({"team_memberships": [{"team_id": "t", "user_id": "u"},
                                                         {"team_id": "t", "user_id": "v"},
                                                         {"team_id": "t", "user_id": "u"}]})",
        u"team_memberships[2]: duplicate membership of user \"u\" in team \"t\" "
        "(also at team_memberships[0])"_s);
    row("duplicate access group",
        R"({"access_groups": [{"access_group_id": "g"}, {"access_group_id": "g"}]})",
        u"access_groups[1].access_group_id: duplicate \"g\" (also at access_groups[0].access_group_id)"_s);
    row("duplicate organization",
        R"({"organizations": [{"organization_id": "o"}, {"organization_id": "o"}]})",
        u"organizations[1].organization_id: duplicate \"o\" "
        "(also at organizations[0].organization_id)"_s);
    row("duplicate project", R"({"projects": [{"project_id": "p"}, {"project_id": "p"}]})",
        u"projects[1].project_id: duplicate \"p\" (also at projects[0].project_id)"_s);

    // References the engine cannot do without.
    row("dangling key team",
        R"({"teams": [{"team_id": "a"}],
            "keys": [{"token": "1", "team_id": "a"}, {"token": "2"}, {"token": "3"},
                     {"token": "4"}, {"token": "5", "team_id": "x"}]})",
        u"keys[4].team_id: no team \"x\" in this workspace"_s);
    row("dangling organization", R"({"teams": [{"team_id": "a", "organization_id": "org-9"}]})",
        u"teams[0].organization_id: no organization \"org-9\" in this workspace"_s);
}

void TestWorkspaceJson::malformed() {
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    const Result<Workspace> ws = workspace::parse(json);
    QVERIFY(!ws.ok());
    QCOMPARE(ws.error().kind, ErrorKind::InvalidInput);
    QCOMPARE(ws.error().message, message);
}

void TestWorkspaceJson::emptyObjectIsAnEmptyWorkspace() {
    const Result<Workspace> ws = workspace::parse("{}");
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    QVERIFY(ws->proxyModels.isEmpty());
    QVERIFY(ws->keys.isEmpty());
    QVERIFY(ws->modelGroupAlias.isEmpty());
    QCOMPARE(ws->settings.personalKeyMultiTeamAccess, MultiTeamAccess::Union);
    QVERIFY(!ws->settings.personalKeyModelAccessFromTeams);
    QVERIFY(workspace::referenceWarnings(*ws).isEmpty());
}

void TestWorkspaceJson::nullMeansAbsent() {
    const Result<Workspace> ws = workspace::parse(R"({
        "source": null, "settings": {"model_alias_map": null, "personal_key_multi_team_access": null},
        "proxy_models": [{"model_name": "m", "litellm_params": null,
                          "model_info": {"id": null, "access_groups": null, "team_id": null}}],
        "model_group_alias": null, "model_providers": null, "access_groups": null,
        "teams": [{"team_id": "t", "team_alias": null, "organization_id": null, "models": null,
                   "default_team_member_models": null, "blocked": null, "access_group_ids": null,
                   "model_aliases": null, "members_with_roles": null}],
        "team_memberships": [{"team_id": "t", "user_id": "u", "budget_id": null,
                              "allowed_models": null}],
        "users": [{"user_id": "u", "user_email": null, "user_role": null, "models": null}],
        "keys": [{"token": "sk", "key_alias": null, "team_id": null, "user_id": null,
                  "project_id": null, "models": null, "aliases": null, "access_group_ids": null,
                  "config": null, "blocked": null}],
        "projects": [{"project_id": "p", "models": null, "blocked": null}]})");
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    QCOMPARE(ws->proxyModels.size(), 1);
    QVERIFY(ws->proxyModels[0].litellmModel.isEmpty());
    QVERIFY(!ws->proxyModels[0].teamId);
    const Team& team = ws->teams.at(0);
    QVERIFY(!team.organizationId);
    QVERIFY(team.models.isEmpty() && team.modelAliases.isEmpty() && !team.blocked);
    QVERIFY(!ws->teamMemberships.at(0).budgetId);
    QVERIFY(!ws->users.at(0).email);
    const Key& key = ws->keys.at(0);
    QVERIFY(!key.alias && !key.teamId && !key.userId && !key.projectId);
    QVERIFY(key.models.isEmpty() && key.aliases.isEmpty() && key.config.isEmpty() && !key.blocked);
    QVERIFY(!ws->projects.at(0).blocked);
}

void TestWorkspaceJson::readsEveryField() {
    const Result<Workspace> ws = workspace::parse(R"({
        "format": "litescope-workspace", "version": 1,
        "source": {"kind": "api", "label": "prod", "captured_at": "2026-11-23T10:00:00Z",
                   "unknown": ["team_memberships"]},
        "settings": {"model_alias_map": {"gpt4": "gpt-4o"},
                     "personal_key_model_access_from_teams": true,
                     "personal_key_multi_team_access": "intersection"},
        "proxy_models": [{"model_name": "gpt-4o", "litellm_params": {"model": "openai/gpt-4o"},
                          "model_info": {"id": "m1", "access_groups": ["beta"], "team_id": "t",
                                         "team_public_model_name": "pub"}}],
        "model_providers": {"my-ft": "openai"},
        "access_groups": [{"access_group_id": "ag", "access_group_name": "n",
                           "access_model_names": ["m"], "assigned_team_ids": ["t"],
                           "assigned_key_ids": ["sk"]}],
        "organizations": [{"organization_id": "o", "organization_alias": "Org", "models": ["m"]}],
        "teams": [{"team_id": "t", "team_alias": "T", "organization_id": "o", "models": ["m"],
                   "default_team_member_models": ["d"], "blocked": true,
                   "access_group_ids": ["ag"], "model_aliases": {"a": "m"},
                   "members_with_roles": [{"user_id": "u", "user_email": "e", "role": "admin"}]}],
        "team_memberships": [{"team_id": "t", "user_id": "u", "budget_id": "b",
                              "allowed_models": ["m"]}],
        "users": [{"user_id": "u", "user_email": "e", "user_role": "internal_user",
                   "models": ["m"]}],
        "keys": [{"token": "sk", "key_alias": "k", "team_id": "t", "user_id": "u",
                  "project_id": "p", "models": ["m"], "aliases": {"x": "m"},
                  "access_group_ids": ["ag"], "config": {"c": 1}, "blocked": true}],
        "projects": [{"project_id": "p", "models": ["m"], "blocked": true}]})");
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    QCOMPARE(ws->source.kind, u"api"_s);
    QCOMPARE(ws->source.unknown, QStringList{u"team_memberships"_s});
    QCOMPARE(ws->settings.modelAliasMap.value(u"gpt4"_s), u"gpt-4o"_s);
    QVERIFY(ws->settings.personalKeyModelAccessFromTeams);
    QCOMPARE(ws->settings.personalKeyMultiTeamAccess, MultiTeamAccess::Intersection);
    const ProxyModel& model = ws->proxyModels.at(0);
    QCOMPARE(model.litellmModel, u"openai/gpt-4o"_s);
    QCOMPARE(model.modelId, u"m1"_s);
    QCOMPARE(model.accessGroups, QStringList{u"beta"_s});
    QCOMPARE(model.teamId, u"t"_s);
    QCOMPARE(model.teamPublicModelName, u"pub"_s);
    QCOMPARE(ws->modelProviders.value(u"my-ft"_s), u"openai"_s);
    QCOMPARE(ws->accessGroups.at(0).assignedKeyIds, QStringList{u"sk"_s});
    QCOMPARE(ws->organizations.at(0).alias, u"Org"_s);
    const Team& team = ws->teams.at(0);
    QCOMPARE(team.organizationId, u"o"_s);
    QCOMPARE(team.defaultTeamMemberModels, QStringList{u"d"_s});
    QVERIFY(team.blocked);
    QCOMPARE(team.modelAliases.value(u"a"_s), u"m"_s);
    QCOMPARE(team.membersWithRoles.at(0).userEmail, u"e"_s);
    QCOMPARE(team.membersWithRoles.at(0).role, u"admin"_s);
    QCOMPARE(ws->teamMemberships.at(0).budgetId, u"b"_s);
    QCOMPARE(ws->users.at(0).role, u"internal_user"_s);
    const Key& key = ws->keys.at(0);
    QCOMPARE(key.alias, u"k"_s);
    QCOMPARE(key.projectId, u"p"_s);
    QCOMPARE(key.config.value(u"c"_s).toInt(), 1);
    QVERIFY(key.blocked);
    QVERIFY(ws->projects.at(0).blocked);
    QCOMPARE(ws->teams.at(0).original.value(u"team_alias"_s).toString(), u"T"_s);
    QCOMPARE(ws->original.value(u"version"_s).toInt(), 1);
    QVERIFY(workspace::referenceWarnings(*ws).isEmpty());
}

void TestWorkspaceJson::routerAliasForms() {
    const Result<Workspace> ws = workspace::parse(R"({"model_group_alias": {
        "plain": "gpt-4o", "object": {"model": "gpt-4o-mini"},
        "hidden": {"model": "claude", "hidden": true, "note": "kept"}}})");
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    QCOMPARE(ws->modelGroupAlias.value(u"plain"_s).target, u"gpt-4o"_s);
    QVERIFY(!ws->modelGroupAlias.value(u"plain"_s).hidden);
    QCOMPARE(ws->modelGroupAlias.value(u"object"_s).target, u"gpt-4o-mini"_s);
    QCOMPARE(ws->modelGroupAlias.value(u"hidden"_s).target, u"claude"_s);
    QVERIFY(ws->modelGroupAlias.value(u"hidden"_s).hidden);
    QVERIFY(ws->modelGroupAlias.value(u"plain"_s).original.isString());

    // Each entry keeps the spelling it was read in.
    const QJsonObject written =
        workspace::toJsonObject(*ws).value(u"model_group_alias"_s).toObject();
    QCOMPARE(written.value(u"plain"_s), QJsonValue(u"gpt-4o"_s));
    QCOMPARE(written.value(u"object"_s).toObject().value(u"model"_s), QJsonValue(u"gpt-4o-mini"_s));
    QCOMPARE(written.value(u"hidden"_s).toObject().value(u"note"_s), QJsonValue(u"kept"_s));

    // An alias made hidden in code needs the object form.
    Workspace edited = *ws;
    edited.modelGroupAlias[u"plain"_s].hidden = true;
    const QJsonObject rewritten =
        workspace::toJsonObject(edited).value(u"model_group_alias"_s).toObject();
    QCOMPARE(rewritten.value(u"plain"_s).toObject(),
             (QJsonObject{{u"model"_s, u"gpt-4o"_s}, {u"hidden"_s, true}}));
}

// Other tools (Python's json.dumps(ensure_ascii=False)) write U+FEFF raw; Qt alone would drop
// it at the start of a string.
void TestWorkspaceJson::rawByteOrderMarks() {
    const QByteArray json = "\xEF\xBB\xBF{\"teams\": [{\"team_id\": \"\xEF\xBB\xBFt\", "
                            "\"model_aliases\": {\"\xEF\xBB\xBF"
                            "a\": \"\xEF\xBB\xBF\"}}]}";
    const Result<Workspace> ws = workspace::parse(json);
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    const QString bom(QChar(0xFEFF));
    QCOMPARE(ws->teams.at(0).id, bom + u't');
    QCOMPARE(ws->teams.at(0).modelAliases, (StringMap{{bom + u'a', bom}}));
    QVERIFY(!workspace::serialize(*ws).contains("\xEF\xBB\xBF"));
}

void TestWorkspaceJson::referenceWarnings() {
    const Result<Workspace> ws = workspace::parse(R"({
        "proxy_models": [{"model_name": "byok", "model_info": {"team_id": "gone"}}],
        "access_groups": [{"access_group_id": "ag", "assigned_team_ids": ["t", "t-x"],
                           "assigned_key_ids": ["sk-x"]}],
        "teams": [{"team_id": "t", "access_group_ids": ["ag", "ag-missing"]}],
        "team_memberships": [{"team_id": "t", "user_id": "u"},
                             {"team_id": "t-old", "user_id": "u-old"}],
        "users": [{"user_id": "u"}],
        "keys": [{"token": "sk", "team_id": "t", "user_id": "u-x", "project_id": "p-x",
                  "access_group_ids": ["ag-y"]},
                 {"token": "sk2", "user_id": "u", "access_group_ids": ["ag"]}]})");
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    const QStringList expected = {
        u"proxy_models[0].model_info.team_id: no team \"gone\" in this workspace"_s,
        u"access_groups[0].assigned_team_ids[1]: no team \"t-x\" in this workspace"_s,
        u"access_groups[0].assigned_key_ids[0]: no key \"sk-x\" in this workspace"_s,
        u"teams[0].access_group_ids[1]: no access group \"ag-missing\" in this workspace"_s,
        u"team_memberships[1].team_id: no team \"t-old\" in this workspace"_s,
        u"team_memberships[1].user_id: no user \"u-old\" in this workspace"_s,
        u"keys[0].user_id: no user \"u-x\" in this workspace"_s,
        u"keys[0].project_id: no project \"p-x\" in this workspace"_s,
        u"keys[0].access_group_ids[0]: no access group \"ag-y\" in this workspace"_s,
    };
    QCOMPARE(workspace::referenceWarnings(*ws), expected);
    QVERIFY(workspace::referenceWarnings(richWorkspace()).isEmpty());
}

void TestWorkspaceJson::validateWorkspaceBuiltInCode() {
    QVERIFY(workspace::validate(richWorkspace()).ok());

    Workspace ws = richWorkspace();
    ws.teams[1].id.clear();
    QCOMPARE(workspace::validate(ws).error().message,
             u"teams[1].team_id: missing required field (empty string)"_s);

    ws = richWorkspace();
    ws.keys.append(ws.keys.at(0));
    ws.keys[1].token = u"sk-other"_s;
    QCOMPARE(workspace::validate(ws).error().message,
             u"keys[1].key_alias: duplicate \"search-prod\" (also at keys[0].key_alias)"_s);

    // Long or odd values are shown escaped and shortened.
    ws = richWorkspace();
    ws.keys[0].teamId = u"line\nbreak \"quoted\" "_s + QString(200, u'x');
    QCOMPARE(workspace::validate(ws).error().message,
             u"keys[0].team_id: no team \"line\\u000abreak \\\"quoted\\\" "_s + QString(60, u'x') +
                 u"…\" in this workspace"_s);
}

void TestWorkspaceJson::roundTripRichWorkspace() {
    const Workspace ws = richWorkspace();
    const QByteArray first = workspace::serialize(ws);
    const Result<Workspace> back = workspace::parse(first);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    compareWorkspaces(*back, ws);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(workspace::serialize(*back), first);
    QVERIFY(first.contains("\n    \"format\": \"litescope-workspace\""));
    QVERIFY(first.contains("\n    \"version\": 1"));
}

void TestWorkspaceJson::writesEveryKnownField() {
    Workspace ws;
    ws.teams = {Team{u"t"_s, {}, std::nullopt, {}, {}, false, {}, {}, {}, {}}};
    ws.keys = {Key{u"sk"_s, {}, {}, {}, {}, {}, {}, {}, {}, false, {}}};
    ws.proxyModels = {ProxyModel{u"m"_s, {}, {}, {}, {}, {}, {}}};
    const QJsonObject o = workspace::toJsonObject(ws);
    for (const char* field :
         {"format", "version", "source", "settings", "proxy_models", "model_group_alias",
          "model_providers", "access_groups", "organizations", "teams", "team_memberships", "users",
          "keys", "projects"})
        QVERIFY2(o.contains(QLatin1StringView(field)), field);
    const QJsonObject key = o.value(u"keys"_s).toArray().at(0).toObject();
    QCOMPARE(key.value(u"team_id"_s), QJsonValue(QJsonValue::Null));
    QCOMPARE(key.value(u"models"_s), QJsonValue(QJsonArray()));
    QCOMPARE(key.value(u"aliases"_s), QJsonValue(QJsonObject()));
    QCOMPARE(key.value(u"blocked"_s), QJsonValue(false));
    const QJsonObject team = o.value(u"teams"_s).toArray().at(0).toObject();
    QCOMPARE(team.value(u"organization_id"_s), QJsonValue(QJsonValue::Null));
    QCOMPARE(team.value(u"members_with_roles"_s), QJsonValue(QJsonArray()));
    const QJsonObject info =
        o.value(u"proxy_models"_s).toArray().at(0).toObject().value(u"model_info"_s).toObject();
    QCOMPARE(info.value(u"id"_s), QJsonValue(QJsonValue::Null));
    QCOMPARE(info.value(u"team_id"_s), QJsonValue(QJsonValue::Null));
    QCOMPARE(o.value(u"settings"_s).toObject().value(u"personal_key_multi_team_access"_s),
             QJsonValue(u"union"_s));
}

void TestWorkspaceJson::unknownFieldsSurvive() {
    const QByteArray json = R"({
        "format": "litescope-workspace", "version": 1, "x_top": {"nested": [1, 2.5, null]},
        "source": {"kind": "file", "x_source": "s"},
        "settings": {"x_settings": true, "model_alias_map": {}},
        "proxy_models": [{"model_name": "m", "x_model": 1,
                          "litellm_params": {"model": "openai/m", "api_base": "https://x",
                                             "rpm": 100},
                          "model_info": {"id": "i", "db_model": true, "x_info": {"a": "b"}}}],
        "model_group_alias": {"g": {"model": "m", "x_alias": "kept"}},
        "access_groups": [{"access_group_id": "ag", "created_by": "admin"}],
        "organizations": [{"organization_id": "o", "budget_id": "b-o"}],
        "teams": [{"team_id": "t", "metadata": {"tags": ["r"]}, "spend": 12.5,
                   "members_with_roles": [{"user_id": "u", "role": "user", "x_member": 3}]}],
        "team_memberships": [{"team_id": "t", "user_id": "u", "spend": 0.25}],
        "users": [{"user_id": "u", "teams": ["t"]}],
        "keys": [{"token": "sk", "key_name": "sk-...abcd", "expires": null,
                  "config": {"x_config": {"deep": [true]}}}],
        "projects": [{"project_id": "p", "x_project": "y"}]})";
    const Result<Workspace> ws = workspace::parse(json);
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    const QByteArray written = workspace::serialize(*ws);
    const QJsonObject out = QJsonDocument::fromJson(written).object();

    const QList<std::pair<QStringList, QJsonValue>> expected = {
        {{u"x_top"_s, u"nested"_s, u"1"_s}, 2.5},
        {{u"source"_s, u"x_source"_s}, u"s"_s},
        {{u"settings"_s, u"x_settings"_s}, true},
        {{u"proxy_models"_s, u"0"_s, u"x_model"_s}, 1},
        {{u"proxy_models"_s, u"0"_s, u"litellm_params"_s, u"api_base"_s}, u"https://x"_s},
        {{u"proxy_models"_s, u"0"_s, u"litellm_params"_s, u"rpm"_s}, 100},
        {{u"proxy_models"_s, u"0"_s, u"model_info"_s, u"db_model"_s}, true},
        {{u"proxy_models"_s, u"0"_s, u"model_info"_s, u"x_info"_s, u"a"_s}, u"b"_s},
        {{u"model_group_alias"_s, u"g"_s, u"x_alias"_s}, u"kept"_s},
        {{u"access_groups"_s, u"0"_s, u"created_by"_s}, u"admin"_s},
        {{u"organizations"_s, u"0"_s, u"budget_id"_s}, u"b-o"_s},
        {{u"teams"_s, u"0"_s, u"metadata"_s, u"tags"_s, u"0"_s}, u"r"_s},
        {{u"teams"_s, u"0"_s, u"spend"_s}, 12.5},
        {{u"teams"_s, u"0"_s, u"members_with_roles"_s, u"0"_s, u"x_member"_s}, 3},
        {{u"team_memberships"_s, u"0"_s, u"spend"_s}, 0.25},
        {{u"users"_s, u"0"_s, u"teams"_s, u"0"_s}, u"t"_s},
        {{u"keys"_s, u"0"_s, u"key_name"_s}, u"sk-...abcd"_s},
        {{u"keys"_s, u"0"_s, u"expires"_s}, QJsonValue(QJsonValue::Null)},
        {{u"keys"_s, u"0"_s, u"config"_s, u"x_config"_s, u"deep"_s, u"0"_s}, true},
        {{u"projects"_s, u"0"_s, u"x_project"_s}, u"y"_s},
    };
    for (const auto& [path, value] : expected)
        QVERIFY2(at(out, path) == value, qPrintable(path.join(u'.')));

    const Result<Workspace> again = workspace::parse(written);
    QVERIFY(again.ok());
    QCOMPARE(workspace::serialize(*again), written);
}

void TestWorkspaceJson::hostileStrings_data() {
    QTest::addColumn<QString>("value");
    const auto row = [](const char* name, const QString& value) { QTest::newRow(name) << value; };
    row("double quote", u"\""_s);
    row("quoted word", u"say \"hi\""_s);
    row("backslash", u"\\"_s);
    row("windows path", u"C:\\models\\gpt"_s);
    row("escaped quote text", u"\\\"not json\\\""_s);
    row("braces", u"{}"_s);
    row("json object text", u"{\"model\": \"x\"}"_s);
    row("brackets", u"[]"_s);
    row("comma", u","_s);
    row("csv", u"gpt-4o,claude"_s);
    row("NULL", u"NULL"_s);
    row("null", u"null"_s);
    row("true", u"true"_s);
    row("emoji", u"🤖"_s);
    row("emoji in name", u"gpt-4o 🚀 mini"_s);
    row("zwj family", u"👩‍👩‍👧"_s);
    row("hebrew", u"מודל-ארגוני"_s);
    row("arabic", u"نموذج-٤"_s);
    row("rlo override", u"\u202Egpt-4o"_s);
    row("combining accent", u"e\u0301"_s);
    row("tab", u"a\tb"_s);
    row("control 0x01", u"a\u0001b"_s);
    row("newline", u"a\nb"_s);
    row("crlf", u"a\r\nb"_s);
    row("nul character", u"a\u0000b"_s);
    row("del", u"a\u007fb"_s);
    row("line separator", u"a\u2028b"_s);
    row("bom", u"\uFEFFgpt-4o"_s);
    row("bom inside", u"gpt\uFEFF-4o"_s);
    row("two boms", u"\uFEFF\uFEFF"_s);
    row("astral", u"𝔘𝔫𝔦"_s);
    row("10 KB", QString(10 * 1024, u'm'));
    row("10 KB mixed", QString(u"a/b:c.d*e \"🤖\" "_s).repeated(700));
    row("leading space", u" gpt-4o"_s);
    row("trailing space", u"gpt-4o "_s);
    row("only spaces", u"   "_s);
    row("star", u"*"_s);
    row("regex class", u"[a-z]"_s);
    row("regex", u"^gpt-.*$"_s);
    row("provider wildcard", u"openai/*"_s);
    row("bedrock id", u"bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"_s);
    row("all punctuation", u"a/b:c.d*e"_s);
    row("single quotes", u"'single'"_s);
    row("format specifiers", u"%s %1 %n %%"_s);
    row("html", u"<script>alert(1)</script>"_s);
    row("path traversal", u"../../etc/passwd"_s);
    row("json pointer", u"$ref"_s);
    row("all-proxy-models", u"all-proxy-models"_s);
}

void TestWorkspaceJson::hostileStrings() {
    QFETCH(QString, value);
    const Workspace ws = workspaceOf(value);
    QVERIFY(workspace::validate(ws).ok());
    const QByteArray first = workspace::serialize(ws);
    const Result<Workspace> back = workspace::parse(first);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    compareWorkspaces(*back, ws);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(back->teams.at(0).models.at(0).size(), value.size());
    QCOMPARE(workspace::serialize(*back), first);
    QVERIFY(workspace::referenceWarnings(*back).isEmpty());
}

void TestWorkspaceJson::conformanceSamples_data() {
    QTest::addColumn<QJsonObject>("workspaceObject");
    const QJsonArray cases = sampleFile().value(u"cases"_s).toArray();
    QVERIFY2(cases.size() == 60, "tests/conformance/sample.json should hold 60 cases");
    for (qsizetype i = 0; i < cases.size(); ++i) {
        const QJsonObject c = cases.at(i).toObject();
        const QString name =
            u"%1 %2"_s.arg(i, 2, 10, QLatin1Char('0')).arg(c.value(u"name"_s).toString());
        QTest::newRow(qPrintable(name)) << c.value(u"workspace"_s).toObject();
    }
}

void TestWorkspaceJson::conformanceSamples() {
    QFETCH(QJsonObject, workspaceObject);
    const Result<Workspace> ws = workspace::parseObject(workspaceObject);
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    QCOMPARE(ws->original, workspaceObject);

    const QByteArray written = workspace::serialize(*ws);
    const Result<Workspace> back = workspace::parse(written);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    compareWorkspaces(*back, *ws);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(workspace::serialize(*back), written);
}

void TestWorkspaceJson::writeAndReadFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"snapshot ws.json"_s);
    const Workspace ws = richWorkspace();
    const Status written = workspace::writeFile(ws, path);
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().message));

    Result<Workspace> back = workspace::readFile(path);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    compareWorkspaces(*back, ws);
    if (QTest::currentTestFailed())
        return;

    // Overwriting replaces the whole file.
    Workspace smaller;
    QVERIFY(workspace::writeFile(smaller, path).ok());
    back = workspace::readFile(path);
    QVERIFY(back.ok());
    QVERIFY(back->teams.isEmpty());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), workspace::serialize(smaller));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"snapshot ws.json"_s});
}

void TestWorkspaceJson::readFileErrors() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    const QString missing = dir.filePath(u"missing.json"_s);
    Result<Workspace> ws = workspace::readFile(missing);
    QVERIFY(!ws.ok());
    QCOMPARE(ws.error().kind, ErrorKind::NotFound);
    QCOMPARE(ws.error().message, u"cannot read "_s + missing + u": No such file or directory"_s);

    ws = workspace::readFile(dir.path());
    QVERIFY(!ws.ok());
    QCOMPARE(ws.error().kind, ErrorKind::Io);
    QVERIFY2(ws.error().message.startsWith(u"cannot read "_s + dir.path() + u": "_s),
             qPrintable(ws.error().message));

    const QString broken = dir.filePath(u"broken.json"_s);
    QFile file(broken);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"keys": [{"token": 1}]})");
    file.close();
    ws = workspace::readFile(broken);
    QVERIFY(!ws.ok());
    QCOMPARE(ws.error().kind, ErrorKind::InvalidInput);
    QCOMPARE(ws.error().message, broken + u": keys[0].token: expected a string"_s);
}

void TestWorkspaceJson::writeFileFailures_data() {
    QTest::addColumn<QString>("relativePath");
    QTest::addColumn<QString>("reason"); // empty: any OS reason
    QTest::newRow("missing directory")
        << u"no-such-dir/ws.json"_s << u"No such file or directory"_s;
    QTest::newRow("parent is a file") << u"plain-file/ws.json"_s << u"Not a directory"_s;
    QTest::newRow("read-only directory") << u"read-only/ws.json"_s << QString();
}

void TestWorkspaceJson::writeFileFailures() {
    QFETCH(QString, relativePath);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile plain(dir.filePath(u"plain-file"_s));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.close();
    const QString readOnly = dir.filePath(u"read-only"_s);
    QVERIFY(QDir(dir.path()).mkdir(u"read-only"_s));
    const QByteArray old = workspace::serialize(richWorkspace());
    QFile existing(readOnly + u"/ws.json"_s);
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write(old);
    existing.close();
    QVERIFY(QFile::setPermissions(readOnly, QFile::ReadOwner | QFile::ExeOwner));
    const auto restore = qScopeGuard([&] {
        QFile::setPermissions(readOnly, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    });

    if (relativePath.startsWith(u"read-only"_s)) {
        QFile probe(readOnly + u"/probe"_s);
        if (probe.open(QIODevice::WriteOnly))
            QSKIP("running as root: directory permissions do not stop writes");
    }

    const QString path = dir.filePath(relativePath);
    const Status status = workspace::writeFile(Workspace(), path);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().kind, ErrorKind::Io);
    const QString prefix = u"cannot write "_s + path + u": "_s;
    QVERIFY2(status.error().message.startsWith(prefix), qPrintable(status.error().message));
    QVERIFY(status.error().message.size() > prefix.size());
    if (!reason.isEmpty())
        QCOMPARE(status.error().message, prefix + reason);

    // Atomic: a failed write leaves the old file as it was.
    QFile after(readOnly + u"/ws.json"_s);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QCOMPARE(after.readAll(), old);
}

QTEST_GUILESS_MAIN(TestWorkspaceJson)
#include "tst_workspacejson.moc"
