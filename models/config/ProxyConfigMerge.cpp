#include "config/ProxyConfigMerge.h"

#include "domain/TranslationContexts.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

// The admin API lists config deployments too (model_info.db_model false), under an id the router
// hashed from litellm_params with the secrets resolved, which litescope cannot compute. A config
// deployment without an id is therefore matched by name and backend model against those.
QString configEntryKey(const QString& modelName, const QString& litellmModel) {
    return modelName + QChar(0) + litellmModel;
}

bool listedAsConfigDeployment(const ProxyModel& model) {
    const QJsonValue db = model.extra.value(u"model_info").toObject().value(u"db_model"_s);
    return db.isBool() && !db.toBool();
}

int addDeployments(Workspace& ws, const ProxyConfig& config) {
    QSet<QString> ids;
    QHash<QString, int> unmatchedConfigEntries;
    // The listed config entries by id, so each config deployment finds its own in one lookup.
    QMultiHash<QString, QString> configEntriesById;
    for (const ProxyModel& model : ws.proxyModels) {
        if (!model.modelId.isEmpty())
            ids.insert(model.modelId);
        if (listedAsConfigDeployment(model)) {
            const QString entry = configEntryKey(model.modelName, model.litellmModel);
            ++unmatchedConfigEntries[entry];
            if (!model.modelId.isEmpty())
                configEntriesById.insert(model.modelId, entry);
        }
    }
    // Entries matched by id are no longer free to match a config deployment without an id.
    for (const ProxyModel& deployment : config.deployments)
        if (!deployment.modelId.isEmpty())
            for (auto it = configEntriesById.constFind(deployment.modelId);
                 it != configEntriesById.cend() && it.key() == deployment.modelId; ++it)
                --unmatchedConfigEntries[it.value()];
    int duplicates = 0;
    for (const ProxyModel& deployment : config.deployments) {
        if (!deployment.modelId.isEmpty()) {
            if (ids.contains(deployment.modelId)) {
                ++duplicates;
                continue;
            }
            ids.insert(deployment.modelId);
        } else if (int& free = unmatchedConfigEntries[configEntryKey(deployment.modelName,
                                                                     deployment.litellmModel)];
                   free > 0) {
            --free;
            ++duplicates;
            continue;
        }
        ws.proxyModels.append(deployment);
    }
    return duplicates;
}

// LiteLLM deep-merges a saved router_settings.model_group_alias into the file's: per alias the
// saved entry wins, and two {"model", "hidden"} objects merge field by field.
RouterAlias savedOverFile(const RouterAlias& file, const RouterAlias& saved) {
    if (file.object.isEmpty() || saved.object.isEmpty())
        return saved;
    QJsonObject merged = file.object.toObject();
    const QJsonObject over = saved.object.toObject();
    for (auto it = over.constBegin(); it != over.constEnd(); ++it)
        if (!it.value().isNull())
            merged.insert(it.key(), it.value());
    return RouterAlias{merged.value(u"model"_s).toString(), merged.value(u"hidden"_s).toBool(),
                       UnknownFields::fromObject(merged)};
}

} // namespace

// Which wins follows LiteLLM's litellm/proxy/proxy_server.py (the stored 477 k-character
// version, class ProxyConfig):
//   get_config(): config = _get_config_from_file(...)            # config.yaml with includes
//                 if prisma_client is not None and store_model_in_db is True:
//                     config = _update_config_from_db(config, ...)
//   _update_config_from_db(): for k in general_settings, router_settings, litellm_settings,
//                 environment_variables: the LiteLLM_Config row's value goes through
//   _update_config_fields(): _deep_merge_dicts(current_config[param_name], db_param_value)
//                 "On conflicts, src (DB) wins", skipping None values and empty lists.
// So what the admin UI saved in LiteLLM_Config overrides config.yaml key by key, and the router's
// deployments are the file's plus the database's (add_deployment -> _update_llm_router adds each
// LiteLLM_ProxyModelTable row the router does not already hold by id).
//
// A source's settings count as saved where they differ from LiteLLM's defaults: a workspace file
// always states every setting, so a saved false (or "union") cannot be told from an unsaved one.
// That one case (saved false over a file's true) is where this differs from the proxy.
MergedSource mergeProxyConfig(Workspace ws, const ProxyConfig& config) {
    QStringList warnings = config.warnings;

    if (const int duplicates = addDeployments(ws, config); duplicates > 0)
        warnings.append(ProxyConfigText::tr("%n deployment(s) of %1 are also in the source "
                                            "(same model_info.id) and were kept once",
                                            nullptr, duplicates)
                            .arg(config.path));

    Settings& settings = ws.settings;
    if (config.modelAliasMap) {
        StringMap merged = *config.modelAliasMap;
        for (auto it = settings.modelAliasMap.cbegin(); it != settings.modelAliasMap.cend(); ++it)
            merged.insert(it.key(), it.value());
        settings.modelAliasMap = merged;
    }
    if (config.personalKeyModelAccessFromTeams && !settings.personalKeyModelAccessFromTeams)
        settings.personalKeyModelAccessFromTeams = *config.personalKeyModelAccessFromTeams;
    if (config.personalKeyMultiTeamAccess &&
        settings.personalKeyMultiTeamAccess == MultiTeamAccess::Union)
        settings.personalKeyMultiTeamAccess = *config.personalKeyMultiTeamAccess;

    if (config.modelGroupAlias) {
        QMap<QString, RouterAlias> merged = *config.modelGroupAlias;
        for (auto it = ws.modelGroupAlias.cbegin(); it != ws.modelGroupAlias.cend(); ++it)
            merged.insert(it.key(), merged.contains(it.key())
                                        ? savedOverFile(merged.value(it.key()), it.value())
                                        : it.value());
        ws.modelGroupAlias = merged;
    }

    // The file is what the source could not show: nothing about these is assumed any more
    // (where the file is silent too, LiteLLM's defaults are the real values). Older snapshots
    // named them unknown.
    for (QStringList* list : {&ws.source.assumed, &ws.source.unknown}) {
        list->removeAll(u"settings"_s);
        list->removeAll(u"model_group_alias"_s);
    }

    if (ws.source.kind == u"postgres"_s && config.storeModelInDb == false)
        warnings.append(
            ProxyConfigText::tr(
                "%1 sets general_settings.store_model_in_db to false: the proxy then uses the "
                "database's deployments and saved settings only if its environment sets "
                "STORE_MODEL_IN_DB; litescope keeps them")
                .arg(config.path));

    ws.source.warnings.append(warnings);
    return MergedSource{std::move(ws), std::move(warnings)};
}

} // namespace litescope
