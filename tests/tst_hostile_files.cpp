// Every reader of a file (issue 11, runaway reads) refuses at once, without blocking or reading,
// what is not a regular file or is over its limit: readBoundedRegularFile itself, workspace
// files (workspace::readFile, the FileStore's reads and edits), config.yaml and its includes,
// litellm_settings and the CA file. What is a file is read to its end, through a symlink too, and
// a litellm_settings file names a key given twice.
#include "config/ProxyConfig.h"
#include "domain/BoundedFile.h"
#include "store/FileStore.h"
#include "store/StoreFactory.h"
#include "store/api/ApiConnectionOptions.h"
#include "support/AwaitTask.h"
#include "support/HostileFiles.h"
#include "support/StoreTestSupport.h"
#include "workspace/WorkspaceJson.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <functional>
#include <thread>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

// Should a reader block on the FIFO (opened without O_NONBLOCK), this opens its other end after
// a while, so that the test fails instead of hanging.
class FifoWatchdog {
public:
    explicit FifoWatchdog(QString fifo)
        : m_thread([this, path = QFile::encodeName(fifo)] {
            for (int tick = 0; tick < 100 && !m_done; ++tick)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            if (m_done)
                return;
            // Succeeds only while someone has the FIFO open for reading: a blocked reader.
            const int writer = ::open(path.constData(), O_WRONLY | O_NONBLOCK);
            if (writer >= 0) {
                m_fired = true;
                ::close(writer);
            }
        }) {}
    ~FifoWatchdog() {
        m_done = true;
        m_thread.join();
    }
    bool fired() const { return m_fired; }

private:
    std::atomic<bool> m_done{false};
    std::atomic<bool> m_fired{false};
    std::thread m_thread;
};

using Reader = std::function<Status(const QString& path, qint64 limit)>;

template <typename T>
Status statusOf(const Result<T>& result) {
    if (!result)
        return result.error();
    return Done{};
}

} // namespace

class TstHostileFiles : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QList<HostilePath> m_paths;

    QString write(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    // The readers, each as a program would call it; `limit` 0: the reader's default.
    QList<std::pair<QString, Reader>> readers() {
        const auto orDefault = [](qint64 limit, qint64 fallback) {
            return limit > 0 ? limit : fallback;
        };
        return {
            {u"bounded read"_s,
             [=](const QString& path, qint64 limit) {
                 return statusOf(
                     readBoundedRegularFile(path, orDefault(limit, DefaultWorkspaceFileLimit)));
             }},
            {u"workspace file"_s,
             [=](const QString& path, qint64 limit) {
                 return statusOf(
                     workspace::readFile(path, orDefault(limit, DefaultWorkspaceFileLimit)));
             }},
            {u"file store open"_s,
             [=](const QString& path, qint64 limit) {
                 FileStore store(path, false, orDefault(limit, DefaultWorkspaceFileLimit));
                 return statusOf(awaitTask(store.open()));
             }},
            {u"file store edit"_s,
             [=](const QString& path, qint64 limit) {
                 FileStore store(path, false, orDefault(limit, DefaultWorkspaceFileLimit));
                 return statusOf(
                     awaitTask(store.apply(StoreEdit::setTeamBlocked(u"team-a"_s, true))));
             }},
            {u"proxy config"_s,
             [=](const QString& path, qint64 limit) {
                 return statusOf(readProxyConfig(path, orDefault(limit, DefaultConfigFileLimit)));
             }},
            {u"proxy config include"_s,
             [this, orDefault](const QString& path, qint64 limit) {
                 const QString config =
                     write(u"including.yaml"_s,
                           "include:\n  - " + QFile::encodeName(path) + "\nmodel_list: []\n");
                 return statusOf(readProxyConfig(config, orDefault(limit, DefaultConfigFileLimit)));
             }},
            {u"litellm settings"_s,
             [=](const QString& path, qint64 limit) {
                 return statusOf(
                     readLitellmSettingsFile(path, orDefault(limit, DefaultConfigFileLimit)));
             }},
            {u"CA file"_s,
             [=](const QString& path, qint64 limit) {
                 return statusOf(
                     readCaCertificates(path, orDefault(limit, DefaultConfigFileLimit)));
             }},
        };
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QString error;
        m_paths = makeHostilePaths(m_dir, &error);
        QVERIFY2(!m_paths.isEmpty(), qPrintable(error));
    }

    void refusedWithoutReading_data() {
        QTest::addColumn<int>("reader");
        QTest::addColumn<int>("hostile");
        const auto all = readers();
        for (int r = 0; r < all.size(); ++r)
            for (int h = 0; h < m_paths.size(); ++h)
                QTest::addRow("%s, %s", qPrintable(all[r].first), qPrintable(m_paths[h].name))
                    << r << h;
    }

    void refusedWithoutReading() {
        QFETCH(int, reader);
        QFETCH(int, hostile);
        const HostilePath& target = m_paths.at(hostile);
        const FifoWatchdog watchdog(m_dir.filePath(u"fifo.json"_s));
        QElapsedTimer timer;
        timer.start();
        const Status status = readers().at(reader).second(target.path, target.limitMiB * MiB);
        const qint64 elapsed = timer.elapsed();
        QVERIFY2(!watchdog.fired(), "the reader blocked on the FIFO");
        QVERIFY(!status);
        const QString expected = u"cannot read "_s + target.path + u": "_s + target.problem;
        QVERIFY2(status.error().message.contains(expected), qPrintable(status.error().message));
        QCOMPARE(status.error().kind, ErrorKind::Io);
        // Nothing was read: a gigabyte sparse file or a device would take seconds.
        QVERIFY2(elapsed < 2000, qPrintable(u"took %1 ms"_s.arg(elapsed)));
    }

    void missingFileIsNotFound() {
        const QString missing = m_dir.filePath(u"missing.json"_s);
        const Result<QByteArray> read = readBoundedRegularFile(missing, MiB);
        VERIFY_FAILS_WITH(read, ErrorKind::NotFound,
                          u"cannot read "_s + missing + u": No such file or directory"_s);
    }

    // A symlink to a regular file is a file; the refusal looks at what the link names.
    void symlinksAreFollowed() {
        const QString real =
            write(u"real.json"_s, "{\"format\": \"litescope-workspace\", \"version\": 1, "
                                  "\"teams\": [{\"team_id\": \"t\"}]}");
        const QString link = m_dir.filePath(u"link.json"_s);
        QVERIFY(QFile::link(real, link));
        const Result<Workspace> ws = workspace::readFile(link);
        VERIFY_SUCCEEDS(ws);
        QCOMPARE(ws->teams.size(), 1);
        const QString toDevice = m_dir.filePath(u"zero-link.json"_s);
        QVERIFY(QFile::link(u"/dev/zero"_s, toDevice));
        VERIFY_FAILS_WITH(workspace::readFile(toDevice), ErrorKind::Io,
                          u"it is a character device, not a file"_s);
    }

    // Files of /proc say size 0 and hold more: the read goes to the end of the file, never past
    // its limit.
    void readToTheEndNotToTheSize() {
        const Result<QByteArray> status = readBoundedRegularFile(u"/proc/self/status"_s, MiB);
        VERIFY_SUCCEEDS(status);
        QVERIFY(status->startsWith("Name:"));
        VERIFY_FAILS_WITH(readBoundedRegularFile(u"/proc/self/status"_s, 16), ErrorKind::Io,
                          u"it holds more than the limit of 16 bytes"_s);
        const QString exact = write(u"exact.txt"_s, QByteArray(64, 'x'));
        const Result<QByteArray> full = readBoundedRegularFile(exact, 64);
        VERIFY_SUCCEEDS(full);
        QCOMPARE(full->size(), 64);
        VERIFY_FAILS_WITH(readBoundedRegularFile(exact, 63), ErrorKind::Io,
                          u"it has 64 bytes, more than the limit of 63 bytes"_s);
    }

    // Qt's parser keeps one of the values without a word; the reader names the key.
    void litellmSettingsKeyGivenTwice() {
        const QString settings =
            write(u"dup-settings.json"_s,
                  "{\"model_alias_map\": {\"gpt4\": \"gpt-4o\",\n \"gpt4\": \"gpt-4o-mini\"}}");
        VERIFY_FAILS_WITH(readLitellmSettingsFile(settings), ErrorKind::InvalidInput,
                          settings + u" is not a JSON object of litellm_settings: "
                                     "model_alias_map.gpt4: duplicate key (again at line 2, "
                                     "column 2)"_s);
    }

    // The spec's limit reaches every file it names; an unusable one is refused first.
    void specLimitAppliesToEveryFile() {
        const QString workspace = write(
            u"two-mib.json"_s, "{\"format\": \"litescope-workspace\", \"version\": 1, \"x\": \"" +
                                   QByteArray(2 * MiB, 'x') + "\"}");
        ConnectionSpec spec;
        spec.workspaceFile = workspace;
        VERIFY_SUCCEEDS(awaitTask((*makeStore(spec))->open()));
        spec.maxFileSize = MiB;
        Result<std::unique_ptr<Store>> limited = makeStore(spec);
        VERIFY_SUCCEEDS(limited);
        VERIFY_FAILS_WITH(awaitTask((*limited)->open()), ErrorKind::Io,
                          u"more than the limit of 1 MiB"_s);
        spec.proxyConfigFile = write(u"big.yaml"_s, "model_list: []\n# " + QByteArray(MiB, 'x'));
        std::optional<SpecProblem> problem = findProblem(spec);
        QVERIFY(problem);
        QCOMPARE(problem->field, SpecField::ProxyConfigFile);
        QVERIFY2(problem->error.message.contains(u"more than the limit of 1 MiB"_s),
                 qPrintable(problem->error.message));
        spec.maxFileSize = 0;
        problem = findProblem(spec);
        QVERIFY(problem);
        QCOMPARE(problem->field, SpecField::MaxFileSize);
        QCOMPARE(problem->kind, SpecProblem::Kind::Invalid);
    }
};

QTEST_GUILESS_MAIN(TstHostileFiles)
#include "tst_hostile_files.moc"
