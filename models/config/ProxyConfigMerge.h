#pragma once

#include "config/ProxyConfig.h"
#include "domain/Workspace.h"

#include <QStringList>

namespace litescope {

struct MergedSource {
    Workspace workspace;
    // The config's own warnings, then the merge's; also appended to workspace.source.warnings.
    QStringList warnings;
};

// A snapshot (database, admin API or workspace file) as the proxy sees it with `config` loaded,
// in the order LiteLLM's proxy applies them (see the .cpp and docs/STORES.md):
// - deployments: the source's, then the config's that the source does not already hold (same
//   model_info.id, as LiteLLM's router keys deployments by id);
// - settings and model_group_alias: the config's, with what the source saved on top;
// - "settings" and "model_group_alias" are no longer unknown: the config says what they are.
// No I/O; the same inputs always give the same result.
MergedSource mergeProxyConfig(Workspace source, const ProxyConfig& config);

} // namespace litescope
