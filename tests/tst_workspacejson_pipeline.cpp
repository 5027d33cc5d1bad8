// The workspace reader's two threads (issue 12, big proxies): a big file reads into the same
// workspace, and fails with the same first error, as on one thread; the pieces that make it fast
// (the duplicate checks' table) decide as before.
#include "WorkspaceGenerator.h"
#include "support/WorkspaceTestSupport.h"
#include "workspace/FirstSeen.h"
#include "workspace/JsonPipeline.h"
#include "workspace/WorkspaceJson.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using litescope::test::workspaceText;
namespace detail = litescope::workspace::detail;

namespace {

enum class Threads { One, Two };

Result<Workspace> parseOn(Threads threads, const QByteArray& json) {
    const qsizetype before = detail::pipelineThreshold();
    detail::setPipelineThreshold(threads == Threads::Two ? 0 : json.size() + 1);
    Result<Workspace> ws = workspace::parse(json);
    detail::setPipelineThreshold(before);
    return ws;
}

QString errorOn(Threads threads, const QByteArray& json) {
    const Result<Workspace> ws = parseOn(threads, json);
    return ws ? u"<parsed>"_s : ws.error().message;
}

// A generated proxy of several MB: thousands of elements in each big list, many batches.
const QByteArray& bigText() {
    static const QByteArray text = [] {
        bench::GeneratorOptions options;
        options.proxyModels = 200;
        options.teams = 60;
        options.members = 6000;
        options.keysPerMember = 2;
        return workspace::serialize(bench::generateWorkspace(options));
    }();
    return text;
}

// `json` with the `n`th occurrence (from 0) of `from` after `after` replaced by `to`.
QByteArray replaced(QByteArray json, QByteArrayView after, QByteArrayView from, QByteArrayView to,
                    int n) {
    qsizetype at = json.indexOf(after);
    for (int i = 0; i <= n && at >= 0; ++i)
        at = json.indexOf(from, at + (i == 0 ? 0 : 1));
    if (at < 0)
        qFatal("no such text in the generated workspace");
    return json.replace(at, from.size(), to.toByteArray());
}

} // namespace

class TestWorkspaceJsonPipeline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bigFileReadsAsOnOneThread() {
        const QByteArray& json = bigText();
        QVERIFY2(json.size() > 4 << 20, QByteArray::number(json.size()).constData());
        const Result<Workspace> one = parseOn(Threads::One, json);
        const Result<Workspace> two = parseOn(Threads::Two, json);
        QVERIFY2(one.ok(), qPrintable(one.ok() ? QString() : one.error().message));
        QVERIFY2(two.ok(), qPrintable(two.ok() ? QString() : two.error().message));
        QVERIFY(two->keys.size() > 10000);
        test::compareWorkspaces(*one, *two);
        QCOMPARE(workspace::serialize(*two), json);
    }

    // Every part of the format, unknown fields and all, through the pipeline.
    void everyFieldReadsAsOnOneThread() {
        const QByteArray json = workspace::serialize(test::richWorkspace());
        const Result<Workspace> two = parseOn(Threads::Two, json);
        QVERIFY2(two.ok(), qPrintable(two.ok() ? QString() : two.error().message));
        test::compareWorkspaces(*parseOn(Threads::One, json), *two);
        QCOMPARE(workspace::serialize(*two), json);
    }

    void errorDeepInABigListAsOnOneThread() {
        const qsizetype lastKey = [] {
            const Result<Workspace> ws = parseOn(Threads::One, bigText());
            return ws->keys.size() - 1;
        }();
        const QByteArray json = replaced(bigText(), "\"keys\": [",
                                         "\"blocked\": ", "\"blocked\": 0, \"x\": ", int(lastKey));
        const QString expected = u"keys[%1].blocked: expected true or false"_s.arg(lastKey);
        QCOMPARE(errorOn(Threads::One, json), expected);
        QCOMPARE(errorOn(Threads::Two, json), expected);
        // An error in an earlier part of the workspace wins, though read long before.
        const QByteArray users = replaced(json, "\"users\": [", "\"user_role\": \"",
                                          "\"user_role\": 7, \"x\": \"", 4000);
        QCOMPARE(errorOn(Threads::Two, users), errorOn(Threads::One, users));
        QCOMPARE(errorOn(Threads::Two, users), u"users[4000].user_role: expected a string"_s);
    }

    // A fault of the text after an error of the contents still comes first; so does a key
    // given twice in an element the second thread never looks at after the error.
    void faultsOfTheTextAfterAnErrorAsOnOneThread() {
        const QByteArray error =
            replaced(bigText(), "\"keys\": [", "\"blocked\": ", "\"blocked\": 0, \"x\": ", 10);
        QByteArray syntax = error;
        syntax.chop(syntax.size() - syntax.lastIndexOf('}'));
        syntax += ",}";
        const QString message = errorOn(Threads::Two, syntax);
        QVERIFY2(message.startsWith(u"invalid JSON at line "_s), qPrintable(message));
        QCOMPARE(message, errorOn(Threads::One, syntax));
        const QByteArray twice = replaced(
            error, "\"keys\": [", "\"blocked\": ", "\"blocked\": true, \"blocked\": ", 3000);
        const QString duplicate = errorOn(Threads::Two, twice);
        QVERIFY2(duplicate.startsWith(u"keys[3000].blocked: duplicate key (again at line "_s),
                 qPrintable(duplicate));
        QCOMPARE(duplicate, errorOn(Threads::One, twice));
    }

    void duplicateIdsAsOnOneThread() {
        const QByteArray json = bigText();
        const qsizetype at = json.indexOf("\"token\": \"", json.indexOf("\"keys\": [")) + 10;
        const QByteArray token = json.mid(at, json.indexOf('"', at) - at);
        const QByteArray twice =
            replaced(json, "\"keys\": [", "\"token\": \"",
                     QByteArray("\"token\": \"" + token + "\", \"x\": \""), 9000);
        const QString message = errorOn(Threads::Two, twice);
        QCOMPARE(message, errorOn(Threads::One, twice));
        QCOMPARE(message, u"keys[9000].token: duplicate \"%1\" (also at keys[0].token)"_s.arg(
                              QString::fromLatin1(token)));
    }

    // The small cases of tst_workspacejson_stream, through the pipeline.
    void smallCasesAsOnOneThread_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("read order") << QByteArray(
            R"({"keys": [{"token": 1}], "teams": [{"team_id": 2}],
                "format": "litescope-workspace", "version": 1})");
        QTest::newRow("header") << QByteArray(
            R"({"teams": [{"team_id": 2}], "format": "litescope-workspace", "version": 2})");
        QTest::newRow("not a list") << workspaceText(R"({"users": {"user_id": "u"}})");
        QTest::newRow("syntax") << workspaceText(R"({"teams": [{"team_id": 2}], "keys": [1,]})");
        QTest::newRow("no format") << QByteArray(R"({"teams": [], "version": 1})");
        QTest::newRow("lenient") << workspaceText(
            "{\"teams\": [{\"team_id\": \"t\\q\", \"models\": [\"\\ud800\"]}]}");
        QTest::newRow("nulls") << workspaceText(R"({"users": null, "source": null})");
        QTest::newRow("empty") << workspaceText("{}");
    }
    void smallCasesAsOnOneThread() {
        QFETCH(QByteArray, json);
        const Result<Workspace> one = parseOn(Threads::One, json);
        const Result<Workspace> two = parseOn(Threads::Two, json);
        QCOMPARE(two.ok(), one.ok());
        if (one.ok())
            QCOMPARE(workspace::serialize(*two), workspace::serialize(*one));
        else
            QCOMPARE(two.error().message, one.error().message);
    }

    // Past 50,000 keys a second thread checks the keys' ids: the first error is still the first
    // in the order of the lists.
    void bigWorkspaceValidatesInListOrder() {
        Workspace ws;
        for (int i = 0; i < 60000; ++i) {
            Key key;
            key.token = u"sk-%1"_s.arg(i);
            key.alias = u"alias-%1"_s.arg(i);
            ws.keys.append(key);
        }
        QVERIFY(workspace::validate(ws).ok());
        ws.keys[59000].alias = u"alias-12"_s;
        QCOMPARE(workspace::validate(ws).error().message,
                 u"keys[59000].key_alias: duplicate \"alias-12\" (also at keys[12].key_alias)"_s);
        ws.keys[58000].token = u"sk-7"_s;
        QCOMPARE(workspace::validate(ws).error().message,
                 u"keys[58000].token: duplicate \"sk-7\" (also at keys[7].token)"_s);
        User user;
        ws.users.append(user);
        QCOMPARE(workspace::validate(ws).error().message,
                 u"users[0].user_id: missing required field (empty string)"_s);
        Project project;
        ws.users.clear();
        ws.projects.append(project);
        QCOMPARE(workspace::validate(ws).error().message,
                 u"keys[58000].token: duplicate \"sk-7\" (also at keys[7].token)"_s);
    }

    // Ids whose hashes collide are told apart by their text; equal ids are found whatever the
    // table's size.
    void firstSeenComparesTheIds() {
        const QStringList ids = {u"a"_s, u"b"_s, u"a"_s, u"c"_s, u"b"_s};
        detail::FirstSeen colliding(0);
        QList<std::optional<qsizetype>> seen;
        for (qsizetype i = 0; i < ids.size(); ++i)
            seen.append(colliding.seenBefore(
                42, i, [&](qsizetype first) { return ids.at(first) == ids.at(i); }));
        QCOMPARE(seen,
                 (QList<std::optional<qsizetype>>{std::nullopt, std::nullopt, 0, std::nullopt, 1}));
        QStringList many;
        for (int i = 0; i < 5000; ++i)
            many.append(QString::number(i));
        many.append(u"1234"_s);
        detail::FirstSeen growing(1);
        std::optional<qsizetype> last;
        for (qsizetype i = 0; i < many.size(); ++i)
            last = growing.seenBefore(detail::idHash(many.at(i)), i, [&](qsizetype first) {
                return many.at(first) == many.at(i);
            });
        QCOMPARE(last, std::optional<qsizetype>(1234));
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceJsonPipeline)
#include "tst_workspacejson_pipeline.moc"
