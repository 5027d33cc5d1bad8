// `check --key` decides on the key's slice of the proxy, not on every row of it (issue 12): the
// slice must decide every request exactly as the whole workspace does, and warn about the same
// dangling references under the same row names. Proven on every conformance scenario, the
// engine's test workspaces and generated proxies bent into the shapes the slice must not miss
// (personal keys reaching their owner's teams, users without a teams column, keys and
// memberships of deleted teams, shared aliases, raw keys).
#include "WorkspaceGenerator.h"
#include "engine/AccessEngine.h"
#include "engine/CompiledWorkspace.h"
#include "engine/DecisionLineWriter.h"
#include "engine/KeySlice.h"
#include "workspace/WorkspaceJson.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;

namespace {

QString sha256(const QString& text) {
    return QString::fromLatin1(
        QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

// Every name a request could use that means something to this workspace, and some that do not.
QStringList requestNames(const Workspace& ws) {
    QStringList names{u"no-such-model"_s, u"openai/no-such-model"_s, u"all-team-models"_s, u"*"_s};
    for (const ProxyModel& model : ws.proxyModels) {
        names.append(model.modelName);
        if (model.teamPublicModelName)
            names.append(*model.teamPublicModelName);
        names.append(model.accessGroups);
    }
    for (const AccessGroup& group : ws.accessGroups)
        names.append(group.id);
    names.append(ws.settings.modelAliasMap.keys());
    names.append(ws.modelGroupAlias.keys());
    for (const Team& team : ws.teams)
        names.append(team.modelAliases.keys());
    for (const Key& key : ws.keys)
        names.append(key.aliases.keys());
    names.removeDuplicates();
    return names;
}

std::string line(const AccessEngine& engine, std::int32_t key, const QString& lookup,
                 const QString& name) {
    const ModelRequest request = ModelRequest::single(name);
    std::string out;
    DecisionLineWriter(engine).append(out, lookup, request,
                                      engine.decide(Subject::forKey(key), request));
    return out;
}

QStringList warnings(const AccessEngine& engine, std::int32_t key, const KeySlice* slice) {
    const workspace::ReferenceCheck check(engine.workspace());
    QStringList out;
    if (const std::int32_t membership =
            engine.compiled().keys()[static_cast<std::size_t>(key)].membership;
        membership >= 0)
        out =
            check.membershipWarnings(membership, slice ? slice->membershipRows.at(membership) : -1);
    out += check.keyWarnings(key, slice ? slice->keyRows.at(key) : -1);
    return out;
}

// Decides every request of every key through its slice and through the whole workspace.
void compareEveryKey(const Workspace& whole) {
    const AccessEngine engine(whole);
    const QStringList names = requestNames(whole);
    QStringList lookups{u"sk-raw-for-the-hash"_s, u"nobody"_s};
    for (const Key& key : whole.keys) {
        lookups.append(key.token);
        if (key.alias)
            lookups.append(*key.alias);
    }
    lookups.removeDuplicates();
    for (const QString& lookup : std::as_const(lookups)) {
        const KeySlice slice = keySlice(whole, lookup);
        QCOMPARE(slice.keyRows.size(), slice.workspace.keys.size());
        QCOMPARE(slice.membershipRows.size(), slice.workspace.teamMemberships.size());
        const AccessEngine sliced(slice.workspace);
        const std::int32_t wholeKey = engine.findKey(lookup);
        const std::int32_t slicedKey = sliced.findKey(lookup);
        QCOMPARE(slicedKey < 0, wholeKey < 0);
        if (wholeKey < 0)
            continue;
        QCOMPARE(slice.keyRows.at(slicedKey), qsizetype(wholeKey));
        QCOMPARE(warnings(sliced, slicedKey, &slice), warnings(engine, wholeKey, nullptr));
        for (const QString& name : names) {
            const std::string expected = line(engine, wholeKey, lookup, name);
            const std::string actual = line(sliced, slicedKey, lookup, name);
            if (actual != expected)
                QFAIL(qPrintable(u"key %1, model %2:\nwhole: %3slice: %4"_s.arg(
                    lookup, name, QString::fromStdString(expected),
                    QString::fromStdString(actual))));
        }
    }
}

// A generated proxy bent into the shapes a slice must follow.
Workspace bentProxy(bool personalTeams, MultiTeamAccess access) {
    bench::GeneratorOptions options;
    options.proxyModels = 40;
    options.teams = 8;
    options.members = 60;
    options.keysPerMember = 2;
    options.accessGroups = 4;
    Workspace ws = bench::generateWorkspace(options);
    ws.settings.personalKeyModelAccessFromTeams = personalTeams;
    ws.settings.personalKeyMultiTeamAccess = access;
    for (qsizetype i = 0; i < ws.users.size(); ++i)
        if (i % 3 == 0)
            ws.users[i].teams.reset(); // teams from rosters and memberships
        else if (i % 3 == 1 && !ws.teams.isEmpty())
            ws.users[i].teams = QStringList{ws.teams.at(i % ws.teams.size()).id, u"gone-team"_s};
    // On a roster without a membership row: the team is the user's only through the roster.
    for (qsizetype j = 0; j < ws.teams.size() && !ws.users.isEmpty(); ++j) {
        TeamMemberRole member;
        member.userId = ws.users.at((j * 7) % ws.users.size()).id;
        member.role = u"user"_s;
        ws.teams[j].membersWithRoles.append(member);
    }
    for (qsizetype i = 0; i < ws.keys.size(); ++i) {
        Key& key = ws.keys[i];
        if (i % 7 == 0)
            key.teamId.reset(); // a personal key
        else if (i % 11 == 0)
            key.teamId = u"gone-team"_s;
        if (i % 13 == 0)
            key.alias = u"shared-alias"_s;
        if (i % 17 == 0)
            key.userId = u"gone-user"_s;
        if (i % 5 == 0)
            key.models = {};
    }
    if (!ws.users.isEmpty()) {
        TeamMembership gone;
        gone.teamId = u"gone-team"_s;
        gone.userId = ws.users.first().id;
        gone.allowedModels = {ws.proxyModels.first().modelName};
        ws.teamMemberships.append(gone);
        for (qsizetype i = 0; i < ws.teamMemberships.size(); i += 4)
            ws.teamMemberships[i].allowedModels = {ws.proxyModels.at(i % 10).modelName};
        Key raw;
        raw.token = sha256(u"sk-raw-for-the-hash"_s);
        raw.userId = ws.users.first().id;
        raw.alias = ws.keys.first().token; // a token wins over an alias
        ws.keys.append(raw);
    }
    return ws;
}

} // namespace

class TestKeySlice : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decidesAsTheWholeWorkspace_data() {
        QTest::addColumn<QByteArray>("json");
        const QDir scenarios(QStringLiteral(LITESCOPE_TEST_DATA "/conformance/scenarios"));
        for (const QString& file : scenarios.entryList({u"*.json"_s}, QDir::Files, QDir::Name)) {
            QFile in(scenarios.filePath(file));
            QVERIFY(in.open(QIODevice::ReadOnly));
            const QJsonArray list =
                QJsonDocument::fromJson(in.readAll()).object()[u"scenarios"_s].toArray();
            for (const QJsonValue& scenario : list)
                QTest::newRow(qPrintable(file + u": "_s + scenario[u"name"_s].toString().left(60)))
                    << QJsonDocument(scenario[u"workspace"_s].toObject()).toJson();
        }
        const QDir engine(QStringLiteral(LITESCOPE_TEST_DATA "/data/engine"));
        for (const QString& file : engine.entryList({u"*.json"_s}, QDir::Files, QDir::Name)) {
            QFile in(engine.filePath(file));
            QVERIFY(in.open(QIODevice::ReadOnly));
            QTest::newRow(qPrintable(u"engine: "_s + file)) << in.readAll();
        }
    }

    void decidesAsTheWholeWorkspace() {
        QFETCH(QByteArray, json);
        const Result<Workspace> whole = workspace::parse(json);
        QVERIFY2(whole, qPrintable(whole ? QString() : whole.error().message));
        QVERIFY(!whole->keys.isEmpty());
        compareEveryKey(*whole);
    }

    void decidesAsABentGeneratedProxy_data() {
        QTest::addColumn<bool>("personalTeams");
        QTest::addColumn<MultiTeamAccess>("access");
        QTest::newRow("personal keys alone") << false << MultiTeamAccess::Union;
        QTest::newRow("owner's teams, any") << true << MultiTeamAccess::Union;
        QTest::newRow("owner's teams, all") << true << MultiTeamAccess::Intersection;
    }

    void decidesAsABentGeneratedProxy() {
        QFETCH(bool, personalTeams);
        QFETCH(MultiTeamAccess, access);
        compareEveryKey(bentProxy(personalTeams, access));
    }

    // The slice holds what the key reaches and nothing of the rest of a big proxy.
    void holdsOnlyWhatTheKeyReaches() {
        bench::GeneratorOptions options;
        options.teams = 50;
        options.members = 2000;
        const Workspace whole = bench::generateWorkspace(options);
        const Key& key = whole.keys.at(1234);
        const KeySlice slice = keySlice(whole, key.token);
        QCOMPARE(slice.workspace.keys.size(), 1);
        QCOMPARE(slice.keyRows, QList<qsizetype>{1234});
        QCOMPARE(slice.workspace.users.size(), 1);
        QCOMPARE(slice.workspace.users.first().id, *key.userId);
        QVERIFY(slice.workspace.teams.size() <= 3);
        QVERIFY(slice.workspace.teamMemberships.size() <= 3);
        QCOMPARE(slice.workspace.proxyModels.size(), whole.proxyModels.size());
        QCOMPARE(slice.workspace.accessGroups.size(), whole.accessGroups.size());
        // The key's own membership, under its place in the whole list.
        for (qsizetype i = 0; i < slice.workspace.teamMemberships.size(); ++i) {
            const TeamMembership& m = slice.workspace.teamMemberships.at(i);
            const TeamMembership& original = whole.teamMemberships.at(slice.membershipRows.at(i));
            QCOMPARE(m.teamId, original.teamId);
            QCOMPARE(m.userId, original.userId);
        }
        QVERIFY(keySlice(whole, u"no such key"_s).workspace.keys.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestKeySlice)
#include "tst_keyslice.moc"
