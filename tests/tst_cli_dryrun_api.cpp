// litescope-cli --dry-run against a proxy's admin API (the fake LiteLLM serving the demo data):
// every edit verb reports, as text and as JSON, what the real edit then reports, and the proxy
// receives reads only, never a write; refused edits (unknown names, an alias two teams share, a
// read-only connection, a limit the API cannot clear, a proxy too old for member scopes)
// are refused with the same exit code and message as without --dry-run, and send nothing.
#include "support/ApiTestSupport.h"
#include "support/CliDryRunSupport.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

const QString KeyVariable = u"LITELLM_MASTER_KEY"_s;

} // namespace

class TstCliDryRunApi : public QObject {
    Q_OBJECT

private:
    ApiFixture m_api;

    // The state is every request but a read: a dry run may read the proxy, never write to it.
    DryRunSource source() {
        FakeLiteLLM* proxy = &m_api.proxy();
        const QStringList api{u"--api"_s, proxy->url().toString(), u"--api-key-env"_s, KeyVariable};
        return {[api](const QStringList& args) {
                    return runCliServing(args + api, {{KeyVariable, MasterKey}});
                },
                [proxy] {
                    QStringList writes;
                    for (const FakeLiteLLM::RecordedRequest& request : proxy->requests())
                        if (request.method != "GET")
                            writes.append(QString::fromLatin1(request.method) + u' ' +
                                          request.path + u' ' + QString::fromUtf8(request.body));
                    return writes.join(u'\n');
                }};
    }

private Q_SLOTS:
    void init() {
        QString error;
        QVERIFY2(m_api.start(demoDataset(), &error), qPrintable(error));
    }

    // Each row: edits run in order on one fresh proxy, each first as a dry run.
    void everyVerb_data() {
        QTest::addColumn<QList<QStringList>>("steps");
        const QStringList bob{u"-t"_s, u"Search"_s, u"-u"_s, u"bob.martinez@acme.example"_s};
        QTest::newRow("member set-scope") << QList<QStringList>{
            QStringList{u"member"_s, u"set-scope"_s} + bob +
                QStringList{u"-m"_s, u"gpt-4o"_s, u"-m"_s, u"a,b"_s},
            QStringList{u"member"_s, u"set-scope"_s} + bob + QStringList{u"--all-team-models"_s}};
        QTest::newRow("member add") << QList<QStringList>{
            {u"member"_s, u"add"_s, u"-t"_s, u"Search"_s, u"-u"_s, u"new@acme.example"_s},
            {u"member"_s, u"add"_s, u"-t"_s, u"Finance Analytics"_s, u"-u"_s,
             u"priya.raman@acme.example"_s, u"--role"_s, u"admin"_s, u"-m"_s, u"gpt-4o"_s}};
        QTest::newRow("member update") << QList<QStringList>{
            QStringList{u"member"_s, u"update"_s} + bob +
            QStringList{u"--role"_s, u"admin"_s, u"--max-budget"_s, u"12.5"_s, u"--rpm"_s, u"7"_s}};
        QTest::newRow("member remove")
            << QList<QStringList>{QStringList{u"member"_s, u"remove"_s} + bob};
        QTest::newRow("team set-models") << QList<QStringList>{
            {u"team"_s, u"set-models"_s, u"-t"_s, u"Search"_s, u"-m"_s, u"gpt-4o"_s},
            {u"team"_s, u"set-models"_s, u"-t"_s, u"Search"_s, u"--all-proxy-models"_s}};
        QTest::newRow("team set-default-member-models")
            << QList<QStringList>{{u"team"_s, u"set-default-member-models"_s, u"-t"_s, u"Search"_s,
                                   u"-m"_s, u"gpt-4o"_s}};
        QTest::newRow("team set-alias") << QList<QStringList>{
            {u"team"_s, u"set-alias"_s, u"-t"_s, u"Search"_s, u"--alias"_s, u"Find"_s}};
        QTest::newRow("team block, unblock")
            << QList<QStringList>{{u"team"_s, u"block"_s, u"-t"_s, u"Search"_s},
                                  {u"team"_s, u"unblock"_s, u"-t"_s, u"Search"_s}};
        QTest::newRow("key set-models") << QList<QStringList>{
            {u"key"_s, u"set-models"_s, u"-k"_s, u"search-staging"_s, u"-m"_s, u"gpt-4o"_s}};
    }

    void everyVerb() {
        QFETCH(QList<QStringList>, steps);
        const DryRunSource proxy = source();
        for (const QStringList& step : steps) {
            const QString problem = dryRunMatchesApply(proxy, step);
            QVERIFY2(problem.isEmpty(), qPrintable(step.join(u' ') + u":\n"_s + problem));
        }
    }

    void refusedAlike_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("version");  // what the proxy reports; empty: the default
        QTest::addColumn<bool>("sharedAlias"); // Data Platform is also "Search"
        const QStringList bob{u"-t"_s, u"Search"_s, u"-u"_s, u"bob.martinez@acme.example"_s};
        const QStringList scope = QStringList{u"member"_s, u"set-scope"_s} + bob;
        QTest::newRow("unknown team")
            << QStringList{u"team"_s, u"block"_s, u"-t"_s, u"nope"_s} << QString() << false;
        QTest::newRow("not a member")
            << QStringList{u"member"_s, u"remove"_s, u"-t"_s,
                           u"Search"_s, u"-u"_s,     u"emma.schmidt@acme.example"_s}
            << QString() << false;
        QTest::newRow("already a member")
            << QStringList{u"member"_s, u"add"_s, u"-t"_s,
                           u"Search"_s, u"-u"_s,  u"bob.martinez@acme.example"_s}
            << QString() << false;
        QTest::newRow("unknown key")
            << QStringList{u"key"_s, u"set-models"_s, u"-k"_s, u"nokey"_s, u"-m"_s, u"x"_s}
            << QString() << false;
        QTest::newRow("read-only")
            << scope + QStringList{u"-m"_s, u"gpt-4o"_s, u"--read-only"_s} << QString() << false;
        QTest::newRow("a limit the API cannot clear")
            << QStringList{u"member"_s, u"update"_s} + bob +
                   QStringList{u"--max-budget"_s, u"none"_s}
            << QString() << false;
        QTest::newRow("member scopes on an old proxy")
            << scope + QStringList{u"-m"_s, u"gpt-4o"_s} << u"1.74.0"_s << false;
        QTest::newRow("default member models on an old proxy")
            << QStringList{u"team"_s, u"set-default-member-models"_s,
                           u"-t"_s,   u"Search"_s,
                           u"-m"_s,   u"gpt-4o"_s}
            << u"1.74.0"_s << false;
        QTest::newRow("unknown raw key, never echoed")
            << QStringList{u"key"_s, u"set-models"_s, u"-k"_s, u"sk-unknown-secret-9f8e"_s,
                           u"-m"_s,  u"x"_s}
            << QString() << false;
        QTest::newRow("team alias of two teams")
            << QStringList{u"team"_s, u"block"_s, u"-t"_s, u"Search"_s} << QString() << true;
    }

    void refusedAlike() {
        QFETCH(QStringList, args);
        QFETCH(QString, version);
        QFETCH(bool, sharedAlias);
        // LiteLLM lets teams share an alias (key aliases it keeps unique).
        if (sharedAlias) {
            Workspace data = demoDataset();
            for (Team& team : data.teams)
                if (team.alias == u"Data Platform"_s)
                    team.alias = u"Search"_s;
            QString error;
            QVERIFY2(m_api.start(data, &error), qPrintable(error));
        }
        if (!version.isEmpty())
            m_api.proxy().setLiteLLMVersion(version);
        const QString problem = dryRunRefusedLikeApply(source(), args);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (const FakeLiteLLM::RecordedRequest& request : m_api.proxy().requests())
            QVERIFY2(!request.query.toString().contains(u"unknown-secret"_s),
                     qPrintable(request.query.toString()));
    }
};

QTEST_GUILESS_MAIN(TstCliDryRunApi)
#include "tst_cli_dryrun_api.moc"
