// litescope-cli edits against a workspace file (--workspace, which each edit rewrites): every
// verb's exit code, summary line, --json report and the file it leaves; teams, users and keys
// named by id, alias, email and raw key; --all-team-models and --all-proxy-models; model names
// that need escaping, byte for byte; fields litescope does not know surviving; the demo workspace
// deciding differently after an edit; concurrent edits of one file. Refusals (the file unchanged
// byte for byte) and help: tst_cli_edit_refusals.cpp. Fixtures: support/CliEditSupport.h.
#include "support/CliEditSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace litescope::test;

class TstCliEditWorkspace : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString freshAcme() { return write(acmeWithRawKey()); }
    QString freshDemo() { return write(readBytes(demoPath())); }
    QString write(const QByteArray& bytes) {
        return writeFixture(m_dir.filePath(u"ws-%1.json"_s.arg(++m_files)), bytes);
    }

    // Assign the result before EXPECT_EXIT: the macro evaluates its argument more than once.
    static CliRun onFile(const QString& path, const QStringList& args) {
        return runCli(args + QStringList{u"--workspace"_s, path});
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_dir.isValid(), "temporary directory");
        QVERIFY2(QFile::exists(QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli")),
                 "litescope-cli is built");
    }

    // ---- member edits --------------------------------------------------------------------------

    void memberSetScope_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("userId");
        QTest::addColumn<QStringList>("scope");
        QTest::addColumn<QString>("summary");
        QTest::newRow("team alias, user email")
            << QStringList{u"-t"_s, u"Search"_s,      u"-u"_s,      u"bob@acme.example"_s,
                           u"-m"_s, u"gpt-4o-mini"_s, u"--model"_s, u"claude-sonnet"_s}
            << u"u-bob"_s << QStringList{u"gpt-4o-mini"_s, u"claude-sonnet"_s}
            << u"team Search: member bob@acme.example: allowed_models [gpt-4o] -> [gpt-4o-mini, "
               u"claude-sonnet]"_s;
        QTest::newRow("team id, user id, shared budget")
            << QStringList{u"--team"_s, u"team-search"_s, u"--user"_s,
                           u"u-ann"_s,  u"-m"_s,          u"gpt-4o"_s}
            << u"u-ann"_s << QStringList{u"gpt-4o"_s}
            << u"team Search: member ann@acme.example: allowed_models [] (all team models) -> "
               u"[gpt-4o]"_s;
        QTest::newRow("roster entry with only an email")
            << QStringList{u"-t"_s, u"Search"_s, u"-u"_s, u"carol@acme.example"_s,
                           u"-m"_s, u"gpt-4o"_s}
            << u"u-carol"_s << QStringList{u"gpt-4o"_s}
            << u"team Search: member carol@acme.example: allowed_models [] (all team models) -> "
               u"[gpt-4o]"_s;
        QTest::newRow("--all-team-models")
            << QStringList{u"-t"_s, u"Search"_s, u"-u"_s, u"u-bob"_s, u"--all-team-models"_s}
            << u"u-bob"_s << QStringList()
            << u"team Search: member bob@acme.example: allowed_models [gpt-4o] -> [] (all team "
               u"models)"_s;
    }

    void memberSetScope() {
        QFETCH(QStringList, args);
        QFETCH(QString, userId);
        QFETCH(QStringList, scope);
        QFETCH(QString, summary);
        const QString path = freshAcme();
        const CliRun run = onFile(path, QStringList{u"member"_s, u"set-scope"_s} + args);
        EXPECT_EXIT(run, 0);
        QCOMPARE(QString::fromUtf8(run.out), summary + u'\n');
        QVERIFY(run.err.isEmpty());
        const QJsonObject ws = readJsonObject(path);
        const QJsonObject row = membershipIn(ws, u"team-search"_s, userId);
        QCOMPARE(row[u"allowed_models"_s].toArray(), jsonStrings(scope));
        // ann's Ops membership shared b-shared: it keeps the row and its values.
        const QJsonObject ops = membershipIn(ws, u"team-ops"_s, u"u-ann"_s);
        QCOMPARE(ops[u"budget_id"_s].toString(), u"b-shared"_s);
        QCOMPARE(ops[u"max_budget"_s].toDouble(), 5.0);
        if (userId == u"u-ann"_s)
            QVERIFY(row[u"budget_id"_s].toString() != u"b-shared"_s);
        // Fields litescope does not know survive the rewrite.
        const QByteArray bytes = readBytes(path);
        for (const char* kept :
             {"\"x_member_note\": \"kept\"", "\"x_user_note\": \"kept\"",
              "\"x_key_note\": \"kept\"", "\"x_team_note\": {\"owner\": \"search-infra\"}",
              "\"x_exported_by\""})
            QVERIFY2(bytes.contains(kept), kept);
        QVERIFY(!QFile::exists(path + u".lock"_s));
    }

    void memberAdd() {
        const QString path = freshAcme();
        CliRun run =
            onFile(path, {u"member"_s, u"add"_s, u"-t"_s, u"Search"_s, u"-u"_s, u"u-dave"_s});
        EXPECT_EXIT(run, 0);
        QCOMPARE(QString::fromUtf8(run.out),
                 u"team Search: added member dave@acme.example (user), allowed_models "
                 u"[gpt-4o-mini] from default_team_member_models\n"_s);
        run = onFile(path, {u"member"_s, u"add"_s, u"-t"_s, u"Plain"_s, u"-u"_s,
                            u"new@acme.example"_s, u"--role"_s, u"admin"_s, u"-m"_s, u"gpt-4o"_s});
        EXPECT_EXIT(run, 0);
        QCOMPARE(QString::fromUtf8(run.out),
                 u"team Plain: added member new@acme.example (admin), allowed_models [gpt-4o]; "
                 u"created user new@acme.example\n"_s);
        run = onFile(path, {u"member"_s, u"add"_s, u"-t"_s, u"team-plain"_s, u"-u"_s, u"newid"_s,
                            u"--email"_s, u"newid@acme.example"_s});
        EXPECT_EXIT(run, 0);

        const QJsonObject ws = readJsonObject(path);
        QCOMPARE(membershipIn(ws, u"team-search"_s, u"u-dave"_s)[u"allowed_models"_s].toArray(),
                 jsonStrings({u"gpt-4o-mini"_s}));
        QCOMPARE(findIn(ws, u"users"_s, {{u"user_id"_s, u"u-dave"_s}})[u"teams"_s].toArray(),
                 jsonStrings({u"team-search"_s}));
        const QJsonObject created = findIn(ws, u"users"_s, {{u"user_id"_s, u"new@acme.example"_s}});
        QCOMPARE(created[u"user_role"_s].toString(), u"internal_user"_s);
        QCOMPARE(created[u"teams"_s].toArray(), jsonStrings({u"team-plain"_s}));
        QCOMPARE(membershipIn(ws, u"team-plain"_s, u"new@acme.example"_s)[u"allowed_models"_s],
                 QJsonValue(jsonStrings({u"gpt-4o"_s})));
        QCOMPARE(findIn(ws, u"users"_s, {{u"user_id"_s, u"newid"_s}})[u"user_email"_s].toString(),
                 u"newid@acme.example"_s);
        // No scope, no default: no membership row.
        QVERIFY(membershipIn(ws, u"team-plain"_s, u"newid"_s).isEmpty());
        const QJsonArray roster =
            findIn(ws, u"teams"_s, {{u"team_id"_s, u"team-plain"_s}})[u"members_with_roles"_s]
                .toArray();
        QCOMPARE(roster.size(), 2);
        QCOMPARE(roster[0][u"user_id"_s].toString(), u"new@acme.example"_s);
        QCOMPARE(roster[0][u"role"_s].toString(), u"admin"_s);
        QCOMPARE(roster[1].toObject(), (QJsonObject{{u"user_id"_s, u"newid"_s},
                                                    {u"user_email"_s, u"newid@acme.example"_s},
                                                    {u"role"_s, u"user"_s}}));
    }

    void memberUpdateAndRemove() {
        const QString path = freshAcme();
        CliRun run = onFile(path, {u"member"_s, u"update"_s, u"-t"_s, u"Search"_s, u"-u"_s,
                                   u"u-bob"_s, u"--role"_s, u"admin"_s, u"--max-budget"_s,
                                   u"12.5"_s, u"--tpm"_s, u"none"_s, u"--rpm"_s, u"7"_s});
        EXPECT_EXIT(run, 0);
        QCOMPARE(QString::fromUtf8(run.out),
                 u"team Search: member bob@acme.example: role user -> admin, max_budget 10 -> "
                 u"12.5, tpm_limit 1000 -> none, rpm_limit none -> 7\n"_s);
        QJsonObject ws = readJsonObject(path);
        QJsonObject bob = membershipIn(ws, u"team-search"_s, u"u-bob"_s);
        QCOMPARE(bob[u"max_budget"_s].toDouble(), 12.5);
        QVERIFY(bob[u"tpm_limit"_s].isNull());
        QCOMPARE(bob[u"rpm_limit"_s].toInt(), 7);
        QCOMPARE(bob[u"allowed_models"_s].toArray(), jsonStrings({u"gpt-4o"_s}));
        QCOMPARE(bob[u"budget_duration"_s].toString(), u"30d"_s); // untouched
        QVERIFY(readBytes(path).contains(
            "{\"user_id\": \"u-bob\", \"user_email\": \"bob@acme.example\", \"role\": \"admin\", "
            "\"x_member_note\": \"kept\"}"));

        // ann shares b-shared between two teams: the Ops limit goes to a copy.
        run = onFile(path, {u"member"_s, u"update"_s, u"-t"_s, u"Ops"_s, u"-u"_s,
                            u"ann@acme.example"_s, u"--max-budget"_s, u"3"_s, u"--json"_s});
        EXPECT_EXIT(run, 0);
        const QJsonObject report = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(report[u"before"_s].toObject(), (QJsonObject{{u"max_budget"_s, 5}}));
        QCOMPARE(report[u"after"_s].toObject(), (QJsonObject{{u"max_budget"_s, 3}}));
        ws = readJsonObject(path);
        QVERIFY(membershipIn(ws, u"team-ops"_s, u"u-ann"_s)[u"budget_id"_s] != u"b-shared"_s);
        QCOMPARE(membershipIn(ws, u"team-search"_s, u"u-ann"_s)[u"budget_id"_s].toString(),
                 u"b-shared"_s);

        run = onFile(
            path, {u"member"_s, u"remove"_s, u"-t"_s, u"Search"_s, u"-u"_s, u"bob@acme.example"_s});
        EXPECT_EXIT(run, 0);
        QCOMPARE(QString::fromUtf8(run.out), u"team Search: member bob@acme.example: removed "
                                             u"(admin), allowed_models was [gpt-4o]\n"_s);
        ws = readJsonObject(path);
        QVERIFY(membershipIn(ws, u"team-search"_s, u"u-bob"_s).isEmpty());
        QCOMPARE(findIn(ws, u"users"_s, {{u"user_id"_s, u"u-bob"_s}})[u"teams"_s].toArray(),
                 QJsonArray());
        const QJsonArray roster =
            findIn(ws, u"teams"_s, {{u"team_id"_s, u"team-search"_s}})[u"members_with_roles"_s]
                .toArray();
        QCOMPARE(roster.size(), 2);
        for (const QJsonValue& entry : roster)
            QVERIFY(entry[u"user_id"_s] != u"u-bob"_s);
    }

    // ---- team and key edits --------------------------------------------------------------------

    void teamAndKeyEdits_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("summary");
        QTest::addColumn<QString>("section");
        QTest::addColumn<QString>("idField");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        const QString teams = u"teams"_s, keys = u"keys"_s, team = u"team_id"_s;
        const QString token = u"token"_s, models = u"models"_s;
        QTest::newRow("team set-models")
            << QStringList{u"team"_s, u"set-models"_s, u"-t"_s, u"Plain"_s,
                           u"-m"_s,   u"gpt-4o"_s,     u"-m"_s, u"claude-sonnet"_s}
            << u"team Plain: models [gpt-4o] -> [gpt-4o, claude-sonnet]"_s << teams << team
            << u"team-plain"_s << models
            << QJsonValue(jsonStrings({u"gpt-4o"_s, u"claude-sonnet"_s}));
        QTest::newRow("team set-models --all-proxy-models")
            << QStringList{u"team"_s, u"set-models"_s, u"-t"_s, u"team-plain"_s,
                           u"--all-proxy-models"_s}
            << u"team Plain: models [gpt-4o] -> [all-proxy-models]"_s << teams << team
            << u"team-plain"_s << models << QJsonValue(jsonStrings({u"all-proxy-models"_s}));
        QTest::newRow("team set-default-member-models")
            << QStringList{u"team"_s, u"set-default-member-models"_s,
                           u"-t"_s,   u"Search"_s,
                           u"-m"_s,   u"claude-sonnet"_s}
            << u"team Search: default_team_member_models [gpt-4o-mini] -> [claude-sonnet]"_s
            << teams << team << u"team-search"_s << u"default_team_member_models"_s
            << QJsonValue(jsonStrings({u"claude-sonnet"_s}));
        QTest::newRow("team set-default-member-models (none)")
            << QStringList{u"team"_s, u"set-default-member-models"_s, u"-t"_s, u"Search"_s}
            << u"team Search: default_team_member_models [gpt-4o-mini] -> [] (none)"_s << teams
            << team << u"team-search"_s << u"default_team_member_models"_s
            << QJsonValue(QJsonArray());
        QTest::newRow("team set-alias")
            << QStringList{u"team"_s,  u"set-alias"_s, u"-t"_s,
                           u"Plain"_s, u"--alias"_s,   u"Plain & \"Simple\" ✓"_s}
            << u"team Plain: team_alias \"Plain\" -> \"Plain & \\\"Simple\\\" ✓\""_s << teams
            << team << u"team-plain"_s << u"team_alias"_s << QJsonValue(u"Plain & \"Simple\" ✓"_s);
        QTest::newRow("team block") << QStringList{u"team"_s, u"block"_s, u"-t"_s, u"Search"_s}
                                    << u"team Search: blocked false -> true"_s << teams << team
                                    << u"team-search"_s << u"blocked"_s << QJsonValue(true);
        QTest::newRow("team unblock")
            << QStringList{u"team"_s, u"unblock"_s, u"-t"_s, u"team-ops"_s}
            << u"team Ops: blocked false -> false"_s << teams << team << u"team-ops"_s
            << u"blocked"_s << QJsonValue(false);
        QTest::newRow("key set-models by alias, none")
            << QStringList{u"key"_s, u"set-models"_s, u"-k"_s, u"search-prod"_s}
            << u"key search-prod: models [gpt-4o] -> [] (no key restriction)"_s << keys << token
            << u"c1eb1f6fef8fe67a22e54a7c04a7c235cab4099c7c9648b9998f617cdd43e337"_s << models
            << QJsonValue(QJsonArray());
        QTest::newRow("key set-models by token")
            << QStringList{u"key"_s,
                           u"set-models"_s,
                           u"--key"_s,
                           u"c1eb1f6fef8fe67a22e54a7c04a7c235cab4099c7c9648b9998f617cdd43e337"_s,
                           u"-m"_s,
                           u"gpt-4o-mini"_s}
            << u"key search-prod: models [gpt-4o] -> [gpt-4o-mini]"_s << keys << token
            << u"c1eb1f6fef8fe67a22e54a7c04a7c235cab4099c7c9648b9998f617cdd43e337"_s << models
            << QJsonValue(jsonStrings({u"gpt-4o-mini"_s}));
        QTest::newRow("key set-models by raw key")
            << QStringList{u"key"_s,   u"set-models"_s, u"-k"_s,
                           acmeRawKey, u"-m"_s,         u"claude-sonnet"_s}
            << u"key "_s + acmeRawKeyToken().left(12) + u"…: models [gpt-4o] -> [claude-sonnet]"_s
            << keys << token << acmeRawKeyToken() << models
            << QJsonValue(jsonStrings({u"claude-sonnet"_s}));
    }

    void teamAndKeyEdits() {
        QFETCH(QStringList, args);
        QFETCH(QString, summary);
        QFETCH(QString, section);
        QFETCH(QString, idField);
        QFETCH(QString, id);
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        const QString path = freshAcme();
        const CliRun run = onFile(path, args);
        EXPECT_EXIT(run, 0);
        QCOMPARE(QString::fromUtf8(run.out), summary + u'\n');
        QVERIFY(run.err.isEmpty());
        QCOMPARE(findIn(readJsonObject(path), section, {{idField, id}})[field], value);
        QVERIFY(!run.out.contains(acmeRawKey.toUtf8()));
    }

    // Every verb with --json on one copy and without on another: one JSON object with exactly the
    // documented fields, whose summary is the text mode's line; no audit log in a file.
    void jsonReport() {
        const QString jsonFile = freshAcme();
        const QString textFile = freshAcme();
        const QList<QStringList> edits{
            {u"member"_s, u"set-scope"_s, u"-t"_s, u"Search"_s, u"-u"_s, u"u-ann"_s, u"-m"_s,
             u"gpt-4o"_s},
            {u"member"_s, u"add"_s, u"-t"_s, u"Ops"_s, u"-u"_s, u"u-dave"_s},
            {u"member"_s, u"update"_s, u"-t"_s, u"Search"_s, u"-u"_s, u"u-bob"_s, u"--rpm"_s,
             u"3"_s},
            {u"member"_s, u"remove"_s, u"-t"_s, u"Ops"_s, u"-u"_s, u"u-twin2"_s},
            {u"team"_s, u"set-models"_s, u"-t"_s, u"Ops"_s, u"--all-proxy-models"_s},
            {u"team"_s, u"set-default-member-models"_s, u"-t"_s, u"Ops"_s, u"-m"_s, u"gpt-4o"_s},
            {u"team"_s, u"set-alias"_s, u"-t"_s, u"Ops"_s, u"--alias"_s, u"Operations"_s},
            {u"team"_s, u"block"_s, u"-t"_s, u"team-ops"_s},
            {u"team"_s, u"unblock"_s, u"-t"_s, u"team-ops"_s},
            {u"key"_s, u"set-models"_s, u"-k"_s, u"sk-plain-token"_s, u"-m"_s, u"gpt-4o"_s},
        };
        const QStringList fields{u"after"_s,     u"audit_logged"_s, u"before"_s,
                                 u"object_id"_s, u"ok"_s,           u"summary"_s};
        for (const QStringList& args : edits) {
            const CliRun json = onFile(jsonFile, args + QStringList{u"--json"_s});
            EXPECT_EXIT(json, 0);
            const CliRun text = onFile(textFile, args);
            EXPECT_EXIT(text, 0);
            QVERIFY2(json.out.endsWith('\n') && json.out.count('\n') == 1, json.out.constData());
            const QJsonDocument document = QJsonDocument::fromJson(json.out);
            QVERIFY2(document.isObject(), json.out.constData());
            const QJsonObject report = document.object();
            QCOMPARE(report.keys(), fields);
            QCOMPARE(report[u"ok"_s], QJsonValue(true));
            QCOMPARE(report[u"audit_logged"_s], QJsonValue(false));
            QVERIFY(report[u"before"_s].isObject() && report[u"after"_s].isObject());
            QCOMPARE(report[u"object_id"_s].toString(), args[0] == u"key"_s ? u"sk-plain-token"_s
                                                        : args[3] == u"Search"_s ? u"team-search"_s
                                                                                 : u"team-ops"_s);
            QCOMPARE(report[u"summary"_s].toString() + u'\n', QString::fromUtf8(text.out));
        }
    }

    // ---- model names byte for byte -------------------------------------------------------------

    void trickyModelNames() {
        const QString path = freshAcme();
        const QStringList models = modelArgs(trickyModels);
        const QList<QStringList> edits{
            {u"member"_s, u"set-scope"_s, u"-t"_s, u"Search"_s, u"-u"_s, u"u-bob"_s},
            {u"member"_s, u"add"_s, u"-t"_s, u"Plain"_s, u"-u"_s, u"u-dave"_s},
            {u"team"_s, u"set-models"_s, u"-t"_s, u"Plain"_s},
            {u"team"_s, u"set-default-member-models"_s, u"-t"_s, u"Plain"_s},
            {u"key"_s, u"set-models"_s, u"-k"_s, u"search-prod"_s},
        };
        for (const QStringList& args : edits) {
            const CliRun run = onFile(path, args + models + QStringList{u"--json"_s});
            EXPECT_EXIT(run, 0);
            const QJsonObject after = QJsonDocument::fromJson(run.out)[u"after"_s].toObject();
            const QString field = args[0] == u"member"_s ? u"allowed_models"_s
                                  : args[1] == u"set-default-member-models"_s
                                      ? u"default_team_member_models"_s
                                      : u"models"_s;
            QCOMPARE(after[field].toArray(), jsonStrings(trickyModels));
        }
        const QJsonObject ws = readJsonObject(path);
        const QJsonArray expected = jsonStrings(trickyModels);
        QCOMPARE(membershipIn(ws, u"team-search"_s, u"u-bob"_s)[u"allowed_models"_s].toArray(),
                 expected);
        QCOMPARE(membershipIn(ws, u"team-plain"_s, u"u-dave"_s)[u"allowed_models"_s].toArray(),
                 expected);
        const QJsonObject plain = findIn(ws, u"teams"_s, {{u"team_id"_s, u"team-plain"_s}});
        QCOMPARE(plain[u"models"_s].toArray(), expected);
        QCOMPARE(plain[u"default_team_member_models"_s].toArray(), expected);
        QCOMPARE(findIn(ws, u"keys"_s, {{u"key_alias"_s, u"search-prod"_s}})[u"models"_s].toArray(),
                 expected);
        // The bytes: each name JSON-escaped once, UTF-8 as is.
        const QByteArray bytes = readBytes(path);
        for (const char* field :
             {"\"allowed_models\": ", "\"models\": ", "\"default_team_member_models\": "})
            QVERIFY2(bytes.contains(QByteArray(field + fileList(trickyModels))), field);
        QVERIFY(bytes.contains("\"say \\\"hi\\\"\""));
        QVERIFY(bytes.contains("\"back\\\\slash\""));
        QVERIFY(bytes.contains(u"\"ünïcødé 模型 😀\""_s.toUtf8()));
        // The file loads, and check echoes the names as given.
        const CliRun validate = runCli({u"validate"_s, u"-w"_s, path});
        EXPECT_EXIT(validate, 0);
        const CliRun check = onFile(path, QStringList{u"check"_s, u"-k"_s, u"search-prod"_s,
                                                      u"--json"_s, u"-m"_s, trickyModels.last()});
        QList<QJsonObject> lines;
        PARSE_JSON_LINES(check.out, lines);
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines[0][u"model"_s].toString(), trickyModels.last());
    }

    // ---- the demo workspace decides differently after an edit ----------------------------------

    void demoDecisionsFollowEdits() {
        const QString path = freshDemo();
        const QStringList bob{u"-t"_s, u"Search"_s, u"-u"_s, u"bob.martinez@acme.example"_s};
        auto decide = [&](const QString& key, const QString& model) {
            const CliRun run =
                onFile(path, {u"check"_s, u"-k"_s, key, u"-m"_s, model, u"--json"_s});
            return QJsonDocument::fromJson(run.out).object()[u"denied_by"_s].toString(u"-"_s);
        };
        QCOMPARE(decide(u"search-bob-dev"_s, u"gpt-4o"_s), u"team_member"_s);
        CliRun run =
            onFile(path, QStringList{u"member"_s, u"set-scope"_s, u"-m"_s, u"gpt-4o"_s} + bob);
        EXPECT_EXIT(run, 0);
        QCOMPARE(decide(u"search-bob-dev"_s, u"gpt-4o"_s), u"-"_s);
        QCOMPARE(decide(u"search-bob-dev"_s, u"gpt-4o-mini"_s), u"team_member"_s);
        run = onFile(path, QStringList{u"member"_s, u"set-scope"_s, u"--all-team-models"_s} + bob);
        EXPECT_EXIT(run, 0);
        QCOMPARE(decide(u"search-bob-dev"_s, u"rerank-english-v3.0"_s), u"-"_s);
        run = onFile(path, {u"team"_s, u"block"_s, u"-t"_s, u"Search"_s});
        EXPECT_EXIT(run, 0);
        QCOMPARE(decide(u"search-prod"_s, u"gpt-4o"_s), u"team"_s);
        run = onFile(path, {u"key"_s, u"set-models"_s, u"-k"_s, u"alice-personal"_s, u"-m"_s,
                            u"gpt-4o-mini"_s});
        EXPECT_EXIT(run, 0);
        QCOMPARE(decide(u"alice-personal"_s, u"gpt-4o"_s), u"key"_s);
        const CliRun validate = runCli({u"validate"_s, u"-w"_s, path});
        EXPECT_EXIT(validate, 0);
    }

    // ---- concurrent edits of one file ----------------------------------------------------------

    // Several processes edit one file at once: the lock file serializes them, none is lost.
    void concurrentEditsAllLand() {
        const QString path = freshAcme();
        const QList<QStringList> edits{
            {u"team"_s, u"set-models"_s, u"-t"_s, u"Plain"_s, u"-m"_s, u"claude-sonnet"_s},
            {u"team"_s, u"block"_s, u"-t"_s, u"team-dup1"_s},
            {u"team"_s, u"set-alias"_s, u"-t"_s, u"team-dup2"_s, u"--alias"_s, u"Dup Two"_s},
            {u"key"_s, u"set-models"_s, u"-k"_s, u"sk-plain-token"_s, u"-m"_s, u"gpt-4o"_s},
            {u"member"_s, u"set-scope"_s, u"-t"_s, u"Ops"_s, u"-u"_s, u"u-twin1"_s, u"-m"_s,
             u"gpt-4o"_s},
            {u"member"_s, u"add"_s, u"-t"_s, u"Plain"_s, u"-u"_s, u"u-carol"_s},
        };
        std::vector<std::unique_ptr<QProcess>> processes;
        for (const QStringList& args : edits) {
            processes.push_back(std::make_unique<QProcess>());
            processes.back()->start(QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli"),
                                    args + QStringList{u"-w"_s, path});
        }
        for (const auto& process : processes) {
            QVERIFY(process->waitForFinished(60000));
            QVERIFY2(process->exitCode() == 0, process->readAllStandardError().constData());
        }
        const QJsonObject ws = readJsonObject(path);
        const auto team = [&](const QString& id) {
            return findIn(ws, u"teams"_s, {{u"team_id"_s, id}});
        };
        QCOMPARE(team(u"team-plain"_s)[u"models"_s].toArray(), jsonStrings({u"claude-sonnet"_s}));
        QCOMPARE(team(u"team-plain"_s)[u"members_with_roles"_s].toArray().size(), 1);
        QCOMPARE(team(u"team-dup1"_s)[u"blocked"_s], QJsonValue(true));
        QCOMPARE(team(u"team-dup2"_s)[u"team_alias"_s].toString(), u"Dup Two"_s);
        QCOMPARE(findIn(ws, u"keys"_s, {{u"token"_s, u"sk-plain-token"_s}})[u"models"_s].toArray(),
                 jsonStrings({u"gpt-4o"_s}));
        QCOMPARE(membershipIn(ws, u"team-ops"_s, u"u-twin1"_s)[u"allowed_models"_s].toArray(),
                 jsonStrings({u"gpt-4o"_s}));
    }
};

QTEST_GUILESS_MAIN(TstCliEditWorkspace)
#include "tst_cli_edit_workspace.moc"
