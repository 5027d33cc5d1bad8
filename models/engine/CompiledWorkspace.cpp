#include "engine/CompiledWorkspace.h"

#include "engine/SpecialNames.h"
#include "engine/UniqueIds.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace litescope::engine {

namespace {

// Python's re.escape (3.7+) escapes only characters with a meaning in a regex; the length of the
// escaped pattern decides LiteLLM's wildcard-deployment precedence, so reproduce it exactly.
bool pythonReEscapes(QChar c) {
    static const QString special = u"()[]{}?*+-|^$\\.&~# \t\n\r\v\f"_s;
    return special.contains(c);
}

// LiteLLM's PatternMatchRouter: re.escape(pattern) with "\*" -> "(.*)", matched with re.match
// (anchored at the start only), most specific pattern first by (length, regex complexity).
struct DeploymentPattern {
    QString modelName;
    QString regexText; // LiteLLM's regex text, only used for ordering
    QRegularExpression regex;
    std::vector<std::int32_t> deployments;
};

QString pythonRegexFor(const QString& pattern) {
    QString out;
    for (QChar c : pattern) {
        if (c == u'*')
            out += u"(.*)"_s;
        else if (pythonReEscapes(c))
            out += u'\\' + QString(c);
        else
            out += c;
    }
    return out;
}

std::pair<qsizetype, qsizetype> specificity(const QString& regexText) {
    static const QString complexityChars = u"*+?\\^$|()"_s;
    qsizetype complexity = 0;
    for (QChar c : regexText)
        if (complexityChars.contains(c))
            ++complexity;
    return {regexText.size(), complexity};
}

QRegularExpression anchoredAtStart(const QString& pattern) {
    QStringList parts = pattern.split(u'*');
    for (QString& part : parts)
        part = QRegularExpression::escape(part);
    return QRegularExpression(u"\\A(?:"_s + parts.join(u"(.*)"_s) + u')');
}

// LiteLLM's is_model_allowed_by_pattern: "^" + entry with '*' -> ".*" + "$", nothing escaped.
QRegularExpression allowListPattern(const QString& entry) {
    QString text = entry;
    text.replace(u'*', u".*"_s);
    return QRegularExpression(u'^' + text + u'$');
}

} // namespace

bool CompiledList::contains(NameId name) const {
    return std::binary_search(sortedEntries.begin(), sortedEntries.end(), name);
}

CompiledWorkspace::CompiledWorkspace(const Workspace& workspace)
    : m_ws(workspace)
    , m_providers(workspace.modelProviders) {
    static const QHash<QString, Dataset> datasetNames = {
        {u"proxy_models"_s, Dataset::ProxyModels},
        {u"model_group_alias"_s, Dataset::ModelGroupAlias},
        {u"access_groups"_s, Dataset::AccessGroups},
        {u"teams"_s, Dataset::Teams},
        {u"team_memberships"_s, Dataset::TeamMemberships},
        {u"users"_s, Dataset::Users},
        {u"projects"_s, Dataset::Projects},
        {u"settings"_s, Dataset::Settings},
        {u"model_providers"_s, Dataset::ModelProviders},
        {u"teams.model_aliases"_s, Dataset::TeamModelAliases},
        {u"litellm_version"_s, Dataset::LiteLLMVersion},
    };
    const auto bitsOf = [](const QStringList& fields) {
        std::uint16_t bits = 0;
        for (const QString& field : fields)
            if (auto it = datasetNames.constFind(field); it != datasetNames.constEnd())
                bits |= static_cast<std::uint16_t>(it.value());
        return bits;
    };
    m_unknownData = bitsOf(m_ws.source.unknown);
    m_assumedData = bitsOf(m_ws.source.assumed);
    m_profile = LiteLLMProfile::fromSource(m_ws.source.litellmVersion,
                                           m_ws.source.assumed.contains(u"litellm_version"_s));
    if (m_profile.assumed())
        m_assumedData |= static_cast<std::uint16_t>(Dataset::LiteLLMVersion);

    m_lists.push_back(CompiledList{}); // EmptyList
    m_listIndex.insert({QStringList(), false}, EmptyList);
    compileRouter();
    compileObjects();

    // An entry that is no valid regex matches nothing (the validator warns about it), so it is
    // never a candidate: matching it would only make Qt print the pattern, a name from the
    // database, on stderr.
    for (std::int32_t p = 0; p < static_cast<std::int32_t>(m_patterns.size()); ++p) {
        const WildcardPattern& pattern = m_patterns[static_cast<std::size_t>(p)];
        if (pattern.regex.isValid())
            m_patternIndex.add(PrefixIndex::allowListPrefix(m_names[pattern.entry]), p);
    }
    m_facts.reserve(static_cast<std::size_t>(m_names.size()));
    for (NameId id = 0; id < m_names.size(); ++id)
        m_facts.push_back(computeFacts(m_names[id]));
}

NameId CompiledWorkspace::intern(const QString& name) {
    auto it = m_nameIds.constFind(name);
    if (it != m_nameIds.constEnd())
        return it.value();
    const NameId id = static_cast<NameId>(m_names.size());
    m_names.append(name);
    m_nameIds.insert(name, id);
    return id;
}

void CompiledWorkspace::compileRouter() {
    std::vector<DeploymentPattern> patterns;
    QHash<QString, std::size_t> patternIndex;
    for (std::int32_t i = 0; i < m_ws.proxyModels.size(); ++i) {
        const ProxyModel& model = m_ws.proxyModels[i];
        intern(model.modelName);
        m_deploymentIds.insert(model.modelId);
        for (const QString& group : model.accessGroups)
            m_groupNames.insert(intern(group));
        // get_model_list matches model_name exactly on every deployment, team-only ones too.
        m_deploymentsByName[model.modelName].push_back(i);
        if (model.teamId) {
            m_hasTeamDeployments = true;
            const QString publicName = model.teamPublicModelName.value_or(model.modelName);
            intern(publicName);
            m_teamDeployments[teamDeploymentKey(*model.teamId, publicName)].push_back(i);
            continue;
        }
        if (model.modelName.contains(u'*')) {
            const QString regexText = pythonRegexFor(model.modelName);
            auto it = patternIndex.constFind(regexText);
            if (it == patternIndex.constEnd()) {
                it = patternIndex.insert(regexText, patterns.size());
                patterns.push_back(
                    {model.modelName, regexText, anchoredAtStart(model.modelName), {}});
            }
            patterns[it.value()].deployments.push_back(i);
        }
    }
    std::stable_sort(patterns.begin(), patterns.end(), [](const auto& a, const auto& b) {
        return specificity(a.regexText) > specificity(b.regexText);
    });
    for (const DeploymentPattern& pattern : patterns) {
        m_wildcardDeploymentIndex.add(
            PrefixIndex::wildcardPrefix(pattern.modelName),
            static_cast<std::int32_t>(m_wildcardDeploymentRegexes.size()));
        m_wildcardDeploymentRegexes.push_back(pattern.regex);
        UniqueIds groups(m_wildcardDeploymentGroups.emplace_back());
        for (std::int32_t deployment : pattern.deployments)
            for (const QString& group : m_ws.proxyModels[deployment].accessGroups)
                groups.add(intern(group));
    }
    for (auto it = m_ws.modelGroupAlias.cbegin(); it != m_ws.modelGroupAlias.cend(); ++it) {
        intern(it.key());
        intern(it.value().target);
    }
    for (auto it = m_ws.settings.modelAliasMap.cbegin(); it != m_ws.settings.modelAliasMap.cend();
         ++it) {
        intern(it.key());
        intern(it.value());
    }
}

std::int32_t CompiledWorkspace::compileList(const QStringList& written, bool expandAllTeamModels) {
    // A list compiles to the same value wherever it is written, so equal lists share one: a big
    // proxy's 200,000 keys and 100,000 memberships write a few hundred distinct lists, and a
    // CompiledList of its own for each cost most of the engine's memory (issue 12: 204 MiB).
    // The flag matters only for a list naming all-team-models.
    if (written.isEmpty())
        return EmptyList; // most keys and members: no hashing for them
    const bool expands = expandAllTeamModels && written.contains(special::AllTeamModels);
    const ListKey listKey{written, expands};
    if (const auto it = m_listIndex.constFind(listKey); it != m_listIndex.constEnd())
        return it.value();
    const std::int32_t index = compileNewList(written, expandAllTeamModels);
    m_listIndex.insert(listKey, index);
    return index;
}

std::int32_t CompiledWorkspace::compileNewList(const QStringList& written,
                                               bool expandAllTeamModels) {
    CompiledList list;
    list.written = written;
    UniqueIds entries(list.entries);
    for (const QString& entry : written) {
        if (expandAllTeamModels && entry == special::AllTeamModels && !m_ws.proxyModels.isEmpty()) {
            // LiteLLM replaces the sentinel by every proxy model name when the check is given a
            // team id and the router has models.
            list.expandedAllTeamModels = true;
            if (!m_proxyModelNames)
                m_proxyModelNames = proxyModelNames();
            for (NameId id : *m_proxyModelNames)
                entries.add(id);
            continue;
        }
        entries.add(intern(entry));
    }
    for (NameId id : list.entries) {
        const QString& entry = m_names[id];
        if (entry == special::Star)
            list.star = true;
        if (entry == special::AllProxyModels)
            list.allProxyModels = true;
        if (m_groupNames.contains(id))
            list.mentionsGroups = true;
        if (entry.contains(u'*')) {
            auto it = m_patternByEntry.constFind(id);
            if (it == m_patternByEntry.constEnd()) {
                it = m_patternByEntry.insert(id, static_cast<std::int32_t>(m_patterns.size()));
                m_patterns.push_back({id, allowListPattern(entry)});
            }
            list.patterns.push_back(it.value());
        }
    }
    list.empty = list.entries.empty();
    list.sortedEntries = list.entries;
    std::sort(list.sortedEntries.begin(), list.sortedEntries.end());
    m_lists.push_back(std::move(list));
    return static_cast<std::int32_t>(m_lists.size() - 1);
}

void CompiledWorkspace::compileObjects() {
    QHash<QString, std::int32_t> groupById;
    for (std::int32_t i = 0; i < m_ws.accessGroups.size(); ++i) {
        const AccessGroup& group = m_ws.accessGroups[i];
        groupById.insert(group.id, i);
        CompiledGroup compiled;
        compiled.assignedTeams =
            QSet<QString>(group.assignedTeamIds.begin(), group.assignedTeamIds.end());
        compiled.assignedKeys =
            QSet<QString>(group.assignedKeyIds.begin(), group.assignedKeyIds.end());
        m_groups.push_back(std::move(compiled));
    }
    // The union of the groups' models, duplicates removed, unknown group ids skipped: LiteLLM's
    // _get_models_from_access_groups.
    auto groupModels = [&](const QStringList& groupIds) {
        QStringList models;
        QSet<QString> seen;
        for (const QString& id : groupIds)
            if (auto it = groupById.constFind(id); it != groupById.constEnd())
                for (const QString& model : m_ws.accessGroups[it.value()].modelNames)
                    if (!seen.contains(model)) {
                        seen.insert(model);
                        models.append(model);
                    }
        return models;
    };
    // A user's teams once each: one user can be on every team's roster.
    QSet<quint64> userTeams;
    auto addUserTeam = [&](std::int32_t user, std::int32_t team) {
        const quint64 key = (quint64(quint32(user)) << 32) | quint32(team);
        if (!userTeams.contains(key)) {
            userTeams.insert(key);
            m_users[static_cast<std::size_t>(user)].teams.push_back(team);
        }
    };

    m_users.reserve(std::size_t(m_ws.users.size()));
    m_userById.reserve(m_ws.users.size());
    for (std::int32_t i = 0; i < m_ws.users.size(); ++i) {
        const User& user = m_ws.users[i];
        m_userById.insert(user.id, i);
        CompiledUser compiled;
        compiled.list = compileList(user.models, false);
        compiled.noDefaultModels = user.models.contains(special::NoDefaultModels);
        compiled.proxyAdmin = user.role == u"proxy_admin"_s;
        m_users.push_back(std::move(compiled));
    }

    for (std::int32_t i = 0; i < m_ws.teams.size(); ++i) {
        const Team& team = m_ws.teams[i];
        m_teamById.insert(team.id, i);
        if (!team.alias.isEmpty())
            m_teamByAlias.insert(team.alias, i);
        CompiledTeam compiled;
        compiled.list = compileList(team.models, true);
        compiled.blocked = team.blocked;
        compiled.hasGroupIds = !team.accessGroupIds.isEmpty();
        if (const QStringList fromGroups = groupModels(team.accessGroupIds);
            !fromGroups.isEmpty()) {
            QStringList widened = team.models;
            QSet<QString> listed(team.models.begin(), team.models.end());
            for (const QString& model : fromGroups)
                if (!listed.contains(model)) {
                    listed.insert(model);
                    widened.append(model);
                }
            compiled.groupList = compileList(widened, true);
        }
        for (auto it = team.modelAliases.cbegin(); it != team.modelAliases.cend(); ++it)
            compiled.aliases.insert(intern(it.key()), intern(it.value()));
        // A team row points at its aliases through model_id; a snapshot that could not read
        // that table says so, and only this team's decisions depend on it.
        compiled.aliasesUnknown =
            (m_unknownData & static_cast<std::uint16_t>(Dataset::TeamModelAliases)) != 0 &&
            team.modelId.has_value();
        for (const TeamMemberRole& member : team.membersWithRoles)
            if (member.userId)
                if (auto user = m_userById.constFind(*member.userId); user != m_userById.constEnd())
                    addUserTeam(user.value(), i);
        compiled.routerAliases = compileRouterAliases(team.routerAliases);
        m_teams.push_back(std::move(compiled));
    }

    m_memberships.reserve(std::size_t(m_ws.teamMemberships.size()));
    for (std::int32_t i = 0; i < m_ws.teamMemberships.size(); ++i) {
        const TeamMembership& membership = m_ws.teamMemberships[i];
        CompiledMembership compiled;
        compiled.team = m_teamById.value(membership.teamId, -1);
        compiled.scoped = !membership.allowedModels.isEmpty();
        compiled.list = compileList(membership.allowedModels, true);
        if (compiled.team >= 0)
            m_teams[compiled.team].memberships.insert(membership.userId, i);
        else
            m_membershipsOfMissingTeams.insert(membership.teamId + u'\n' + membership.userId, i);
        // A membership of a team that is not in the file is a team LiteLLM cannot load (-1).
        if (auto user = m_userById.constFind(membership.userId); user != m_userById.constEnd())
            addUserTeam(user.value(), compiled.team);
        m_memberships.push_back(compiled);
    }

    QHash<QString, std::int32_t> projectById;
    for (std::int32_t i = 0; i < m_ws.projects.size(); ++i) {
        const Project& project = m_ws.projects[i];
        projectById.insert(project.id, i);
        m_projects.push_back({compileList(project.models, false), project.blocked});
    }

    m_keys.reserve(std::size_t(m_ws.keys.size()));
    m_keyByToken.reserve(m_ws.keys.size());
    for (std::int32_t i = 0; i < m_ws.keys.size(); ++i) {
        const Key& key = m_ws.keys[i];
        m_keyByToken.insert(key.token, i);
        CompiledKey compiled;
        compiled.team = key.teamId ? m_teamById.value(*key.teamId, -1) : -1;
        compiled.teamMissing = key.teamId && compiled.team < 0;
        compiled.hasUserId = key.userId.has_value();
        compiled.user = key.userId ? m_userById.value(*key.userId, -1) : -1;
        compiled.hasProjectId = key.projectId.has_value();
        compiled.project = key.projectId ? projectById.value(*key.projectId, -1) : -1;
        compiled.blocked = key.blocked;
        compiled.configSkip = !key.config.isEmpty();
        compiled.allTeamModelsSkip = key.models.contains(special::AllTeamModels);
        compiled.list = compileList(key.models, key.teamId.has_value());
        compiled.hasGroupIds = !key.accessGroupIds.isEmpty();
        if (const QStringList fromGroups = groupModels(key.accessGroupIds); !fromGroups.isEmpty())
            compiled.groupList = compileList(fromGroups, key.teamId.has_value());
        // Only the key's groups assigned to its team or to the key itself may override a team
        // denial; the request is then judged against those groups' models alone.
        QStringList rescuing;
        for (const QString& groupId : key.accessGroupIds) {
            auto it = groupById.constFind(groupId);
            if (it == groupById.constEnd())
                continue;
            const CompiledGroup& group = m_groups[static_cast<std::size_t>(it.value())];
            if ((key.teamId && group.assignedTeams.contains(*key.teamId)) ||
                group.assignedKeys.contains(key.token))
                rescuing.append(m_ws.accessGroups[it.value()].id);
        }
        if (const QStringList fromGroups = groupModels(rescuing); !fromGroups.isEmpty())
            compiled.rescueList = compileList(fromGroups, true);
        if (compiled.team >= 0 && key.userId)
            compiled.membership = m_teams[compiled.team].memberships.value(*key.userId, -1);
        else if (compiled.teamMissing && key.userId)
            compiled.membership =
                m_membershipsOfMissingTeams.value(*key.teamId + u'\n' + *key.userId, -1);
        for (auto it = key.aliases.cbegin(); it != key.aliases.cend(); ++it)
            compiled.aliases.insert(intern(it.key()), intern(it.value()));
        compiled.routerAliases = compileRouterAliases(key.routerAliases);
        m_keys.push_back(std::move(compiled));
    }

    for (std::size_t g = 0; g < m_groups.size(); ++g) {
        const AccessGroup& group = m_ws.accessGroups[static_cast<qsizetype>(g)];
        m_groups[g].list = compileList(group.modelNames, false);
    }

    // LiteLLM reads the owner's teams from LiteLLM_UserTable.teams; prefer it when the workspace
    // carries it, since it can name teams that no longer load.
    for (std::int32_t i = 0; i < m_ws.users.size(); ++i) {
        const std::optional<QStringList>& teams = m_ws.users[i].teams;
        if (!teams)
            continue;
        std::vector<std::int32_t> listed;
        for (const QString& team : *teams)
            listed.push_back(m_teamById.value(team, -1));
        m_users[static_cast<std::size_t>(i)].teams = std::move(listed);
    }

    if (m_hasTeamDeployments) {
        // With a team id, a name no deployment is called by exactly may be that team's public
        // name for its own deployment.
        for (auto it = m_teamDeployments.cbegin(); it != m_teamDeployments.cend(); ++it) {
            const QString teamId = it.key().section(u'\n', 0, 0);
            const QString publicName = it.key().section(u'\n', 1);
            const std::int32_t team = m_teamById.value(teamId, -1);
            if (team < 0 || m_deploymentsByName.contains(publicName))
                continue;
            std::vector<NameId> groups;
            UniqueIds unique(groups);
            for (std::int32_t deployment : it.value())
                for (const QString& group : m_ws.proxyModels[deployment].accessGroups)
                    unique.add(find(group));
            if (auto alias = m_ws.modelGroupAlias.constFind(publicName);
                alias != m_ws.modelGroupAlias.constEnd() && !alias.value().hidden)
                for (std::int32_t deployment : m_deploymentsByName.value(alias.value().target))
                    for (const QString& group : m_ws.proxyModels[deployment].accessGroups)
                        unique.add(find(group));
            const quint64 key = (quint64(quint32(team)) << 32) | quint32(find(publicName));
            m_teamRouterGroups.insert(key, std::move(groups));
        }
    }
}

NameFacts CompiledWorkspace::computeFacts(const QString& name) const {
    NameFacts facts;
    if (auto it = m_ws.settings.modelAliasMap.constFind(name);
        it != m_ws.settings.modelAliasMap.constEnd()) {
        facts.aliasTarget = find(it.value());
        facts.globalAliasTarget = facts.aliasTarget;
    } else if (auto alias = m_ws.modelGroupAlias.constFind(name);
               alias != m_ws.modelGroupAlias.constEnd())
        facts.aliasTarget = find(alias.value().target);

    // router.get_model_access_groups(model_name): the groups of the deployments get_model_list
    // returns for the name: exact model_name matches, a visible router alias's target, and only
    // when neither exists the most specific matching wildcard deployment.
    UniqueIds routerGroups(facts.routerGroups);
    auto addGroupsOf = [&](const QString& deploymentName) {
        for (std::int32_t deployment : m_deploymentsByName.value(deploymentName)) {
            facts.hasDirectDeployment = true;
            for (const QString& group : m_ws.proxyModels[deployment].accessGroups)
                routerGroups.add(find(group));
        }
    };
    addGroupsOf(name);
    if (auto alias = m_ws.modelGroupAlias.constFind(name);
        alias != m_ws.modelGroupAlias.constEnd() && !alias.value().hidden)
        addGroupsOf(alias.value().target);
    std::vector<std::int32_t> candidates;
    if (!facts.hasDirectDeployment) {
        m_wildcardDeploymentIndex.collect(name, candidates);
        std::sort(candidates.begin(), candidates.end());
        for (const std::int32_t p : candidates) {
            if (m_wildcardDeploymentRegexes[static_cast<std::size_t>(p)].match(name).hasMatch()) {
                for (NameId group : m_wildcardDeploymentGroups[static_cast<std::size_t>(p)])
                    routerGroups.add(group);
                break;
            }
        }
    }

    // A name with a '/' whose prefix get_llm_provider did not consume ("bedrockz/ft:gpt-4") is
    // never granted through its provider (LiteLLM's test_can_key_call_model_wildcard_access).
    std::optional<ProviderMatch> provider = m_providers.infer(name);
    if (provider && name.contains(u'/') && provider->model == name)
        provider.reset();
    const QString withProvider = provider ? provider->provider + u'/' + provider->model : QString();
    // Only the patterns whose literal start begins the name (or its provider form) can match.
    candidates.clear();
    m_patternIndex.collect(name, candidates);
    if (provider)
        m_patternIndex.collect(withProvider, candidates);
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (const std::int32_t p : candidates) {
        const QRegularExpression& regex = m_patterns[static_cast<std::size_t>(p)].regex;
        if (regex.match(name).hasMatch())
            facts.wildcardHits.push_back({p, false});
        else if (provider && regex.match(withProvider).hasMatch())
            facts.wildcardHits.push_back({p, true});
    }
    return facts;
}

NameFacts CompiledWorkspace::factsForUnknown(const QString& name) const {
    return computeFacts(name);
}

const std::vector<NameId>& CompiledWorkspace::routerGroups(NameId name, std::int32_t team) const {
    if (m_hasTeamDeployments && team >= 0) {
        const quint64 key = (quint64(quint32(team)) << 32) | quint32(name);
        if (auto it = m_teamRouterGroups.constFind(key); it != m_teamRouterGroups.constEnd())
            return it.value();
    }
    return facts(name).routerGroups;
}

} // namespace litescope::engine
