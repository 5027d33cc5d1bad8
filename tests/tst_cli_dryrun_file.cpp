// litescope-cli --dry-run against a workspace file: every edit verb reports, as text and as JSON,
// what the real edit then reports, and leaves the file byte for byte as it was (no lock file
// either); refused edits are refused with the same exit code and message as without --dry-run.
// The same against a database: tst_cli_dryrun_db.cpp; against a proxy: tst_cli_dryrun_api.cpp.
#include "support/CliDryRunSupport.h"
#include "support/CliEditSupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope::test;

class TstCliDryRunFile : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString freshAcme() {
        return writeFixture(m_dir.filePath(u"ws-%1.json"_s.arg(++m_files)), acmeWithRawKey());
    }

    // The file's bytes and the directory's other files: a lock or temporary file left behind is
    // a write too.
    DryRunSource source(const QString& path) const {
        const QString dir = m_dir.path();
        return {[path](const QStringList& args) {
                    return runCli(args + QStringList{u"--workspace"_s, path});
                },
                [path, dir]() -> QString {
                    return QString::fromUtf8(readBytes(path).toBase64()) + u'\n' +
                           QDir(dir).entryList(QDir::Files).join(u'\n');
                }};
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_dir.isValid(), "temporary directory");
        QVERIFY2(QFile::exists(QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli")),
                 "litescope-cli is built");
    }

    // Each row: edits run in order on one fresh file, each first as a dry run.
    void everyVerb_data() {
        QTest::addColumn<QList<QStringList>>("steps");
        const QStringList bob{u"-t"_s, u"Search"_s, u"-u"_s, u"u-bob"_s};
        QTest::newRow("member set-scope")
            << QList<QStringList>{QStringList{u"member"_s, u"set-scope"_s} + bob +
                                  QStringList{u"-m"_s, u"gpt-4o-mini"_s, u"-m"_s, u"a,b"_s}};
        QTest::newRow("member set-scope --all-team-models") << QList<QStringList>{
            QStringList{u"member"_s, u"set-scope"_s} + bob + QStringList{u"--all-team-models"_s}};
        QTest::newRow("member add, default member models") << QList<QStringList>{
            {u"member"_s, u"add"_s, u"-t"_s, u"Search"_s, u"-u"_s, u"dave@acme.example"_s}};
        QTest::newRow("member add, a new user") << QList<QStringList>{
            {u"member"_s, u"add"_s, u"-t"_s, u"Plain"_s, u"-u"_s, u"u-newbie"_s, u"--email"_s,
             u"newbie@acme.example"_s, u"--role"_s, u"admin"_s, u"-m"_s, u"gpt-4o"_s}};
        QTest::newRow("member update")
            << QList<QStringList>{QStringList{u"member"_s, u"update"_s} + bob +
                                  QStringList{u"--role"_s, u"admin"_s, u"--max-budget"_s, u"12.5"_s,
                                              u"--tpm"_s, u"none"_s, u"--rpm"_s, u"7"_s}};
        QTest::newRow("member remove") << QList<QStringList>{
            {u"member"_s, u"remove"_s, u"-t"_s, u"team-search"_s, u"-u"_s, u"BOB@acme.example"_s}};
        QTest::newRow("team set-models") << QList<QStringList>{
            {u"team"_s, u"set-models"_s, u"-t"_s, u"Search"_s, u"-m"_s, u"gpt-4o"_s},
            {u"team"_s, u"set-models"_s, u"-t"_s, u"Search"_s, u"--all-proxy-models"_s}};
        QTest::newRow("team set-default-member-models") << QList<QStringList>{
            {u"team"_s, u"set-default-member-models"_s, u"-t"_s, u"Search"_s, u"-m"_s,
             u"claude-sonnet"_s},
            {u"team"_s, u"set-default-member-models"_s, u"-t"_s, u"Search"_s}};
        QTest::newRow("team set-alias") << QList<QStringList>{
            {u"team"_s, u"set-alias"_s, u"-t"_s, u"Plain"_s, u"--alias"_s, u"Plainer"_s}};
        QTest::newRow("team block, unblock")
            << QList<QStringList>{{u"team"_s, u"block"_s, u"-t"_s, u"Plain"_s},
                                  {u"team"_s, u"unblock"_s, u"-t"_s, u"team-plain"_s}};
        QTest::newRow("key set-models") << QList<QStringList>{
            {u"key"_s, u"set-models"_s, u"-k"_s, u"search-prod"_s, u"-m"_s, u"x"_s},
            {u"key"_s, u"set-models"_s, u"-k"_s, acmeRawKey, u"-m"_s, u"gpt-4o-mini"_s},
            {u"key"_s, u"set-models"_s, u"-k"_s, u"sk-plain-token"_s, u"-m"_s, u"y"_s}};
    }

    void everyVerb() {
        QFETCH(QList<QStringList>, steps);
        const DryRunSource file = source(freshAcme());
        for (const QStringList& step : steps) {
            const QString problem = dryRunMatchesApply(file, step);
            QVERIFY2(problem.isEmpty(), qPrintable(step.join(u' ') + u":\n"_s + problem));
        }
    }

    void refusedAlike_data() {
        QTest::addColumn<QStringList>("args");
        const QStringList bob{u"-t"_s, u"Search"_s, u"-u"_s, u"u-bob"_s};
        const QStringList x{u"-m"_s, u"x"_s};
        const QStringList scope{u"member"_s, u"set-scope"_s};
        QTest::newRow("unknown team")
            << scope + QStringList{u"-t"_s, u"nope"_s, u"-u"_s, u"u-bob"_s} + x;
        QTest::newRow("not a member")
            << scope + QStringList{u"-t"_s, u"Plain"_s, u"-u"_s, u"u-ann"_s} + x;
        QTest::newRow("already a member")
            << QStringList{u"member"_s, u"add"_s, u"-t"_s, u"Search"_s, u"-u"_s, u"u-ann"_s};
        QTest::newRow("ambiguous team alias")
            << QStringList{u"team"_s, u"block"_s, u"-t"_s, u"Shared"_s};
        QTest::newRow("ambiguous member email")
            << scope + QStringList{u"-t"_s, u"Ops"_s, u"-u"_s, u"twin@acme.example"_s} + x;
        QTest::newRow("unknown raw key")
            << QStringList{u"key"_s, u"set-models"_s, u"-k"_s, u"sk-unknown-secret-9f8e"_s} + x;
        QTest::newRow("alias of another team") << QStringList{
            u"team"_s, u"set-alias"_s, u"-t"_s, u"Plain"_s, u"--alias"_s, u"Search"_s};
        QTest::newRow("model listed twice") << scope + bob + x + x;
        QTest::newRow("bad role") << QStringList{u"member"_s, u"update"_s} + bob +
                                         QStringList{u"--role"_s, u"owner"_s};
        QTest::newRow("no change given") << QStringList{u"member"_s, u"update"_s} + bob;
        QTest::newRow("read-only") << scope + bob + x + QStringList{u"--read-only"_s};
        QTest::newRow("read-only, --json")
            << scope + bob + x + QStringList{u"--read-only"_s, u"--json"_s};
    }

    void refusedAlike() {
        QFETCH(QStringList, args);
        const QString problem = dryRunRefusedLikeApply(source(freshAcme()), args);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void missingFileIsNotCreated() {
        const QString missing = m_dir.filePath(u"missing.json"_s);
        const CliRun run =
            runCli({u"team"_s, u"block"_s, u"-t"_s, u"Plain"_s, u"--dry-run"_s, u"-w"_s, missing});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("cannot read"), run.err.constData());
        QVERIFY(!QFile::exists(missing));
    }

    void helpNamesTheOption() {
        for (const QStringList& command :
             {QStringList{u"member"_s, u"set-scope"_s}, QStringList{u"member"_s, u"add"_s},
              QStringList{u"member"_s, u"update"_s}, QStringList{u"member"_s, u"remove"_s},
              QStringList{u"team"_s, u"set-models"_s},
              QStringList{u"team"_s, u"set-default-member-models"_s},
              QStringList{u"team"_s, u"set-alias"_s}, QStringList{u"team"_s, u"block"_s},
              QStringList{u"team"_s, u"unblock"_s}, QStringList{u"key"_s, u"set-models"_s}}) {
            const CliRun run = runCli(command + QStringList{u"--help"_s});
            QCOMPARE(run.exitCode, 0);
            QVERIFY2(run.out.contains("--dry-run"), qPrintable(command.join(u' ')));
        }
    }
};

QTEST_GUILESS_MAIN(TstCliDryRunFile)
#include "tst_cli_dryrun_file.moc"
