// ReferenceCheck: the dangling references of single rows, worded and ordered as
// referenceWarnings gives them for the whole workspace; ids found by their buffer or their text;
// referenceWarnings of a big workspace, whose keys are checked on two threads, in key order; the
// summary with the keys checked ahead.
#include "workspace/WorkspaceJson.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;

namespace {

Key key(const QString& token, std::optional<QString> team, std::optional<QString> user) {
    Key k;
    k.token = token;
    k.teamId = std::move(team);
    k.userId = std::move(user);
    return k;
}

TeamMembership membership(const QString& team, const QString& user) {
    TeamMembership m;
    m.teamId = team;
    m.userId = user;
    return m;
}

Workspace smallWorkspace() {
    Workspace ws;
    Team team;
    team.id = u"t1"_s;
    ws.teams.append(team);
    User user;
    user.id = u"u1"_s;
    ws.users.append(user);
    ws.teamMemberships = {membership(u"t1"_s, u"u1"_s), membership(u"t-gone"_s, u"u-gone"_s)};
    Key dangling = key(u"k1"_s, u"t-gone"_s, u"u-gone"_s);
    dangling.projectId = u"p-gone"_s;
    dangling.accessGroupIds = {u"g-gone"_s};
    ws.keys = {key(u"k0"_s, u"t1"_s, u"u1"_s), dangling, key(u"k2"_s, std::nullopt, std::nullopt)};
    return ws;
}

// The warnings of referenceWarnings about one row ("keys[1]." ...).
QStringList aboutRow(const QStringList& warnings, const QString& row) {
    QStringList about;
    for (const QString& warning : warnings)
        if (warning.startsWith(row + u'.'))
            about.append(warning);
    return about;
}

} // namespace

class TestReferenceCheck : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rowsAsTheWholeWorkspaceSaysThem() {
        const Workspace ws = smallWorkspace();
        const QStringList all = workspace::referenceWarnings(ws);
        QCOMPARE(all.size(), 6); // membership: team, user; key: team, user, project, group
        const workspace::ReferenceCheck check(ws);
        for (qsizetype i = 0; i < ws.keys.size(); ++i)
            QCOMPARE(check.keyWarnings(i), aboutRow(all, u"keys[%1]"_s.arg(i)));
        for (qsizetype i = 0; i < ws.teamMemberships.size(); ++i)
            QCOMPARE(check.membershipWarnings(i), aboutRow(all, u"team_memberships[%1]"_s.arg(i)));
        QCOMPARE(check.keyWarnings(1).first(),
                 u"keys[1].team_id: no team \"t-gone\" in this workspace"_s);
        QVERIFY(check.keyWarnings(0).isEmpty());
    }
    // Ids are found by their buffer where the reference shares it (pooled names), else by their
    // text: a copy of a known id is known, a shorter string in a known id's buffer is not, and a
    // dangling id shared by several rows is reported at each.
    void idsByBufferAndByText() {
        Workspace ws = smallWorkspace();
        // Ids in buffers of their own, as read ones are (a literal's are not the set's to keep).
        ws.teams.first().id = QString::fromLatin1("t1");
        ws.users.first().id = QString::fromLatin1("u1");
        const QString team = ws.teams.first().id;
        const QString user = ws.users.first().id;
        const QString gone = u"t-gone"_s;
        ws.teamMemberships.clear();
        ws.keys = {key(u"k0"_s, team, user),
                   key(u"k1"_s, QString(team.constData(), team.size()), std::nullopt),
                   key(u"k2"_s, QString::fromRawData(team.constData(), 1), std::nullopt),
                   key(u"k3"_s, gone, QString::fromRawData(user.constData(), user.size())),
                   key(u"k4"_s, gone, std::nullopt),
                   key(u"k5"_s, team, QString::fromRawData(user.constData(), 1))};
        const QStringList expected{u"keys[2].team_id: no team \"t\" in this workspace"_s,
                                   u"keys[3].team_id: no team \"t-gone\" in this workspace"_s,
                                   u"keys[4].team_id: no team \"t-gone\" in this workspace"_s,
                                   u"keys[5].user_id: no user \"u\" in this workspace"_s};
        QCOMPARE(workspace::referenceWarnings(ws), expected);
        QCOMPARE(workspace::keyReferenceWarnings(ws.keys, {{team}, {user}, {}, {}}), expected);
        // Ids that are not the set's own buffers: found by their text.
        QCOMPARE(workspace::keyReferenceWarnings(
                     ws.keys, {{QString::fromRawData(team.constData(), team.size())},
                               {QString(user.constData(), user.size())},
                               {},
                               {}}),
                 expected);
        const workspace::ReferenceCheck check(ws);
        QCOMPARE(check.keyWarnings(2), expected.mid(0, 1));
        QVERIFY(check.keyWarnings(1).isEmpty());
    }

    void bigWorkspacesKeepKeyOrder() {
        // Past the size where a second thread checks the last keys and the users.
        Workspace ws = smallWorkspace();
        User listed;
        listed.id = u"u2"_s;
        listed.teams = QStringList({u"t1"_s, u"t-of-u2"_s});
        ws.users.append(listed);
        ws.keys.clear();
        for (int i = 0; i < 60000; ++i)
            ws.keys.append(key(u"token-%1"_s.arg(i), i % 1000 == 999 ? u"t-%1"_s.arg(i) : u"t1"_s,
                               i % 7000 == 3 ? u"u-%1"_s.arg(i) : u"u1"_s));
        const QStringList all = workspace::referenceWarnings(ws);
        const workspace::ReferenceCheck check(ws);
        QStringList expected;
        for (qsizetype i = 0; i < ws.teamMemberships.size(); ++i)
            expected += check.membershipWarnings(i);
        for (qsizetype i = 0; i < ws.keys.size(); ++i)
            expected += check.keyWarnings(i);
        expected += u"users[1].teams[1]: no team \"t-of-u2\" in this workspace"_s;
        QCOMPARE(all.size(), 2 + 60 + 9 + 1);
        QCOMPARE(all, expected);
        QCOMPARE(all.at(all.size() - 2),
                 u"keys[59999].team_id: no team \"t-59999\" in this workspace"_s);
    }

    // A reader that checked the keys itself (the PostgreSQL snapshot, on the keys' connection,
    // against the ids it read there) gets the summary the whole workspace gives: the memberships,
    // checked on two threads, come before the keys, the users after.
    void summaryWithKeysCheckedAhead() {
        Workspace ws = smallWorkspace();
        ws.teamMemberships.clear();
        for (int i = 0; i < 60000; ++i)
            ws.teamMemberships.append(membership(u"t1"_s, i == 59000 ? u"u-gone"_s : u"u1"_s));
        User listed;
        listed.id = u"u2"_s;
        listed.teams = QStringList({u"t-of-u2"_s});
        ws.users.append(listed);
        const workspace::ReferenceCheck check(ws);
        QStringList keyWarnings;
        for (qsizetype i = 0; i < ws.keys.size(); ++i)
            keyWarnings += check.keyWarnings(i);
        QCOMPARE(keyWarnings.size(), 4);
        workspace::KeyTargets targets;
        for (const Team& team : std::as_const(ws.teams))
            targets.teams.append(team.id);
        for (const User& user : std::as_const(ws.users))
            targets.users.append(user.id);
        QCOMPARE(workspace::keyReferenceWarnings(ws.keys, targets), keyWarnings);
        const QString summary = workspace::referenceSummary(ws, keyWarnings);
        QCOMPARE(summary, workspace::referenceSummary(ws));
        QVERIFY2(summary.contains(u"team_memberships[59000].user_id"_s), qPrintable(summary));
        QVERIFY2(summary.startsWith(u"6 reference(s)"_s), qPrintable(summary));
        // Only the keys: theirs is the first.
        ws.teamMemberships.clear();
        QVERIFY(workspace::referenceSummary(ws, keyWarnings).contains(u"keys[1].team_id"_s));
        QCOMPARE(workspace::referenceSummary(ws, keyWarnings), workspace::referenceSummary(ws));
    }
};

QTEST_GUILESS_MAIN(TestReferenceCheck)
#include "tst_referencecheck.moc"
