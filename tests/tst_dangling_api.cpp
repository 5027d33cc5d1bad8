// Rows that refer to rows that no longer exist, as a proxy's admin API shows them (a fake LiteLLM
// serving the demo data with dangling rows added): a key whose team was deleted, a membership of
// a deleted user, a key naming an access group that is gone, an access group naming a removed
// model, a key of a project that is gone. The snapshot keeps every key, warns, and decides
// exactly like the data, by the rules of the release the proxy reports (before 1.99.0 the key of
// a deleted team is served with its copy of the team, from 1.99.0 it is refused);
// `litescope-cli check` and `preview --api` work and warn.
#include "support/ApiTestSupport.h"
#include "support/CliRunner.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

const QString KeyVariable = u"LITELLM_MASTER_KEY"_s;
const QString GoneUser = u"0e104407-b5ce-4cc1-a136-cd4692ea49cb"_s; // search-bob-dev's owner

Key danglingKey(const QString& alias) {
    Key key;
    key.token = u"hash-"_s + alias;
    key.alias = alias;
    return key;
}

// The demo with one row of every dangling kind, as a proxy of the fake's default release
// (1.96.0) holds it.
Workspace danglingDataset() {
    Workspace data = demoDataset();
    data.source.litellmVersion = u"1.96.0"_s;
    Key orphan = danglingKey(u"orphan-of-team-gone"_s);
    orphan.teamId = u"team-gone"_s;
    orphan.models = {u"gpt-4o"_s, u"claude-3-5-sonnet"_s};
    data.keys.append(orphan);
    Key noGroup = danglingKey(u"group-gone"_s);
    noGroup.models = {u"gpt-4o"_s};
    noGroup.accessGroupIds = {u"ag-gone"_s};
    data.keys.append(noGroup);
    Key noProject = danglingKey(u"project-gone"_s);
    noProject.projectId = u"proj-gone"_s;
    data.keys.append(noProject);
    data.users.removeIf([](const User& user) { return user.id == GoneUser; });
    data.accessGroups.first().modelNames.append(u"retired-model"_s);
    return data;
}

} // namespace

class TstDanglingApi : public QObject {
    Q_OBJECT

private:
    Workspace m_data = danglingDataset();
    ApiFixture m_api;

    Result<Workspace> snapshot() { return m_api.snapshotWithSettingsOf(m_data); }

    CliRun onApi(const QStringList& arguments) {
        return runCliServing(arguments + QStringList{u"--api"_s, m_api.options().baseUrl.toString(),
                                                     u"--api-key-env"_s, KeyVariable},
                             {{KeyVariable, MasterKey}});
    }

private Q_SLOTS:
    void init() {
        QString error;
        QVERIFY2(m_api.start(m_data, &error), qPrintable(error));
    }

    void snapshotKeepsWarnsAndDecidesLikeTheData() {
        const Result<Workspace> ws = snapshot();
        VERIFY_SUCCEEDS(ws);
        QCOMPARE(ws->keys.size(), m_data.keys.size());
        QVERIFY2(ws->source.warnings.contains(u"1 key(s) belong to teams that no longer exist; "
                                              u"LiteLLM still serves them, with no team limits"_s),
                 qPrintable(ws->source.warnings.join(u'\n')));
        QVERIFY(std::ranges::any_of(ws->source.warnings, [](const QString& w) {
            return w.contains(u"reference(s) name rows that do not exist"_s);
        }));

        const QStringList models = candidateModels(m_data) + QStringList{u"retired-model"_s};
        QCOMPARE(decisionLines(*ws, models), decisionLines(m_data, models));

        const AccessEngine engine(*ws);
        const Decision orphan =
            engine.decide(engine.findKey(u"orphan-of-team-gone"_s), u"claude-3-5-sonnet"_s);
        QVERIFY(orphan.allowed());
        QVERIFY(std::ranges::any_of(
            orphan.trail, [](const TrailStep& step) { return step.rule == Rule::TeamNotFound; }));
        QCOMPARE(engine.decide(engine.findKey(u"orphan-of-team-gone"_s), u"o3-mini"_s).deniedBy,
                 Layer::Key);
        // The member scope of a deleted user still applies.
        QCOMPARE(engine.decide(engine.findKey(u"search-bob-dev"_s), u"gpt-4o"_s).deniedBy,
                 Layer::TeamMember);
        QCOMPARE(engine.decide(engine.findKey(u"group-gone"_s), u"o3-mini"_s).deniedBy, Layer::Key);
        QVERIFY(engine.decide(engine.findKey(u"project-gone"_s), u"o3-mini"_s).allowed());
    }

    void fromRelease199TheKeyOfADeletedTeamIsRefused() {
        m_api.proxy().setLiteLLMVersion(u"1.99.0"_s);
        const Result<Workspace> ws = snapshot();
        VERIFY_SUCCEEDS(ws);
        QCOMPARE(ws->source.litellmVersion, u"1.99.0"_s);
        QVERIFY(!ws->source.assumed.contains(u"litellm_version"_s));
        QVERIFY2(ws->source.warnings.contains(u"1 key(s) belong to teams that no longer exist; "
                                              u"LiteLLM 1.99.0 and newer refuse their requests"_s),
                 qPrintable(ws->source.warnings.join(u'\n')));

        const AccessEngine engine(*ws);
        const Decision orphan =
            engine.decide(engine.findKey(u"orphan-of-team-gone"_s), u"claude-3-5-sonnet"_s);
        QVERIFY(!orphan.allowed());
        QCOMPARE(orphan.deniedBy, Layer::Team);
        QVERIFY(std::ranges::any_of(orphan.trail, [](const TrailStep& step) {
            return step.rule == Rule::TeamNotFoundRefused;
        }));
        // Everything else decides as the same data at that release.
        Workspace at199 = m_data;
        at199.source.litellmVersion = u"1.99.0"_s;
        const QStringList models = candidateModels(m_data) + QStringList{u"retired-model"_s};
        QCOMPARE(decisionLines(*ws, models), decisionLines(at199, models));

        const CliRun check = onApi({u"check"_s, u"--key"_s, u"orphan-of-team-gone"_s, u"--model"_s,
                                    u"gpt-4o"_s, u"--json"_s});
        QCOMPARE(check.exitCode, 1);
        QVERIFY2(check.out.contains("\"rule\":\"team_not_found_refused\""), check.out.constData());
        QVERIFY2(check.out.contains("\"denied_by\":\"team\""), check.out.constData());
    }

    void aProxyThatHidesItsReleaseIsDecidedByTheNewestAssumed() {
        m_api.proxy().setReportsVersion(false);
        const Result<Workspace> ws = snapshot();
        VERIFY_SUCCEEDS(ws);
        QVERIFY(ws->source.litellmVersion.isEmpty());
        QVERIFY(ws->source.assumed.contains(u"litellm_version"_s));
        QVERIFY2(std::ranges::any_of(ws->source.warnings,
                                     [](const QString& w) {
                                         return w.contains(
                                                    u"does not show its LiteLLM release"_s) &&
                                                w.contains(u"--litellm-version"_s);
                                     }),
                 qPrintable(ws->source.warnings.join(u'\n')));
        const AccessEngine engine(*ws);
        const Decision orphan =
            engine.decide(engine.findKey(u"orphan-of-team-gone"_s), u"claude-3-5-sonnet"_s);
        QCOMPARE(orphan.deniedBy, Layer::Team);
        QVERIFY(orphan.assumedData != 0);
    }

    void cliChecksAndPreviewsWithWarnings() {
        const CliRun check = onApi({u"check"_s, u"--key"_s, u"orphan-of-team-gone"_s, u"--model"_s,
                                    u"gpt-4o"_s, u"--json"_s});
        QVERIFY2(check.exitCode == 0, check.err.constData());
        QVERIFY(check.out.contains("\"rule\":\"team_not_found\""));
        QVERIFY2(check.err.contains(".team_id: no team \"team-gone\" in this workspace"),
                 check.err.constData());

        const CliRun preview = onApi({u"preview"_s, u"--key"_s, u"project-gone"_s});
        QVERIFY2(preview.exitCode == 0, preview.err.constData());
        QVERIFY2(preview.err.contains(".project_id: no project \"proj-gone\" in this workspace"),
                 preview.err.constData());
    }
};

QTEST_GUILESS_MAIN(TstDanglingApi)
#include "tst_dangling_api.moc"
