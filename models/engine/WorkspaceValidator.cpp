#include "engine/WorkspaceValidator.h"

#include "domain/Redaction.h"
#include "domain/TranslationContexts.h"
#include "engine/PrefixIndex.h"
#include "engine/SpecialNames.h"
#include "workspace/JsonDetail.h"
#include "workspace/WorkspaceJson.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSet>

#include <optional>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

QString teamName(const Team& team) {
    return shownName(team.alias.isEmpty() ? team.id : team.alias);
}

// Entries that are not one model: special names, wildcards. Their reach is checked elsewhere.
bool isSpecial(const QString& entry) {
    return entry == special::AllProxyModels || entry == special::AllTeamModels ||
           entry.contains(u'*');
}

class Validator {
public:
    explicit Validator(const AccessEngine& engine)
        : m_engine(engine)
        , m_ws(engine.workspace()) {}

    QList<ValidationIssue> run() {
        for (const QString& warning : workspace::referenceWarnings(m_ws))
            warn(warning.section(u": "_s, 0, 0), warning.section(u": "_s, 1));
        checkPatterns();
        checkAccessGroups();
        checkTeams();
        checkMemberships();
        checkKeys();
        return m_issues;
    }

private:
    void warn(QString path, QString message) {
        m_issues.append({ValidationIssue::Severity::Warning, std::move(path), std::move(message)});
    }

    // "alice@example.com (u-123)" when the user row has an email the id does not show.
    QString userName(const QString& userId) const {
        const std::int32_t user = m_engine.compiled().userIndex(userId);
        if (user < 0)
            return shownName(userId);
        const std::optional<QString>& email = m_ws.users[user].email;
        if (!email || email->isEmpty() || *email == userId)
            return shownName(userId);
        return u"%1 (%2)"_s.arg(shownName(*email), shownName(userId));
    }

    // Can the team itself call `model`? The team layer alone, as a member's scope would meet it.
    bool teamCanUse(std::int32_t team, const QString& model) const {
        if (m_engine.compiled().isRouterGroup(m_engine.compiled().find(model)))
            return true; // a group name: the team is judged per model of the group
        const Decision decision =
            m_engine.decide(Subject::forMember(team, QString()), ModelRequest::single(model));
        return decision.verdict != Verdict::Denied;
    }

    // Each distinct wildcard is compiled once, however many lists repeat it.
    bool validWildcard(const QString& entry) {
        auto it = m_validWildcards.constFind(entry);
        if (it == m_validWildcards.constEnd()) {
            QString regex = entry;
            regex.replace(u'*', u".*"_s);
            it = m_validWildcards.insert(entry, QRegularExpression(u'^' + regex + u'$').isValid());
        }
        return it.value();
    }

    void checkList(const QStringList& list, const QString& path) {
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString& entry = list[i];
            if (!entry.contains(u'*'))
                continue;
            if (!validWildcard(entry))
                warn(u"%1[%2]"_s.arg(path).arg(i),
                     ValidatorText::tr(
                         "wildcard %1 is not a valid regular expression once LiteLLM turns it "
                         "into one; the proxy fails every request it is checked against")
                         .arg(workspace::detail::quoted(entry)));
        }
    }

    void checkPatterns() {
        for (qsizetype t = 0; t < m_ws.teams.size(); ++t)
            checkList(m_ws.teams[t].models, u"teams[%1].models"_s.arg(t));
        for (qsizetype m = 0; m < m_ws.teamMemberships.size(); ++m)
            checkList(m_ws.teamMemberships[m].allowedModels,
                      u"team_memberships[%1].allowed_models"_s.arg(m));
        for (qsizetype k = 0; k < m_ws.keys.size(); ++k)
            checkList(m_ws.keys[k].models, u"keys[%1].models"_s.arg(k));
        for (qsizetype u = 0; u < m_ws.users.size(); ++u)
            checkList(m_ws.users[u].models, u"users[%1].models"_s.arg(u));
    }

    // Is `name` something the router serves: a deployment, a team's public name, an alias, or a
    // name a wildcard deployment routes?
    // The deployments' names are indexed once: an access group can list every model the proxy
    // has, and a walk of the deployments per name would cost groups × deployments.
    bool served(const QString& name) {
        if (!m_deploymentNames) {
            m_deploymentNames.emplace();
            QSet<QString> wildcards;
            for (const ProxyModel& model : m_ws.proxyModels) {
                m_deploymentNames->insert(model.modelName);
                if (model.teamPublicModelName)
                    m_deploymentNames->insert(*model.teamPublicModelName);
                if (model.modelName.contains(u'*') && !wildcards.contains(model.modelName)) {
                    wildcards.insert(model.modelName);
                    QString regex = QRegularExpression::escape(model.modelName);
                    regex.replace(u"\\*"_s, u".*"_s);
                    m_wildcardIndex.add(engine::PrefixIndex::wildcardPrefix(model.modelName),
                                        static_cast<std::int32_t>(m_wildcardDeployments.size()));
                    m_wildcardDeployments.append(
                        QRegularExpression(QRegularExpression::anchoredPattern(regex)));
                }
            }
        }
        if (m_deploymentNames->contains(name))
            return true;
        std::vector<std::int32_t> candidates;
        m_wildcardIndex.collect(name, candidates);
        for (const std::int32_t w : candidates)
            if (m_wildcardDeployments.at(w).match(name).hasMatch())
                return true;
        return m_ws.modelGroupAlias.contains(name) || m_ws.settings.modelAliasMap.contains(name);
    }

    // A DB access group naming a model that was removed from the proxy: LiteLLM keeps granting
    // the name (the router then has nothing to send it to). A snapshot without deployments says
    // nothing either way.
    void checkAccessGroups() {
        if (m_ws.proxyModels.isEmpty() || m_ws.source.unknown.contains(u"proxy_models"_s))
            return;
        for (qsizetype g = 0; g < m_ws.accessGroups.size(); ++g) {
            const QStringList& names = m_ws.accessGroups[g].modelNames;
            for (qsizetype i = 0; i < names.size(); ++i) {
                const QString& name = names[i];
                if (isSpecial(name) ||
                    m_engine.compiled().isRouterGroup(m_engine.compiled().find(name)) ||
                    served(name))
                    continue;
                warn(u"access_groups[%1].access_model_names[%2]"_s.arg(g).arg(i),
                     ValidatorText::tr("the proxy serves no model %1 (removed, or defined only in "
                                       "config.yaml): the group still grants the name, but "
                                       "requests for it find no deployment")
                         .arg(workspace::detail::quoted(name)));
            }
        }
    }

    void checkTeams() {
        for (std::int32_t t = 0; t < m_ws.teams.size(); ++t) {
            const Team& team = m_ws.teams[t];
            if (team.blocked)
                continue;
            const QStringList& defaults = team.defaultTeamMemberModels;
            for (qsizetype i = 0; i < defaults.size(); ++i)
                if (!isSpecial(defaults[i]) && !teamCanUse(t, defaults[i]))
                    warn(u"teams[%1].default_team_member_models[%2]"_s.arg(t).arg(i),
                         ValidatorText::tr(
                             "team %1 cannot use %2, yet new members get it as their scope")
                             .arg(teamName(team), workspace::detail::quoted(defaults[i])));
        }
    }

    void checkMemberships() {
        for (qsizetype m = 0; m < m_ws.teamMemberships.size(); ++m) {
            const TeamMembership& membership = m_ws.teamMemberships[m];
            const std::int32_t team = m_engine.findTeam(membership.teamId);
            if (team < 0 || m_ws.teams[team].id != membership.teamId || m_ws.teams[team].blocked)
                continue;
            const QStringList& scope = membership.allowedModels;
            for (qsizetype i = 0; i < scope.size(); ++i)
                if (!isSpecial(scope[i]) && !teamCanUse(team, scope[i]))
                    warn(u"team_memberships[%1].allowed_models[%2]"_s.arg(m).arg(i),
                         ValidatorText::tr(
                             "member %1 of team %2 is scoped to %3, which the team cannot use")
                             .arg(userName(membership.userId), teamName(m_ws.teams[team]),
                                  workspace::detail::quoted(scope[i])));
        }
    }

    void checkKeys() {
        for (std::int32_t k = 0; k < m_ws.keys.size(); ++k) {
            const Key& key = m_ws.keys[k];
            if (key.blocked)
                continue;
            const QStringList models = servedTo(m_engine.compiled().keys()[std::size_t(k)].team);
            if (models.isEmpty())
                continue; // nothing served to this key: nothing to call or to miss
            bool any = false;
            for (const QString& model : models)
                if (m_engine.decide(Subject::forKey(k), ModelRequest::single(model)).verdict !=
                    Verdict::Denied) {
                    any = true;
                    break;
                }
            if (!any)
                warn(u"keys[%1]"_s.arg(k),
                     ValidatorText::tr("key %1 can call none of the proxy's %2 models")
                         .arg(key.alias ? shownName(*key.alias) : redactedKey(key.token))
                         .arg(models.size()));
        }
    }

    // What the proxy serves to a team's keys (previewModels without extras), built once per team
    // rather than once per key.
    const QStringList& servedTo(std::int32_t team) {
        auto it = m_servedTo.constFind(team);
        if (it == m_servedTo.constEnd())
            it = m_servedTo.insert(team, m_engine.compiled().servedModelNames(team));
        return it.value();
    }

    const AccessEngine& m_engine;
    const Workspace& m_ws;
    QList<ValidationIssue> m_issues;
    QHash<QString, bool> m_validWildcards;
    std::optional<QSet<QString>> m_deploymentNames;
    QList<QRegularExpression> m_wildcardDeployments; // distinct wildcard model_names
    engine::PrefixIndex m_wildcardIndex;
    QHash<std::int32_t, QStringList> m_servedTo;
};

} // namespace

QList<ValidationIssue> validateWorkspace(const AccessEngine& engine) {
    return Validator(engine).run();
}

} // namespace litescope
