#pragma once

#include "domain/Workspace.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QUrlQuery>

namespace litescope::test {

// One answer of the fake proxy: the HTTP status and the JSON body.
struct FakeReply {
    int status = 200;
    QJsonValue body;
};

// The admin API endpoints of FakeLiteLLM over its in-memory Workspace: reads answer from it,
// writes change it. Transport, authentication and injected faults are FakeLiteLLM's; this class
// only knows routes and LiteLLM's JSON (reads in FakeLiteLLMReads.cpp, writes in
// FakeLiteLLMWrites.cpp).
class FakeLiteLLMRoutes {
public:
    explicit FakeLiteLLMRoutes(Workspace data);

    enum class Match { Found, WrongMethod, Unknown };
    Match match(const QByteArray& method, const QString& path) const;
    // The health probes: LiteLLM answers them without a key.
    static bool isPublic(const QString& path);

    // For a route match() found. `query` is decoded; `body` is the raw request body.
    FakeReply handle(const QByteArray& method, const QString& path, const QUrlQuery& query,
                     const QByteArray& body);

    const Workspace& data() const { return m_data; }
    Workspace& data() { return m_data; }
    void setVersion(QString version) { m_version = std::move(version); }
    void setTeamInfoShowsModelTable(bool shows) { m_teamInfoShowsModelTable = shows; }

private:
    using Read = FakeReply (FakeLiteLLMRoutes::*)(const QUrlQuery&) const;
    using Write = FakeReply (FakeLiteLLMRoutes::*)(const QJsonObject&);
    static const QHash<QString, Read>& reads();
    static const QHash<QString, Write>& writes();

    // Reads.
    FakeReply readiness(const QUrlQuery& query) const;
    FakeReply liveliness(const QUrlQuery& query) const;
    FakeReply teamListV2(const QUrlQuery& query) const;
    FakeReply teamList(const QUrlQuery& query) const;
    FakeReply teamInfo(const QUrlQuery& query) const;
    FakeReply keyList(const QUrlQuery& query) const;
    FakeReply keyInfo(const QUrlQuery& query) const;
    FakeReply userList(const QUrlQuery& query) const;
    FakeReply modelInfoV2(const QUrlQuery& query) const;
    FakeReply modelInfo(const QUrlQuery& query) const;
    FakeReply organizationList(const QUrlQuery& query) const;
    FakeReply accessGroupList(const QUrlQuery& query) const;
    FakeReply projectList(const QUrlQuery& query) const;
    FakeReply configCallbacks(const QUrlQuery& query) const;
    FakeReply routerSettings(const QUrlQuery& query) const;

    // Writes.
    FakeReply teamUpdate(const QJsonObject& body);
    FakeReply teamMemberAdd(const QJsonObject& body);
    FakeReply teamMemberUpdate(const QJsonObject& body);
    FakeReply teamMemberDelete(const QJsonObject& body);
    FakeReply teamBlock(const QJsonObject& body);
    FakeReply teamUnblock(const QJsonObject& body);
    FakeReply keyUpdate(const QJsonObject& body);
    FakeReply setTeamBlocked(const QJsonObject& body, bool blocked);

    Team* findTeam(const QString& id);
    const Team* findTeam(const QString& id) const;
    User* findUser(const QString& id);
    // By token, by sha256 of a raw key, or by alias.
    Key* findKey(const QString& keyOrAlias);
    const Key* findKey(const QString& keyOrAlias) const;
    TeamMembership* findMembership(const QString& teamId, const QString& userId);
    static FakeReply teamNotFound(const QString& teamId);
    // "budget-<n>": the id of a budget row the fake creates for a membership.
    QString nextBudgetId();

    Workspace m_data;
    QString m_version = QStringLiteral("1.96.0");
    bool m_teamInfoShowsModelTable = true;
    int m_budgetCounter = 0;
};

} // namespace litescope::test
