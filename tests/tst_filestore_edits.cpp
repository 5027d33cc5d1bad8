// applyEdit's team and key edits, through FileStore: models, default member models, alias and
// blocked; key models by alias, token hash or raw key; how admins name teams and members when
// identifiers are ambiguous; invalid model lists; expected values (the stale-editor check); and
// applyEdit itself, all or nothing on an in-memory workspace. Fixture workspace:
// tests/data/filestore/acme.json; helpers: support/FileStoreTestSupport.h.
#include "support/FileStoreTestSupport.h"
#include "workspace/WorkspaceJson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

class TestFileStoreEdits : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();

    void ambiguousIdentifiers();

    void teamEdits();
    void teamAliasTaken();
    void keyModels_data();
    void keyModels();
    void unknownKey();
    void invalidModelLists_data();
    void invalidModelLists();

    void matchingExpectationsApply();
    void unknownExpectedField();
    void applyEditIsAllOrNothing();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestFileStoreEdits::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"workspace.json"_s);
    copyFixture(u"acme.json"_s, m_path);
}

// ---- Identifiers --------------------------------------------------------------------------------

void TestFileStoreEdits::ambiguousIdentifiers() {
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> team = apply(store, StoreEdit::setTeamBlocked(u"Shared"_s, true));
    VERIFY_FAILS_WITH(team, ErrorKind::InvalidInput, u"team-dup1, team-dup2"_s);
    QVERIFY(team.error().message.contains(u"team_alias Shared"_s));
    const Result<EditOutcome> member =
        apply(store, StoreEdit::setMemberScope(u"Ops"_s, u"twin@acme.example"_s, {}));
    VERIFY_FAILS_WITH(member, ErrorKind::InvalidInput, u"u-twin1, u-twin2"_s);
    // An id always wins over an alias.
    VERIFY_SUCCEEDS(apply(store, StoreEdit::setTeamBlocked(u"team-dup2"_s, true)));
    QVERIFY(teamRow(fileJson(m_path), u"team-dup2"_s).value(u"blocked"_s).toBool());
    QVERIFY(!teamRow(fileJson(m_path), u"team-dup1"_s).value(u"blocked"_s).toBool());
    QVERIFY(before != fileBytes(m_path));
}

// ---- Team and key edits -------------------------------------------------------------------------

void TestFileStoreEdits::teamEdits() {
    FileStore store(m_path, false);
    const Result<EditOutcome> models =
        apply(store, StoreEdit::setTeamModels(u"Ops"_s, {u"gpt-4o"_s, u"claude-sonnet"_s}));
    VERIFY_SUCCEEDS(models);
    QCOMPARE(models->summary,
             u"team Ops: models [] (all proxy models) -> [gpt-4o, claude-sonnet]"_s);
    QCOMPARE(models->objectId, u"team-ops"_s);
    QCOMPARE(models->before, QJsonObject({{u"models"_s, QJsonArray()}}));

    const Result<EditOutcome> defaults = apply(
        store, StoreEdit::setDefaultMemberModels(u"Search"_s, {u"gpt-4o"_s, u"claude-sonnet"_s}));
    VERIFY_SUCCEEDS(defaults);
    QCOMPARE(defaults->summary, u"team Search: default_team_member_models [gpt-4o-mini] -> "
                                u"[gpt-4o, claude-sonnet]"_s);

    const Result<EditOutcome> alias =
        apply(store, StoreEdit::setTeamAlias(u"Plain"_s, u"Plain and Simple"_s));
    VERIFY_SUCCEEDS(alias);
    QCOMPARE(alias->summary, u"team Plain: team_alias \"Plain\" -> \"Plain and Simple\""_s);

    const Result<EditOutcome> blocked =
        apply(store, StoreEdit::setTeamBlocked(u"Plain and Simple"_s, true));
    VERIFY_SUCCEEDS(blocked);
    QCOMPARE(blocked->summary, u"team \"Plain and Simple\": blocked false -> true"_s);
    QCOMPARE(blocked->after, QJsonObject({{u"blocked"_s, true}}));

    const QJsonObject file = fileJson(m_path);
    QCOMPARE(teamRow(file, u"team-ops"_s).value(u"models"_s),
             QJsonValue(strings({u"gpt-4o"_s, u"claude-sonnet"_s})));
    QCOMPARE(teamRow(file, u"team-search"_s).value(u"default_team_member_models"_s),
             QJsonValue(strings({u"gpt-4o"_s, u"claude-sonnet"_s})));
    const QJsonObject plain = teamRow(file, u"team-plain"_s);
    QCOMPARE(plain.value(u"team_alias"_s), QJsonValue(u"Plain and Simple"_s));
    QCOMPARE(plain.value(u"blocked"_s), QJsonValue(true));
    // Setting the defaults changes no existing member's scope.
    QCOMPARE(membershipRow(file, u"team-search"_s, u"u-bob"_s).value(u"allowed_models"_s),
             QJsonValue(strings({u"gpt-4o"_s})));

    VERIFY_SUCCEEDS(apply(store, StoreEdit::setTeamModels(u"team-ops"_s, {})));
    QCOMPARE(teamRow(fileJson(m_path), u"team-ops"_s).value(u"models"_s), QJsonValue(QJsonArray()));
}

void TestFileStoreEdits::teamAliasTaken() {
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> taken = apply(store, StoreEdit::setTeamAlias(u"Plain"_s, u"Ops"_s));
    VERIFY_FAILS_WITH(taken, ErrorKind::InvalidInput, u"already used by team team-ops"_s);
    QCOMPARE(fileBytes(m_path), before);
    // Its own alias again, and clearing it, are fine.
    VERIFY_SUCCEEDS(apply(store, StoreEdit::setTeamAlias(u"Plain"_s, u"Plain"_s)));
    VERIFY_SUCCEEDS(apply(store, StoreEdit::setTeamAlias(u"Plain"_s, QString())));
    QCOMPARE(teamRow(fileJson(m_path), u"team-plain"_s).value(u"team_alias"_s),
             QJsonValue(QString()));
}

void TestFileStoreEdits::keyModels_data() {
    QTest::addColumn<QString>("identifier");
    QTest::addColumn<QString>("token");
    QTest::newRow("alias") << u"search-prod"_s << keyHash;
    QTest::newRow("token hash") << keyHash << keyHash;
    QTest::newRow("raw key") << u"sk-search-raw"_s << keyHash;
    QTest::newRow("raw token in file") << u"sk-plain-token"_s << u"sk-plain-token"_s;
}

void TestFileStoreEdits::keyModels() {
    QFETCH(QString, identifier);
    QFETCH(QString, token);
    FileStore store(m_path, false);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::setKeyModels(identifier, {u"gpt-4o-mini"_s}));
    VERIFY_SUCCEEDS(outcome);
    QCOMPARE(outcome->objectId, token);
    QCOMPARE(outcome->after, QJsonObject({{u"models"_s, strings({u"gpt-4o-mini"_s})}}));
    QVERIFY2(!outcome->summary.contains(u"sk-search-raw"_s), qPrintable(outcome->summary));
    const QJsonObject file = fileJson(m_path);
    QCOMPARE(keyRow(file, token).value(u"models"_s), QJsonValue(strings({u"gpt-4o-mini"_s})));
    if (token == keyHash) {
        QCOMPARE(outcome->summary, u"key search-prod: models [gpt-4o] -> [gpt-4o-mini]"_s);
        QCOMPARE(keyRow(file, token).value(u"x_key_note"_s), QJsonValue(u"kept"_s));
    }

    VERIFY_SUCCEEDS(apply(store, StoreEdit::setKeyModels(identifier, {})));
    QCOMPARE(keyRow(fileJson(m_path), token).value(u"models"_s), QJsonValue(QJsonArray()));
}

void TestFileStoreEdits::unknownKey() {
    FileStore store(m_path, false);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::setKeyModels(u"sk-some-secret-raw-key-1234"_s, {}));
    VERIFY_FAILS_WITH(outcome, ErrorKind::NotFound, u"no key"_s);
    // A raw key is a secret: the message shows no part of it.
    QVERIFY2(!outcome.error().message.contains(u"secret-raw"_s),
             qPrintable(outcome.error().message));
    QVERIFY(!outcome.error().message.contains(u"1234"_s));
    QVERIFY(outcome.error().message.contains(u"sk-…"_s));
}

void TestFileStoreEdits::invalidModelLists_data() {
    QTest::addColumn<StoreEdit>("edit");
    QTest::addColumn<QString>("message");
    const QStringList empty{u"gpt-4o"_s, QString()};
    const QStringList twice{u"gpt-4o"_s, u"claude-sonnet"_s, u"gpt-4o"_s};
    QTest::newRow("scope empty") << StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, empty)
                                 << u"models[1]: empty model name"_s;
    QTest::newRow("scope duplicate") << StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, twice)
                                     << u"models[2]: model gpt-4o is listed twice"_s;
    QTest::newRow("team models") << StoreEdit::setTeamModels(u"Search"_s, empty)
                                 << u"empty model name"_s;
    QTest::newRow("default models") << StoreEdit::setDefaultMemberModels(u"Search"_s, twice)
                                    << u"default_team_member_models[2]"_s;
    QTest::newRow("key models") << StoreEdit::setKeyModels(u"search-prod"_s, twice)
                                << u"listed twice"_s;
    StoreEdit add = StoreEdit::addMember(u"Search"_s, u"u-dave"_s);
    add.memberModels = empty;
    QTest::newRow("add member") << add << u"allowed_models[1]: empty model name"_s;
    StoreEdit role = StoreEdit::addMember(u"Search"_s, u"u-dave"_s);
    role.role = u"proxy_admin"_s;
    QTest::newRow("add member role") << role << u"role must be"_s;
    QTest::newRow("no team") << StoreEdit::setTeamModels(QString(), {}) << u"no team given"_s;
    QTest::newRow("no user") << StoreEdit::addMember(u"Search"_s, QString()) << u"no user given"_s;
}

void TestFileStoreEdits::invalidModelLists() {
    QFETCH(StoreEdit, edit);
    QFETCH(QString, message);
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_FAILS_WITH(outcome, ErrorKind::InvalidInput, message);
    QCOMPARE(fileBytes(m_path), before);
}

// ---- Expectations and applyEdit -----------------------------------------------------------------

void TestFileStoreEdits::matchingExpectationsApply() {
    FileStore store(m_path, false);
    StoreEdit edit = StoreEdit::updateMember(u"Search"_s, u"u-bob"_s);
    edit.maxBudget = std::optional(20.0);
    edit.expect(u"max_budget"_s, 10.0) // the file says 10: the same number
        .expect(u"rpm_limit"_s, QJsonValue::Null)
        .expect(u"role"_s, u"user"_s)
        .expect(u"allowed_models"_s, strings({u"gpt-4o"_s}))
        .expect(u"default_team_member_models"_s, strings({u"gpt-4o-mini"_s}));
    VERIFY_SUCCEEDS(apply(store, edit));

    StoreEdit key = StoreEdit::setKeyModels(u"search-prod"_s, {});
    key.expect(u"models"_s, strings({u"gpt-4o"_s}));
    VERIFY_SUCCEEDS(apply(store, key));

    StoreEdit add = StoreEdit::addMember(u"Search"_s, u"u-dave"_s);
    add.expect(u"default_team_member_models"_s, strings({u"gpt-4o"_s})); // stale
    const Result<EditOutcome> stale = apply(store, add);
    VERIFY_FAILS_WITH(stale, ErrorKind::Conflict, u"default_team_member_models"_s);
}

void TestFileStoreEdits::unknownExpectedField() {
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    StoreEdit edit = StoreEdit::setTeamBlocked(u"Search"_s, true);
    edit.expect(u"colour"_s, u"blue"_s);
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_FAILS_WITH(outcome, ErrorKind::InvalidInput, u"cannot check colour"_s);
    QCOMPARE(fileBytes(m_path), before);
}

void TestFileStoreEdits::applyEditIsAllOrNothing() {
    Result<Workspace> ws = workspace::readFile(m_path);
    VERIFY_SUCCEEDS(ws);
    const QByteArray before = workspace::serialize(*ws);

    StoreEdit stale = StoreEdit::removeMember(u"Search"_s, u"u-bob"_s);
    stale.expect(u"role"_s, u"admin"_s);
    const Result<EditOutcome> refused = applyEdit(*ws, stale);
    VERIFY_FAILS_WITH(refused, ErrorKind::Conflict, u"role is now \"user\", expected \"admin\""_s);
    QCOMPARE(workspace::serialize(*ws), before);

    StoreEdit add = StoreEdit::addMember(u"Plain"_s, u"u-new"_s);
    add.memberModels = QStringList{u"gpt-4o"_s};
    const Result<EditOutcome> added = applyEdit(*ws, add);
    VERIFY_SUCCEEDS(added);
    QVERIFY(workspace::serialize(*ws) != before);
    QVERIFY(workspace::validate(*ws).ok());
    const Result<qsizetype> plain = findTeam(*ws, u"Plain"_s);
    VERIFY_SUCCEEDS(plain);
    const QList<TeamMember> members = teamMembers(*ws, ws->teams.at(*plain));
    QCOMPARE(members.size(), 1);
    QCOMPARE(members.front().allowedModels, QStringList{u"gpt-4o"_s});
    QVERIFY(fileBytes(m_path).size() > 0); // the pure function never touched the file
}

QTEST_GUILESS_MAIN(TestFileStoreEdits)
#include "tst_filestore_edits.moc"
