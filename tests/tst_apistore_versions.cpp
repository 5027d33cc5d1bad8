// ApiStore follows the LiteLLM release the proxy reports (a fake LiteLLM on 127.0.0.1 emulating
// each release), or the admin's --litellm-version: open() and snapshots carry the release, and a
// proxy that hides it is written to and decided as the newest, said so; from 1.103.0 a batch's
// consecutive member budget edits of one team go in one bulk_update call (split at 500 members
// and where a member repeats) and leave the same members as one /team/member_update per edit on
// 1.102.0; a row the proxy refuses stops the batch with the other rows of that call listed as
// applied; a member limit can be cleared (and a limit edit undone) from 1.103.0 and is refused
// before 1.103.0 naming the release that can.
#include "store/WorkspaceEdits.h"
#include "support/ApiTestSupport.h"
#include "support/FakeLiteLLMRoutes.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

const QString SearchTeam = u"e295a6e1-6b64-490c-8983-d4a384434f4c"_s;
const QString Bob = u"0e104407-b5ce-4cc1-a136-cd4692ea49cb"_s;
const QString Hannah = u"5bcc2bec-040b-484c-9b7d-60c1f3771a90"_s;
const QString Wei = u"160155e3-a847-4f6f-860b-2058b8d69eb0"_s; // no budget row
const QString BulkPath = u"/management/v1/teams/"_s + SearchTeam + u"/members/bulk_update"_s;

StoreEdit limit(const QString& user, std::optional<qint64> tpm) {
    StoreEdit edit = StoreEdit::updateMember(SearchTeam, user);
    edit.tpmLimit = tpm;
    return edit;
}

// Six member budget edits of Search: scopes and limits, members with and without a budget row.
QList<StoreEdit> memberEdits() {
    StoreEdit carlos = StoreEdit::updateMember(SearchTeam, u"carlos.silva@acme.example"_s);
    carlos.maxBudget = std::optional<double>(12.5);
    carlos.rpmLimit = std::optional<qint64>(9);
    StoreEdit wei = StoreEdit::updateMember(SearchTeam, Wei);
    wei.rpmLimit = std::optional<qint64>(3);
    return {
        StoreEdit::setMemberScope(SearchTeam, Bob, {u"gpt-4o"_s}),
        limit(Hannah, 500),
        carlos,
        StoreEdit::setMemberScope(SearchTeam, u"julia.rossi@acme.example"_s, {u"gpt-4o-mini"_s}),
        wei,
        StoreEdit::setMemberScope(SearchTeam, u"sanjay.patel@acme.example"_s,
                                  {u"claude-3-5-sonnet"_s})};
}

// What a member's row says, without the ids a release picks for new budget rows.
QStringList memberRows(const QList<TeamMember>& members) {
    QStringList lines;
    for (const TeamMember& m : members)
        lines.append(QStringList{m.userId, m.role, m.allowedModels.join(u','),
                                 m.maxBudget ? QString::number(*m.maxBudget) : u"-"_s,
                                 m.tpmLimit ? QString::number(*m.tpmLimit) : u"-"_s,
                                 m.rpmLimit ? QString::number(*m.rpmLimit) : u"-"_s}
                         .join(u" | "_s));
    return lines;
}

const TeamMembership* membership(const Workspace& ws, const QString& user) {
    for (const TeamMembership& m : ws.teamMemberships) {
        if (m.teamId == SearchTeam && m.userId == user)
            return &m;
    }
    return nullptr;
}

QList<qsizetype> upTo(qsizetype n) {
    QList<qsizetype> indexes;
    for (qsizetype i = 0; i < n; ++i)
        indexes.append(i);
    return indexes;
}

} // namespace

class TstApiStoreVersions : public QObject {
    Q_OBJECT

private:
    ApiFixture m_api;

    // A fresh proxy of `version` serving the demo; an opened store on it.
    // `shown`: whether /health/readiness says which release it is.
    std::unique_ptr<ApiStore> storeAt(const QString& version,
                                      std::optional<LiteLLMVersion> override = std::nullopt,
                                      bool shown = true) {
        QString error;
        if (!m_api.start(demoDataset(), &error))
            qWarning("%s", qPrintable(error));
        m_api.proxy().setLiteLLMVersion(version);
        m_api.proxy().setReportsVersion(shown);
        auto store = std::make_unique<ApiStore>(m_api.options());
        store->setLiteLLMVersion(override);
        const Result<StoreInfo> info = awaitTask(store->open());
        if (!info) {
            qWarning("open: %s", failureText(info).constData());
            return nullptr;
        }
        const QString expected = override ? override->toString() : (shown ? version : QString());
        if (info->litellmVersion != expected)
            qWarning("open: release %s, expected %s", qPrintable(info->litellmVersion),
                     qPrintable(expected));
        m_api.proxy().clearRequests();
        return store;
    }

    int bulkCalls() {
        int calls = 0;
        for (const FakeLiteLLM::RecordedRequest& request : m_api.proxy().requests())
            calls += request.path.startsWith(u"/management/v1/"_s) ? 1 : 0;
        return calls;
    }

private Q_SLOTS:
    void openAndSnapshotCarryTheRelease_data() {
        QTest::addColumn<QString>("reported");
        QTest::addColumn<QString>("release"); // empty: not known, assumed
        QTest::newRow("plain") << u"1.97.2"_s << u"1.97.2"_s;
        QTest::newRow("tag spelling") << u"v1.101.0-stable"_s << u"1.101.0"_s;
        QTest::newRow("not a release") << u"nightly"_s << QString();
    }

    void openAndSnapshotCarryTheRelease() {
        QFETCH(QString, reported);
        QFETCH(QString, release);
        QString error;
        QVERIFY2(m_api.start(demoDataset(), &error), qPrintable(error));
        m_api.proxy().setLiteLLMVersion(reported);
        ApiStore store(m_api.options());
        const Result<StoreInfo> info = awaitTask(store.open());
        VERIFY_SUCCEEDS(info);
        QCOMPARE(info->litellmVersion, release);
        const Result<Workspace> ws = awaitTask(store.snapshot());
        VERIFY_SUCCEEDS(ws);
        QCOMPARE(ws->source.litellmVersion, release);
        QCOMPARE(ws->source.assumed.contains(u"litellm_version"_s), release.isEmpty());
        const bool warned = std::ranges::any_of(ws->source.warnings, [&](const QString& w) {
            return w.contains(u"names its release \"%1\""_s.arg(reported));
        });
        QCOMPARE(warned, release.isEmpty());
    }

    void batchUsesBulkOnlyWhenTheReleaseHasIt() {
        const QList<StoreEdit> edits = memberEdits();
        QStringList members[2];
        QStringList summaries[2];
        const QString versions[2] = {u"1.103.0"_s, u"1.102.0"_s};
        for (int v = 0; v < 2; ++v) {
            auto store = storeAt(versions[v]);
            QVERIFY(store);
            const BatchResult batch = awaitTask(store->apply(edits));
            QVERIFY2(batch.ok(), batch.ok() ? "" : qPrintable(batch.error->message));
            QCOMPARE(batch.applied.size(), edits.size());
            QCOMPARE(batch.appliedIndexes, upTo(edits.size()));
            for (const EditOutcome& outcome : batch.applied)
                summaries[v].append(outcome.summary);
            const Result<QList<TeamMember>> after = awaitTask(store->members(SearchTeam));
            VERIFY_SUCCEEDS(after);
            members[v] = memberRows(*after);
        }
        // Each run above ends with its own proxy: count on a fresh one per release.
        auto bulk = storeAt(u"1.103.0"_s);
        QVERIFY(bulk);
        QVERIFY(awaitTask(bulk->apply(edits)).ok());
        QCOMPARE(m_api.proxy().requestCount(BulkPath), 1);
        QCOMPARE(m_api.proxy().requestCount(u"/team/member_update"_s), 0);
        const FakeLiteLLM::RecordedRequest sent = [&] {
            for (const FakeLiteLLM::RecordedRequest& request : m_api.proxy().requests())
                if (request.path == BulkPath)
                    return request;
            return FakeLiteLLM::RecordedRequest{};
        }();
        const QJsonObject body = QJsonDocument::fromJson(sent.body).object();
        QCOMPARE(body.keys(), QStringList{u"members"_s});
        const QJsonArray rows = body.value(u"members"_s).toArray();
        QCOMPARE(rows.size(), edits.size());
        QCOMPARE(
            rows.at(0).toObject(),
            QJsonObject({{u"user_id"_s, Bob}, {u"allowed_models"_s, QJsonArray{u"gpt-4o"_s}}}));
        QCOMPARE(rows.at(2).toObject().value(u"max_budget_in_team"_s).toDouble(), 12.5);
        QCOMPARE(m_api.proxy().auditLog().size(), 1);

        auto single = storeAt(u"1.102.0"_s);
        QVERIFY(single);
        QVERIFY(awaitTask(single->apply(edits)).ok());
        QCOMPARE(bulkCalls(), 0);
        QCOMPARE(m_api.proxy().requestCount(u"/team/member_update"_s), edits.size());

        QCOMPARE(members[0], members[1]);
        QCOMPARE(summaries[0], summaries[1]);
    }

    void longRunsAreSplit() {
        auto store = storeAt(u"1.103.0"_s);
        QVERIFY(store);
        Workspace& data = m_api.proxy().editData();
        QList<StoreEdit> edits;
        for (int i = 0; i < 501; ++i) {
            const QString id = u"bulk-%1"_s.arg(i, 3, 10, QChar(u'0'));
            const QString email = id + u"@acme.example"_s;
            data.users.append(User{id, email, u"internal_user"_s, {}, std::nullopt, {}});
            data.teams.first().membersWithRoles.append(TeamMemberRole{id, email, u"user"_s, {}});
            edits.append(StoreEdit::setMemberScope(SearchTeam, id, {u"gpt-4o"_s}));
        }
        BatchResult batch = awaitTask(store->apply(edits));
        QVERIFY2(batch.ok(), batch.ok() ? "" : qPrintable(batch.error->message));
        QCOMPARE(batch.applied.size(), 501);
        QCOMPARE(m_api.proxy().requestCount(BulkPath), 2);
        QCOMPARE(membership(m_api.proxy().data(), u"bulk-500"_s)->allowedModels,
                 QStringList{u"gpt-4o"_s});

        // A member named twice: the second edit goes in the next call, after the first.
        m_api.proxy().clearRequests();
        batch = awaitTask(store->apply(QList<StoreEdit>{
            StoreEdit::setMemberScope(SearchTeam, Bob, {u"o3-mini"_s}), limit(Bob, 40)}));
        QVERIFY(batch.ok());
        QCOMPARE(m_api.proxy().requestCount(BulkPath), 2);
        QCOMPARE(membership(m_api.proxy().data(), Bob)->allowedModels, QStringList{u"o3-mini"_s});
        QCOMPARE(membership(m_api.proxy().data(), Bob)->tpmLimit, std::optional<qint64>(40));
    }

    // The team id is a path segment: percent-encoded, it reaches the route whatever it holds;
    // one with '/' can match no route (Starlette matches the decoded path) and goes one by one.
    void teamIdsInThePath_data() {
        QTest::addColumn<QString>("teamId");
        QTest::addColumn<int>("bulkRequests");
        QTest::newRow("url syntax") << u"t a+b&c=d%20e?f#g"_s << 1;
        QTest::newRow("unicode") << u"团队-ü-🙂"_s << 1;
        QTest::newRow("slash") << u"ops/search"_s << 0;
    }

    void teamIdsInThePath() {
        QFETCH(QString, teamId);
        QFETCH(int, bulkRequests);
        auto store = storeAt(u"1.103.0"_s);
        QVERIFY(store);
        Team& search = m_api.proxy().editData().teams.first();
        QCOMPARE(search.id, SearchTeam);
        search.id = teamId;
        for (TeamMembership& m : m_api.proxy().editData().teamMemberships)
            if (m.teamId == SearchTeam)
                m.teamId = teamId;
        const QList<StoreEdit> edits{StoreEdit::setMemberScope(teamId, Bob, {u"gpt-4o"_s}),
                                     StoreEdit::setMemberScope(teamId, Hannah, {u"o3-mini"_s})};
        const BatchResult batch = awaitTask(store->apply(edits));
        QVERIFY2(batch.ok(), batch.ok() ? "" : qPrintable(batch.error->message));
        QCOMPARE(bulkCalls(), bulkRequests);
        QCOMPARE(m_api.proxy().requestCount(u"/team/member_update"_s), 2 - 2 * bulkRequests);
        for (const TeamMembership& m : m_api.proxy().data().teamMemberships) {
            if (m.teamId == teamId && m.userId == Hannah)
                QCOMPARE(m.allowedModels, QStringList{u"o3-mini"_s});
        }
    }

    void aRowTheProxyRefusesStopsTheBatch() {
        auto store = storeAt(u"1.103.0"_s);
        QVERIFY(store);
        // The roster litescope reads still lists a member someone has just removed.
        Workspace withGhost = m_api.proxy().data();
        withGhost.teams.first().membersWithRoles.append(
            TeamMemberRole{u"ghost"_s, u"ghost@acme.example"_s, u"user"_s, {}});
        FakeLiteLLMRoutes view(withGhost);
        const FakeReply stale =
            view.handle("GET", u"/team/info"_s, QUrlQuery({{u"team_id"_s, SearchTeam}}), {});
        FakeLiteLLM::Fault fault;
        fault.body = QJsonDocument(stale.body.toObject()).toJson();
        m_api.proxy().injectFault(u"/team/info"_s, fault);

        const QList<StoreEdit> edits{StoreEdit::setMemberScope(SearchTeam, Bob, {u"gpt-4o"_s}),
                                     StoreEdit::setMemberScope(SearchTeam, u"ghost"_s, {}),
                                     limit(Hannah, 77),
                                     StoreEdit::setTeamModels(SearchTeam, {u"gpt-4o"_s})};
        const BatchResult batch = awaitTask(store->apply(edits));
        QVERIFY(!batch.ok());
        QCOMPARE(kindName(batch.error->kind), kindName(ErrorKind::Conflict));
        QVERIFY2(batch.error->message.contains(u"User not found in team"_s),
                 qPrintable(batch.error->message));
        QVERIFY2(batch.error->message.contains(u"other 2 member(s)"_s),
                 qPrintable(batch.error->message));
        QCOMPARE(batch.failedIndex, 1);
        // The proxy applied the other rows of that call: listed, with their place in the batch.
        QCOMPARE(batch.applied.size(), 2);
        QCOMPARE(batch.appliedIndexes, (QList<qsizetype>{0, 2}));
        QVERIFY(batch.applied.at(1).summary.contains(u"tpm_limit"_s));
        QCOMPARE(membership(m_api.proxy().data(), Bob)->allowedModels, QStringList{u"gpt-4o"_s});
        QCOMPARE(membership(m_api.proxy().data(), Hannah)->tpmLimit, std::optional<qint64>(77));
        // Nothing after the failing call was sent.
        QCOMPARE(m_api.proxy().requestCount(u"/team/update"_s), 0);
        QCOMPARE(m_api.proxy().requestCount(BulkPath), 1);
        m_api.proxy().verifyFaultsFired();
    }

    void aMemberTheRulesRefuseIsRefusedBeforeItIsSent() {
        auto store = storeAt(u"1.103.0"_s);
        QVERIFY(store);
        const QList<StoreEdit> edits{
            StoreEdit::setMemberScope(SearchTeam, Bob, {u"gpt-4o"_s}), limit(Hannah, 5),
            StoreEdit::setMemberScope(SearchTeam, u"nobody"_s, {}), limit(Bob, 6)};
        const BatchResult batch = awaitTask(store->apply(edits));
        QVERIFY(!batch.ok());
        QCOMPARE(kindName(batch.error->kind), kindName(ErrorKind::NotFound));
        QCOMPARE(batch.failedIndex, 2);
        QCOMPARE(batch.appliedIndexes, (QList<qsizetype>{0, 1}));
        QCOMPARE(m_api.proxy().requestCount(BulkPath), 1);
        QCOMPARE(membership(m_api.proxy().data(), Bob)->tpmLimit, std::nullopt);
    }

    void clearingALimitFollowsTheRelease() {
        auto store = storeAt(u"1.103.0"_s);
        QVERIFY(store);
        VERIFY_SUCCEEDS(awaitTask(store->apply(limit(Bob, 100))));
        VERIFY_SUCCEEDS(awaitTask(store->checkEdit(limit(Bob, std::nullopt))));
        m_api.proxy().clearRequests();
        VERIFY_SUCCEEDS(awaitTask(store->apply(limit(Bob, std::nullopt))));
        const QList<FakeLiteLLM::RecordedRequest> sent = m_api.proxy().requests();
        const auto update =
            std::ranges::find_if(sent, [](const auto& r) { return r.method == "POST"; });
        QVERIFY(update != sent.end());
        QVERIFY(QJsonDocument::fromJson(update->body).object().value(u"tpm_limit"_s).isNull());
        QCOMPARE(membership(m_api.proxy().data(), Bob)->tpmLimit, std::nullopt);

        // A limit set where there was none is undone by clearing it.
        StoreEdit set = StoreEdit::updateMember(SearchTeam, Hannah);
        set.rpmLimit = std::optional<qint64>(7);
        const Result<EditOutcome> applied = awaitTask(store->apply(set));
        VERIFY_SUCCEEDS(applied);
        QCOMPARE(applied->undo.size(), 1);
        VERIFY_SUCCEEDS(awaitTask(store->apply(applied->undo.front())));
        QCOMPARE(membership(m_api.proxy().data(), Hannah)->rpmLimit, std::nullopt);

        auto older = storeAt(u"1.102.0"_s);
        QVERIFY(older);
        VERIFY_FAILS_WITH(awaitTask(older->apply(limit(Bob, std::nullopt))), ErrorKind::Unsupported,
                          u"LiteLLM 1.102.0's /team/member_update cannot clear tpm_limit"_s);
        VERIFY_FAILS_WITH(awaitTask(older->checkEdit(limit(Bob, std::nullopt))),
                          ErrorKind::Unsupported, u"LiteLLM 1.103.0 and newer can"_s);
        QVERIFY(m_api.proxy().requests().isEmpty());
    }

    void theAdminsReleaseWins() {
        auto store = storeAt(u"1.103.0"_s, LiteLLMVersion{1, 102, 0});
        QVERIFY(store);
        QVERIFY(awaitTask(store->apply(memberEdits())).ok());
        QCOMPARE(bulkCalls(), 0);
        QCOMPARE(m_api.proxy().requestCount(u"/team/member_update"_s), memberEdits().size());
        m_api.proxy().clearRequests();
        VERIFY_FAILS_WITH(awaitTask(store->apply(limit(Hannah, std::nullopt))),
                          ErrorKind::Unsupported, u"LiteLLM 1.102.0's"_s);
        QVERIFY(m_api.proxy().requests().isEmpty());

        // Told 1.103.0 by the admin, a proxy without the route answers why: nothing was written.
        auto told = storeAt(u"1.102.0"_s, LiteLLMVersion{1, 103, 0});
        QVERIFY(told);
        const BatchResult batch = awaitTask(told->apply(memberEdits()));
        QVERIFY(!batch.ok());
        QCOMPARE(kindName(batch.error->kind), kindName(ErrorKind::Unsupported));
        QCOMPARE(batch.failedIndex, 0);
        QVERIFY(batch.applied.isEmpty());
        QCOMPARE(m_api.proxy().requestCount(u"/team/member_update"_s), 0);
    }

    void aProxyHidingItsReleaseIsWrittenToSafely() {
        // An older proxy: the bulk route is missing, so the edits go one by one.
        auto hidden = storeAt(u"1.102.0"_s, std::nullopt, false);
        QVERIFY(hidden);
        const BatchResult batch = awaitTask(hidden->apply(memberEdits()));
        QVERIFY2(batch.ok(), batch.ok() ? "" : qPrintable(batch.error->message));
        QCOMPARE(batch.applied.size(), memberEdits().size());
        QCOMPARE(m_api.proxy().requestCount(BulkPath), 1);
        QCOMPARE(m_api.proxy().requestCount(u"/team/member_update"_s), memberEdits().size());

        // It ignores null: the limit it kept is found, not reported as cleared.
        VERIFY_FAILS_WITH(awaitTask(hidden->apply(limit(Hannah, std::nullopt))),
                          ErrorKind::Unsupported, u"kept tpm_limit"_s);
        QCOMPARE(membership(m_api.proxy().data(), Hannah)->tpmLimit, std::optional<qint64>(500));

        // A current proxy that hides its release takes both.
        hidden = storeAt(u"1.103.0"_s, std::nullopt, false);
        QVERIFY(hidden);
        QVERIFY(awaitTask(hidden->apply(memberEdits())).ok());
        QCOMPARE(m_api.proxy().requestCount(BulkPath), 1);
        QCOMPARE(m_api.proxy().requestCount(u"/team/member_update"_s), 0);
        VERIFY_SUCCEEDS(awaitTask(hidden->apply(limit(Hannah, std::nullopt))));
        QCOMPARE(membership(m_api.proxy().data(), Hannah)->tpmLimit, std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TstApiStoreVersions)
#include "tst_apistore_versions.moc"
