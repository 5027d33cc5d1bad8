// applyEdit's edits of team members, through FileStore: setting a member's scope, updating role
// and limits, adding and removing members, and the rows each leaves in the file (as LiteLLM's
// endpoints would), naming members by user id or email. Fixture workspace:
// tests/data/filestore/acme.json; helpers: support/FileStoreTestSupport.h.
#include "support/FileStoreTestSupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

class TestFileStoreMembers : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();

    void setMemberScopeByAliasAndEmail();
    void setMemberScopeCreatesRowForEmailOnlyMember();
    void setMemberScopeCopiesSharedBudget();
    void setMemberScopeNotAMember();

    void updateMemberRoleOnly();
    void updateMemberLimitsOnly();
    void updateMemberRejects_data();
    void updateMemberRejects();

    void addMemberSeedsDefaultModels();
    void addMemberWithExplicitModels();
    void addMemberWithoutScope();
    void addMemberCreatesUser();
    void addMemberAlreadyMember_data();
    void addMemberAlreadyMember();

    void removeMember();
    void removeMemberNotAMember();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestFileStoreMembers::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"workspace.json"_s);
    copyFixture(u"acme.json"_s, m_path);
}

// ---- Member scope -------------------------------------------------------------------------------

void TestFileStoreMembers::setMemberScopeByAliasAndEmail() {
    FileStore store(m_path, false);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::setMemberScope(u"Search"_s, u"bob@acme.example"_s, {}));
    VERIFY_SUCCEEDS(outcome);
    QCOMPARE(outcome->summary, u"team Search: member bob@acme.example: allowed_models [gpt-4o] -> "
                               u"[] (all team models)"_s);
    QCOMPARE(outcome->objectId, u"team-search"_s);
    QCOMPARE(outcome->before, QJsonObject({{u"allowed_models"_s, strings({u"gpt-4o"_s})}}));
    QCOMPARE(outcome->after, QJsonObject({{u"allowed_models"_s, QJsonArray()}}));
    QVERIFY(!outcome->auditLogged);

    const QJsonObject file = fileJson(m_path);
    const QJsonObject row = membershipRow(file, u"team-search"_s, u"u-bob"_s);
    QCOMPARE(row.value(u"allowed_models"_s), QJsonValue(QJsonArray()));
    QCOMPARE(row.value(u"budget_id"_s), QJsonValue(u"b-bob"_s)); // its own budget: kept
    QCOMPARE(row.value(u"max_budget"_s), QJsonValue(10));
    QCOMPARE(row.value(u"budget_duration"_s), QJsonValue(u"30d"_s));
    QCOMPARE(membershipCount(file, u"team-search"_s, u"u-bob"_s), 1);

    // And back, naming the team by id and the user by id.
    const Result<EditOutcome> back =
        apply(store, StoreEdit::setMemberScope(u"team-search"_s, u"u-bob"_s, {u"claude-sonnet"_s}));
    VERIFY_SUCCEEDS(back);
    QCOMPARE(back->summary, u"team Search: member bob@acme.example: allowed_models [] (all team "
                            u"models) -> [claude-sonnet]"_s);
    QCOMPARE(
        membershipRow(fileJson(m_path), u"team-search"_s, u"u-bob"_s).value(u"allowed_models"_s),
        QJsonValue(strings({u"claude-sonnet"_s})));
}

void TestFileStoreMembers::setMemberScopeCreatesRowForEmailOnlyMember() {
    FileStore store(m_path, false);
    const Result<EditOutcome> outcome = apply(
        store, StoreEdit::setMemberScope(u"Search"_s, u"carol@acme.example"_s, {u"gpt-4o"_s}));
    VERIFY_SUCCEEDS(outcome);
    const QJsonObject row = membershipRow(fileJson(m_path), u"team-search"_s, u"u-carol"_s);
    QCOMPARE(row.value(u"allowed_models"_s), QJsonValue(strings({u"gpt-4o"_s})));
    const QString budget = row.value(u"budget_id"_s).toString();
    QCOMPARE(budget.size(), 36); // a fresh UUID, as LiteLLM creates for a new budget row
    QCOMPARE(budget.count(u'-'), 4);

    // The same member by user id (the users row's email matches the roster entry). (Not [],
    // which under the newest rules would unlink the row: tst_filestore_release.)
    VERIFY_SUCCEEDS(
        apply(store, StoreEdit::setMemberScope(u"Search"_s, u"u-carol"_s, {u"claude-sonnet"_s})));
    const QJsonObject again = membershipRow(fileJson(m_path), u"team-search"_s, u"u-carol"_s);
    QCOMPARE(again.value(u"budget_id"_s).toString(), budget);
    QCOMPARE(again.value(u"allowed_models"_s), QJsonValue(strings({u"claude-sonnet"_s})));
}

void TestFileStoreMembers::setMemberScopeCopiesSharedBudget() {
    // u-ann's Search and Ops memberships point at one budget row: scoping her in Search must not
    // scope her in Ops.
    FileStore store(m_path, false);
    VERIFY_SUCCEEDS(
        apply(store, StoreEdit::setMemberScope(u"Search"_s, u"u-ann"_s, {u"gpt-4o"_s})));
    const QJsonObject file = fileJson(m_path);
    const QJsonObject search = membershipRow(file, u"team-search"_s, u"u-ann"_s);
    const QJsonObject ops = membershipRow(file, u"team-ops"_s, u"u-ann"_s);
    QCOMPARE(search.value(u"allowed_models"_s), QJsonValue(strings({u"gpt-4o"_s})));
    QVERIFY(search.value(u"budget_id"_s).toString() != u"b-shared"_s);
    QCOMPARE(ops.value(u"budget_id"_s), QJsonValue(u"b-shared"_s));
    QCOMPARE(ops.value(u"allowed_models"_s), QJsonValue(QJsonArray()));
    QCOMPARE(ops.value(u"max_budget"_s), QJsonValue(5));
}

void TestFileStoreMembers::setMemberScopeNotAMember() {
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> dave =
        apply(store, StoreEdit::setMemberScope(u"Search"_s, u"dave@acme.example"_s, {}));
    VERIFY_FAILS_WITH(dave, ErrorKind::NotFound,
                      u"user dave@acme.example is not a member of team Search"_s);
    const Result<EditOutcome> nobody =
        apply(store, StoreEdit::setMemberScope(u"Search"_s, u"u-nobody"_s, {}));
    VERIFY_FAILS_WITH(nobody, ErrorKind::NotFound,
                      u"user u-nobody is not a member of team Search"_s);
    const Result<EditOutcome> noTeam =
        apply(store, StoreEdit::setMemberScope(u"Research"_s, u"u-bob"_s, {}));
    VERIFY_FAILS_WITH(noTeam, ErrorKind::NotFound, u"Research"_s);
    QCOMPARE(fileBytes(m_path), before);
}

// ---- UpdateMember -------------------------------------------------------------------------------

void TestFileStoreMembers::updateMemberRoleOnly() {
    FileStore store(m_path, false);
    const QJsonObject rowBefore = membershipRow(fileJson(m_path), u"team-search"_s, u"u-bob"_s);
    StoreEdit edit = StoreEdit::updateMember(u"Search"_s, u"bob@acme.example"_s);
    edit.role = u"admin"_s;
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_SUCCEEDS(outcome);
    QCOMPARE(outcome->summary, u"team Search: member bob@acme.example: role user -> admin"_s);
    QCOMPARE(outcome->before, QJsonObject({{u"role"_s, u"user"_s}}));
    QCOMPARE(outcome->after, QJsonObject({{u"role"_s, u"admin"_s}}));

    const QJsonObject file = fileJson(m_path);
    const QJsonObject entry = rosterEntry(file, u"team-search"_s, u"u-bob"_s);
    QCOMPARE(entry.value(u"role"_s), QJsonValue(u"admin"_s));
    QCOMPARE(entry.value(u"x_member_note"_s), QJsonValue(u"kept"_s));
    QCOMPARE(membershipRow(file, u"team-search"_s, u"u-bob"_s), rowBefore);
    QCOMPARE(rosterEntry(file, u"team-search"_s, u"u-ann"_s).value(u"role"_s),
             QJsonValue(u"admin"_s));
}

void TestFileStoreMembers::updateMemberLimitsOnly() {
    FileStore store(m_path, false);
    StoreEdit edit = StoreEdit::updateMember(u"Search"_s, u"u-bob"_s);
    edit.maxBudget = std::optional(25.5);
    edit.tpmLimit = std::optional<qint64>(); // clear
    edit.rpmLimit = std::optional<qint64>(60);
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_SUCCEEDS(outcome);
    QCOMPARE(outcome->summary, u"team Search: member bob@acme.example: max_budget 10 -> 25.5, "
                               u"tpm_limit 1000 -> none, rpm_limit none -> 60"_s);
    QCOMPARE(outcome->after.value(u"max_budget"_s), QJsonValue(25.5));
    QCOMPARE(outcome->after.value(u"tpm_limit"_s), QJsonValue(QJsonValue::Null));
    QVERIFY(!outcome->after.contains(u"role"_s));

    const QJsonObject file = fileJson(m_path);
    const QJsonObject row = membershipRow(file, u"team-search"_s, u"u-bob"_s);
    QCOMPARE(row.value(u"max_budget"_s), QJsonValue(25.5));
    QCOMPARE(row.value(u"tpm_limit"_s), QJsonValue(QJsonValue::Null));
    QCOMPARE(row.value(u"rpm_limit"_s), QJsonValue(60));
    QCOMPARE(row.value(u"allowed_models"_s), QJsonValue(strings({u"gpt-4o"_s})));
    QCOMPARE(row.value(u"budget_id"_s), QJsonValue(u"b-bob"_s));
    QCOMPARE(row.value(u"budget_duration"_s), QJsonValue(u"30d"_s));
    QCOMPARE(row.value(u"spend"_s), QJsonValue(1.5));
    QCOMPARE(rosterEntry(file, u"team-search"_s, u"u-bob"_s).value(u"role"_s),
             QJsonValue(u"user"_s));

    const Result<QList<TeamMember>> members = awaitTask(store.members(u"Search"_s));
    VERIFY_SUCCEEDS(members);
    QCOMPARE(members->at(1).maxBudget, std::optional(25.5));
    QCOMPARE(members->at(1).tpmLimit, std::optional<qint64>());
    QCOMPARE(members->at(1).rpmLimit, std::optional<qint64>(60));

    // A member without a membership row gets one (with a fresh budget) for a limit.
    StoreEdit carol = StoreEdit::updateMember(u"Search"_s, u"u-carol"_s);
    carol.tpmLimit = std::optional<qint64>(500);
    VERIFY_SUCCEEDS(apply(store, carol));
    const QJsonObject carolRow = membershipRow(fileJson(m_path), u"team-search"_s, u"u-carol"_s);
    QCOMPARE(carolRow.value(u"tpm_limit"_s), QJsonValue(500));
    QCOMPARE(carolRow.value(u"allowed_models"_s), QJsonValue(QJsonArray()));
    QCOMPARE(carolRow.value(u"budget_id"_s).toString().size(), 36);
}

void TestFileStoreMembers::updateMemberRejects_data() {
    QTest::addColumn<StoreEdit>("edit");
    QTest::addColumn<QString>("message");
    const auto make = [](const std::function<void(StoreEdit&)>& change) {
        StoreEdit edit = StoreEdit::updateMember(u"Search"_s, u"u-bob"_s);
        change(edit);
        return edit;
    };
    QTest::newRow("owner role") << make([](StoreEdit& e) { e.role = u"owner"_s; })
                                << u"role must be \"user\" or \"admin\""_s;
    QTest::newRow("negative budget")
        << make([](StoreEdit& e) { e.maxBudget = std::optional(-1.0); }) << u"max_budget"_s;
    QTest::newRow("infinite budget")
        << make([](StoreEdit& e) { e.maxBudget = std::optional(qInf()); }) << u"max_budget"_s;
    QTest::newRow("negative tpm") << make([](StoreEdit& e) {
        e.tpmLimit = std::optional<qint64>(-5);
    }) << u"tpm_limit"_s;
    QTest::newRow("negative rpm") << make([](StoreEdit& e) {
        e.rpmLimit = std::optional<qint64>(-1);
    }) << u"rpm_limit"_s;
    QTest::newRow("nothing") << make([](StoreEdit&) {}) << u"nothing to update"_s;
}

void TestFileStoreMembers::updateMemberRejects() {
    QFETCH(StoreEdit, edit);
    QFETCH(QString, message);
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_FAILS_WITH(outcome, ErrorKind::InvalidInput, message);
    QCOMPARE(fileBytes(m_path), before);
}

// ---- AddMember ----------------------------------------------------------------------------------

void TestFileStoreMembers::addMemberSeedsDefaultModels() {
    FileStore store(m_path, false);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::addMember(u"Search"_s, u"dave@acme.example"_s));
    VERIFY_SUCCEEDS(outcome);
    QCOMPARE(outcome->summary, u"team Search: added member dave@acme.example (user), "
                               u"allowed_models [gpt-4o-mini] from default_team_member_models"_s);
    QCOMPARE(outcome->before, QJsonObject({{u"member"_s, QJsonValue::Null}}));
    QCOMPARE(outcome->after.value(u"allowed_models"_s), QJsonValue(strings({u"gpt-4o-mini"_s})));

    const QJsonObject file = fileJson(m_path);
    const QJsonObject entry = rosterEntry(file, u"team-search"_s, u"u-dave"_s);
    QCOMPARE(entry.value(u"user_email"_s), QJsonValue(u"dave@acme.example"_s));
    QCOMPARE(entry.value(u"role"_s), QJsonValue(u"user"_s));
    const QJsonObject row = membershipRow(file, u"team-search"_s, u"u-dave"_s);
    QCOMPARE(row.value(u"allowed_models"_s), QJsonValue(strings({u"gpt-4o-mini"_s})));
    // A fresh budget row: the team's default member budget is not shared or cloned.
    QCOMPARE(row.value(u"budget_id"_s).toString().size(), 36);
    QVERIFY(!row.contains(u"max_budget"_s));
    QCOMPARE(userRow(file, u"u-dave"_s).value(u"teams"_s), QJsonValue(strings({u"team-search"_s})));
    QCOMPARE(teamRow(file, u"team-search"_s).value(u"members_with_roles"_s).toArray().size(), 4);
}

void TestFileStoreMembers::addMemberWithExplicitModels() {
    FileStore store(m_path, false);
    StoreEdit edit = StoreEdit::addMember(u"team-search"_s, u"u-dave"_s);
    edit.memberModels = QStringList{u"claude-sonnet"_s, u"gpt-4o"_s};
    edit.role = u"admin"_s;
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_SUCCEEDS(outcome);
    QCOMPARE(outcome->summary, u"team Search: added member dave@acme.example (admin), "
                               u"allowed_models [claude-sonnet, gpt-4o]"_s);
    const QJsonObject file = fileJson(m_path);
    QCOMPARE(rosterEntry(file, u"team-search"_s, u"u-dave"_s).value(u"role"_s),
             QJsonValue(u"admin"_s));
    QCOMPARE(membershipRow(file, u"team-search"_s, u"u-dave"_s).value(u"allowed_models"_s),
             QJsonValue(strings({u"claude-sonnet"_s, u"gpt-4o"_s})));
}

void TestFileStoreMembers::addMemberWithoutScope() {
    FileStore store(m_path, false);
    // An explicit [] overrides the team default: all team models, so no membership row.
    StoreEdit explicitAll = StoreEdit::addMember(u"Search"_s, u"u-dave"_s);
    explicitAll.memberModels = QStringList();
    const Result<EditOutcome> outcome = apply(store, explicitAll);
    VERIFY_SUCCEEDS(outcome);
    QCOMPARE(outcome->summary, u"team Search: added member dave@acme.example (user), "
                               u"allowed_models [] (all team models)"_s);
    QCOMPARE(membershipCount(fileJson(m_path), u"team-search"_s, u"u-dave"_s), 0);

    // A team without default_team_member_models gives no row either.
    VERIFY_SUCCEEDS(apply(store, StoreEdit::addMember(u"Plain"_s, u"u-dave"_s)));
    const QJsonObject file = fileJson(m_path);
    QCOMPARE(membershipCount(file, u"team-plain"_s, u"u-dave"_s), 0);
    QVERIFY(!rosterEntry(file, u"team-plain"_s, u"u-dave"_s).isEmpty());
    QCOMPARE(userRow(file, u"u-dave"_s).value(u"teams"_s),
             QJsonValue(strings({u"team-search"_s, u"team-plain"_s})));
}

void TestFileStoreMembers::addMemberCreatesUser() {
    FileStore store(m_path, false);
    StoreEdit edit = StoreEdit::addMember(u"Plain"_s, u"u-erin"_s);
    edit.email = u"erin@acme.example"_s;
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_SUCCEEDS(outcome);
    QVERIFY2(outcome->summary.endsWith(u"; created user u-erin"_s), qPrintable(outcome->summary));
    const QJsonObject file = fileJson(m_path);
    const QJsonObject user = userRow(file, u"u-erin"_s);
    QCOMPARE(user.value(u"user_email"_s), QJsonValue(u"erin@acme.example"_s));
    QCOMPARE(user.value(u"user_role"_s), QJsonValue(u"internal_user"_s));
    QCOMPARE(user.value(u"teams"_s), QJsonValue(strings({u"team-plain"_s})));
    const QJsonObject entry = rosterEntry(file, u"team-plain"_s, u"u-erin"_s);
    QCOMPARE(entry.value(u"user_email"_s), QJsonValue(u"erin@acme.example"_s));

    // The new member is found by email afterwards.
    VERIFY_SUCCEEDS(
        apply(store, StoreEdit::setMemberScope(u"Plain"_s, u"erin@acme.example"_s, {u"gpt-4o"_s})));
}

void TestFileStoreMembers::addMemberAlreadyMember_data() {
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("message");
    QTest::newRow("by id") << u"u-bob"_s << QString()
                           << u"user u-bob is already a member of team Search (role user)"_s;
    QTest::newRow("by email") << u"bob@acme.example"_s << QString()
                              << u"user bob@acme.example is already a member of team Search"_s;
    QTest::newRow("email-only entry by user id")
        << u"u-carol"_s << QString() << u"user u-carol is already a member"_s;
    QTest::newRow("new id, member's email")
        << u"u-new"_s << u"ann@acme.example"_s
        << u"user ann@acme.example is already a member of team Search (role admin)"_s;
}

void TestFileStoreMembers::addMemberAlreadyMember() {
    QFETCH(QString, user);
    QFETCH(QString, email);
    QFETCH(QString, message);
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    StoreEdit edit = StoreEdit::addMember(u"Search"_s, user);
    if (!email.isEmpty())
        edit.email = email;
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_FAILS_WITH(outcome, ErrorKind::InvalidInput, message);
    QCOMPARE(fileBytes(m_path), before);
}

// ---- RemoveMember -------------------------------------------------------------------------------

void TestFileStoreMembers::removeMember() {
    FileStore store(m_path, false);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::removeMember(u"Search"_s, u"bob@acme.example"_s));
    VERIFY_SUCCEEDS(outcome);
    QCOMPARE(outcome->summary, u"team Search: member bob@acme.example: removed (user), "
                               u"allowed_models was [gpt-4o]"_s);
    QCOMPARE(outcome->before.value(u"member"_s)[u"user_id"_s], QJsonValue(u"u-bob"_s));
    QCOMPARE(outcome->before.value(u"allowed_models"_s), QJsonValue(strings({u"gpt-4o"_s})));
    QCOMPARE(outcome->before.value(u"max_budget"_s), QJsonValue(10));
    QCOMPARE(outcome->after, QJsonObject({{u"member"_s, QJsonValue::Null}}));

    const QJsonObject file = fileJson(m_path);
    QVERIFY(rosterEntry(file, u"team-search"_s, u"u-bob"_s).isEmpty());
    QCOMPARE(teamRow(file, u"team-search"_s).value(u"members_with_roles"_s).toArray().size(), 2);
    QCOMPARE(membershipCount(file, u"team-search"_s, u"u-bob"_s), 0);
    QCOMPARE(userRow(file, u"u-bob"_s).value(u"teams"_s), QJsonValue(QJsonArray()));
    QCOMPARE(userRow(file, u"u-bob"_s).value(u"x_user_note"_s), QJsonValue(u"kept"_s));
    // Keys are left alone, as /team/member_delete does.
    QCOMPARE(keyRow(file, keyHash).value(u"user_id"_s), QJsonValue(u"u-bob"_s));

    // Removing one of two memberships of a user keeps the other.
    VERIFY_SUCCEEDS(apply(store, StoreEdit::removeMember(u"Ops"_s, u"u-ann"_s)));
    const QJsonObject after = fileJson(m_path);
    QCOMPARE(membershipCount(after, u"team-ops"_s, u"u-ann"_s), 0);
    QCOMPARE(membershipCount(after, u"team-search"_s, u"u-ann"_s), 1);
    QCOMPARE(userRow(after, u"u-ann"_s).value(u"teams"_s), QJsonValue(strings({u"team-search"_s})));
    QVERIFY(!rosterEntry(after, u"team-search"_s, u"u-ann"_s).isEmpty());

    // An entry with only an email goes too.
    VERIFY_SUCCEEDS(apply(store, StoreEdit::removeMember(u"Search"_s, u"carol@acme.example"_s)));
    QVERIFY(rosterEntry(fileJson(m_path), u"team-search"_s, u"carol@acme.example"_s).isEmpty());
}

void TestFileStoreMembers::removeMemberNotAMember() {
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::removeMember(u"Plain"_s, u"u-bob"_s));
    VERIFY_FAILS_WITH(outcome, ErrorKind::NotFound, u"user u-bob is not a member of team Plain"_s);
    QCOMPARE(fileBytes(m_path), before);
}

QTEST_GUILESS_MAIN(TestFileStoreMembers)
#include "tst_filestore_members.moc"
