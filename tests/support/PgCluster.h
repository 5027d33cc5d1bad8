#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryDir;

namespace litescope::test {

// A throwaway PostgreSQL 15 cluster owned by one test process.
//
// start() creates a temporary directory, runs initdb (trust auth, UTF8, C.UTF-8) and starts the
// server on a random free port of 127.0.0.1 with its unix socket in that directory. When the test
// runs as root, the directory is chowned to `postgres` and initdb/pg_ctl run through
// `runuser -u postgres --`; as a normal user they run directly. psql always runs as the current
// user and connects over TCP as the `postgres` role (trust auth, no password).
//
// The destructor stops the server (`pg_ctl stop -m immediate`, then SIGQUIT/SIGKILL to the
// postmaster if that failed) and removes the directory, also after a partial start. A detached
// watchdog shell does the same if the test process dies without running the destructor (crash,
// SIGKILL, CTest timeout), so no postgres process outlives the test process for more than ~1 s.
//
// Environment: LITESCOPE_PG_BINDIR overrides /usr/lib/postgresql/15/bin;
// LITESCOPE_PGCLUSTER_FIRST_PORT forces the port of the first start attempt (a test hook for the
// retry on a taken port). The caller's PG* variables are not passed to initdb, pg_ctl or psql.
class PgCluster {
public:
    // Returns nullptr and sets *error (if given) when the cluster could not be started.
    static std::unique_ptr<PgCluster> start(QString* error);

    ~PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    int port() const { return m_port; }
    QString host() const;
    // postgresql://postgres@127.0.0.1:PORT/DATABASE
    QString uri(const QString& database) const;
    // host=127.0.0.1 port=PORT dbname=DATABASE user=postgres
    QString keyValue(const QString& database) const;

    // The postmaster's process id (from postmaster.pid), or 0 if not running.
    qint64 serverPid() const { return m_serverPid; }
    // The temporary directory holding the data directory, the socket and the server log.
    QString directory() const;
    // The server log so far (useful in failure messages).
    QString serverLog() const;

    // CREATE DATABASE "name" (name is quoted as an identifier).
    bool createDatabase(const QString& name, QString* error);

    // Runs `sql` through psql (-v ON_ERROR_STOP=1 -X -q, unaligned tuples-only output). Returns
    // false and psql's stderr in *error on failure. *output receives psql's stdout: one line per
    // row, fields separated by '|', NULL as the empty string, trailing newline removed.
    bool runSql(const QString& database, const QString& sql, QString* error,
                QString* output = nullptr);
    // Same for a file (psql -f path).
    bool runSqlFile(const QString& database, const QString& path, QString* error,
                    QString* output = nullptr);

    // Timeouts of the child processes (initdb/pg_ctl start: 60 s; pg_ctl stop: 30 s).
    static constexpr int startTimeoutMs = 60000;
    static constexpr int stopTimeoutMs = 30000;
    static constexpr int sqlTimeoutMs = 120000;

private:
    PgCluster();

    struct Result {
        bool ok = false;
        int exitCode = -1;
        QString out;
        QString err;
    };

    bool init(QString* error);
    bool startServer(QString* error, bool* portTaken, int forcedPort);
    void stopServer();
    void startWatchdog();
    Result runServerTool(const QString& tool, const QStringList& arguments, int timeoutMs) const;
    Result runPsql(const QString& database, const QStringList& extraArguments,
                   const QByteArray& input) const;
    qint64 readPostmasterPid() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_dataDir;
    QString m_logFile;
    QProcessEnvironment m_env;
    bool m_asRoot = false;
    bool m_initialized = false;
    int m_port = 0;
    qint64 m_serverPid = 0;
};

} // namespace litescope::test
