// FileStore's cancel, progress and paging: calls cancelled before they start, at their first
// progress report and in the middle of reading a large file answer Cancelled and leave the store
// usable; destroying the store mid-read completes the call with Cancelled; progress reports
// "reading" in bytes; paging reads the file once while it stays the same, and sees another
// writer's change at once.
#include "support/CancelTestSupport.h"
#include "support/FileStoreTestSupport.h"
#include "support/StoreTestSupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>
#include <semaphore>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

namespace {

// Larger than the store's 4 MB read chunks, so that a read reports progress several times.
constexpr int PaddingBytes = 10 << 20;

// The acme fixture with a large unknown field (kept, never interpreted) at `path`.
bool writeLargeWorkspace(const QString& path) {
    QJsonObject root = fileJson(fixture(u"acme.json"_s));
    root.insert(u"x_padding"_s, QString(PaddingBytes, u'x'));
    QFile file(path);
    return file.open(QIODevice::WriteOnly) &&
           file.write(QJsonDocument(root).toJson(QJsonDocument::Compact)) > PaddingBytes;
}

QStringList teamIds(const QList<Team>& teams) {
    QStringList ids;
    for (const Team& team : teams)
        ids.append(team.id);
    return ids;
}

// Every team id, page by page.
QStringList allPages(FileStore& store, int limit, int* pages = nullptr) {
    QStringList seen;
    PageRequest request{QString(), limit};
    for (int count = 1; count < 100; ++count) {
        const Result<Page<Team>> page = awaitTask(store.teams(request));
        if (!page)
            return {u"error: "_s + page.error().message};
        seen += teamIds(page->items);
        if (pages)
            *pages = count;
        if (page->next.isEmpty())
            break;
        request.after = page->next;
    }
    return seen;
}

} // namespace

class TestStoreCancelFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();

    void cancelledBeforeStart();
    void cancelledAtTheFirstReport();
    void cancelledMidRead();
    void progressCountsBytes();
    void destroyingTheStoreMidRead();
    void cancelledBatchWritesNothing();

    void pagesReadTheFileOnce();
    void anotherWritersChangeIsSeen();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;  // the acme fixture
    QString m_large; // the acme fixture with 10 MB of padding
};

void TestStoreCancelFile::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"workspace.json"_s);
    copyFixture(u"acme.json"_s, m_path);
    m_large = m_dir->filePath(u"large.json"_s);
    QVERIFY(writeLargeWorkspace(m_large));
}

// ---- Cancel ------------------------------------------------------------------------------------

void TestStoreCancelFile::cancelledBeforeStart() {
    FileStore store(m_path, false);
    VERIFY_FAILS_WITH(awaitTask(store.snapshot(alreadyCancelled())), ErrorKind::Cancelled,
                      u"nothing was written"_s);
    VERIFY_FAILS_WITH(awaitTask(store.teams({}, alreadyCancelled())), ErrorKind::Cancelled, u""_s);
    VERIFY_FAILS_WITH(awaitTask(store.members(u"Search"_s, alreadyCancelled())),
                      ErrorKind::Cancelled, u""_s);
    QCOMPARE(store.fileReads(), 0);
    VERIFY_SUCCEEDS(awaitTask(store.snapshot()));
}

void TestStoreCancelFile::cancelledAtTheFirstReport() {
    FileStore store(m_path, false);
    ProgressLog snapshotLog;
    VERIFY_FAILS_WITH(
        awaitTask(store.snapshot(cancelWhen(snapshotLog, [](const Progress&) { return true; }))),
        ErrorKind::Cancelled, u""_s);
    QCOMPARE(snapshotLog.reports().size(), 1);
    QCOMPARE(snapshotLog.reports().front().phase, u"reading"_s);
    QCOMPARE(snapshotLog.reports().front().done, 0);

    ProgressLog teamsLog;
    VERIFY_FAILS_WITH(
        awaitTask(store.teams({}, cancelWhen(teamsLog, [](const Progress&) { return true; }))),
        ErrorKind::Cancelled, u""_s);
    ProgressLog membersLog;
    VERIFY_FAILS_WITH(
        awaitTask(store.members(u"Search"_s,
                                cancelWhen(membersLog, [](const Progress&) { return true; }))),
        ErrorKind::Cancelled, u""_s);

    // Usable afterwards.
    const Result<Page<Team>> page = awaitTask(store.teams({}));
    VERIFY_SUCCEEDS(page);
    QCOMPARE(page->items.size(), 5);
}

void TestStoreCancelFile::cancelledMidRead() {
    FileStore store(m_large, false);
    ProgressLog log;
    const Result<Workspace> cancelled =
        awaitTask(store.snapshot(cancelWhen(log, [](const Progress& p) { return p.done > 0; })));
    VERIFY_FAILS_WITH(cancelled, ErrorKind::Cancelled, u""_s);
    // Stopped after the first chunk: the rest of the file was never read.
    const Progress last = log.last(u"reading"_s);
    QVERIFY2(last.done > 0 && last.done < last.total,
             qPrintable(u"%1 of %2"_s.arg(last.done).arg(last.total)));
    QCOMPARE(store.fileReads(), 0);

    const Result<Workspace> again = awaitTask(store.snapshot());
    VERIFY_SUCCEEDS(again);
    QCOMPARE(again->teams.size(), 5);
}

void TestStoreCancelFile::progressCountsBytes() {
    FileStore store(m_large, false);
    ProgressLog log;
    CallOptions options;
    options.progress = log.callback();
    VERIFY_SUCCEEDS(awaitTask(store.snapshot(options)));
    QCOMPARE(log.phases(), QStringList{u"reading"_s});
    QVERIFY2(log.problems().isEmpty(), qPrintable(log.problems()));
    QVERIFY(log.reports().size() >= 3);
    QCOMPARE(log.reports().front().done, 0);
    const Progress last = log.last(u"reading"_s);
    QCOMPARE(last.done, QFileInfo(m_large).size());
    QCOMPARE(last.total, last.done);
}

void TestStoreCancelFile::destroyingTheStoreMidRead() {
    auto store = std::make_unique<FileStore>(m_large, false);
    // The read waits in its first progress report until the store is gone.
    std::atomic<bool> reading{false};
    std::binary_semaphore destroyed(0);
    ProgressLog log;
    CallOptions options;
    options.progress = log.callback([&](const Progress& p) {
        if (p.done > 0 && !reading.exchange(true))
            destroyed.acquire();
    });
    QCoro::Task<Result<Workspace>> running = store->snapshot(options);
    QTRY_VERIFY_WITH_TIMEOUT(reading.load(), 10000);
    store.reset();
    destroyed.release();
    const Result<Workspace> result = awaitTask(std::move(running));
    VERIFY_FAILS_WITH(result, ErrorKind::Cancelled, u""_s);
}

void TestStoreCancelFile::cancelledBatchWritesNothing() {
    FileStore store(m_path, false);
    const QByteArray before = fileBytes(m_path);
    ProgressLog log;
    const QList<StoreEdit> edits{StoreEdit::setTeamBlocked(u"Ops"_s, true),
                                 StoreEdit::setTeamBlocked(u"Search"_s, true)};
    // Cancelled while the first edit is being applied: the batch stops before the second.
    const BatchResult batch = awaitTask(store.apply(
        edits, cancelWhen(log, [](const Progress& p) { return p.phase == u"edits"_s; })));
    QVERIFY(!batch.ok());
    QCOMPARE(batch.error->kind, ErrorKind::Cancelled);
    QVERIFY(batch.applied.isEmpty());
    QCOMPARE(fileBytes(m_path), before);
    QVERIFY(awaitTask(store.apply(edits)).ok());
}

// ---- Paging -------------------------------------------------------------------------------------

void TestStoreCancelFile::pagesReadTheFileOnce() {
    // A file changed less than two seconds ago is read again by every call (its times are too
    // coarse to prove it unchanged); an older one only once.
    FileStore store(m_path, true);
    QCOMPARE(allPages(store, 2).size(), 5);
    QCOMPARE(store.fileReads(), 3);
    QTest::qWait(2100);
    int pages = 0;
    const QStringList seen = allPages(store, 2, &pages);
    QCOMPARE(seen, (QStringList{u"team-dup1"_s, u"team-dup2"_s, u"team-ops"_s, u"team-plain"_s,
                                u"team-search"_s}));
    QCOMPARE(pages, 3);
    QCOMPARE(store.fileReads(), 4);
    VERIFY_SUCCEEDS(awaitTask(store.snapshot()));
    VERIFY_SUCCEEDS(awaitTask(store.members(u"Search"_s)));
    QCOMPARE(store.fileReads(), 4);
}

void TestStoreCancelFile::anotherWritersChangeIsSeen() {
    FileStore reader(m_path, true);
    QTest::qWait(2100);
    QCOMPARE(allPages(reader, 2).size(), 5);
    QCOMPARE(reader.fileReads(), 1);

    // Another store replaces the file (a new inode): the next page sees the change.
    FileStore writer(m_path, false);
    VERIFY_SUCCEEDS(
        awaitTask(writer.apply(StoreEdit::setTeamAlias(u"team-ops"_s, u"Operations"_s))));
    const Result<Page<Team>> replaced = awaitTask(reader.teams({u"team-dup2"_s, 1}));
    VERIFY_SUCCEEDS(replaced);
    QCOMPARE(replaced->items.value(0).alias, u"Operations"_s);
    QCOMPARE(reader.fileReads(), 2);

    // Another program rewrites it in place with the same size: seen too.
    QByteArray bytes = fileBytes(m_path);
    const qsizetype at = bytes.indexOf("\"Operations\"");
    QVERIFY(at > 0);
    bytes.replace(at, 12, "\"Operationz\"");
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QCOMPARE(file.write(bytes), bytes.size());
    file.close();
    const Result<Page<Team>> rewritten = awaitTask(reader.teams({u"team-dup2"_s, 1}));
    VERIFY_SUCCEEDS(rewritten);
    QCOMPARE(rewritten->items.value(0).alias, u"Operationz"_s);
    QCOMPARE(reader.fileReads(), 3);
}

QTEST_GUILESS_MAIN(TestStoreCancelFile)
#include "tst_store_cancel_file.moc"
