// Rows that refer to rows that no longer exist, in a LiteLLM database (LiteLLM's tables have few
// foreign keys): a key whose team was deleted, a membership of a deleted team and one of a
// deleted user, a key naming an access group that is gone, an access group naming a removed
// model. The snapshot keeps them all and warns; the engine
// decides them as LiteLLM does (tests/conformance/scenarios/dangling-references.json has the
// rules with their sources); `litescope-cli snapshot`, `check` and `preview --db` work and warn.
#include "engine/AccessEngine.h"
#include "engine/DecisionText.h"
#include "engine/WorkspaceValidator.h"
#include "support/CliRunner.h"
#include "support/PgStoreTestSupport.h"
#include "workspace/WorkspaceJson.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

const QString GoneTeam = u"team-deleted-long-ago"_s;

// The seed's schema places the proxy at 1.92.0 or newer, older than 1.103.0: whether it refuses
// keys of deleted teams (1.99.0) is not known from it, so each test says which release it means.
const LiteLLMVersion BeforeRefusal{1, 98, 0};
const LiteLLMVersion WithRefusal{1, 99, 0};

// Every kind of dangling row on top of the seed.
const QString DanglingSql =
    // ml-research-ci (alice's key) now names a team without a row, and alice has a membership of
    // that team whose scope LiteLLM still reads by (user_id, team_id).
    u"UPDATE \"LiteLLM_VerificationToken\" SET team_id = 'team-deleted-long-ago' "
    u"WHERE key_alias = 'ml-research-ci';"
    u"INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, allowed_models, created_at, created_by, "
    u"updated_at, updated_by) VALUES ('budget-orphan', ARRAY['gpt-4o'], now(), 'x', now(), 'x');"
    u"INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, spend, budget_id) VALUES "
    u"('3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11', 'team-deleted-long-ago', 0, 'budget-orphan');"
    // bob's user row is deleted; his membership of ml-research and his key stay. (His
    // organization membership has a foreign key: it goes first, as /user/delete removes it.)
    u"DELETE FROM \"LiteLLM_OrganizationMembership\" "
    u"WHERE user_id = '8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22';"
    u"DELETE FROM \"LiteLLM_UserTable\" WHERE user_id = '8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22';"
    // support-bot names a group that is gone; research-tools names a removed model.
    u"UPDATE \"LiteLLM_VerificationToken\" SET access_group_ids = "
    u"ARRAY['ag-support-models', 'ag-removed'] WHERE key_alias = 'support-bot';"
    u"UPDATE \"LiteLLM_AccessGroupTable\" SET access_model_names = ARRAY['gpt-4o', "
    u"'retired-model'] WHERE access_group_id = 'ag-research-tools';"_s;
// (A key of a project that is gone cannot happen here: project_id has a foreign key. The fake
// proxy's suite and the conformance scenarios cover it.)

QString ruleOf(const Decision& decision, Stage stage) {
    for (const TrailStep& step : decision.trail)
        if (step.stage == stage)
            return ruleName(step.rule);
    return {};
}

} // namespace

class TstDanglingPg : public QObject {
    Q_OBJECT

private:
    PgStoreFixture m_pg;
    QTemporaryDir m_dir;

    QString danglingDatabase() {
        QString error;
        const QString db = m_pg.freshDatabase(Level::Newest, &error);
        if (db.isEmpty()) {
            qWarning("%s", qPrintable(error));
            return {};
        }
        const QString out = m_pg.sql(db, DanglingSql);
        if (out.startsWith(u"SQL ERROR: "_s)) {
            qWarning("%s", qPrintable(out));
            return {};
        }
        return db;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_dir.isValid(), "temporary directory");
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_pg.stop(); }

    void snapshotKeepsAndWarns() {
        const QString db = danglingDatabase();
        QVERIFY(!db.isEmpty());
        const QString seedKeys =
            m_pg.sql(db, u"SELECT count(*) FROM \"LiteLLM_VerificationToken\";"_s);
        auto store = m_pg.store(db);
        store->setLiteLLMVersion(BeforeRefusal);
        const Result<Workspace> ws = awaitTask(store->snapshot());
        VERIFY_SUCCEEDS(ws);
        QCOMPARE(QString::number(ws->keys.size()), seedKeys.trimmed());
        QVERIFY2(ws->source.warnings.contains(u"1 key(s) belong to teams that no longer exist; "
                                              u"LiteLLM before 1.99.0 serves them with no team "
                                              u"limits, newer releases refuse them"_s),
                 qPrintable(ws->source.warnings.join(u'\n')));
        QVERIFY2(std::ranges::any_of(ws->source.warnings,
                                     [](const QString& w) {
                                         return w.contains(u"reference(s) name rows that do not "
                                                           u"exist"_s);
                                     }),
                 qPrintable(ws->source.warnings.join(u'\n')));

        // Every kind is in the reference warnings, with its path.
        const QStringList refs = workspace::referenceWarnings(*ws);
        for (const QString& expected :
             {u".team_id: no team \"team-deleted-long-ago\""_s,
              u".user_id: no user \"8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22\""_s,
              u".access_group_ids[1]: no access group \"ag-removed\""_s})
            QVERIFY2(
                std::ranges::any_of(refs, [&](const QString& w) { return w.contains(expected); }),
                qPrintable(expected + u"\n"_s + refs.join(u'\n')));

        // The file it is saved as loads back with the same warnings.
        const Result<Workspace> reread = workspace::parse(workspace::serialize(*ws));
        VERIFY_SUCCEEDS(reread);
        QCOMPARE(reread->source.warnings, ws->source.warnings);

        // The validator names the removed model of the access group.
        const AccessEngine engine(*ws);
        const QList<ValidationIssue> issues = validateWorkspace(engine);
        QVERIFY(std::ranges::any_of(issues, [](const ValidationIssue& issue) {
            return issue.path.startsWith(u"access_groups["_s) &&
                   issue.message.contains(u"\"retired-model\""_s);
        }));
    }

    // The snapshot checks the keys' references on the connection that read them, the rest after
    // everything is read: its line is the one the whole workspace gives, first warning and count,
    // whether the first dangling reference is a membership's or a key's (then a user's follow).
    void summaryAsTheWholeWorkspaceGivesIt() {
        QString error;
        const QString keysOnly = m_pg.freshDatabase(Level::Newest, &error);
        QVERIFY2(!keysOnly.isEmpty(), qPrintable(error));
        const QString out =
            m_pg.sql(keysOnly,
                     u"UPDATE \"LiteLLM_VerificationToken\" SET team_id = 'team-deleted-long-ago' "
                     u"WHERE key_alias = 'ml-research-ci';"
                     u"UPDATE \"LiteLLM_VerificationToken\" SET user_id = 'user-deleted-long-ago', "
                     u"access_group_ids = ARRAY['ag-removed'] WHERE key_alias = 'support-bot';"
                     u"UPDATE \"LiteLLM_UserTable\" SET teams = ARRAY['team-gone-too'] "
                     u"WHERE user_id = '3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11';"_s);
        QVERIFY2(!out.startsWith(u"SQL ERROR: "_s), qPrintable(out));
        for (const QString& db : {danglingDatabase(), keysOnly}) {
            QVERIFY(!db.isEmpty());
            const Result<Workspace> ws = awaitTask(m_pg.store(db)->snapshot());
            VERIFY_SUCCEEDS(ws);
            const QString summary = workspace::referenceSummary(*ws);
            QVERIFY(!summary.isEmpty());
            QVERIFY2(ws->source.warnings.contains(summary),
                     qPrintable(summary + u"\n"_s + ws->source.warnings.join(u'\n')));
            QVERIFY2(ws->source.warnings.contains(
                         u"1 key(s) belong to teams that no longer exist; LiteLLM before 1.99.0 "
                         u"serves them with no team limits, newer releases refuse them"_s),
                     qPrintable(ws->source.warnings.join(u'\n')));
        }
        const Result<Workspace> ws = awaitTask(m_pg.store(keysOnly)->snapshot());
        VERIFY_SUCCEEDS(ws);
        const QStringList refs = workspace::referenceWarnings(*ws);
        QCOMPARE(refs.size(), 4); // a key's team, another key's user and group, a user's team
        QVERIFY2(refs.first().startsWith(u"keys["_s) && refs.last().startsWith(u"users["_s),
                 qPrintable(refs.join(u'\n')));
    }

    void decidedAsLiteLLMDoes() {
        const QString db = danglingDatabase();
        QVERIFY(!db.isEmpty());
        auto store = m_pg.store(db);
        store->setLiteLLMVersion(BeforeRefusal);
        const Result<Workspace> ws = awaitTask(store->snapshot());
        VERIFY_SUCCEEDS(ws);
        const AccessEngine engine(*ws);

        // The key of the deleted team: the team copy allows everything; alice's membership of
        // that team still limits her to gpt-4o; her project (gpt-4o, claude) still applies.
        const std::int32_t orphan = engine.findKey(u"ml-research-ci"_s);
        QVERIFY(orphan >= 0);
        const Decision gpt = engine.decide(orphan, u"gpt-4o"_s);
        QVERIFY(gpt.allowed());
        QCOMPARE(ruleOf(gpt, Stage::TeamModels), u"team_not_found"_s);
        const Decision claude = engine.decide(orphan, u"claude-3-5-sonnet"_s);
        QCOMPARE(claude.deniedBy, Layer::TeamMember);
        const QString reason = reasonFor(engine, ModelRequest::single(u"gpt-4o"_s), gpt);
        QVERIFY2(reason.contains(u"team \"team-deleted-long-ago\" does not exist"_s),
                 qPrintable(reason));

        // bob's user row is gone: his membership scope still applies to his key.
        const std::int32_t bobKey = engine.findKey(u"bob-notebook"_s);
        QVERIFY(bobKey >= 0);
        QVERIFY(engine.compiled().keys()[bobKey].membership >= 0);

        // support-bot's missing group is skipped; its other group still grants.
        const std::int32_t bot = engine.findKey(u"support-bot"_s);
        QVERIFY(engine.decide(bot, u"claude-3-5-sonnet"_s).allowed());
    }

    // From 1.99.0 on the key of the deleted team is refused (PR #37962); the rest is as before.
    void refusedFromRelease199() {
        const QString db = danglingDatabase();
        QVERIFY(!db.isEmpty());
        auto store = m_pg.store(db);
        store->setLiteLLMVersion(WithRefusal);
        const Result<Workspace> ws = awaitTask(store->snapshot());
        VERIFY_SUCCEEDS(ws);
        QCOMPARE(ws->source.litellmVersion, u"1.99.0"_s);
        QVERIFY(!ws->source.assumed.contains(u"litellm_version"_s));
        const AccessEngine engine(*ws);
        const std::int32_t orphan = engine.findKey(u"ml-research-ci"_s);
        QVERIFY(orphan >= 0);
        const Decision gpt = engine.decide(orphan, u"gpt-4o"_s);
        QVERIFY(!gpt.allowed());
        QCOMPARE(gpt.deniedBy, Layer::Team);
        QCOMPARE(ruleOf(gpt, Stage::TeamModels), u"team_not_found_refused"_s);
        // bob's key is of a team that exists: decided as in every release.
        const std::int32_t bobKey = engine.findKey(u"bob-notebook"_s);
        QVERIFY(engine.decide(bobKey, u"gpt-4o"_s).allowed());

        const CliRun check =
            runCli({u"check"_s, u"--key"_s, u"ml-research-ci"_s, u"--model"_s, u"gpt-4o"_s,
                    u"--json"_s, u"--db"_s, m_pg.uri(db), u"--litellm-version"_s, u"1.99.0"_s});
        QVERIFY2(check.exitCode == 1, check.err.constData()); // refused
        QVERIFY2(check.out.contains("\"rule\":\"team_not_found_refused\""), check.out.constData());
        QVERIFY(check.out.contains("\"allowed\":false"));
    }

    void cliWorksAndWarns() {
        const QString db = danglingDatabase();
        QVERIFY(!db.isEmpty());
        const QStringList source{u"--db"_s, m_pg.uri(db), u"--litellm-version"_s,
                                 BeforeRefusal.toString()};

        const QString file = m_dir.filePath(u"dangling.json"_s);
        const CliRun snapshot = runCli(QStringList{u"snapshot"_s, u"-o"_s, file} + source);
        QVERIFY2(snapshot.exitCode == 0, snapshot.err.constData());
        QVERIFY2(snapshot.err.contains("warning: 1 key(s) belong to teams that no longer exist"),
                 snapshot.err.constData());

        const CliRun check = runCli(QStringList{u"check"_s, u"--key"_s, u"ml-research-ci"_s,
                                                u"--model"_s, u"gpt-4o"_s, u"--json"_s} +
                                    source);
        QVERIFY2(check.exitCode == 0, check.err.constData());
        QVERIFY(check.out.contains("\"rule\":\"team_not_found\""));
        QVERIFY2(check.err.contains("warning: keys[") &&
                     check.err.contains(".team_id: no team \"team-deleted-long-ago\""),
                 check.err.constData());

        // The saved file decides the same.
        const CliRun fromFile = runCli({u"check"_s, u"--key"_s, u"ml-research-ci"_s, u"--model"_s,
                                        u"gpt-4o"_s, u"--json"_s, u"--workspace"_s, file});
        QCOMPARE(fromFile.out, check.out);

        const CliRun preview =
            runCli(QStringList{u"preview"_s, u"--key"_s, u"bob-notebook"_s} + source);
        QVERIFY2(preview.exitCode == 0, preview.err.constData());
        QVERIFY2(preview.err.contains(".user_id: no user \"8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22\""),
                 preview.err.constData());

        const CliRun validate = runCli({u"validate"_s, u"--workspace"_s, file});
        QVERIFY2(validate.exitCode == 0, validate.out.constData());
        QVERIFY(validate.out.contains("\"retired-model\""));
    }
};

QTEST_GUILESS_MAIN(TstDanglingPg)
#include "tst_dangling_pg.moc"
