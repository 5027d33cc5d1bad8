// FileStore's member writes follow the workspace's LiteLLM release (source.litellm_version), or
// the admin's (Store::setLiteLLMVersion) over it: from 1.103.0 on a scope or limits edit that
// would leave the member's budget holding no limit unlinks the member (budget_id null), before
// it keeps the emptied values; a budget shared with another membership is never changed in
// place. The same rules as the database (tst_pgstore_unlink). Fixture: tests/data/filestore/
// acme.json with the release set per test.
#include "support/FileStoreTestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

class TestFileStoreUnlink : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();

    void emptyScope_data();
    void emptyScope();
    void clearingTheLastLimitOfASharedBudget_data();
    void clearingTheLastLimitOfASharedBudget();
    void anotherLiteLLMLimitKeepsTheLink();
    void adminVersionOverTheFiles();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;

    // acme.json naming `release` in source.litellm_version (empty: none, the newest rules).
    void useRelease(const QString& release) {
        QJsonObject root = fileJson(m_path);
        QJsonObject source = root.value(u"source"_s).toObject();
        if (release.isEmpty())
            source.remove(u"litellm_version"_s);
        else
            source.insert(u"litellm_version"_s, release);
        root.insert(u"source"_s, source);
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(root).toJson());
    }
};

void TestFileStoreUnlink::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"workspace.json"_s);
    copyFixture(u"acme.json"_s, m_path);
}

void TestFileStoreUnlink::emptyScope_data() {
    QTest::addColumn<QString>("release");
    QTest::addColumn<bool>("unlinks");
    QTest::newRow("1.102.0") << u"1.102.0"_s << false;
    QTest::newRow("1.103.0") << u"1.103.0"_s << true;
    QTest::newRow("no release: the newest rules") << QString() << true;
}

// carol gets a scope of her own, then [] again: at 1.103.0 her row would hold no limit.
void TestFileStoreUnlink::emptyScope() {
    QFETCH(QString, release);
    QFETCH(bool, unlinks);
    useRelease(release);
    FileStore store(m_path, false);
    VERIFY_SUCCEEDS(
        apply(store, StoreEdit::setMemberScope(u"Search"_s, u"u-carol"_s, {u"gpt-4o"_s})));
    const QString budget = membershipRow(fileJson(m_path), u"team-search"_s, u"u-carol"_s)
                               .value(u"budget_id"_s)
                               .toString();
    QCOMPARE(budget.size(), 36);

    const Result<EditOutcome> outcome =
        apply(store, StoreEdit::setMemberScope(u"Search"_s, u"u-carol"_s, {}));
    VERIFY_SUCCEEDS(outcome);
    const QJsonObject file = fileJson(m_path);
    const QJsonObject row = membershipRow(file, u"team-search"_s, u"u-carol"_s);
    QCOMPARE(membershipCount(file, u"team-search"_s, u"u-carol"_s), 1);
    QCOMPARE(row.value(u"allowed_models"_s), QJsonValue(QJsonArray()));
    QCOMPARE(row.value(u"budget_id"_s),
             unlinks ? QJsonValue(QJsonValue::Null) : QJsonValue(budget));
    QCOMPARE(outcome->summary.contains(u"unlinked from its budget row"_s), unlinks);
    // The file keeps naming the release it named.
    QCOMPARE(file.value(u"source"_s).toObject().value(u"litellm_version"_s).toString(), release);

    // The undo gives the scope back, on a new budget when the old one was let go.
    VERIFY_SUCCEEDS(apply(store, outcome->undo.front()));
    const QJsonObject back = membershipRow(fileJson(m_path), u"team-search"_s, u"u-carol"_s);
    QCOMPARE(back.value(u"allowed_models"_s), QJsonValue(strings({u"gpt-4o"_s})));
    QCOMPARE(back.value(u"budget_id"_s).toString() == budget, !unlinks);
}

void TestFileStoreUnlink::clearingTheLastLimitOfASharedBudget_data() {
    QTest::addColumn<QString>("release");
    QTest::addColumn<bool>("unlinks");
    QTest::newRow("1.102.0") << u"1.102.0"_s << false;
    QTest::newRow("1.103.0") << u"1.103.0"_s << true;
}

// u-ann's Ops membership shares b-shared with her Search one and holds only max_budget 5.
void TestFileStoreUnlink::clearingTheLastLimitOfASharedBudget() {
    QFETCH(QString, release);
    QFETCH(bool, unlinks);
    useRelease(release);
    FileStore store(m_path, false);
    StoreEdit edit = StoreEdit::updateMember(u"Ops"_s, u"ann@acme.example"_s);
    edit.maxBudget.emplace(std::nullopt);
    const Result<EditOutcome> outcome = apply(store, edit);
    VERIFY_SUCCEEDS(outcome);
    const QJsonObject file = fileJson(m_path);
    const QJsonObject ops = membershipRow(file, u"team-ops"_s, u"u-ann"_s);
    if (unlinks) {
        QCOMPARE(ops.value(u"budget_id"_s), QJsonValue(QJsonValue::Null));
    } else {
        // A copy of her own; the shared budget is never changed in place.
        QCOMPARE(ops.value(u"budget_id"_s).toString().size(), 36);
    }
    QVERIFY(ops.value(u"max_budget"_s).isNull() || ops.value(u"max_budget"_s).isUndefined());
    const QJsonObject search = membershipRow(file, u"team-search"_s, u"u-ann"_s);
    QCOMPARE(search.value(u"budget_id"_s), QJsonValue(u"b-shared"_s));
    QCOMPARE(outcome->summary, u"team Ops: member ann@acme.example: max_budget 5 -> none"_s +
                                   (unlinks ? u"; unlinked from its budget row, which would hold "
                                              u"no limit (LiteLLM 1.103.0 and later): the member "
                                              u"falls back to the team's defaults"_s
                                            : QString()));
}

// bob's budget has budget_duration too, a limit as LiteLLM counts them: clearing the four
// limits litescope edits does not unlink him.
void TestFileStoreUnlink::anotherLiteLLMLimitKeepsTheLink() {
    useRelease(u"1.103.0"_s);
    FileStore store(m_path, false);
    StoreEdit limits = StoreEdit::updateMember(u"Search"_s, u"u-bob"_s);
    limits.maxBudget.emplace(std::nullopt);
    limits.tpmLimit.emplace(std::nullopt);
    VERIFY_SUCCEEDS(apply(store, limits));
    VERIFY_SUCCEEDS(apply(store, StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {})));
    const QJsonObject row = membershipRow(fileJson(m_path), u"team-search"_s, u"u-bob"_s);
    QCOMPARE(row.value(u"budget_id"_s), QJsonValue(u"b-bob"_s));
    QCOMPARE(row.value(u"budget_duration"_s), QJsonValue(u"30d"_s));
    QCOMPARE(row.value(u"allowed_models"_s), QJsonValue(QJsonArray()));
}

// --litellm-version over the file's release, both ways; the file's own stays as it was.
void TestFileStoreUnlink::adminVersionOverTheFiles() {
    const struct {
        QString file;
        LiteLLMVersion admin;
        bool unlinks;
    } rows[] = {
        {u"1.102.0"_s, {1, 103, 0}, true},
        {u"1.103.0"_s, {1, 102, 0}, false},
    };
    for (const auto& row : rows) {
        init();
        useRelease(row.file);
        FileStore store(m_path, false);
        store.setLiteLLMVersion(row.admin);
        StoreEdit edit = StoreEdit::updateMember(u"Ops"_s, u"u-ann"_s);
        edit.maxBudget.emplace(std::nullopt);
        VERIFY_SUCCEEDS(apply(store, edit));
        const QJsonObject file = fileJson(m_path);
        QCOMPARE(membershipRow(file, u"team-ops"_s, u"u-ann"_s).value(u"budget_id"_s).isNull(),
                 row.unlinks);
        QCOMPARE(file.value(u"source"_s).toObject().value(u"litellm_version"_s).toString(),
                 row.file);
    }
}

QTEST_GUILESS_MAIN(TestFileStoreUnlink)
#include "tst_filestore_unlink.moc"
