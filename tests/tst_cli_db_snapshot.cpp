// litescope-cli reading a LiteLLM database (--db): `snapshot -o FILE` (every user and key, never a
// password hash or a deployment's credentials; the file loads); the done-criterion of the --db
// issue: for every key of the seed and every model it could name, `check --db` and `check
// --workspace` on the snapshot give identical decision lines, on both schema levels, one batch per
// source; preview and validate over --db against the snapshot; the schema before LiteLLM v1.83.14
// (scope edits refused, nothing written; other edits work); an unreachable server; passwords in
// the connection string. Edits over --db: tst_cli_db.cpp.
#include "support/CliPgSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope::test;

Q_DECLARE_METATYPE(litescope::test::Level)

namespace {

// Secrets planted in the database before a snapshot; none may reach the file.
const QString PasswordHash = u"$2b$12$CliSnapshotPasswordHashMustNeverLeak.0123456789abcdefg"_s;
const QString MasterKey = u"sk-master-cli-snapshot-secret-4711"_s;
const QString LangfuseSecret = u"lf-cli-snapshot-secret-0815"_s;
const QString RedisPassword = u"redis-cli-snapshot-secret-1234"_s;

QSet<QString> lineSet(const QString& psqlOutput) {
    const QStringList lines = psqlOutput.split(u'\n', Qt::SkipEmptyParts);
    return QSet<QString>(lines.cbegin(), lines.cend());
}

} // namespace

class TstCliDbSnapshot : public QObject {
    Q_OBJECT

private:
    CliPgFixture m_pg;
    QTemporaryDir m_dir;
    int m_files = 0;

    QString newFile() { return m_dir.filePath(u"snapshot-%1.json"_s.arg(++m_files)); }

    // Runs `args` against `db` (--db and its URI appended). Assign the result before
    // EXPECT_EXIT: the macro evaluates its argument more than once.
    CliRun onDb(const QString& db, const QStringList& args, const QByteArray& input = {}) {
        return runCli(args + QStringList{u"--db"_s, m_pg.uri(db)}, input);
    }

    // Writes a snapshot of `db` to a new file and returns its path (empty on failure).
    QString snapshotOf(const QString& db) {
        const QString file = newFile();
        const CliRun run = onDb(db, {u"snapshot"_s, u"-o"_s, file});
        if (run.exitCode != 0) {
            qWarning("%s", qPrintable(describe(run)));
            return {};
        }
        return file;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_dir.isValid(), "temporary directory");
        QVERIFY2(QFile::exists(cliPath()), "litescope-cli is built");
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_pg.stop(); }

    // ---- snapshot ------------------------------------------------------------------------------

    void snapshotContents_data() {
        QTest::addColumn<Level>("level");
        QTest::newRow("newest") << Level::Newest;
        QTest::newRow("pre-member-scope") << Level::PreMemberScope;
    }

    void snapshotContents() {
        QFETCH(Level, level);
        PGTEST_FRESH_DATABASE(m_pg, db, level);
        PGTEST_EXEC(m_pg, db,
                    u"UPDATE \"LiteLLM_UserTable\" SET password = '"_s + PasswordHash +
                        u"' WHERE user_id = '"_s + seed::alice +
                        u"';\n"
                        u"UPDATE \"LiteLLM_Config\" SET param_value = param_value || "
                        u"'{\"master_key\": \""_s +
                        MasterKey +
                        u"\"}' WHERE param_name = 'general_settings';\n"
                        u"UPDATE \"LiteLLM_Config\" SET param_value = param_value || "
                        u"'{\"langfuse_secret\": \""_s +
                        LangfuseSecret +
                        u"\"}' WHERE param_name = 'litellm_settings';\n"
                        u"INSERT INTO \"LiteLLM_Config\" (param_name, param_value) VALUES "
                        u"('router_settings', '{\"redis_password\": \""_s +
                        RedisPassword + u"\", \"model_group_alias\": {\"best\": \"gpt-4o\"}}');"_s);
        const QString file = newFile();
        const CliRun run = onDb(db, {u"snapshot"_s, u"-o"_s, file});
        EXPECT_EXIT(run, 0);
        QCOMPARE(QString::fromUtf8(run.out),
                 u"Wrote "_s + file +
                     u": 4 teams, 6 members with a membership row, 8 users, 8 keys, 5 proxy "
                     u"models.\n"_s);
        // The seed's schema places the release only roughly (tst_pgstore_release): a stand-in,
        // said twice, once for the decisions and once as the snapshot's warning.
        const QString release = level == Level::Newest ? u"1.92.0"_s : u"1.83.14"_s;
        const QStringList warnings = textLines(run.err);
        QCOMPARE(warnings.size(), 2);
        QVERIFY2(warnings[0].startsWith(u"litescope-cli: warning: this source cannot say exactly "
                                        u"which LiteLLM release the proxy runs; decisions follow "
                                        u"LiteLLM "_s +
                                        release),
                 run.err.constData());
        QVERIFY2(warnings[1].startsWith(u"litescope-cli: warning: The database"_s) &&
                     warnings[1].contains(u"unless --litellm-version says otherwise"_s),
                 run.err.constData());

        const CliRun validate = runCli({u"validate"_s, u"--workspace"_s, file});
        EXPECT_EXIT(validate, 0);
        QVERIFY(textLines(validate.out).constLast().startsWith(u"0 errors, "_s));

        const QJsonObject ws = readJsonObject(file);
        QCOMPARE(ws[u"source"_s][u"kind"_s].toString(), u"postgres"_s);
        QCOMPARE(ws[u"source"_s][u"litellm_version"_s].toString(), release);
        QVERIFY(ws[u"source"_s][u"assumed"_s].toArray().contains(u"litellm_version"_s));
        QCOMPARE(ws[u"source"_s][u"label"_s].toString(),
                 u"postgres@127.0.0.1:%1/"_s.arg(m_pg.cluster().port()) + db);
        QSet<QString> users, keys;
        for (const QJsonValue& user : ws[u"users"_s].toArray())
            users.insert(user[u"user_id"_s].toString());
        for (const QJsonValue& key : ws[u"keys"_s].toArray()) {
            keys.insert(key[u"token"_s].toString());
            if (key[u"token"_s] == seed::davePersonalKey) {
                QCOMPARE(key[u"blocked"_s], QJsonValue(true)); // blocked, no alias: still there
                QVERIFY(key[u"key_alias"_s].isNull());
            }
        }
        QCOMPARE(users, lineSet(m_pg.sql(db, u"SELECT user_id FROM \"LiteLLM_UserTable\";"_s)));
        QCOMPARE(keys,
                 lineSet(m_pg.sql(db, u"SELECT token FROM \"LiteLLM_VerificationToken\";"_s)));
        QCOMPARE(ws[u"model_group_alias"_s][u"best"_s].toString(), u"gpt-4o"_s);

        const QByteArray bytes = readBytes(file);
        QStringList secrets{PasswordHash, MasterKey, LangfuseSecret, RedisPassword};
        secrets += m_pg.sql(db, u"SELECT litellm_params->>'api_key' FROM "
                                u"\"LiteLLM_ProxyModelTable\";"_s)
                       .split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(secrets.size(), 9);
        for (const QString& secret : secrets)
            QVERIFY2(!bytes.contains(secret.toUtf8()), qPrintable(secret));
        QVERIFY(!bytes.contains("\"password\""));
        QVERIFY(!bytes.contains("api_key"));
    }

    void snapshotRefusals() {
        PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
        CliRun run = onDb(db, {u"snapshot"_s});
        EXPECT_EXIT(run, 2);
        QCOMPARE(run.err, QByteArray("litescope-cli: snapshot needs -o FILE.\n"));
        run = onDb(db, {u"snapshot"_s, u"-o"_s, m_dir.filePath(u"no-such-dir/x.json"_s)});
        EXPECT_EXIT(run, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY(run.err.contains("no-such-dir"));
        run = runCli({u"snapshot"_s, u"-o"_s, newFile()});
        EXPECT_EXIT(run, 2);
        QVERIFY(run.err.contains("--workspace FILE, --db CONNECTION or --api URL"));
        // --read-only reads; a workspace file snapshots to a file that loads too.
        run = onDb(db, {u"snapshot"_s, u"--read-only"_s, u"-o"_s, newFile()});
        EXPECT_EXIT(run, 0);
        const QString copy = newFile();
        run = runCli({u"snapshot"_s, u"--workspace"_s, demoPath(), u"-o"_s, copy});
        EXPECT_EXIT(run, 0);
        run = runCli({u"validate"_s, u"-w"_s, copy});
        EXPECT_EXIT(run, 0);
    }

    // ---- check --db == check --workspace snapshot ----------------------------------------------

    void checkMatchesSnapshot_data() {
        QTest::addColumn<Level>("level");
        QTest::addColumn<bool>("edited");
        QTest::newRow("newest") << Level::Newest << false;
        QTest::newRow("pre-member-scope") << Level::PreMemberScope << false;
        QTest::newRow("newest, after edits") << Level::Newest << true;
    }

    // THE done-criterion: every key of the database × every model its preview lists (plus names
    // that are not deployments: aliases, access groups, unknown), named by alias, token or raw
    // key, decided by `check --db` and by `check --workspace snapshot.json`: identical lines.
    void checkMatchesSnapshot() {
        QFETCH(Level, level);
        QFETCH(bool, edited);
        PGTEST_FRESH_DATABASE(m_pg, db, level);
        if (edited) {
            using namespace seed;
            const QList<QStringList> edits{
                {u"member"_s, u"set-scope"_s, u"-t"_s, searchTeam, u"-u"_s, erin, u"-m"_s,
                 u"search-rerank"_s},
                {u"member"_s, u"add"_s, u"-t"_s, legacyTeam, u"-u"_s, alice},
                {u"team"_s, u"unblock"_s, u"-t"_s, legacyTeam},
                {u"team"_s, u"block"_s, u"-t"_s, supportTeam},
                {u"team"_s, u"set-models"_s, u"-t"_s, mlTeam, u"--all-proxy-models"_s},
                {u"key"_s, u"set-models"_s, u"-k"_s, u"sk-seed-search-prod"_s, u"-m"_s,
                 u"gpt-4o-mini"_s, u"-m"_s, u"production-models"_s},
                {u"member"_s, u"remove"_s, u"-t"_s, mlTeam, u"-u"_s, bob},
            };
            for (const QStringList& args : edits) {
                const CliRun run = onDb(db, args);
                EXPECT_EXIT(run, 0);
            }
            // Router aliases saved through the admin UI, one of them hidden.
            PGTEST_EXEC(m_pg, db,
                        u"INSERT INTO \"LiteLLM_Config\" (param_name, param_value) VALUES "
                        u"('router_settings', '{\"model_group_alias\": {\"best\": \"gpt-4o\", "
                        u"\"quiet\": {\"model\": \"claude-3-5-sonnet\", \"hidden\": true}}}');"_s);
        }
        const QString file = snapshotOf(db);
        QVERIFY(!file.isEmpty());
        const QJsonArray keys = readJsonObject(file)[u"keys"_s].toArray();
        QCOMPARE(keys.size(), 8);

        const QStringList extraModels{u"fast"_s, u"my-fast"_s, u"beta-models"_s,
                                      u"best"_s, u"quiet"_s,   u"no-such-model"_s};
        QByteArray requests;
        qsizetype count = 0;
        auto add = [&](const QString& key, const QJsonValue& model) {
            requests += QJsonDocument(QJsonObject{{u"key"_s, key}, {u"model"_s, model}})
                            .toJson(QJsonDocument::Compact) +
                        '\n';
            ++count;
        };
        for (qsizetype i = 0; i < keys.size(); ++i) {
            const QString key = keyName(keys[i].toObject(), i);
            const CliRun preview =
                runCli({u"preview"_s, u"--workspace"_s, file, u"--key"_s, key, u"--json"_s});
            EXPECT_EXIT(preview, 0);
            QList<QJsonObject> rows;
            PARSE_JSON_LINES(preview.out, rows);
            QVERIFY(rows.size() >= 4);
            for (const QJsonObject& row : rows)
                add(key, row[u"model"_s]);
            for (const QString& model : extraModels)
                add(key, model);
            add(key, QJsonArray{u"gpt-4o"_s, u"gpt-4o-mini"_s});
        }
        for (const auto& [raw, token] : seed::rawKeys) {
            add(raw, u"gpt-4o-mini"_s);
            add(token, u"claude-3-5-sonnet"_s);
        }

        const CliRun fromDb =
            onDb(db, {u"check"_s, u"--requests"_s, u"-"_s, u"--json"_s}, requests);
        EXPECT_EXIT(fromDb, 0);
        const CliRun fromFile = runCli(
            {u"check"_s, u"--workspace"_s, file, u"--requests"_s, u"-"_s, u"--json"_s}, requests);
        EXPECT_EXIT(fromFile, 0);
        // The seed saved litellm_settings but no router settings: the aliases are assumed, said
        // once by each run (the snapshot file keeps the assumption); rows that save router
        // settings assume nothing. The seed's schema places the release only roughly: that is
        // said once too.
        const QString assumed = u"litescope-cli: warning: this source cannot show "
                                u"model_group_alias; decisions assume LiteLLM's defaults"_s;
        const QString release = u"litescope-cli: warning: this source cannot say exactly which "
                                u"LiteLLM release the proxy runs"_s;
        const QStringList warnings = textLines(fromDb.err);
        QVERIFY2(warnings.size() <= 2 && warnings.constLast().startsWith(release) &&
                     (warnings.size() == 1 || warnings[0].startsWith(assumed)),
                 fromDb.err.constData());
        QCOMPARE(fromFile.err, fromDb.err);
        QList<QJsonObject> dbLines, fileLines;
        PARSE_JSON_LINES(fromDb.out, dbLines);
        PARSE_JSON_LINES(fromFile.out, fileLines);
        QCOMPARE(dbLines.size(), count);
        QCOMPARE(fileLines.size(), count);
        QSet<QString> deniedBy;
        int allowed = 0;
        for (qsizetype i = 0; i < count; ++i) {
            VERIFY_DECISION(dbLines[i]);
            for (const QString& field :
                 {u"key"_s, u"model"_s, u"allowed"_s, u"denied_by"_s, u"reason"_s, u"trail"_s})
                QCOMPARE(dbLines[i][field], fileLines[i][field]);
            allowed += dbLines[i][u"allowed"_s].toBool() ? 1 : 0;
            deniedBy.insert(dbLines[i][u"denied_by"_s].toString());
        }
        QCOMPARE(fromDb.out, fromFile.out);
        // The seed exercises the layers: some allowed, refusals by the key and the team layer, and
        // by a member scope where the schema has them.
        QVERIFY(allowed > 0 && allowed < count);
        QVERIFY2(deniedBy.contains(u"key"_s) && deniedBy.contains(u"team"_s),
                 qPrintable(QStringList(deniedBy.cbegin(), deniedBy.cend()).join(u',')));
        if (level == Level::Newest)
            QVERIFY(deniedBy.contains(u"team_member"_s));
    }

    // preview (every key, by key and by member, text and JSON) and validate read the same over
    // --db as from the snapshot.
    void readingCommandsMatchSnapshot_data() {
        QTest::addColumn<Level>("level");
        QTest::newRow("newest") << Level::Newest;
        QTest::newRow("pre-member-scope") << Level::PreMemberScope;
    }

    void readingCommandsMatchSnapshot() {
        QFETCH(Level, level);
        PGTEST_FRESH_DATABASE(m_pg, db, level);
        const QString file = snapshotOf(db);
        QVERIFY(!file.isEmpty());
        QList<QStringList> commands;
        for (const auto& [raw, token] : seed::rawKeys)
            commands.append({u"preview"_s, u"--key"_s, token, u"--json"_s});
        commands.append({u"preview"_s, u"--key"_s, u"bob-notebook"_s});
        commands.append({u"preview"_s, u"--key"_s, u"sk-seed-search-erin-q8Xc"_s});
        commands.append(
            {u"preview"_s, u"--team"_s, u"ML Research"_s, u"--member"_s, u"bob@example.com"_s});
        commands.append({u"preview"_s, u"-t"_s, seed::searchTeam, u"-u"_s, seed::erin, u"--json"_s,
                         u"-m"_s, u"fast"_s});
        commands.append({u"preview"_s, u"-t"_s, u"Support Bots"_s, u"-u"_s, seed::svc});
        commands.append({u"validate"_s});
        commands.append({u"check"_s, u"-k"_s, u"bob-notebook"_s, u"-m"_s, u"gpt-4o"_s, u"-m"_s,
                         u"claude-3-5-sonnet"_s});
        commands.append({u"check"_s, u"-k"_s, u"legacy-sandbox"_s, u"-m"_s, u"gpt-4o-mini"_s});
        for (const QStringList& command : commands) {
            const CliRun fromDb = onDb(db, command + QStringList{u"--read-only"_s});
            const CliRun fromFile = runCli(command + QStringList{u"--workspace"_s, file});
            QVERIFY2(fromDb.finished && fromDb.exitCode == fromFile.exitCode &&
                         fromDb.exitCode != 2,
                     qPrintable(command.join(u' ') + u'\n' + describe(fromDb)));
            QVERIFY2(!fromDb.out.isEmpty(), qPrintable(command.join(u' ')));
            QCOMPARE(fromDb.out, fromFile.out);
            QCOMPARE(fromDb.err, fromFile.err);
        }
    }

    // ---- a database before LiteLLM v1.83.14 ----------------------------------------------------

    void preMemberScopeRefusesScopes_data() {
        QTest::addColumn<QStringList>("args");
        const QStringList bob{u"-t"_s, u"ML Research"_s, u"-u"_s, u"bob@example.com"_s};
        QTest::newRow("member set-scope")
            << QStringList{u"member"_s, u"set-scope"_s, u"-m"_s, u"gpt-4o"_s} + bob;
        QTest::newRow("member set-scope --all-team-models")
            << QStringList{u"member"_s, u"set-scope"_s, u"--all-team-models"_s} + bob;
        QTest::newRow("member add --model")
            << QStringList{u"member"_s,       u"add"_s,        u"-t"_s,
                           u"Support Bots"_s, u"-u"_s,         u"alice@example.com"_s,
                           u"-m"_s,           u"gpt-4o-mini"_s};
        QTest::newRow("team set-default-member-models") << QStringList{
            u"team"_s,  u"set-default-member-models"_s, u"-t"_s, u"ML Research"_s, u"-m"_s,
            u"gpt-4o"_s};
    }

    void preMemberScopeRefusesScopes() {
        QFETCH(QStringList, args);
        PGTEST_FRESH_DATABASE(m_pg, db, Level::PreMemberScope);
        const QString before = m_pg.dump(db);
        const CliRun run = onDb(db, args);
        EXPECT_EXIT(run, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.contains("older than LiteLLM v1.83.14"), run.err.constData());
        QCOMPARE(m_pg.dump(db), before);
    }

    // Everything else works on the older schema.
    void preMemberScopeOtherEdits() {
        using namespace seed;
        PGTEST_FRESH_DATABASE(m_pg, db, Level::PreMemberScope);
        const QList<QStringList> edits{
            {u"member"_s, u"add"_s, u"-t"_s, supportTeam, u"-u"_s, u"bob@example.com"_s},
            {u"member"_s, u"update"_s, u"-t"_s, supportTeam, u"-u"_s, bob, u"--max-budget"_s,
             u"3"_s, u"--role"_s, u"admin"_s},
            {u"member"_s, u"remove"_s, u"-t"_s, mlTeam, u"-u"_s, dave},
            {u"team"_s, u"set-models"_s, u"-t"_s, supportTeam, u"-m"_s, u"gpt-4o"_s},
            {u"team"_s, u"set-alias"_s, u"-t"_s, supportTeam, u"--alias"_s, u"Bots"_s},
            {u"team"_s, u"block"_s, u"-t"_s, u"Bots"_s},
            {u"key"_s, u"set-models"_s, u"-k"_s, u"sk-seed-support-bot-Lm2v"_s, u"-m"_s, u"x"_s},
        };
        for (const QStringList& args : edits) {
            const CliRun run = onDb(db, args);
            EXPECT_EXIT(run, 0);
        }
        QCOMPARE(m_pg.sql(db, u"SELECT team_alias, blocked, array_to_json(models) FROM "
                              u"\"LiteLLM_TeamTable\" WHERE team_id = 'team-support-bots';"_s),
                 u"Bots|t|[\"gpt-4o\"]"_s);
        QCOMPARE(m_pg.sql(db, u"SELECT b.max_budget FROM \"LiteLLM_TeamMembership\" m JOIN "
                              u"\"LiteLLM_BudgetTable\" b USING (budget_id) WHERE m.team_id = "
                              u"'team-support-bots' AND m.user_id = '"_s +
                                  bob + u"';"_s),
                 u"3"_s);
        QCOMPARE(m_pg.newAuditRows(db).size(), edits.size());
    }

    // ---- connections ---------------------------------------------------------------------------

    void unreachableServer_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("edit") << QStringList{u"team"_s, u"block"_s, u"-t"_s, u"x"_s};
        QTest::newRow("snapshot") << QStringList{u"snapshot"_s, u"-o"_s, u"/nonexistent/x.json"_s};
        QTest::newRow("check") << QStringList{u"check"_s, u"-k"_s, u"x"_s, u"-m"_s, u"y"_s};
    }

    void unreachableServer() {
        QFETCH(QStringList, args);
        const CliRun run =
            runCli(args + QStringList{u"--db"_s, u"postgresql://postgres@127.0.0.1:1/litellm"_s},
                   {}, 30000);
        EXPECT_EXIT(run, 2);
        QVERIFY(run.out.isEmpty());
        const QString err = QString::fromUtf8(run.err);
        QVERIFY2(err.startsWith(u"litescope-cli: Could not connect to the database "
                                u"postgres@127.0.0.1:1/litellm: "_s),
                 qPrintable(err));
        QVERIFY2(err.contains(u"Check the host, port, database name and credentials"_s),
                 qPrintable(err));
        QCOMPARE(err.count(u'\n'), 1);
    }

    // A password in --db never reaches the output, a message or the snapshot file; the CLI warns
    // once that the process list shows it.
    void passwordInConnectionString_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("target"); // live, dead (port 1), invalid, keyvalue
        QTest::addColumn<int>("exitCode");
        const QString out = m_dir.filePath(u"pw-snapshot.json"_s);
        QTest::newRow("snapshot") << QStringList{u"snapshot"_s, u"-o"_s, out} << u"live"_s << 0;
        QTest::newRow("check") << QStringList{u"check"_s, u"-k"_s,     u"ml-research-ci"_s,
                                              u"-m"_s,    u"gpt-4o"_s, u"--json"_s}
                               << u"live"_s << 0;
        QTest::newRow("edit") << QStringList{u"team"_s, u"block"_s, u"-t"_s, u"ML Research"_s,
                                             u"--json"_s}
                              << u"live"_s << 0;
        QTest::newRow("refused edit")
            << QStringList{u"team"_s, u"block"_s, u"-t"_s, u"nope"_s} << u"live"_s << 2;
        QTest::newRow("read-only")
            << QStringList{u"team"_s, u"block"_s, u"-t"_s, u"ML Research"_s, u"--read-only"_s}
            << u"live"_s << 2;
        QTest::newRow("unreachable")
            << QStringList{u"team"_s, u"block"_s, u"-t"_s, u"x"_s} << u"dead"_s << 2;
        // libpq's parse error would quote the whole URI, password included: the CLI says what is
        // wrong in its own words, and sees the password by the string's shape.
        QTest::newRow("invalid URI")
            << QStringList{u"team"_s, u"block"_s, u"-t"_s, u"x"_s} << u"invalid"_s << 2;
        QTest::newRow("key=value string")
            << QStringList{u"check"_s, u"-k"_s, u"ml-research-ci"_s, u"-m"_s, u"gpt-4o"_s}
            << u"keyvalue"_s << 0;
    }

    void passwordInConnectionString() {
        QFETCH(QStringList, args);
        QFETCH(QString, target);
        QFETCH(int, exitCode);
        PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
        const QString password = u"pw-S3cret-7d1f"_s;
        QString connection = m_pg.uriWithPassword(db, password);
        if (target == u"dead"_s)
            connection = u"postgresql://postgres:"_s + password + u"@127.0.0.1:1/litellm"_s;
        else if (target == u"invalid"_s)
            connection = u"postgresql://postgres:"_s + password + u"@[::1/litellm"_s;
        else if (target == u"keyvalue"_s)
            connection = m_pg.cluster().keyValue(db) + u" password="_s + password;
        const CliRun run = runCli(args + QStringList{u"--db"_s, connection});
        EXPECT_EXIT(run, exitCode);
        QVERIFY2(!run.out.contains(password.toUtf8()), run.out.constData());
        QVERIFY2(!run.err.contains(password.toUtf8()), run.err.constData());
        const QByteArray warning =
            "litescope-cli: warning: the --db connection string holds a password, which other "
            "users can see in the process list; use PGPASSWORD or ~/.pgpass instead.\n";
        QVERIFY2(run.err.startsWith(warning), run.err.constData());
        QCOMPARE(run.err.count(warning), 1);
        if (args.first() == u"snapshot"_s) {
            const QByteArray file = readBytes(args.last());
            QVERIFY(!file.contains(password.toUtf8()));
            const QByteArray label =
                "postgres@127.0.0.1:" + QByteArray::number(m_pg.cluster().port()) + '/' +
                db.toUtf8();
            QVERIFY(file.contains(label));
        }
    }
};

QTEST_GUILESS_MAIN(TstCliDbSnapshot)
#include "tst_cli_db_snapshot.moc"
