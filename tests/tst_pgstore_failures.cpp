// PgStore when things go wrong, on a real LiteLLM database: passwords never in messages,
// conflicts between two stores (nothing written), failing edits leave no rows and no audit row,
// ambiguous and unknown identifiers, the pre-member-scope schema level (Unsupported, other writes
// work), read-only mode enforced by the server session, a connection killed in the middle of a
// transaction (rolled back, the next call reconnects), concurrent writers. Hostile strings:
// tst_pgstore_hostile.cpp.
#include "store/pg/PgSession.h"
#include "store/pg/PgWriter.h"
#include "support/PgStoreTestSupport.h"

#include <QJsonArray>
#include <QTest>
#include <QTimer>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

namespace {

// One of every edit kind, valid on the seed.
QList<std::pair<QString, StoreEdit>> everyEditKind() {
    StoreEdit update = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    update.tpmLimit = std::optional<qint64>(1000);
    StoreEdit add = StoreEdit::addMember(seed::supportTeam, seed::grace);
    add.memberModels = QStringList{u"gpt-4o-mini"_s};
    return {
        {u"SetMemberScope"_s, StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {})},
        {u"UpdateMember"_s, update},
        {u"AddMember"_s, add},
        {u"RemoveMember"_s, StoreEdit::removeMember(seed::mlTeam, seed::bob)},
        {u"SetTeamModels"_s, StoreEdit::setTeamModels(seed::mlTeam, {u"gpt-4o"_s})},
        {u"SetDefaultMemberModels"_s, StoreEdit::setDefaultMemberModels(seed::mlTeam, {})},
        {u"SetTeamAlias"_s, StoreEdit::setTeamAlias(seed::mlTeam, u"Research"_s)},
        {u"SetTeamBlocked"_s, StoreEdit::setTeamBlocked(seed::mlTeam, true)},
        {u"SetKeyModels"_s, StoreEdit::setKeyModels(u"bob-notebook"_s, {u"gpt-4o"_s})},
    };
}

struct ConflictCase {
    QString name;
    StoreEdit other;    // what store B applies first
    StoreEdit stale;    // what store A then applies with its stale expectation
    QString message;    // part of the conflict message
    QString field;      // the expectation to refresh for the retry
    QJsonValue current; // what the field holds after B's edit
};

QList<ConflictCase> conflictCases() {
    const QJsonArray mlModels{u"gpt-4o"_s, u"claude-3-5-sonnet"_s, u"beta-models"_s};
    StoreEdit roleB = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    roleB.role = u"admin"_s;
    StoreEdit roleA = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    roleA.tpmLimit = std::optional<qint64>(500);
    roleA.expect(u"role"_s, u"user"_s);
    StoreEdit budgetB = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    budgetB.maxBudget = std::optional<double>(75);
    StoreEdit budgetA = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    budgetA.maxBudget = std::optional<double>(60);
    budgetA.expect(u"max_budget"_s, 50);
    return {
        {u"allowed_models"_s,
         StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {u"claude-3-5-sonnet"_s}),
         StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {u"gpt-4o"_s, u"beta-models"_s})
             .expect(u"allowed_models"_s, QJsonArray{u"gpt-4o"_s}),
         u"allowed_models is now [\"claude-3-5-sonnet\"], expected [\"gpt-4o\"]"_s,
         u"allowed_models"_s, QJsonArray{u"claude-3-5-sonnet"_s}},
        {u"team models"_s, StoreEdit::setTeamModels(seed::mlTeam, {u"gpt-4o"_s}),
         StoreEdit::setTeamModels(u"ML Research"_s, {u"gpt-4o-mini"_s})
             .expect(u"models"_s, mlModels),
         u"models is now [\"gpt-4o\"], expected [\"gpt-4o\", \"claude-3-5-sonnet\", "
         u"\"beta-models\"]"_s,
         u"models"_s, QJsonArray{u"gpt-4o"_s}},
        {u"default_team_member_models"_s, StoreEdit::setDefaultMemberModels(seed::mlTeam, {}),
         StoreEdit::setDefaultMemberModels(seed::mlTeam, {u"claude-3-5-sonnet"_s})
             .expect(u"default_team_member_models"_s, QJsonArray{u"gpt-4o"_s}),
         u"default_team_member_models is now [], expected [\"gpt-4o\"]"_s,
         u"default_team_member_models"_s, QJsonArray()},
        {u"team_alias"_s, StoreEdit::setTeamAlias(seed::supportTeam, u"Bots"_s),
         StoreEdit::setTeamAlias(seed::supportTeam, u"Helpdesk"_s)
             .expect(u"team_alias"_s, u"Support Bots"_s),
         u"team_alias is now \"Bots\", expected \"Support Bots\""_s, u"team_alias"_s, u"Bots"_s},
        {u"blocked"_s, StoreEdit::setTeamBlocked(seed::mlTeam, true),
         StoreEdit::setTeamModels(seed::mlTeam, {u"gpt-4o"_s}).expect(u"blocked"_s, false),
         u"blocked is now true, expected false"_s, u"blocked"_s, true},
        {u"role"_s, roleB, roleA, u"role is now \"admin\", expected \"user\""_s, u"role"_s,
         u"admin"_s},
        {u"max_budget"_s, budgetB, budgetA, u"max_budget is now 75, expected 50"_s, u"max_budget"_s,
         75},
        {u"key models"_s, StoreEdit::setKeyModels(seed::bobNotebookKey, {u"gpt-4o"_s}),
         StoreEdit::setKeyModels(u"bob-notebook"_s, {u"smart"_s})
             .expect(u"models"_s, QJsonArray{u"gpt-4o"_s, u"smart"_s}),
         u"models is now [\"gpt-4o\"], expected [\"gpt-4o\", \"smart\"]"_s, u"models"_s,
         QJsonArray{u"gpt-4o"_s}},
    };
}

struct FailingCase {
    QString name;
    StoreEdit edit;
    ErrorKind kind;
    QString message;
};

QList<FailingCase> failingCases() {
    StoreEdit badRole = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    badRole.role = u"owner"_s;
    StoreEdit roleThenNegative = StoreEdit::updateMember(seed::mlTeam, seed::bob);
    roleThenNegative.role = u"admin"_s; // the roster is rewritten before the limit is refused
    roleThenNegative.tpmLimit = std::optional<qint64>(-1);
    StoreEdit addBadRole = StoreEdit::addMember(seed::supportTeam, u"new-user"_s);
    addBadRole.role = u"owner"_s;
    StoreEdit addDuplicate = StoreEdit::addMember(seed::supportTeam, u"new-user"_s);
    addDuplicate.memberModels = QStringList{u"gpt-4o"_s, u"gpt-4o"_s};
    return {
        {u"remove a non-member"_s, StoreEdit::removeMember(u"Legacy Sandbox"_s, seed::carol),
         ErrorKind::NotFound, u"is not a member of team \"Legacy Sandbox\""_s},
        {u"scope of a non-member"_s,
         StoreEdit::setMemberScope(seed::mlTeam, seed::grace, {u"gpt-4o"_s}), ErrorKind::NotFound,
         u"is not a member"_s},
        {u"add an existing member"_s, StoreEdit::addMember(seed::mlTeam, u"BOB@example.com"_s),
         ErrorKind::InvalidInput, u"already a member of team \"ML Research\""_s},
        {u"invalid role"_s, badRole, ErrorKind::InvalidInput, u"\"owner\""_s},
        {u"role, then a negative limit"_s, roleThenNegative, ErrorKind::InvalidInput,
         u"tpm_limit must be at least 0"_s},
        {u"nothing to change"_s, StoreEdit::updateMember(seed::mlTeam, seed::bob),
         ErrorKind::InvalidInput, u"nothing to update"_s},
        {u"add with an invalid role"_s, addBadRole, ErrorKind::InvalidInput, u"\"owner\""_s},
        {u"add with a duplicate model"_s, addDuplicate, ErrorKind::InvalidInput, u"listed twice"_s},
        {u"empty model name"_s, StoreEdit::setTeamModels(seed::mlTeam, {u"gpt-4o"_s, QString()}),
         ErrorKind::InvalidInput, u"empty"_s},
        {u"duplicate model"_s,
         StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {u"gpt-4o"_s, u"gpt-4o"_s}),
         ErrorKind::InvalidInput, u"listed twice"_s},
        {u"unknown team"_s, StoreEdit::setTeamAlias(u"No Such Team"_s, u"x"_s), ErrorKind::NotFound,
         u"No Such Team"_s},
        {u"unknown user"_s, StoreEdit::removeMember(seed::mlTeam, u"nobody@example.com"_s),
         ErrorKind::NotFound, u"nobody@example.com"_s},
        {u"unknown key alias"_s, StoreEdit::setKeyModels(u"no-such-key"_s, {}), ErrorKind::NotFound,
         u"no-such-key"_s},
        {u"stale team expectation"_s,
         StoreEdit::setTeamModels(seed::mlTeam, {u"gpt-4o"_s})
             .expect(u"models"_s, QJsonArray{u"gpt-4o"_s}),
         ErrorKind::Conflict, u"nothing was written"_s},
        // An add checks the team's fields; the member it adds has none yet.
        {u"member expectation on add"_s,
         StoreEdit::addMember(seed::supportTeam, seed::grace).expect(u"role"_s, u"admin"_s),
         ErrorKind::InvalidInput, u"cannot check role"_s},
    };
}

} // namespace

class TestPgStoreFailures : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void connectionErrorsHidePassword_data();
    void connectionErrorsHidePassword();
    void malformedConnectionStringHidesPassword_data();
    void malformedConnectionStringHidesPassword();
    void databaseWithoutLiteLLMTables();

    void conflictBetweenTwoStores_data();
    void conflictBetweenTwoStores();
    void failingEditWritesNothing_data();
    void failingEditWritesNothing();
    void ambiguousIdentifiers();
    void expectationsFromWhatTheStoreShowed_data();
    void expectationsFromWhatTheStoreShowed();
    void teamAliasTakenByAnotherTeam();
    void concurrentMemberEditsKeepBoth();

    void oldLevelRefusesScopeEdits_data();
    void oldLevelRefusesScopeEdits();
    void oldLevelOtherWritesWork();

    void readOnlyRefusesEveryEdit_data();
    void readOnlyRefusesEveryEdit();
    void readOnlySessionRefusesWritesItself();
    void readOnlySessionDefaultOnServer();

    void connectionKilledMidTransaction_data();
    void connectionKilledMidTransaction();
    void idleConnectionKilled();

private:
    PgStoreFixture m_pg;
};

void TestPgStoreFailures::initTestCase() {
    QString error;
    QVERIFY2(m_pg.start(&error), qPrintable(error));
}

void TestPgStoreFailures::cleanupTestCase() {
    m_pg.stop();
}

// Passwords ---------------------------------------------------------------------------------------

void TestPgStoreFailures::connectionErrorsHidePassword_data() {
    QTest::addColumn<QString>("connection");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    const QString port = QString::number(m_pg.cluster().port());
    QTest::newRow("unknown database")
        << u"postgresql://postgres:secret@127.0.0.1:"_s + port + u"/no_such_db"_s
        << int(ErrorKind::ConnectionLost) << u"postgres@127.0.0.1:"_s + port + u"/no_such_db"_s;
    QTest::newRow("nothing listening")
        << u"postgresql://postgres:secret@127.0.0.1:1/litellm"_s << int(ErrorKind::ConnectionLost)
        << u"postgres@127.0.0.1:1/litellm"_s;
    QTest::newRow("key/value, unknown database")
        << u"host=127.0.0.1 port="_s + port + u" dbname=nope user=postgres password=secret"_s
        << int(ErrorKind::ConnectionLost) << u"Check the host"_s;
    // libpq checks sslmode only when it connects.
    QTest::newRow("invalid sslmode")
        << u"postgresql://postgres:secret@127.0.0.1:"_s + port + u"/litellm?sslmode=bogus"_s
        << int(ErrorKind::ConnectionLost) << u"invalid sslmode value"_s;
    QTest::newRow("unterminated quote")
        << u"host=127.0.0.1 password='secret"_s << int(ErrorKind::InvalidInput) << u"not valid"_s;
}

void TestPgStoreFailures::connectionErrorsHidePassword() {
    QFETCH(QString, connection);
    QFETCH(int, kind);
    QFETCH(QString, message);
    PgConnectionOptions options;
    options.connectionString = connection;
    PgStore store(options);
    const Result<StoreInfo> info = awaitTask(store.open());
    VERIFY_FAILS_WITH(info, ErrorKind(kind), message);
    QVERIFY2(!info.error().message.contains(u"secret"_s), failureText(info).constData());
    const Result<Workspace> ws = awaitTask(store.snapshot());
    QVERIFY(!ws.ok());
    QVERIFY2(!ws.error().message.contains(u"secret"_s), failureText(ws).constData());
    const Result<EditOutcome> edit =
        awaitTask(store.apply(StoreEdit::setTeamBlocked(seed::mlTeam, true)));
    QVERIFY(!edit.ok());
    QVERIFY2(!edit.error().message.contains(u"secret"_s), failureText(edit).constData());
}

void TestPgStoreFailures::malformedConnectionStringHidesPassword_data() {
    // libpq's parse errors quote the offending token, which here is (part of) the password.
    QTest::addColumn<QString>("connection");
    QTest::addColumn<QString>("password");
    QTest::newRow("bad percent-encoding in a URI password")
        << u"postgresql://postgres:hunter%zz2@127.0.0.1:5432/litellm"_s << u"hunter"_s;
    QTest::newRow("%00 in a URI password")
        << u"postgresql://postgres:hunter%002@127.0.0.1:5432/litellm"_s << u"hunter"_s;
    QTest::newRow("unquoted space in a key/value password")
        << u"host=127.0.0.1 password=hunter two dbname=litellm"_s << u"two"_s;
}

void TestPgStoreFailures::malformedConnectionStringHidesPassword() {
    QFETCH(QString, connection);
    QFETCH(QString, password);
    PgConnectionOptions options;
    options.connectionString = connection;
    const Result<QString> name = options.displayName();
    QVERIFY(!name.ok());
    QCOMPARE(kindName(name.error().kind), kindName(ErrorKind::InvalidInput));
    PgStore store(options);
    const Result<StoreInfo> info = awaitTask(store.open());
    QVERIFY(!info.ok());
    QVERIFY2(!name.error().message.contains(password), failureText(name).constData());
    QVERIFY2(!info.error().message.contains(password), failureText(info).constData());
}

void TestPgStoreFailures::databaseWithoutLiteLLMTables() {
    QString error;
    const QString db = m_pg.emptyDatabase(&error);
    QVERIFY2(!db.isEmpty(), qPrintable(error));
    auto store = m_pg.store(db);
    const Result<StoreInfo> info = awaitTask(store->open());
    VERIFY_SUCCEEDS(info);
    QVERIFY(!info->memberScopes);
    QVERIFY(!info->auditLog);
    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_FAILS_WITH(ws, ErrorKind::Unsupported, u"LiteLLM_ProxyModelTable"_s);
}

// Conflicts and failing edits ---------------------------------------------------------------------

void TestPgStoreFailures::conflictBetweenTwoStores_data() {
    QTest::addColumn<int>("index");
    const QList<ConflictCase> cases = conflictCases();
    for (int i = 0; i < cases.size(); ++i)
        QTest::newRow(qPrintable(cases[i].name)) << i;
}

void TestPgStoreFailures::conflictBetweenTwoStores() {
    QFETCH(int, index);
    const ConflictCase scenario = conflictCases().at(index);
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    auto a = m_pg.store(db, false, u"admin-a"_s);
    auto b = m_pg.store(db, false, u"admin-b"_s);
    // A has read (and holds its connection), then B changes the row.
    VERIFY_SUCCEEDS(awaitTask(a->snapshot()));
    const Result<EditOutcome> first = awaitTask(b->apply(scenario.other));
    VERIFY_SUCCEEDS(first);
    const QString before = m_pg.dump(db);

    const Result<EditOutcome> stale = awaitTask(a->apply(scenario.stale));
    VERIFY_FAILS_WITH(stale, ErrorKind::Conflict, scenario.message);
    QVERIFY2(stale.error().message.contains(u"nothing was written"_s, Qt::CaseInsensitive),
             failureText(stale).constData());
    QCOMPARE(m_pg.dump(db), before);

    // With what the row holds now, the same edit goes through.
    StoreEdit fresh = scenario.stale;
    fresh.expect(scenario.field, scenario.current);
    VERIFY_SUCCEEDS(awaitTask(a->apply(fresh)));
    QVERIFY(m_pg.dump(db) != before);
    const QList<QJsonObject> audit = m_pg.takeAudit(db);
    QCOMPARE(audit.size(), 2);
    QStringList actors{audit[0].value(u"changed_by"_s).toString(),
                       audit[1].value(u"changed_by"_s).toString()};
    actors.sort();
    QCOMPARE(actors, (QStringList{u"admin-a"_s, u"admin-b"_s}));
}

void TestPgStoreFailures::failingEditWritesNothing_data() {
    QTest::addColumn<int>("index");
    const QList<FailingCase> cases = failingCases();
    for (int i = 0; i < cases.size(); ++i)
        QTest::newRow(qPrintable(cases[i].name)) << i;
}

void TestPgStoreFailures::failingEditWritesNothing() {
    QFETCH(int, index);
    const FailingCase scenario = failingCases().at(index);
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString before = m_pg.dump(db);
    auto store = m_pg.store(db);
    const Result<EditOutcome> result = awaitTask(store->apply(scenario.edit));
    VERIFY_FAILS_WITH(result, scenario.kind, scenario.message);
    // No row and no audit row (the dump includes LiteLLM_AuditLog).
    QCOMPARE(m_pg.dump(db), before);
    // Raw keys are never echoed.
    QVERIFY(!result.error().message.contains(u"sk-seed"_s));
    // The store goes on working after a refused edit.
    VERIFY_SUCCEEDS(awaitTask(store->members(seed::mlTeam)));
}

void TestPgStoreFailures::ambiguousIdentifiers() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(
        m_pg, db,
        u"INSERT INTO \"LiteLLM_TeamTable\" (team_id, team_alias, members_with_roles) VALUES "
        u"('team-ml-research-2', 'ML Research', '[]');"
        u"INSERT INTO \"LiteLLM_UserTable\" (user_id, user_email) VALUES "
        u"('alice-second-account', 'ALICE@example.com');"
        u"UPDATE \"LiteLLM_VerificationToken\" SET key_alias = 'shared-alias' WHERE token IN "
        u"('"_s +
            seed::searchProdKey + u"', '"_s + seed::erinDevKey + u"');"_s);
    const QString before = m_pg.dump(db);
    auto store = m_pg.store(db);
    const QString both = u"team-ml-research, team-ml-research-2"_s;
    const Result<EditOutcome> team =
        awaitTask(store->apply(StoreEdit::setTeamModels(u"ML Research"_s, {u"gpt-4o"_s})));
    VERIFY_FAILS_WITH(team, ErrorKind::InvalidInput, both);
    const Result<EditOutcome> member = awaitTask(
        store->apply(StoreEdit::setMemberScope(u"ML Research"_s, seed::bob, {u"gpt-4o"_s})));
    VERIFY_FAILS_WITH(member, ErrorKind::InvalidInput, both);
    const Result<QList<TeamMember>> members = awaitTask(store->members(u"ML Research"_s));
    VERIFY_FAILS_WITH(members, ErrorKind::InvalidInput, both);
    // Two users share alice's email: as in every store,
    // adding her by email to a team asks which one is meant.
    const Result<EditOutcome> user =
        awaitTask(store->apply(StoreEdit::addMember(seed::legacyTeam, u"alice@example.com"_s)));
    VERIFY_FAILS_WITH(user, ErrorKind::InvalidInput, u"belongs to 2 users"_s);
    const Result<EditOutcome> key =
        awaitTask(store->apply(StoreEdit::setKeyModels(u"shared-alias"_s, {})));
    VERIFY_FAILS_WITH(key, ErrorKind::InvalidInput, u"shared-alias"_s);
    const Result<EditOutcome> raw =
        awaitTask(store->apply(StoreEdit::setKeyModels(u"sk-not-a-key-9Xy"_s, {})));
    VERIFY_FAILS_WITH(raw, ErrorKind::NotFound, u"sk-…"_s);
    QVERIFY2(!raw.error().message.contains(u"9Xy"_s), failureText(raw).constData());
    QCOMPARE(m_pg.dump(db), before);
    // Ids still name them unambiguously.
    VERIFY_SUCCEEDS(awaitTask(store->apply(StoreEdit::setTeamModels(seed::mlTeam, {u"gpt-4o"_s}))));
    VERIFY_SUCCEEDS(
        awaitTask(store->apply(StoreEdit::setKeyModels(seed::searchProdKey, {u"gpt-4o-mini"_s}))));
}

void TestPgStoreFailures::expectationsFromWhatTheStoreShowed_data() {
    // An editor expects what snapshot()/members() showed it; that is never a conflict, NULL
    // columns included.
    QTest::addColumn<QString>("setup");
    QTest::addColumn<int>("which");
    QTest::newRow("team_alias NULL")
        << u"UPDATE \"LiteLLM_TeamTable\" SET team_alias = NULL WHERE team_id = "
           u"'team-support-bots';"_s
        << 0;
    QTest::newRow("team models NULL") << QString() << 1;
    QTest::newRow("default_team_member_models []") << QString() << 2;
    QTest::newRow("blocked") << QString() << 3;
    QTest::newRow("key models NULL") << QString() << 4;
    QTest::newRow("member without a row") << QString() << 5;
    QTest::newRow("member limits") << QString() << 6;
}

void TestPgStoreFailures::expectationsFromWhatTheStoreShowed() {
    QFETCH(QString, setup);
    QFETCH(int, which);
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    if (!setup.isEmpty())
        PGTEST_EXEC(m_pg, db, setup);
    auto store = m_pg.store(db);
    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(ws);
    auto team = [&](const QString& id) {
        for (const Team& t : ws->teams)
            if (t.id == id)
                return t;
        return Team();
    };
    Key erinKey;
    for (const Key& key : ws->keys)
        if (key.token == seed::erinDevKey)
            erinKey = key;
    const Result<QList<TeamMember>> ml = awaitTask(store->members(seed::mlTeam));
    VERIFY_SUCCEEDS(ml);
    const TeamMember alice = ml->at(0);
    const TeamMember dave = ml->at(2);
    auto orNull = [](const auto& value) {
        return value ? QJsonValue(double(*value)) : QJsonValue(QJsonValue::Null);
    };

    StoreEdit edit;
    switch (which) {
    case 0:
        edit = StoreEdit::setTeamModels(seed::supportTeam, {u"gpt-4o"_s})
                   .expect(u"team_alias"_s, team(seed::supportTeam).alias);
        break;
    case 1:
        edit = StoreEdit::setTeamModels(seed::legacyTeam, {u"gpt-4o"_s})
                   .expect(u"models"_s, QJsonArray::fromStringList(team(seed::legacyTeam).models));
        break;
    case 2:
        edit = StoreEdit::setDefaultMemberModels(seed::supportTeam, {u"gpt-4o-mini"_s})
                   .expect(
                       u"default_team_member_models"_s,
                       QJsonArray::fromStringList(team(seed::supportTeam).defaultTeamMemberModels));
        break;
    case 3:
        edit = StoreEdit::setTeamBlocked(seed::legacyTeam, false)
                   .expect(u"blocked"_s, team(seed::legacyTeam).blocked);
        break;
    case 4:
        edit = StoreEdit::setKeyModels(seed::erinDevKey, {u"gpt-4o-mini"_s})
                   .expect(u"models"_s, QJsonArray::fromStringList(erinKey.models));
        break;
    case 5:
        edit = StoreEdit::setMemberScope(seed::mlTeam, seed::alice, {u"gpt-4o"_s})
                   .expect(u"allowed_models"_s, QJsonArray::fromStringList(alice.allowedModels))
                   .expect(u"role"_s, alice.role)
                   .expect(u"max_budget"_s, orNull(alice.maxBudget));
        break;
    default:
        edit = StoreEdit::updateMember(seed::mlTeam, seed::dave);
        edit.rpmLimit = std::optional<qint64>(10);
        edit.expect(u"max_budget"_s, orNull(dave.maxBudget))
            .expect(u"tpm_limit"_s, orNull(dave.tpmLimit))
            .expect(u"rpm_limit"_s, orNull(dave.rpmLimit))
            .expect(u"allowed_models"_s, QJsonArray::fromStringList(dave.allowedModels));
        break;
    }
    VERIFY_SUCCEEDS(awaitTask(store->apply(edit)));
}

void TestPgStoreFailures::teamAliasTakenByAnotherTeam() {
    // Giving a team the alias of another would make that alias name two teams: every later edit or
    // lookup by it fails. FileStore refuses it; so should the database store.
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString before = m_pg.dump(db);
    auto store = m_pg.store(db);
    const Result<EditOutcome> taken =
        awaitTask(store->apply(StoreEdit::setTeamAlias(seed::supportTeam, u"ML Research"_s)));
    QCOMPARE(m_pg.dump(db), before);
    VERIFY_FAILS_WITH(taken, ErrorKind::InvalidInput, u"team-ml-research"_s);
    // Its own alias again is fine.
    VERIFY_SUCCEEDS(
        awaitTask(store->apply(StoreEdit::setTeamAlias(seed::supportTeam, u"Support Bots"_s))));
}

void TestPgStoreFailures::concurrentMemberEditsKeepBoth() {
    // Two stores add members to one team at the same moment: both land in members_with_roles
    // (the team row lock serialises them; the second re-reads the roster).
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    QString error;
    PsqlSession holder(m_pg.cluster(), db, u"litescope-test-lock"_s);
    QVERIFY2(holder.start(&error), qPrintable(error));
    holder.send(u"BEGIN;"_s);
    holder.send(u"SELECT 1 FROM \"LiteLLM_TeamTable\" WHERE team_id = 'team-support-bots' FOR "
                u"UPDATE;"_s);
    QVERIFY2(holder.waitIdleInTransaction(&error), qPrintable(error));
    // The number of store sessions blocked on a lock, once it is `count` (or after 5 s).
    auto lockWaiters = [&](const QString& count) {
        QString waiting;
        for (int i = 0; i < 200 && waiting != count; ++i) {
            QTest::qWait(25);
            waiting = m_pg.sql(db, u"SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                   u"current_database() AND application_name = "
                                   u"'litescope' AND wait_event_type = 'Lock';"_s);
        }
        return waiting;
    };
    auto a = m_pg.store(db, false, u"admin-a"_s);
    auto b = m_pg.store(db, false, u"admin-b"_s);
    QCoro::Task<Result<EditOutcome>> first =
        a->apply(StoreEdit::addMember(seed::supportTeam, u"user-a@example.com"_s));
    // a queues for the row lock before b starts, so PostgreSQL grants it first and user-a comes
    // before user-b. (Started together, either could queue first.)
    QCOMPARE(lockWaiters(u"1"_s), u"1"_s);
    QCoro::Task<Result<EditOutcome>> second =
        b->apply(StoreEdit::setMemberScope(seed::supportTeam, seed::dave, {u"gpt-4o-mini"_s}));
    QCoro::Task<Result<EditOutcome>> third =
        b->apply(StoreEdit::addMember(seed::supportTeam, u"user-b@example.com"_s));
    QCOMPARE(lockWaiters(u"2"_s), u"2"_s);
    holder.finish();
    VERIFY_SUCCEEDS(awaitTask(std::move(first)));
    VERIFY_SUCCEEDS(awaitTask(std::move(second)));
    VERIFY_SUCCEEDS(awaitTask(std::move(third)));
    QCOMPARE(m_pg.sql(db, u"SELECT string_agg(r->>'user_id', ',' ORDER BY n) FROM "
                          u"\"LiteLLM_TeamTable\" t, jsonb_array_elements(t.members_with_roles) "
                          u"WITH ORDINALITY AS e(r, n) WHERE team_id = 'team-support-bots';"_s)
                 .split(u','),
             (QStringList{u"dave@example.com"_s, u"svc-nightly-batch"_s, u"user-a@example.com"_s,
                          u"user-b@example.com"_s}));
    QCOMPARE(m_pg.takeAudit(db).size(), 3);
}

// The pre-member-scope level ----------------------------------------------------------------------

void TestPgStoreFailures::oldLevelRefusesScopeEdits_data() {
    QTest::addColumn<int>("which");
    QTest::addColumn<QString>("message");
    QTest::newRow("SetMemberScope") << 0 << u"LiteLLM_BudgetTable.allowed_models"_s;
    QTest::newRow("SetMemberScope []") << 1 << u"LiteLLM_BudgetTable.allowed_models"_s;
    QTest::newRow("SetDefaultMemberModels") << 2 << u"default_team_member_models"_s;
    QTest::newRow("AddMember with models") << 3 << u"LiteLLM_BudgetTable.allowed_models"_s;
}

void TestPgStoreFailures::oldLevelRefusesScopeEdits() {
    QFETCH(int, which);
    QFETCH(QString, message);
    StoreEdit add = StoreEdit::addMember(seed::supportTeam, seed::grace);
    add.memberModels = QStringList{u"gpt-4o-mini"_s};
    const StoreEdit edits[] = {
        StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {u"gpt-4o"_s}),
        StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {}),
        StoreEdit::setDefaultMemberModels(seed::mlTeam, {u"gpt-4o"_s}),
        add,
    };
    PGTEST_FRESH_DATABASE(m_pg, db, Level::PreMemberScope);
    const QString before = m_pg.dump(db);
    auto store = m_pg.store(db);
    const Result<EditOutcome> result = awaitTask(store->apply(edits[which]));
    VERIFY_FAILS_WITH(result, ErrorKind::Unsupported, message);
    QVERIFY2(result.error().message.contains(u"older than LiteLLM v1.83.14"_s),
             failureText(result).constData());
    QVERIFY2(result.error().message.contains(u"Upgrade the proxy"_s),
             failureText(result).constData());
    QCOMPARE(m_pg.dump(db), before);
}

void TestPgStoreFailures::oldLevelOtherWritesWork() {
    PGTEST_FRESH_DATABASE(m_pg, db, Level::PreMemberScope);
    auto store = m_pg.store(db);
    // No default member models on this level: a new Search Platform member gets a copy of the
    // team's default member budget (every column this level has).
    VERIFY_SUCCEEDS(awaitTask(store->apply(StoreEdit::addMember(seed::searchTeam, seed::dave))));
    QCOMPARE(m_pg.sql(db, u"SELECT b.max_budget, b.rpm_limit, b.budget_duration, b.budget_id <> "
                          u"'budget-search-member-default' FROM \"LiteLLM_TeamMembership\" m JOIN "
                          u"\"LiteLLM_BudgetTable\" b USING (budget_id) WHERE m.team_id = '"_s +
                              seed::searchTeam + u"' AND m.user_id = 'dave@example.com';"_s),
             u"25|60|7d|t"_s);
    StoreEdit empty = StoreEdit::addMember(seed::supportTeam, seed::grace);
    empty.memberModels = QStringList{}; // [] is no scope: allowed on this level
    VERIFY_SUCCEEDS(awaitTask(store->apply(empty)));
    StoreEdit update = StoreEdit::updateMember(seed::searchTeam, seed::erin);
    update.tpmLimit = std::optional<qint64>(1234);
    update.role = u"admin"_s;
    VERIFY_SUCCEEDS(awaitTask(store->apply(update)));
    QCOMPARE(m_pg.sql(db, u"SELECT b.tpm_limit, b.budget_id <> 'budget-search-member-default' "
                          u"FROM \"LiteLLM_TeamMembership\" m JOIN \"LiteLLM_BudgetTable\" b USING "
                          u"(budget_id) WHERE m.user_id = 'erin@example.org';"_s),
             u"1234|t"_s);
    VERIFY_SUCCEEDS(awaitTask(store->apply(StoreEdit::removeMember(seed::mlTeam, seed::bob))));
    VERIFY_SUCCEEDS(awaitTask(store->apply(StoreEdit::setTeamModels(seed::mlTeam, {u"gpt-4o"_s}))));
    VERIFY_SUCCEEDS(awaitTask(store->apply(StoreEdit::setTeamAlias(seed::mlTeam, u"Research"_s))));
    VERIFY_SUCCEEDS(awaitTask(store->apply(StoreEdit::setTeamBlocked(seed::mlTeam, true))));
    VERIFY_SUCCEEDS(
        awaitTask(store->apply(StoreEdit::setKeyModels(u"bob-notebook"_s, {u"gpt-4o"_s}))));
    QCOMPARE(m_pg.sql(db,
                      u"SELECT team_alias, blocked, array_to_json(models), "
                      u"jsonb_array_length(members_with_roles) FROM \"LiteLLM_TeamTable\" WHERE "
                      u"team_id = 'team-ml-research';"_s),
             u"Research|t|[\"gpt-4o\"]|2"_s);
    // Audit rows in the older table shape (no object_team_* columns).
    const QList<QJsonObject> audit = m_pg.takeAudit(db);
    QCOMPARE(audit.size(), 8);
    for (const QJsonObject& row : audit) {
        QVERIFY(!row.contains(u"object_team_id"_s));
        QCOMPARE(row.value(u"changed_by"_s).toString(), u"default_user_id"_s);
    }
}

// Read-only ---------------------------------------------------------------------------------------

void TestPgStoreFailures::readOnlyRefusesEveryEdit_data() {
    QTest::addColumn<int>("index");
    const auto edits = everyEditKind();
    for (int i = 0; i < edits.size(); ++i)
        QTest::newRow(qPrintable(edits[i].first)) << i;
}

void TestPgStoreFailures::readOnlyRefusesEveryEdit() {
    QFETCH(int, index);
    const StoreEdit edit = everyEditKind().at(index).second;
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString before = m_pg.dump(db);
    auto store = m_pg.store(db, true);
    VERIFY_SUCCEEDS(awaitTask(store->open()));
    const Result<EditOutcome> result = awaitTask(store->apply(edit));
    VERIFY_FAILS_WITH(result, ErrorKind::PermissionDenied, u"read-only"_s);
    QVERIFY2(result.error().message.contains(db), failureText(result).constData());
    QCOMPARE(m_pg.dump(db), before);
    // Reads keep working.
    VERIFY_SUCCEEDS(awaitTask(store->snapshot()));
    // And the same edit is valid: a writable store applies it.
    VERIFY_SUCCEEDS(awaitTask(m_pg.store(db)->apply(edit)));
}

void TestPgStoreFailures::readOnlySessionRefusesWritesItself() {
    // A write path that forgot to check the option: the server refuses it, because the session
    // itself is read-only (every transaction defaults to READ ONLY).
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString before = m_pg.dump(db);
    for (const auto& item : everyEditKind()) {
        const QString& name = item.first;
        const StoreEdit& edit = item.second;
        PgConnectionOptions options;
        options.connectionString = m_pg.cluster().uri(db);
        options.readOnly = true;
        PgSession session(options);
        qsizetype current = 0;
        const Result<BatchResult> result = session.run<BatchResult>([&](pqxx::connection& c) {
            return Result<BatchResult>(pg::applyEdits(c, session.schema(), session.options(),
                                                      LiteLLMProfile::newestAssumed(), {edit}, {},
                                                      current));
        });
        QVERIFY2(!result.ok(), qPrintable(name));
        QCOMPARE(kindName(result.error().kind), kindName(ErrorKind::PermissionDenied));
        QVERIFY2(result.error().message.contains(u"read-only"_s), failureText(result).constData());
    }
    QCOMPARE(m_pg.dump(db), before);
    // The same session code without the option writes.
    PgConnectionOptions options;
    options.connectionString = m_pg.cluster().uri(db);
    PgSession writable(options);
    const StoreEdit edit = StoreEdit::setTeamBlocked(seed::mlTeam, true);
    qsizetype current = 0;
    const Result<BatchResult> result = writable.run<BatchResult>([&](pqxx::connection& c) {
        return Result<BatchResult>(pg::applyEdits(c, writable.schema(), writable.options(),
                                                  LiteLLMProfile::newestAssumed(), {edit}, {},
                                                  current));
    });
    VERIFY_SUCCEEDS(result);
    QVERIFY(result->ok());
}

void TestPgStoreFailures::readOnlySessionDefaultOnServer() {
    // The store's own backend reports its session setting: a view the snapshot reads raises an
    // error carrying default_transaction_read_only as the server sees it in that session.
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    PGTEST_EXEC(
        m_pg, db,
        u"CREATE FUNCTION litescope_probe() RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN "
        u"RAISE EXCEPTION 'probe: default_transaction_read_only=%, application_name=%', "
        u"current_setting('default_transaction_read_only'), "
        u"current_setting('application_name'); END $$;"
        u"ALTER TABLE \"LiteLLM_Config\" RENAME TO config_real;"
        u"CREATE VIEW \"LiteLLM_Config\" AS SELECT * FROM config_real WHERE litescope_probe();"_s);
    auto readOnly = m_pg.store(db, true);
    const Result<Workspace> probed = awaitTask(readOnly->snapshot());
    VERIFY_FAILS_WITH(probed, ErrorKind::InvalidInput,
                      u"probe: default_transaction_read_only=on, application_name=litescope"_s);
    auto writable = m_pg.store(db);
    const Result<Workspace> control = awaitTask(writable->snapshot());
    VERIFY_FAILS_WITH(control, ErrorKind::InvalidInput,
                      u"probe: default_transaction_read_only=off, application_name=litescope"_s);
}

// Lost connections --------------------------------------------------------------------------------

void TestPgStoreFailures::connectionKilledMidTransaction_data() {
    QTest::addColumn<QString>("lock");
    QTest::addColumn<QString>("blockedAt");
    // Blocks at the user row, after the team row was locked.
    QTest::newRow("user row locked") << u"SELECT 1 FROM \"LiteLLM_UserTable\" WHERE user_id = '"_s +
                                            seed::grace + u"' FOR UPDATE;"_s
                                     << u"SELECT user_id, user_email, user_role"_s;
    // Blocks inserting the membership row, after members_with_roles, the user's teams and a new
    // budget row were written in the transaction.
    QTest::newRow("membership insert pending")
        << u"INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id) VALUES ('"_s + seed::grace +
               u"', 'team-ml-research');"_s
        << u"INSERT INTO \"LiteLLM_TeamMembership\""_s;
}

void TestPgStoreFailures::connectionKilledMidTransaction() {
    QFETCH(QString, lock);
    QFETCH(QString, blockedAt);
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    const QString before = m_pg.dump(db);
    auto store = m_pg.store(db);
    VERIFY_SUCCEEDS(awaitTask(store->open()));

    QString error;
    PsqlSession holder(m_pg.cluster(), db, u"litescope-test-lock"_s);
    QVERIFY2(holder.start(&error), qPrintable(error));
    holder.send(u"BEGIN;"_s);
    holder.send(lock);
    QVERIFY2(holder.waitIdleInTransaction(&error), qPrintable(error));

    // grace joins ML Research (default member models {gpt-4o}: a budget and membership row).
    QString killed;
    QTimer killer;
    killer.setInterval(50);
    QObject::connect(&killer, &QTimer::timeout, [&] {
        const QString out =
            m_pg.sql(db, u"SELECT query, pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                         u"datname = current_database() AND "
                         u"application_name = 'litescope' AND wait_event_type = 'Lock';"_s);
        if (!out.isEmpty()) {
            killed = out;
            killer.stop();
        }
    });
    killer.start();
    const Result<EditOutcome> result =
        awaitTask(store->apply(StoreEdit::addMember(seed::mlTeam, seed::grace)), 30000);
    killer.stop();
    QVERIFY2(killed.startsWith(blockedAt), qPrintable(killed));
    QVERIFY2(killed.endsWith(u"|t"_s), qPrintable(killed));
    VERIFY_FAILS_WITH(result, ErrorKind::ConnectionLost, u"Lost the connection"_s);
    QVERIFY2(result.error().message.contains(u"Nothing was changed"_s),
             failureText(result).constData());

    // Nothing half-written: no roster entry, teams, budget, membership or audit row.
    holder.finish();
    QCOMPARE(m_pg.dump(db), before);

    // The next call on the same store reconnects and succeeds.
    const Result<EditOutcome> again =
        awaitTask(store->apply(StoreEdit::addMember(seed::mlTeam, seed::grace)));
    VERIFY_SUCCEEDS(again);
    QCOMPARE(m_pg.sql(db, u"SELECT array_to_json(b.allowed_models) FROM "
                          u"\"LiteLLM_TeamMembership\" m JOIN \"LiteLLM_BudgetTable\" b USING "
                          u"(budget_id) WHERE m.user_id = '"_s +
                              seed::grace + u"';"_s),
             u"[\"gpt-4o\"]"_s);
    QCOMPARE(m_pg.takeAudit(db).size(), 1);
}

void TestPgStoreFailures::idleConnectionKilled() {
    // A connection that died while idle (server restart, idle timeout): the first call may find
    // out only when it uses it, and then says ConnectionLost; the call after it works.
    PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
    auto store = m_pg.store(db);
    VERIFY_SUCCEEDS(awaitTask(store->open()));
    QCOMPARE(m_pg.sql(db, u"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                          u"datname = current_database() AND "
                          u"application_name = 'litescope';"_s),
             u"1"_s);
    QTest::qWait(100);
    const Result<Workspace> first = awaitTask(store->snapshot());
    if (!first.ok()) {
        QCOMPARE(kindName(first.error().kind), kindName(ErrorKind::ConnectionLost));
        qInfo("first call after the idle connection was killed: %s",
              failureText(first).constData());
    }
    VERIFY_SUCCEEDS(awaitTask(store->snapshot()));
    VERIFY_SUCCEEDS(awaitTask(store->apply(StoreEdit::setTeamBlocked(seed::mlTeam, true))));
}

QTEST_GUILESS_MAIN(TestPgStoreFailures)
#include "tst_pgstore_failures.moc"
