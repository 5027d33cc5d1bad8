// The lookups of a compiled workspace: rows by id, alias or email, the router aliases that apply
// to a key, the deployments behind a name, and what the proxy serves.
#include "engine/CompiledWorkspace.h"
#include "engine/UniqueIds.h"

#include <QCryptographicHash>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace litescope::engine {

QString CompiledWorkspace::teamDeploymentKey(const QString& teamId, const QString& name) {
    return teamId + u'\n' + name;
}

std::int32_t CompiledWorkspace::keyIndex(const QString& tokenOrAlias) const {
    if (auto it = m_keyByToken.constFind(tokenOrAlias); it != m_keyByToken.constEnd())
        return it.value();
    std::call_once(m_keyByAliasBuilt, [this] {
        for (std::int32_t i = 0; i < m_ws.keys.size(); ++i)
            if (const std::optional<QString>& alias = m_ws.keys.at(i).alias;
                alias && !alias->isEmpty())
                m_keyByAlias.insert(*alias, i);
    });
    if (auto it = m_keyByAlias.constFind(tokenOrAlias); it != m_keyByAlias.constEnd())
        return it.value();
    // LiteLLM stores sha256(raw key) as the token: accept the raw "sk-…" key as well.
    const QString hashed = QString::fromLatin1(
        QCryptographicHash::hash(tokenOrAlias.toUtf8(), QCryptographicHash::Sha256).toHex());
    return m_keyByToken.value(hashed, -1);
}

std::int32_t CompiledWorkspace::teamIndex(const QString& idOrAlias) const {
    if (auto it = m_teamById.constFind(idOrAlias); it != m_teamById.constEnd())
        return it.value();
    return m_teamByAlias.value(idOrAlias, -1);
}

std::int32_t CompiledWorkspace::userIndex(const QString& idOrEmail) const {
    if (auto it = m_userById.constFind(idOrEmail); it != m_userById.constEnd())
        return it.value();
    std::call_once(m_userByEmailBuilt, [this] {
        for (std::int32_t i = 0; i < m_ws.users.size(); ++i)
            if (const std::optional<QString>& email = m_ws.users.at(i).email;
                email && !email->isEmpty())
                m_userByEmail.insert(*email, i);
    });
    return m_userByEmail.value(idOrEmail, -1);
}

std::int32_t
CompiledWorkspace::compileRouterAliases(const std::optional<QMap<QString, RouterAlias>>& aliases) {
    if (!aliases)
        return -1;
    QHash<NameId, NameId> map;
    // resolve_model_group_alias: a dict entry's "model" is the target; "hidden" plays no part.
    for (auto it = aliases->cbegin(); it != aliases->cend(); ++it)
        map.insert(intern(it.key()), intern(it.value().target));
    m_routerAliasMaps.push_back(std::move(map));
    return static_cast<std::int32_t>(m_routerAliasMaps.size() - 1);
}

std::int32_t CompiledWorkspace::routerAliasesFor(const CompiledKey& key) const {
    if (key.routerAliases >= 0)
        return key.routerAliases;
    return key.team >= 0 ? m_teams[static_cast<std::size_t>(key.team)].routerAliases : -1;
}

bool CompiledWorkspace::hasDeploymentsFor(const QString& name, std::int32_t team) const {
    if (m_deploymentsByName.contains(name))
        return true;
    if (team >= 0 && m_teamDeployments.contains(teamDeploymentKey(m_ws.teams[team].id, name)))
        return true;
    std::vector<std::int32_t> candidates;
    m_wildcardDeploymentIndex.collect(name, candidates);
    for (const std::int32_t p : candidates)
        if (m_wildcardDeploymentRegexes[static_cast<std::size_t>(p)].match(name).hasMatch())
            return true;
    return m_deploymentIds.contains(name);
}

CompiledKey CompiledWorkspace::syntheticTeamKey(std::int32_t team, const QString& userId) const {
    CompiledKey key;
    key.team = team;
    key.hasUserId = !userId.isEmpty();
    key.user = m_userById.value(userId, -1);
    key.list = EmptyList;
    if (team >= 0 && key.hasUserId)
        key.membership = m_teams[static_cast<std::size_t>(team)].memberships.value(userId, -1);
    return key;
}

std::int32_t CompiledWorkspace::membershipIndex(std::int32_t team, const QString& userId) const {
    if (team < 0 || userId.isEmpty())
        return -1;
    return m_teams[static_cast<std::size_t>(team)].memberships.value(userId, -1);
}

std::vector<NameId> CompiledWorkspace::proxyModelNames() const {
    // router.get_model_names() as the auth checks call it (no team id): one name per visible
    // router alias whose target has deployments, then every non-team deployment's name, wildcard
    // names included. Team-only deployments contribute nothing.
    std::vector<NameId> names;
    UniqueIds unique(names);
    for (auto it = m_ws.modelGroupAlias.cbegin(); it != m_ws.modelGroupAlias.cend(); ++it)
        if (!it.value().hidden && m_deploymentsByName.contains(it.value().target))
            unique.add(find(it.key()));
    for (const ProxyModel& model : m_ws.proxyModels)
        if (!model.teamId)
            unique.add(find(model.modelName));
    return names;
}

QStringList CompiledWorkspace::servedModelNames(std::int32_t team) const {
    QStringList names;
    QSet<QString> seen;
    auto add = [&](const QString& name) {
        if (!name.contains(u'*') && !seen.contains(name)) {
            seen.insert(name);
            names.append(name);
        }
    };
    for (const ProxyModel& model : m_ws.proxyModels)
        if (!model.teamId)
            add(model.modelName);
    if (team >= 0)
        for (const ProxyModel& model : m_ws.proxyModels)
            if (model.teamId && *model.teamId == m_ws.teams[team].id)
                add(model.teamPublicModelName.value_or(model.modelName));
    for (auto it = m_ws.modelGroupAlias.cbegin(); it != m_ws.modelGroupAlias.cend(); ++it)
        if (!it.value().hidden)
            add(it.key());
    return names;
}

} // namespace litescope::engine
