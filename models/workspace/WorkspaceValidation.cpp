// The checks that need the whole workspace: ids, duplicates and references between entities.
#include "domain/TranslationContexts.h"
#include "workspace/FirstSeen.h"
#include "workspace/IdSet.h"
#include "workspace/JsonDetail.h"
#include "workspace/WorkspaceJson.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

namespace litescope::workspace {

using namespace Qt::StringLiterals;
using detail::fieldPath;
using detail::FirstSeen;
using detail::idHash;
using detail::IdSet;
using detail::indexPath;
using detail::quoted;

namespace {

QString missingTarget(const QString& what, const QString& id) {
    return WorkspaceText::tr("no %1 %2 in this workspace").arg(what, quoted(id));
}

enum class Unique { Yes, No };

// Ids of one list in file order; remembers where each id was first seen so a duplicate error
// can name both places.
template <typename T, typename GetId>
std::optional<Error> checkIds(const QList<T>& items, const QString& list, QLatin1StringView field,
                              GetId getId, Unique unique = Unique::Yes) {
    FirstSeen firstSeen(unique == Unique::Yes ? items.size() : 0);
    // Spelled only for an error: a path per row would cost more than the check.
    const auto path = [&](qsizetype i) { return fieldPath(indexPath(list, i), field); };
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString& id = getId(items.at(i));
        if (id.isEmpty())
            return Error::invalid(path(i) + u": missing required field (empty string)"_s);
        if (unique == Unique::No)
            continue;
        const auto first = firstSeen.seenBefore(
            idHash(id), i, [&](qsizetype at) { return getId(items.at(at)) == id; });
        if (first)
            return Error::invalid(path(i) + u": duplicate "_s + quoted(id) + u" (also at "_s +
                                  path(*first) + u')');
    }
    return std::nullopt;
}

// Aliases are optional: only keys that have one can clash.
std::optional<Error> checkKeyAliases(const QList<Key>& keys) {
    FirstSeen firstSeen(keys.size());
    for (qsizetype i = 0; i < keys.size(); ++i) {
        const std::optional<QString>& alias = keys.at(i).alias;
        if (!alias || alias->isEmpty())
            continue;
        const auto first = firstSeen.seenBefore(
            idHash(*alias), i, [&](qsizetype at) { return *keys.at(at).alias == *alias; });
        if (first)
            return Error::invalid(fieldPath(indexPath(u"keys"_s, i), "key_alias"_L1) +
                                  u": duplicate "_s + quoted(*alias) + u" (also at "_s +
                                  fieldPath(indexPath(u"keys"_s, *first), "key_alias"_L1) + u')');
    }
    return std::nullopt;
}

std::optional<Error> checkMemberships(const QList<TeamMembership>& memberships) {
    const QString list = u"team_memberships"_s;
    FirstSeen firstSeen(memberships.size());
    for (qsizetype i = 0; i < memberships.size(); ++i) {
        const TeamMembership& m = memberships.at(i);
        const auto path = [&] { return indexPath(list, i); };
        if (m.teamId.isEmpty())
            return Error::invalid(path() + u".team_id: missing required field (empty string)"_s);
        if (m.userId.isEmpty())
            return Error::invalid(path() + u".user_id: missing required field (empty string)"_s);
        const std::uint64_t hash = idHash(m.teamId) ^ (idHash(m.userId) * 0x9E3779B97F4A7C15ULL);
        const auto first = firstSeen.seenBefore(hash, i, [&](qsizetype at) {
            return memberships.at(at).teamId == m.teamId && memberships.at(at).userId == m.userId;
        });
        if (first)
            return Error::invalid(path() + u": duplicate membership of user "_s + quoted(m.userId) +
                                  u" in team "_s + quoted(m.teamId) + u" (also at "_s +
                                  indexPath(list, *first) + u')');
    }
    return std::nullopt;
}

std::optional<Error> checkAllIds(const Workspace& ws) {
    // The keys' tokens and aliases are most of the ids of a big proxy: a second thread checks
    // them while this one checks the rest. Each check stands alone; the first error in this
    // order is reported either way.
    std::optional<Error> tokens, aliases;
    const auto checkKeys = [&ws, &tokens, &aliases] {
        tokens = checkIds(ws.keys, u"keys"_s, "token"_L1,
                          [](const Key& k) -> const QString& { return k.token; });
        aliases = checkKeyAliases(ws.keys);
    };
    std::thread helper;
    if (ws.keys.size() >= 50000)
        helper = std::thread(checkKeys);
    // Several deployments share a model_name, so proxy_models only need non-empty names.
    std::optional<Error> errors[] = {
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
        std::nullopt, // the keys' tokens
        std::nullopt, // and aliases
        checkIds(ws.projects, u"projects"_s, "project_id"_L1,
                 [](const Project& p) -> const QString& { return p.id; }),
    };
    if (helper.joinable())
        helper.join();
    else
        checkKeys();
    errors[6] = std::move(tokens);
    errors[7] = std::move(aliases);
    for (const std::optional<Error>& error : errors) {
        if (error)
            return error;
    }
    return std::nullopt;
}

template <typename T, typename GetId>
IdSet idsOf(const QList<T>& items, GetId getId) {
    IdSet ids(items.size());
    for (const T& item : items)
        ids.insert(getId(item));
    return ids;
}

IdSet idsOf(const QStringList& texts) {
    return idsOf(texts, [](const QString& text) -> const QString& { return text; });
}

struct KnownIds {
    IdSet teams, organizations, accessGroups, users, projects, keys;

    // `keys`: whether access groups' assigned_key_ids are to be checked.
    KnownIds(const Workspace& ws, bool withKeys)
        : teams(idsOf(ws.teams, [](const Team& t) { return t.id; }))
        , organizations(idsOf(ws.organizations, [](const Organization& o) { return o.id; }))
        , accessGroups(idsOf(ws.accessGroups, [](const AccessGroup& g) { return g.id; }))
        , users(idsOf(ws.users, [](const User& u) { return u.id; }))
        , projects(idsOf(ws.projects, [](const Project& p) { return p.id; })) {
        // Only access groups name keys: most workspaces never need the set of every token.
        if (withKeys && std::ranges::any_of(ws.accessGroups, [](const AccessGroup& g) {
                return !g.assignedKeyIds.isEmpty();
            }))
            keys = idsOf(ws.keys, [](const Key& k) { return k.token; });
    }
    explicit KnownIds(const KeyTargets& targets)
        : teams(idsOf(targets.teams))
        , accessGroups(idsOf(targets.accessGroups))
        , users(idsOf(targets.users))
        , projects(idsOf(targets.projects)) {}
};

// Collects warnings for ids that name nothing in the workspace. `path()` spells the field's
// path; it is called only for such an id: a large proxy has hundreds of thousands of references
// and next to no dangling ones.
class WarningList {
public:
    template <typename Path>
    void optionalRef(Path path, const std::optional<QString>& id, const QString& what,
                     const IdSet& known) {
        if (id)
            ref(path, *id, what, known);
    }

    template <typename Path>
    void ref(Path path, const QString& id, const QString& what, const IdSet& known) {
        if (!known.contains(id))
            m_warnings.append(path() + u": "_s + missingTarget(what, id));
    }

    template <typename Path>
    void refs(Path path, const QStringList& ids, const QString& what, const IdSet& known) {
        for (qsizetype i = 0; i < ids.size(); ++i)
            ref([&]() -> QString { return indexPath(path(), i); }, ids.at(i), what, known);
    }

    QStringList take() { return std::move(m_warnings); }

private:
    QStringList m_warnings;
};

// What the warnings call the rows they miss, translated once.
struct Words {
    QString group, team, user, project;
};

Words translatedWords() {
    return {WorkspaceText::tr("access group"), WorkspaceText::tr("team"), WorkspaceText::tr("user"),
            WorkspaceText::tr("project")};
}

void membershipReferences(WarningList& w, const Workspace& ws, const KnownIds& known,
                          const Words& words, qsizetype i, qsizetype shown) {
    const auto field = [&](QLatin1StringView name) {
        return [&, name]() -> QString { return indexPath(u"team_memberships"_s, shown) + name; };
    };
    w.ref(field(".team_id"_L1), ws.teamMemberships.at(i).teamId, words.team, known.teams);
    w.ref(field(".user_id"_L1), ws.teamMemberships.at(i).userId, words.user, known.users);
}

void keyReferences(WarningList& w, const QList<Key>& keys, const KnownIds& known,
                   const Words& words, qsizetype i, qsizetype shown) {
    const auto field = [&](QLatin1StringView name) {
        return [&, name]() -> QString { return indexPath(u"keys"_s, shown) + name; };
    };
    const Key& key = keys.at(i);
    // LiteLLM rebuilds a missing team from the key's copy of its columns (see the engine).
    w.optionalRef(field(".team_id"_L1), key.teamId, words.team, known.teams);
    w.optionalRef(field(".user_id"_L1), key.userId, words.user, known.users);
    w.optionalRef(field(".project_id"_L1), key.projectId, words.project, known.projects);
    w.refs(field(".access_group_ids"_L1), key.accessGroupIds, words.group, known.accessGroups);
}

// The memberships, then the keys (those not checked already), as one run of rows: where a second
// thread takes over (it checks the rows from there on, then the users) so that both check about
// as many references; -1 when the workspace is too small to be worth it. The sets are only read,
// and the lookups, not the loops, are the cost (a cache miss per id).
qsizetype secondThreadFrom(qint64 rows, qint64 users) {
    if (rows + users < 50000)
        return -1;
    // About two references a membership and a key, one a user.
    return qsizetype(std::clamp<qint64>((2 * rows + users) / 4, 0, rows));
}

QString summaryOf(const QStringList& warnings) {
    if (warnings.isEmpty())
        return {};
    return WorkspaceText::tr("%n reference(s) name rows that do not exist, as LiteLLM allows "
                             "(the first: %1); they are kept, and decided as LiteLLM does",
                             nullptr, int(warnings.size()))
        .arg(warnings.first());
}

} // namespace

struct ReferenceCheck::Known {
    KnownIds ids;
    Words words;
};

ReferenceCheck::ReferenceCheck(const Workspace& workspace)
    : m_ws(workspace)
    , m_known(std::make_unique<Known>(Known{KnownIds(workspace, false), translatedWords()})) {}

ReferenceCheck::~ReferenceCheck() = default;

QStringList ReferenceCheck::keyWarnings(qsizetype key, qsizetype shown) const {
    WarningList w;
    keyReferences(w, m_ws.keys, m_known->ids, m_known->words, key, shown < 0 ? key : shown);
    return w.take();
}

QStringList ReferenceCheck::membershipWarnings(qsizetype membership, qsizetype shown) const {
    WarningList w;
    membershipReferences(w, m_ws, m_known->ids, m_known->words, membership,
                         shown < 0 ? membership : shown);
    return w.take();
}

Status validate(const Workspace& workspace) {
    if (std::optional<Error> error = checkAllIds(workspace))
        return *error;
    return Done{};
}

namespace {

// `checkedKeys`: the keys' warnings, when the reader checked them itself.
QStringList allReferenceWarnings(const Workspace& ws, const QStringList* checkedKeys) {
    const KnownIds known(ws, true);
    const Words words = translatedWords();
    WarningList w;
    for (qsizetype i = 0; i < ws.proxyModels.size(); ++i)
        w.optionalRef(
            [&]() -> QString { return indexPath(u"proxy_models"_s, i) + u".model_info.team_id"_s; },
            ws.proxyModels.at(i).teamId, words.team, known.teams);
    for (qsizetype i = 0; i < ws.accessGroups.size(); ++i) {
        const auto field = [&](QLatin1StringView name) {
            return [&, name]() -> QString { return indexPath(u"access_groups"_s, i) + name; };
        };
        w.refs(field(".assigned_team_ids"_L1), ws.accessGroups.at(i).assignedTeamIds, words.team,
               known.teams);
        w.refs(field(".assigned_key_ids"_L1), ws.accessGroups.at(i).assignedKeyIds,
               WorkspaceText::tr("key"), known.keys);
    }
    for (qsizetype i = 0; i < ws.teams.size(); ++i) {
        const auto field = [&](QLatin1StringView name) {
            return [&, name]() -> QString { return indexPath(u"teams"_s, i) + name; };
        };
        w.refs(field(".access_group_ids"_L1), ws.teams.at(i).accessGroupIds, words.group,
               known.accessGroups);
        // Organizations only feed budgets: LiteLLM never checks their models on a request.
        w.optionalRef(field(".organization_id"_L1), ws.teams.at(i).organizationId,
                      WorkspaceText::tr("organization"), known.organizations);
    }
    const qsizetype memberships = ws.teamMemberships.size();
    const qsizetype rows = memberships + (checkedKeys ? 0 : ws.keys.size());
    const auto checkRows = [&](WarningList& list, qsizetype from, qsizetype to) {
        for (qsizetype row = from; row < to; ++row) {
            if (row < memberships)
                membershipReferences(list, ws, known, words, row, row);
            else
                keyReferences(list, ws.keys, known, words, row - memberships, row - memberships);
        }
    };
    const qsizetype split = secondThreadFrom(rows, ws.users.size());
    const qsizetype firstEnd = split < 0 ? rows : split;
    QStringList restRows;
    QStringList restUsers;
    const auto checkRest = [&] {
        WarningList r;
        checkRows(r, firstEnd, rows);
        restRows = r.take();
        WarningList u;
        for (qsizetype i = 0; i < ws.users.size(); ++i)
            if (const std::optional<QStringList>& teams = ws.users.at(i).teams)
                u.refs([&]() -> QString { return indexPath(u"users"_s, i) + u".teams"_s; }, *teams,
                       words.team, known.teams);
        restUsers = u.take();
    };
    std::thread helper;
    if (split >= 0)
        helper = std::thread(checkRest);
    checkRows(w, 0, firstEnd);
    if (helper.joinable())
        helper.join();
    else
        checkRest();
    return w.take() + restRows + (checkedKeys ? *checkedKeys : QStringList()) + restUsers;
}

} // namespace

QStringList referenceWarnings(const Workspace& ws) {
    return allReferenceWarnings(ws, nullptr);
}

QString referenceSummary(const Workspace& ws) {
    return summaryOf(allReferenceWarnings(ws, nullptr));
}

QStringList keyReferenceWarnings(const QList<Key>& keys, const KeyTargets& targets) {
    const KnownIds known(targets);
    const Words words = translatedWords();
    WarningList w;
    for (qsizetype i = 0; i < keys.size(); ++i)
        keyReferences(w, keys, known, words, i, i);
    return w.take();
}

QString referenceSummary(const Workspace& ws, const QStringList& keyWarnings) {
    return summaryOf(allReferenceWarnings(ws, &keyWarnings));
}

} // namespace litescope::workspace
