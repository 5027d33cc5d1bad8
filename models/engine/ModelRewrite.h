#pragma once

#include "engine/AccessTypes.h"
#include "engine/CompiledWorkspace.h"

#include <QString>
#include <QVarLengthArray>

namespace litescope::engine {

// One rewrite of the requested model LiteLLM makes before any access check
// (_authorize_authenticated_request): a Claude Code name normalised, then the key's or team's
// router alias. `applied` is false when the proxy's release does not make it: the trail still
// says so, since the verdict then depends on the release.
struct ModelRewrite {
    Rule rule;           // ClaudeName, KeyRouterAlias or TeamRouterAlias (or their *Ignored)
    VersionedRule since; // the release rule behind it
    std::int32_t object; // the key (index) or team (index) whose settings rewrote it
    QString from;
    QString to;
    bool applied;
};

// Cheap test before rewritesFor(): whether any rewrite could apply at all (the key or its team
// has router aliases, or the name looks like a Claude Code name). Decisions run millions of
// times; most need neither.
inline bool mayRewrite(const CompiledWorkspace& ws, const CompiledKey& key,
                       const QString& requested) {
    return ws.routerAliasesFor(key) >= 0 || requested.endsWith(u']') ||
           requested.startsWith(QLatin1StringView("claude-router-"));
}

// The rewrites of a single requested model `requested` for `key` (workspace key `keyIndex`, -1 for
// a member preview), in LiteLLM's order, under the workspace's release profile.
QVarLengthArray<ModelRewrite, 2> rewritesFor(const CompiledWorkspace& ws, const CompiledKey& key,
                                             std::int32_t keyIndex, const QString& requested);

} // namespace litescope::engine
