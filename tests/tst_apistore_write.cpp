// ApiStore edits through LiteLLM's own endpoints (a fake LiteLLM on 127.0.0.1): each edit sends
// the one request LiteLLM documents, with only the fields being changed; the proxy's data shows
// the change afterwards; refused edits (bad input, a failed `expected` check, a read-only
// connection, limits the API cannot clear, scope edits on an older proxy) send nothing; a
// viewer key's 403 is explained; hostile strings round-trip byte for byte.
#include "store/WorkspaceEdits.h"
#include "support/ApiTestSupport.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

const QString SearchTeam = u"e295a6e1-6b64-490c-8983-d4a384434f4c"_s;
const QString Bob = u"0e104407-b5ce-4cc1-a136-cd4692ea49cb"_s;
const QString SearchKeyAlias = u"search-prod"_s;

QJsonObject bodyOf(const FakeLiteLLM::RecordedRequest& request) {
    return QJsonDocument::fromJson(request.body).object();
}

QStringList keysOf(const QJsonObject& object) {
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

const TeamMembership* membership(const Workspace& ws, const QString& team, const QString& user) {
    for (const TeamMembership& m : ws.teamMemberships) {
        if (m.teamId == team && m.userId == user)
            return &m;
    }
    return nullptr;
}

const Team* team(const Workspace& ws, const QString& id) {
    for (const Team& t : ws.teams) {
        if (t.id == id)
            return &t;
    }
    return nullptr;
}

} // namespace

class TstApiStoreWrite : public QObject {
    Q_OBJECT

private:
    ApiFixture m_api;
    std::unique_ptr<ApiStore> m_store;

    // The write requests (POST) the proxy received.
    QList<FakeLiteLLM::RecordedRequest> writes() {
        QList<FakeLiteLLM::RecordedRequest> posts;
        for (const FakeLiteLLM::RecordedRequest& request : m_api.proxy().requests()) {
            if (request.method == "POST")
                posts.append(request);
        }
        return posts;
    }

    // Applies `edit`, which must succeed with exactly one POST to `path`; returns its body.
    QJsonObject applyOne(const StoreEdit& edit, const QString& path) {
        m_api.proxy().clearRequests();
        const Result<EditOutcome> outcome = awaitTask(m_store->apply(edit));
        if (!outcome) {
            qWarning("%s", failureText(outcome).constData());
            return {};
        }
        const QList<FakeLiteLLM::RecordedRequest> posts = writes();
        if (posts.size() != 1 || posts.front().path != path) {
            qWarning("expected one POST %s, got %lld", qPrintable(path),
                     static_cast<long long>(posts.size()));
            return {};
        }
        if (posts.front().headers.value("litellm-changed-by") != "default_user_id")
            qWarning("litellm-changed-by missing");
        return bodyOf(posts.front());
    }

private Q_SLOTS:
    void init() {
        QString error;
        QVERIFY2(m_api.start(demoDataset(), &error), qPrintable(error));
        m_store = m_api.store();
        QVERIFY(m_store);
    }

    void setMemberScopeSendsOnlyTheScope() {
        const QJsonObject body = applyOne(
            StoreEdit::setMemberScope(u"Search"_s, u"bob.martinez@acme.example"_s, {u"gpt-4o"_s}),
            u"/team/member_update"_s);
        QCOMPARE(keysOf(body), (QStringList{u"allowed_models"_s, u"team_id"_s, u"user_id"_s}));
        QCOMPARE(body.value(u"team_id"_s).toString(), SearchTeam);
        QCOMPARE(body.value(u"user_id"_s).toString(), Bob);
        QCOMPARE(membership(m_api.proxy().data(), SearchTeam, Bob)->allowedModels,
                 QStringList{u"gpt-4o"_s});

        // [] clears the scope (all team models).
        applyOne(StoreEdit::setMemberScope(SearchTeam, Bob, {}), u"/team/member_update"_s);
        QCOMPARE(membership(m_api.proxy().data(), SearchTeam, Bob)->allowedModels, QStringList());
    }

    void updateMemberSendsOnlyTheFieldsGiven() {
        StoreEdit edit = StoreEdit::updateMember(SearchTeam, Bob);
        edit.tpmLimit = std::optional<qint64>(5000);
        QJsonObject body = applyOne(edit, u"/team/member_update"_s);
        QCOMPARE(keysOf(body), (QStringList{u"team_id"_s, u"tpm_limit"_s, u"user_id"_s}));
        QCOMPARE(body.value(u"tpm_limit"_s).toInteger(), 5000);

        edit = StoreEdit::updateMember(SearchTeam, Bob);
        edit.role = u"admin"_s;
        edit.maxBudget = std::optional<double>(12.5);
        body = applyOne(edit, u"/team/member_update"_s);
        QCOMPARE(keysOf(body),
                 (QStringList{u"max_budget_in_team"_s, u"role"_s, u"team_id"_s, u"user_id"_s}));
        const Result<QList<TeamMember>> members = awaitTask(m_store->members(SearchTeam));
        VERIFY_SUCCEEDS(members);
        const auto bob = std::find_if(members->cbegin(), members->cend(),
                                      [](const TeamMember& m) { return m.userId == Bob; });
        QVERIFY(bob != members->cend());
        QCOMPARE(bob->role, u"admin"_s);
        QCOMPARE(bob->tpmLimit, std::optional<qint64>(5000));
        QCOMPARE(bob->maxBudget, std::optional<double>(12.5));
    }

    void clearingALimitIsRefusedBeforeSending() {
        StoreEdit edit = StoreEdit::updateMember(SearchTeam, Bob);
        edit.rpmLimit = std::optional<qint64>();
        m_api.proxy().clearRequests();
        VERIFY_FAILS_WITH(awaitTask(m_store->apply(edit)), ErrorKind::Unsupported,
                          u"cannot clear rpm_limit"_s);
        QVERIFY(m_api.proxy().requests().isEmpty());
    }

    void addMemberWithAndWithoutAScope() {
        StoreEdit edit = StoreEdit::addMember(u"Search"_s, u"new.person@acme.example"_s);
        edit.memberModels = QStringList{u"gpt-4o-mini"_s};
        QJsonObject body = applyOne(edit, u"/team/member_add"_s);
        QCOMPARE(keysOf(body), (QStringList{u"allowed_models"_s, u"member"_s, u"team_id"_s}));
        QCOMPARE(body.value(u"member"_s).toObject().value(u"role"_s).toString(), u"user"_s);
        QCOMPARE(membership(m_api.proxy().data(), SearchTeam, u"new.person@acme.example"_s)
                     ->allowedModels,
                 QStringList{u"gpt-4o-mini"_s});

        // Without a scope the proxy seeds it from default_team_member_models.
        body = applyOne(StoreEdit::addMember(SearchTeam, u"second@acme.example"_s),
                        u"/team/member_add"_s);
        QCOMPARE(keysOf(body), (QStringList{u"member"_s, u"team_id"_s}));
        QCOMPARE(
            membership(m_api.proxy().data(), SearchTeam, u"second@acme.example"_s)->allowedModels,
            team(m_api.proxy().data(), SearchTeam)->defaultTeamMemberModels);

        // Already a member: refused by the check, nothing sent.
        m_api.proxy().clearRequests();
        VERIFY_FAILS_WITH(awaitTask(m_store->apply(StoreEdit::addMember(SearchTeam, Bob))),
                          ErrorKind::InvalidInput, u"already a member"_s);
        QVERIFY(writes().isEmpty());
    }

    void removeMember() {
        const QJsonObject body =
            applyOne(StoreEdit::removeMember(SearchTeam, Bob), u"/team/member_delete"_s);
        QCOMPARE(keysOf(body), (QStringList{u"team_id"_s, u"user_id"_s}));
        QVERIFY(!membership(m_api.proxy().data(), SearchTeam, Bob));
        VERIFY_FAILS_WITH(awaitTask(m_store->apply(StoreEdit::removeMember(SearchTeam, Bob))),
                          ErrorKind::NotFound, u"not a member"_s);
    }

    void teamEdits() {
        QJsonObject body =
            applyOne(StoreEdit::setTeamModels(u"Search"_s, {u"gpt-4o"_s}), u"/team/update"_s);
        QCOMPARE(keysOf(body), (QStringList{u"models"_s, u"team_id"_s}));
        QCOMPARE(team(m_api.proxy().data(), SearchTeam)->models, QStringList{u"gpt-4o"_s});

        body = applyOne(StoreEdit::setDefaultMemberModels(SearchTeam, {u"gpt-4o"_s}),
                        u"/team/update"_s);
        QCOMPARE(keysOf(body), (QStringList{u"default_team_member_models"_s, u"team_id"_s}));

        body =
            applyOne(StoreEdit::setTeamAlias(SearchTeam, u"Search & Rescue"_s), u"/team/update"_s);
        QCOMPARE(keysOf(body), (QStringList{u"team_alias"_s, u"team_id"_s}));
        QCOMPARE(team(m_api.proxy().data(), SearchTeam)->alias, u"Search & Rescue"_s);

        body = applyOne(StoreEdit::setTeamBlocked(u"Search & Rescue"_s, true), u"/team/block"_s);
        QCOMPARE(keysOf(body), QStringList{u"team_id"_s});
        QVERIFY(team(m_api.proxy().data(), SearchTeam)->blocked);
        applyOne(StoreEdit::setTeamBlocked(SearchTeam, false), u"/team/unblock"_s);
        QVERIFY(!team(m_api.proxy().data(), SearchTeam)->blocked);
    }

    void keyModels() {
        const Key& before = m_api.proxy().data().keys.front();
        QCOMPARE(before.alias, std::optional<QString>(SearchKeyAlias));
        const QJsonObject body =
            applyOne(StoreEdit::setKeyModels(SearchKeyAlias, {u"gpt-4o-mini"_s}), u"/key/update"_s);
        QCOMPARE(keysOf(body), (QStringList{u"key"_s, u"models"_s}));
        QCOMPARE(body.value(u"key"_s).toString(), before.token);
        QCOMPARE(m_api.proxy().data().keys.front().models, QStringList{u"gpt-4o-mini"_s});
        // By token hash too.
        applyOne(StoreEdit::setKeyModels(before.token, {}), u"/key/update"_s);
        QCOMPARE(m_api.proxy().data().keys.front().models, QStringList());
        VERIFY_FAILS_WITH(awaitTask(m_store->apply(StoreEdit::setKeyModels(u"nope"_s, {}))),
                          ErrorKind::NotFound, u"no key"_s);
    }

    void aFailedExpectationSendsNothing() {
        StoreEdit edit = StoreEdit::setMemberScope(SearchTeam, Bob, {u"gpt-4o"_s});
        edit.expect(u"allowed_models"_s, QJsonArray{u"something-else"_s});
        m_api.proxy().clearRequests();
        VERIFY_FAILS_WITH(awaitTask(m_store->apply(edit)), ErrorKind::Conflict,
                          u"changed by someone else"_s);
        QVERIFY(writes().isEmpty());

        // The check passes when the editor saw the current value.
        edit.expected = {};
        edit.expect(u"allowed_models"_s, QJsonArray{u"gpt-4o-mini"_s, u"text-embedding-3-small"_s});
        applyOne(edit, u"/team/member_update"_s);
    }

    void readOnlySendsNothing() {
        ApiConnectionOptions options = m_api.options();
        options.readOnly = true;
        auto store = m_api.store(options);
        QVERIFY(store);
        m_api.proxy().clearRequests();
        VERIFY_FAILS_WITH(awaitTask(store->apply(StoreEdit::setTeamModels(SearchTeam, {}))),
                          ErrorKind::PermissionDenied, u"read-only"_s);
        QVERIFY(m_api.proxy().requests().isEmpty());
    }

    void aViewerKeyIsExplained() {
        auto store = m_api.store(m_api.options(ViewerKey));
        QVERIFY(store);
        const Result<EditOutcome> refused =
            awaitTask(store->apply(StoreEdit::setTeamModels(SearchTeam, {u"gpt-4o"_s})));
        VERIFY_FAILS_WITH(refused, ErrorKind::PermissionDenied, u"HTTP 403"_s);
        QVERIFY(refused.error().message.contains(u"proxy_admin_viewer"_s));
        QVERIFY(refused.error().message.contains(u"may not do this"_s));
        QVERIFY(!refused.error().message.contains(ViewerKey));
        QCOMPARE(team(m_api.proxy().data(), SearchTeam)->models,
                 team(demoDataset(), SearchTeam)->models);
    }

    void scopeEditsOnAnOlderProxy() {
        m_api.proxy().setLiteLLMVersion(u"1.74.0"_s);
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().clearRequests();
        VERIFY_FAILS_WITH(
            awaitTask(store->apply(StoreEdit::setMemberScope(SearchTeam, Bob, {u"gpt-4o"_s}))),
            ErrorKind::Unsupported, u"v1.83.14"_s);
        QVERIFY(m_api.proxy().requests().isEmpty());
        // Other edits still work.
        const Result<EditOutcome> models =
            awaitTask(store->apply(StoreEdit::setTeamModels(SearchTeam, {u"gpt-4o"_s})));
        VERIFY_SUCCEEDS(models);
    }

    void hostileStringsRoundTrip_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("quotes") << u"it's \"quoted\""_s;
        QTest::newRow("backslashes") << u"C:\\models\\\\x"_s;
        QTest::newRow("braces, commas") << u"{a,b},[c];d"_s;
        QTest::newRow("url syntax") << u"a+b&c=d%20e?f#g/h"_s;
        QTest::newRow("unicode") << u"模型-ü-🙂-\u200b"_s;
        QTest::newRow("python repr") << u"{'error': 'x'}"_s;
        QTest::newRow("spaces") << u"  padded  "_s;
    }

    void hostileStringsRoundTrip() {
        QFETCH(QString, text);
        const QStringList models{text, u"gpt-4o"_s};
        VERIFY_SUCCEEDS(awaitTask(m_store->apply(StoreEdit::setTeamModels(SearchTeam, models))));
        VERIFY_SUCCEEDS(awaitTask(m_store->apply(StoreEdit::setTeamAlias(SearchTeam, text))));
        VERIFY_SUCCEEDS(awaitTask(m_store->apply(StoreEdit::setMemberScope(text, Bob, {text}))));
        StoreEdit add = StoreEdit::addMember(text, text);
        add.memberModels = QStringList{text};
        VERIFY_SUCCEEDS(awaitTask(m_store->apply(add)));
        VERIFY_SUCCEEDS(awaitTask(m_store->apply(StoreEdit::setKeyModels(SearchKeyAlias, {text}))));

        const Result<Workspace> snapshot = awaitTask(m_store->snapshot());
        VERIFY_SUCCEEDS(snapshot);
        const Team* changed = team(*snapshot, SearchTeam);
        QVERIFY(changed);
        QCOMPARE(changed->models, models);
        QCOMPARE(changed->alias, text);
        QCOMPARE(membership(*snapshot, SearchTeam, Bob)->allowedModels, QStringList{text});
        QCOMPARE(membership(*snapshot, SearchTeam, text)->allowedModels, QStringList{text});
        const Result<QList<TeamMember>> members = awaitTask(m_store->members(text));
        VERIFY_SUCCEEDS(members);
        QVERIFY(std::any_of(members->cbegin(), members->cend(),
                            [&](const TeamMember& m) { return m.userId == text; }));
        const auto key = std::find_if(snapshot->keys.cbegin(), snapshot->keys.cend(),
                                      [](const Key& k) { return k.alias == SearchKeyAlias; });
        QCOMPARE(key->models, QStringList{text});
        VERIFY_SUCCEEDS(awaitTask(m_store->apply(StoreEdit::removeMember(text, text))));
    }
};

QTEST_GUILESS_MAIN(TstApiStoreWrite)
#include "tst_apistore_write.moc"
