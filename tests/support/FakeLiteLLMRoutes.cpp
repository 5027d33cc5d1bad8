#include "support/FakeLiteLLMRoutes.h"

#include "support/FakeLiteLLMJson.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace litescope::test {

FakeLiteLLMRoutes::FakeLiteLLMRoutes(Workspace data)
    : m_data(std::move(data)) {}

FakeLiteLLMRoutes::Match FakeLiteLLMRoutes::match(const QByteArray& method,
                                                  const QString& path) const {
    const bool isRead = reads().contains(path);
    const bool isWrite = writes().contains(path);
    if ((method == "GET" && isRead) || (method == "POST" && isWrite))
        return Match::Found;
    return isRead || isWrite ? Match::WrongMethod : Match::Unknown;
}

bool FakeLiteLLMRoutes::isPublic(const QString& path) {
    return path == "/health/readiness"_L1 || path == "/health/liveliness"_L1;
}

FakeReply FakeLiteLLMRoutes::handle(const QByteArray& method, const QString& path,
                                    const QUrlQuery& query, const QByteArray& body) {
    if (method == "GET")
        return (this->*reads().value(path))(query);

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
    return (this->*writes().value(path))(document.object());
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
