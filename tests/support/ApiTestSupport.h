#pragma once

// Shared by the admin API suites (tst_apistore_*, tst_cli_api): a fake LiteLLM proxy on a free
// port of 127.0.0.1 serving a dataset, stores pointed at it, and decisions compared across
// workspaces.
#include "engine/AccessEngine.h"
#include "engine/DecisionText.h"
#include "store/api/ApiStore.h"
#include "support/AwaitTask.h"
#include "support/FakeLiteLLM.h"
#include "support/StoreTestSupport.h"
#include "workspace/WorkspaceJson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>

namespace litescope::test {

using namespace Qt::StringLiterals;

inline const QString MasterKey = u"sk-litescope-test-master-7f3a9c0e51d2"_s;
inline const QString ViewerKey = u"sk-litescope-test-viewer-21b8d4e6"_s;

// The demo workspace as a proxy would hold it. model_providers is litescope's own knowledge,
// not the proxy's: left out.
inline Workspace demoDataset() {
    Result<Workspace> demo = workspace::readFile(
        QStringLiteral(LITESCOPE_TEST_DATA "/../resources/demo/demo-workspace.json"));
    if (!demo)
        qFatal("demo workspace: %s", qPrintable(demo.error().message));
    Workspace data = *demo;
    data.modelProviders.clear();
    return data;
}

// The demo's litellm_settings as an admin would hand them over (--litellm-settings).
inline QJsonObject settingsOf(const Workspace& data) {
    QJsonObject aliasMap;
    for (auto it = data.settings.modelAliasMap.constBegin();
         it != data.settings.modelAliasMap.constEnd(); ++it)
        aliasMap.insert(it.key(), it.value());
    return {
        {u"model_alias_map"_s, aliasMap},
        {u"personal_key_model_access_from_teams"_s, data.settings.personalKeyModelAccessFromTeams},
        {u"personal_key_multi_team_access"_s,
         data.settings.personalKeyMultiTeamAccess == MultiTeamAccess::Intersection
             ? u"intersection"_s
             : u"union"_s}};
}

class ApiFixture {
public:
    bool start(Workspace data, QString* error) {
        m_proxy = std::make_unique<FakeLiteLLM>(std::move(data), MasterKey);
        m_proxy->addViewerKey(ViewerKey);
        return m_proxy->listen(error);
    }

    FakeLiteLLM& proxy() { return *m_proxy; }

    // Small pages (several per listing), a short timeout and quick retries.
    ApiConnectionOptions options(const QString& key = MasterKey) const {
        ApiConnectionOptions options;
        options.baseUrl = m_proxy->url();
        options.apiKey = key;
        options.timeoutMs = 5000;
        options.retryDelayMs = 10;
        options.pageSize = 7;
        return options;
    }

    // An opened store; fails the test (nullptr) when open() fails.
    std::unique_ptr<ApiStore> store(const ApiConnectionOptions& options) {
        auto store = std::make_unique<ApiStore>(options);
        const Result<StoreInfo> info = awaitTask(store->open());
        if (!info) {
            qWarning("open: %s", failureText(info).constData());
            return nullptr;
        }
        return store;
    }
    std::unique_ptr<ApiStore> store() { return store(options()); }

    // A snapshot through a fresh store, with the admin's litellm_settings of `data` supplied.
    Result<Workspace> snapshotWithSettingsOf(const Workspace& data) {
        ApiConnectionOptions withSettings = options();
        withSettings.litellmSettings = settingsOf(data);
        auto opened = store(withSettings);
        if (!opened)
            return Error::invalid(u"open failed"_s);
        return awaitTask(opened->snapshot());
    }

private:
    std::unique_ptr<FakeLiteLLM> m_proxy;
};

// Every model name a request could name in `ws`: deployments, aliases, access groups, wildcard
// expansions' neighbours, plus names nobody configured.
inline QStringList candidateModels(const Workspace& ws) {
    QSet<QString> names{u"gpt-4o"_s, u"openai/gpt-4o"_s, u"unheard-of-model"_s,
                        u"anthropic/claude-3-5-sonnet"_s, u"all-team-models"_s};
    for (const ProxyModel& model : ws.proxyModels) {
        names.insert(model.modelName);
        names.insert(model.litellmModel);
        for (const QString& group : model.accessGroups)
            names.insert(group);
    }
    for (auto it = ws.modelGroupAlias.constBegin(); it != ws.modelGroupAlias.constEnd(); ++it)
        names.insert(it.key());
    for (auto it = ws.settings.modelAliasMap.constBegin();
         it != ws.settings.modelAliasMap.constEnd(); ++it)
        names.insert(it.key());
    for (const Team& team : ws.teams) {
        for (const QString& model : team.models)
            names.insert(model);
        for (auto it = team.modelAliases.constBegin(); it != team.modelAliases.constEnd(); ++it)
            names.insert(it.key());
    }
    for (const Key& key : ws.keys) {
        for (const QString& model : key.models)
            names.insert(model);
    }
    QStringList sorted(names.cbegin(), names.cend());
    sorted.sort();
    return sorted;
}

// One line per (key, model): the verdict, the refusing layer, the reason and what was unknown;
// with `withAssumed`, also the LiteLLM defaults the decision assumed. Without it, two sources that
// see the same data decide alike even where one of them sees a setting the other assumes.
inline QStringList decisionLines(const Workspace& ws, const QStringList& models,
                                 bool withAssumed = false) {
    const AccessEngine engine(ws);
    QStringList keys;
    for (const Key& key : ws.keys)
        keys.append(key.token);
    keys.sort();
    QStringList lines;
    for (const QString& token : keys) {
        const std::int32_t index = engine.findKey(token);
        for (const QString& model : models) {
            const ModelRequest request = ModelRequest::single(model);
            Decision decision = engine.decide(Subject::forKey(index), request);
            const std::uint16_t assumed = decision.assumedData;
            decision.assumedData = 0;
            QString line = token + u" | "_s + model + u" | "_s + verdictName(decision.verdict) +
                           u" | "_s + layerName(decision.deniedBy) + u" | "_s +
                           reasonFor(engine, request, decision) + u" | "_s +
                           datasetNames(decision.unknownData).join(u',');
            if (withAssumed)
                line += u" | assumed "_s + datasetNames(assumed).join(u',');
            lines.append(line);
        }
    }
    return lines;
}

} // namespace litescope::test
