// Reading workspace files: the error message for each kind of malformed input, what absent and
// null fields mean, every field read, router alias spellings, raw byte order marks, the warnings
// for references to entities the file does not hold, and workspace::validate() on code-built
// workspaces. Shared helpers: support/WorkspaceTestSupport.h.
#include "support/WorkspaceTestSupport.h"
#include "workspace/WorkspaceJson.h"

#include <QJsonObject>
#include <QTest>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

// The class comes before the first raw string literal: moc stops reading at JSON in R"(...)".
class TestWorkspaceJsonRead : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void malformed_data();
    void malformed();
    void headerAloneIsAnEmptyWorkspace();
    void nullMeansAbsent();
    void readsEveryField();
    void routerAliasForms();
    void rawByteOrderMarks();
    void referenceWarnings();
    void validateWorkspaceBuiltInCode();
};

void TestWorkspaceJsonRead::malformed_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");

    // Syntax and header: the text as written.
    const auto text = [](const char* name, const char* json, const QString& message) {
        QTest::newRow(name) << QByteArray(json) << message;
    };
    // Everything else: a workspace file with these fields.
    const auto row = [](const char* name, const char* json, const QString& message) {
        QTest::newRow(name) << workspaceText(json) << message;
    };
    text("bad json", R"({"teams": [})",
         u"invalid JSON at line 1, column 13: object is missing after a comma"_s);
    text("bad json line 3", "{\n  \"teams\": [\n    {\"team_id\": tru}\n  ]\n}",
         u"invalid JSON at line 3, column 21: illegal value"_s);
    text("column counts characters", "{\"é🤖\": x}",
         u"invalid JSON at line 1, column 8: illegal number"_s);
    text("position after a bom", "{\"\xEF\xBB\xBFk\": x}",
         u"invalid JSON at line 1, column 8: illegal number"_s);
    text("empty input", "", u"invalid JSON at line 1, column 1: illegal value"_s);
    text("invalid utf-8", "{\"a\": \"\xff\"}",
         u"invalid JSON at line 1, column 8: invalid UTF8 string"_s);
    text("top level array", "[]", u"top level: expected an object"_s);
    text("wrong format", R"({"format": "litellm-config"})",
         u"format: expected \"litescope-workspace\""_s);
    text("format not a string", R"({"format": 1})", u"format: expected \"litescope-workspace\""_s);
    text("newer version", R"({"format": "litescope-workspace", "version": 2})",
         u"version: this file is version 2, newer than this litescope reads (version 1); "
         "update litescope"_s);
    text("version zero", R"({"format": "litescope-workspace", "version": 0})",
         u"version: unsupported version 0 (this litescope reads version 1)"_s);
    text("version as string", R"({"format": "litescope-workspace", "version": "1"})",
         u"version: expected a whole number"_s);
    text("fractional version", R"({"format": "litescope-workspace", "version": 1.5})",
         u"version: expected a whole number"_s);
    const auto notAWorkspace = [](const char* field) {
        return u"not a litescope workspace (no \"%1\" field; a workspace starts {\"format\": "
               "\"litescope-workspace\", \"version\": 1, ...})"_s.arg(QLatin1StringView(field));
    };
    text("another json object", R"({"name": "config", "teams": []})", notAWorkspace("format"));
    text("empty object", "{}", notAWorkspace("format"));
    text("loose json object", R"({"a": 1.})", notAWorkspace("format")); // refused after parsing
    text("no version", R"({"format": "litescope-workspace", "teams": []})",
         notAWorkspace("version"));

    // A key twice in one object: Qt keeps one value without a word. The first fault counts.
    const auto duplicate = [](const QString& path, int line, int column) {
        return u"%1: duplicate key (again at line %2, column %3); an object names each key once"_s
            .arg(path)
            .arg(line)
            .arg(column);
    };
    row("duplicate field",
        "{\"teams\": [{\"team_id\": \"a\"}, {\"team_id\": \"b\", \"models\": [],\n  \"models\": "
        "[\"x\"]}]}",
        duplicate(u"teams[1].models"_s, 2, 3));
    row("duplicate alias",
        "{\"model_group_alias\": {\"openai/gpt-4o\": \"a\",\n \"openai/gpt-4o\": \"b\"}}",
        duplicate(u"model_group_alias[\"openai/gpt-4o\"]"_s, 2, 2));
    row("duplicate spelled with an escape",
        "{\"model_providers\": {\"a\": \"x\",\n\"\\u0061\": \"y\"}}",
        duplicate(u"model_providers.a"_s, 2, 1));
    row("duplicate unknown escape", "{\"model_providers\": {\"q\": \"x\",\n\"\\q\": \"y\"}}",
        duplicate(u"model_providers.q"_s, 2, 1));
    row("duplicate accented key", "{\"model_providers\": {\"é\": \"x\",\n\"\\u00e9\": \"y\"}}",
        duplicate(u"model_providers[\"é\"]"_s, 2, 1));
    row("duplicate emoji key",
        "{\"model_providers\": {\"🤖\": \"x\",\n\"\\ud83e\\udd16\": \"y\"}}",
        duplicate(u"model_providers[\"🤖\"]"_s, 2, 1));
    row("duplicate list", "{\"teams\": [],\n\"teams\": []}", duplicate(u"teams"_s, 2, 1));
    text("duplicate format",
         "{\"format\": \"litescope-workspace\",\n\"format\": \"litescope-workspace\", \"version\": "
         "1}",
         duplicate(u"format"_s, 2, 1));
    row("duplicate in an unknown field", "{\"x_extra\": {\"deep\": [{\"k\": 1,\n\"k\": 2}]}}",
        duplicate(u"x_extra.deep[0].k"_s, 2, 1));
    row("duplicate after a number qt takes", "{\"x\": 1., \"a\": 1,\n\"a\": 2}",
        duplicate(u"a"_s, 2, 1));
    row("duplicate before invalid json", "{\"a\": 1,\n\"a\": 2,\n\"b\": tru}",
        duplicate(u"a"_s, 2, 1));
    row("invalid json before a duplicate", "{\"a\": 1,\n\"b\": tru,\n\"a\": 2}",
        u"invalid JSON at line 2, column 10: illegal value"_s);

    // Wrong types, top level and nested.
    row("teams not a list", R"({"teams": {}})", u"teams: expected an array"_s);
    row("team not an object", R"({"teams": ["team-a"]})", u"teams[0]: expected an object"_s);
    row("team model not a string",
        R"({"teams": [{"team_id": "a"}, {"team_id": "b"}, {"team_id": "c"},
                      {"team_id": "d", "models": ["gpt-4o", 4]}]})",
        u"teams[3].models[1]: expected a string"_s);
    row("null inside a list", R"({"teams": [{"team_id": "a", "models": [null]}]})",
        u"teams[0].models[0]: expected a string"_s);
    row("fractional model_id", R"({"teams": [{"team_id": "a", "model_id": 1.5}]})",
        u"teams[0].model_id: expected a string or a whole number"_s);
    row("model_id an object", R"({"teams": [{"team_id": "a", "model_id": {"id": 1}}]})",
        u"teams[0].model_id: expected a string or a whole number"_s);
    row("warnings not a list", R"({"source": {"warnings": "careful"}})",
        u"source.warnings: expected an array"_s);
    row("warning not a string", R"({"source": {"warnings": ["a", 2]}})",
        u"source.warnings[1]: expected a string"_s);
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
}

void TestWorkspaceJsonRead::malformed() {
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    const Result<Workspace> ws = workspace::parse(json);
    QVERIFY(!ws.ok());
    QCOMPARE(ws.error().kind, ErrorKind::InvalidInput);
    QCOMPARE(ws.error().message, message);
}

void TestWorkspaceJsonRead::headerAloneIsAnEmptyWorkspace() {
    const Result<Workspace> ws =
        workspace::parse(R"({"format": "litescope-workspace", "version": 1})");
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    QVERIFY(ws->proxyModels.isEmpty());
    QVERIFY(ws->keys.isEmpty());
    QVERIFY(ws->modelGroupAlias.isEmpty());
    QCOMPARE(ws->settings.personalKeyMultiTeamAccess, MultiTeamAccess::Union);
    QVERIFY(!ws->settings.personalKeyModelAccessFromTeams);
    QVERIFY(workspace::referenceWarnings(*ws).isEmpty());
}

void TestWorkspaceJsonRead::nullMeansAbsent() {
    const Result<Workspace> ws = workspace::parse(workspaceText(R"({
        "source": null, "settings": {"model_alias_map": null, "personal_key_multi_team_access": null},
        "proxy_models": [{"model_name": "m", "litellm_params": null,
                          "model_info": {"id": null, "access_groups": null, "team_id": null}}],
        "model_group_alias": null, "model_providers": null, "access_groups": null,
        "teams": [{"team_id": "t", "team_alias": null, "organization_id": null, "models": null,
                   "default_team_member_models": null, "blocked": null, "access_group_ids": null,
                   "model_aliases": null, "members_with_roles": null, "model_id": null}],
        "team_memberships": [{"team_id": "t", "user_id": "u", "budget_id": null,
                              "allowed_models": null}],
        "users": [{"user_id": "u", "user_email": null, "user_role": null, "models": null}],
        "keys": [{"token": "sk", "key_alias": null, "team_id": null, "user_id": null,
                  "project_id": null, "models": null, "aliases": null, "access_group_ids": null,
                  "config": null, "blocked": null}],
        "projects": [{"project_id": "p", "models": null, "blocked": null}]})"));
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    QCOMPARE(ws->proxyModels.size(), 1);
    QVERIFY(ws->proxyModels[0].litellmModel.isEmpty());
    QVERIFY(!ws->proxyModels[0].teamId);
    const Team& team = ws->teams.at(0);
    QVERIFY(!team.organizationId);
    QVERIFY(team.models.isEmpty() && team.modelAliases.isEmpty() && !team.blocked);
    QVERIFY(!team.modelId);
    QVERIFY(!ws->teamMemberships.at(0).budgetId);
    QVERIFY(!ws->users.at(0).email);
    const Key& key = ws->keys.at(0);
    QVERIFY(!key.alias && !key.teamId && !key.userId && !key.projectId);
    QVERIFY(key.models.isEmpty() && key.aliases.isEmpty() && key.config.isEmpty() && !key.blocked);
    QVERIFY(!ws->projects.at(0).blocked);
}

void TestWorkspaceJsonRead::readsEveryField() {
    const Result<Workspace> ws = workspace::parse(R"({
        "format": "litescope-workspace", "version": 1,
        "source": {"kind": "api", "label": "prod", "captured_at": "2026-11-23T10:00:00Z",
                   "unknown": ["team_memberships"], "warnings": ["w1", "w2"]},
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
                   "access_group_ids": ["ag"], "model_aliases": {"a": "m"}, "model_id": "mt-1",
                   "members_with_roles": [{"user_id": "u", "user_email": "e", "role": "admin"}]},
                  {"team_id": "t2", "model_id": 17}],
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
    QCOMPARE(ws->source.warnings, (QStringList{u"w1"_s, u"w2"_s}));
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
    QCOMPARE(team.modelId, u"mt-1"_s);
    QCOMPARE(ws->teams.at(1).modelId, u"17"_s); // LiteLLM's column is an integer
    QCOMPARE(ws->teamMemberships.at(0).budgetId, u"b"_s);
    QCOMPARE(ws->users.at(0).role, u"internal_user"_s);
    const Key& key = ws->keys.at(0);
    QCOMPARE(key.alias, u"k"_s);
    QCOMPARE(key.projectId, u"p"_s);
    QCOMPARE(key.config.value(u"c"_s).toInt(), 1);
    QVERIFY(key.blocked);
    QVERIFY(ws->projects.at(0).blocked);
    // What the typed members hold is not kept twice; what is written as read (model_id) is.
    QVERIFY(!ws->teams.at(0).extra.contains(u"team_alias"));
    QCOMPARE(ws->teams.at(0).extra.value(u"model_id").toString(), u"mt-1"_s);
    QVERIFY(!ws->extra.contains(u"version"));
    QVERIFY(workspace::referenceWarnings(*ws).isEmpty());
}

void TestWorkspaceJsonRead::routerAliasForms() {
    const Result<Workspace> ws = workspace::parse(workspaceText(R"({"model_group_alias": {
        "plain": "gpt-4o", "object": {"model": "gpt-4o-mini"},
        "hidden": {"model": "claude", "hidden": true, "note": "kept"}}})"));
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    QCOMPARE(ws->modelGroupAlias.value(u"plain"_s).target, u"gpt-4o"_s);
    QVERIFY(!ws->modelGroupAlias.value(u"plain"_s).hidden);
    QCOMPARE(ws->modelGroupAlias.value(u"object"_s).target, u"gpt-4o-mini"_s);
    QCOMPARE(ws->modelGroupAlias.value(u"hidden"_s).target, u"claude"_s);
    QVERIFY(ws->modelGroupAlias.value(u"hidden"_s).hidden);
    QVERIFY(ws->modelGroupAlias.value(u"plain"_s).object.isEmpty());
    QCOMPARE(ws->modelGroupAlias.value(u"object"_s).object.toObject(),
             QJsonObject({{u"model"_s, u"gpt-4o-mini"_s}}));

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
void TestWorkspaceJsonRead::rawByteOrderMarks() {
    const QByteArray json = "\xEF\xBB\xBF{\"teams\": [{\"team_id\": \"\xEF\xBB\xBFt\", "
                            "\"model_aliases\": {\"\xEF\xBB\xBF"
                            "a\": \"\xEF\xBB\xBF\"}}]}";
    const Result<Workspace> ws = workspace::parse(workspaceText(json));
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    const QString bom(QChar(0xFEFF));
    QCOMPARE(ws->teams.at(0).id, bom + u't');
    QCOMPARE(ws->teams.at(0).modelAliases, (StringMap{{bom + u'a', bom}}));
    QVERIFY(!workspace::serialize(*ws).contains("\xEF\xBB\xBF"));
}

void TestWorkspaceJsonRead::referenceWarnings() {
    const Result<Workspace> ws = workspace::parse(workspaceText(R"({
        "proxy_models": [{"model_name": "byok", "model_info": {"team_id": "gone"}}],
        "access_groups": [{"access_group_id": "ag", "assigned_team_ids": ["t", "t-x"],
                           "assigned_key_ids": ["sk-x"]}],
        "teams": [{"team_id": "t", "access_group_ids": ["ag", "ag-missing"],
                   "organization_id": "org-9"}],
        "team_memberships": [{"team_id": "t", "user_id": "u"},
                             {"team_id": "t-old", "user_id": "u-old"}],
        "users": [{"user_id": "u", "teams": ["t", "t-gone"]}],
        "keys": [{"token": "sk", "team_id": "t", "user_id": "u-x", "project_id": "p-x",
                  "access_group_ids": ["ag-y"]},
                 {"token": "sk2", "user_id": "u", "access_group_ids": ["ag"]},
                 {"token": "sk3", "team_id": "t-deleted"}]})"));
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    const QStringList expected = {
        u"proxy_models[0].model_info.team_id: no team \"gone\" in this workspace"_s,
        u"access_groups[0].assigned_team_ids[1]: no team \"t-x\" in this workspace"_s,
        u"access_groups[0].assigned_key_ids[0]: no key \"sk-x\" in this workspace"_s,
        u"teams[0].access_group_ids[1]: no access group \"ag-missing\" in this workspace"_s,
        u"teams[0].organization_id: no organization \"org-9\" in this workspace"_s,
        u"team_memberships[1].team_id: no team \"t-old\" in this workspace"_s,
        u"team_memberships[1].user_id: no user \"u-old\" in this workspace"_s,
        u"keys[0].user_id: no user \"u-x\" in this workspace"_s,
        u"keys[0].project_id: no project \"p-x\" in this workspace"_s,
        u"keys[0].access_group_ids[0]: no access group \"ag-y\" in this workspace"_s,
        u"keys[2].team_id: no team \"t-deleted\" in this workspace"_s,
        u"users[0].teams[1]: no team \"t-gone\" in this workspace"_s,
    };
    QCOMPARE(workspace::referenceWarnings(*ws), expected);
    QVERIFY(workspace::referenceWarnings(richWorkspace()).isEmpty());
}

void TestWorkspaceJsonRead::validateWorkspaceBuiltInCode() {
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

    // A key of a team that does not exist loads (LiteLLM serves it) with a warning; long or odd
    // values are shown escaped and shortened.
    ws = richWorkspace();
    ws.keys[0].teamId = u"line\nbreak \"quoted\" "_s + QString(200, u'x');
    QVERIFY(workspace::validate(ws).ok());
    QCOMPARE(workspace::referenceWarnings(ws).value(0),
             u"keys[0].team_id: no team \"line\\u000abreak \\\"quoted\\\" "_s + QString(60, u'x') +
                 u"…\" in this workspace"_s);
}

QTEST_GUILESS_MAIN(TestWorkspaceJsonRead)
#include "tst_workspacejson_read.moc"
