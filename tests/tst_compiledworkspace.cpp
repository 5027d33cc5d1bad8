// The compiled engine of a big proxy must stay small (issue 12): it shares the workspace's rows
// instead of copying them, and equal allow-lists compile once. Sharing must not change a list's
// meaning: all-team-models is expanded only where LiteLLM expands it.
#include "engine/AccessEngine.h"
#include "engine/CompiledWorkspace.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;

namespace {

Workspace proxy() {
    Workspace ws;
    for (const QString& name : {u"m1"_s, u"m2"_s}) {
        ProxyModel model;
        model.modelName = name;
        model.litellmModel = u"openai/"_s + name;
        ws.proxyModels.append(model);
    }
    Team team;
    team.id = u"t1"_s;
    team.models = {u"all-proxy-models"_s};
    ws.teams.append(team);
    User user;
    user.id = u"u1"_s;
    user.role = u"internal_user"_s;
    user.models = {u"all-team-models"_s};
    ws.users.append(user);
    for (int i = 0; i < 4; ++i) {
        Key key;
        key.token = u"sk-%1"_s.arg(i);
        key.userId = u"u1"_s;
        if (i < 3)
            key.teamId = u"t1"_s;
        key.models = i < 2 ? QStringList{u"m1"_s} : QStringList{u"all-team-models"_s};
        ws.keys.append(key);
    }
    return ws;
}

} // namespace

class TestCompiledWorkspace : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rowsAreSharedWithTheWorkspace() {
        const Workspace ws = proxy();
        const AccessEngine engine(ws);
        QCOMPARE(engine.workspace().keys.constData(), ws.keys.constData());
        QCOMPARE(engine.workspace().users.constData(), ws.users.constData());
        QCOMPARE(engine.workspace().teams.constData(), ws.teams.constData());
    }
    void equalListsCompileOnce() {
        const AccessEngine engine(proxy());
        const auto& keys = engine.compiled().keys();
        QCOMPARE(keys[0].list, keys[1].list);
        QVERIFY(keys[0].list != keys[2].list);
    }
    void aliasesAndEmailsFindTheirRows() {
        Workspace ws = proxy();
        ws.keys[1].alias = u"shared"_s;
        ws.keys[3].alias = u"shared"_s; // the validator warns; the last such key answers
        ws.keys[2].alias = u"ci"_s;
        ws.users[0].email = u"ana@example.com"_s;
        const AccessEngine engine(ws);
        const engine::CompiledWorkspace& compiled = engine.compiled();
        QCOMPARE(compiled.keyIndex(u"sk-0"_s), 0);
        QCOMPARE(compiled.keyIndex(u"ci"_s), 2);
        QCOMPARE(compiled.keyIndex(u"shared"_s), 3);
        QCOMPARE(compiled.keyIndex(u"nobody"_s), -1);
        QCOMPARE(compiled.userIndex(u"u1"_s), 0);
        QCOMPARE(compiled.userIndex(u"ana@example.com"_s), 0);
        QCOMPARE(compiled.userIndex(u"bob@example.com"_s), -1);
    }
    void allTeamModelsExpandsOnlyWhereLiteLLMExpandsIt() {
        const AccessEngine engine(proxy());
        const engine::CompiledWorkspace& compiled = engine.compiled();
        const NameId m1 = compiled.find(u"m1"_s);
        const NameId sentinel = compiled.find(u"all-team-models"_s);
        // A team key's list is checked with its team id: the sentinel becomes every proxy model.
        const engine::CompiledList& teamKey = compiled.list(compiled.keys()[2].list);
        QVERIFY(teamKey.expandedAllTeamModels);
        QVERIFY(teamKey.contains(m1));
        // The same list written on a key without a team, and on the user, stays as written.
        for (const std::int32_t index : {compiled.keys()[3].list, compiled.users()[0].list}) {
            const engine::CompiledList& plain = compiled.list(index);
            QVERIFY(!plain.expandedAllTeamModels);
            QVERIFY(plain.contains(sentinel));
            QVERIFY(!plain.contains(m1));
        }
    }
};

QTEST_GUILESS_MAIN(TestCompiledWorkspace)
#include "tst_compiledworkspace.moc"
