// The streaming workspace reader where it differs in how it works from a DOM (issue 12): errors
// in the order the parts are read whatever the file's order, faults of the text before errors of
// its contents, text only Qt's lenient parser takes, numbers as Qt reads them, fields kept in
// the writer's form, names shared.
#include "support/WorkspaceTestSupport.h"
#include "workspace/WorkspaceJson.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using litescope::test::workspaceText;

namespace {

QString errorOf(const QByteArray& json) {
    const Result<Workspace> ws = workspace::parse(json);
    return ws ? u"<parsed>"_s : ws.error().message;
}

} // namespace

class TestWorkspaceJsonStream : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void errorsInReadOrderWhateverTheFileOrder() {
        // keys come before teams in the file; teams are read first.
        QCOMPARE(errorOf(R"({"keys": [{"token": 1}], "teams": [{"team_id": 2}],
                             "format": "litescope-workspace", "version": 1})"),
                 u"teams[0].team_id: expected a string"_s);
        // The header is checked before anything, wherever it stands.
        QCOMPARE(errorOf(R"({"teams": [{"team_id": 2}], "format": "litescope-workspace",
                             "version": 2})"),
                 u"version: this file is version 2, newer than this litescope reads (version 1); "
                 "update litescope"_s);
        // Within an entity, fields are checked in the reader's order, not the file's.
        QCOMPARE(errorOf(workspaceText(R"({"teams": [{"models": 1, "team_id": 2}]})")),
                 u"teams[0].team_id: expected a string"_s);
        // Map entries in key order.
        QCOMPARE(errorOf(workspaceText(R"({"model_providers": {"b": 1, "a": 2}})")),
                 u"model_providers.a: expected a string"_s);
        QCOMPARE(errorOf(workspaceText(R"({"users": {"user_id": "u"}})")),
                 u"users: expected an array"_s);
        QCOMPARE(errorOf(workspaceText(R"({"users": [5]})")), u"users[0]: expected an object"_s);
        QCOMPARE(errorOf(workspaceText(R"({"users": null, "source": null})")), u"<parsed>"_s);
    }

    // An error of the contents never hides a fault of the text after it.
    void faultsOfTheTextComeFirst() {
        const QString syntax =
            errorOf(workspaceText(R"({"teams": [{"team_id": 2}], "keys": [1,]})"));
        QVERIFY2(syntax.startsWith(u"invalid JSON at line 1, column "_s), qPrintable(syntax));
        const QString duplicate = errorOf(workspaceText(
            R"({"teams": [{"team_id": 2}], "keys": [{"token": "a", "token": "b"}]})"));
        QVERIFY2(duplicate.startsWith(u"keys[0].token: duplicate key (again at line 1, column "_s),
                 qPrintable(duplicate));
        QCOMPARE(errorOf(R"({"teams": [], "version": 1})"),
                 u"not a litescope workspace (no \"format\" field; a workspace starts "
                 "{\"format\": \"litescope-workspace\", \"version\": 1, ...})"_s);
        QCOMPARE(errorOf(R"([1, 2])"), u"top level: expected an object"_s);
    }

    // What strict JSON does not allow but Qt's parser takes reads as it always did.
    void lenientTextReadsAsQtReadsIt() {
        const QByteArray json = workspaceText("{\"teams\": [{\"team_id\": \"t\\q\", "
                                              "\"team_alias\": \"a\x01z\", "
                                              "\"models\": [\"\\ud800\", \"\\udc00x\"]}]}");
        const Result<Workspace> ws = workspace::parse(json);
        QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
        QCOMPARE(ws->teams.at(0).id, u"tq"_s);
        QCOMPARE(ws->teams.at(0).alias, u"a\u0001z"_s);
        QCOMPARE(ws->teams.at(0).models,
                 (QStringList{QString(QChar(0xD800)), QString(QChar(0xDC00)) + u'x'}));
        const QByteArray written = workspace::serialize(*ws);
        QVERIFY(written.contains(R"("team_alias": "a\u0001z")"));
        QVERIFY(written.contains(R"("models": ["\ud800", "\udc00x"])"));
        // A lone low surrogate alone (which RapidJSON passes through) reads the same.
        const Result<Workspace> low =
            workspace::parse(workspaceText(R"({"teams": [{"team_id": "\udc00"}]})"));
        QVERIFY(low.ok());
        QCOMPARE(low->teams.at(0).id, QString(QChar(0xDC00)));
    }

    void numbersAsQtReadsThem() {
        const Result<Workspace> ws = workspace::parse(workspaceText(
            R"({"team_memberships": [{"team_id": "t", "user_id": "u", "max_budget": -0.0,
                                      "tpm_limit": 1E3, "spend": 9007199254740993,
                                      "extra": [1.50, -0, 1e-5, 123456789012345678901234567890]}],
                "teams": [{"team_id": "t"}], "users": [{"user_id": "u"}]})"));
        QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
        const TeamMembership& m = ws->teamMemberships.at(0);
        QCOMPARE(m.maxBudget, std::optional<double>(0));
        QVERIFY(!std::signbit(*m.maxBudget));
        QCOMPARE(m.tpmLimit, std::optional<qint64>(1000));
        QCOMPARE(m.spend, 9007199254740992.0);
        QVERIFY(workspace::serialize(*ws).contains(
            R"("max_budget": 0, "tpm_limit": 1000, "spend": 9007199254740992, )"
            R"("extra": [1.5, 0, 1e-05, 1.2345678901234568e+29])"));
        const QString outOfRange =
            errorOf(workspaceText(R"({"teams": [{"team_id": "t", "x": 1e400}]})"));
        QVERIFY2(outOfRange.startsWith(u"invalid JSON at line 1, column "_s) &&
                     outOfRange.endsWith(u"illegal number"_s),
                 qPrintable(outOfRange));
    }

    // Deeper than the streaming reader goes on its own, within what Qt's parser takes.
    void deepUnknownFieldsAreKept() {
        const QByteArray deep = QByteArray(600, '[') + QByteArray(600, ']');
        const Result<Workspace> ws = workspace::parse(
            workspaceText(R"({"teams": [{"team_id": "t", "deep": )" + deep + "}]}"));
        QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
        QVERIFY(workspace::serialize(*ws).contains(deep));
        const QByteArray tooDeep = QByteArray(1100, '[') + QByteArray(1100, ']');
        QVERIFY(errorOf(workspaceText(R"({"x": )" + tooDeep + "}")).contains(u"nested"_s));
    }

    // Unknown fields come out as they always did: sorted, compact, numbers in shortest form.
    void unknownFieldsInTheWritersForm() {
        const Result<Workspace> ws = workspace::parse(workspaceText(
            R"({"teams": [{"zeta": 1.50, "team_id": "t", "alpha": {"y": [1e2], "b": "\u00e9\/"}}],
                "zz_top": {"b": 1, "a": 2}, "aa_top": true})"));
        QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
        QCOMPARE(ws->teams.at(0).extra.text(),
                 QByteArray(R"("alpha": {"b": "é/", "y": [100]}, "zeta": 1.5)"));
        const QByteArray written = workspace::serialize(*ws);
        QVERIFY(written.contains(R"("alpha": {"b": "é/", "y": [100]}, "zeta": 1.5})"));
        QVERIFY(written.endsWith("\n  \"aa_top\": true,\n  \"zz_top\": {\"a\": 2, \"b\": 1}\n}\n"));
        // Read back, the same bytes.
        const Result<Workspace> back = workspace::parse(written);
        QVERIFY(back.ok());
        QCOMPARE(workspace::serialize(*back), written);
    }

    // Known fields are found in any order among unknown ones (the writer's order is only tried
    // first).
    void unknownFieldsAmongKnownOnesInAnyOrder() {
        const Result<Workspace> ws = workspace::parse(workspaceText(
            R"({"keys": [{"blocked": true, "x": 1, "models": ["m"], "token": "k", "team_id": "t",
                          "a": 2, "key_alias": "al", "blockedx": 3, "token2": 4}]})"));
        QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
        QCOMPARE(ws->keys.at(0).extra.text(),
                 QByteArray(R"("a": 2, "blockedx": 3, "token2": 4, "x": 1)"));
        QCOMPARE(ws->keys.at(0).token, u"k"_s);
        QCOMPARE(ws->keys.at(0).alias, std::optional<QString>(u"al"_s));
        QVERIFY(ws->keys.at(0).blocked);
    }

    void repeatedNamesShareOneString() {
        const Result<Workspace> ws = workspace::parse(workspaceText(
            R"({"teams": [{"team_id": "team-1", "models": ["gpt-4o"]}],
                "keys": [{"token": "k1", "team_id": "team-1", "models": ["gpt-4o"]},
                         {"token": "k2", "team_id": "team-1", "models": ["gpt-4o"]}]})"));
        QVERIFY(ws.ok());
        QCOMPARE(ws->keys.at(0).teamId->constData(), ws->teams.at(0).id.constData());
        QCOMPARE(ws->keys.at(1).teamId->constData(), ws->teams.at(0).id.constData());
        QCOMPARE(ws->keys.at(1).models.at(0).constData(), ws->teams.at(0).models.at(0).constData());
    }

    // The admin API's documents go through the same reader, header optional.
    void objectsReadThroughTheSameReader() {
        const QString odd = QString(QChar(0xFEFF)) + u"a"_s + QChar(0xDFFF);
        const QJsonObject document{
            {u"teams"_s, QJsonArray{QJsonObject{{u"team_id"_s, odd}, {u"note"_s, odd}}}}};
        const Result<Workspace> ws = workspace::parseObject(document);
        QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
        QCOMPARE(ws->teams.at(0).id, odd);
        QCOMPARE(ws->teams.at(0).extra.value(u"note").toString(), odd);
        QCOMPARE(workspace::parseObject(QJsonObject{{u"teams"_s, 1}}).error().message,
                 u"teams: expected an array"_s);
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceJsonStream)
#include "tst_workspacejson_stream.moc"
