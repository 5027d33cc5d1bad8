#pragma once

#include "domain/BoundedFile.h"
#include "domain/Result.h"
#include "domain/Workspace.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace litescope {

// What LiteLLM's config.yaml says about model access: the deployments of model_list, the
// litellm_settings the engine reads, the router's model_group_alias and general_settings'
// store_model_in_db. Only what the file sets is held (an optional left empty is a setting the
// file does not mention), so a merge can tell "not set" from LiteLLM's default.
//
// Values written as os.environ/NAME are never resolved and never kept, not even their name: the
// file's secrets (litellm_params api_key, master_key, database_url, ...) are not read at all.
struct ProxyConfig {
    QString path;
    QStringList files; // the config and its includes, in the order read

    // model_name, litellm_params.model and model_info (id, access_groups, team_id,
    // team_public_model_name) only; `original` holds exactly those.
    QList<ProxyModel> deployments;

    std::optional<StringMap> modelAliasMap;
    std::optional<bool> personalKeyModelAccessFromTeams;
    std::optional<MultiTeamAccess> personalKeyMultiTeamAccess;
    std::optional<QMap<QString, RouterAlias>> modelGroupAlias;
    std::optional<bool> storeModelInDb;

    // Unknown keys, values taken from the environment, and other things that were left out.
    QStringList warnings;
};

// Reads `path` and its includes. A file that is not YAML (the message has the line and column),
// a missing include, or a value of the wrong type (named by file and path, e.g.
// "config.yaml: model_list[3].litellm_params.model: expected a string") fails the whole read:
// nothing of a bad file is ever used. Every file must be a regular file of at most `limit` bytes.
Result<ProxyConfig> readProxyConfig(const QString& path, qint64 limit = DefaultConfigFileLimit);

} // namespace litescope
