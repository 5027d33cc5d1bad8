// The store factory (store/StoreFactory.h): each kind of ConnectionSpec gives its store with the
// spec's options in effect (a workspace file, a database, the fake LiteLLM proxy's admin API),
// every refusal names the field at fault, and no display name or message shows the API key or
// the database password.
#include "store/FileStore.h"
#include "store/StoreFactory.h"
#include "store/api/ApiStore.h"
#include "store/pg/PgStore.h"
#include "support/ApiTestSupport.h"
#include "support/CliTestSupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

Q_DECLARE_METATYPE(litescope::ConnectionSpec)
Q_DECLARE_METATYPE(litescope::SpecProblem::Kind)
Q_DECLARE_METATYPE(litescope::SpecField)

namespace {

const QString DbPassword = u"db-S3cret-pw-0451"_s;

ConnectionSpec workspaceSpec(const QString& path = demoPath()) {
    ConnectionSpec spec;
    spec.workspaceFile = path;
    return spec;
}

ConnectionSpec databaseSpec(const QString& uri) {
    ConnectionSpec spec;
    spec.databaseUri = uri;
    return spec;
}

ConnectionSpec apiSpec(const QString& url, const std::optional<QString>& key = MasterKey) {
    ConnectionSpec spec;
    spec.apiUrl = url;
    spec.apiKey = key;
    return spec;
}

template <typename Concrete>
bool holds(const Result<std::unique_ptr<Store>>& store) {
    return store && dynamic_cast<Concrete*>(store->get()) != nullptr;
}

} // namespace

class TstStoreFactory : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ApiFixture m_api;

    QString write(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_api.start(demoDataset(), &error), qPrintable(error));
    }

    void cleanup() { m_api.proxy().clearRequests(); }

    // ---- each kind -----------------------------------------------------------------------------

    void workspaceFile() {
        const QString path = write(u"ws.json"_s, readBytes(demoPath()));
        const QByteArray before = readBytes(path);
        ConnectionSpec spec = workspaceSpec(path);
        QCOMPARE(spec.kind(), ConnectionKind::WorkspaceFile);
        QCOMPARE(spec.displayName(), path);
        spec.readOnly = true;
        Result<std::unique_ptr<Store>> store = makeStore(spec);
        QVERIFY2(holds<FileStore>(store), failureText(store).constData());
        const Result<StoreInfo> info = awaitTask((*store)->open());
        VERIFY_SUCCEEDS(info);
        QCOMPARE(info->kind, u"file"_s);
        QVERIFY(info->readOnly);
        const Result<Workspace> snapshot = awaitTask((*store)->snapshot());
        VERIFY_SUCCEEDS(snapshot);
        QVERIFY(!snapshot->teams.isEmpty());
        const Result<EditOutcome> refused =
            awaitTask((*store)->apply(StoreEdit::setTeamBlocked(snapshot->teams.front().id, true)));
        VERIFY_FAILS_WITH(refused, ErrorKind::PermissionDenied, u"read-only"_s);
        QCOMPARE(readBytes(path), before);
        // An actor means nothing to a file: even an empty one is no reason to refuse.
        spec.actor = QString();
        QVERIFY(!findProblem(spec));
    }

    void database() {
        // Port 1: nothing listens, so open() shows where the store points without a server.
        ConnectionSpec spec =
            databaseSpec(u"postgresql://postgres:"_s + DbPassword + u"@127.0.0.1:1/litellm"_s);
        spec.actor = u"ops-bot"_s;
        QCOMPARE(spec.kind(), ConnectionKind::Database);
        QCOMPARE(spec.displayName(), u"postgres@127.0.0.1:1/litellm"_s);
        QCOMPARE(spec.databasePassword(), PasswordCheck::Found);
        QCOMPARE(databaseSpec(u"postgresql://postgres@db/litellm"_s).databasePassword(),
                 PasswordCheck::None);
        Result<std::unique_ptr<Store>> store = makeStore(spec);
        QVERIFY2(holds<PgStore>(store), failureText(store).constData());
        const Result<StoreInfo> info = awaitTask((*store)->open());
        QVERIFY(!info);
        QCOMPARE(info.error().kind, ErrorKind::ConnectionLost);
        QVERIFY2(info.error().message.contains(u"postgres@127.0.0.1:1/litellm"_s),
                 qPrintable(info.error().message));
        QVERIFY(!info.error().message.contains(DbPassword));
        // A key=value string works as well as a URI.
        QVERIFY(holds<PgStore>(makeStore(databaseSpec(u"host=db.example dbname=litellm"_s))));
        QCOMPARE(databaseSpec(u"host=db.example dbname=litellm"_s).displayName(),
                 u"db.example/litellm"_s);
    }

    void adminApi() {
        const QString settings =
            write(u"settings.json"_s, QJsonDocument(settingsOf(demoDataset())).toJson());
        ConnectionSpec spec = apiSpec(m_api.proxy().url().toString());
        spec.apiKeyHeader = u"x-litellm-api-key"_s;
        spec.litellmSettingsFile = settings;
        spec.timeoutSeconds = 5;
        spec.actor = u"ops-bot"_s;
        QCOMPARE(spec.kind(), ConnectionKind::Api);
        QCOMPARE(spec.displayName(), m_api.proxy().url().toString());
        Result<std::unique_ptr<Store>> store = makeStore(spec);
        QVERIFY2(holds<ApiStore>(store), failureText(store).constData());
        VERIFY_SUCCEEDS(awaitTask((*store)->open()));
        const Result<Workspace> snapshot = awaitTask((*store)->snapshot());
        VERIFY_SUCCEEDS(snapshot);
        // The settings file reached the store: litellm_settings are known.
        QVERIFY2(!snapshot->source.unknown.contains(u"settings"_s),
                 qPrintable(snapshot->source.unknown.join(u", "_s)));
        QCOMPARE(snapshot->settings.modelAliasMap, demoDataset().settings.modelAliasMap);
        const StoreEdit edit = StoreEdit::setTeamBlocked(snapshot->teams.front().id, false);
        VERIFY_SUCCEEDS(awaitTask((*store)->apply(edit)));
        const QList<FakeLiteLLM::RecordedRequest> requests = m_api.proxy().requests();
        QVERIFY(!requests.isEmpty());
        bool posted = false;
        for (const FakeLiteLLM::RecordedRequest& request : requests) {
            if (request.path.startsWith(u"/health/"_s))
                continue;
            QCOMPARE(request.headers.value("x-litellm-api-key"), "Bearer " + MasterKey.toUtf8());
            QVERIFY(!request.headers.contains("authorization"));
            if (request.method == "POST") {
                posted = true;
                QCOMPARE(request.headers.value("litellm-changed-by"), QByteArray("ops-bot"));
            }
        }
        QVERIFY(posted);
    }

    void adminApiReadOnly() {
        ConnectionSpec spec = apiSpec(m_api.proxy().url().toString());
        spec.readOnly = true;
        Result<std::unique_ptr<Store>> store = makeStore(spec);
        QVERIFY2(holds<ApiStore>(store), failureText(store).constData());
        VERIFY_SUCCEEDS(awaitTask((*store)->open()));
        m_api.proxy().clearRequests();
        const Result<EditOutcome> refused =
            awaitTask((*store)->apply(StoreEdit::setTeamBlocked(u"anything"_s, true)));
        VERIFY_FAILS_WITH(refused, ErrorKind::PermissionDenied, u"read-only"_s);
        QVERIFY(m_api.proxy().requests().isEmpty());
    }

    // ---- refusals ------------------------------------------------------------------------------

    void refused_data() {
        QTest::addColumn<ConnectionSpec>("spec");
        QTest::addColumn<SpecProblem::Kind>("kind");
        QTest::addColumn<SpecField>("field");
        QTest::addColumn<QString>("message");
        using Kind = SpecProblem::Kind;
        const QString proxy = u"https://proxy.example:4000"_s;
        const QString settings = write(u"settings-ok.json"_s, "{}");

        QTest::newRow("no source") << ConnectionSpec{} << Kind::NoSource << SpecField::Source
                                   << u"Say where the data comes from"_s;
        ConnectionSpec two = workspaceSpec();
        two.databaseUri = u"postgresql://db/litellm"_s;
        QTest::newRow("file and database")
            << two << Kind::SeveralSources << SpecField::Source << u"not several"_s;
        ConnectionSpec three = two;
        three.apiUrl = proxy;
        QTest::newRow("all three")
            << three << Kind::SeveralSources << SpecField::Source << u"not several"_s;

        const auto outsideApi = [&](const char* name, SpecField field, auto set) {
            ConnectionSpec spec = databaseSpec(u"postgresql://db/litellm"_s);
            set(spec);
            QTest::newRow(name) << spec << Kind::OnlyForApi << field
                                << u"goes with an admin API URL"_s;
        };
        outsideApi("key without API", SpecField::ApiKey,
                   [](ConnectionSpec& s) { s.apiKey = MasterKey; });
        outsideApi("CA file without API", SpecField::CaFile,
                   [](ConnectionSpec& s) { s.caFile = u"/etc/ssl/certs/ca.pem"_s; });
        outsideApi("timeout without API", SpecField::Timeout,
                   [](ConnectionSpec& s) { s.timeoutSeconds = 10; });
        outsideApi("settings without API", SpecField::LitellmSettingsFile,
                   [&](ConnectionSpec& s) { s.litellmSettingsFile = settings; });
        outsideApi("key header without API", SpecField::ApiKeyHeader,
                   [](ConnectionSpec& s) { s.apiKeyHeader = u"x-litellm-api-key"_s; });
        ConnectionSpec fileWithTimeout = workspaceSpec();
        fileWithTimeout.timeoutSeconds = 10;
        QTest::newRow("timeout with a file") << fileWithTimeout << Kind::OnlyForApi
                                             << SpecField::Timeout << u"The timeout goes with"_s;

        QTest::newRow("empty workspace file name")
            << workspaceSpec(QString()) << Kind::Empty << SpecField::WorkspaceFile
            << u"Name the workspace file."_s;
        ConnectionSpec noActor = databaseSpec(u"postgresql://db/litellm"_s);
        noActor.actor = QString();
        QTest::newRow("empty actor (database)")
            << noActor << Kind::Empty << SpecField::Actor << u"The actor cannot be empty."_s;
        ConnectionSpec noApiActor = apiSpec(proxy);
        noApiActor.actor = QString();
        QTest::newRow("empty actor (API)")
            << noApiActor << Kind::Empty << SpecField::Actor << u"The actor cannot be empty."_s;

        for (const double seconds : {0.0, -1.0, 3600.5, std::nan("")}) {
            ConnectionSpec spec = apiSpec(proxy);
            spec.timeoutSeconds = seconds;
            QTest::addRow("timeout %g", seconds)
                << spec << Kind::Invalid << SpecField::Timeout
                << u"The timeout takes a number of seconds above 0 and at most 3600."_s;
        }
        ConnectionSpec noHeader = apiSpec(proxy);
        noHeader.apiKeyHeader = u" "_s;
        QTest::newRow("empty key header") << noHeader << Kind::Empty << SpecField::ApiKeyHeader
                                          << u"The API key header needs a name."_s;

        const auto badSettings = [&](const char* name, const QString& path, const QString& text) {
            ConnectionSpec spec = apiSpec(proxy);
            spec.litellmSettingsFile = path;
            QTest::newRow(name) << spec << Kind::Invalid << SpecField::LitellmSettingsFile << text;
        };
        badSettings("settings file missing", m_dir.filePath(u"nope.json"_s), u"cannot read "_s);
        badSettings("settings not JSON", write(u"settings-bad.json"_s, "{nope"),
                    u"is not a JSON object of litellm_settings"_s);
        badSettings("settings not an object", write(u"settings-array.json"_s, "[1]"),
                    u"expected {...}"_s);
        badSettings("alias map not an object",
                    write(u"settings-map.json"_s, "{\"model_alias_map\": [\"a\"]}"),
                    u"model_alias_map must be an object of strings"_s);

        const auto badUrl = [&](const char* name, const QString& url, const QString& text) {
            QTest::newRow(name) << apiSpec(url) << Kind::Invalid << SpecField::ApiUrl << text;
        };
        badUrl("empty URL", QString(), u"The proxy URL is not usable"_s);
        badUrl("not http", u"ftp://proxy.example"_s, u"give an http:// or https:// address"_s);
        badUrl("no host", u"http://"_s, u"not usable"_s);
        badUrl("query", u"https://proxy.example/?key=1"_s, u"leave out the query"_s);
        badUrl("user info", u"https://admin:pw@proxy.example"_s, u"leave out user:password@"_s);
        badUrl("no scheme", u"proxy.example:4000"_s, u"not usable"_s);

        ConnectionSpec noCa = apiSpec(proxy);
        noCa.caFile = m_dir.filePath(u"missing-ca.pem"_s);
        QTest::newRow("CA file missing")
            << noCa << Kind::Invalid << SpecField::CaFile << u"The CA file: cannot read"_s;
        ConnectionSpec notPem = apiSpec(proxy);
        notPem.caFile = write(u"not-a-cert.pem"_s, "hello");
        QTest::newRow("CA file not PEM")
            << notPem << Kind::Invalid << SpecField::CaFile << u"holds no PEM certificate"_s;
        QTest::newRow("key with a line break")
            << apiSpec(proxy, u"sk-abc\nX-Injected: 1"_s) << Kind::Invalid << SpecField::ApiKey
            << u"The API key contains a line break."_s;

        QTest::newRow("unparsable database string")
            << databaseSpec(u"postgresql://postgres:"_s + DbPassword + u"@[::1/litellm"_s)
            << Kind::Invalid << SpecField::DatabaseUri
            << u"The database connection string is not valid"_s;
        QTest::newRow("database key=value without a value")
            << databaseSpec(u"host"_s) << Kind::Invalid << SpecField::DatabaseUri
            << u"The database connection string is not valid"_s;
    }

    void refused() {
        QFETCH(ConnectionSpec, spec);
        QFETCH(SpecProblem::Kind, kind);
        QFETCH(SpecField, field);
        QFETCH(QString, message);
        const std::optional<SpecProblem> problem = findProblem(spec);
        QVERIFY(problem);
        QCOMPARE(problem->kind, kind);
        QCOMPARE(problem->field, field);
        QVERIFY2(problem->error.message.contains(message), qPrintable(problem->error.message));
        QVERIFY(!problem->error.message.contains(DbPassword));
        QVERIFY(!problem->error.message.contains(MasterKey));
        // makeStore refuses with the same error and builds nothing.
        const Result<std::unique_ptr<Store>> store = makeStore(spec);
        QVERIFY(!store);
        QCOMPARE(store.error().message, problem->error.message);
    }

    // The key may come later (a prompt, a keychain): a spec without one is fine, a store is not.
    void apiKeyNeededOnlyToBuild() {
        const ConnectionSpec spec = apiSpec(u"https://proxy.example:4000"_s, std::nullopt);
        QVERIFY(!findProblem(spec));
        const Result<std::unique_ptr<Store>> store = makeStore(spec);
        VERIFY_FAILS_WITH(store, ErrorKind::PermissionDenied, u"No API key was given"_s);
        ConnectionSpec empty = spec;
        empty.apiKey = QString();
        VERIFY_FAILS_WITH(makeStore(empty), ErrorKind::PermissionDenied, u"No API key"_s);
    }

    // PgSession passes what libpq and the server say through withoutPassword(): the password
    // goes, as libpq decoded it and as the string wrote it, and so does the string as a whole.
    void libpqMessagesLoseThePassword() {
        PgConnectionOptions options;
        options.connectionString = u"postgresql://admin:db%2FS3cret%20pw@db.example/litellm"_s;
        QCOMPARE(options.withoutPassword(u"a db/S3cret pw b db%2FS3cret%20pw c db%2fS3cret+pw"_s),
                 u"a [the password] b [the password] c [the password]"_s);
        options.connectionString = u"host=db.example password='"_s + DbPassword + u"'"_s;
        QCOMPARE(options.withoutPassword(u"cannot use \""_s + options.connectionString + u"\""_s),
                 u"cannot use \"[the connection string]\""_s);
        QCOMPARE(options.withoutPassword(u"invalid sslmode value: \""_s + DbPassword + u"\""_s),
                 u"invalid sslmode value: \"[the password]\""_s);
        // A password that is also the user name stays where it names the user: marking it there
        // would only tell that the two are the same.
        options.connectionString = u"postgresql://postgres:postgres@db.example/litellm"_s;
        const QString failed = u"password authentication failed for user \"postgres\""_s;
        QCOMPARE(options.withoutPassword(failed), failed);
        // Under four characters a password is left alone, as the API key is.
        options.connectionString = u"host=db.example password=a1b"_s;
        QCOMPARE(options.withoutPassword(u"a1b"_s), u"a1b"_s);
    }

    void displayNameHidesSecrets() {
        ConnectionSpec api = apiSpec(u"https://proxy.example:4000/litellm/"_s);
        QCOMPARE(api.displayName(), u"https://proxy.example:4000/litellm"_s);
        QVERIFY(!api.displayName().contains(MasterKey));
        const ConnectionSpec withPassword =
            databaseSpec(u"postgresql://admin:"_s + DbPassword + u"@db.example:5433/litellm"_s);
        QCOMPARE(withPassword.displayName(), u"admin@db.example:5433/litellm"_s);
        const ConnectionSpec keyValue =
            databaseSpec(u"host=db.example user=admin password="_s + DbPassword);
        QCOMPARE(keyValue.displayName(), u"admin@db.example"_s);
        QCOMPARE(keyValue.databasePassword(), PasswordCheck::Found);
        // libpq's own parse error would quote the string, password and all.
        const ConnectionSpec broken =
            databaseSpec(u"postgresql://admin:"_s + DbPassword + u"@[::1/litellm"_s);
        QVERIFY(!broken.displayName().contains(DbPassword));
        QCOMPARE(broken.databasePassword(), PasswordCheck::Found);
        QVERIFY(ConnectionSpec{}.displayName().isEmpty());
        ConnectionSpec two = workspaceSpec();
        two.apiUrl = u"https://proxy.example"_s;
        QVERIFY(!two.kind());
        QVERIFY(two.displayName().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstStoreFactory)
#include "tst_storefactory.moc"
