// litescope-cli and the files it is given (issue 11, hostile input): every option that takes a
// file (--workspace for reading and for an edit, --proxy-config and its includes,
// --litellm-settings, --ca-file) refuses at once, with exit 2, /dev/zero, /dev/urandom, a
// directory, a FIFO, a socket, a file over --max-file-size and a sparse file over the default
// limit. A JSON file that is not a workspace, or gives a key twice, is refused as such; a file of
// one key repeated for megabytes is refused at the second one.
#include "domain/BoundedFile.h"
#include "support/CliRunner.h"
#include "support/CliTestSupport.h"
#include "support/HostileFiles.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

// Long enough for a loaded machine, far shorter than reading a device until memory runs out.
constexpr int QuickMs = 20000;

const char* const KeyVariable = "LITESCOPE_TEST_HOSTILE_KEY";

} // namespace

class TstCliHostileFiles : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QList<HostilePath> m_paths;
    QString m_workspace; // a good one, for the options beside --workspace

    QString write(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    // Each option that takes a file, as a command line naming `path`.
    QList<std::pair<QString, std::function<QStringList(const QString&)>>> options() {
        const QStringList api{u"--api"_s, u"http://127.0.0.1:9"_s, u"--api-key-env"_s,
                              QString::fromLatin1(KeyVariable)};
        return {
            {u"workspace"_s,
             [](const QString& path) {
                 return QStringList{u"validate"_s, u"-w"_s, path};
             }},
            {u"workspace edit"_s,
             [](const QString& path) {
                 return QStringList{u"team"_s, u"block"_s, u"-w"_s, path, u"-t"_s, u"t"_s};
             }},
            {u"proxy config"_s,
             [this](const QString& path) {
                 return QStringList{u"validate"_s, u"-w"_s, m_workspace, u"--proxy-config"_s, path};
             }},
            {u"proxy config include"_s,
             [this](const QString& path) {
                 const QString config =
                     write(u"including.yaml"_s,
                           "include:\n  - " + QFile::encodeName(path) + "\nmodel_list: []\n");
                 return QStringList{u"validate"_s, u"-w"_s, m_workspace, u"--proxy-config"_s,
                                    config};
             }},
            {u"litellm settings"_s,
             [api](const QString& path) {
                 return QStringList{u"validate"_s} + api +
                        QStringList{u"--litellm-settings"_s, path};
             }},
            {u"ca file"_s,
             [api](const QString& path) {
                 return QStringList{u"validate"_s} + api + QStringList{u"--ca-file"_s, path};
             }},
        };
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QString error;
        m_paths = makeHostilePaths(m_dir, &error);
        QVERIFY2(!m_paths.isEmpty(), qPrintable(error));
        m_workspace =
            write(u"good.json"_s, "{\"format\": \"litescope-workspace\", \"version\": 1}");
        qputenv(KeyVariable, "sk-hostile-files-test");
    }

    void refusedAtOnce_data() {
        QTest::addColumn<int>("option");
        QTest::addColumn<int>("hostile");
        const auto all = options();
        for (int o = 0; o < all.size(); ++o)
            for (int h = 0; h < m_paths.size(); ++h)
                QTest::addRow("%s, %s", qPrintable(all[o].first), qPrintable(m_paths[h].name))
                    << o << h;
    }

    void refusedAtOnce() {
        QFETCH(int, option);
        QFETCH(int, hostile);
        const HostilePath& target = m_paths.at(hostile);
        QStringList arguments = options().at(option).second(target.path);
        if (target.limitMiB > 0)
            arguments << u"--max-file-size"_s << QString::number(target.limitMiB);
        QElapsedTimer timer;
        timer.start();
        const CliRun run = runCli(arguments, {}, QuickMs);
        QVERIFY2(run.finished, qPrintable(u"still running after %1 ms"_s.arg(timer.elapsed())));
        QCOMPARE(run.exitCode, 2);
        const QString expected = u"cannot read "_s + target.path + u": "_s + target.problem;
        QVERIFY2(QString::fromUtf8(run.err).contains(expected), qPrintable(describe(run)));
        QVERIFY2(run.out.isEmpty(), qPrintable(describe(run)));
    }

    void notAWorkspace() {
        const QString other =
            write(u"other.json"_s, "{\"name\": \"some other tool\", \"items\": []}");
        const CliRun run = runCli({u"validate"_s, u"-w"_s, other}, {}, QuickMs);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains(": not a litescope workspace (no \"format\" field"),
                 qPrintable(describe(run)));
        QVERIFY2(run.out.contains("1 error"), qPrintable(describe(run)));
        QVERIFY(!run.out.contains("0 errors"));
    }

    void keyGivenTwice() {
        const QString twice =
            write(u"twice.json"_s,
                  "{\"format\": \"litescope-workspace\", \"version\": 1,\n"
                  "\"teams\": [{\"team_id\": \"a\", \"models\": [\"x\"], \"models\": []}]}");
        const CliRun run = runCli({u"validate"_s, u"-w"_s, twice}, {}, QuickMs);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains("teams[0].models: duplicate key (again at line 2, column 45)"),
                 qPrintable(describe(run)));

        const QString settings =
            write(u"twice-settings.json"_s, "{\"model_alias_map\": {\"a\": \"x\", \"a\": \"y\"}}");
        const CliRun api =
            runCli({u"validate"_s, u"--api"_s, u"http://127.0.0.1:9"_s, u"--api-key-env"_s,
                    QString::fromLatin1(KeyVariable), u"--litellm-settings"_s, settings},
                   {}, QuickMs);
        QCOMPARE(api.exitCode, 2);
        QVERIFY2(api.err.contains("model_alias_map.a: duplicate key"), qPrintable(describe(api)));
    }

    // The 500 MB file of one repeated key took 24 s and 3 GB before it was refused; the
    // second key refuses it, after one read of the file.
    void oneKeyRepeatedForMegabytes() {
        QByteArray text = "{\"format\": \"litescope-workspace\", \"version\": 1";
        const QByteArray member = ", \"a\": 1";
        text.reserve(64 * MiB);
        while (text.size() < 64 * MiB)
            text += member;
        text += '}';
        const QString path = write(u"repeated.json"_s, text);
        const CliRun run = runCli({u"validate"_s, u"-w"_s, path}, {}, QuickMs);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains("a: duplicate key (again at line 1, column 57)"),
                 qPrintable(describe(run)));
    }

    void maxFileSizeRaisesAndLowersTheLimit() {
        const QString padded = write(
            u"padded.json"_s, "{\"format\": \"litescope-workspace\", \"version\": 1, \"x\": \"" +
                                  QByteArray(MiB, 'x') + "\"}");
        CliRun run = runCli({u"validate"_s, u"-w"_s, padded}, {}, QuickMs);
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        run = runCli({u"validate"_s, u"-w"_s, padded, u"--max-file-size"_s, u"1"_s}, {}, QuickMs);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("more than the limit of 1 MiB; if the file is right, raise the "
                                  "limit with --max-file-size"),
                 qPrintable(describe(run)));
        run = runCli({u"validate"_s, u"-w"_s, padded, u"--max-file-size"_s, u"2"_s}, {}, QuickMs);
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));

        // (validate reports every refused option as an error of the workspace: an edit does not.)
        for (const QString& wrong : {u"0"_s, u"-1"_s, u"1.5"_s, u"lots"_s, u"1048577"_s}) {
            run = runCli({u"team"_s, u"block"_s, u"-w"_s, padded, u"-t"_s, u"t"_s,
                          u"--max-file-size"_s, wrong},
                         {}, QuickMs);
            QCOMPARE(run.exitCode, 2);
            QVERIFY2(run.err.contains("--max-file-size takes a whole number of MiB from 1 to "
                                      "1048576."),
                     qPrintable(describe(run)));
        }
        run = runCli({u"validate"_s, u"--help"_s}, {}, QuickMs);
        QVERIFY2(run.out.contains("--max-file-size <MiB>"), qPrintable(describe(run)));
    }
};

QTEST_GUILESS_MAIN(TstCliHostileFiles)
#include "tst_cli_hostile_files.moc"
