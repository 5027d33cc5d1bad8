#include "ScaleWorkspaces.h"

using namespace Qt::StringLiterals;

namespace litescope::bench {

namespace {

constexpr int Deployments = 10;

// Ten plain deployments, m-0 … m-9.
Workspace withDeployments() {
    Workspace ws;
    for (int i = 0; i < Deployments; ++i) {
        ProxyModel model;
        model.modelName = u"m-%1"_s.arg(i);
        model.litellmModel = u"openai/m-%1"_s.arg(i);
        ws.proxyModels.append(model);
    }
    return ws;
}

Team team(const QString& id, QStringList models) {
    Team t;
    t.id = id;
    t.models = std::move(models);
    return t;
}

Key key(const QString& token, std::optional<QString> teamId, QStringList models) {
    Key k;
    k.token = token;
    k.teamId = std::move(teamId);
    k.models = std::move(models);
    return k;
}

} // namespace

// N router aliases over the ten deployments; ten teams reach them through all-team-models, one
// key each.
Workspace routerAliasesWorkspace(int n) {
    Workspace ws = withDeployments();
    for (int i = 0; i < n; ++i)
        ws.modelGroupAlias.insert(u"a-%1"_s.arg(i),
                                  RouterAlias{u"m-%1"_s.arg(i % Deployments), false, {}});
    for (int t = 0; t < 10; ++t) {
        ws.teams.append(team(u"t%1"_s.arg(t), {u"all-team-models"_s}));
        ws.keys.append(key(u"sk-%1"_s.arg(t), u"t%1"_s.arg(t), {}));
    }
    return ws;
}

// One team listing N model names, none of them served.
Workspace teamModelsWorkspace(int n) {
    Workspace ws = withDeployments();
    QStringList names;
    names.reserve(n);
    for (int i = 0; i < n; ++i)
        names.append(u"name-%1"_s.arg(i));
    ws.teams.append(team(u"t"_s, names));
    ws.keys.append(key(u"sk-1"_s, u"t"_s, {}));
    return ws;
}

// One team listing N wildcards ("p17/*").
Workspace teamWildcardsWorkspace(int n) {
    Workspace ws = withDeployments();
    QStringList entries;
    for (int i = 0; i < n; ++i)
        entries.append(u"p%1/*"_s.arg(i));
    ws.teams.append(team(u"t"_s, entries));
    ws.keys.append(key(u"sk-1"_s, u"t"_s, {}));
    return ws;
}

// N wildcard deployments ("w17/*") and a team listing N plain names.
Workspace wildcardDeploymentsWorkspace(int n) {
    Workspace ws = teamModelsWorkspace(n);
    for (int i = 0; i < n; ++i) {
        ProxyModel model;
        model.modelName = u"w%1/*"_s.arg(i);
        model.litellmModel = u"openai/*"_s;
        ws.proxyModels.append(model);
    }
    return ws;
}

// N keys restricted to one model, and N router aliases: each key's check walks the served names.
Workspace keysAndAliasesWorkspace(int n) {
    Workspace ws = withDeployments();
    for (int i = 0; i < n; ++i) {
        ws.modelGroupAlias.insert(u"a-%1"_s.arg(i),
                                  RouterAlias{u"m-%1"_s.arg(i % Deployments), false, {}});
        ws.keys.append(key(u"sk-%1"_s.arg(i), std::nullopt, {u"m-1"_s}));
    }
    return ws;
}

// An access group naming N deployments, all served.
Workspace accessGroupModelsWorkspace(int n) {
    Workspace ws = withDeployments();
    AccessGroup group;
    group.id = u"g"_s;
    for (int i = 0; i < n; ++i) {
        ProxyModel model;
        model.modelName = u"d-%1"_s.arg(i);
        model.litellmModel = u"openai/d"_s;
        ws.proxyModels.append(model);
        group.modelNames.append(model.modelName);
    }
    ws.accessGroups.append(group);
    Team t = team(u"t"_s, {});
    t.accessGroupIds = {u"g"_s};
    ws.teams.append(t);
    ws.keys.append(key(u"sk-1"_s, u"t"_s, {}));
    return ws;
}

} // namespace litescope::bench
