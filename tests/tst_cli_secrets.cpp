// Secrets handed to litescope-cli never come back out (issue 11, "Hostile input"): a password
// planted in --db, in every form libpq reads and in the ones it refuses (a URI without its scheme,
// with one slash or an upper-case scheme, a bare password, one typed where the port goes), and the
// admin API key when a proxy quotes it (a redirect's Location, a redirect loop, the release
// /health/readiness names, an error body with the key percent-encoded), and a password in an --api
// URL QUrl cannot parse. Each run gets a directory of its own; the secret is looked for in stdout,
// stderr and every file under it, and, for runs against a live database, in every row of every
// LiteLLM table afterwards (the audit rows included). The CLI warns once for a --db string that
// holds a password, and says so when it cannot read the string at all.
#include "support/ApiTestSupport.h"
#include "support/CliPgSupport.h"

#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

// Every planted secret contains Planted, which a URI never needs to encode: finding it anywhere
// finds any fragment of a secret, in any encoding.
const QString Planted = u"Pl4nted"_s;
const QString Password = u"pw-Pl4nted-S3cret-6e1b"_s;
// With characters a URI must percent-encode.
const QString OddPassword = u"pw/Pl4nted@S3cret:6e1b"_s;
const QString ApiKey = u"sk-Pl4nted-S3cret-key-93c1"_s;
const QString OddApiKey = u"sk-Pl4nted/S3cret+key=93c1"_s;
const QString KeyVariable = u"LITESCOPE_SECRETS_TEST_KEY"_s;

const QString HoldsWarning = u"warning: the --db connection string holds a password"_s;
const QString UnreadableWarning = u"warning: the --db connection string cannot be read, so "
                                  u"whether it holds a password is not known"_s;

QString encoded(const QString& text) {
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

// Where Planted shows up: "stdout", "stderr", a file under `dir`, or "the database".
QStringList leaks(const CliRun& run, const QString& dir, const QString& database = {}) {
    const QByteArray needle = Planted.toUtf8();
    QStringList found;
    if (run.out.contains(needle))
        found.append(u"stdout"_s);
    if (run.err.contains(needle))
        found.append(u"stderr"_s);
    QDirIterator files(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString path = files.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly) || file.readAll().contains(needle))
            found.append(path);
    }
    if (database.contains(Planted))
        found.append(u"the database"_s);
    return found;
}

#define VERIFY_NO_LEAK(run, dir, ...)                                                              \
    do {                                                                                           \
        const QStringList leaked_ = leaks((run), (dir)__VA_OPT__(, ) __VA_ARGS__);                 \
        QVERIFY2(leaked_.isEmpty(), qPrintable(u"the secret is in "_s + leaked_.join(u", "_s) +    \
                                               u"\n"_s + describe(run)));                          \
    } while (false)

} // namespace

class TstCliSecrets : public QObject {
    Q_OBJECT

private:
    CliPgFixture m_pg;

    // A proxy holding the demo data whose master key is `key`; null (and the test failed) when
    // it cannot listen.
    static std::unique_ptr<FakeLiteLLM> proxyWithKey(const QString& key) {
        auto proxy = std::make_unique<FakeLiteLLM>(demoDataset(), key);
        QString error;
        if (!proxy->listen(&error)) {
            qWarning("%s", qPrintable(error));
            return nullptr;
        }
        return proxy;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFile::exists(cliPath()), "litescope-cli is built");
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_pg.stop(); }

    // ---- --db, no server needed (port 1: nothing listens) --------------------------------------

    void databaseStringNeverEchoed_data() {
        QTest::addColumn<QString>("connection");
        QTest::addColumn<QString>("warning");
        QTest::addColumn<QString>("said"); // in our own words, on stderr
        const QString P = Password;
        const QString at = u"@127.0.0.1:1/litellm"_s;
        // Strings libpq cannot read: its message would quote them, password and all.
        QTest::newRow("URI without its scheme")
            << u"u:"_s + P + at << HoldsWarning << u"a URI without its scheme"_s;
        QTest::newRow("URI with one slash")
            << u"postgresql:/u:"_s + P + at << HoldsWarning << u"with two slashes"_s;
        QTest::newRow("upper-case scheme")
            << u"POSTGRESQL://u:"_s + P + at << HoldsWarning << u"in lower case"_s;
        QTest::newRow("bare password")
            << P << UnreadableWarning << u"neither a postgresql:// URI nor key=value settings"_s;
        QTest::newRow("base64-looking password")
            << u"cHctUGw0bnRlZA"_s + Planted + u"=="_s << UnreadableWarning
            << u"setting 1 of the key=value settings is not a libpq setting"_s;
        QTest::newRow("password after the settings")
            << u"host=127.0.0.1 port=1 "_s + P << UnreadableWarning
            << u"word 3 of the key=value settings is not followed by \"=\""_s;
        QTest::newRow("unclosed quote") << u"host=127.0.0.1 port=1 password='"_s + P << HoldsWarning
                                        << u"the quoted value of setting 3 is not closed"_s;
        QTest::newRow("password where the host goes")
            << u"postgresql://u:"_s + P + u"/litellm"_s << UnreadableWarning
            << u"its port is not a number"_s;
        QTest::newRow("bad percent-encoding")
            << u"postgresql://u:"_s + P + u"%zz"_s + at << HoldsWarning
            << u"does not start a percent-encoded byte"_s;
        QTest::newRow("unknown query parameter")
            << u"postgresql://u@127.0.0.1:1/litellm?pw="_s + P << UnreadableWarning
            << u"query parameter 1 of the URI is not a libpq setting"_s;
        QTest::newRow("unclosed IPv6 address")
            << u"postgresql://u:"_s + P + u"@[::1/litellm"_s << HoldsWarning << u"IPv6 address"_s;
        // Strings libpq reads: the connection fails, shown by where it points.
        const QString refused = u"Could not connect to the database "_s;
        QTest::newRow("URI") << u"postgresql://u:"_s + P + at << HoldsWarning
                             << refused + u"u@127.0.0.1:1/litellm:"_s;
        QTest::newRow("postgres:// URI")
            << u"postgres://u:"_s + P + at << HoldsWarning << refused + u"u@127.0.0.1:1/litellm:"_s;
        QTest::newRow("percent-encoded password")
            << u"postgresql://u:"_s + encoded(OddPassword) + at << HoldsWarning
            << refused + u"u@127.0.0.1:1/litellm:"_s;
        QTest::newRow("password query parameter")
            << u"postgresql://u@127.0.0.1:1/litellm?sslmode=disable&password="_s + P << HoldsWarning
            << refused + u"u@127.0.0.1:1/litellm:"_s;
        QTest::newRow("key=value, quoted with spaces")
            << u"host=127.0.0.1 port=1 user=u password = '"_s + P + u" and \\' more'"_s
            << HoldsWarning << refused + u"u@127.0.0.1:1:"_s;
        QTest::newRow("database name written as a URI")
            << u"host=127.0.0.1 port=1 dbname=postgresql://u:"_s + P + u"@db/litellm"_s
            << HoldsWarning << refused + u"127.0.0.1:1/postgresql://u@db/litellm:"_s;
        // libpq quotes an sslmode it does not know: the password typed there too is taken out.
        QTest::newRow("password repeated in another setting")
            << u"host=127.0.0.1 port=1 password="_s + P + u" sslmode="_s + P << HoldsWarning
            << u"invalid sslmode value: \"[the password]\""_s;
    }

    void databaseStringNeverEchoed() {
        QFETCH(QString, connection);
        QFETCH(QString, warning);
        QFETCH(QString, said);
        QVERIFY(connection.contains(Planted) || connection.contains(encoded(Planted)));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const CliRun snapshot =
            runCli({u"snapshot"_s, u"-o"_s, dir.filePath(u"out.json"_s), u"--db"_s, connection});
        EXPECT_EXIT(snapshot, 2);
        VERIFY_NO_LEAK(snapshot, dir.path());
        const QString err = QString::fromUtf8(snapshot.err);
        QCOMPARE(err.count(warning), 1);
        QVERIFY2(err.contains(said), qPrintable(err));
        QVERIFY(!QFile::exists(dir.filePath(u"out.json"_s)));
        // An edit goes the same way, and writes nothing either.
        const CliRun edit = runCli(
            {u"team"_s, u"block"_s, u"-t"_s, u"ML Research"_s, u"--db"_s, connection, u"--json"_s});
        EXPECT_EXIT(edit, 2);
        VERIFY_NO_LEAK(edit, dir.path());
        QCOMPARE(QString::fromUtf8(edit.err).count(warning), 1);
    }

    // ---- --db against a live database (trust authentication ignores the password) ------------

    void passwordNeverWritten_data() {
        QTest::addColumn<QString>("form");
        QTest::newRow("URI") << u"uri"_s;
        QTest::newRow("percent-encoded URI") << u"encoded"_s;
        QTest::newRow("key=value") << u"keyvalue"_s;
    }

    void passwordNeverWritten() {
        QFETCH(QString, form);
        PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
        QString connection = m_pg.uriWithPassword(db, Password);
        if (form == u"encoded"_s)
            connection = m_pg.uriWithPassword(db, encoded(OddPassword));
        else if (form == u"keyvalue"_s)
            connection = m_pg.cluster().keyValue(db) + u" password='"_s + Password + u"'"_s;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(u"snapshot.json"_s);
        const QList<QStringList> commands{
            {u"snapshot"_s, u"-o"_s, file},
            {u"check"_s, u"-k"_s, u"ml-research-ci"_s, u"-m"_s, u"gpt-4o"_s, u"--json"_s},
            {u"team"_s, u"block"_s, u"-t"_s, u"ML Research"_s, u"--json"_s},
            {u"team"_s, u"block"_s, u"-t"_s, u"no such team"_s},
            {u"team"_s, u"unblock"_s, u"-t"_s, u"ML Research"_s, u"--read-only"_s},
        };
        const QList<int> exitCodes{0, 0, 0, 2, 2};
        for (qsizetype i = 0; i < commands.size(); ++i) {
            const CliRun run = runCli(commands.at(i) + QStringList{u"--db"_s, connection});
            EXPECT_EXIT(run, exitCodes.at(i));
            VERIFY_NO_LEAK(run, dir.path(), m_pg.dump(db));
            QCOMPARE(QString::fromUtf8(run.err).count(HoldsWarning), 1);
        }
        QVERIFY(readBytes(file).contains("\"postgres@127.0.0.1:"));
        // The block was written, with its audit row.
        QCOMPARE(m_pg.newAuditRows(db).size(), 1);
    }

    // ---- --api: what a proxy says may quote the key ---------------------------------------------

    void apiKeyNeverEchoed_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QByteArray>("location");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("said");
        const QString elsewhere = u"was redirected to http://127.0.0.1:1."_s;
        for (const QString& key : {ApiKey, OddApiKey}) {
            const QString k = key == ApiKey ? u"key"_s : u"odd key"_s;
            const QByteArray raw = key.toUtf8();
            const QByteArray enc = QUrl::toPercentEncoding(key);
            QTest::addRow("%s: redirect elsewhere, key in the query", qPrintable(k))
                << key << u"redirect"_s << "http://127.0.0.1:1/sso/login?api_key=" + enc << 2
                << elsewhere;
            QTest::addRow("%s: redirect elsewhere, key as the password", qPrintable(k))
                << key << u"redirect"_s << "http://admin:" + enc + "@127.0.0.1:1/" << 2
                << elsewhere;
            QTest::addRow("%s: redirect elsewhere, key in the path", qPrintable(k))
                << key << u"redirect"_s << "http://127.0.0.1:1/keys/" + enc + "/login" << 2
                << elsewhere;
            QTest::addRow("%s: redirect elsewhere, key in the fragment", qPrintable(k))
                << key << u"redirect"_s << "http://127.0.0.1:1/#" + raw << 2 << elsewhere;
            QTest::addRow("%s: redirect loop", qPrintable(k))
                << key << u"loop"_s << "/user/list?api_key=" + enc << 2
                << u"was redirected in a loop"_s;
            QTest::addRow("%s: error body", qPrintable(k))
                << key << u"body"_s << QByteArray() << 2 << u"HTTP 400"_s;
            QTest::addRow("%s: release name", qPrintable(k))
                << key << u"release"_s << QByteArray() << 0
                << u"names its release \"[the API key]\""_s;
        }
    }

    void apiKeyNeverEchoed() {
        QFETCH(QString, key);
        QFETCH(QString, answer);
        QFETCH(QByteArray, location);
        QFETCH(int, exitCode);
        QFETCH(QString, said);
        const std::unique_ptr<FakeLiteLLM> proxy = proxyWithKey(key);
        QVERIFY(proxy);
        // /user/list is the read open() checks the key with.
        if (answer == u"redirect"_s) {
            proxy->injectRedirect(u"/user/list"_s, 302, location);
        } else if (answer == u"loop"_s) {
            proxy->injectRedirect(u"/user/list"_s, 307, location, 1000);
        } else if (answer == u"body"_s) {
            const QByteArray body = "{\"detail\": \"bad request for key " +
                                    QUrl::toPercentEncoding(key) + " (" + key.toUtf8() + ")\"}";
            proxy->injectFault(u"/user/list"_s, {400, body, 0, 1, false});
        } else {
            const QByteArray body = QJsonDocument(QJsonObject{{u"status"_s, u"healthy"_s},
                                                              {u"db"_s, u"connected"_s},
                                                              {u"litellm_version"_s, key}})
                                        .toJson(QJsonDocument::Compact);
            proxy->injectFault(u"/health/readiness"_s, {200, body, 0, 10, false});
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(u"snapshot.json"_s);
        const CliRun run = runCliServing({u"snapshot"_s, u"-o"_s, file, u"--api"_s,
                                          proxy->url().toString(), u"--api-key-env"_s, KeyVariable},
                                         {{KeyVariable, key}});
        EXPECT_EXIT(run, exitCode);
        VERIFY_NO_LEAK(run, dir.path());
        QString shown = QString::fromUtf8(run.err);
        if (exitCode == 0) // the warnings are in the file too
            shown += QString::fromUtf8(readBytes(file));
        else
            QVERIFY(!QFile::exists(file));
        QVERIFY2(shown.contains(said), qPrintable(describe(run)));
        proxy->verifyFaultsFired();
    }

    // A password in an --api URL QUrl cannot parse: its message would quote the URL.
    void apiUrlNeverEchoed_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("said");
        QTest::newRow("port out of range") << u"http://admin:"_s + Password + u"@127.0.0.1:99999"_s
                                           << u"Invalid port or port number out of range"_s;
        QTest::newRow("character not permitted in the password")
            << u"http://admin:"_s + Password + u"<x@127.0.0.1:4000"_s << u"Invalid"_s;
        QTest::newRow("well-formed, with a password")
            << u"http://admin:"_s + Password + u"@127.0.0.1:4000"_s
            << u"leave out user:password@"_s;
    }

    void apiUrlNeverEchoed() {
        QFETCH(QString, url);
        QFETCH(QString, said);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const CliRun run = runCliServing({u"snapshot"_s, u"-o"_s, dir.filePath(u"out.json"_s),
                                          u"--api"_s, url, u"--api-key-env"_s, KeyVariable},
                                         {{KeyVariable, ApiKey}});
        EXPECT_EXIT(run, 2);
        VERIFY_NO_LEAK(run, dir.path());
        QVERIFY2(run.err.contains(said.toUtf8()), qPrintable(describe(run)));
    }
};

QTEST_GUILESS_MAIN(TstCliSecrets)
#include "tst_cli_secrets.moc"
