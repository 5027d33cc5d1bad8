// FileStore as a Store over a workspace file: opening, snapshots, paging teams and listing
// members, missing and malformed files, conflicts between two stores on one file, concurrent
// writers, read-only refusal, and unknown fields and hostile strings surviving edits. Fixture
// workspaces: tests/data/filestore/; helpers: support/FileStoreTestSupport.h.
#include "support/FileStoreTestSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

class TestFileStoreStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();

    void openDescribesTheFile();
    void missingFile();
    void malformedFile();
    void snapshotSeesOtherWriters();
    void teamsArePagedById();
    void membersJoinMembershipRows();
    void membersOfUnknownTeam();

    void conflictBetweenTwoStores();
    void concurrentWritersKeepBothEdits();
    void readOnlyRefuses();
    void unknownFieldsSurvive();
    void hostileStrings_data();
    void hostileStrings();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestFileStoreStore::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"workspace.json"_s);
    copyFixture(u"acme.json"_s, m_path);
}

// ---- Reading ------------------------------------------------------------------------------------

void TestFileStoreStore::openDescribesTheFile() {
    FileStore store(m_path, false);
    const Result<StoreInfo> info = awaitTask(store.open());
    VERIFY_SUCCEEDS(info);
    QCOMPARE(info->kind, u"file"_s);
    QCOMPARE(info->displayName, m_path);
    QVERIFY(info->memberScopes);
    QVERIFY(info->accessGroups);
    QVERIFY(info->projects);
    QVERIFY(!info->auditLog);
    QVERIFY(!info->readOnly);

    FileStore readOnly(m_path, true);
    const Result<StoreInfo> readOnlyInfo = awaitTask(readOnly.open());
    VERIFY_SUCCEEDS(readOnlyInfo);
    QVERIFY(readOnlyInfo->readOnly);
}

void TestFileStoreStore::missingFile() {
    const QString path = m_dir->filePath(u"nothing-here.json"_s);
    FileStore store(path, false);
    const Result<StoreInfo> info = awaitTask(store.open());
    VERIFY_FAILS_WITH(info, ErrorKind::NotFound, QDir::toNativeSeparators(path));
    const Result<Workspace> snapshot = awaitTask(store.snapshot());
    VERIFY_FAILS_WITH(snapshot, ErrorKind::NotFound, u"nothing-here.json"_s);
    const Result<EditOutcome> edit = apply(store, StoreEdit::setTeamBlocked(u"Search"_s, true));
    VERIFY_FAILS_WITH(edit, ErrorKind::NotFound, u"nothing-here.json"_s);
    QVERIFY(!QFile::exists(path));
}

void TestFileStoreStore::malformedFile() {
    FileStore store(fixture(u"malformed.json"_s), false);
    const Result<StoreInfo> info = awaitTask(store.open());
    VERIFY_FAILS_WITH(info, ErrorKind::InvalidInput, u"malformed.json"_s);
    QVERIFY2(info.error().message.contains(u"invalid JSON at line 2"_s),
             qPrintable(info.error().message));
    const Result<Page<Team>> page = awaitTask(store.teams({}));
    VERIFY_FAILS_WITH(page, ErrorKind::InvalidInput, u"invalid JSON"_s);
}

void TestFileStoreStore::snapshotSeesOtherWriters() {
    FileStore reader(m_path, true);
    FileStore writer(m_path, false);
    const Result<Workspace> before = awaitTask(reader.snapshot());
    VERIFY_SUCCEEDS(before);
    QCOMPARE(before->source.kind, u"postgres"_s); // where the file was captured
    VERIFY_SUCCEEDS(apply(writer, StoreEdit::setTeamBlocked(u"Ops"_s, true)));
    const Result<Workspace> after = awaitTask(reader.snapshot());
    VERIFY_SUCCEEDS(after);
    const Result<qsizetype> ops = findTeam(*after, u"team-ops"_s);
    VERIFY_SUCCEEDS(ops);
    QVERIFY(after->teams.at(*ops).blocked);
}

void TestFileStoreStore::teamsArePagedById() {
    FileStore store(m_path, true);
    QStringList seen;
    PageRequest request{QString(), 2};
    int pages = 0;
    for (;;) {
        const Result<Page<Team>> page = awaitTask(store.teams(request));
        VERIFY_SUCCEEDS(page);
        QVERIFY(page->items.size() <= 2);
        for (const Team& team : page->items)
            seen.append(team.id);
        ++pages;
        if (page->next.isEmpty())
            break;
        QCOMPARE(page->next, seen.back());
        request.after = page->next;
        QVERIFY(pages < 10);
    }
    QCOMPARE(pages, 3);
    QCOMPARE(seen, (QStringList{u"team-dup1"_s, u"team-dup2"_s, u"team-ops"_s, u"team-plain"_s,
                                u"team-search"_s}));

    const Result<Page<Team>> all = awaitTask(store.teams({}));
    VERIFY_SUCCEEDS(all);
    QCOMPARE(all->items.size(), 5);
    QVERIFY(all->next.isEmpty());
    const Result<Page<Team>> exact = awaitTask(store.teams({QString(), 5}));
    VERIFY_SUCCEEDS(exact);
    QVERIFY(exact->next.isEmpty()); // nothing remains, so no empty last page
    const Result<Page<Team>> tail = awaitTask(store.teams({u"team-plain"_s, 2}));
    VERIFY_SUCCEEDS(tail);
    QCOMPARE(tail->items.size(), 1);
    QCOMPARE(tail->items.front().id, u"team-search"_s);
    QVERIFY(tail->next.isEmpty());
    const Result<Page<Team>> zero = awaitTask(store.teams({QString(), 0}));
    VERIFY_FAILS_WITH(zero, ErrorKind::InvalidInput, u"page limit"_s);
}

void TestFileStoreStore::membersJoinMembershipRows() {
    FileStore store(m_path, true);
    const Result<QList<TeamMember>> members = awaitTask(store.members(u"Search"_s));
    VERIFY_SUCCEEDS(members);
    QCOMPARE(members->size(), 3);

    const TeamMember& ann = members->at(0);
    QCOMPARE(ann.userId, u"u-ann"_s);
    QCOMPARE(ann.role, u"admin"_s);
    QVERIFY(ann.hasMembershipRow);
    QCOMPARE(ann.budgetId, std::optional(u"b-shared"_s));
    QVERIFY(ann.allowedModels.isEmpty());

    const TeamMember& bob = members->at(1);
    QCOMPARE(bob.userId, u"u-bob"_s);
    QCOMPARE(bob.email, std::optional(u"bob@acme.example"_s));
    QCOMPARE(bob.role, u"user"_s);
    QVERIFY(bob.hasMembershipRow);
    QCOMPARE(bob.budgetId, std::optional(u"b-bob"_s));
    QCOMPARE(bob.allowedModels, QStringList{u"gpt-4o"_s});
    QCOMPARE(bob.maxBudget, std::optional(10.0));
    QCOMPARE(bob.tpmLimit, std::optional<qint64>(1000));
    QCOMPARE(bob.rpmLimit, std::optional<qint64>()); // null in the file
    QCOMPARE(bob.spend, 1.5);

    // A roster entry with only an email is found through the users row with that email.
    const TeamMember& carol = members->at(2);
    QCOMPARE(carol.userId, u"u-carol"_s);
    QCOMPARE(carol.email, std::optional(u"carol@acme.example"_s));
    QVERIFY(!carol.hasMembershipRow);
    QVERIFY(!carol.maxBudget);

    const Result<QList<TeamMember>> byId = awaitTask(store.members(u"team-search"_s));
    VERIFY_SUCCEEDS(byId);
    QCOMPARE(byId->size(), 3);
}

void TestFileStoreStore::membersOfUnknownTeam() {
    FileStore store(m_path, true);
    const Result<QList<TeamMember>> none = awaitTask(store.members(u"Nope"_s));
    VERIFY_FAILS_WITH(none, ErrorKind::NotFound, u"no team with team_id or team_alias Nope"_s);
    const Result<QList<TeamMember>> shared = awaitTask(store.members(u"Shared"_s));
    VERIFY_FAILS_WITH(shared, ErrorKind::InvalidInput, u"team-dup1, team-dup2"_s);
}

// ---- Two stores, read-only, preservation --------------------------------------------------------

void TestFileStoreStore::conflictBetweenTwoStores() {
    FileStore alice(m_path, false);
    FileStore bob(m_path, false);
    // Alice's editor shows bob@ scoped to [gpt-4o]; meanwhile another admin changes it.
    const Result<QList<TeamMember>> seen = awaitTask(alice.members(u"Search"_s));
    VERIFY_SUCCEEDS(seen);
    QCOMPARE(seen->at(1).allowedModels, QStringList{u"gpt-4o"_s});
    VERIFY_SUCCEEDS(
        apply(bob, StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {u"claude-sonnet"_s})));
    const QByteArray afterOther = fileBytes(m_path);

    StoreEdit edit = StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {});
    edit.expect(u"allowed_models"_s, strings(seen->at(1).allowedModels));
    const Result<EditOutcome> outcome = apply(alice, edit);
    VERIFY_FAILS_WITH(outcome, ErrorKind::Conflict, u"team Search: member bob@acme.example"_s);
    const QString& message = outcome.error().message;
    QVERIFY2(
        message.contains(u"allowed_models is now [\"claude-sonnet\"], expected [\"gpt-4o\"]"_s),
        qPrintable(message));
    QCOMPARE(fileBytes(m_path), afterOther);

    // Team fields too, and several mismatches are all named.
    StoreEdit team = StoreEdit::setTeamModels(u"Search"_s, {u"gpt-4o"_s});
    team.expect(u"models"_s, strings({u"gpt-4o"_s}))
        .expect(u"blocked"_s, true)
        .expect(u"team_alias"_s, u"Search"_s);
    const Result<EditOutcome> teamOutcome = apply(alice, team);
    VERIFY_FAILS_WITH(teamOutcome, ErrorKind::Conflict, u"blocked is now false, expected true"_s);
    QVERIFY(teamOutcome.error().message.contains(u"models is now [\"gpt-4o\", \"gpt-4o-mini\""_s));
    QVERIFY(!teamOutcome.error().message.contains(u"team_alias"_s));
    QCOMPARE(fileBytes(m_path), afterOther);
}

void TestFileStoreStore::concurrentWritersKeepBothEdits() {
    FileStore first(m_path, false);
    FileStore second(m_path, false);
    // Both tasks start at once; the lock file serialises them so neither edit is lost.
    QCoro::Task<Result<EditOutcome>> a =
        first.apply(StoreEdit::setTeamModels(u"Ops"_s, {u"gpt-4o"_s}));
    QCoro::Task<Result<EditOutcome>> b =
        second.apply(StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {}));
    const Result<EditOutcome> ra = awaitTask(std::move(a));
    const Result<EditOutcome> rb = awaitTask(std::move(b));
    VERIFY_SUCCEEDS(ra);
    VERIFY_SUCCEEDS(rb);
    const QJsonObject file = fileJson(m_path);
    QCOMPARE(teamRow(file, u"team-ops"_s).value(u"models"_s), QJsonValue(strings({u"gpt-4o"_s})));
    QCOMPARE(membershipRow(file, u"team-search"_s, u"u-bob"_s).value(u"allowed_models"_s),
             QJsonValue(QJsonArray()));
    QVERIFY(!QFile::exists(m_path + u".lock"_s));
}

void TestFileStoreStore::readOnlyRefuses() {
    FileStore store(m_path, true);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {}));
    VERIFY_FAILS_WITH(outcome, ErrorKind::PermissionDenied, u"read-only"_s);
    QCOMPARE(fileBytes(m_path), before);
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList{u"workspace.json"_s});
}

void TestFileStoreStore::unknownFieldsSurvive() {
    FileStore store(m_path, false);
    VERIFY_SUCCEEDS(apply(store, StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {})));
    VERIFY_SUCCEEDS(apply(store, StoreEdit::setKeyModels(u"search-prod"_s, {})));
    const QJsonObject file = fileJson(m_path);
    QCOMPARE(file.value(u"x_exported_by"_s),
             QJsonValue(QJsonObject({{u"tool"_s, u"hand-written fixture"_s}, {u"keep"_s, true}})));
    const QJsonObject team = teamRow(file, u"team-search"_s);
    QCOMPARE(team.value(u"x_team_note"_s),
             QJsonValue(QJsonObject({{u"owner"_s, u"search-infra"_s}})));
    QCOMPARE(team.value(u"metadata"_s)[u"team_member_budget_id"_s],
             QJsonValue(u"b-team-default"_s));
    QCOMPARE(rosterEntry(file, u"team-search"_s, u"u-bob"_s).value(u"x_member_note"_s),
             QJsonValue(u"kept"_s));
    const QJsonObject row = membershipRow(file, u"team-search"_s, u"u-bob"_s);
    QCOMPARE(row.value(u"budget_duration"_s), QJsonValue(u"30d"_s));
    QCOMPARE(row.value(u"spend"_s), QJsonValue(1.5));
    QCOMPARE(userRow(file, u"u-bob"_s).value(u"x_user_note"_s), QJsonValue(u"kept"_s));
    QCOMPARE(keyRow(file, keyHash).value(u"x_key_note"_s), QJsonValue(u"kept"_s));
    QCOMPARE(file.value(u"source"_s)[u"label"_s], QJsonValue(u"acme prod"_s));
}

void TestFileStoreStore::hostileStrings_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("quotes") << u"say \"hi\" 'there'"_s;
    QTest::newRow("backslashes") << u"C:\\models\\ft\\"_s;
    QTest::newRow("braces and commas") << u"{\"a\": [1, 2]}, {b}"_s;
    QTest::newRow("NULL") << u"NULL"_s;
    QTest::newRow("null-ish") << u"null"_s;
    QTest::newRow("emoji") << u"model \U0001F680\U0001F469\u200D\U0001F4BB"_s;
    QTest::newRow("rtl")
        << u"\u202Eevil\u202C \u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627"_s;
    QTest::newRow("control characters") << u"line\nbreak\ttab\u0001"_s;
    QTest::newRow("byte order mark") << u"\uFEFFbom-first"_s;
    QTest::newRow("spaces") << u"  padded  "_s;
    QTest::newRow("10 KB") << (u"\U0001F600x,\"\\"_s.repeated(2048) + u"end"_s);
}

void TestFileStoreStore::hostileStrings() {
    QFETCH(QString, text);
    FileStore store(m_path, false);

    // As a model name in every list an edit writes.
    const QStringList models{text, u"gpt-4o"_s};
    const Result<EditOutcome> teamModels =
        apply(store, StoreEdit::setTeamModels(u"team-plain"_s, models));
    VERIFY_SUCCEEDS(teamModels);
    QVERIFY(!teamModels->summary.contains(u'\n'));
    QVERIFY2(teamModels->summary.size() < 400, qPrintable(teamModels->summary.left(500)));
    VERIFY_SUCCEEDS(apply(store, StoreEdit::setDefaultMemberModels(u"team-plain"_s, models)));
    VERIFY_SUCCEEDS(apply(store, StoreEdit::setKeyModels(u"search-prod"_s, models)));

    // As a team alias, then naming the team by it.
    VERIFY_SUCCEEDS(apply(store, StoreEdit::setTeamAlias(u"team-plain"_s, text)));
    VERIFY_SUCCEEDS(apply(store, StoreEdit::setTeamBlocked(text, true)));

    // As an email: a new member, then found by it.
    StoreEdit add = StoreEdit::addMember(text, u"u-hostile"_s);
    add.email = text;
    VERIFY_SUCCEEDS(apply(store, add));
    VERIFY_SUCCEEDS(apply(store, StoreEdit::setMemberScope(text, text, {text})));

    // Another store reads back exactly the same strings.
    FileStore reader(m_path, true);
    const Result<Workspace> ws = awaitTask(reader.snapshot());
    VERIFY_SUCCEEDS(ws);
    const Result<qsizetype> index = findTeam(*ws, u"team-plain"_s);
    VERIFY_SUCCEEDS(index);
    const Team& team = ws->teams.at(*index);
    QCOMPARE(team.alias, text);
    QCOMPARE(team.models, models);
    QCOMPARE(team.defaultTeamMemberModels, models);
    QVERIFY(team.blocked);
    const Result<QList<TeamMember>> members = awaitTask(reader.members(text));
    VERIFY_SUCCEEDS(members);
    QCOMPARE(members->size(), 1);
    QCOMPARE(members->front().userId, u"u-hostile"_s);
    QCOMPARE(members->front().email, std::optional(text));
    QCOMPARE(members->front().allowedModels, QStringList{text});

    // And the file itself holds them byte for byte (checked with Qt's plain JSON parser).
    const QJsonObject file = fileJson(m_path);
    QCOMPARE(teamRow(file, u"team-plain"_s).value(u"models"_s)[0].toString(), text);
    QCOMPARE(keyRow(file, keyHash).value(u"models"_s)[0].toString(), text);
    QCOMPARE(userRow(file, u"u-hostile"_s).value(u"user_email"_s).toString(), text);
    QCOMPARE(userRow(file, u"u-hostile"_s).value(u"teams"_s),
             QJsonValue(strings({u"team-plain"_s})));
}

QTEST_GUILESS_MAIN(TestFileStoreStore)
#include "tst_filestore_store.moc"
