// LiteLLM's config.yaml: the documented shapes (model_list with model_info, litellm_settings,
// router_settings.model_group_alias in both forms, general_settings), includes relative to the
// config (and a missing one), os.environ/ values that never reach the result or a message, broken
// YAML with its line and column, wrong types named by file and path, unknown keys as warnings;
// and the merge into a snapshot in the proxy's order.
#include "config/ProxyConfigMerge.h"
#include "support/StoreTestSupport.h"
#include "workspace/WorkspaceJson.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;

namespace {

QString dataFile(const QString& name) {
    return QStringLiteral(LITESCOPE_TEST_DATA "/data/proxyconfig/") + name;
}

// Every secret or environment reference full.yaml holds; none may be kept or shown.
const QStringList Secrets{u"os.environ"_s,         u"OPENAI_API_KEY"_s, u"sk-plaintext-azure"_s,
                          u"ALIAS_TARGET"_s,       u"ROUTER_ALIAS"_s,   u"REDIS_PASSWORD"_s,
                          u"LITELLM_MASTER_KEY"_s, u"DATABASE_URL"_s,   u"AZURE_API_BASE"_s};

ProxyModel sourceModel(const QString& name, const QString& backend, const QString& id,
                       std::optional<bool> dbModel = std::nullopt) {
    ProxyModel model;
    model.modelName = name;
    model.litellmModel = backend;
    model.modelId = id;
    QJsonObject info{{u"id"_s, id}};
    if (dbModel)
        info.insert(u"db_model"_s, *dbModel);
    model.extra =
        UnknownFields::fromObject(QJsonObject{{u"model_name"_s, name}, {u"model_info"_s, info}});
    return model;
}

} // namespace

class TstProxyConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsTheDocumentedShapes() {
        const Result<ProxyConfig> config = readProxyConfig(dataFile(u"full.yaml"_s));
        VERIFY_SUCCEEDS(config);
        QCOMPARE(config->files.size(), 2);
        QVERIFY(config->files.at(1).endsWith(u"proxyconfig/models/extra_models.yaml"_s));
        // The file's own entries first, then the included file's (LiteLLM extends the list).
        QCOMPARE(config->deployments.size(), 5);
        const ProxyModel& first = config->deployments.at(0);
        QCOMPARE(first.modelName, u"gpt-4o"_s);
        QCOMPARE(first.litellmModel, u"openai/gpt-4o"_s);
        QCOMPARE(first.modelId, u"gpt-4o-eu"_s);
        QCOMPARE(first.accessGroups, QStringList{u"beta-models"_s});
        QCOMPARE(config->deployments.at(1).litellmModel, u"azure/gpt-4o-eu"_s);
        QVERIFY(config->deployments.at(1).modelId.isEmpty());
        const ProxyModel& team = config->deployments.at(2);
        QCOMPARE(team.modelId, u"4"_s);
        QCOMPARE(team.teamId, std::optional<QString>(u"team-research"_s));
        QCOMPARE(team.teamPublicModelName, std::optional<QString>(u"sonnet"_s));
        QCOMPARE(config->deployments.at(3).modelName, u"openai/*"_s);
        QCOMPARE(config->deployments.at(4).accessGroups, QStringList{u"embeddings"_s});
        // Only the backend model of litellm_params is kept, only the four model_info fields.
        QCOMPARE(config->deployments.at(1).extra.value(u"litellm_params"_s).toObject().keys(),
                 QStringList{u"model"_s});
        QVERIFY(
            !config->deployments.at(4).extra.value(u"model_info"_s).toObject().contains(u"mode"_s));

        QCOMPARE(config->modelAliasMap,
                 std::optional<StringMap>(StringMap{{u"gpt4"_s, u"gpt-4o"_s}}));
        QCOMPARE(config->personalKeyModelAccessFromTeams, std::optional<bool>(true));
        QVERIFY(config->personalKeyMultiTeamAccess == MultiTeamAccess::Intersection);
        QCOMPARE(config->storeModelInDb, std::optional<bool>(true));
        QVERIFY(config->modelGroupAlias);
        QCOMPARE(config->modelGroupAlias->keys(), (QStringList{u"claude"_s, u"gpt-4"_s}));
        QCOMPARE(config->modelGroupAlias->value(u"gpt-4"_s).target, u"gpt-4o"_s);
        QVERIFY(!config->modelGroupAlias->value(u"gpt-4"_s).hidden);
        QCOMPARE(config->modelGroupAlias->value(u"claude"_s).target, u"claude-3-5-sonnet"_s);
        QVERIFY(config->modelGroupAlias->value(u"claude"_s).hidden);
    }

    void environmentValuesAreNeitherKeptNorShown() {
        const Result<ProxyConfig> config = readProxyConfig(dataFile(u"full.yaml"_s));
        VERIFY_SUCCEEDS(config);
        QCOMPARE(config->warnings.size(), 2);
        QVERIFY(config->warnings.at(0).contains(u"model_alias_map.secret-alias"_s));
        QVERIFY(config->warnings.at(1).contains(u"model_group_alias.from-env"_s));
        Workspace ws;
        ws.source.kind = u"api"_s;
        const MergedSource merged = mergeProxyConfig(ws, *config);
        const QString written = QString::fromUtf8(workspace::serialize(merged.workspace));
        const QString messages = merged.warnings.join(u'\n');
        for (const QString& secret : Secrets) {
            QVERIFY2(!written.contains(secret), qPrintable(secret));
            QVERIFY2(!messages.contains(secret), qPrintable(secret));
        }
    }

    void aMissingIncludeIsNamed() {
        VERIFY_FAILS_WITH(readProxyConfig(dataFile(u"missing-include.yaml"_s)), ErrorKind::NotFound,
                          u"include[1]: the included file "_s);
        VERIFY_FAILS_WITH(readProxyConfig(dataFile(u"missing-include.yaml"_s)), ErrorKind::NotFound,
                          u"proxyconfig/models/not-there.yaml"_s);
        VERIFY_FAILS_WITH(readProxyConfig(dataFile(u"include-not-a-list.yaml"_s)),
                          ErrorKind::InvalidInput, u"include: expected a list of file paths"_s);
        VERIFY_FAILS_WITH(readProxyConfig(dataFile(u"no-such-config.yaml"_s)), ErrorKind::NotFound,
                          u"no-such-config.yaml: no such file"_s);
    }

    void brokenYamlHasLineAndColumn() {
        VERIFY_FAILS_WITH(readProxyConfig(dataFile(u"broken.yaml"_s)), ErrorKind::InvalidInput,
                          u"broken.yaml: invalid YAML at line 3, column 26: "_s);
    }

    void wrongTypesAreNamedByTheirPath() {
        const Result<ProxyConfig> config = readProxyConfig(dataFile(u"wrong-type.yaml"_s));
        VERIFY_FAILS_WITH(config, ErrorKind::InvalidInput,
                          u"wrong-type.yaml: model_list[3].litellm_params.model: expected a "
                          u"string"_s);
        QVERIFY(!config.error().message.contains(u"sk-wrong-type-secret"_s));
        VERIFY_FAILS_WITH(readProxyConfig(dataFile(u"wrong-flag.yaml"_s)), ErrorKind::InvalidInput,
                          u"litellm_settings.personal_key_model_access_from_teams: expected true "
                          u"or false"_s);
    }

    // PyYAML shares the node an alias names; copying it would turn a few hundred bytes into a
    // billion values (issue 11, runaway reads). The budget refuses it whatever the machine's
    // speed: speed belongs in benchmarks, not in a test.
    void aliasesThatExplodeAreRefused() {
        VERIFY_FAILS_WITH(readProxyConfig(dataFile(u"alias-bomb.yaml"_s)), ErrorKind::InvalidInput,
                          u"alias-bomb.yaml: its aliases (*name) expand to more than 1000"_s);
    }

    // As PyYAML, the last value counts; unlike it, litescope says so (issue 11, duplicate keys).
    void keysGivenTwiceAreWarnings() {
        const Result<ProxyConfig> config = readProxyConfig(dataFile(u"duplicate-keys.yaml"_s));
        VERIFY_SUCCEEDS(config);
        const QString warnings = config->warnings.join(u'\n');
        const QString file = dataFile(u"duplicate-keys.yaml"_s);
        QVERIFY2(warnings.contains(file + u": model_list[0].litellm_params.model: given twice in "
                                          "one mapping; LiteLLM uses the last value"_s),
                 qPrintable(warnings));
        QVERIFY2(warnings.contains(file + u": litellm_settings: given twice"_s),
                 qPrintable(warnings));
        QCOMPARE(config->deployments.at(0).litellmModel, u"openai/gpt-4o"_s);
        QCOMPARE(config->deployments.at(1).litellmModel, u"openai/gpt-4o"_s); // through the anchor
        QCOMPARE(config->modelAliasMap->value(u"gpt4"_s), u"gpt-4o-copy"_s);
        QVERIFY2(!warnings.contains(u"defaults: given twice"_s), qPrintable(warnings));
    }

    void unknownKeysAreWarnings() {
        const Result<ProxyConfig> config = readProxyConfig(dataFile(u"unknown-keys.yaml"_s));
        VERIFY_SUCCEEDS(config);
        const QString warnings = config->warnings.join(u'\n');
        QVERIFY2(warnings.contains(u"model_list[0].modle_info: unknown key, ignored"_s),
                 qPrintable(warnings));
        QVERIFY2(warnings.contains(u"litelm_settings: unknown section, ignored"_s),
                 qPrintable(warnings));
        QVERIFY2(warnings.contains(u"model_group_alias.fast.hiden: unknown key"_s),
                 qPrintable(warnings));
        QCOMPARE(config->deployments.size(), 1);
        QVERIFY(!config->modelAliasMap);
    }

    void mergeKeepsDeploymentsOnceById() {
        const Result<ProxyConfig> config = readProxyConfig(dataFile(u"full.yaml"_s));
        VERIFY_SUCCEEDS(config);
        Workspace ws;
        ws.source.kind = u"api"_s;
        ws.proxyModels = {sourceModel(u"gpt-4o"_s, u"openai/gpt-4o"_s, u"gpt-4o-eu"_s, false),
                          // The azure deployment as /v2/model/info lists it: a hashed id.
                          sourceModel(u"gpt-4o"_s, u"azure/gpt-4o-eu"_s, u"9f2c"_s, false),
                          sourceModel(u"db-model"_s, u"openai/db"_s, u"uuid-1"_s, true)};
        const MergedSource merged = mergeProxyConfig(ws, *config);
        QStringList names;
        for (const ProxyModel& model : merged.workspace.proxyModels)
            names.append(model.modelName + u'=' + model.litellmModel);
        QCOMPARE(names, (QStringList{u"gpt-4o=openai/gpt-4o"_s, u"gpt-4o=azure/gpt-4o-eu"_s,
                                     u"db-model=openai/db"_s,
                                     u"claude-3-5-sonnet=anthropic/claude-3-5-sonnet-20240620"_s,
                                     u"openai/*=openai/*"_s,
                                     u"text-embedding-3-small=openai/text-embedding-3-small"_s}));
        QVERIFY(merged.warnings.join(u'\n').contains(u"2 deployment(s)"_s));
        QVERIFY(merged.workspace.source.warnings.join(u'\n').contains(u"2 deployment(s)"_s));
    }

    void savedSettingsWinOverTheFile() {
        const Result<ProxyConfig> config = readProxyConfig(dataFile(u"full.yaml"_s));
        VERIFY_SUCCEEDS(config);
        Workspace ws;
        ws.source.kind = u"postgres"_s;
        ws.settings.modelAliasMap = {{u"gpt4"_s, u"gpt-4o-mini"_s}, {u"saved"_s, u"x"_s}};
        RouterAlias saved;
        saved.target = u"claude-3-opus"_s;
        saved.object = UnknownFields::fromObject(QJsonObject{{u"model"_s, saved.target}});
        ws.modelGroupAlias.insert(u"claude"_s, saved);
        const MergedSource merged = mergeProxyConfig(ws, *config);
        const Workspace& out = merged.workspace;
        QCOMPARE(out.settings.modelAliasMap,
                 (StringMap{{u"gpt4"_s, u"gpt-4o-mini"_s}, {u"saved"_s, u"x"_s}}));
        QVERIFY(out.settings.personalKeyModelAccessFromTeams);
        QVERIFY(out.settings.personalKeyMultiTeamAccess == MultiTeamAccess::Intersection);
        // Field by field: the saved target, the file's hidden.
        QCOMPARE(out.modelGroupAlias.value(u"claude"_s).target, u"claude-3-opus"_s);
        QVERIFY(out.modelGroupAlias.value(u"claude"_s).hidden);
        QCOMPARE(out.modelGroupAlias.value(u"gpt-4"_s).target, u"gpt-4o"_s);
    }

    void theConfigFillsWhatTheApiCannotShow() {
        const Result<ProxyConfig> config = readProxyConfig(dataFile(u"full.yaml"_s));
        VERIFY_SUCCEEDS(config);
        Workspace ws;
        ws.source.kind = u"api"_s;
        ws.source.assumed = {u"settings"_s, u"model_group_alias"_s};
        ws.source.unknown = {u"settings"_s, u"projects"_s}; // an older snapshot's way
        ws.source.warnings = {u"other"_s};
        const MergedSource merged = mergeProxyConfig(ws, *config);
        QCOMPARE(merged.workspace.source.assumed, QStringList());
        QCOMPARE(merged.workspace.source.unknown, QStringList{u"projects"_s});
        QCOMPARE(merged.workspace.source.warnings.mid(0, 1), QStringList{u"other"_s});
        QCOMPARE(merged.workspace.settings.modelAliasMap.value(u"gpt4"_s), u"gpt-4o"_s);
        QCOMPARE(merged.workspace.modelGroupAlias.size(), 2);
    }

    void storeModelInDbOffIsPointedOut() {
        Result<ProxyConfig> config = readProxyConfig(dataFile(u"full.yaml"_s));
        VERIFY_SUCCEEDS(config);
        config->storeModelInDb = false;
        Workspace ws;
        ws.source.kind = u"postgres"_s;
        QVERIFY(
            mergeProxyConfig(ws, *config).warnings.join(u'\n').contains(u"STORE_MODEL_IN_DB"_s));
        ws.source.kind = u"api"_s;
        QVERIFY(
            !mergeProxyConfig(ws, *config).warnings.join(u'\n').contains(u"STORE_MODEL_IN_DB"_s));
    }
};

QTEST_GUILESS_MAIN(TstProxyConfig)
#include "tst_proxyconfig.moc"
