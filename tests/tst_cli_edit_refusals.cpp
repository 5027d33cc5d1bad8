// litescope-cli edits refused against a workspace file: exit 2, one message on stderr, nothing on
// stdout, and the file byte for byte as it was (no lock file left behind): unknown, ambiguous or
// non-member names, members already there, conflicting or missing options, bad roles and limits
// (negative, garbage, infinite, fractional), duplicate or empty model names, an alias another team
// has, unknown verbs, --read-only, both sources, no source, a missing file. Also the verbs' help.
// The same refusals against a database: tst_cli_db.cpp.
#include "support/CliEditSupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope::test;

class TstCliEditRefusals : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString freshAcme() {
        return writeFixture(m_dir.filePath(u"ws-%1.json"_s.arg(++m_files)), acmeWithRawKey());
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

    // ---- refusals: exit 2, a message, the file unchanged ---------------------------------------

    void refused_data() {
        QTest::addColumn<QStringList>("args"); // "@WS@": the workspace copy
        QTest::addColumn<QString>("message");
        const QStringList ws{u"-w"_s, u"@WS@"_s};
        const QStringList scope = QStringList{u"member"_s, u"set-scope"_s} + ws;
        const QStringList bob{u"-t"_s, u"Search"_s, u"-u"_s, u"u-bob"_s};
        const QStringList update = QStringList{u"member"_s, u"update"_s} + ws + bob;
        const QStringList x{u"-m"_s, u"x"_s};
        QTest::newRow("unknown team")
            << scope + QStringList{u"-t"_s, u"nope"_s, u"-u"_s, u"u-bob"_s} + x
            << u"no team with team_id or team_alias nope"_s;
        QTest::newRow("unknown user")
            << scope + QStringList{u"-t"_s, u"Plain"_s, u"-u"_s, u"nobody"_s} + x
            << u"user nobody is not a member of team Plain"_s;
        QTest::newRow("not a member")
            << scope + QStringList{u"-t"_s, u"Plain"_s, u"-u"_s, u"u-ann"_s} + x
            << u"user u-ann is not a member of team Plain"_s;
        QTest::newRow("already a member")
            << QStringList{u"member"_s, u"add"_s, u"-t"_s,
                           u"Search"_s, u"-u"_s,  u"ann@acme.example"_s} +
                   ws
            << u"user ann@acme.example is already a member of team Search (role admin); nothing "
               u"was changed"_s;
        QTest::newRow("ambiguous team alias")
            << QStringList{u"team"_s, u"block"_s, u"-t"_s, u"Shared"_s} + ws
            << u"team_alias Shared is used by 2 teams (team_id team-dup1, team-dup2); name one by "
               u"team_id"_s;
        QTest::newRow("ambiguous member email")
            << scope + QStringList{u"-t"_s, u"Ops"_s, u"-u"_s, u"twin@acme.example"_s} + x
            << u"user twin@acme.example matches 2 members of team Ops"_s;
        QTest::newRow("unknown key")
            << QStringList{u"key"_s, u"set-models"_s, u"-k"_s, u"nokey"_s} + ws
            << u"no key with token, alias or raw key nokey"_s;
        QTest::newRow("unknown raw key, never echoed")
            << QStringList{u"key"_s, u"set-models"_s, u"-k"_s, u"sk-unknown-secret-9f8e"_s} + ws
            << u"no key with token, alias or raw key sk-…"_s;
        QTest::newRow("--model and --all-team-models")
            << scope + bob + x + QStringList{u"--all-team-models"_s}
            << u"member set-scope needs --model (repeatable) or --all-team-models, not both."_s;
        QTest::newRow("neither --model nor --all-team-models")
            << scope + bob
            << u"member set-scope needs --model (repeatable) or --all-team-models, not both."_s;
        QTest::newRow("missing --team")
            << scope + QStringList{u"-u"_s, u"u-bob"_s} + x << u"member set-scope needs --team."_s;
        QTest::newRow("missing --user")
            << QStringList{u"member"_s, u"add"_s, u"-t"_s, u"Plain"_s} + ws
            << u"member add needs --user."_s;
        QTest::newRow("bad role (add)")
            << QStringList{u"member"_s, u"add"_s,    u"-t"_s,     u"Plain"_s,
                           u"-u"_s,     u"u-dave"_s, u"--role"_s, u"owner"_s} +
                   ws
            << u"role must be \"user\" or \"admin\", not \"owner\""_s;
        QTest::newRow("bad role (update)")
            << update + QStringList{u"--role"_s, u"proxy_admin"_s} << u"not \"proxy_admin\""_s;
        QTest::newRow("negative --max-budget")
            << update + QStringList{u"--max-budget"_s, u"-0.5"_s}
            << u"--max-budget takes a non-negative number or \"none\", not \"-0.5\"."_s;
        QTest::newRow("garbage --max-budget")
            << update + QStringList{u"--max-budget"_s, u"12usd"_s} << u"not \"12usd\""_s;
        QTest::newRow("infinite --max-budget")
            << update + QStringList{u"--max-budget"_s, u"inf"_s} << u"not \"inf\""_s;
        QTest::newRow("fractional --rpm")
            << update + QStringList{u"--rpm"_s, u"2.5"_s}
            << u"--rpm takes a non-negative whole number or \"none\", not \"2.5\"."_s;
        QTest::newRow("update without a change")
            << update << u"member update needs --role, --max-budget, --tpm or --rpm."_s;
        QTest::newRow("model listed twice")
            << scope + bob + QStringList{u"-m"_s, u"gpt-4o"_s, u"-m"_s, u"gpt-4o"_s}
            << u"model gpt-4o is listed twice"_s;
        QTest::newRow("empty model name")
            << scope + bob + QStringList{u"-m"_s, QString()} << u"empty model name"_s;
        QTest::newRow("alias of another team")
            << QStringList{u"team"_s,  u"set-alias"_s, u"-t"_s,
                           u"Plain"_s, u"--alias"_s,   u"Search"_s} +
                   ws
            << u"team_alias Search is already used by team team-search"_s;
        QTest::newRow("set-alias without --alias")
            << QStringList{u"team"_s, u"set-alias"_s, u"-t"_s, u"Plain"_s} + ws
            << u"team set-alias needs --alias."_s;
        QTest::newRow("team set-models: both")
            << QStringList{u"team"_s, u"set-models"_s, u"-t"_s, u"Plain"_s,
                           u"--all-proxy-models"_s} +
                   ws + x
            << u"team set-models needs --model (repeatable) or --all-proxy-models, not both."_s;
        QTest::newRow("key set-models without --key")
            << QStringList{u"key"_s, u"set-models"_s} + ws + x << u"key set-models needs --key."_s;
        QTest::newRow("unknown verb (team)")
            << QStringList{u"team"_s, u"delete"_s} + ws
            << u"unknown verb \"delete\" for team; try `litescope-cli team --help`"_s;
        QTest::newRow("unknown verb (key)")
            << QStringList{u"key"_s, u"rotate"_s} + ws << u"unknown verb \"rotate\" for key"_s;
        QTest::newRow("option of another verb")
            << QStringList{u"team"_s, u"block"_s, u"-t"_s, u"Plain"_s, u"--alias"_s, u"x"_s} + ws
            << u"Unknown option 'alias'."_s;
        QTest::newRow("read-only") << scope + bob + x + QStringList{u"--read-only"_s}
                                   << u" is open read-only; nothing was written"_s;
        QTest::newRow("both --workspace and --db")
            << scope + bob + x + QStringList{u"--db"_s, u"postgresql://postgres@127.0.0.1:1/x"_s}
            << u"Give one of --workspace, --db and --api, not several."_s;
    }

    void refused() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const QString path = freshAcme();
        const QByteArray before = readBytes(path);
        for (QString& arg : args)
            arg.replace(u"@WS@"_s, path);
        const CliRun run = runCli(args);
        EXPECT_EXIT(run, 2);
        QVERIFY2(run.out.isEmpty(), run.out.constData());
        const QString err = QString::fromUtf8(run.err);
        QVERIFY2(err.startsWith(u"litescope-cli: "_s) && err.contains(message), qPrintable(err));
        QVERIFY2(!err.contains(u"sk-unknown-secret"_s), qPrintable(err));
        QCOMPARE(readBytes(path), before);
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files).filter(u".lock"_s), QStringList());
    }

    void noSource() {
        const CliRun run = runCli({u"team"_s, u"block"_s, u"-t"_s, u"Plain"_s});
        EXPECT_EXIT(run, 2);
        QCOMPARE(run.err, QByteArray("litescope-cli: Say where the data comes from: --workspace "
                                     "FILE, --db CONNECTION or --api URL.\n"));
        const QString missing = m_dir.filePath(u"missing.json"_s);
        const CliRun missingRun = onFile(missing, {u"team"_s, u"block"_s, u"-t"_s, u"Plain"_s});
        EXPECT_EXIT(missingRun, 2);
        QVERIFY(missingRun.err.contains("cannot read"));
        QVERIFY(!QFile::exists(missing));
    }

    void verbHelp() {
        CliRun run = runCli({u"member"_s});
        EXPECT_EXIT(run, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY(run.err.startsWith("Usage: litescope-cli member <verb> [options]"));
        for (const auto& [noun, verbs] : QList<QPair<QString, QStringList>>{
                 {u"member"_s, {u"set-scope"_s, u"add"_s, u"update"_s, u"remove"_s}},
                 {u"team"_s,
                  {u"set-models"_s, u"set-default-member-models"_s, u"set-alias"_s, u"block"_s,
                   u"unblock"_s}},
                 {u"key"_s, {u"set-models"_s}}}) {
            run = runCli({noun, u"--help"_s});
            EXPECT_EXIT(run, 0);
            for (const QString& verb : verbs)
                QVERIFY2(run.out.contains(QByteArray("\n  " + verb.toUtf8() + ' ')),
                         qPrintable(noun + u' ' + verb));
        }
        const QList<QPair<QStringList, QString>> options{
            {{u"member"_s, u"set-scope"_s}, u"--all-team-models"_s},
            {{u"member"_s, u"update"_s}, u"--max-budget <usd>"_s},
            {{u"team"_s, u"set-models"_s}, u"--all-proxy-models"_s},
            {{u"team"_s, u"set-alias"_s}, u"--alias <alias>"_s},
            {{u"key"_s, u"set-models"_s}, u"--key <key>"_s}};
        for (const auto& [command, option] : options) {
            run = runCli(command + QStringList{u"--help"_s});
            EXPECT_EXIT(run, 0);
            for (const QString& expected : {option, u"--workspace <file>"_s, u"--read-only"_s,
                                            u"--actor <name>"_s, u"--json"_s})
                QVERIFY2(run.out.contains(expected.toUtf8()), qPrintable(expected));
        }
    }
};

QTEST_GUILESS_MAIN(TstCliEditRefusals)
#include "tst_cli_edit_refusals.moc"
