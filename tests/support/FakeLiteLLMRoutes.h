#pragma once

#include "FakeLiteLLMJson.h"
#include "domain/Workspace.h"
#include "engine/LiteLLMRelease.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QUrlQuery>

#include <optional>

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
    // The routes of the release the fake emulates: newer ones are Unknown on an older release.
    Match match(const QByteArray& method, const QString& path) const;
    // The health probes: LiteLLM answers them without a key.
    static bool isPublic(const QString& path);
    // The /management/v1 routes, whose errors are problem documents (FakeLiteLLMJson problem()).
    static bool isManagementV1(const QString& path);

    // For a route match() found. `query` is decoded; `body` is the raw request body.
    FakeReply handle(const QByteArray& method, const QString& path, const QUrlQuery& query,
                     const QByteArray& body);

    const Workspace& data() const { return m_data; }
    Workspace& data() {
        m_index.reset();
        return m_data;
    }
    void setVersion(QString version) { m_version = std::move(version); }
    void setReportsVersion(bool reports) { m_reportsVersion = reports; }
    // Whether the release the fake emulates has `rule` (an unparseable version: the newest).
    bool has(VersionedRule rule) const;
    const QList<QJsonObject>& auditLog() const { return m_auditLog; }
    const QList<QJsonObject>& detachedBudgets() const { return m_detachedBudgets; }
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
    // POST /management/v1/teams/{team_id}/members/bulk_update and bulk_delete (1.103.0 and
    // newer, FakeLiteLLMBulk.cpp).
    FakeReply bulkRoute(const QString& path, const QUrlQuery& query, const QJsonObject& body);
    FakeReply bulkUpdate(const QString& teamId, const QJsonObject& body);
    FakeReply bulkDelete(const QString& teamId, const QJsonObject& body);

    // LiteLLM 1.103's member budget write (_upsert_budget_and_membership): `patch` maps budget
    // columns (max_budget, tpm_limit, rpm_limit, budget_duration, allowed_models) to values, null
    // clearing one. A member whose row would hold no limit is unlinked from it (the row is kept,
    // in detachedBudgets()); a row another membership or the team default shares is copied
    // first. Whether the member then has a budget row.
    bool patchMemberBudget(const Team& team, const QString& userId, const QJsonObject& patch);

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

    // Built on the first read after a change of the data.
    const fakejson::FakeIndex& index() const;

    Workspace m_data;
    mutable std::optional<fakejson::FakeIndex> m_index;
    QString m_version = QStringLiteral("1.96.0");
    bool m_reportsVersion = true;
    QList<QJsonObject> m_auditLog;
    QList<QJsonObject> m_detachedBudgets;
    bool m_teamInfoShowsModelTable = true;
    int m_budgetCounter = 0;
};

} // namespace litescope::test
