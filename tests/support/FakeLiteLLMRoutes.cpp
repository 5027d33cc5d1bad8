#include "support/FakeLiteLLMRoutes.h"

#include "support/FakeLiteLLMJson.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace litescope::test {

FakeLiteLLMRoutes::FakeLiteLLMRoutes(Workspace data)
    : m_data(std::move(data)) {}

namespace {

// /management/v1/teams/{team_id}/members/bulk_update|bulk_delete: Starlette matches the decoded
// path, so a team id holding '/' matches no route.
const QRegularExpression& bulkPattern() {
    static const QRegularExpression pattern(
        u"^/management/v1/teams/([^/]+)/members/(bulk_update|bulk_delete)$"_s);
    return pattern;
}

} // namespace

bool FakeLiteLLMRoutes::isManagementV1(const QString& path) {
    return path.startsWith(u"/management/v1/"_s);
}

bool FakeLiteLLMRoutes::has(VersionedRule rule) const {
    return LiteLLMProfile::fromSource(m_version).has(rule);
}

FakeLiteLLMRoutes::Match FakeLiteLLMRoutes::match(const QByteArray& method,
                                                  const QString& path) const {
    const bool isBulk =
        bulkPattern().match(path).hasMatch() && has(VersionedRule::MemberBulkEndpoint);
    const bool isRead = reads().contains(path);
    const bool isWrite = writes().contains(path) || isBulk;
    if ((method == "GET" && isRead) || (method == "POST" && isWrite))
        return Match::Found;
    return isRead || isWrite ? Match::WrongMethod : Match::Unknown;
}

bool FakeLiteLLMRoutes::isPublic(const QString& path) {
    return path == "/health/readiness"_L1 || path == "/health/liveliness"_L1;
}

const fakejson::FakeIndex& FakeLiteLLMRoutes::index() const {
    if (!m_index)
        m_index.emplace(m_data);
    return *m_index;
}

FakeReply FakeLiteLLMRoutes::handle(const QByteArray& method, const QString& path,
                                    const QUrlQuery& query, const QByteArray& body) {
    if (method == "GET")
        return (this->*reads().value(path))(query);
    m_index.reset(); // every other method may change the data

    // FastAPI reads a missing body as a missing model and anything but an object as bad JSON.
    if (body.trimmed().isEmpty()) {
        return {422,
                fakejson::validationError({fakejson::validationIssue(
                    u"missing"_s, QJsonArray{u"body"_s}, u"Field required"_s, QJsonValue::Null)})};
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return {422, fakejson::validationError(
                         {fakejson::validationIssue(u"json_invalid"_s, QJsonArray{u"body"_s, 0},
                                                    u"JSON decode error"_s, QJsonObject())})};
    }
    if (isManagementV1(path))
        return bulkRoute(path, query, document.object());
    return (this->*writes().value(path))(document.object());
}

FakeReply FakeLiteLLMRoutes::bulkRoute(const QString& path, const QUrlQuery& query,
                                       const QJsonObject& body) {
    // reject_unknown_query_params: these routes take none.
    QJsonArray issues;
    for (const auto& [name, value] : query.queryItems(QUrl::FullyDecoded))
        issues.append(fakejson::validationIssue(u"extra_forbidden"_s, QJsonArray{u"query"_s, name},
                                                u"Extra inputs are not permitted"_s, value));
    if (!issues.isEmpty())
        return {422, fakejson::validationError(issues)};
    const QRegularExpressionMatch route = bulkPattern().match(path);
    const QString teamId = route.captured(1);
    if (route.captured(2) == u"bulk_update"_s)
        return bulkUpdate(teamId, body);
    return bulkDelete(teamId, body);
}

// The non-const finders index the lists non-const so that they detach: the Workspace shares its
// lists with the caller's copy, which a write must not change.
Team* FakeLiteLLMRoutes::findTeam(const QString& id) {
    const Team* found = std::as_const(*this).findTeam(id);
    return found ? &m_data.teams[found - m_data.teams.constData()] : nullptr;
}

const Team* FakeLiteLLMRoutes::findTeam(const QString& id) const {
    for (const Team& team : m_data.teams) {
        if (team.id == id)
            return &team;
    }
    return nullptr;
}

User* FakeLiteLLMRoutes::findUser(const QString& id) {
    for (User& user : m_data.users) {
        if (user.id == id)
            return &user;
    }
    return nullptr;
}

Key* FakeLiteLLMRoutes::findKey(const QString& keyOrAlias) {
    const Key* found = std::as_const(*this).findKey(keyOrAlias);
    return found ? &m_data.keys[found - m_data.keys.constData()] : nullptr;
}

const Key* FakeLiteLLMRoutes::findKey(const QString& keyOrAlias) const {
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(keyOrAlias.toUtf8(), QCryptographicHash::Sha256).toHex());
    for (const Key& key : m_data.keys) {
        if (key.token == keyOrAlias || key.token == hash)
            return &key;
    }
    for (const Key& key : m_data.keys) {
        if (key.alias == keyOrAlias)
            return &key;
    }
    return nullptr;
}

TeamMembership* FakeLiteLLMRoutes::findMembership(const QString& teamId, const QString& userId) {
    for (TeamMembership& membership : m_data.teamMemberships) {
        if (membership.teamId == teamId && membership.userId == userId)
            return &membership;
    }
    return nullptr;
}

FakeReply FakeLiteLLMRoutes::teamNotFound(const QString& teamId) {
    return {404, fakejson::proxyError(
                     fakejson::pythonErrorDict(u"Team not found, passed team_id="_s + teamId),
                     u"not_found_error"_s, u"team_id"_s, 404)};
}

QString FakeLiteLLMRoutes::nextBudgetId() {
    return u"budget-"_s + QString::number(++m_budgetCounter);
}

} // namespace litescope::test
