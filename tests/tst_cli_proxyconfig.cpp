// litescope-cli with --proxy-config: `check --db … --proxy-config …` and `check --api …
// --proxy-config …` print the same decision lines as `check --workspace` on a workspace holding
// the source's data with the config's deployment, aliases and settings put in by hand; the API no
// longer reports settings or model_group_alias as unknown; a bad config is refused before any
// source is read.
#include "support/ApiTestSupport.h"
#include "support/CliPgSupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

const QString KeyVariable = u"LITELLM_MASTER_KEY"_s;

QString configFile() {
    return QStringLiteral(LITESCOPE_TEST_DATA "/data/proxyconfig/cli/config.yaml");
}

// data/proxyconfig/cli/*.yaml, applied without the merge code.
Workspace withConfigByHand(Workspace ws) {
    // With the proxy's config given nothing is left to assume.
    ws.source.assumed.clear();
    ProxyModel model;
    model.modelName = u"config-only-model"_s;
    model.litellmModel = u"openai/gpt-4.1-mini"_s;
    model.modelId = u"cfg-only-1"_s;
    model.accessGroups = {u"cfg-group"_s};
    ws.proxyModels.append(model);
    if (!ws.settings.modelAliasMap.contains(u"cfg-map"_s))
        ws.settings.modelAliasMap.insert(u"cfg-map"_s, u"config-only-model"_s);
    ws.settings.personalKeyModelAccessFromTeams = true;
    ws.modelGroupAlias.insert(u"cfg-router"_s, RouterAlias{u"config-only-model"_s, false, {}});
    ws.modelGroupAlias.insert(u"cfg-hidden"_s, RouterAlias{u"config-only-model"_s, true, {}});
    ws.source.unknown.removeAll(u"settings"_s);
    ws.source.unknown.removeAll(u"model_group_alias"_s);
    return ws;
}

} // namespace

class TstCliProxyConfig : public QObject {
    Q_OBJECT

private:
    CliPgFixture m_pg;
    ApiFixture m_api;
    Workspace m_demo = demoDataset();
    QTemporaryDir m_dir;
    int m_files = 0;

    QString newFile(const QString& suffix) {
        return m_dir.filePath(u"file-%1%2"_s.arg(++m_files).arg(suffix));
    }

    QStringList apiArguments() const {
        return {u"--api"_s, m_api.options().baseUrl.toString(), u"--api-key-env"_s, KeyVariable};
    }

    // Every key of `ws` asking for every model it could name and every name the config adds.
    QString requestsFor(const Workspace& ws) {
        const QString path = newFile(u".jsonl"_s);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        QStringList models = candidateModels(ws);
        models << u"config-only-model"_s << u"cfg-group"_s << u"cfg-map"_s << u"cfg-router"_s
               << u"cfg-hidden"_s;
        for (const Key& key : ws.keys)
            for (const QString& model : models)
                file.write(QJsonDocument(QJsonObject{{u"key"_s, key.token}, {u"model"_s, model}})
                               .toJson(QJsonDocument::Compact) +
                           '\n');
        return path;
    }

    QString written(const Workspace& ws) {
        const QString path = newFile(u".json"_s);
        return workspace::writeFile(ws, path) ? path : QString();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFile::exists(cliPath()), "litescope-cli is built");
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
        QVERIFY2(m_api.start(m_demo, &error), qPrintable(error));
    }

    void cleanupTestCase() { m_pg.stop(); }

    void databaseWithConfigDecidesLikeAWorkspace() {
        PGTEST_FRESH_DATABASE(m_pg, db, Level::Newest);
        const QString snapshot = newFile(u".json"_s);
        const QStringList onDb{u"--db"_s, m_pg.uri(db)};
        const CliRun snap = runCli(QStringList{u"snapshot"_s, u"-o"_s, snapshot} + onDb);
        QVERIFY2(snap.exitCode == 0, snap.err.constData());
        const Result<Workspace> source = workspace::readFile(snapshot);
        VERIFY_SUCCEEDS(source);
        const QString expected = written(withConfigByHand(*source));
        QVERIFY(!expected.isEmpty());
        const QString requests = requestsFor(*source);

        const QStringList check{u"check"_s, u"--json"_s, u"-r"_s, requests};
        const CliRun live = runCli(check + onDb + QStringList{u"--proxy-config"_s, configFile()});
        QVERIFY2(live.exitCode == 0, live.err.constData());
        const CliRun offline = runCli(check + QStringList{u"--workspace"_s, expected});
        QVERIFY2(offline.exitCode == 0, offline.err.constData());
        QCOMPARE(live.out, offline.out);
        const CliRun without = runCli(check + onDb);
        QVERIFY(without.out != live.out); // the config changed decisions
        QVERIFY(!live.err.contains("os.environ"));
    }

    void apiWithConfigDecidesLikeAWorkspace() {
        // The admin API cannot show litellm_settings: the config's are the ones that count.
        Workspace data = m_demo;
        data.settings = Settings{};
        const QString expected = written(withConfigByHand(data));
        QVERIFY(!expected.isEmpty());
        const QString requests = requestsFor(m_demo);
        const QStringList check{u"check"_s, u"--json"_s, u"-r"_s, requests};
        const CliRun live =
            runCliServing(check + apiArguments() + QStringList{u"--proxy-config"_s, configFile()},
                          {{KeyVariable, MasterKey}});
        QVERIFY2(live.exitCode == 0, live.err.constData());
        const CliRun offline = runCli(check + QStringList{u"--workspace"_s, expected});
        QVERIFY2(offline.exitCode == 0, offline.err.constData());
        QCOMPARE(live.out, offline.out);
        QVERIFY(!live.out.contains("\"settings\""));
        QVERIFY(!live.err.contains("--litellm-settings"));

        const QString snapshot = newFile(u".json"_s);
        const CliRun snap = runCliServing(
            QStringList{u"snapshot"_s, u"-o"_s, snapshot, u"--proxy-config"_s, configFile()} +
                apiArguments(),
            {{KeyVariable, MasterKey}});
        QVERIFY2(snap.exitCode == 0, snap.err.constData());
        const Result<Workspace> merged = workspace::readFile(snapshot);
        VERIFY_SUCCEEDS(merged);
        QVERIFY(!merged->source.unknown.contains(u"settings"_s));
        QVERIFY(!merged->source.unknown.contains(u"model_group_alias"_s));
    }

    void aBadConfigIsRefusedFirst() {
        const QString broken = newFile(u".yaml"_s);
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("model_list:\n  - model_name: [x\n");
        file.close();
        const CliRun run = runCli({u"check"_s, u"--key"_s, u"k"_s, u"--model"_s, u"m"_s,
                                   u"--workspace"_s, written(m_demo), u"--proxy-config"_s, broken});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("invalid YAML at line"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TstCliProxyConfig)
#include "tst_cli_proxyconfig.moc"
