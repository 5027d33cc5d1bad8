// Writing workspace files and reading them back: a workspace with every field set, the fields
// always written, unknown fields kept, hostile strings in every slot, the conformance sample
// workspaces, and file I/O (atomic writes, read and write errors). Shared helpers:
// support/WorkspaceTestSupport.h.
#include "support/WorkspaceTestSupport.h"
#include "workspace/WorkspaceJson.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

// The class comes before the first raw string literal: moc stops reading at JSON in R"(...)".
class TestWorkspaceJsonRoundTrip : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTripRichWorkspace();
    void writesEveryKnownField();
    void unknownFieldsSurvive();
    void typedFieldsWrittenWhereUnknownOnesWere();
    void hostileStrings_data();
    void hostileStrings();
    void conformanceSamples_data();
    void conformanceSamples();
    void writeAndReadFile();
    void readFileErrors();
    void writeFileFailures_data();
    void writeFileFailures();
};

void TestWorkspaceJsonRoundTrip::roundTripRichWorkspace() {
    const Workspace ws = richWorkspace();
    const QByteArray first = workspace::serialize(ws);
    const Result<Workspace> back = workspace::parse(first);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    compareWorkspaces(*back, ws);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(workspace::serialize(*back), first);
    QVERIFY(first.startsWith("{\n  \"format\": \"litescope-workspace\",\n  \"version\": 1,"));
    // One entity per line: a snapshot diffs readably.
    QVERIFY(first.contains("\n  \"teams\": [\n    {\"team_id\": "));
}

void TestWorkspaceJsonRoundTrip::writesEveryKnownField() {
    Workspace ws;
    ws.teams = {Team{u"t"_s,
                     {},
                     std::nullopt,
                     {},
                     {},
                     false,
                     {},
                     {},
                     {},
                     std::nullopt,
                     std::nullopt,
                     std::nullopt,
                     {}}};
    ws.keys = {Key{u"sk"_s, {}, {}, {}, {}, {}, {}, {}, {}, false, std::nullopt, {}}};
    ws.proxyModels = {ProxyModel{u"m"_s, {}, {}, {}, {}, {}, {}}};
    const QJsonObject o = workspace::toJsonObject(ws);
    for (const char* field :
         {"format", "version", "source", "settings", "proxy_models", "model_group_alias",
          "model_providers", "access_groups", "organizations", "teams", "team_memberships", "users",
          "keys", "projects"})
        QVERIFY2(o.contains(QLatin1StringView(field)), field);
    const QJsonObject key = o.value(u"keys"_s).toArray().at(0).toObject();
    QCOMPARE(key.value(u"team_id"_s), QJsonValue(QJsonValue::Null));
    QCOMPARE(key.value(u"models"_s), QJsonValue(QJsonArray()));
    QCOMPARE(key.value(u"aliases"_s), QJsonValue(QJsonObject()));
    QCOMPARE(key.value(u"blocked"_s), QJsonValue(false));
    const QJsonObject team = o.value(u"teams"_s).toArray().at(0).toObject();
    QCOMPARE(team.value(u"organization_id"_s), QJsonValue(QJsonValue::Null));
    QCOMPARE(team.value(u"members_with_roles"_s), QJsonValue(QJsonArray()));
    const QJsonObject info =
        o.value(u"proxy_models"_s).toArray().at(0).toObject().value(u"model_info"_s).toObject();
    QCOMPARE(info.value(u"id"_s), QJsonValue(QJsonValue::Null));
    QCOMPARE(info.value(u"team_id"_s), QJsonValue(QJsonValue::Null));
    QCOMPARE(o.value(u"settings"_s).toObject().value(u"personal_key_multi_team_access"_s),
             QJsonValue(u"union"_s));
}

void TestWorkspaceJsonRoundTrip::unknownFieldsSurvive() {
    const QByteArray json = R"({
        "format": "litescope-workspace", "version": 1, "x_top": {"nested": [1, 2.5, null]},
        "source": {"kind": "file", "x_source": "s"},
        "settings": {"x_settings": true, "model_alias_map": {}},
        "proxy_models": [{"model_name": "m", "x_model": 1,
                          "litellm_params": {"model": "openai/m", "api_base": "https://x",
                                             "rpm": 100},
                          "model_info": {"id": "i", "db_model": true, "x_info": {"a": "b"}}}],
        "model_group_alias": {"g": {"model": "m", "x_alias": "kept"}},
        "access_groups": [{"access_group_id": "ag", "created_by": "admin"}],
        "organizations": [{"organization_id": "o", "budget_id": "b-o"}],
        "teams": [{"team_id": "t", "metadata": {"tags": ["r"]}, "spend": 12.5,
                   "members_with_roles": [{"user_id": "u", "role": "user", "x_member": 3}]}],
        "team_memberships": [{"team_id": "t", "user_id": "u", "spend": 0.25}],
        "users": [{"user_id": "u", "teams": ["t"]}],
        "keys": [{"token": "sk", "key_name": "sk-...abcd", "expires": null,
                  "config": {"x_config": {"deep": [true]}}}],
        "projects": [{"project_id": "p", "x_project": "y"}]})";
    const Result<Workspace> ws = workspace::parse(json);
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    const QByteArray written = workspace::serialize(*ws);
    const QJsonObject out = QJsonDocument::fromJson(written).object();

    const QList<std::pair<QStringList, QJsonValue>> expected = {
        {{u"x_top"_s, u"nested"_s, u"1"_s}, 2.5},
        {{u"source"_s, u"x_source"_s}, u"s"_s},
        {{u"settings"_s, u"x_settings"_s}, true},
        {{u"proxy_models"_s, u"0"_s, u"x_model"_s}, 1},
        {{u"proxy_models"_s, u"0"_s, u"litellm_params"_s, u"api_base"_s}, u"https://x"_s},
        {{u"proxy_models"_s, u"0"_s, u"litellm_params"_s, u"rpm"_s}, 100},
        {{u"proxy_models"_s, u"0"_s, u"model_info"_s, u"db_model"_s}, true},
        {{u"proxy_models"_s, u"0"_s, u"model_info"_s, u"x_info"_s, u"a"_s}, u"b"_s},
        {{u"model_group_alias"_s, u"g"_s, u"x_alias"_s}, u"kept"_s},
        {{u"access_groups"_s, u"0"_s, u"created_by"_s}, u"admin"_s},
        {{u"organizations"_s, u"0"_s, u"budget_id"_s}, u"b-o"_s},
        {{u"teams"_s, u"0"_s, u"metadata"_s, u"tags"_s, u"0"_s}, u"r"_s},
        {{u"teams"_s, u"0"_s, u"spend"_s}, 12.5},
        {{u"teams"_s, u"0"_s, u"members_with_roles"_s, u"0"_s, u"x_member"_s}, 3},
        {{u"team_memberships"_s, u"0"_s, u"spend"_s}, 0.25},
        {{u"users"_s, u"0"_s, u"teams"_s, u"0"_s}, u"t"_s},
        {{u"keys"_s, u"0"_s, u"key_name"_s}, u"sk-...abcd"_s},
        {{u"keys"_s, u"0"_s, u"expires"_s}, QJsonValue(QJsonValue::Null)},
        {{u"keys"_s, u"0"_s, u"config"_s, u"x_config"_s, u"deep"_s, u"0"_s}, true},
        {{u"projects"_s, u"0"_s, u"x_project"_s}, u"y"_s},
    };
    for (const auto& [path, value] : expected)
        QVERIFY2(valueAt(out, path) == value, qPrintable(path.join(u'.')));

    const Result<Workspace> again = workspace::parse(written);
    QVERIFY(again.ok());
    QCOMPARE(workspace::serialize(*again), written);
}

// A team's model_id and a source's warnings were unknown fields before litescope read them. They
// are still written among the unknown fields, only when there is something to say, so files
// written before keep every byte; LiteLLM's integer model_id stays a number until changed.
void TestWorkspaceJsonRoundTrip::typedFieldsWrittenWhereUnknownOnesWere() {
    const QByteArray input = R"({"format": "litescope-workspace", "version": 1,
        "source": {"kind": "api", "x_a": 1, "warnings": ["w"], "zz": 2},
        "teams": [{"team_id": "t1", "metadata": {}, "model_id": 42, "x_note": "n"},
                  {"team_id": "t2", "model_id": "mt-2"},
                  {"team_id": "t3", "model_id": null},
                  {"team_id": "t4"}]})";
    const Result<Workspace> ws = workspace::parse(input);
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    const QByteArray written = workspace::serialize(*ws);
    const auto has = [](const QByteArray& text, const char* part) {
        if (!text.contains(part))
            qWarning("missing %s in\n%s", part, text.constData());
        return text.contains(part);
    };
    QVERIFY(has(written, R"("unknown": [], "warnings": ["w"], "x_a": 1, "zz": 2})"));
    QVERIFY(has(written,
                R"("members_with_roles": [], "metadata": {}, "model_id": 42, "x_note": "n"})"));
    QVERIFY(has(written, R"("members_with_roles": [], "model_id": "mt-2"})"));
    QVERIFY(has(written, R"("members_with_roles": [], "model_id": null})"));
    QVERIFY(has(written, R"("members_with_roles": []}
  ],)"));
    const Result<Workspace> again = workspace::parse(written);
    QVERIFY(again.ok());
    QCOMPARE(workspace::serialize(*again), written);

    // Changed in code: the typed values are written, in the same places.
    Workspace changed = *again;
    changed.teams[0].modelId = u"43"_s;
    changed.teams[1].modelId.reset();
    changed.teams[3].modelId = u"7"_s;
    changed.source.warnings.clear();
    const QByteArray rewritten = workspace::serialize(changed);
    QVERIFY(has(rewritten, R"("unknown": [], "x_a": 1, "zz": 2})"));
    QVERIFY(has(rewritten, R"("metadata": {}, "model_id": "43", "x_note": "n"})"));
    QVERIFY(has(rewritten, R"("team_id": "t2", )"));
    QVERIFY(has(rewritten.mid(rewritten.indexOf("\"t2\"")), R"("model_id": null})"));
    QVERIFY(has(rewritten, R"("members_with_roles": [], "model_id": "7"})"));
    const Result<Workspace> reread = workspace::parse(rewritten);
    QVERIFY(reread.ok());
    QCOMPARE(reread->teams[0].modelId, u"43"_s);
    QVERIFY(!reread->teams[1].modelId);
    QVERIFY(!reread->teams[2].modelId);
    QCOMPARE(reread->teams[3].modelId, u"7"_s);
    QVERIFY(reread->source.warnings.isEmpty());
}

void TestWorkspaceJsonRoundTrip::hostileStrings_data() {
    QTest::addColumn<QString>("value");
    const auto row = [](const char* name, const QString& value) { QTest::newRow(name) << value; };
    row("double quote", u"\""_s);
    row("quoted word", u"say \"hi\""_s);
    row("backslash", u"\\"_s);
    row("windows path", u"C:\\models\\gpt"_s);
    row("escaped quote text", u"\\\"not json\\\""_s);
    row("braces", u"{}"_s);
    row("json object text", u"{\"model\": \"x\"}"_s);
    row("brackets", u"[]"_s);
    row("comma", u","_s);
    row("csv", u"gpt-4o,claude"_s);
    row("NULL", u"NULL"_s);
    row("null", u"null"_s);
    row("true", u"true"_s);
    row("emoji", u"🤖"_s);
    row("emoji in name", u"gpt-4o 🚀 mini"_s);
    row("zwj family", u"👩‍👩‍👧"_s);
    row("hebrew", u"מודל-ארגוני"_s);
    row("arabic", u"نموذج-٤"_s);
    row("rlo override", u"\u202Egpt-4o"_s);
    row("combining accent", u"e\u0301"_s);
    row("tab", u"a\tb"_s);
    row("control 0x01", u"a\u0001b"_s);
    row("newline", u"a\nb"_s);
    row("crlf", u"a\r\nb"_s);
    row("nul character", u"a\u0000b"_s);
    row("del", u"a\u007fb"_s);
    row("line separator", u"a\u2028b"_s);
    row("bom", u"\uFEFFgpt-4o"_s);
    row("bom inside", u"gpt\uFEFF-4o"_s);
    row("two boms", u"\uFEFF\uFEFF"_s);
    row("astral", u"𝔘𝔫𝔦"_s);
    row("10 KB", QString(10 * 1024, u'm'));
    row("10 KB mixed", QString(u"a/b:c.d*e \"🤖\" "_s).repeated(700));
    row("leading space", u" gpt-4o"_s);
    row("trailing space", u"gpt-4o "_s);
    row("only spaces", u"   "_s);
    row("star", u"*"_s);
    row("regex class", u"[a-z]"_s);
    row("regex", u"^gpt-.*$"_s);
    row("provider wildcard", u"openai/*"_s);
    row("bedrock id", u"bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"_s);
    row("all punctuation", u"a/b:c.d*e"_s);
    row("single quotes", u"'single'"_s);
    row("format specifiers", u"%s %1 %n %%"_s);
    row("html", u"<script>alert(1)</script>"_s);
    row("path traversal", u"../../etc/passwd"_s);
    row("json pointer", u"$ref"_s);
    row("all-proxy-models", u"all-proxy-models"_s);
}

void TestWorkspaceJsonRoundTrip::hostileStrings() {
    QFETCH(QString, value);
    const Workspace ws = workspaceOf(value);
    QVERIFY(workspace::validate(ws).ok());
    const QByteArray first = workspace::serialize(ws);
    const Result<Workspace> back = workspace::parse(first);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    compareWorkspaces(*back, ws);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(back->teams.at(0).models.at(0).size(), value.size());
    QCOMPARE(workspace::serialize(*back), first);
    QVERIFY(workspace::referenceWarnings(*back).isEmpty());
}

void TestWorkspaceJsonRoundTrip::conformanceSamples_data() {
    QTest::addColumn<QJsonObject>("workspaceObject");
    const QJsonArray cases = sampleFile().value(u"cases"_s).toArray();
    QVERIFY2(cases.size() == 60, "tests/conformance/sample.json should hold 60 cases");
    for (qsizetype i = 0; i < cases.size(); ++i) {
        const QJsonObject c = cases.at(i).toObject();
        const QString name =
            u"%1 %2"_s.arg(i, 2, 10, QLatin1Char('0')).arg(c.value(u"name"_s).toString());
        QTest::newRow(qPrintable(name)) << c.value(u"workspace"_s).toObject();
    }
}

void TestWorkspaceJsonRoundTrip::conformanceSamples() {
    QFETCH(QJsonObject, workspaceObject);
    const Result<Workspace> ws = workspace::parseObject(workspaceObject);
    QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
    // The fields of the document that no typed member holds are kept.
    QJsonObject unknownFields = workspaceObject;
    for (const QString& known :
         {u"format"_s, u"version"_s, u"source"_s, u"settings"_s, u"proxy_models"_s,
          u"model_group_alias"_s, u"model_providers"_s, u"access_groups"_s, u"organizations"_s,
          u"teams"_s, u"team_memberships"_s, u"users"_s, u"keys"_s, u"projects"_s})
        unknownFields.remove(known);
    QCOMPARE(ws->extra.toObject(), unknownFields);

    const QByteArray written = workspace::serialize(*ws);
    const Result<Workspace> back = workspace::parse(written);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    compareWorkspaces(*back, *ws);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(workspace::serialize(*back), written);
}

void TestWorkspaceJsonRoundTrip::writeAndReadFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"snapshot ws.json"_s);
    const Workspace ws = richWorkspace();
    const Status written = workspace::writeFile(ws, path);
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().message));

    Result<Workspace> back = workspace::readFile(path);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    compareWorkspaces(*back, ws);
    if (QTest::currentTestFailed())
        return;

    // Overwriting replaces the whole file.
    Workspace smaller;
    QVERIFY(workspace::writeFile(smaller, path).ok());
    back = workspace::readFile(path);
    QVERIFY(back.ok());
    QVERIFY(back->teams.isEmpty());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), workspace::serialize(smaller));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"snapshot ws.json"_s});
}

void TestWorkspaceJsonRoundTrip::readFileErrors() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    const QString missing = dir.filePath(u"missing.json"_s);
    Result<Workspace> ws = workspace::readFile(missing);
    QVERIFY(!ws.ok());
    QCOMPARE(ws.error().kind, ErrorKind::NotFound);
    QCOMPARE(ws.error().message, u"cannot read "_s + missing + u": No such file or directory"_s);

    ws = workspace::readFile(dir.path());
    QVERIFY(!ws.ok());
    QCOMPARE(ws.error().kind, ErrorKind::Io);
    QVERIFY2(ws.error().message.startsWith(u"cannot read "_s + dir.path() + u": "_s),
             qPrintable(ws.error().message));

    const QString broken = dir.filePath(u"broken.json"_s);
    QFile file(broken);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"format": "litescope-workspace", "version": 1, "keys": [{"token": 1}]})");
    file.close();
    ws = workspace::readFile(broken);
    QVERIFY(!ws.ok());
    QCOMPARE(ws.error().kind, ErrorKind::InvalidInput);
    QCOMPARE(ws.error().message, broken + u": keys[0].token: expected a string"_s);
}

void TestWorkspaceJsonRoundTrip::writeFileFailures_data() {
    QTest::addColumn<QString>("relativePath");
    QTest::addColumn<QString>("reason"); // empty: any OS reason
    QTest::newRow("missing directory")
        << u"no-such-dir/ws.json"_s << u"No such file or directory"_s;
    QTest::newRow("parent is a file") << u"plain-file/ws.json"_s << u"Not a directory"_s;
    QTest::newRow("read-only directory") << u"read-only/ws.json"_s << QString();
}

void TestWorkspaceJsonRoundTrip::writeFileFailures() {
    QFETCH(QString, relativePath);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile plain(dir.filePath(u"plain-file"_s));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.close();
    const QString readOnly = dir.filePath(u"read-only"_s);
    QVERIFY(QDir(dir.path()).mkdir(u"read-only"_s));
    const QByteArray old = workspace::serialize(richWorkspace());
    QFile existing(readOnly + u"/ws.json"_s);
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write(old);
    existing.close();
    QVERIFY(QFile::setPermissions(readOnly, QFile::ReadOwner | QFile::ExeOwner));
    const auto restore = qScopeGuard([&] {
        QFile::setPermissions(readOnly, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    });

    if (relativePath.startsWith(u"read-only"_s)) {
        QFile probe(readOnly + u"/probe"_s);
        if (probe.open(QIODevice::WriteOnly))
            QSKIP("running as root: directory permissions do not stop writes");
    }

    const QString path = dir.filePath(relativePath);
    const Status status = workspace::writeFile(Workspace(), path);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().kind, ErrorKind::Io);
    const QString prefix = u"cannot write "_s + path + u": "_s;
    QVERIFY2(status.error().message.startsWith(prefix), qPrintable(status.error().message));
    QVERIFY(status.error().message.size() > prefix.size());
    if (!reason.isEmpty())
        QCOMPARE(status.error().message, prefix + reason);

    // Atomic: a failed write leaves the old file as it was.
    QFile after(readOnly + u"/ws.json"_s);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QCOMPARE(after.readAll(), old);
}

QTEST_GUILESS_MAIN(TestWorkspaceJsonRoundTrip)
#include "tst_workspacejson_roundtrip.moc"
