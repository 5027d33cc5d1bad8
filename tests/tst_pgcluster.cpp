// Tests the throwaway PostgreSQL cluster (support/PgCluster) and the LiteLLM schema/seed files in
// data/pg: both schema levels load, they differ by exactly the expected columns, the seed is
// consistent across the three membership places, and no server survives the PgCluster object or
// a killed test process.

#include "support/PgCluster.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QScopeGuard>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <cstdio>
#include <memory>
#include <sys/types.h>

using namespace Qt::StringLiterals;
using litescope::test::PgCluster;

namespace {

const QString kNewestDb = u"litellm_newest"_s;
const QString kPreDb = u"litellm_pre_member_scope"_s;

QString dataFile(const QString& name) {
    return QStringLiteral(LITESCOPE_TEST_DATA "/data/pg/") + name;
}

// True if `pid` is a live, non-zombie process.
bool processAlive(qint64 pid) {
    if (pid <= 0)
        return false;
    QFile stat(u"/proc/"_s + QString::number(pid) + u"/stat"_s);
    if (!stat.open(QIODevice::ReadOnly))
        return ::kill(static_cast<pid_t>(pid), 0) == 0;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close < 0 || close + 2 >= text.size() ||
           (text.at(close + 2) != 'Z' && text.at(close + 2) != 'X');
}

// Processes whose command line mentions `needle` (e.g. the cluster directory).
QList<qint64> processesMentioning(const QString& needle) {
    QList<qint64> found;
    const QByteArray wanted = needle.toUtf8();
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid || pid == QCoreApplication::applicationPid())
            continue;
        QFile cmdline(u"/proc/"_s + entry + u"/cmdline"_s);
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(wanted) &&
            processAlive(pid))
            found.append(pid);
    }
    return found;
}

bool portRefusesConnections(int port) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(port));
    if (socket.waitForConnected(3000)) {
        socket.abort();
        return false;
    }
    return socket.error() == QAbstractSocket::ConnectionRefusedError;
}

bool portIsFree(int port) {
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost, static_cast<quint16>(port));
}

template <typename Predicate>
bool waitFor(Predicate predicate, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (!predicate()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QThread::msleep(50);
    }
    return true;
}

// The raw keys behind the seed's tokens (documented in litellm-seed.sql).
const QStringList kSeedRawKeys{
    u"sk-seed-ml-research-ci-k7Qa"_s, u"sk-seed-ml-bob-notebook-Zp3m"_s,
    u"sk-seed-search-prod"_s,         u"sk-seed-search-erin-q8Xc"_s,
    u"sk-seed-support-bot-Lm2v"_s,    u"sk-seed-legacy-carol-Hh9e"_s,
    u"sk-seed-personal-alice-Wd4r"_s, u"sk-seed-personal-dave-Tn6b"_s,
};

// Child mode (LITESCOPE_PGCLUSTER_CHILD set): start a cluster, report it, and wait to be killed.
int runChild() {
    QString error;
    auto cluster = PgCluster::start(&error);
    if (!cluster) {
        std::fputs(error.toUtf8().constData(), stderr);
        return 1;
    }
    const QString line = QString::number(cluster->port()) + u' ' +
                         QString::number(cluster->serverPid()) + u' ' + cluster->directory() +
                         u'\n';
    std::fputs(line.toUtf8().constData(), stdout);
    std::fflush(stdout);
    QThread::sleep(600);
    return 0;
}

} // namespace

// Runs SQL in a test slot and fails the test with psql's message on error.
#define PG_QUERY(database, sql, output)                                                            \
    do {                                                                                           \
        QString pgQueryError_;                                                                     \
        QVERIFY2(m_cluster->runSql((database), (sql), &pgQueryError_, &(output)),                  \
                 qPrintable(pgQueryError_));                                                       \
    } while (false)

class TestPgCluster : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void connectionStrings();
    void runSqlOutputAndErrors();
    void failedStartLeavesNothingBehind();
    void bothLevelsHaveTheSameTables();
    void levelsDifferByExactlyTheExpectedColumns();
    void newestLevelHasMemberScopeAndLaterColumns();
    void preMemberScopeLevelLacksThem();
    void migrationLedgerTellsTheLevels();
    void seedRowCounts_data();
    void seedRowCounts();
    void seedMembershipIsConsistent();
    void seedKeysMatchTheirRawKeys();
    void seedEdgeCases();
    void seedScopes();
    void seedScopesFailOnPreMemberScopeLevel();
    void secondClusterRunsAlongside();
    void startRetriesWhenThePortIsTaken();
    void serverIsGoneAfterDestruction();
    void serverIsGoneAfterTestProcessIsKilled();
    void cleanupTestCase();

private:
    QString columnsOf(const QString& database);

    std::unique_ptr<PgCluster> m_cluster;
};

void TestPgCluster::initTestCase() {
    QElapsedTimer timer;
    timer.start();
    QString error;
    m_cluster = PgCluster::start(&error);
    QVERIFY2(m_cluster, qPrintable(error));
    qInfo("cluster started on port %d in %lld ms", m_cluster->port(), timer.elapsed());

    QVERIFY2(m_cluster->createDatabase(kNewestDb, &error), qPrintable(error));
    QVERIFY2(m_cluster->createDatabase(kPreDb, &error), qPrintable(error));
    for (const QString& file :
         {u"litellm-newest.sql"_s, u"litellm-seed.sql"_s, u"litellm-seed-scopes.sql"_s}) {
        QVERIFY2(m_cluster->runSqlFile(kNewestDb, dataFile(file), &error),
                 qPrintable(file + u": "_s + error));
    }
    for (const QString& file : {u"litellm-pre-member-scope.sql"_s, u"litellm-seed.sql"_s}) {
        QVERIFY2(m_cluster->runSqlFile(kPreDb, dataFile(file), &error),
                 qPrintable(file + u": "_s + error));
    }
    qInfo("cluster started and both databases loaded in %lld ms", timer.elapsed());
}

void TestPgCluster::connectionStrings() {
    const QString port = QString::number(m_cluster->port());
    QVERIFY(m_cluster->port() > 0);
    QCOMPARE(m_cluster->host(), u"127.0.0.1"_s);
    QCOMPARE(m_cluster->uri(u"db1"_s), u"postgresql://postgres@127.0.0.1:"_s + port + u"/db1"_s);
    QCOMPARE(m_cluster->keyValue(u"db1"_s),
             u"host=127.0.0.1 port="_s + port + u" dbname=db1 user=postgres"_s);
    QVERIFY(m_cluster->serverPid() > 0);
    QVERIFY(processAlive(m_cluster->serverPid()));
    QVERIFY(QFileInfo(m_cluster->directory()).isDir());

    QString out;
    PG_QUERY(kNewestDb,
             u"SELECT current_user, pg_encoding_to_char(encoding), datcollate FROM pg_database "
             u"WHERE datname = current_database();"_s,
             out);
    QCOMPARE(out, u"postgres|UTF8|C.UTF-8"_s);
    PG_QUERY(u"postgres"_s, u"SHOW listen_addresses;"_s, out);
    QCOMPARE(out, u"127.0.0.1"_s);
}

void TestPgCluster::runSqlOutputAndErrors() {
    QString out;
    PG_QUERY(kPreDb, u"SELECT 1, NULL, 'a b', 'ü'; SELECT 2;"_s, out);
    QCOMPARE(out, u"1||a b|ü\n2"_s);

    QString error;
    QVERIFY(!m_cluster->runSql(kPreDb, u"SELECT 1; SELECT * FROM no_such_table; SELECT 3;"_s,
                               &error, &out));
    QVERIFY2(error.contains(u"relation \"no_such_table\" does not exist"_s), qPrintable(error));
    QCOMPARE(out, u"1"_s); // ON_ERROR_STOP: SELECT 3 never ran

    QVERIFY(!m_cluster->runSqlFile(kPreDb, dataFile(u"no-such-file.sql"_s), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!m_cluster->createDatabase(kPreDb, &error)); // exists already
    QVERIFY2(error.contains(u"already exists"_s), qPrintable(error));
}

void TestPgCluster::failedStartLeavesNothingBehind() {
    // A private TMPDIR (traversable by `postgres` when running as root) and missing binaries.
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(QFile::setPermissions(tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                  QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                                  QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                                  QFileDevice::ExeOther));
    const QByteArray oldTmp = qgetenv("TMPDIR");
    const bool hadTmp = qEnvironmentVariableIsSet("TMPDIR");
    auto restore = qScopeGuard([&] {
        if (hadTmp)
            qputenv("TMPDIR", oldTmp);
        else
            qunsetenv("TMPDIR");
        qunsetenv("LITESCOPE_PG_BINDIR");
    });
    qputenv("TMPDIR", QFile::encodeName(tmp.path()));
    qputenv("LITESCOPE_PG_BINDIR", "/nonexistent/postgresql/bin");

    QString error;
    const auto cluster = PgCluster::start(&error);
    QVERIFY(!cluster);
    QVERIFY2(error.contains(u"initdb"_s), qPrintable(error));
    QVERIFY(QDir(tmp.path()).isEmpty());
}

QString TestPgCluster::columnsOf(const QString& database) {
    QString out;
    QString error;
    if (!m_cluster->runSql(
            database,
            u"SELECT table_name || '.' || column_name FROM information_schema.columns"
            u" WHERE table_schema = 'public' ORDER BY 1;"_s,
            &error, &out))
        return u"ERROR: "_s + error;
    return out;
}

void TestPgCluster::bothLevelsHaveTheSameTables() {
    const QString sql = u"SELECT string_agg(table_name, ',' ORDER BY table_name) FROM "
                        u"information_schema.tables WHERE table_schema = 'public';"_s;
    QString newest;
    QString pre;
    PG_QUERY(kNewestDb, sql, newest);
    PG_QUERY(kPreDb, sql, pre);
    QCOMPARE(newest, pre);
    QCOMPARE(newest, u"LiteLLM_AccessGroupTable,LiteLLM_AuditLog,LiteLLM_BudgetTable,"
                     u"LiteLLM_Config,LiteLLM_ModelTable,LiteLLM_ObjectPermissionTable,"
                     u"LiteLLM_OrganizationMembership,LiteLLM_OrganizationTable,"
                     u"LiteLLM_ProjectTable,LiteLLM_ProxyModelTable,LiteLLM_TeamMembership,"
                     u"LiteLLM_TeamTable,LiteLLM_UserTable,LiteLLM_VerificationToken,"
                     u"_prisma_migrations"_s);
}

void TestPgCluster::levelsDifferByExactlyTheExpectedColumns() {
    const QString newestText = columnsOf(kNewestDb);
    const QString preText = columnsOf(kPreDb);
    QVERIFY2(!newestText.startsWith(u"ERROR"_s), qPrintable(newestText));
    QVERIFY2(!preText.startsWith(u"ERROR"_s), qPrintable(preText));
    const QStringList newestList = newestText.split(u'\n');
    const QStringList preList = preText.split(u'\n');
    const QSet<QString> newest(newestList.begin(), newestList.end());
    const QSet<QString> pre(preList.begin(), preList.end());

    QVERIFY2(QSet<QString>(pre).subtract(newest).isEmpty(), "pre level has extra columns");
    const QSet<QString> expected{
        // v1.83.14 (20260401000000_add_budget_limits, ..._add_team_member_model_scope,
        // 20260421135425_add_team_membership_total_spend)
        u"LiteLLM_BudgetTable.allowed_models"_s,
        u"LiteLLM_TeamTable.default_team_member_models"_s,
        u"LiteLLM_TeamTable.budget_limits"_s,
        u"LiteLLM_VerificationToken.budget_limits"_s,
        u"LiteLLM_TeamMembership.total_spend"_s,
        // later than v1.83.14
        u"LiteLLM_VerificationToken.budget_fallbacks"_s,
        u"LiteLLM_ProxyModelTable.blocked"_s,
        u"LiteLLM_ProxyModelTable.team_id"_s,
        u"LiteLLM_ObjectPermissionTable.search_tools"_s,
        u"LiteLLM_ObjectPermissionTable.mcp_tool_search_enabled"_s,
        u"LiteLLM_TeamMembership.self_max_budget"_s,
        u"LiteLLM_OrganizationTable.logging_exporters"_s,
        u"LiteLLM_AuditLog.object_alias"_s,
        u"LiteLLM_AuditLog.object_team_id"_s,
        u"LiteLLM_AuditLog.object_team_alias"_s,
        u"LiteLLM_AuditLog.changed_by_user_email"_s,
        u"LiteLLM_AuditLog.changed_by_key_alias"_s,
    };
    QSet<QString> difference = newest;
    difference.subtract(pre);
    QStringList got = difference.values();
    got.sort();
    QStringList want = expected.values();
    want.sort();
    QCOMPARE(got, want);
    QCOMPARE(newest.size(), 220);
}

void TestPgCluster::newestLevelHasMemberScopeAndLaterColumns() {
    QString out;
    PG_QUERY(kNewestDb,
             u"SELECT data_type || '|' || is_nullable || '|' || coalesce(column_default, '')"
             u" FROM information_schema.columns WHERE table_name = 'LiteLLM_BudgetTable'"
             u" AND column_name = 'allowed_models';"_s,
             out);
    QCOMPARE(out, u"ARRAY|YES|ARRAY[]::text[]"_s);
    PG_QUERY(kNewestDb,
             u"SELECT data_type || '|' || is_nullable || '|' || coalesce(column_default, '')"
             u" FROM information_schema.columns WHERE table_name = 'LiteLLM_ProxyModelTable'"
             u" AND column_name = 'blocked';"_s,
             out);
    QCOMPARE(out, u"boolean|NO|false"_s);
    PG_QUERY(kNewestDb, u"SELECT count(*) FROM pg_indexes WHERE tablename = 'LiteLLM_AuditLog';"_s,
             out);
    QCOMPARE(out, u"4"_s); // pkey + the three later indexes
}

void TestPgCluster::preMemberScopeLevelLacksThem() {
    QString out;
    PG_QUERY(kPreDb,
             u"SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND"
             u" column_name IN ('allowed_models', 'default_team_member_models', 'budget_limits',"
             u" 'total_spend', 'budget_fallbacks', 'self_max_budget', 'logging_exporters',"
             u" 'object_team_id');"_s,
             out);
    QCOMPARE(out, u"0"_s);
    PG_QUERY(kPreDb,
             u"SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM"
             u" information_schema.columns WHERE table_name = 'LiteLLM_TeamMembership';"_s,
             out);
    QCOMPARE(out, u"user_id,team_id,spend,budget_id"_s);
    PG_QUERY(kPreDb,
             u"SELECT count(*) FROM information_schema.columns WHERE table_name ="
             u" 'LiteLLM_AccessGroupTable' AND column_name = 'access_model_names';"_s,
             out);
    QCOMPARE(out, u"1"_s);
}

void TestPgCluster::migrationLedgerTellsTheLevels() {
    const QString sql =
        u"SELECT EXISTS (SELECT 1 FROM \"_prisma_migrations\" WHERE migration_name ="
        u" '20260401000000_add_team_member_model_scope' AND finished_at IS NOT NULL),"
        u" EXISTS (SELECT 1 FROM \"_prisma_migrations\" WHERE migration_name ="
        u" '20260212143306_add_access_group_table' AND finished_at IS NOT NULL),"
        u" EXISTS (SELECT 1 FROM \"_prisma_migrations\" WHERE migration_name ="
        u" '20260401000000_add_budget_limits'),"
        u" (SELECT count(*) FROM \"_prisma_migrations\" WHERE finished_at IS NULL"
        u" OR rolled_back_at IS NOT NULL OR checksum !~ '^[0-9a-f]{64}$'),"
        u" (SELECT max(migration_name) FROM \"_prisma_migrations\");"_s;
    QString out;
    PG_QUERY(kNewestDb, sql, out);
    QCOMPARE(out, u"t|t|t|0|20261009120000_proxy_worker_expiry"_s);
    PG_QUERY(kPreDb, sql, out);
    QCOMPARE(out, u"f|t|f|0|20260321000000_add_mcp_toolsets"_s);
}

void TestPgCluster::seedRowCounts_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<int>("rows");
    QTest::newRow("orgs") << u"LiteLLM_OrganizationTable"_s << 2;
    QTest::newRow("org members") << u"LiteLLM_OrganizationMembership"_s << 6;
    QTest::newRow("budgets") << u"LiteLLM_BudgetTable"_s << 7;
    QTest::newRow("teams") << u"LiteLLM_TeamTable"_s << 4;
    QTest::newRow("team memberships") << u"LiteLLM_TeamMembership"_s << 6;
    QTest::newRow("users") << u"LiteLLM_UserTable"_s << 8;
    QTest::newRow("keys") << u"LiteLLM_VerificationToken"_s << 8;
    QTest::newRow("model aliases") << u"LiteLLM_ModelTable"_s << 1;
    QTest::newRow("object permissions") << u"LiteLLM_ObjectPermissionTable"_s << 1;
    QTest::newRow("proxy models") << u"LiteLLM_ProxyModelTable"_s << 5;
    QTest::newRow("access groups") << u"LiteLLM_AccessGroupTable"_s << 2;
    QTest::newRow("projects") << u"LiteLLM_ProjectTable"_s << 1;
    QTest::newRow("audit") << u"LiteLLM_AuditLog"_s << 3;
    QTest::newRow("config") << u"LiteLLM_Config"_s << 2;
}

void TestPgCluster::seedRowCounts() {
    QFETCH(QString, table);
    QFETCH(int, rows);
    const QString sql = u"SELECT count(*) FROM \""_s + table + u"\";"_s;
    QString out;
    PG_QUERY(kNewestDb, sql, out);
    QCOMPARE(out.toInt(), rows);
    PG_QUERY(kPreDb, sql, out);
    QCOMPARE(out.toInt(), rows);
}

void TestPgCluster::seedMembershipIsConsistent() {
    // members_with_roles (array or '{}') vs UserTable.teams vs TeamMembership.
    const QString members =
        u"WITH mwr AS (SELECT t.team_id, m->>'user_id' AS user_id FROM \"LiteLLM_TeamTable\" t"
        u" CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(t.members_with_roles)"
        u" = 'array' THEN t.members_with_roles ELSE '[]'::jsonb END) m),"
        u" ut AS (SELECT unnest(coalesce(teams, '{}')) AS team_id, user_id"
        u" FROM \"LiteLLM_UserTable\"),"
        u" tm AS (SELECT team_id, user_id FROM \"LiteLLM_TeamMembership\") "_s;
    for (const QString& database : {kNewestDb, kPreDb}) {
        QString out;
        PG_QUERY(database,
                 members +
                     u"SELECT (SELECT count(*) FROM (SELECT * FROM mwr EXCEPT SELECT * FROM ut)"
                     u" a), (SELECT count(*) FROM (SELECT * FROM ut EXCEPT SELECT * FROM mwr) b),"
                     u" (SELECT count(*) FROM (SELECT * FROM tm EXCEPT SELECT * FROM mwr) c),"
                     u" (SELECT count(*) FROM (SELECT * FROM mwr EXCEPT SELECT * FROM tm) d),"
                     u" (SELECT count(*) FROM mwr);"_s,
                 out);
        // in sync | in sync | no orphan rows | 4 members without a row | 10 members in total
        QCOMPARE(out, u"0|0|0|4|10"_s);

        // Two members share Search Platform's default member budget row.
        PG_QUERY(database,
                 u"SELECT string_agg(m.user_id, ',' ORDER BY m.user_id) FROM"
                 u" \"LiteLLM_TeamMembership\" m JOIN \"LiteLLM_TeamTable\" t USING (team_id)"
                 u" WHERE m.budget_id = t.metadata->>'team_member_budget_id';"_s,
                 out);
        QCOMPARE(out, u"erin@example.org,svc-nightly-batch"_s);
        // Every org has its budget row; the aliases row hangs off ML Research.
        PG_QUERY(database,
                 u"SELECT (SELECT count(*) FROM \"LiteLLM_OrganizationTable\" o JOIN"
                 u" \"LiteLLM_BudgetTable\" b USING (budget_id)), (SELECT m.aliases->>'fast' FROM"
                 u" \"LiteLLM_TeamTable\" t JOIN \"LiteLLM_ModelTable\" m ON m.id = t.model_id);"_s,
                 out);
        QCOMPARE(out, u"2|gpt-4o-mini"_s);
    }
}

void TestPgCluster::seedKeysMatchTheirRawKeys() {
    QStringList values;
    for (const QString& raw : kSeedRawKeys)
        values.append(u"('"_s + raw + u"')"_s);
    const QString sql =
        u"SELECT count(*) FROM (VALUES "_s + values.join(u", "_s) +
        u") AS r(raw) JOIN \"LiteLLM_VerificationToken\" k ON k.token ="
        u" encode(sha256(convert_to(r.raw, 'UTF8')), 'hex') AND k.key_name = 'sk-...' ||"
        u" right(r.raw, 4);"_s;
    QString out;
    PG_QUERY(kNewestDb, sql, out);
    QCOMPARE(out.toInt(), int(kSeedRawKeys.size()));
    PG_QUERY(kPreDb, sql, out);
    QCOMPARE(out.toInt(), int(kSeedRawKeys.size()));
}

void TestPgCluster::seedEdgeCases() {
    QString out;
    PG_QUERY(kPreDb,
             u"SELECT (SELECT count(*) FROM \"LiteLLM_VerificationToken\" WHERE models IS NULL),"
             u" (SELECT count(*) FROM \"LiteLLM_VerificationToken\" WHERE blocked IS NULL),"
             u" (SELECT count(*) FROM \"LiteLLM_VerificationToken\" WHERE blocked),"
             u" (SELECT count(*) FROM \"LiteLLM_VerificationToken\" WHERE team_id IS NULL),"
             u" (SELECT team_id FROM \"LiteLLM_TeamTable\" WHERE blocked),"
             u" (SELECT team_id FROM \"LiteLLM_TeamTable\" WHERE"
             u" jsonb_typeof(members_with_roles) = 'object'),"
             u" (SELECT team_id FROM \"LiteLLM_TeamTable\" WHERE access_group_ids <> '{}'),"
             u" (SELECT count(*) FROM \"LiteLLM_TeamMembership\" WHERE budget_id IS NULL);"_s,
             out);
    QCOMPARE(out, u"1|1|1|2|team-legacy-sandbox|team-legacy-sandbox|team-support-bots|1"_s);

    // The double-encoded audit row, the BYOK model and the alias sequence.
    PG_QUERY(kPreDb,
             u"SELECT (SELECT jsonb_array_length((updated_values #>> '{}')::jsonb -> 'models')"
             u" FROM \"LiteLLM_AuditLog\" WHERE jsonb_typeof(updated_values) = 'string'),"
             u" (SELECT model_info->>'team_public_model_name' FROM \"LiteLLM_ProxyModelTable\""
             u" WHERE model_info ? 'team_id'),"
             u" (SELECT last_value || ',' || is_called FROM \"LiteLLM_ModelTable_id_seq\");"_s,
             out);
    QCOMPARE(out, u"3|search-rerank|2,false"_s);
}

void TestPgCluster::seedScopes() {
    QString out;
    PG_QUERY(kNewestDb,
             u"SELECT string_agg(budget_id || '=' || array_to_string(allowed_models, '+'), ','"
             u" ORDER BY budget_id) FROM \"LiteLLM_BudgetTable\" WHERE allowed_models <> '{}';"_s,
             out);
    QCOMPARE(out, u"budget-ml-bob=gpt-4o,budget-ml-dave=beta-models,"
                  u"budget-search-member-default=gpt-4o-mini"_s);
    PG_QUERY(kNewestDb,
             u"SELECT string_agg(team_id || '=' || array_to_string(default_team_member_models,"
             u" '+'), ',' ORDER BY team_id) FROM \"LiteLLM_TeamTable\" WHERE"
             u" default_team_member_models <> '{}';"_s,
             out);
    QCOMPARE(out, u"e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55=gpt-4o-mini+text-embedding-3-small,"
                  u"team-ml-research=gpt-4o"_s);
    PG_QUERY(kNewestDb,
             u"SELECT (SELECT count(*) FROM \"LiteLLM_TeamMembership\" WHERE total_spend <"
             u" spend + 10), (SELECT jsonb_array_length(budget_limits) FROM \"LiteLLM_TeamTable\""
             u" WHERE team_id = 'team-ml-research'), (SELECT count(*) FROM"
             u" \"LiteLLM_VerificationToken\" WHERE budget_fallbacks IS NOT NULL);"_s,
             out);
    QCOMPARE(out, u"0|2|0"_s);
}

void TestPgCluster::seedScopesFailOnPreMemberScopeLevel() {
    QString error;
    QVERIFY(!m_cluster->runSqlFile(kPreDb, dataFile(u"litellm-seed-scopes.sql"_s), &error));
    QVERIFY2(error.contains(u"column \"allowed_models\" of relation \"LiteLLM_BudgetTable\" does"
                            u" not exist"_s),
             qPrintable(error));
}

void TestPgCluster::secondClusterRunsAlongside() {
    QString error;
    auto second = PgCluster::start(&error);
    QVERIFY2(second, qPrintable(error));
    QVERIFY(second->port() != m_cluster->port());
    QVERIFY(second->directory() != m_cluster->directory());
    QString out;
    QVERIFY2(second->runSql(u"postgres"_s, u"SELECT count(*) FROM pg_database;"_s, &error, &out),
             qPrintable(error));
    QCOMPARE(out, u"3"_s); // postgres, template0, template1
}

void TestPgCluster::startRetriesWhenThePortIsTaken() {
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const int taken = squatter.serverPort();
    qputenv("LITESCOPE_PGCLUSTER_FIRST_PORT", QByteArray::number(taken));
    auto restore = qScopeGuard([] { qunsetenv("LITESCOPE_PGCLUSTER_FIRST_PORT"); });

    QString error;
    auto cluster = PgCluster::start(&error);
    QVERIFY2(cluster, qPrintable(error));
    QVERIFY(cluster->port() != taken);
    QVERIFY2(cluster->serverLog().contains(u"could not create any TCP/IP sockets"_s),
             "the first attempt should have failed on the taken port");
    QString out;
    QVERIFY2(cluster->runSql(u"postgres"_s, u"SELECT current_setting('port');"_s, &error, &out),
             qPrintable(error));
    QCOMPARE(out.toInt(), cluster->port());
}

void TestPgCluster::serverIsGoneAfterDestruction() {
    const int port = m_cluster->port();
    const qint64 pid = m_cluster->serverPid();
    const QString directory = m_cluster->directory();
    QVERIFY(!portRefusesConnections(port));

    QElapsedTimer timer;
    timer.start();
    m_cluster.reset();
    qInfo("cluster stopped and removed in %lld ms", timer.elapsed());

    QVERIFY(!processAlive(pid));
    QVERIFY(!QFileInfo::exists(directory));
    QVERIFY(portRefusesConnections(port));
    QVERIFY(portIsFree(port));
    // The watchdog notices the stopped server within about a second and exits.
    QVERIFY2(waitFor([&] { return processesMentioning(directory).isEmpty(); }, 5000),
             "a process mentioning the cluster directory survived");
}

void TestPgCluster::serverIsGoneAfterTestProcessIsKilled() {
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LITESCOPE_PGCLUSTER_CHILD"_s, u"1"_s);
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForStarted(10000));
    QElapsedTimer timer;
    timer.start();
    while (!child.canReadLine() && timer.elapsed() < PgCluster::startTimeoutMs &&
           child.state() == QProcess::Running)
        child.waitForReadyRead(1000);
    QVERIFY2(child.canReadLine(), child.readAllStandardError().constData());
    const QStringList fields = QString::fromUtf8(child.readLine()).trimmed().split(u' ');
    QCOMPARE(fields.size(), 3);
    const int port = fields.at(0).toInt();
    const qint64 pid = fields.at(1).toLongLong();
    const QString directory = fields.at(2);
    QVERIFY(processAlive(pid));
    QVERIFY(!portRefusesConnections(port));

    child.kill(); // SIGKILL: no destructor runs, only the watchdog can clean up
    QVERIFY(child.waitForFinished(10000));
    timer.restart();
    QVERIFY2(waitFor([&] { return !processAlive(pid) && !QFileInfo::exists(directory); }, 20000),
             "the watchdog did not stop the orphaned server");
    qInfo("orphaned cluster stopped by the watchdog after %lld ms", timer.elapsed());
    QVERIFY(portRefusesConnections(port));
    QVERIFY(waitFor([&] { return processesMentioning(directory).isEmpty(); }, 5000));
}

void TestPgCluster::cleanupTestCase() {
    m_cluster.reset();
}

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("LITESCOPE_PGCLUSTER_CHILD"))
        return runChild();
    TestPgCluster test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_pgcluster.moc"
