// Workspace files put together from sections written ahead (issue 12, snapshot of a large proxy):
// the same bytes as a file written in one go, whichever sections were written ahead and on which
// threads; a list changed after its section was written is written again; a section that could
// not be written ahead costs nothing; a failure while copying a section leaves the old file as it
// was and nothing else behind, and says why.
#include "support/StoreTestSupport.h"
#include "support/WorkspaceTestSupport.h"
#include "workspace/WorkspaceFile.h"
#include "workspace/WorkspaceJson.h"

#include <QDir>
#include <QJsonArray>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>
#include <thread>

using namespace Qt::StringLiterals;
using namespace litescope;
using litescope::test::richWorkspace;

namespace {

// Long lists with what the writer escapes or encodes: quotes, backslashes, control characters,
// non-ASCII text, a lone surrogate, unknown fields, configs, router aliases.
Workspace bigWorkspace() {
    Workspace ws = richWorkspace();
    for (int i = 0; i < 50; ++i) {
        Team team = ws.teams.first();
        team.id = u"team-%1"_s.arg(i);
        team.alias = u"Team \"%1\" \u00e9"_s.arg(i);
        for (int m = 0; m < 40; ++m)
            team.membersWithRoles.append(
                {u"user-%1"_s.arg(i * 40 + m), std::nullopt, u"user"_s, {}});
        ws.teams.append(team);
    }
    for (int i = 0; i < 2000; ++i) {
        TeamMembership membership;
        membership.teamId = u"team-%1"_s.arg(i / 40);
        membership.userId = u"user-%1"_s.arg(i);
        if (i % 3 == 0) {
            membership.budgetId = u"budget-%1"_s.arg(i);
            membership.allowedModels = {u"gpt-4o"_s};
            membership.maxBudget = 12.5;
            membership.tpmLimit = 1000;
        }
        membership.spend = i % 7 ? 0 : 0.25;
        ws.teamMemberships.append(membership);
    }
    for (int i = 0; i < 3000; ++i) {
        User user;
        user.id = u"user-%1"_s.arg(i);
        user.email = i % 3 ? std::optional(u"user%1@example.com"_s.arg(i)) : std::nullopt;
        user.role = i % 7 ? u"internal_user"_s : u"proxy_admin"_s;
        if (i % 5 == 0)
            user.models = {u"gpt-4o"_s, u"claude \"sonnet\""_s};
        if (i % 4 == 0)
            user.teams = QStringList{u"team-a"_s};
        if (i % 11 == 0)
            user.extra = UnknownFields::fromObject(QJsonObject{{u"note"_s, u"é\\\n"_s}});
        ws.users.append(user);
    }
    for (int i = 0; i < 6000; ++i) {
        Key key;
        key.token = u"%1"_s.arg(i, 64, 16, QChar(u'0'));
        if (i % 2)
            key.alias = u"key-%1-Ünïcødé-\u2603"_s.arg(i);
        key.teamId = i % 3 ? std::optional(u"team-a"_s) : std::nullopt;
        key.userId = u"user-%1"_s.arg(i % 3000);
        if (i % 13 == 0)
            key.models = {u"gpt-4o"_s, QString(QChar(0xD800)), u"tab\there"_s};
        if (i % 17 == 0)
            key.aliases = {{u"fast"_s, u"gpt-4o-mini"_s}};
        if (i % 19 == 0)
            key.config = QJsonObject{{u"allowed_routes"_s, QJsonArray{u"/chat/completions"_s}}};
        key.blocked = i % 23 == 0;
        if (i % 29 == 0)
            key.routerAliases = QMap<QString, RouterAlias>{{u"quick"_s, {u"gpt-4o"_s, true, {}}}};
        if (i % 31 == 0)
            key.extra = UnknownFields::fromObject(QJsonObject{{u"spend"_s, 1.5}});
        ws.keys.append(key);
    }
    return ws;
}

QByteArray contents(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

QStringList filesIn(const QTemporaryDir& dir) {
    return QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

// `write` with files limited to `bytes` for this process (writes beyond fail with EFBIG).
template <typename Write>
Status withFileSizeLimit(qsizetype bytes, Write write) {
    rlimit before{};
    if (::getrlimit(RLIMIT_FSIZE, &before) != 0)
        return Error::io(u"getrlimit"_s);
    const auto oldSignal = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = before;
    limited.rlim_cur = rlim_t(bytes);
    if (::setrlimit(RLIMIT_FSIZE, &limited) != 0)
        return Error::io(u"setrlimit"_s);
    const Status status = write();
    ::setrlimit(RLIMIT_FSIZE, &before);
    std::signal(SIGXFSZ, oldSignal);
    return status;
}

} // namespace

class TestWorkspaceFileSections : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sectionsWrittenAheadGiveTheSameBytes() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const Workspace ws = bigWorkspace();
        const QString path = dir.filePath(u"snapshot.json"_s);
        const QStringList all{u"teams"_s, u"team_memberships"_s, u"users"_s, u"keys"_s};
        workspace::PrewrittenSections sections(path);
        // Handed over from two threads, as a snapshot's readers do.
        std::thread keys([&] { sections.write(ws.keys); });
        sections.write(ws.teams);
        sections.write(ws.teamMemberships);
        sections.write(ws.users);
        keys.join();
        VERIFY_SUCCEEDS(workspace::writeFile(ws, path, sections));
        QCOMPARE(sections.used(), all);
        QCOMPARE(contents(path), workspace::serialize(ws));
        QCOMPARE(filesIn(dir), QStringList{u"snapshot.json"_s});

        // Written again, over the old file, from the same sections: the same bytes.
        VERIFY_SUCCEEDS(workspace::writeFile(ws, path, sections));
        QCOMPARE(sections.used(), all);
        QCOMPARE(contents(path), workspace::serialize(ws));

        // Some lists ahead, one of them empty.
        Workspace empty = ws;
        empty.users.clear();
        workspace::PrewrittenSections some(path);
        some.write(empty.users);
        some.write(empty.keys);
        VERIFY_SUCCEEDS(workspace::writeFile(empty, path, some));
        QCOMPARE(some.used(), (QStringList{u"users"_s, u"keys"_s}));
        QCOMPARE(contents(path), workspace::serialize(empty));
        QCOMPARE(filesIn(dir), QStringList{u"snapshot.json"_s});
    }

    // A list changed (or replaced by an equal copy) after its section was written is written
    // from the list: the section is only ever used for the list object it was made from.
    void changedListsAreWrittenAgain() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Workspace ws = bigWorkspace();
        const QString path = dir.filePath(u"snapshot.json"_s);
        workspace::PrewrittenSections sections(path);
        sections.write(ws.teamMemberships);
        sections.write(ws.users);
        sections.write(ws.keys);
        ws.keys[4000].blocked = !ws.keys[4000].blocked;
        ws.users = QList<User>(ws.users.cbegin(), ws.users.cend());
        ws.teamMemberships.append(TeamMembership{u"team-b"_s,
                                                 u"user-7"_s,
                                                 std::nullopt,
                                                 {},
                                                 std::nullopt,
                                                 std::nullopt,
                                                 std::nullopt,
                                                 0,
                                                 {}});
        VERIFY_SUCCEEDS(workspace::writeFile(ws, path, sections));
        QCOMPARE(sections.used(), QStringList());
        QCOMPARE(contents(path), workspace::serialize(ws));

        // Written again for the changed keys: used again.
        sections.write(ws.keys);
        VERIFY_SUCCEEDS(workspace::writeFile(ws, path, sections));
        QCOMPARE(sections.used(), QStringList{u"keys"_s});
        QCOMPARE(contents(path), workspace::serialize(ws));
    }

    // Where nothing can be written ahead (here: the directory does not exist), the file is
    // written as usual.
    void sectionsThatCouldNotBeWrittenAhead() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const Workspace ws = bigWorkspace();
        workspace::PrewrittenSections sections(dir.filePath(u"missing/snapshot.json"_s));
        sections.write(ws.users);
        sections.write(ws.keys);
        const QString path = dir.filePath(u"snapshot.json"_s);
        VERIFY_SUCCEEDS(workspace::writeFile(ws, path, sections));
        QCOMPARE(sections.used(), QStringList());
        QCOMPARE(contents(path), workspace::serialize(ws));
    }

    // Sections in another file system than the file (where copy_file_range will not go) are
    // copied through a buffer: the same bytes.
    void sectionsOnAnotherFileSystem() {
        QTemporaryDir dir;
        QTemporaryDir memory(u"/dev/shm/tst_workspacefile_sections-XXXXXX"_s);
        QVERIFY(dir.isValid());
        if (!memory.isValid())
            QSKIP("no /dev/shm to write the sections in");
        struct stat here {
        }, there{};
        QCOMPARE(::stat(QFile::encodeName(dir.path()).constData(), &here), 0);
        QCOMPARE(::stat(QFile::encodeName(memory.path()).constData(), &there), 0);
        if (here.st_dev == there.st_dev)
            QSKIP("/dev/shm is on the temporary directory's file system");
        const Workspace ws = bigWorkspace();
        workspace::PrewrittenSections sections(memory.filePath(u"snapshot.json"_s));
        sections.write(ws.teams);
        sections.write(ws.teamMemberships);
        sections.write(ws.users);
        sections.write(ws.keys);
        const QString path = dir.filePath(u"snapshot.json"_s);
        VERIFY_SUCCEEDS(workspace::writeFile(ws, path, sections));
        QCOMPARE(sections.used(),
                 (QStringList{u"teams"_s, u"team_memberships"_s, u"users"_s, u"keys"_s}));
        QCOMPARE(contents(path), workspace::serialize(ws));
    }

    // The file is too large for the process's limit halfway through copying the keys: the
    // write fails, says why, and leaves the old file and nothing else.
    void failedCopyLeavesTheOldFile() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"snapshot.json"_s);
        const Workspace old = richWorkspace();
        VERIFY_SUCCEEDS(workspace::writeFile(old, path));
        const QByteArray oldBytes = contents(path);

        const Workspace ws = bigWorkspace();
        workspace::PrewrittenSections sections(path);
        sections.write(ws.users);
        sections.write(ws.keys);
        sections.wait(); // before the limit, which would stop them too
        const QByteArray full = workspace::serialize(ws);
        const qsizetype keysAt = full.indexOf("\n  \"keys\": [");
        QVERIFY(keysAt > 0);
        const qsizetype limit = keysAt + (full.size() - keysAt) / 2;

        const Status written =
            withFileSizeLimit(limit, [&] { return workspace::writeFile(ws, path, sections); });

        QVERIFY(!written.ok());
        QCOMPARE(written.error().kind, ErrorKind::Io);
        QCOMPARE(written.error().message, u"cannot write "_s + path + u": File too large"_s);
        QCOMPARE(contents(path), oldBytes);
        QCOMPARE(filesIn(dir), QStringList{u"snapshot.json"_s});
        QCOMPARE(sections.used(), QStringList());
    }

    // Written in one go, a file that reaches the limit part-way through a chunk says why too
    // (the device took part of the chunk, and said nothing about the rest).
    void plainWriteSaysWhyItStopped() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"snapshot.json"_s);
        const Workspace old = richWorkspace();
        VERIFY_SUCCEEDS(workspace::writeFile(old, path));
        const QByteArray oldBytes = contents(path);
        const Workspace ws = bigWorkspace();
        const Status written = withFileSizeLimit(workspace::serialize(ws).size() / 2,
                                                 [&] { return workspace::writeFile(ws, path); });
        QVERIFY(!written.ok());
        QCOMPARE(written.error().message, u"cannot write "_s + path + u": File too large"_s);
        QCOMPARE(contents(path), oldBytes);
        QCOMPARE(filesIn(dir), QStringList{u"snapshot.json"_s});
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceFileSections)
#include "tst_workspacefile_sections.moc"
