// Guards against quadratic work on long lists (issue 11, hostile input). Each case builds input
// with one list far longer than any real proxy has, runs the real code on it and checks the
// answers. Nothing is timed: the linear code does each case in a second or two, the quadratic
// code it replaced needed minutes, and the per-function watchdog (QTEST_FUNCTION_TIMEOUT = 60 s,
// set in tests/CMakeLists.txt) fails such a case long before ctest's own timeout. The figures
// are in docs/PERFORMANCE.md (tests/bench/scale_bench.cpp).
#include "ScaleWorkspaces.h"
#include "config/ProxyConfigMerge.h"
#include "engine/AccessEngine.h"
#include "engine/WorkspaceValidator.h"
#include "store/WorkspaceEdits.h"
#include "support/CliRunner.h"
#include "workspace/WorkspaceJson.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::bench;

namespace {

// As `litescope-cli validate -w` reads it: through the file format.
Workspace throughJson(const Workspace& ws) {
    Result<Workspace> read = workspace::parse(workspace::serialize(ws));
    if (!read)
        qFatal("the generated workspace does not load: %s", qPrintable(read.error().message));
    return std::move(read).value();
}

bool allowed(const AccessEngine& engine, const QString& key, const QString& model) {
    return engine.decide(engine.findKey(key), model).allowed();
}

QStringList messages(const QList<ValidationIssue>& issues) {
    QStringList out;
    for (const ValidationIssue& issue : issues)
        out.append(issue.path + u": "_s + issue.message);
    return out;
}

} // namespace

class TstScale : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The served names were deduplicated with a list search per name, and every key and every
    // all-team-models list asked for them again.
    void routerAliases() {
        const int n = 60000;
        const AccessEngine engine(throughJson(routerAliasesWorkspace(n)));
        QCOMPARE(messages(validateWorkspace(engine)), QStringList());
        const QStringList served = engine.previewModels(Subject::forKey(engine.findKey(u"sk-3"_s)));
        QCOMPARE(served.size(), 10 + n);
        QCOMPARE(served.first(), u"m-0"_s);
        QCOMPARE(served.last(), u"a-9999"_s); // QMap order: a-0, a-1, a-10, …, a-9999
        QVERIFY(allowed(engine, u"sk-3"_s, u"a-59999"_s));
        QVERIFY(!allowed(engine, u"sk-3"_s, u"a-60000"_s));
    }

    // Each entry of an allow-list was checked against all the entries before it.
    void teamModels() {
        const int n = 1000000;
        Workspace ws = teamModelsWorkspace(n);
        ws.teams[0].models.append(u"name-17"_s); // a duplicate, kept once
        const AccessEngine engine(ws);
        const engine::CompiledList& list =
            engine.compiled().list(engine.compiled().teams().front().list);
        QCOMPARE(list.entries.size(), std::size_t(n));
        QCOMPARE(engine.compiled().name(list.entries.back()), u"name-999999"_s);
        QVERIFY(allowed(engine, u"sk-1"_s, u"name-123456"_s));
        QVERIFY(!allowed(engine, u"sk-1"_s, u"m-1"_s));
        QCOMPARE(messages(validateWorkspace(engine)),
                 QStringList{u"keys[0]: key sk-\u2026 can call none of the proxy's 10 models"_s});
    }

    // Every name was matched against every wildcard of every list.
    void teamWildcards() {
        const int n = 30000;
        const AccessEngine engine(throughJson(teamWildcardsWorkspace(n)));
        QVERIFY(allowed(engine, u"sk-1"_s, u"p29999/gpt-4o"_s));
        QVERIFY(allowed(engine, u"sk-1"_s, u"p0/x"_s));
        QVERIFY(!allowed(engine, u"sk-1"_s, u"p30000/x"_s));
        QVERIFY(!allowed(engine, u"sk-1"_s, u"p1"_s));
        QCOMPARE(validateWorkspace(engine).size(), 1); // the key can call no served model
    }

    // Every name the router does not serve directly was matched against every wildcard
    // deployment.
    void wildcardDeployments() {
        const int n = 30000;
        Workspace ws = wildcardDeploymentsWorkspace(n);
        AccessGroup group;
        group.id = u"g"_s;
        group.modelNames = {u"w7/x"_s, u"w29999/a/b"_s, u"w30000/x"_s, u"m-3"_s, u"w7"_s};
        ws.accessGroups.append(group);
        const AccessEngine engine(throughJson(ws));
        const QStringList issues = messages(validateWorkspace(engine));
        const QString unserved =
            u": the proxy serves no model \"%1\" (removed, or defined only in config.yaml): the "
            "group still grants the name, but requests for it find no deployment"_s;
        QCOMPARE(
            issues,
            (QStringList{u"access_groups[0].access_model_names[2]"_s + unserved.arg(u"w30000/x"_s),
                         u"access_groups[0].access_model_names[4]"_s + unserved.arg(u"w7"_s),
                         u"keys[0]: key sk-\u2026 can call none of the proxy's 10 models"_s}));
    }

    // Each key's check rebuilt the list of served names, deduplicating it by search.
    void keysAndAliases() {
        const int n = 20000;
        const AccessEngine engine(throughJson(keysAndAliasesWorkspace(n)));
        QCOMPARE(messages(validateWorkspace(engine)), QStringList());
        QVERIFY(allowed(engine, u"sk-19999"_s, u"m-1"_s));
        QVERIFY(allowed(engine, u"sk-19999"_s, u"a-19991"_s)); // the router alias of m-1
        QVERIFY(!allowed(engine, u"sk-19999"_s, u"a-19992"_s));
    }

    // An access group's models were merged into the team's list by search, and each was looked
    // for among all deployments.
    void accessGroupModels() {
        const int n = 60000;
        const AccessEngine engine(throughJson(accessGroupModelsWorkspace(n)));
        QCOMPARE(messages(validateWorkspace(engine)), QStringList());
        const engine::CompiledTeam& team = engine.compiled().teams().front();
        QCOMPARE(engine.compiled().list(team.groupList).entries.size(), std::size_t(n));
        QVERIFY(allowed(engine, u"sk-1"_s, u"d-59999"_s));
    }

    // Listing a team's members searched the users and the membership rows once per member.
    void teamMembers() {
        const int n = 100000;
        Workspace ws;
        Team team;
        team.id = u"t"_s;
        for (int i = 0; i < n; ++i) {
            const QString id = u"u-%1"_s.arg(i);
            User user;
            user.id = id;
            user.email = id + u"@example.com"_s;
            ws.users.append(user);
            TeamMemberRole entry;
            entry.role = u"user"_s;
            if (i % 3 == 0) // written with an email only, in other letters
                entry.userEmail = id.toUpper() + u"@EXAMPLE.com"_s;
            else
                entry.userId = id;
            team.membersWithRoles.append(entry);
            TeamMembership row;
            row.teamId = team.id;
            row.userId = id;
            row.allowedModels = {u"m-%1"_s.arg(i)};
            ws.teamMemberships.append(row);
        }
        ws.teams.append(team);
        const QList<TeamMember> members = litescope::teamMembers(ws, ws.teams.front());
        QCOMPARE(members.size(), n);
        QCOMPARE(members[0].userId, u"u-0"_s);
        QCOMPARE(members[0].email, u"U-0@EXAMPLE.com"_s);
        QCOMPARE(members[0].allowedModels, QStringList{u"m-0"_s});
        QCOMPARE(members[n - 2].userId, u"u-%1"_s.arg(n - 2));
        QCOMPARE(members[n - 2].email, u"u-%1@example.com"_s.arg(n - 2)); // from the users row
        QCOMPARE(members[n - 1].userId, u"u-%1"_s.arg(n - 1));
        QVERIFY(std::all_of(members.cbegin(), members.cend(),
                            [](const TeamMember& m) { return m.hasMembershipRow; }));
    }

    // Each deployment of config.yaml was compared with every deployment of the source.
    void configMerge() {
        const int n = 200000;
        Workspace ws;
        const QJsonObject configCopy{{u"model_info"_s, QJsonObject{{u"db_model"_s, false}}}};
        for (int i = 0; i < n; ++i) {
            ProxyModel model;
            model.modelName = u"m-%1"_s.arg(i);
            model.litellmModel = u"openai/m-%1"_s.arg(i);
            model.modelId = u"id-%1"_s.arg(i);
            if (i % 2 == 0) // the admin API's copy of a config deployment
                model.extra = UnknownFields::fromObject(configCopy);
            ws.proxyModels.append(model);
        }
        ProxyConfig config;
        config.path = u"config.yaml"_s;
        for (int i = n / 2; i < n + n / 2; ++i) { // half of them in the source already
            ProxyModel model;
            model.modelName = u"m-%1"_s.arg(i);
            model.litellmModel = u"openai/m-%1"_s.arg(i);
            model.modelId = u"id-%1"_s.arg(i);
            config.deployments.append(model);
        }
        // Without an id: the source's free copies match (m-0, m-2); m-100000 was matched by id
        // already and m-1 is no copy, so both are added.
        for (const int i : {0, 2, n / 2, 1}) {
            ProxyModel model;
            model.modelName = u"m-%1"_s.arg(i);
            model.litellmModel = u"openai/m-%1"_s.arg(i);
            config.deployments.append(model);
        }
        const MergedSource merged = mergeProxyConfig(ws, config);
        QCOMPARE(merged.workspace.proxyModels.size(), n + n / 2 + 2);
        QCOMPARE(merged.workspace.proxyModels.last().modelName, u"m-1"_s);
        QCOMPARE(merged.warnings,
                 QStringList{u"%1 deployment(s) of config.yaml are also in the source (same "
                             "model_info.id) and were kept once"_s.arg(n / 2 + 2)});
    }

    // check --requests looked through every dangling-reference warning for each key it named.
    void checkWarnsPerKey() {
        const int keys = 30000, warnings = 400000;
        Workspace ws;
        User user; // a users row naming many deleted teams: warnings no key shows
        user.id = u"u"_s;
        user.teams.emplace();
        for (int i = 0; i < warnings; ++i)
            user.teams->append(u"gone-%1"_s.arg(i));
        ws.users.append(user);
        QByteArray requests;
        for (int i = 0; i < keys; ++i) {
            Key key;
            key.token = u"sk-%1"_s.arg(i);
            if (i < 3)
                key.teamId = u"gone-%1"_s.arg(i); // a deleted team
            ws.keys.append(key);
            requests += "{\"key\": \"sk-" + QByteArray::number(i) + "\", \"model\": \"m\"}\n";
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile file(dir.filePath(u"ws.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(workspace::serialize(ws));
        file.close();
        const test::CliRun run = test::runCli(
            {u"check"_s, u"-w"_s, file.fileName(), u"--requests"_s, u"-"_s, u"--json"_s}, requests,
            50000);
        QVERIFY(run.finished);
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.count('\n'), keys);
        QCOMPARE(
            run.err.trimmed().split('\n'),
            (QList<QByteArray>{
                "litescope-cli: warning: keys[0].team_id: no team \"gone-0\" in this workspace",
                "litescope-cli: warning: keys[1].team_id: no team \"gone-1\" in this workspace",
                "litescope-cli: warning: keys[2].team_id: no team \"gone-2\" in this "
                "workspace"}));
    }
};

QTEST_GUILESS_MAIN(TstScale)
#include "tst_scale.moc"
