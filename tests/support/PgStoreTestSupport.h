#pragma once

// Shared by the PgStore suites (tst_pgstore_read, _write, _members, _failures, _hostile): the
// cluster, templates, seed ids and psql helpers of support/PgTestDatabase.h, plus what only the
// store suites need (stores on a test database, error kinds, members as lines, a psql session that
// holds locks, and for the write suites: audited edits and the membership rows as psql prints
// them).
#include "store/pg/PgStore.h"
#include "support/AwaitTask.h"
#include "support/PgTestDatabase.h"
#include "support/StoreTestSupport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <memory>
#include <optional>
#include <type_traits>

namespace litescope::test {

using namespace Qt::StringLiterals;

// The cluster and the two template databases of one PgStore test executable.
class PgStoreFixture : public PgTestFixture {
public:
    std::unique_ptr<PgStore> store(const QString& database, bool readOnly = false,
                                   const QString& actor = u"default_user_id"_s) {
        PgConnectionOptions options;
        options.connectionString = uri(database);
        options.readOnly = readOnly;
        options.actor = actor;
        return std::make_unique<PgStore>(options);
    }

    // The team row (row_to_json) as LiteLLM's audit code sees it.
    QJsonObject teamRow(const QString& database, const QString& teamId) {
        return json(database,
                    u"SELECT row_to_json(t) FROM \"LiteLLM_TeamTable\" t WHERE team_id = '"_s +
                        teamId + u"';"_s);
    }
    QJsonObject keyRow(const QString& database, const QString& token) {
        return json(
            database,
            u"SELECT row_to_json(k) FROM \"LiteLLM_VerificationToken\" k WHERE token = '"_s +
                token + u"';"_s);
    }
};

// psql from the same installation as the cluster's server.
inline QString psqlProgram() {
    QString bin = qEnvironmentVariable("LITESCOPE_PG_BINDIR");
    if (bin.isEmpty()) {
        bin = u"/usr/lib/postgresql/15/bin"_s;
        if (!QFileInfo::exists(bin + u"/psql"_s)) {
            QStringList versions =
                QDir(u"/usr/lib/postgresql"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
            std::sort(versions.begin(), versions.end(),
                      [](const QString& a, const QString& b) { return a.toInt() > b.toInt(); });
            bin = versions.isEmpty() ? QString()
                                     : u"/usr/lib/postgresql/"_s + versions.front() + u"/bin"_s;
        }
    }
    return bin.isEmpty() ? u"psql"_s : bin + u"/psql"_s;
}

// A psql session kept open in the background (to hold locks): statements are sent one by one and
// stay in the session's transaction until finish().
class PsqlSession {
public:
    PsqlSession(PgCluster& cluster, const QString& database, const QString& applicationName)
        : m_cluster(cluster)
        , m_database(database)
        , m_applicationName(applicationName) {}
    ~PsqlSession() { finish(); }

    bool start(QString* error) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& name : env.keys())
            if (name.startsWith(u"PG"_s))
                env.remove(name);
        env.insert(u"PGAPPNAME"_s, m_applicationName);
        m_process.setProcessEnvironment(env);
        m_process.setProgram(psqlProgram());
        m_process.setArguments({u"-X"_s, u"-q"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-h"_s,
                                m_cluster.host(), u"-p"_s, QString::number(m_cluster.port()),
                                u"-U"_s, u"postgres"_s, u"-d"_s, m_database});
        m_process.start();
        if (!m_process.waitForStarted(10000)) {
            *error = m_process.errorString();
            return false;
        }
        return true;
    }

    void send(const QString& statements) {
        m_process.write(statements.toUtf8() + "\n");
        m_process.waitForBytesWritten(5000);
    }

    // Waits until the session sits idle inside its open transaction (its statements are done).
    bool waitIdleInTransaction(QString* error) {
        for (int i = 0; i < 200; ++i) {
            QString out;
            if (!m_cluster.runSql(m_database,
                                  u"SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                  u"current_database() AND application_name"
                                  u" = '"_s +
                                      m_applicationName + u"' AND state = 'idle in transaction';"_s,
                                  error, &out))
                return false;
            if (out == u"1"_s)
                return true;
            if (m_process.state() != QProcess::Running) {
                *error = QString::fromUtf8(m_process.readAllStandardError());
                return false;
            }
            QTest::qWait(50);
        }
        *error = u"the psql session never became idle in transaction: "_s +
                 QString::fromUtf8(m_process.readAllStandardError());
        return false;
    }

    // Rolls back and quits.
    void finish() {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.write("ROLLBACK;\n\\q\n");
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(10000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

private:
    PgCluster& m_cluster;
    QString m_database;
    QString m_applicationName;
    QProcess m_process;
};

// ---- The write suites (tst_pgstore_write, tst_pgstore_members) ----------------------------------

// The actor the write suites edit as.
inline const QString WriteActor = u"litescope-test-admin"_s;

// A budget row as psql prints it: max_budget|soft_budget|max_parallel_requests|tpm|rpm|
// model_max_budget|budget_duration|budget_reset_at|created_by|updated_by|allowed_models.
inline QString budgetSql(const QString& where) {
    return u"SELECT max_budget, soft_budget, max_parallel_requests, tpm_limit, rpm_limit, "
           u"model_max_budget::text, budget_duration, budget_reset_at, created_by, updated_by, "
           u"array_to_json(allowed_models) FROM \"LiteLLM_BudgetTable\" WHERE "_s +
           where + u';';
}

inline QString budgetById(const QString& id) {
    return budgetSql(u"budget_id = '"_s + id + u'\'');
}

inline QString budgetOf(const QString& team, const QString& user) {
    return budgetSql(u"budget_id = (SELECT budget_id FROM \"LiteLLM_TeamMembership\" WHERE "
                     u"team_id = '"_s +
                     team + u"' AND user_id = '"_s + user + u"')"_s);
}

// budget_id|spend|total_spend of a membership row (empty output: no row).
inline QString membershipSql(const QString& team, const QString& user) {
    return u"SELECT budget_id, spend, total_spend FROM \"LiteLLM_TeamMembership\" WHERE "
           u"team_id = '"_s +
           team + u"' AND user_id = '"_s + user + u"';"_s;
}

inline QString userSql(const QString& user) {
    return u"SELECT user_role, array_to_json(teams), user_email, array_to_json(models) FROM "
           u"\"LiteLLM_UserTable\" WHERE user_id = '"_s +
           user + u"';"_s;
}

inline QString rosterEntrySql(const QString& team, int index) {
    return u"SELECT (members_with_roles->"_s + QString::number(index) +
           u")::text FROM \"LiteLLM_TeamTable\" WHERE team_id = '"_s + team + u"';"_s;
}

inline const QString BudgetCount = u"SELECT count(*) FROM \"LiteLLM_BudgetTable\";"_s;

// Applies `edit` with a fresh store on `database` acting as WriteActor and checks it succeeded
// with its audit row; the outcome in *outcome.
inline void applyWrite(PgStoreFixture& pg, const QString& database, const StoreEdit& edit,
                       EditOutcome* outcome = nullptr) {
    auto store = pg.store(database, false, WriteActor);
    const Result<EditOutcome> result = awaitTask(store->apply(edit));
    VERIFY_SUCCEEDS(result);
    QVERIFY(result->auditLogged);
    if (outcome)
        *outcome = *result;
}

// The one audit row written since the last call, with LiteLLM's team/key edit shape. teamAlias:
// the expected object_team_alias (nullopt: not checked).
inline void checkOneAudit(PgStoreFixture& pg, const QString& database, const QString& action,
                          const QString& table, const QString& objectId, const QJsonObject& before,
                          const QJsonObject& after, const QString& teamId,
                          const std::optional<QString>& teamAlias) {
    const QList<QJsonObject> rows = pg.takeAudit(database);
    QCOMPARE(rows.size(), 1);
    const QJsonObject row = rows[0];
    QCOMPARE(row.value(u"action"_s).toString(), action);
    QCOMPARE(row.value(u"table_name"_s).toString(), table);
    QCOMPARE(row.value(u"object_id"_s).toString(), objectId);
    QCOMPARE(row.value(u"changed_by"_s).toString(), WriteActor);
    QCOMPARE(row.value(u"changed_by_api_key"_s).toString(), QString());
    QVERIFY(!QUuid::fromString(row.value(u"id"_s).toString()).isNull());
    QCOMPARE(row.value(u"before_value"_s).toObject(), before);
    QCOMPARE(row.value(u"updated_values"_s).toObject(), after);
    // The newer columns LiteLLM stamps at write time, when the table has them.
    if (teamId.isEmpty())
        QVERIFY(row.value(u"object_team_id"_s).isNull());
    else
        QCOMPARE(row.value(u"object_team_id"_s).toString(), teamId);
    if (teamAlias)
        QCOMPARE(row.value(u"object_team_alias"_s).toString(), *teamAlias);
    const QString recent =
        pg.sql(database, u"SELECT timestamp '"_s + row.value(u"updated_at"_s).toString() +
                             u"' > timezone('UTC', now()) - interval '5 minutes';"_s);
    QCOMPARE(recent, u"t"_s);
}

} // namespace litescope::test
