// FileStore, the Store over a workspace file, and applyEdit, the edit logic it shares with the
// GUI's previews: every edit kind and the rows it leaves (as LiteLLM's endpoints would), how
// admins name teams, users and keys, conflicts between two stores on one file, read-only
// refusal, unknown fields and hostile strings surviving, paging, and file errors.
// Fixture workspaces: tests/data/filestore/.
#include "store/FileStore.h"
#include "store/WorkspaceEdits.h"
#include "support/AwaitTask.h"
#include "workspace/WorkspaceJson.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

class TestFileStore : public QObject {
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

    void setMemberScopeByAliasAndEmail();
    void setMemberScopeCreatesRowForEmailOnlyMember();
    void setMemberScopeCopiesSharedBudget();
    void setMemberScopeNotAMember();
    void ambiguousIdentifiers();

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

    void teamEdits();
    void teamAliasTaken();
    void keyModels_data();
    void keyModels();
    void unknownKey();
    void invalidModelLists_data();
    void invalidModelLists();

    void conflictBetweenTwoStores();
    void matchingExpectationsApply();
    void unknownExpectedField();
    void concurrentWritersKeepBothEdits();
    void readOnlyRefuses();
    void unknownFieldsSurvive();
    void hostileStrings_data();
    void hostileStrings();
    void applyEditIsAllOrNothing();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

namespace {

const QString keyHash = u"c1eb1f6fef8fe67a22e54a7c04a7c235cab4099c7c9648b9998f617cdd43e337"_s;

template <typename T>
QString errorText(const Result<T>& result) {
    return result.ok() ? QString() : result.error().message;
}

#define VERIFY_OK(result) QVERIFY2((result).ok(), qPrintable(errorText(result)))
#define VERIFY_ERROR(result, errorKind, fragment)                                                  \
    do {                                                                                           \
        QVERIFY2(!(result).ok(), "expected an error");                                             \
        QCOMPARE((result).error().kind, errorKind);                                                \
        QVERIFY2((result).error().message.contains(fragment),                                      \
                 qPrintable((result).error().message));                                            \
    } while (false)

QString fixture(const QString& name) {
    return QStringLiteral(LITESCOPE_TEST_DATA "/data/filestore/") + name;
}

QByteArray fileBytes(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QJsonObject fileJson(const QString& path) {
    return QJsonDocument::fromJson(fileBytes(path)).object();
}

// The first object of the top-level list `list` for which `matches` holds; {} if none.
QJsonObject rowWhere(const QJsonObject& root, const QString& list,
                     const std::function<bool(const QJsonObject&)>& matches) {
    const QJsonArray rows = root.value(list).toArray();
    for (const QJsonValue& row : rows) {
        if (matches(row.toObject()))
            return row.toObject();
    }
    return {};
}

QJsonObject teamRow(const QJsonObject& root, const QString& id) {
    return rowWhere(root, u"teams"_s,
                    [&](const QJsonObject& o) { return o.value(u"team_id"_s) == id; });
}

QJsonObject membershipRow(const QJsonObject& root, const QString& team, const QString& user) {
    return rowWhere(root, u"team_memberships"_s, [&](const QJsonObject& o) {
        return o.value(u"team_id"_s) == team && o.value(u"user_id"_s) == user;
    });
}

int membershipCount(const QJsonObject& root, const QString& team, const QString& user) {
    int count = 0;
    const QJsonArray rows = root.value(u"team_memberships"_s).toArray();
    for (const QJsonValue& row : rows) {
        if (row[u"team_id"_s] == team && row[u"user_id"_s] == user)
            ++count;
    }
    return count;
}

QJsonObject userRow(const QJsonObject& root, const QString& id) {
    return rowWhere(root, u"users"_s,
                    [&](const QJsonObject& o) { return o.value(u"user_id"_s) == id; });
}

QJsonObject keyRow(const QJsonObject& root, const QString& token) {
    return rowWhere(root, u"keys"_s,
                    [&](const QJsonObject& o) { return o.value(u"token"_s) == token; });
}

// The roster entry of `team` whose user_id (or, without one, user_email) is `who`.
QJsonObject rosterEntry(const QJsonObject& root, const QString& team, const QString& who) {
    const QJsonArray roster = teamRow(root, team).value(u"members_with_roles"_s).toArray();
    for (const QJsonValue& entry : roster) {
        if (entry[u"user_id"_s] == who || entry[u"user_email"_s] == who)
            return entry.toObject();
    }
    return {};
}

QJsonArray strings(const QStringList& list) {
    return QJsonArray::fromStringList(list);
}

Result<EditOutcome> apply(Store& store, StoreEdit edit) {
    return awaitTask(store.apply(std::move(edit)));
}

} // namespace

void TestFileStore::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"workspace.json"_s);
    QVERIFY(QFile::copy(fixture(u"acme.json"_s), m_path));
    QVERIFY(QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner));
}

// ---- Reading ------------------------------------------------------------------------------------

void TestFileStore::openDescribesTheFile() {
    FileStore store(m_path, false);
    const Result<StoreInfo> info = awaitTask(store.open());
    VERIFY_OK(info);
    QCOMPARE(info->kind, u"file"_s);
    QCOMPARE(info->displayName, m_path);
    QVERIFY(info->memberScopes);
    QVERIFY(info->accessGroups);
    QVERIFY(info->projects);
    QVERIFY(!info->auditLog);
    QVERIFY(!info->readOnly);

    FileStore readOnly(m_path, true);
    const Result<StoreInfo> readOnlyInfo = awaitTask(readOnly.open());
    VERIFY_OK(readOnlyInfo);
    QVERIFY(readOnlyInfo->readOnly);
}

void TestFileStore::missingFile() {
    const QString path = m_dir->filePath(u"nothing-here.json"_s);
    FileStore store(path, false);
    const Result<StoreInfo> info = awaitTask(store.open());
    VERIFY_ERROR(info, ErrorKind::NotFound, QDir::toNativeSeparators(path));
    const Result<Workspace> snapshot = awaitTask(store.snapshot());
    VERIFY_ERROR(snapshot, ErrorKind::NotFound, u"nothing-here.json"_s);
    const Result<EditOutcome> edit = apply(store, StoreEdit::setTeamBlocked(u"Search"_s, true));
    VERIFY_ERROR(edit, ErrorKind::NotFound, u"nothing-here.json"_s);
    QVERIFY(!QFile::exists(path));
}

void TestFileStore::malformedFile() {
    FileStore store(fixture(u"malformed.json"_s), false);
    const Result<StoreInfo> info = awaitTask(store.open());
    VERIFY_ERROR(info, ErrorKind::InvalidInput, u"malformed.json"_s);
    QVERIFY2(info.error().message.contains(u"invalid JSON at line 2"_s),
             qPrintable(info.error().message));
    const Result<Page<Team>> page = awaitTask(store.teams({}));
    VERIFY_ERROR(page, ErrorKind::InvalidInput, u"invalid JSON"_s);
}

void TestFileStore::snapshotSeesOtherWriters() {
    FileStore reader(m_path, true);
    FileStore writer(m_path, false);
    const Result<Workspace> before = awaitTask(reader.snapshot());
    VERIFY_OK(before);
    QCOMPARE(before->source.kind, u"postgres"_s); // where the file was captured
    VERIFY_OK(apply(writer, StoreEdit::setTeamBlocked(u"Ops"_s, true)));
    const Result<Workspace> after = awaitTask(reader.snapshot());
    VERIFY_OK(after);
    const Result<qsizetype> ops = findTeam(*after, u"team-ops"_s);
    VERIFY_OK(ops);
    QVERIFY(after->teams.at(*ops).blocked);
}

void TestFileStore::teamsArePagedById() {
    FileStore store(m_path, true);
    QStringList seen;
    PageRequest request{QString(), 2};
    int pages = 0;
    for (;;) {
        const Result<Page<Team>> page = awaitTask(store.teams(request));
        VERIFY_OK(page);
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
    VERIFY_OK(all);
    QCOMPARE(all->items.size(), 5);
    QVERIFY(all->next.isEmpty());
    const Result<Page<Team>> exact = awaitTask(store.teams({QString(), 5}));
    VERIFY_OK(exact);
    QVERIFY(exact->next.isEmpty()); // nothing remains, so no empty last page
    const Result<Page<Team>> tail = awaitTask(store.teams({u"team-plain"_s, 2}));
    VERIFY_OK(tail);
    QCOMPARE(tail->items.size(), 1);
    QCOMPARE(tail->items.front().id, u"team-search"_s);
    QVERIFY(tail->next.isEmpty());
    const Result<Page<Team>> zero = awaitTask(store.teams({QString(), 0}));
    VERIFY_ERROR(zero, ErrorKind::InvalidInput, u"page limit"_s);
}

void TestFileStore::membersJoinMembershipRows() {
    FileStore store(m_path, true);
    const Result<QList<TeamMember>> members = awaitTask(store.members(u"Search"_s));
    VERIFY_OK(members);
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
    VERIFY_OK(byId);
    QCOMPARE(byId->size(), 3);
}

void TestFileStore::membersOfUnknownTeam() {
    FileStore store(m_path, true);
    const Result<QList<TeamMember>> none = awaitTask(store.members(u"Nope"_s));
    VERIFY_ERROR(none, ErrorKind::NotFound, u"no team with team_id or team_alias Nope"_s);
    const Result<QList<TeamMember>> shared = awaitTask(store.members(u"Shared"_s));
    VERIFY_ERROR(shared, ErrorKind::InvalidInput, u"team-dup1, team-dup2"_s);
}

// ---- Member scope -------------------------------------------------------------------------------

void TestFileStore::setMemberScopeByAliasAndEmail() {
    FileStore store(m_path, false);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::setMemberScope(u"Search"_s, u"bob@acme.example"_s, {}));
    VERIFY_OK(outcome);
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
    VERIFY_OK(back);
    QCOMPARE(back->summary, u"team Search: member bob@acme.example: allowed_models [] (all team "
                            u"models) -> [claude-sonnet]"_s);
    QCOMPARE(
        membershipRow(fileJson(m_path), u"team-search"_s, u"u-bob"_s).value(u"allowed_models"_s),
        QJsonValue(strings({u"claude-sonnet"_s})));
}

void TestFileStore::setMemberScopeCreatesRowForEmailOnlyMember() {
    FileStore store(m_path, false);
    const Result<EditOutcome> outcome = apply(
        store, StoreEdit::setMemberScope(u"Search"_s, u"carol@acme.example"_s, {u"gpt-4o"_s}));
    VERIFY_OK(outcome);
    const QJsonObject row = membershipRow(fileJson(m_path), u"team-search"_s, u"u-carol"_s);
    QCOMPARE(row.value(u"allowed_models"_s), QJsonValue(strings({u"gpt-4o"_s})));
    const QString budget = row.value(u"budget_id"_s).toString();
    QCOMPARE(budget.size(), 36); // a fresh UUID, as LiteLLM creates for a new budget row
    QCOMPARE(budget.count(u'-'), 4);

    // The same member by user id (the users row's email matches the roster entry).
    VERIFY_OK(apply(store, StoreEdit::setMemberScope(u"Search"_s, u"u-carol"_s, {})));
    const QJsonObject again = membershipRow(fileJson(m_path), u"team-search"_s, u"u-carol"_s);
    QCOMPARE(again.value(u"budget_id"_s).toString(), budget);
    QCOMPARE(again.value(u"allowed_models"_s), QJsonValue(QJsonArray()));
}

void TestFileStore::setMemberScopeCopiesSharedBudget() {
    // u-ann's Search and Ops memberships point at one budget row: scoping her in Search must not
    // scope her in Ops.
    FileStore store(m_path, false);
    VERIFY_OK(apply(store, StoreEdit::setMemberScope(u"Search"_s, u"u-ann"_s, {u"gpt-4o"_s})));
    const QJsonObject file = fileJson(m_path);
    const QJsonObject search = membershipRow(file, u"team-search"_s, u"u-ann"_s);
    const QJsonObject ops = membershipRow(file, u"team-ops"_s, u"u-ann"_s);
    QCOMPARE(search.value(u"allowed_models"_s), QJsonValue(strings({u"gpt-4o"_s})));
    QVERIFY(search.value(u"budget_id"_s).toString() != u"b-shared"_s);
    QCOMPARE(ops.value(u"budget_id"_s), QJsonValue(u"b-shared"_s));
    QCOMPARE(ops.value(u"allowed_models"_s), QJsonValue(QJsonArray()));
    QCOMPARE(ops.value(u"max_budget"_s), QJsonValue(5));
}

void TestFileStore::setMemberScopeNotAMember() {
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> dave =
        apply(store, StoreEdit::setMemberScope(u"Search"_s, u"dave@acme.example"_s, {}));
    VERIFY_ERROR(dave, ErrorKind::NotFound,
                 u"user dave@acme.example is not a member of team Search"_s);
    const Result<EditOutcome> nobody =
        apply(store, StoreEdit::setMemberScope(u"Search"_s, u"u-nobody"_s, {}));
    VERIFY_ERROR(nobody, ErrorKind::NotFound, u"user u-nobody is not a member of team Search"_s);
    const Result<EditOutcome> noTeam =
        apply(store, StoreEdit::setMemberScope(u"Research"_s, u"u-bob"_s, {}));
    VERIFY_ERROR(noTeam, ErrorKind::NotFound, u"Research"_s);
    QCOMPARE(fileBytes(m_path), before);
}

void TestFileStore::ambiguousIdentifiers() {
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> team = apply(store, StoreEdit::setTeamBlocked(u"Shared"_s, true));
    VERIFY_ERROR(team, ErrorKind::InvalidInput, u"team-dup1, team-dup2"_s);
    QVERIFY(team.error().message.contains(u"team_alias Shared"_s));
    const Result<EditOutcome> member =
        apply(store, StoreEdit::setMemberScope(u"Ops"_s, u"twin@acme.example"_s, {}));
    VERIFY_ERROR(member, ErrorKind::InvalidInput, u"u-twin1, u-twin2"_s);
    // An id always wins over an alias.
    VERIFY_OK(apply(store, StoreEdit::setTeamBlocked(u"team-dup2"_s, true)));
    QVERIFY(teamRow(fileJson(m_path), u"team-dup2"_s).value(u"blocked"_s).toBool());
    QVERIFY(!teamRow(fileJson(m_path), u"team-dup1"_s).value(u"blocked"_s).toBool());
    QVERIFY(before != fileBytes(m_path));
}

// ---- UpdateMember -------------------------------------------------------------------------------

void TestFileStore::updateMemberRoleOnly() {
    FileStore store(m_path, false);
    const QJsonObject rowBefore = membershipRow(fileJson(m_path), u"team-search"_s, u"u-bob"_s);
    StoreEdit edit = StoreEdit::updateMember(u"Search"_s, u"bob@acme.example"_s);
    edit.role = u"admin"_s;
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_OK(outcome);
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

void TestFileStore::updateMemberLimitsOnly() {
    FileStore store(m_path, false);
    StoreEdit edit = StoreEdit::updateMember(u"Search"_s, u"u-bob"_s);
    edit.maxBudget = std::optional(25.5);
    edit.tpmLimit = std::optional<qint64>(); // clear
    edit.rpmLimit = std::optional<qint64>(60);
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_OK(outcome);
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
    VERIFY_OK(members);
    QCOMPARE(members->at(1).maxBudget, std::optional(25.5));
    QCOMPARE(members->at(1).tpmLimit, std::optional<qint64>());
    QCOMPARE(members->at(1).rpmLimit, std::optional<qint64>(60));

    // A member without a membership row gets one (with a fresh budget) for a limit.
    StoreEdit carol = StoreEdit::updateMember(u"Search"_s, u"u-carol"_s);
    carol.tpmLimit = std::optional<qint64>(500);
    VERIFY_OK(apply(store, carol));
    const QJsonObject carolRow = membershipRow(fileJson(m_path), u"team-search"_s, u"u-carol"_s);
    QCOMPARE(carolRow.value(u"tpm_limit"_s), QJsonValue(500));
    QCOMPARE(carolRow.value(u"allowed_models"_s), QJsonValue(QJsonArray()));
    QCOMPARE(carolRow.value(u"budget_id"_s).toString().size(), 36);
}

void TestFileStore::updateMemberRejects_data() {
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

void TestFileStore::updateMemberRejects() {
    QFETCH(StoreEdit, edit);
    QFETCH(QString, message);
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_ERROR(outcome, ErrorKind::InvalidInput, message);
    QCOMPARE(fileBytes(m_path), before);
}

// ---- AddMember ----------------------------------------------------------------------------------

void TestFileStore::addMemberSeedsDefaultModels() {
    FileStore store(m_path, false);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::addMember(u"Search"_s, u"dave@acme.example"_s));
    VERIFY_OK(outcome);
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

void TestFileStore::addMemberWithExplicitModels() {
    FileStore store(m_path, false);
    StoreEdit edit = StoreEdit::addMember(u"team-search"_s, u"u-dave"_s);
    edit.memberModels = QStringList{u"claude-sonnet"_s, u"gpt-4o"_s};
    edit.role = u"admin"_s;
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_OK(outcome);
    QCOMPARE(outcome->summary, u"team Search: added member dave@acme.example (admin), "
                               u"allowed_models [claude-sonnet, gpt-4o]"_s);
    const QJsonObject file = fileJson(m_path);
    QCOMPARE(rosterEntry(file, u"team-search"_s, u"u-dave"_s).value(u"role"_s),
             QJsonValue(u"admin"_s));
    QCOMPARE(membershipRow(file, u"team-search"_s, u"u-dave"_s).value(u"allowed_models"_s),
             QJsonValue(strings({u"claude-sonnet"_s, u"gpt-4o"_s})));
}

void TestFileStore::addMemberWithoutScope() {
    FileStore store(m_path, false);
    // An explicit [] overrides the team default: all team models, so no membership row.
    StoreEdit explicitAll = StoreEdit::addMember(u"Search"_s, u"u-dave"_s);
    explicitAll.memberModels = QStringList();
    const Result<EditOutcome> outcome = apply(store, explicitAll);
    VERIFY_OK(outcome);
    QCOMPARE(outcome->summary, u"team Search: added member dave@acme.example (user), "
                               u"allowed_models [] (all team models)"_s);
    QCOMPARE(membershipCount(fileJson(m_path), u"team-search"_s, u"u-dave"_s), 0);

    // A team without default_team_member_models gives no row either.
    VERIFY_OK(apply(store, StoreEdit::addMember(u"Plain"_s, u"u-dave"_s)));
    const QJsonObject file = fileJson(m_path);
    QCOMPARE(membershipCount(file, u"team-plain"_s, u"u-dave"_s), 0);
    QVERIFY(!rosterEntry(file, u"team-plain"_s, u"u-dave"_s).isEmpty());
    QCOMPARE(userRow(file, u"u-dave"_s).value(u"teams"_s),
             QJsonValue(strings({u"team-search"_s, u"team-plain"_s})));
}

void TestFileStore::addMemberCreatesUser() {
    FileStore store(m_path, false);
    StoreEdit edit = StoreEdit::addMember(u"Plain"_s, u"u-erin"_s);
    edit.email = u"erin@acme.example"_s;
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_OK(outcome);
    QVERIFY2(outcome->summary.endsWith(u"; created user u-erin"_s), qPrintable(outcome->summary));
    const QJsonObject file = fileJson(m_path);
    const QJsonObject user = userRow(file, u"u-erin"_s);
    QCOMPARE(user.value(u"user_email"_s), QJsonValue(u"erin@acme.example"_s));
    QCOMPARE(user.value(u"user_role"_s), QJsonValue(u"internal_user"_s));
    QCOMPARE(user.value(u"teams"_s), QJsonValue(strings({u"team-plain"_s})));
    const QJsonObject entry = rosterEntry(file, u"team-plain"_s, u"u-erin"_s);
    QCOMPARE(entry.value(u"user_email"_s), QJsonValue(u"erin@acme.example"_s));

    // The new member is found by email afterwards.
    VERIFY_OK(
        apply(store, StoreEdit::setMemberScope(u"Plain"_s, u"erin@acme.example"_s, {u"gpt-4o"_s})));
}

void TestFileStore::addMemberAlreadyMember_data() {
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

void TestFileStore::addMemberAlreadyMember() {
    QFETCH(QString, user);
    QFETCH(QString, email);
    QFETCH(QString, message);
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    StoreEdit edit = StoreEdit::addMember(u"Search"_s, user);
    if (!email.isEmpty())
        edit.email = email;
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_ERROR(outcome, ErrorKind::InvalidInput, message);
    QCOMPARE(fileBytes(m_path), before);
}

// ---- RemoveMember -------------------------------------------------------------------------------

void TestFileStore::removeMember() {
    FileStore store(m_path, false);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::removeMember(u"Search"_s, u"bob@acme.example"_s));
    VERIFY_OK(outcome);
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
    VERIFY_OK(apply(store, StoreEdit::removeMember(u"Ops"_s, u"u-ann"_s)));
    const QJsonObject after = fileJson(m_path);
    QCOMPARE(membershipCount(after, u"team-ops"_s, u"u-ann"_s), 0);
    QCOMPARE(membershipCount(after, u"team-search"_s, u"u-ann"_s), 1);
    QCOMPARE(userRow(after, u"u-ann"_s).value(u"teams"_s), QJsonValue(strings({u"team-search"_s})));
    QVERIFY(!rosterEntry(after, u"team-search"_s, u"u-ann"_s).isEmpty());

    // An entry with only an email goes too.
    VERIFY_OK(apply(store, StoreEdit::removeMember(u"Search"_s, u"carol@acme.example"_s)));
    QVERIFY(rosterEntry(fileJson(m_path), u"team-search"_s, u"carol@acme.example"_s).isEmpty());
}

void TestFileStore::removeMemberNotAMember() {
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::removeMember(u"Plain"_s, u"u-bob"_s));
    VERIFY_ERROR(outcome, ErrorKind::NotFound, u"user u-bob is not a member of team Plain"_s);
    QCOMPARE(fileBytes(m_path), before);
}

// ---- Team and key edits -------------------------------------------------------------------------

void TestFileStore::teamEdits() {
    FileStore store(m_path, false);
    const Result<EditOutcome> models =
        apply(store, StoreEdit::setTeamModels(u"Ops"_s, {u"gpt-4o"_s, u"claude-sonnet"_s}));
    VERIFY_OK(models);
    QCOMPARE(models->summary,
             u"team Ops: models [] (all proxy models) -> [gpt-4o, claude-sonnet]"_s);
    QCOMPARE(models->objectId, u"team-ops"_s);
    QCOMPARE(models->before, QJsonObject({{u"models"_s, QJsonArray()}}));

    const Result<EditOutcome> defaults = apply(
        store, StoreEdit::setDefaultMemberModels(u"Search"_s, {u"gpt-4o"_s, u"claude-sonnet"_s}));
    VERIFY_OK(defaults);
    QCOMPARE(defaults->summary, u"team Search: default_team_member_models [gpt-4o-mini] -> "
                                u"[gpt-4o, claude-sonnet]"_s);

    const Result<EditOutcome> alias =
        apply(store, StoreEdit::setTeamAlias(u"Plain"_s, u"Plain and Simple"_s));
    VERIFY_OK(alias);
    QCOMPARE(alias->summary, u"team Plain: team_alias \"Plain\" -> \"Plain and Simple\""_s);

    const Result<EditOutcome> blocked =
        apply(store, StoreEdit::setTeamBlocked(u"Plain and Simple"_s, true));
    VERIFY_OK(blocked);
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

    VERIFY_OK(apply(store, StoreEdit::setTeamModels(u"team-ops"_s, {})));
    QCOMPARE(teamRow(fileJson(m_path), u"team-ops"_s).value(u"models"_s), QJsonValue(QJsonArray()));
}

void TestFileStore::teamAliasTaken() {
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> taken = apply(store, StoreEdit::setTeamAlias(u"Plain"_s, u"Ops"_s));
    VERIFY_ERROR(taken, ErrorKind::InvalidInput, u"already used by team team-ops"_s);
    QCOMPARE(fileBytes(m_path), before);
    // Its own alias again, and clearing it, are fine.
    VERIFY_OK(apply(store, StoreEdit::setTeamAlias(u"Plain"_s, u"Plain"_s)));
    VERIFY_OK(apply(store, StoreEdit::setTeamAlias(u"Plain"_s, QString())));
    QCOMPARE(teamRow(fileJson(m_path), u"team-plain"_s).value(u"team_alias"_s),
             QJsonValue(QString()));
}

void TestFileStore::keyModels_data() {
    QTest::addColumn<QString>("identifier");
    QTest::addColumn<QString>("token");
    QTest::newRow("alias") << u"search-prod"_s << keyHash;
    QTest::newRow("token hash") << keyHash << keyHash;
    QTest::newRow("raw key") << u"sk-search-raw"_s << keyHash;
    QTest::newRow("raw token in file") << u"sk-plain-token"_s << u"sk-plain-token"_s;
}

void TestFileStore::keyModels() {
    QFETCH(QString, identifier);
    QFETCH(QString, token);
    FileStore store(m_path, false);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::setKeyModels(identifier, {u"gpt-4o-mini"_s}));
    VERIFY_OK(outcome);
    QCOMPARE(outcome->objectId, token);
    QCOMPARE(outcome->after, QJsonObject({{u"models"_s, strings({u"gpt-4o-mini"_s})}}));
    QVERIFY2(!outcome->summary.contains(u"sk-search-raw"_s), qPrintable(outcome->summary));
    const QJsonObject file = fileJson(m_path);
    QCOMPARE(keyRow(file, token).value(u"models"_s), QJsonValue(strings({u"gpt-4o-mini"_s})));
    if (token == keyHash) {
        QCOMPARE(outcome->summary, u"key search-prod: models [gpt-4o] -> [gpt-4o-mini]"_s);
        QCOMPARE(keyRow(file, token).value(u"x_key_note"_s), QJsonValue(u"kept"_s));
    }

    VERIFY_OK(apply(store, StoreEdit::setKeyModels(identifier, {})));
    QCOMPARE(keyRow(fileJson(m_path), token).value(u"models"_s), QJsonValue(QJsonArray()));
}

void TestFileStore::unknownKey() {
    FileStore store(m_path, false);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::setKeyModels(u"sk-some-secret-raw-key-1234"_s, {}));
    VERIFY_ERROR(outcome, ErrorKind::NotFound, u"no key"_s);
    // A raw key is a secret: the message abbreviates it.
    QVERIFY2(!outcome.error().message.contains(u"secret-raw"_s),
             qPrintable(outcome.error().message));
    QVERIFY(outcome.error().message.contains(u"1234"_s));
}

void TestFileStore::invalidModelLists_data() {
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

void TestFileStore::invalidModelLists() {
    QFETCH(StoreEdit, edit);
    QFETCH(QString, message);
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_ERROR(outcome, ErrorKind::InvalidInput, message);
    QCOMPARE(fileBytes(m_path), before);
}

// ---- Conflicts, read-only, preservation ---------------------------------------------------------

void TestFileStore::conflictBetweenTwoStores() {
    FileStore alice(m_path, false);
    FileStore bob(m_path, false);
    // Alice's editor shows bob@ scoped to [gpt-4o]; meanwhile another admin changes it.
    const Result<QList<TeamMember>> seen = awaitTask(alice.members(u"Search"_s));
    VERIFY_OK(seen);
    QCOMPARE(seen->at(1).allowedModels, QStringList{u"gpt-4o"_s});
    VERIFY_OK(apply(bob, StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {u"claude-sonnet"_s})));
    const QByteArray afterOther = fileBytes(m_path);

    StoreEdit edit = StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {});
    edit.expect(u"allowed_models"_s, strings(seen->at(1).allowedModels));
    const Result<EditOutcome> outcome = apply(alice, edit);
    VERIFY_ERROR(outcome, ErrorKind::Conflict, u"team Search: member bob@acme.example"_s);
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
    VERIFY_ERROR(teamOutcome, ErrorKind::Conflict, u"blocked is now false, expected true"_s);
    QVERIFY(teamOutcome.error().message.contains(u"models is now [\"gpt-4o\", \"gpt-4o-mini\""_s));
    QVERIFY(!teamOutcome.error().message.contains(u"team_alias"_s));
    QCOMPARE(fileBytes(m_path), afterOther);
}

void TestFileStore::matchingExpectationsApply() {
    FileStore store(m_path, false);
    StoreEdit edit = StoreEdit::updateMember(u"Search"_s, u"u-bob"_s);
    edit.maxBudget = std::optional(20.0);
    edit.expect(u"max_budget"_s, 10.0) // the file says 10: the same number
        .expect(u"rpm_limit"_s, QJsonValue::Null)
        .expect(u"role"_s, u"user"_s)
        .expect(u"allowed_models"_s, strings({u"gpt-4o"_s}))
        .expect(u"default_team_member_models"_s, strings({u"gpt-4o-mini"_s}));
    VERIFY_OK(apply(store, edit));

    StoreEdit key = StoreEdit::setKeyModels(u"search-prod"_s, {});
    key.expect(u"models"_s, strings({u"gpt-4o"_s}));
    VERIFY_OK(apply(store, key));

    StoreEdit add = StoreEdit::addMember(u"Search"_s, u"u-dave"_s);
    add.expect(u"default_team_member_models"_s, strings({u"gpt-4o"_s})); // stale
    const Result<EditOutcome> stale = apply(store, add);
    VERIFY_ERROR(stale, ErrorKind::Conflict, u"default_team_member_models"_s);
}

void TestFileStore::unknownExpectedField() {
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    StoreEdit edit = StoreEdit::setTeamBlocked(u"Search"_s, true);
    edit.expect(u"colour"_s, u"blue"_s);
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_ERROR(outcome, ErrorKind::InvalidInput, u"cannot check colour"_s);
    QCOMPARE(fileBytes(m_path), before);
}

void TestFileStore::concurrentWritersKeepBothEdits() {
    FileStore first(m_path, false);
    FileStore second(m_path, false);
    // Both tasks start at once; the lock file serialises them so neither edit is lost.
    QCoro::Task<Result<EditOutcome>> a =
        first.apply(StoreEdit::setTeamModels(u"Ops"_s, {u"gpt-4o"_s}));
    QCoro::Task<Result<EditOutcome>> b =
        second.apply(StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {}));
    const Result<EditOutcome> ra = awaitTask(std::move(a));
    const Result<EditOutcome> rb = awaitTask(std::move(b));
    VERIFY_OK(ra);
    VERIFY_OK(rb);
    const QJsonObject file = fileJson(m_path);
    QCOMPARE(teamRow(file, u"team-ops"_s).value(u"models"_s), QJsonValue(strings({u"gpt-4o"_s})));
    QCOMPARE(membershipRow(file, u"team-search"_s, u"u-bob"_s).value(u"allowed_models"_s),
             QJsonValue(QJsonArray()));
    QVERIFY(!QFile::exists(m_path + u".lock"_s));
}

void TestFileStore::readOnlyRefuses() {
    FileStore store(m_path, true);
    const QByteArray before = fileBytes(m_path);
    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {}));
    VERIFY_ERROR(outcome, ErrorKind::PermissionDenied, u"read-only"_s);
    QCOMPARE(fileBytes(m_path), before);
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList{u"workspace.json"_s});
}

void TestFileStore::unknownFieldsSurvive() {
    FileStore store(m_path, false);
    VERIFY_OK(apply(store, StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {})));
    VERIFY_OK(apply(store, StoreEdit::setKeyModels(u"search-prod"_s, {})));
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

void TestFileStore::hostileStrings_data() {
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

void TestFileStore::hostileStrings() {
    QFETCH(QString, text);
    FileStore store(m_path, false);

    // As a model name in every list an edit writes.
    const QStringList models{text, u"gpt-4o"_s};
    const Result<EditOutcome> teamModels =
        apply(store, StoreEdit::setTeamModels(u"team-plain"_s, models));
    VERIFY_OK(teamModels);
    QVERIFY(!teamModels->summary.contains(u'\n'));
    QVERIFY2(teamModels->summary.size() < 400, qPrintable(teamModels->summary.left(500)));
    VERIFY_OK(apply(store, StoreEdit::setDefaultMemberModels(u"team-plain"_s, models)));
    VERIFY_OK(apply(store, StoreEdit::setKeyModels(u"search-prod"_s, models)));

    // As a team alias, then naming the team by it.
    VERIFY_OK(apply(store, StoreEdit::setTeamAlias(u"team-plain"_s, text)));
    VERIFY_OK(apply(store, StoreEdit::setTeamBlocked(text, true)));

    // As an email: a new member, then found by it.
    StoreEdit add = StoreEdit::addMember(text, u"u-hostile"_s);
    add.email = text;
    VERIFY_OK(apply(store, add));
    VERIFY_OK(apply(store, StoreEdit::setMemberScope(text, text, {text})));

    // Another store reads back exactly the same strings.
    FileStore reader(m_path, true);
    const Result<Workspace> ws = awaitTask(reader.snapshot());
    VERIFY_OK(ws);
    const Result<qsizetype> index = findTeam(*ws, u"team-plain"_s);
    VERIFY_OK(index);
    const Team& team = ws->teams.at(*index);
    QCOMPARE(team.alias, text);
    QCOMPARE(team.models, models);
    QCOMPARE(team.defaultTeamMemberModels, models);
    QVERIFY(team.blocked);
    const Result<QList<TeamMember>> members = awaitTask(reader.members(text));
    VERIFY_OK(members);
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

void TestFileStore::applyEditIsAllOrNothing() {
    Result<Workspace> ws = workspace::readFile(m_path);
    VERIFY_OK(ws);
    const QByteArray before = workspace::serialize(*ws);

    StoreEdit stale = StoreEdit::removeMember(u"Search"_s, u"u-bob"_s);
    stale.expect(u"role"_s, u"admin"_s);
    const Result<EditOutcome> refused = applyEdit(*ws, stale);
    VERIFY_ERROR(refused, ErrorKind::Conflict, u"role is now \"user\", expected \"admin\""_s);
    QCOMPARE(workspace::serialize(*ws), before);

    StoreEdit add = StoreEdit::addMember(u"Plain"_s, u"u-new"_s);
    add.memberModels = QStringList{u"gpt-4o"_s};
    const Result<EditOutcome> added = applyEdit(*ws, add);
    VERIFY_OK(added);
    QVERIFY(workspace::serialize(*ws) != before);
    QVERIFY(workspace::validate(*ws).ok());
    const Result<qsizetype> plain = findTeam(*ws, u"Plain"_s);
    VERIFY_OK(plain);
    const QList<TeamMember> members = teamMembers(*ws, ws->teams.at(*plain));
    QCOMPARE(members.size(), 1);
    QCOMPARE(members.front().allowedModels, QStringList{u"gpt-4o"_s});
    QVERIFY(fileBytes(m_path).size() > 0); // the pure function never touched the file
}

QTEST_GUILESS_MAIN(TestFileStore)
#include "tst_filestore.moc"
