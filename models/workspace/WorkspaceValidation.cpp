// The checks that need the whole workspace: ids, duplicates and references between entities.
#include "domain/TranslationContexts.h"
#include "workspace/JsonDetail.h"
#include "workspace/WorkspaceJson.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <optional>
#include <utility>

namespace litescope::workspace {

using namespace Qt::StringLiterals;
using detail::fieldPath;
using detail::indexPath;
using detail::quoted;

namespace {

QString missingTarget(const QString& what, const QString& id) {
    return WorkspaceText::tr("no %1 %2 in this workspace").arg(what, quoted(id));
}

enum class Unique { Yes, No };

// The index where `id` was first seen, or nullopt (and `id` is remembered at `index`).
template <typename Id>
std::optional<qsizetype> seenBefore(QHash<Id, qsizetype>& firstSeen, const Id& id,
                                    qsizetype index) {
    const auto it = firstSeen.constFind(id);
    if (it != firstSeen.constEnd())
        return *it;
    firstSeen.insert(id, index);
    return std::nullopt;
}

// Ids of one list in file order; remembers where each id was first seen so a duplicate error
// can name both places.
template <typename T, typename GetId>
std::optional<Error> checkIds(const QList<T>& items, const QString& list, QLatin1StringView field,
                              GetId getId, Unique unique = Unique::Yes) {
    QHash<QString, qsizetype> firstSeen;
    if (unique == Unique::Yes)
        firstSeen.reserve(items.size());
    // Spelled only for an error: a path per row would cost more than the check.
    const auto path = [&](qsizetype i) { return fieldPath(indexPath(list, i), field); };
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString& id = getId(items.at(i));
        if (id.isEmpty())
            return Error::invalid(path(i) + u": missing required field (empty string)"_s);
        if (unique == Unique::No)
            continue;
        if (const auto first = seenBefore(firstSeen, id, i))
            return Error::invalid(path(i) + u": duplicate "_s + quoted(id) + u" (also at "_s +
                                  path(*first) + u')');
    }
    return std::nullopt;
}

// Aliases are optional: only keys that have one can clash.
std::optional<Error> checkKeyAliases(const QList<Key>& keys) {
    QHash<QString, qsizetype> firstSeen;
    firstSeen.reserve(keys.size());
    for (qsizetype i = 0; i < keys.size(); ++i) {
        const std::optional<QString>& alias = keys.at(i).alias;
        if (!alias || alias->isEmpty())
            continue;
        if (const auto first = seenBefore(firstSeen, *alias, i))
            return Error::invalid(fieldPath(indexPath(u"keys"_s, i), "key_alias"_L1) +
                                  u": duplicate "_s + quoted(*alias) + u" (also at "_s +
                                  fieldPath(indexPath(u"keys"_s, *first), "key_alias"_L1) + u')');
    }
    return std::nullopt;
}

std::optional<Error> checkMemberships(const QList<TeamMembership>& memberships) {
    const QString list = u"team_memberships"_s;
    QHash<std::pair<QString, QString>, qsizetype> firstSeen;
    firstSeen.reserve(memberships.size());
    for (qsizetype i = 0; i < memberships.size(); ++i) {
        const TeamMembership& m = memberships.at(i);
        const auto path = [&] { return indexPath(list, i); };
        if (m.teamId.isEmpty())
            return Error::invalid(path() + u".team_id: missing required field (empty string)"_s);
        if (m.userId.isEmpty())
            return Error::invalid(path() + u".user_id: missing required field (empty string)"_s);
        if (const auto first = seenBefore(firstSeen, std::pair(m.teamId, m.userId), i))
            return Error::invalid(path() + u": duplicate membership of user "_s + quoted(m.userId) +
                                  u" in team "_s + quoted(m.teamId) + u" (also at "_s +
                                  indexPath(list, *first) + u')');
    }
    return std::nullopt;
}

std::optional<Error> checkAllIds(const Workspace& ws) {
    // Several deployments share a model_name, so proxy_models only need non-empty names.
    const std::optional<Error> errors[] = {
        checkIds(
            ws.proxyModels, u"proxy_models"_s, "model_name"_L1,
            [](const ProxyModel& m) -> const QString& { return m.modelName; }, Unique::No),
        checkIds(ws.accessGroups, u"access_groups"_s, "access_group_id"_L1,
                 [](const AccessGroup& g) -> const QString& { return g.id; }),
        checkIds(ws.organizations, u"organizations"_s, "organization_id"_L1,
                 [](const Organization& o) -> const QString& { return o.id; }),
        checkIds(ws.teams, u"teams"_s, "team_id"_L1,
                 [](const Team& t) -> const QString& { return t.id; }),
        checkMemberships(ws.teamMemberships),
        checkIds(ws.users, u"users"_s, "user_id"_L1,
                 [](const User& u) -> const QString& { return u.id; }),
        checkIds(ws.keys, u"keys"_s, "token"_L1,
                 [](const Key& k) -> const QString& { return k.token; }),
        checkKeyAliases(ws.keys),
        checkIds(ws.projects, u"projects"_s, "project_id"_L1,
                 [](const Project& p) -> const QString& { return p.id; }),
    };
    for (const std::optional<Error>& error : errors) {
        if (error)
            return error;
    }
    return std::nullopt;
}

template <typename T, typename GetId>
QSet<QString> idsOf(const QList<T>& items, GetId getId) {
    QSet<QString> ids;
    ids.reserve(items.size());
    for (const T& item : items)
        ids.insert(getId(item));
    return ids;
}

struct KnownIds {
    QSet<QString> teams, organizations, accessGroups, users, projects, keys;

    explicit KnownIds(const Workspace& ws)
        : teams(idsOf(ws.teams, [](const Team& t) -> const QString& { return t.id; }))
        , organizations(
              idsOf(ws.organizations, [](const Organization& o) -> const QString& { return o.id; }))
        , accessGroups(
              idsOf(ws.accessGroups, [](const AccessGroup& g) -> const QString& { return g.id; }))
        , users(idsOf(ws.users, [](const User& u) -> const QString& { return u.id; }))
        , projects(idsOf(ws.projects, [](const Project& p) -> const QString& { return p.id; }))
        // Only access groups name keys: 200,000 tokens are not hashed for none.
        , keys(std::any_of(ws.accessGroups.cbegin(), ws.accessGroups.cend(),
                           [](const AccessGroup& g) { return !g.assignedKeyIds.isEmpty(); })
                   ? idsOf(ws.keys, [](const Key& k) -> const QString& { return k.token; })
                   : QSet<QString>()) {}
};

// Collects warnings for ids that name nothing in the workspace.
class WarningList {
public:
    // `path()` spells the field's path, only for a warning: a path per row would cost more than
    // the check.
    template <typename Path>
    void optionalRef(Path path, const std::optional<QString>& id, const QString& what,
                     const QSet<QString>& known) {
        if (id)
            ref(path, *id, what, known);
    }

    template <typename Path>
    void ref(Path path, const QString& id, const QString& what, const QSet<QString>& known) {
        if (!known.contains(id))
            m_warnings.append(path() + u": "_s + missingTarget(what, id));
    }

    template <typename Path>
    void refs(Path path, const QStringList& ids, const QString& what, const QSet<QString>& known) {
        for (qsizetype i = 0; i < ids.size(); ++i)
            ref([&] { return indexPath(path(), i); }, ids.at(i), what, known);
    }

    QStringList take() { return std::move(m_warnings); }

private:
    QStringList m_warnings;
};

} // namespace

Status validate(const Workspace& workspace) {
    if (std::optional<Error> error = checkAllIds(workspace))
        return *error;
    return Done{};
}

QStringList referenceWarnings(const Workspace& ws) {
    const KnownIds known(ws);
    const QString group = WorkspaceText::tr("access group"), team = WorkspaceText::tr("team"),
                  user = WorkspaceText::tr("user");
    WarningList w;
    // The path of row i of `list`, then `field`.
    const auto at = [](const char16_t* list, qsizetype i, const char16_t* field) {
        return [list, i, field] {
            QString path = indexPath(QString::fromUtf16(list), i);
            path.append(QStringView(field));
            return path;
        };
    };
    for (qsizetype i = 0; i < ws.proxyModels.size(); ++i)
        w.optionalRef(at(u"proxy_models", i, u".model_info.team_id"), ws.proxyModels.at(i).teamId,
                      team, known.teams);
    for (qsizetype i = 0; i < ws.accessGroups.size(); ++i) {
        w.refs(at(u"access_groups", i, u".assigned_team_ids"),
               ws.accessGroups.at(i).assignedTeamIds, team, known.teams);
        w.refs(at(u"access_groups", i, u".assigned_key_ids"), ws.accessGroups.at(i).assignedKeyIds,
               WorkspaceText::tr("key"), known.keys);
    }
    for (qsizetype i = 0; i < ws.teams.size(); ++i) {
        w.refs(at(u"teams", i, u".access_group_ids"), ws.teams.at(i).accessGroupIds, group,
               known.accessGroups);
        // Organizations only feed budgets: LiteLLM never checks their models on a request.
        w.optionalRef(at(u"teams", i, u".organization_id"), ws.teams.at(i).organizationId,
                      WorkspaceText::tr("organization"), known.organizations);
    }
    for (qsizetype i = 0; i < ws.teamMemberships.size(); ++i) {
        w.ref(at(u"team_memberships", i, u".team_id"), ws.teamMemberships.at(i).teamId, team,
              known.teams);
        w.ref(at(u"team_memberships", i, u".user_id"), ws.teamMemberships.at(i).userId, user,
              known.users);
    }
    const QString project = WorkspaceText::tr("project");
    for (qsizetype i = 0; i < ws.keys.size(); ++i) {
        const Key& key = ws.keys.at(i);
        // LiteLLM rebuilds a missing team from the key's copy of its columns (see the engine).
        w.optionalRef(at(u"keys", i, u".team_id"), key.teamId, team, known.teams);
        w.optionalRef(at(u"keys", i, u".user_id"), key.userId, user, known.users);
        w.optionalRef(at(u"keys", i, u".project_id"), key.projectId, project, known.projects);
        w.refs(at(u"keys", i, u".access_group_ids"), key.accessGroupIds, group, known.accessGroups);
    }
    for (qsizetype i = 0; i < ws.users.size(); ++i)
        if (const std::optional<QStringList>& teams = ws.users.at(i).teams)
            w.refs(at(u"users", i, u".teams"), *teams, team, known.teams);
    return w.take();
}

QString referenceSummary(const Workspace& ws) {
    const QStringList warnings = referenceWarnings(ws);
    if (warnings.isEmpty())
        return {};
    return WorkspaceText::tr("%n reference(s) name rows that do not exist, as LiteLLM allows "
                             "(the first: %1); they are kept, and decided as LiteLLM does",
                             nullptr, int(warnings.size()))
        .arg(warnings.first());
}

} // namespace litescope::workspace
