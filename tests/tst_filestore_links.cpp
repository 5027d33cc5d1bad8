// A workspace file edited under several names: a symlink, a `..` path and the real path must
// exclude each other (one lock on the canonical file), a hard-linked file is refused rather than
// split, and an edit keeps the file's owner and group. Run through litescope-cli, as two admins
// (or two scripts) would.
#include "support/CliRunner.h"
#include "support/CliTestSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace litescope::test;

namespace {

constexpr int editsPerWriter = 30;

// A shell loop adding `count` members named <prefix>-<i> to team Search through `path`.
QString addLoop(const QString& path, const QString& prefix) {
    return u"for i in $(seq 1 %1); do '%2' member add -w '%3' -t Search -u %4-$i >/dev/null "
           u"|| echo \"failed $i\" >&2; done"_s.arg(editsPerWriter)
               .arg(QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli"), path, prefix);
}

QJsonObject readObject(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

qsizetype rosterSize(const QString& path) {
    for (const QJsonValue& team : readObject(path)[u"teams"_s].toArray())
        if (team[u"team_alias"_s] == u"Search"_s)
            return team[u"members_with_roles"_s].toArray().size();
    return -1;
}

} // namespace

class TstFileStoreLinks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QVERIFY(m_dir.isValid());
        m_real = m_dir.filePath(u"real.json"_s);
        QFile::remove(m_real);
        QVERIFY(QFile::copy(demoPath(), m_real));
        QVERIFY(QFile::setPermissions(m_real, QFile::ReadOwner | QFile::WriteOwner |
                                                  QFile::ReadGroup | QFile::ReadOther));
    }

    // Two writers, one through a symlink, one through a `..` path to the real file: every
    // member either added survives (before, 9 of 100 were lost).
    void writersUnderOtherNamesExcludeEachOther() {
        const QString link = m_dir.filePath(u"link.json"_s);
        QFile::remove(link);
        QVERIFY(QFile::link(m_real, link));
        QVERIFY(QDir().mkpath(m_dir.filePath(u"sub"_s)));
        const QString dotted = m_dir.filePath(u"sub/../real.json"_s);
        const qsizetype before = rosterSize(m_real);
        QVERIFY(before >= 0);

        QProcess a, b;
        a.start(u"/bin/sh"_s, {u"-c"_s, addLoop(link, u"via-link"_s)});
        b.start(u"/bin/sh"_s, {u"-c"_s, addLoop(dotted, u"via-dots"_s)});
        QVERIFY(a.waitForFinished(120000) && b.waitForFinished(120000));
        QVERIFY2(a.readAllStandardError().isEmpty(), "every edit through the link succeeded");
        QVERIFY2(b.readAllStandardError().isEmpty(), "every edit through the dots succeeded");

        QCOMPARE(rosterSize(m_real), before + 2 * editsPerWriter);
        QVERIFY2(QFileInfo(link).isSymLink(), "the link is still a link");
        QVERIFY(!QFile::exists(m_real + u".lock"_s));
        QVERIFY(!QFile::exists(link + u".lock"_s));
    }

    void aHardLinkedFileIsRefusedUnchanged() {
        const QString other = m_dir.filePath(u"other-name.json"_s);
        QFile::remove(other);
        QCOMPARE(
            ::link(QFile::encodeName(m_real).constData(), QFile::encodeName(other).constData()), 0);
        const QByteArray before = readBytes(m_real);
        const CliRun run =
            runCli({u"member"_s, u"add"_s, u"-w"_s, m_real, u"-t"_s, u"Search"_s, u"-u"_s, u"x"_s});
        QVERIFY2(run.exitCode != 0, run.out.constData());
        QVERIFY2(run.err.contains("has 2 hard links"), run.err.constData());
        QCOMPARE(readBytes(m_real), before);
        QCOMPARE(readBytes(other), before);
        QFile::remove(other);
    }

    void anEditKeepsTheOwnerAndMode() {
        if (::geteuid() != 0)
            QSKIP("changing a file's owner needs root");
        constexpr uid_t nobody = 65534;
        QCOMPARE(::chown(QFile::encodeName(m_real).constData(), nobody, nobody), 0);
        const CliRun run =
            runCli({u"member"_s, u"add"_s, u"-w"_s, m_real, u"-t"_s, u"Search"_s, u"-u"_s, u"y"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        struct stat info {};
        QCOMPARE(::stat(QFile::encodeName(m_real).constData(), &info), 0);
        QCOMPARE(info.st_uid, nobody);
        QCOMPARE(info.st_gid, nobody);
        QCOMPARE(info.st_mode & 0777, mode_t(0644));
    }

private:
    QTemporaryDir m_dir;
    QString m_real;
};

QTEST_GUILESS_MAIN(TstFileStoreLinks)
#include "tst_filestore_links.moc"
