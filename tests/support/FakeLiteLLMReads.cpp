// The GET endpoints of the fake proxy: paging, filters and query validation as LiteLLM v1.96 and
// FastAPI do them, over the Workspace.

#include "support/FakeLiteLLMJson.h"
#include "support/FakeLiteLLMRoutes.h"

#include <QJsonArray>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace litescope::test {

namespace {

using namespace fakejson;

// FastAPI's query validation: every failure becomes one issue of a 422 body.
class QueryReader {
public:
    explicit QueryReader(const QUrlQuery& query)
        : m_query(query) {}

    std::optional<QString> text(const QString& name) const {
        if (!m_query.hasQueryItem(name))
            return std::nullopt;
        return m_query.queryItemValue(name, QUrl::FullyDecoded);
    }

    int integer(const QString& name, int fallback, int minimum, std::optional<int> maximum) {
        const std::optional<QString> raw = text(name);
        if (!raw)
            return fallback;
        bool ok = false;
        const int value = raw->trimmed().toInt(&ok);
        if (!ok) {
            fail(u"int_parsing"_s, name,
                 u"Input should be a valid integer, unable to parse string as an integer"_s, *raw);
        } else if (value < minimum) {
            fail(u"greater_than_equal"_s, name,
                 u"Input should be greater than or equal to %1"_s.arg(minimum), *raw,
                 {{u"ge"_s, minimum}});
        } else if (maximum && value > *maximum) {
            fail(u"less_than_equal"_s, name,
                 u"Input should be less than or equal to %1"_s.arg(*maximum), *raw,
                 {{u"le"_s, *maximum}});
        }
        return ok ? value : fallback;
    }

    bool flag(const QString& name, bool fallback) {
        const std::optional<QString> raw = text(name);
        if (!raw)
            return fallback;
        static const QStringList yes = {u"true"_s, u"1"_s, u"yes"_s, u"on"_s, u"t"_s, u"y"_s};
        static const QStringList no = {u"false"_s, u"0"_s, u"no"_s, u"off"_s, u"f"_s, u"n"_s};
        if (yes.contains(raw->toLower()))
            return true;
        if (!no.contains(raw->toLower()))
            fail(u"bool_parsing"_s, name,
                 u"Input should be a valid boolean, unable to interpret input"_s, *raw);
        return fallback;
    }

    void require(const QString& name) {
        if (!text(name))
            fail(u"missing"_s, name, u"Field required"_s, QJsonValue::Null);
    }

    std::optional<FakeReply> error() const {
        if (m_issues.isEmpty())
            return std::nullopt;
        return FakeReply{422, validationError(m_issues)};
    }

private:
    void fail(const QString& type, const QString& name, const QString& message,
              const QJsonValue& input, const QJsonObject& context = {}) {
        QJsonObject issue = validationIssue(type, {u"query"_s, name}, message, input);
        if (!context.isEmpty())
            issue.insert(u"ctx"_s, context);
        m_issues.append(issue);
    }

    QUrlQuery m_query;
    QJsonArray m_issues;
};

// The slice [first, last) of `total` items that 1-based `page` of `size` covers.
struct Page {
    qsizetype first = 0;
    qsizetype last = 0;
    qint64 totalPages = 0;
};

Page pageOf(qsizetype total, int page, int size) {
    Page p;
    p.totalPages = (total + size - 1) / size;
    p.first = std::min<qint64>(total, qint64(page - 1) * size);
    p.last = std::min<qint64>(total, p.first + size);
    return p;
}

template <typename T, typename ToJson>
QJsonArray slice(const QList<T>& items, const Page& page, ToJson toJson) {
    QJsonArray array;
    for (qsizetype i = page.first; i < page.last; ++i)
        array.append(toJson(items.at(i)));
    return array;
}

bool isMember(const Team& team, const QString& userId) {
    return std::any_of(team.membersWithRoles.cbegin(), team.membersWithRoles.cend(),
                       [&](const TeamMemberRole& m) { return m.userId == userId; });
}

// /team/list and /v2/team/list share their user_id and organization_id filters.
bool teamMatches(const Team& team, const QueryReader& query) {
    const std::optional<QString> userId = query.text(u"user_id"_s);
    const std::optional<QString> organization = query.text(u"organization_id"_s);
    if (userId && !isMember(team, *userId))
        return false;
    if (organization && *organization == "default_organization"_L1)
        return !team.organizationId;
    return !organization || team.organizationId == *organization;
}

} // namespace

const QHash<QString, FakeLiteLLMRoutes::Read>& FakeLiteLLMRoutes::reads() {
    static const QHash<QString, Read> table = {
        {u"/health/readiness"_s, &FakeLiteLLMRoutes::readiness},
        {u"/health/liveliness"_s, &FakeLiteLLMRoutes::liveliness},
        {u"/v2/team/list"_s, &FakeLiteLLMRoutes::teamListV2},
        {u"/team/list"_s, &FakeLiteLLMRoutes::teamList},
        {u"/team/info"_s, &FakeLiteLLMRoutes::teamInfo},
        {u"/key/list"_s, &FakeLiteLLMRoutes::keyList},
        {u"/key/info"_s, &FakeLiteLLMRoutes::keyInfo},
        {u"/user/list"_s, &FakeLiteLLMRoutes::userList},
        {u"/v2/model/info"_s, &FakeLiteLLMRoutes::modelInfoV2},
        {u"/model/info"_s, &FakeLiteLLMRoutes::modelInfo},
        {u"/organization/list"_s, &FakeLiteLLMRoutes::organizationList},
        {u"/v1/access_group"_s, &FakeLiteLLMRoutes::accessGroupList},
        {u"/project/list"_s, &FakeLiteLLMRoutes::projectList},
        {u"/get/config/callbacks"_s, &FakeLiteLLMRoutes::configCallbacks},
        {u"/router/settings"_s, &FakeLiteLLMRoutes::routerSettings},
    };
    return table;
}

FakeReply FakeLiteLLMRoutes::readiness(const QUrlQuery&) const {
    QJsonObject health{{u"status"_s, u"healthy"_s},
                       {u"db"_s, u"connected"_s},
                       {u"cache"_s, QJsonValue::Null},
                       {u"success_callbacks"_s, QJsonArray()}};
    if (m_reportsVersion)
        health.insert(u"litellm_version"_s, m_version);
    return {200, health};
}

FakeReply FakeLiteLLMRoutes::liveliness(const QUrlQuery&) const {
    return {200, u"I'm alive!"_s};
}

FakeReply FakeLiteLLMRoutes::teamListV2(const QUrlQuery& q) const {
    QueryReader query(q);
    const int page = query.integer(u"page"_s, 1, 1, std::nullopt);
    const int pageSize = query.integer(u"page_size"_s, 10, 1, 100);
    if (auto error = query.error())
        return *error;

    const std::optional<QString> teamId = query.text(u"team_id"_s);
    const std::optional<QString> alias = query.text(u"team_alias"_s);
    QList<const Team*> teams;
    for (const Team& team : m_data.teams) {
        if (teamMatches(team, query) && (!teamId || team.id == *teamId) &&
            (!alias || team.alias.contains(*alias, Qt::CaseInsensitive)))
            teams.append(&team);
    }
    const QString sortBy = query.text(u"sort_by"_s).value_or(QString());
    if (sortBy == "team_id"_L1 || sortBy == "team_alias"_L1) {
        const bool byId = sortBy == "team_id"_L1;
        std::stable_sort(teams.begin(), teams.end(), [byId](const Team* a, const Team* b) {
            return byId ? a->id < b->id : a->alias < b->alias;
        });
        if (query.text(u"sort_order"_s) == u"desc"_s)
            std::reverse(teams.begin(), teams.end());
    }

    const Page p = pageOf(teams.size(), page, pageSize);
    return {200, QJsonObject{{u"teams"_s, slice(teams, p,
                                                [&](const Team* t) {
                                                    return teamObject(
                                                        *t, index().keysOfTeam.value(t->id).size());
                                                })},
                             {u"total"_s, teams.size()},
                             {u"page"_s, page},
                             {u"page_size"_s, pageSize},
                             {u"total_pages"_s, p.totalPages}}};
}

FakeReply FakeLiteLLMRoutes::teamList(const QUrlQuery& q) const {
    const QueryReader query(q);
    QJsonArray teams;
    for (const Team& team : m_data.teams) {
        // The v1 list joins each team's model table (its aliases), unlike /team/info.
        if (teamMatches(team, query))
            teams.append(teamInfoObject(team, index().keysOfTeam.value(team.id).size()));
    }
    return {200, teams};
}

FakeReply FakeLiteLLMRoutes::teamInfo(const QUrlQuery& q) const {
    QueryReader query(q);
    query.require(u"team_id"_s);
    if (auto error = query.error())
        return *error;
    const QString teamId = *query.text(u"team_id"_s);
    const Team* team = findTeam(teamId);
    if (!team)
        return teamNotFound(teamId);

    const QList<qsizetype> keyRows = index().keysOfTeam.value(team->id);
    QJsonArray keys;
    for (const qsizetype row : keyRows)
        keys.append(keyObject(m_data.keys.at(row)));
    QJsonArray memberships;
    for (const qsizetype row : index().membershipsOfTeam.value(team->id))
        memberships.append(membershipObject(m_data.teamMemberships.at(row)));
    QJsonObject info = teamInfoObject(*team, keyRows.size());
    if (!m_teamInfoShowsModelTable)
        info.remove(u"litellm_model_table"_s);
    return {200, QJsonObject{{u"team_id"_s, team->id},
                             {u"team_info"_s, info},
                             {u"keys"_s, keys},
                             {u"team_memberships"_s, memberships}}};
}

FakeReply FakeLiteLLMRoutes::keyList(const QUrlQuery& q) const {
    QueryReader query(q);
    const int page = query.integer(u"page"_s, 1, 1, std::nullopt);
    const int size = query.integer(u"size"_s, 10, 1, 100);
    const bool fullObjects = query.flag(u"return_full_object"_s, false);
    query.flag(u"include_team_keys"_s, false); // validated only: the master key sees every key
    if (auto error = query.error())
        return *error;

    const std::optional<QString> alias = query.text(u"key_alias"_s);
    const std::optional<QString> hash = query.text(u"key_hash"_s);
    const std::optional<QString> teamId = query.text(u"team_id"_s);
    const std::optional<QString> userId = query.text(u"user_id"_s);
    QList<const Key*> keys;
    if (!alias && !hash && !teamId && !userId) {
        // Unfiltered, as a snapshot reads: only the page's keys, not a list of every key per page.
        const Page p = pageOf(m_data.keys.size(), page, size);
        QJsonArray items;
        for (qsizetype i = p.first; i < p.last; ++i) {
            const Key& key = m_data.keys.at(i);
            items.append(fullObjects ? QJsonValue(keyObject(key)) : QJsonValue(key.token));
        }
        return {200, QJsonObject{{u"keys"_s, items},
                                 {u"total_count"_s, m_data.keys.size()},
                                 {u"current_page"_s, page},
                                 {u"total_pages"_s, p.totalPages}}};
    }
    for (const Key& key : m_data.keys) {
        if ((!alias || key.alias == *alias) && (!hash || key.token == *hash) &&
            (!teamId || key.teamId == *teamId) && (!userId || key.userId == *userId))
            keys.append(&key);
    }
    const Page p = pageOf(keys.size(), page, size);
    const QJsonArray items = slice(keys, p, [fullObjects](const Key* key) {
        return fullObjects ? QJsonValue(keyObject(*key)) : QJsonValue(key->token);
    });
    return {200, QJsonObject{{u"keys"_s, items},
                             {u"total_count"_s, keys.size()},
                             {u"current_page"_s, page},
                             {u"total_pages"_s, p.totalPages}}};
}

FakeReply FakeLiteLLMRoutes::keyInfo(const QUrlQuery& q) const {
    const QueryReader query(q);
    const QString passed = query.text(u"key"_s).value_or(QString());
    const Key* key = findKey(passed);
    if (!key) {
        return {404,
                proxyError(pythonErrorDict(u"Key not found in database. Passed key="_s + passed),
                           u"not_found_error"_s, u"key"_s, 404)};
    }
    return {200, QJsonObject{{u"key"_s, passed}, {u"info"_s, keyObject(*key)}}};
}

FakeReply FakeLiteLLMRoutes::userList(const QUrlQuery& q) const {
    QueryReader query(q);
    const int page = query.integer(u"page"_s, 1, 1, std::nullopt);
    const int pageSize = query.integer(u"page_size"_s, 25, 1, 100);
    if (auto error = query.error())
        return *error;

    const std::optional<QString> role = query.text(u"role"_s);
    const std::optional<QString> team = query.text(u"team"_s);
    const std::optional<QString> ids = query.text(u"user_ids"_s);
    const QStringList wantedIds = ids ? ids->split(u',', Qt::SkipEmptyParts) : QStringList();
    // user_email is a case-insensitive substring match, as in LiteLLM.
    const std::optional<QString> email = query.text(u"user_email"_s);
    QList<const User*> users;
    for (const User& user : m_data.users) {
        if ((!role || user.role == *role) && (!ids || wantedIds.contains(user.id)) &&
            (!email || user.email.value_or(QString()).contains(*email, Qt::CaseInsensitive)) &&
            (!team || userTeams(index(), user).contains(*team)))
            users.append(&user);
    }
    const Page p = pageOf(users.size(), page, pageSize);
    return {200, QJsonObject{{u"users"_s, slice(users, p,
                                                [&](const User* u) {
                                                    return userObject(
                                                        *u, userTeams(index(), *u),
                                                        index().keyCountOfUser.value(u->id));
                                                })},
                             {u"total"_s, users.size()},
                             {u"page"_s, page},
                             {u"page_size"_s, pageSize},
                             {u"total_pages"_s, p.totalPages}}};
}

FakeReply FakeLiteLLMRoutes::modelInfoV2(const QUrlQuery& q) const {
    QueryReader query(q);
    const int page = query.integer(u"page"_s, 1, 1, std::nullopt);
    const int size = query.integer(u"size"_s, 50, 1, std::nullopt);
    if (auto error = query.error())
        return *error;
    const Page p = pageOf(m_data.proxyModels.size(), page, size);
    return {200, QJsonObject{{u"data"_s, slice(m_data.proxyModels, p, modelObject)},
                             {u"total_count"_s, m_data.proxyModels.size()},
                             {u"current_page"_s, page},
                             {u"total_pages"_s, p.totalPages},
                             {u"size"_s, size}}};
}

FakeReply FakeLiteLLMRoutes::modelInfo(const QUrlQuery&) const {
    QJsonArray models;
    for (const ProxyModel& model : m_data.proxyModels)
        models.append(modelObject(model));
    return {200, QJsonObject{{u"data"_s, models}}};
}

FakeReply FakeLiteLLMRoutes::organizationList(const QUrlQuery&) const {
    QJsonArray organizations;
    for (const Organization& organization : m_data.organizations)
        organizations.append(organizationObject(organization));
    return {200, organizations};
}

FakeReply FakeLiteLLMRoutes::accessGroupList(const QUrlQuery&) const {
    QJsonArray groups;
    for (const AccessGroup& group : m_data.accessGroups)
        groups.append(accessGroupObject(group));
    return {200, groups};
}

FakeReply FakeLiteLLMRoutes::projectList(const QUrlQuery&) const {
    QJsonArray projects;
    for (const Project& project : m_data.projects)
        projects.append(projectObject(project));
    return {200, projects};
}

FakeReply FakeLiteLLMRoutes::configCallbacks(const QUrlQuery&) const {
    return {200, QJsonObject{{u"status"_s, u"success"_s},
                             {u"callbacks"_s, QJsonArray()},
                             {u"alerts"_s, QJsonArray()},
                             {u"router_settings"_s,
                              QJsonObject{{u"routing_strategy"_s, u"simple-shuffle"_s},
                                          {u"model_group_alias"_s, routerAliases(m_data)}}}}};
}

FakeReply FakeLiteLLMRoutes::routerSettings(const QUrlQuery&) const {
    return {200, QJsonObject{{u"fields"_s, QJsonArray()},
                             {u"current_values"_s,
                              QJsonObject{{u"routing_strategy"_s, u"simple-shuffle"_s},
                                          {u"model_group_alias"_s, routerAliases(m_data)}}},
                             {u"routing_strategy_descriptions"_s, QJsonObject()}}};
}

} // namespace litescope::test
