// DecisionLineWriter against the line it replaces: decisionJson() written by QJsonDocument
// (Compact) and then escaped by the terminal guard. Every key × every model any list names (and
// unknown names, and lists) on the demo, the engine fixtures, every conformance workspace and a
// workspace of names full of hidden characters: byte for byte, on a fresh writer, on one that has
// them all cached and on one whose cache keeps dropping, and for chosen fields.
#include "domain/DisplayText.h"
#include "engine/AccessEngine.h"
#include "engine/DecisionLineWriter.h"
#include "engine/DecisionText.h"
#include "workspace/WorkspaceJson.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <memory>
#include <thread>

using namespace Qt::StringLiterals;
using namespace litescope;

namespace {

struct Request {
    QString key;
    ModelRequest model;
};

struct Corpus {
    QString name;
    std::shared_ptr<const AccessEngine> engine;
    QList<Request> requests;
};

QJsonObject readObject(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return QJsonDocument::fromJson(file.readAll()).object();
}

// The line as QJsonDocument wrote it and TerminalOutput passed it on.
QByteArray qtLine(const AccessEngine& engine, const Request& request, const Decision& decision,
                  std::uint16_t fields = AllDecisionFields) {
    const QJsonValue model = request.model.isList
                                 ? QJsonValue(QJsonArray::fromStringList(request.model.names))
                                 : QJsonValue(request.model.names.value(0));
    QJsonObject json = decisionJson(engine, request.key, model, request.model, decision);
    const QStringList names = decisionFieldNames();
    for (qsizetype i = 0; i < names.size(); ++i)
        if ((fields & (1u << i)) == 0)
            json.remove(names[i]);
    const QString text = QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
    return escapeHiddenCharacters(text, /*keepNewlines=*/true).toUtf8() + '\n';
}

QByteArray writerLine(DecisionLineWriter& writer, const Request& request,
                      const Decision& decision) {
    std::string out;
    writer.append(out, request.key, request.model, decision);
    return QByteArray::fromStdString(out);
}

// Every key (by token and by alias) with every name a list of the workspace mentions, names it
// does not, and lists of two and three.
QList<Request> everyRequest(const Workspace& ws) {
    QStringList models;
    auto add = [&models](const QStringList& names) {
        for (const QString& name : names)
            if (!models.contains(name))
                models.append(name);
    };
    for (const ProxyModel& model : ws.proxyModels)
        add({model.modelName, model.teamPublicModelName.value_or(QString())});
    add(ws.modelGroupAlias.keys());
    add(ws.settings.modelAliasMap.keys());
    for (const Team& team : ws.teams)
        add(team.models + team.modelAliases.keys());
    for (const TeamMembership& membership : ws.teamMemberships)
        add(membership.allowedModels);
    for (const User& user : ws.users)
        add(user.models);
    for (const Key& key : ws.keys)
        add(key.models + key.aliases.keys() +
            (key.routerAliases ? key.routerAliases->keys() : QStringList()));
    for (const Project& project : ws.projects)
        add(project.models);
    add({u"no-such-model"_s, u"openai/no-such-model"_s, u"claude-3-5-sonnet-20241022[1m]"_s,
         u"claude-router-6770742d346f"_s, u"weird \"name\"\\\u202e\u0085\u007f\n"_s});
    models.removeAll(QString());

    QList<ModelRequest> asked;
    for (const QString& model : models)
        asked.append(ModelRequest::single(model));
    for (qsizetype i = 0; i + 2 < models.size(); i += 2) {
        asked.append(ModelRequest::list({models[i], models[i + 1]}));
        asked.append(ModelRequest::list({models[i + 2], models[i], models[i + 1]}));
    }
    QList<Request> requests;
    for (const Key& key : ws.keys)
        for (const QString& shown : {key.token, key.alias.value_or(QString())})
            if (!shown.isEmpty())
                for (const ModelRequest& model : asked)
                    requests.append({shown, model});
    return requests;
}

const QString forged = u"\nALLOWED  spoof -> everything\u001b[31m\u0085\u202e\u2028\u007f"_s;

QString h(const char* name) {
    return QString::fromUtf8(name) + forged;
}

QJsonArray list(std::initializer_list<QString> names) {
    QJsonArray array;
    for (const QString& name : names)
        array.append(name);
    return array;
}

QJsonObject hostileWorkspace() {
    return QJsonObject{
        {u"format"_s, u"litescope-workspace"_s},
        {u"version"_s, 1},
        {u"source"_s, QJsonObject{{u"unknown"_s, list({u"model_providers"_s})},
                                  {u"assumed"_s, list({u"settings"_s})}}},
        {u"proxy_models"_s,
         QJsonArray{
             QJsonObject{{u"model_name"_s, h("gpt")},
                         {u"litellm_params"_s, QJsonObject{{u"model"_s, u"openai/gpt-4o"_s}}},
                         {u"model_info"_s, QJsonObject{{u"access_groups"_s, list({h("grp")})}}}}}},
        {u"model_group_alias"_s, QJsonObject{{h("alias"), h("gpt")}}},
        {u"teams"_s,
         QJsonArray{QJsonObject{{u"team_id"_s, h("team")},
                                {u"team_alias"_s, h("Search")},
                                {u"models"_s, list({h("gpt"), h("wild*")})},
                                {u"model_aliases"_s, QJsonObject{{h("ta"), h("gpt")}}}}}},
        {u"team_memberships"_s,
         QJsonArray{QJsonObject{{u"team_id"_s, h("team")},
                                {u"user_id"_s, h("user")},
                                {u"allowed_models"_s, list({h("gpt"), h("other")})}}}},
        {u"users"_s,
         QJsonArray{QJsonObject{{u"user_id"_s, h("user")}, {u"models"_s, list({h("gpt")})}}}},
        {u"keys"_s,
         QJsonArray{QJsonObject{{u"token"_s, h("sk-key")},
                                {u"key_alias"_s, h("kalias")},
                                {u"team_id"_s, h("team")},
                                {u"user_id"_s, h("user")},
                                {u"models"_s, list({h("gpt"), h("alias")})}},
                    QJsonObject{{u"token"_s, u"sk-personal"_s}, {u"user_id"_s, h("user")}},
                    QJsonObject{{u"token"_s, u"sk-dangling"_s}, {u"team_id"_s, h("gone")}}}},
    };
}

Corpus corpus(const QString& name, const Workspace& ws, QList<Request> extra = {}) {
    auto engine = std::make_shared<const AccessEngine>(ws);
    QList<Request> requests = everyRequest(ws) + extra;
    return {name, std::move(engine), std::move(requests)};
}

QList<Corpus> corpora() {
    QList<Corpus> all;
    const auto read = [](const QString& path) {
        Result<Workspace> ws = workspace::readFile(path);
        if (!ws)
            qFatal("%s: %s", qPrintable(path), qPrintable(ws.error().message));
        return std::move(ws).value();
    };
    all.append(corpus(u"demo"_s, read(QStringLiteral(LITESCOPE_TEST_DATA
                                                     "/../resources/demo/demo-workspace.json"))));
    const QDir engineData(QStringLiteral(LITESCOPE_TEST_DATA "/data/engine"));
    for (const QString& file : engineData.entryList({u"*.json"_s}, QDir::Files, QDir::Name))
        all.append(corpus(file, read(engineData.filePath(file))));

    const QDir scenarios(QStringLiteral(LITESCOPE_TEST_DATA "/conformance/scenarios"));
    QList<QJsonObject> workspaces;
    QList<QJsonArray> cases;
    for (const QString& file : scenarios.entryList({u"*.json"_s}, QDir::Files, QDir::Name))
        for (const QJsonValue& scenario :
             readObject(scenarios.filePath(file))[u"scenarios"_s].toArray()) {
            workspaces.append(scenario[u"workspace"_s].toObject());
            cases.append(scenario[u"cases"_s].toArray());
        }
    for (const QJsonValue& sample :
         readObject(QStringLiteral(LITESCOPE_TEST_DATA "/conformance/sample.json"))[u"cases"_s]
             .toArray()) {
        workspaces.append(sample[u"workspace"_s].toObject());
        cases.append(QJsonArray{sample.toObject()});
    }
    for (qsizetype i = 0; i < workspaces.size(); ++i) {
        Result<Workspace> ws = workspace::parseObject(workspaces[i]);
        if (!ws)
            qFatal("conformance workspace %lld: %s", i, qPrintable(ws.error().message));
        QList<Request> asked;
        for (const QJsonValue& testCase : cases[i]) {
            const QJsonObject request = testCase[u"request"_s].toObject();
            const QJsonValue model = request[u"model"_s];
            asked.append({request[u"key"_s].toString(),
                          model.isArray() ? ModelRequest::list(model.toVariant().toStringList())
                                          : ModelRequest::single(model.toString())});
        }
        all.append(corpus(u"conformance %1"_s.arg(i), ws.value(), asked));
    }

    Result<Workspace> hostile = workspace::parseObject(hostileWorkspace());
    if (!hostile)
        qFatal("hostile workspace: %s", qPrintable(hostile.error().message));
    all.append(corpus(u"hostile"_s, hostile.value()));
    return all;
}

} // namespace

class TstDecisionLine : public QObject {
    Q_OBJECT

private:
    QList<Corpus> m_corpora;

private Q_SLOTS:
    void initTestCase() { m_corpora = corpora(); }

    void sameBytesAsQJsonDocument() {
        qsizetype lines = 0;
        for (const Corpus& c : std::as_const(m_corpora)) {
            DecisionLineWriter fresh(*c.engine);
            DecisionLineWriter dropping(*c.engine, AllDecisionFields,
                                        std::make_shared<DecisionWords>(4096));
            std::size_t firstPass = 0;
            for (int pass = 0; pass < 2; ++pass) {
                if (pass == 1)
                    firstPass = fresh.lineRenders();
                for (const Request& request : c.requests) {
                    const std::int32_t key = c.engine->findKey(request.key);
                    if (key < 0)
                        continue;
                    const Decision decision = c.engine->decide(Subject::forKey(key), request.model);
                    const QByteArray expected = qtLine(*c.engine, request, decision);
                    const QByteArray what = c.name.toUtf8() + ": " + expected;
                    QCOMPARE_EQ(writerLine(fresh, request, decision), expected);
                    QVERIFY2(writerLine(dropping, request, decision) == expected, what.constData());
                    ++lines;
                }
            }
            // The second pass wrote nothing anew; on the demo, keys that read alike (token and
            // alias, keys of one team) shared their lines.
            QCOMPARE(fresh.lineRenders(), firstPass);
            if (c.name == u"demo"_s)
                QVERIFY2(fresh.lineRenders() * 2 < std::size_t(c.requests.size()),
                         qPrintable(QString::number(fresh.lineRenders())));
            // Past its bytes a cache keeps at most a line or step per shard and generation.
            QVERIFY2(dropping.cachedBytes() < 128 * 1024, qPrintable(c.name));
            if (c.name == u"demo"_s)
                QVERIFY(fresh.cachedBytes() > 1024 * 1024);
        }
        QVERIFY(lines > 20000);
    }

    // Writers on several threads sharing their words (and dropping them all the time) write
    // what one writer alone would.
    void sharedWords() {
        const Corpus& demo = m_corpora.first();
        QList<QByteArray> expected;
        for (const Request& request : demo.requests) {
            const std::int32_t key = demo.engine->findKey(request.key);
            expected.append(qtLine(*demo.engine, request,
                                   demo.engine->decide(Subject::forKey(key), request.model)));
        }
        for (const std::size_t bytes : {std::size_t(64) << 20, std::size_t(16) << 10}) {
            auto words = std::make_shared<DecisionWords>(bytes);
            QList<QList<QByteArray>> written(4);
            std::vector<std::thread> threads;
            for (int t = 0; t < 4; ++t)
                threads.emplace_back([&, t] {
                    DecisionLineWriter writer(*demo.engine, AllDecisionFields, words);
                    for (qsizetype i = 0; i < demo.requests.size(); ++i) {
                        // Each thread its own order, so they meet the same lines at other times.
                        const qsizetype at = t % 2 == 0 ? i : demo.requests.size() - 1 - i;
                        const Request& request = demo.requests[at];
                        const std::int32_t key = demo.engine->findKey(request.key);
                        written[t].append(
                            writerLine(writer, request,
                                       demo.engine->decide(Subject::forKey(key), request.model)));
                    }
                });
            for (std::thread& thread : threads)
                thread.join();
            for (int t = 0; t < 4; ++t)
                for (qsizetype i = 0; i < demo.requests.size(); ++i) {
                    const qsizetype at = t % 2 == 0 ? i : demo.requests.size() - 1 - i;
                    QCOMPARE_EQ(written[t][i], expected[at]);
                }
        }
    }

    void chosenFields_data() {
        QTest::addColumn<QStringList>("fields");
        QTest::newRow("allowed,denied_by") << QStringList{u"allowed"_s, u"denied_by"_s};
        QTest::newRow("key only") << QStringList{u"key"_s};
        QTest::newRow("key,model") << QStringList{u"model"_s, u"key"_s};
        QTest::newRow("reason") << QStringList{u"reason"_s};
        QTest::newRow("trail,unknown") << QStringList{u"trail"_s, u"unknown"_s};
        QTest::newRow("unknown only") << QStringList{u"unknown"_s};
        QTest::newRow("assumed") << QStringList{u"assumed"_s, u"assumed_defaults"_s};
        QTest::newRow("profile") << QStringList{u"litellm_profile"_s, u"allowed"_s};
        QTest::newRow("all but key")
            << QStringList{u"allowed"_s,   u"assumed"_s,         u"assumed_defaults"_s,
                           u"denied_by"_s, u"litellm_profile"_s, u"model"_s,
                           u"reason"_s,    u"trail"_s,           u"unknown"_s};
    }

    void chosenFields() {
        QFETCH(QStringList, fields);
        std::uint16_t chosen = 0;
        for (const QString& name : fields) {
            const std::optional<DecisionField> field = decisionFieldNamed(name);
            QVERIFY2(field, qPrintable(name));
            chosen |= static_cast<std::uint16_t>(*field);
        }
        for (const Corpus& c : std::as_const(m_corpora)) {
            DecisionLineWriter writer(*c.engine, chosen);
            for (const Request& request : c.requests) {
                const std::int32_t key = c.engine->findKey(request.key);
                if (key < 0)
                    continue;
                const Decision decision = c.engine->decide(Subject::forKey(key), request.model);
                QCOMPARE_EQ(writerLine(writer, request, decision),
                            qtLine(*c.engine, request, decision, chosen));
            }
        }
    }

    void fieldNames() {
        QCOMPARE(decisionFieldNames(),
                 (QStringList{u"allowed"_s, u"assumed"_s, u"assumed_defaults"_s, u"denied_by"_s,
                              u"key"_s, u"litellm_profile"_s, u"model"_s, u"reason"_s, u"trail"_s,
                              u"unknown"_s}));
        QVERIFY(!decisionFieldNamed(u"Allowed"));
        QVERIFY(!decisionFieldNamed(u""));
        QCOMPARE(int(*decisionFieldNamed(u"trail")), int(DecisionField::Trail));
    }

    // Every UTF-16 unit, alone and between letters, and characters beyond the BMP (emoji, tags):
    // as QJsonDocument and then the terminal guard wrote them.
    void jsonStrings() {
        QStringList texts;
        for (char32_t c = 0; c <= 0xffff; ++c) {
            const QChar unit(static_cast<char16_t>(c));
            texts.append(QString(unit));
            texts.append(u"a"_s + unit + u"b"_s);
        }
        for (char32_t c : {0x1f680u, 0x1f469u, 0xe0001u, 0xe0041u, 0xe007fu, 0x10ffffu, 0x1d173u,
                           0x110bdu, 0x13430u, 0x1bca0u, 0xf0000u})
            texts.append(u"x"_s + QString::fromUcs4(&c, 1) + u"y"_s);
        texts.append(u"\U0001F469\u200D\U0001F4BB \u05E9\u05DC\u05D5\u05DD"_s);
        texts.append(QString(QChar(0xd800)) + QChar(0xd800) + QChar(0xdc00)); // high, pair
        texts.append(QString(QChar(0xdc00)) + QChar(0xd800));                 // reversed
        // Long strings are escaped a piece at a time: pairs and lone halves at every seam.
        for (qsizetype at = 250; at < 262; ++at)
            for (const QString& tail : QStringList{
                     QString(QChar(0xd800)) + QChar(0xd800) + QChar(0xdc00) + u"b\u202e"_s,
                     QString(QChar(0xd83d)) + QChar(0xde80) + QChar(0xdc00), u"\"\\\u0001\u007f"_s})
                texts.append(QString(at, u'a') + tail + QString(300, u'z') + tail);
        for (const QString& text : std::as_const(texts)) {
            std::string out;
            appendJsonString(out, text);
            const QByteArray qt =
                QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
            const QByteArray expected =
                escapeHiddenCharacters(QString::fromUtf8(qt), true).toUtf8();
            QCOMPARE_EQ(QByteArray::fromStdString(out), expected);
        }
    }

    // wordingIdentity() clears only what the words never read: every step reads the same with
    // it, and with its list replaced by another list of the same entries.
    void wordingIdentityKeepsTheWords() {
        qsizetype steps = 0;
        QSet<int> stages;
        for (const Corpus& c : std::as_const(m_corpora)) {
            for (const Request& request : c.requests) {
                const std::int32_t key = c.engine->findKey(request.key);
                if (key < 0)
                    continue;
                const Decision decision = c.engine->decide(Subject::forKey(key), request.model);
                Decision same = decision;
                for (TrailStep& step : same.trail)
                    step = wordingIdentity(step);
                for (qsizetype i = 0; i < decision.trail.size(); ++i) {
                    QCOMPARE(describeStep(*c.engine, request.model, same, same.trail[i]),
                             describeStep(*c.engine, request.model, decision, decision.trail[i]));
                    ++steps;
                    stages.insert(int(decision.trail[i].stage));
                }
                QCOMPARE(reasonFor(*c.engine, request.model, same),
                         reasonFor(*c.engine, request.model, decision));
            }
        }
        QVERIFY2(steps > 20000, qPrintable(QString::number(steps)));
        QCOMPARE(stages.size(), int(Stage::ProjectModels) + 1); // every check occurred
    }
};

QTEST_GUILESS_MAIN(TstDecisionLine)
#include "tst_decisionline.moc"
