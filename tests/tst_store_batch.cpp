// Batches of edits (Store::apply(QList<StoreEdit>)) and the helpers the window builds them with:
// a batch whose third of five edits conflicts leaves the database and the file untouched, and
// stops the admin API after exactly the two edits it sent; a whole batch commits with one audit
// row per edit; a cancelled batch writes nothing; withExpected() turns a change someone else made
// meanwhile into a Conflict; previewEdits() reports every refusal and changes nothing for it.
#include "store/EditPreview.h"
#include "store/FileStore.h"
#include "store/pg/PgStore.h"
#include "support/ApiTestSupport.h"
#include "support/FileStoreTestSupport.h"
#include "support/PgTestDatabase.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

// Five edits; the third expects a scope bob does not have (a Conflict).
QList<StoreEdit> batchWithConflictAtThree() {
    using namespace seed;
    return {
        StoreEdit::setTeamModels(supportTeam, {u"gpt-4o-mini"_s, u"gpt-4o"_s}),
        StoreEdit::setKeyModels(searchProdKey, {u"gpt-4o-mini"_s}),
        StoreEdit::setMemberScope(mlTeam, bob, {u"claude-3-5-sonnet"_s})
            .expect(u"allowed_models"_s, QJsonArray{u"o1"_s}),
        StoreEdit::setTeamBlocked(legacyTeam, false),
        StoreEdit::addMember(supportTeam, carol),
    };
}

QList<StoreEdit> batchThatApplies() {
    QList<StoreEdit> edits = batchWithConflictAtThree();
    edits[2].expected = {};
    return edits;
}

bool isWrite(const FakeLiteLLM::RecordedRequest& request) {
    return request.method == "POST";
}

} // namespace

class TstStoreBatch : public QObject {
    Q_OBJECT

private:
    PgTestFixture m_pg{u"batch"_s};

    std::unique_ptr<PgStore> pgStore(const QString& database) {
        PgConnectionOptions options;
        options.connectionString = m_pg.uri(database);
        options.actor = u"litescope-batch"_s;
        auto store = std::make_unique<PgStore>(options);
        const Result<StoreInfo> info = awaitTask(store->open());
        if (!info)
            qWarning("open: %s", failureText(info).constData());
        return info ? std::move(store) : nullptr;
    }

    // A fresh seed database and its snapshot.
    QString seedDatabase(Workspace* seed) {
        QString error;
        const QString database = m_pg.freshDatabase(Level::Newest, &error);
        if (database.isEmpty()) {
            qWarning("%s", qPrintable(error));
            return {};
        }
        auto store = pgStore(database);
        if (!store)
            return {};
        Result<Workspace> snapshot = awaitTask(store->snapshot());
        if (!snapshot)
            return {};
        *seed = *snapshot;
        return database;
    }

private Q_SLOTS:
    void initTestCase() {
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_pg.stop(); }

    void databaseConflictAtThreeWritesNothing() {
        Workspace seed;
        const QString database = seedDatabase(&seed);
        QVERIFY(!database.isEmpty());
        auto store = pgStore(database);
        QVERIFY(store);
        const QString before = m_pg.dump(database);
        m_pg.takeAudit(database);

        const BatchResult batch = awaitTask(store->apply(batchWithConflictAtThree()));
        QVERIFY(!batch.ok());
        QCOMPARE(kindName(batch.error->kind), kindName(ErrorKind::Conflict));
        QCOMPARE(batch.failedIndex, 2);
        QCOMPARE(batch.applied.size(), 0); // one transaction: the first two were rolled back
        QCOMPARE(m_pg.dump(database), before);
        QCOMPARE(m_pg.takeAudit(database).size(), 0);
    }

    void databaseBatchCommitsWithOneAuditRowPerEdit() {
        Workspace seed;
        const QString database = seedDatabase(&seed);
        QVERIFY(!database.isEmpty());
        auto store = pgStore(database);
        QVERIFY(store);
        m_pg.takeAudit(database);
        const BatchResult batch = awaitTask(store->apply(batchThatApplies()));
        QVERIFY2(batch.ok(), batch.error ? qPrintable(batch.error->message) : "");
        QCOMPARE(batch.applied.size(), 5);
        QCOMPARE(batch.failedIndex, -1);
        const QList<QJsonObject> audit = m_pg.takeAudit(database);
        QCOMPARE(audit.size(), 5);
        QStringList objects;
        for (const QJsonObject& row : audit)
            objects.append(row.value(u"object_id"_s).toString());
        QCOMPARE(objects, (QStringList{seed::supportTeam, seed::searchProdKey, seed::mlTeam,
                                       seed::legacyTeam, seed::supportTeam}));
        // What the batch left is what its preview said it would.
        const Result<Workspace> after = awaitTask(store->snapshot());
        VERIFY_SUCCEEDS(after);
        const EditPreview preview = previewEdits(seed, batchThatApplies());
        QVERIFY(preview.ok());
        const QStringList models = candidateModels(*after);
        QCOMPARE(decisionLines(*after, models), decisionLines(preview.workspace, models));
    }

    void apiConflictAtThreeReportsTwoSent() {
        Workspace seed;
        QVERIFY(!seedDatabase(&seed).isEmpty());
        ApiFixture api;
        QString error;
        QVERIFY2(api.start(seed, &error), qPrintable(error));
        ApiConnectionOptions options = api.options();
        options.litellmSettings = settingsOf(seed);
        auto store = api.store(options);
        QVERIFY(store);
        api.proxy().clearRequests();

        const QList<StoreEdit> edits = batchWithConflictAtThree();
        const BatchResult batch = awaitTask(store->apply(edits));
        QVERIFY(!batch.ok());
        QCOMPARE(kindName(batch.error->kind), kindName(ErrorKind::Conflict));
        QCOMPARE(batch.failedIndex, 2);
        QCOMPARE(batch.applied.size(), 2);
        QVERIFY(batch.applied.at(0).summary.contains(u"Support Bots"_s));
        QVERIFY(batch.applied.at(1).summary.contains(u"search-prod"_s));
        QStringList writes;
        for (const FakeLiteLLM::RecordedRequest& request : api.proxy().requests()) {
            if (isWrite(request))
                writes.append(request.path);
        }
        QCOMPARE(writes, (QStringList{u"/team/update"_s, u"/key/update"_s}));

        // The proxy holds exactly the first two edits.
        const Result<Workspace> after = awaitTask(store->snapshot());
        VERIFY_SUCCEEDS(after);
        const EditPreview firstTwo = previewEdits(seed, edits.mid(0, 2));
        QVERIFY(firstTwo.ok());
        const QStringList models = candidateModels(*after);
        QCOMPARE(decisionLines(*after, models), decisionLines(firstTwo.workspace, models));
    }

    void fileConflictAtThreeWritesNothing() {
        Workspace seed;
        QVERIFY(!seedDatabase(&seed).isEmpty());
        QTemporaryDir dir;
        const QString path = dir.filePath(u"seed.json"_s);
        VERIFY_SUCCEEDS(workspace::writeFile(seed, path));
        FileStore store(path, false);
        VERIFY_SUCCEEDS(awaitTask(store.open()));
        const QByteArray before = fileBytes(path);

        const BatchResult batch = awaitTask(store.apply(batchWithConflictAtThree()));
        QVERIFY(!batch.ok());
        QCOMPARE(kindName(batch.error->kind), kindName(ErrorKind::Conflict));
        QCOMPARE(batch.failedIndex, 2);
        QCOMPARE(batch.applied.size(), 0);
        QCOMPARE(fileBytes(path), before);

        const BatchResult whole = awaitTask(store.apply(batchThatApplies()));
        QVERIFY(whole.ok());
        QCOMPARE(whole.applied.size(), 5);
        QVERIFY(fileBytes(path) != before);
    }

    void cancelledBatchWritesNothing() {
        Workspace seed;
        const QString database = seedDatabase(&seed);
        QVERIFY(!database.isEmpty());
        CallOptions call;
        call.cancellation = std::make_shared<Cancellation>();
        call.cancellation->cancel();

        auto pg = pgStore(database);
        QVERIFY(pg);
        const QString dump = m_pg.dump(database);
        const BatchResult fromDb = awaitTask(pg->apply(batchThatApplies(), call));
        QVERIFY(fromDb.error);
        QCOMPARE(kindName(fromDb.error->kind), kindName(ErrorKind::Cancelled));
        QCOMPARE(fromDb.applied.size(), 0);
        QCOMPARE(m_pg.dump(database), dump);

        QTemporaryDir dir;
        const QString path = dir.filePath(u"seed.json"_s);
        VERIFY_SUCCEEDS(workspace::writeFile(seed, path));
        FileStore file(path, false);
        VERIFY_SUCCEEDS(awaitTask(file.open()));
        const QByteArray bytes = fileBytes(path);
        const BatchResult fromFile = awaitTask(file.apply(batchThatApplies(), call));
        QVERIFY(fromFile.error);
        QCOMPARE(kindName(fromFile.error->kind), kindName(ErrorKind::Cancelled));
        QCOMPARE(fileBytes(path), bytes);

        ApiFixture api;
        QString error;
        QVERIFY2(api.start(seed, &error), qPrintable(error));
        auto proxy = api.store();
        QVERIFY(proxy);
        api.proxy().clearRequests();
        const BatchResult fromApi = awaitTask(proxy->apply(batchThatApplies(), call));
        QVERIFY(fromApi.error);
        QCOMPARE(kindName(fromApi.error->kind), kindName(ErrorKind::Cancelled));
        QCOMPARE(fromApi.applied.size(), 0);
        const QList<FakeLiteLLM::RecordedRequest> requests = api.proxy().requests();
        QVERIFY(std::none_of(requests.cbegin(), requests.cend(), isWrite));
    }

    void withExpectedTurnsAConcurrentChangeIntoAConflict() {
        Workspace seed;
        const QString database = seedDatabase(&seed);
        QVERIFY(!database.isEmpty());
        auto editor = pgStore(database);
        auto someoneElse = pgStore(database);
        QVERIFY(editor && someoneElse);

        // Filled from the loaded state, for every field the edit changes.
        const StoreEdit scope = withExpected(
            seed, StoreEdit::setMemberScope(u"ML Research"_s, u"bob@example.com"_s, {}));
        QCOMPARE(scope.expected, (QJsonObject{{u"allowed_models"_s, QJsonArray{u"gpt-4o"_s}}}));
        StoreEdit limits = StoreEdit::updateMember(seed::mlTeam, seed::bob);
        limits.tpmLimit = std::optional<qint64>(5000);
        limits.role = u"admin"_s;
        limits = withExpected(seed, limits);
        QCOMPARE(limits.expected,
                 (QJsonObject{{u"role"_s, u"user"_s}, {u"tpm_limit"_s, QJsonValue()}}));
        const StoreEdit key =
            withExpected(seed, StoreEdit::setKeyModels(seed::searchProdKey, {u"gpt-4o"_s}));
        QCOMPARE(key.expected.value(u"models"_s).toArray(),
                 (QJsonArray{u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}));
        const StoreEdit missing =
            withExpected(seed, StoreEdit::setTeamModels(u"no-such-team"_s, {}));
        QVERIFY(missing.expected.isEmpty());

        // Someone else changes bob's scope after we loaded: our edit is refused, nothing written.
        VERIFY_SUCCEEDS(awaitTask(someoneElse->apply(
            StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {u"claude-3-5-sonnet"_s}))));
        const QString dump = m_pg.dump(database);
        VERIFY_FAILS_WITH(
            awaitTask(editor->apply(scope)), ErrorKind::Conflict,
            u"allowed_models is now [\"claude-3-5-sonnet\"], expected [\"gpt-4o\"]"_s);
        QCOMPARE(m_pg.dump(database), dump);
        // Unchanged fields pass.
        VERIFY_SUCCEEDS(awaitTask(editor->apply(limits)));
        VERIFY_SUCCEEDS(awaitTask(editor->apply(key)));
    }

    void undoOfAnAppliedEditIsRefusedAfterAnotherChange() {
        Workspace seed;
        const QString database = seedDatabase(&seed);
        QVERIFY(!database.isEmpty());
        auto store = pgStore(database);
        QVERIFY(store);
        const Result<EditOutcome> applied =
            awaitTask(store->apply(StoreEdit::setTeamModels(seed::supportTeam, {u"gpt-4o"_s})));
        VERIFY_SUCCEEDS(applied);
        QCOMPARE(applied->undo.size(), 1);
        QCOMPARE(applied->undo.front().expected,
                 (QJsonObject{{u"models"_s, QJsonArray{u"gpt-4o"_s}}}));
        VERIFY_SUCCEEDS(awaitTask(store->apply(
            StoreEdit::setTeamModels(seed::supportTeam, {u"gpt-4o"_s, u"claude-3-5-sonnet"_s}))));
        VERIFY_FAILS_WITH(awaitTask(store->apply(applied->undo.front())), ErrorKind::Conflict,
                          u"models is now"_s);
    }

    void previewReportsEveryRefusalAndSkipsIt() {
        Workspace seed;
        QVERIFY(!seedDatabase(&seed).isEmpty());
        QList<StoreEdit> edits = batchWithConflictAtThree();
        edits.append(StoreEdit::removeMember(seed::supportTeam, seed::grace));
        const EditPreview preview = previewEdits(seed, edits);
        QCOMPARE(preview.results.size(), 6);
        QVERIFY(!preview.ok());
        QCOMPARE(preview.refusedCount(), 2);
        QVERIFY(preview.results.at(0) && preview.results.at(1) && preview.results.at(3) &&
                preview.results.at(4));
        VERIFY_FAILS_WITH(preview.results.at(2), ErrorKind::Conflict, u"allowed_models"_s);
        VERIFY_FAILS_WITH(preview.results.at(5), ErrorKind::NotFound, u"is not a member"_s);
        // The refused edits left nothing behind: the preview equals the accepted edits alone.
        QList<StoreEdit> accepted = edits;
        accepted.removeAt(5);
        accepted.removeAt(2);
        const EditPreview acceptedOnly = previewEdits(seed, accepted);
        QVERIFY(acceptedOnly.ok());
        QCOMPARE(workspace::serialize(preview.workspace),
                 workspace::serialize(acceptedOnly.workspace));
        // And the workspace it started from is untouched.
        QVERIFY(workspace::serialize(preview.workspace) != workspace::serialize(seed));
    }
};

QTEST_GUILESS_MAIN(TstStoreBatch)
#include "tst_store_batch.moc"
