#pragma once

// Shared by the workspace-file suites (tst_workspacejson_read, tst_workspacejson_roundtrip):
// field-by-field comparisons, workspaces built in code, and the conformance sample file.
#include "workspace/WorkspaceJson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QTest>

#include <optional>

namespace litescope::test {

using namespace Qt::StringLiterals;

// The text of a workspace file whose fields are those of `object` (JSON text of an object): the
// header every workspace file starts with, then the object's own fields.
inline QByteArray workspaceText(QByteArray object) {
    const qsizetype brace = object.indexOf('{');
    const bool empty = object.mid(brace + 1).trimmed().startsWith('}');
    return object.insert(brace + 1, empty ? R"("format": "litescope-workspace", "version": 1)"
                                          : R"("format": "litescope-workspace", "version": 1, )");
}

// Asserts inside helpers only leave the helper; callers check QTest::currentTestFailed().
#define COMPARE_FIELD(a, b, field) QCOMPARE((a).field, (b).field)

// router_settings.model_group_alias as the engine reads it: alias -> (target, hidden).
inline QStringList routerAliasesText(const std::optional<QMap<QString, RouterAlias>>& aliases) {
    if (!aliases)
        return {u"<none>"_s};
    QStringList out;
    for (auto it = aliases->cbegin(); it != aliases->cend(); ++it)
        out.append(it.key() + u" -> "_s + it.value().target +
                   (it.value().hidden ? u" (hidden)"_s : QString()));
    return out;
}

inline void compareProxyModel(const ProxyModel& a, const ProxyModel& b) {
    COMPARE_FIELD(a, b, modelName);
    COMPARE_FIELD(a, b, litellmModel);
    COMPARE_FIELD(a, b, modelId);
    COMPARE_FIELD(a, b, accessGroups);
    COMPARE_FIELD(a, b, teamId);
    COMPARE_FIELD(a, b, teamPublicModelName);
}

inline void compareTeam(const Team& a, const Team& b) {
    COMPARE_FIELD(a, b, id);
    COMPARE_FIELD(a, b, alias);
    COMPARE_FIELD(a, b, organizationId);
    COMPARE_FIELD(a, b, models);
    COMPARE_FIELD(a, b, defaultTeamMemberModels);
    COMPARE_FIELD(a, b, blocked);
    COMPARE_FIELD(a, b, accessGroupIds);
    COMPARE_FIELD(a, b, modelAliases);
    COMPARE_FIELD(a, b, modelId);
    QCOMPARE(routerAliasesText(a.routerAliases), routerAliasesText(b.routerAliases));
    QCOMPARE(a.membersWithRoles.size(), b.membersWithRoles.size());
    for (qsizetype i = 0; i < a.membersWithRoles.size(); ++i) {
        COMPARE_FIELD(a.membersWithRoles[i], b.membersWithRoles[i], userId);
        COMPARE_FIELD(a.membersWithRoles[i], b.membersWithRoles[i], userEmail);
        COMPARE_FIELD(a.membersWithRoles[i], b.membersWithRoles[i], role);
    }
}

inline void compareKey(const Key& a, const Key& b) {
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
    QCOMPARE(routerAliasesText(a.routerAliases), routerAliasesText(b.routerAliases));
}

inline void compareEntities(const Workspace& a, const Workspace& b) {
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
inline void compareWorkspaces(const Workspace& a, const Workspace& b) {
    COMPARE_FIELD(a, b, source.kind);
    COMPARE_FIELD(a, b, source.label);
    COMPARE_FIELD(a, b, source.capturedAt);
    COMPARE_FIELD(a, b, source.unknown);
    COMPARE_FIELD(a, b, source.warnings);
    COMPARE_FIELD(a, b, source.litellmVersion);
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
inline Workspace richWorkspace() {
    Workspace ws;
    ws.source = {u"postgres"_s,
                 u"prod proxy"_s,
                 u"2026-11-23T10:00:00Z"_s,
                 {u"projects"_s},
                 {u"model_group_alias"_s},
                 {u"2 keys belong to teams that no longer exist and were left out"_s},
                 u"1.97.2"_s,
                 {}};
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
    team.modelId = u"7"_s;
    team.routerAliases = QMap<QString, RouterAlias>{{u"quick"_s, {u"gpt-4o"_s, false, {}}}};
    ws.teams = {team, Team{u"team-b"_s,
                           {},
                           std::nullopt,
                           {},
                           {},
                           false,
                           {},
                           {},
                           {},
                           std::nullopt,
                           std::nullopt,
                           std::nullopt,
                           {}}};
    TeamMembership scoped;
    scoped.teamId = u"team-a"_s;
    scoped.userId = u"u1"_s;
    scoped.budgetId = u"b-1"_s;
    scoped.allowedModels = {u"gpt-4o"_s};
    TeamMembership plain;
    plain.teamId = u"team-b"_s;
    plain.userId = u"u1"_s;
    ws.teamMemberships = {scoped, plain};
    User user;
    user.id = u"u1"_s;
    user.email = u"a@example.com"_s;
    user.role = u"internal_user"_s;
    user.models = {u"gpt-4o"_s};
    ws.users = {user};
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
    key.routerAliases = QMap<QString, RouterAlias>{{u"fast"_s, {u"gpt-4o-mini"_s, true, {}}}};
    ws.keys = {key};
    ws.projects = {{u"p-1"_s, {u"gpt-4o"_s}, true, {}}};
    return ws;
}

// Every string slot of a consistent workspace holds `s` (the ids reference each other).
inline Workspace workspaceOf(const QString& s) {
    Workspace ws;
    ws.source = {s, s, s, {s}, {s}, {s}, {}, {}};
    ws.settings.modelAliasMap = {{s, s}};
    ws.proxyModels = {{s, s, s, {s}, s, s, {}}};
    ws.modelGroupAlias = {{s, {s, true, {}}}};
    ws.modelProviders = {{s, s}};
    ws.accessGroups = {{s, s, {s}, {s}, {s}, {}}};
    ws.organizations = {{s, s, {s}, {}}};
    ws.teams = {Team{s,
                     s,
                     s,
                     {s, s},
                     {s},
                     false,
                     {s},
                     {{s, s}},
                     {{s, s, s, {}}},
                     s,
                     std::nullopt,
                     QMap<QString, RouterAlias>{{s, {s, true, {}}}},
                     {}}};
    ws.teamMemberships = {{s, s, s, {s}, std::nullopt, std::nullopt, std::nullopt, 0, {}}};
    ws.users = {{s, s, s, {s}, std::nullopt, {}}};
    ws.keys = {Key{s,
                   s,
                   s,
                   s,
                   s,
                   {s},
                   {{s, s}},
                   {s},
                   QJsonObject{{s, s}},
                   false,
                   QMap<QString, RouterAlias>{{s, {s, false, {}}}},
                   {}}};
    ws.projects = {{s, {s}, false, {}}};
    return ws;
}

inline QJsonObject sampleFile() {
    QFile file(QStringLiteral(LITESCOPE_TEST_DATA "/conformance/sample.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// The value at `path` (object keys and array indexes) under `root`.
inline QJsonValue valueAt(const QJsonValue& root, const QStringList& path) {
    QJsonValue v = root;
    for (const QString& step : path) {
        bool isIndex = false;
        const int index = step.toInt(&isIndex);
        v = isIndex ? v.toArray().at(index) : v.toObject().value(step);
    }
    return v;
}

#undef COMPARE_FIELD

} // namespace litescope::test
