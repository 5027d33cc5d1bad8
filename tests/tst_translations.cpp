// The model layer's messages can be translated: lupdate's view of the sources (built by CMake as a
// .ts without translations) is filled in with "⟦source⟧", compiled with lrelease and installed,
// and then what the stores, the edit rules and the engine answer comes back translated. Also:
// every context lupdate files a string under (in models/ and the CLI) is one the code looks the
// string up in at run time.
#include "domain/TranslationContexts.h"
#include "engine/AccessEngine.h"
#include "engine/DecisionText.h"
#include "store/FileStore.h"
#include "store/api/ApiStore.h"
#include "store/pg/PgStore.h"
#include "support/AwaitTask.h"
#include "support/StoreTestSupport.h"
#include "workspace/WorkspaceJson.h"

#include <QFile>
#include <QProcess>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

// The contexts of domain/TranslationContexts.h and the CLI's CliText.h, as
// Q_DECLARE_TR_FUNCTIONS names them.
const QSet<QString> runtimeContexts{
    u"litescope::Engine"_s,   u"litescope::WorkspaceValidator"_s, u"litescope::EditRules"_s,
    u"litescope::Store"_s,    u"litescope::FileStore"_s,          u"litescope::PgStore"_s,
    u"litescope::ApiStore"_s, u"litescope::StoreFactory"_s,       u"litescope::Workspace"_s,
    u"litescope::Cli"_s,      u"litescope::ProxyConfig"_s,        u"litescope::File"_s,
};

QString marked(const QString& text) {
    return u"⟦"_s + text + u"⟧"_s;
}

// Rewrites lupdate's .ts with every message translated as marked(source); the contexts and
// their message counts in *contexts.
bool fillIn(const QString& from, const QString& to, QHash<QString, int>* contexts, QString* error) {
    QFile in(from);
    QFile out(to);
    if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly)) {
        *error = u"cannot open "_s + from + u" or "_s + to;
        return false;
    }
    QXmlStreamReader reader(&in);
    QXmlStreamWriter writer(&out);
    writer.writeStartDocument();
    writer.writeStartElement(u"TS"_s);
    writer.writeAttribute(u"version"_s, u"2.1"_s);
    writer.writeAttribute(u"language"_s, u"xx"_s);
    QString context;
    while (!reader.atEnd()) {
        reader.readNext();
        if (!reader.isStartElement())
            continue;
        if (reader.name() == u"name"_s) {
            context = reader.readElementText();
            continue;
        }
        if (reader.name() != u"source"_s)
            continue;
        const QString source = reader.readElementText();
        (*contexts)[context] += 1;
        writer.writeStartElement(u"context"_s);
        writer.writeTextElement(u"name"_s, context);
        writer.writeStartElement(u"message"_s);
        writer.writeTextElement(u"source"_s, source);
        writer.writeTextElement(u"translation"_s, marked(source));
        writer.writeEndElement();
        writer.writeEndElement();
    }
    writer.writeEndElement();
    writer.writeEndDocument();
    if (reader.hasError()) {
        *error = from + u": "_s + reader.errorString();
        return false;
    }
    return true;
}

bool isTranslated(const QString& message) {
    return message.startsWith(u"⟦"_s) && message.endsWith(u"⟧"_s);
}

// A port on 127.0.0.1 where nothing listens.
quint16 closedPort() {
    QTcpServer server;
    server.listen(QHostAddress::LocalHost);
    return server.serverPort();
}

} // namespace

class TstTranslations : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QTranslator m_translator;
    QHash<QString, int> m_contexts;

    void verifyTranslated(const Error& error, const QString& fragment) {
        QVERIFY2(isTranslated(error.message), qPrintable(error.message));
        QVERIFY2(error.message.contains(fragment), qPrintable(error.message));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const QString ts = m_dir.filePath(u"litescope_xx.ts"_s);
        const QString qm = m_dir.filePath(u"litescope_xx.qm"_s);
        QString error;
        QVERIFY2(fillIn(QStringLiteral(LITESCOPE_MODELS_TS), ts, &m_contexts, &error),
                 qPrintable(error));
        QProcess lrelease;
        lrelease.start(QStringLiteral(LITESCOPE_LRELEASE), {u"-silent"_s, ts, u"-qm"_s, qm});
        QVERIFY(lrelease.waitForFinished(60000));
        QVERIFY2(lrelease.exitCode() == 0, lrelease.readAllStandardError().constData());
        QVERIFY(m_translator.load(qm));
        QVERIFY(QCoreApplication::installTranslator(&m_translator));
    }

    void everyContextIsLookedUpAtRunTime() {
        for (auto it = m_contexts.constBegin(); it != m_contexts.constEnd(); ++it)
            QVERIFY2(runtimeContexts.contains(it.key()),
                     qPrintable(it.key() + u": "_s + QString::number(it.value()) +
                                u" strings lupdate files under a context no code looks up"_s));
        for (const QString& context : runtimeContexts)
            QVERIFY2(m_contexts.value(context) > 0, qPrintable(context + u" has no strings"_s));
        QVERIFY(m_contexts.value(u"litescope::EditRules"_s) > 30);
    }

    void editRulesAndTheStoreCheckTranslate() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"format": "litescope-workspace", "version": 1,
                       "teams": [{"team_id": "t1", "team_alias": "Search", "models": ["gpt-4o"]}]})");
        file.close();
        FileStore store(path, false);
        VERIFY_SUCCEEDS(awaitTask(store.open()));

        const Result<EditOutcome> missing =
            awaitTask(store.apply(StoreEdit::setTeamModels(u"no-such-team"_s, {})));
        QVERIFY(!missing);
        verifyTranslated(missing.error(), u"no team with team_id or team_alias no-such-team"_s);

        const Result<EditOutcome> role = awaitTask(store.apply([] {
            StoreEdit edit = StoreEdit::updateMember(u"t1"_s, u"bob"_s);
            edit.role = u"owner"_s;
            return edit;
        }()));
        QVERIFY(!role);
        verifyTranslated(role.error(), u"role must be"_s);

        const Result<EditOutcome> done =
            awaitTask(store.apply(StoreEdit::setTeamModels(u"t1"_s, {u"gpt-4o-mini"_s})));
        VERIFY_SUCCEEDS(done);
        QVERIFY2(done->summary.contains(u"⟦"_s), qPrintable(done->summary));

        const Result<Page<Team>> page = awaitTask(store.teams(PageRequest{{}, 0}));
        QVERIFY(!page);
        verifyTranslated(page.error(), u"The page limit must be at least 1, not 0."_s);

        // A file that is not there: the store's reader fails in the workspace reader's words.
        FileStore missingFile(dir.filePath(u"gone.json"_s), false);
        const Result<StoreInfo> gone = awaitTask(missingFile.open());
        QVERIFY(!gone);
        QCOMPARE(kindName(gone.error().kind), kindName(ErrorKind::NotFound));
        verifyTranslated(gone.error(), u"cannot read"_s);

        FileStore readOnly(path, true);
        VERIFY_SUCCEEDS(awaitTask(readOnly.open()));
        const Result<EditOutcome> refused =
            awaitTask(readOnly.apply(StoreEdit::setTeamModels(u"t1"_s, {})));
        QVERIFY(!refused);
        verifyTranslated(refused.error(), u"is open read-only; nothing was written"_s);
    }

    void databaseStoreTranslates() {
        PgConnectionOptions options;
        options.connectionString =
            u"postgresql://litescope@127.0.0.1:"_s + QString::number(closedPort()) + u"/litellm"_s;
        PgStore store(options);
        const Result<StoreInfo> opened = awaitTask(store.open());
        QVERIFY(!opened);
        QCOMPARE(kindName(opened.error().kind), kindName(ErrorKind::ConnectionLost));
        QVERIFY2(opened.error().message.contains(u"⟦"_s), qPrintable(opened.error().message));
    }

    void apiStoreTranslates() {
        ApiConnectionOptions options;
        options.baseUrl = QUrl(u"http://127.0.0.1:"_s + QString::number(closedPort()));
        options.apiKey = u"sk-translation-test"_s;
        options.timeoutMs = 2000;
        options.retryDelayMs = 1;
        ApiStore store(options);
        const Result<StoreInfo> opened = awaitTask(store.open());
        QVERIFY(!opened);
        QVERIFY2(opened.error().message.contains(u"⟦"_s), qPrintable(opened.error().message));

        ApiConnectionOptions broken = options;
        broken.apiKey = u"sk-line\nbreak"_s;
        ApiStore refused(broken);
        const Result<StoreInfo> invalid = awaitTask(refused.open());
        QVERIFY(!invalid);
        verifyTranslated(invalid.error(), u"The API key contains a line break."_s);
    }

    void engineReasonsTranslate() {
        Result<Workspace> ws = workspace::parse(R"({"format": "litescope-workspace", "version": 1,
            "teams": [{"team_id": "t1", "models": ["gpt-4o"]}],
            "keys": [{"token": "k1", "team_id": "t1", "models": []}]})");
        VERIFY_SUCCEEDS(ws);
        const AccessEngine engine(*ws);
        const ModelRequest request = ModelRequest::single(u"claude-3-5-sonnet"_s);
        const Decision decision = engine.decide(Subject::forKey(engine.findKey(u"k1"_s)), request);
        const QString reason = reasonFor(engine, request, decision);
        QVERIFY2(reason.contains(u"⟦"_s), qPrintable(reason));
    }
};

QTEST_GUILESS_MAIN(TstTranslations)
#include "tst_translations.moc"
