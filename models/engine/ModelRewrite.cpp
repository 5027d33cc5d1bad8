#include "engine/ModelRewrite.h"

#include <QByteArray>

using namespace Qt::StringLiterals;

namespace litescope::engine {

namespace {

// ClaudeCodeRoutingNames: a name "is a route" when litellm.model_alias_map, the key's aliases,
// the team's model aliases, the key's/team's router aliases or the router's model_group_alias
// name it, or the router has deployments for it (a deployment id included).
bool isRoute(const CompiledWorkspace& ws, const CompiledKey& key, std::int32_t keyIndex,
             const QString& name) {
    const Workspace& w = ws.workspace();
    if (w.settings.modelAliasMap.contains(name) || w.modelGroupAlias.contains(name))
        return true;
    if (keyIndex >= 0 && w.keys[keyIndex].aliases.contains(name))
        return true;
    if (key.team >= 0 && w.teams[key.team].modelAliases.contains(name))
        return true;
    if (const std::int32_t map = ws.routerAliasesFor(key); map >= 0) {
        const NameId id = ws.find(name);
        if (id != NoName && ws.routerAliasMap(map).contains(id))
            return true;
    }
    return ws.hasDeploymentsFor(name, key.team);
}

// claude_code_group_name: the routed name a Claude Code model name stands for, or empty. The
// name itself wins when it is a route; else one trailing "[1m]" is dropped when that leaves a
// route; else "claude-router-<hex>" is decoded when the hex is the canonical (lower-case)
// encoding of a route.
QString claudeRoute(const CompiledWorkspace& ws, const CompiledKey& key, std::int32_t keyIndex,
                    const QString& requested) {
    static const QString marker = u"[1m]"_s;
    static const QString prefix = u"claude-router-"_s;
    const bool marked = requested.endsWith(marker, Qt::CaseInsensitive);
    if (!requested.startsWith(prefix) && !marked)
        return {};
    if (isRoute(ws, key, keyIndex, requested))
        return {};
    const QString unmarked = marked ? requested.chopped(marker.size()) : requested;
    if (unmarked != requested && isRoute(ws, key, keyIndex, unmarked))
        return unmarked;
    if (!unmarked.startsWith(prefix))
        return {};
    const QByteArray hex = unmarked.mid(prefix.size()).toLatin1();
    const QByteArray bytes = QByteArray::fromHex(hex);
    const QString decoded = QString::fromUtf8(bytes);
    if (decoded.isEmpty() || decoded.toUtf8().toHex() != hex)
        return {};
    return isRoute(ws, key, keyIndex, decoded) ? decoded : QString();
}

} // namespace

QVarLengthArray<ModelRewrite, 2> rewritesFor(const CompiledWorkspace& ws, const CompiledKey& key,
                                             std::int32_t keyIndex, const QString& requested) {
    QVarLengthArray<ModelRewrite, 2> rewrites;
    const LiteLLMProfile& profile = ws.profile();
    QString name = requested;
    // _normalize_claude_model (PR #40515) runs first; the routes it serves include
    // /chat/completions, the route a check stands for.
    if (const QString routed = claudeRoute(ws, key, keyIndex, name); !routed.isEmpty()) {
        const bool applied = profile.has(VersionedRule::ClaudeModelNames);
        rewrites.append({applied ? Rule::ClaudeName : Rule::ClaudeNameIgnored,
                         VersionedRule::ClaudeModelNames, keyIndex, name, routed, applied});
        if (applied)
            name = routed;
    }
    // _resolve_router_settings_model_group_alias (PR #35486): one lookup, no chain.
    if (const std::int32_t map = ws.routerAliasesFor(key); map >= 0) {
        const NameId id = ws.find(name);
        const auto target =
            id != NoName ? ws.routerAliasMap(map).constFind(id) : ws.routerAliasMap(map).constEnd();
        if (target != ws.routerAliasMap(map).constEnd() && target.value() != id) {
            const bool keyOwn = key.routerAliases >= 0;
            const bool applied = profile.has(VersionedRule::KeyTeamRouterAliases);
            const Rule rule =
                keyOwn ? (applied ? Rule::KeyRouterAlias : Rule::KeyRouterAliasIgnored)
                       : (applied ? Rule::TeamRouterAlias : Rule::TeamRouterAliasIgnored);
            rewrites.append({rule, VersionedRule::KeyTeamRouterAliases,
                             keyOwn ? keyIndex : key.team, name, ws.name(target.value()), applied});
        }
    }
    return rewrites;
}

} // namespace litescope::engine
