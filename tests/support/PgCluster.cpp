#include "support/PgCluster.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>
#include <utility>

using namespace Qt::StringLiterals;

namespace litescope::test {

namespace {

constexpr int kMaxPortAttempts = 5;
// sockaddr_un.sun_path is 108 bytes on Linux, including the terminating NUL.
constexpr qsizetype kMaxSocketPath = 107;

QString pgBinDir() {
    const QString overridden = qEnvironmentVariable("LITESCOPE_PG_BINDIR");
    if (!overridden.isEmpty())
        return overridden;
    const QString preferred = u"/usr/lib/postgresql/15/bin"_s;
    if (QFileInfo::exists(preferred + u"/initdb"_s))
        return preferred;
    // Fall back to the newest installed major version.
    QDir root(u"/usr/lib/postgresql"_s);
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
              [](const QString& a, const QString& b) { return a.toInt() > b.toInt(); });
    for (const QString& version : versions) {
        const QString dir = root.filePath(version) + u"/bin"_s;
        if (QFileInfo::exists(dir + u"/initdb"_s))
            return dir;
    }
    return preferred;
}

QString psqlPath() {
    const QString inBinDir = pgBinDir() + u"/psql"_s;
    if (QFileInfo::exists(inBinDir))
        return inBinDir;
    return u"/usr/bin/psql"_s;
}

QString runuserPath() {
    for (const QString& candidate :
         {u"/usr/sbin/runuser"_s, u"/sbin/runuser"_s, u"/usr/bin/runuser"_s, u"/bin/runuser"_s}) {
        if (QFileInfo::exists(candidate))
            return candidate;
    }
    return u"runuser"_s;
}

// True if `pid` names a live process (a zombie counts as gone).
bool processAlive(qint64 pid) {
    if (pid <= 0)
        return false;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
        return false;
    QFile stat(u"/proc/"_s + QString::number(pid) + u"/stat"_s);
    if (!stat.open(QIODevice::ReadOnly))
        return true; // no procfs: trust kill()
    const QByteArray text = stat.readAll();
    // Format: "pid (comm) S ..."; comm may contain spaces and parentheses.
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0 || close + 2 >= text.size())
        return true;
    const char state = text.at(close + 2);
    return state != 'Z' && state != 'X';
}

bool waitUntilGone(qint64 pid, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (processAlive(pid)) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(20);
    }
    return true;
}

// Environment for every child process: English messages, UTF-8, and none of the caller's PG*
// variables (PGHOST, PGOPTIONS, PGSERVICE, ... would change what psql connects to).
QProcessEnvironment childEnvironment() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QStringList keys = env.keys();
    for (const QString& key : keys) {
        if (key.startsWith(u"PG"_s) || key.startsWith(u"LC_"_s))
            env.remove(key);
    }
    env.insert(u"LANG"_s, u"C.UTF-8"_s);
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    env.insert(u"PGCLIENTENCODING"_s, u"UTF8"_s);
    env.insert(u"PGCONNECT_TIMEOUT"_s, u"10"_s);
    return env;
}

// Runs a process to completion with a timeout; kills it if it overruns.
struct ProcessOutcome {
    bool started = false;
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

ProcessOutcome runProcess(const QString& program, const QStringList& arguments,
                          const QProcessEnvironment& env, const QByteArray& input, int timeoutMs) {
    ProcessOutcome outcome;
    QProcess process;
    process.setProcessEnvironment(env);
    process.setProgram(program);
    process.setArguments(arguments);
    process.start();
    if (!process.waitForStarted(10000)) {
        outcome.err = process.errorString().toUtf8();
        return outcome;
    }
    outcome.started = true;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    outcome.finished = process.waitForFinished(timeoutMs);
    if (!outcome.finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    outcome.out = process.readAllStandardOutput();
    outcome.err = process.readAllStandardError();
    if (outcome.finished && process.exitStatus() == QProcess::NormalExit)
        outcome.exitCode = process.exitCode();
    return outcome;
}

QString describeFailure(const QString& what, const ProcessOutcome& outcome, int timeoutMs) {
    if (!outcome.started)
        return what + u": could not start: "_s + QString::fromUtf8(outcome.err);
    QString message = what;
    if (!outcome.finished)
        message += u": timed out after "_s + QString::number(timeoutMs / 1000) + u" s"_s;
    else
        message += u": exit code "_s + QString::number(outcome.exitCode);
    const QString err = QString::fromUtf8(outcome.err).trimmed();
    const QString out = QString::fromUtf8(outcome.out).trimmed();
    if (!err.isEmpty())
        message += u"\n"_s + err;
    if (!out.isEmpty())
        message += u"\n"_s + out;
    return message;
}

int pickFreePort() {
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const int port = server.serverPort();
    server.close();
    return port;
}

QString quoteIdentifier(const QString& name) {
    QString quoted = name;
    quoted.replace(u'"', u"\"\""_s);
    return u"\""_s + quoted + u"\""_s;
}

void setError(QString* error, const QString& message) {
    if (error)
        *error = message;
}

// Shell script of the watchdog: $1 = pid of the test process, $2 = data directory, $3 = the
// temporary directory. It waits while the test process lives and the server runs.
// If the test process disappears while postmaster.pid still exists, it stops the postmaster
// (SIGQUIT = immediate shutdown, SIGKILL after 10 s) and removes the directory.
// Polls every 0.5 s.
QString watchdogScript() {
    // alive PID: the process exists and is not a zombie (kill -0 succeeds on zombies).
    return u"alive() {\n"
           u"  if [ -r /proc/self/stat ]; then\n"
           u"    s=$(cat \"/proc/$1/stat\" 2>/dev/null) || return 1\n"
           u"    case \"$s\" in *') Z '*|*') X '*|'') return 1 ;; esac\n"
           u"    return 0\n"
           u"  fi\n"
           u"  kill -0 \"$1\" 2>/dev/null\n"
           u"}\n"
           u"while alive \"$1\" && [ -f \"$2/postmaster.pid\" ]; do sleep 0.5; done\n"
           u"[ -f \"$2/postmaster.pid\" ] || exit 0\n"
           u"pm=$(head -n 1 \"$2/postmaster.pid\" 2>/dev/null)\n"
           u"case \"$pm\" in ''|*[!0-9]*) exit 0 ;; esac\n"
           u"kill -QUIT \"$pm\" 2>/dev/null\n"
           u"i=0\n"
           u"while [ $i -lt 50 ] && alive \"$pm\"; do sleep 0.2; i=$((i+1)); done\n"
           u"if alive \"$pm\"; then kill -KILL \"$pm\" 2>/dev/null; sleep 0.5; fi\n"
           u"rm -rf \"$3\"\n"_s;
}

} // namespace

PgCluster::PgCluster()
    : m_env(childEnvironment())
    , m_asRoot(::geteuid() == 0) {}

PgCluster::~PgCluster() {
    stopServer();
    // m_dir's destructor removes the directory (root may remove files owned by postgres).
}

QString PgCluster::host() const {
    return u"127.0.0.1"_s;
}

QString PgCluster::uri(const QString& database) const {
    return u"postgresql://postgres@127.0.0.1:"_s + QString::number(m_port) + u"/"_s + database;
}

QString PgCluster::keyValue(const QString& database) const {
    return u"host=127.0.0.1 port="_s + QString::number(m_port) + u" dbname="_s + database +
           u" user=postgres"_s;
}

QString PgCluster::directory() const {
    return m_dir ? m_dir->path() : QString();
}

QString PgCluster::serverLog() const {
    QFile log(m_logFile);
    if (m_logFile.isEmpty() || !log.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(log.readAll());
}

std::unique_ptr<PgCluster> PgCluster::start(QString* error) {
    std::unique_ptr<PgCluster> cluster(new PgCluster);
    QString message;
    if (!cluster->init(&message)) {
        setError(error, message);
        return nullptr; // the destructor removes what init() created
    }
    // Test hook: LITESCOPE_PGCLUSTER_FIRST_PORT forces the port of the first attempt, so a test
    // can occupy it and watch start() retry on another one.
    const int firstPort = qEnvironmentVariableIntValue("LITESCOPE_PGCLUSTER_FIRST_PORT");
    for (int attempt = 1; attempt <= kMaxPortAttempts; ++attempt) {
        bool portTaken = false;
        if (cluster->startServer(&message, &portTaken, attempt == 1 ? firstPort : 0)) {
            cluster->startWatchdog();
            return cluster;
        }
        if (!portTaken)
            break;
        message =
            u"port still taken after "_s + QString::number(attempt) + u" attempt(s): "_s + message;
    }
    setError(error, message);
    return nullptr;
}

bool PgCluster::init(QString* error) {
    // The socket lives in the temporary directory: its path must fit into sun_path.
    const QString suffix = u"/litescope-pg-XXXXXX"_s;
    const qsizetype socketTail = QStringView(u"/.s.PGSQL.65535").size();
    QStringList bases{QDir::tempPath()};
    if (bases.constFirst() != u"/tmp"_s)
        bases.append(u"/tmp"_s);
    for (const QString& base : std::as_const(bases)) {
        if (base.toUtf8().size() + suffix.size() + socketTail > kMaxSocketPath)
            continue;
        auto dir = std::make_unique<QTemporaryDir>(base + suffix);
        if (!dir->isValid())
            continue;
        if (m_asRoot) {
            const passwd* pw = ::getpwnam("postgres");
            if (!pw) {
                setError(error, u"running as root but there is no 'postgres' user"_s);
                return false;
            }
            if (::chown(QFile::encodeName(dir->path()).constData(), pw->pw_uid, pw->pw_gid) != 0) {
                setError(error, u"chown postgres "_s + dir->path() + u" failed"_s);
                return false;
            }
            // postgres must be able to reach the directory (a root-only TMPDIR would fail).
            const ProcessOutcome check = runProcess(
                runuserPath(), {u"-u"_s, u"postgres"_s, u"--"_s, u"test"_s, u"-w"_s, dir->path()},
                m_env, {}, 10000);
            if (check.exitCode != 0)
                continue;
        }
        m_dir = std::move(dir);
        break;
    }
    if (!m_dir) {
        setError(error, u"could not create a temporary directory usable for PostgreSQL"_s);
        return false;
    }
    if (m_dir->path().contains(u'\'')) {
        setError(error, u"temporary directory path contains a quote: "_s + m_dir->path());
        return false;
    }
    m_dataDir = m_dir->path() + u"/data"_s;
    m_logFile = m_dir->path() + u"/postgres.log"_s;

    const Result initdb =
        runServerTool(u"initdb"_s,
                      {u"-D"_s, m_dataDir, u"-A"_s, u"trust"_s, u"-E"_s, u"UTF8"_s,
                       u"--locale=C.UTF-8"_s, u"-U"_s, u"postgres"_s, u"--no-sync"_s},
                      startTimeoutMs);
    // From here on the destructor tries `pg_ctl stop`, whatever happened.
    m_initialized = true;
    if (!initdb.ok) {
        setError(error, initdb.err);
        return false;
    }
    return true;
}

bool PgCluster::startServer(QString* error, bool* portTaken, int forcedPort) {
    *portTaken = false;
    const int port = forcedPort > 0 ? forcedPort : pickFreePort();
    if (port <= 0) {
        setError(error, u"could not find a free TCP port on 127.0.0.1"_s);
        return false;
    }
    const qint64 logOffset = QFileInfo(m_logFile).size();
    const QString options =
        u"-p "_s + QString::number(port) + u" -k '"_s + m_dir->path() +
        u"' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
        u" -c full_page_writes=off"_s;
    const Result started =
        runServerTool(u"pg_ctl"_s,
                      {u"-D"_s, m_dataDir, u"-l"_s, m_logFile, u"-w"_s, u"-t"_s,
                       QString::number(startTimeoutMs / 1000), u"-o"_s, options, u"start"_s},
                      startTimeoutMs + 10000);
    if (started.ok) {
        m_port = port;
        m_serverPid = readPostmasterPid();
        return true;
    }
    QByteArray logBytes;
    if (QFile logFile(m_logFile); logFile.open(QIODevice::ReadOnly))
        logBytes = logFile.readAll();
    const QString log = QString::fromUtf8(logBytes.mid(std::min(logOffset, logBytes.size())));
    *portTaken = log.contains(u"Address already in use"_s) ||
                 log.contains(u"could not create any TCP/IP sockets"_s) ||
                 log.contains(u"could not bind IPv4 address"_s);
    // A server that came up late (pg_ctl timed out) must not keep running.
    stopServer();
    setError(error, started.err + u"\nserver log:\n"_s + log.trimmed());
    return false;
}

void PgCluster::stopServer() {
    if (!m_initialized || !QFileInfo::exists(m_dataDir + u"/PG_VERSION"_s))
        return;
    const qint64 pid = m_serverPid > 0 ? m_serverPid : readPostmasterPid();
    runServerTool(u"pg_ctl"_s,
                  {u"-D"_s, m_dataDir, u"-m"_s, u"immediate"_s, u"-w"_s, u"-t"_s,
                   QString::number(stopTimeoutMs / 1000), u"stop"_s},
                  stopTimeoutMs + 5000);
    if (pid > 0 && processAlive(pid)) {
        ::kill(static_cast<pid_t>(pid), SIGQUIT);
        if (!waitUntilGone(pid, 10000)) {
            ::kill(static_cast<pid_t>(pid), SIGKILL);
            waitUntilGone(pid, 5000);
        }
    }
    m_serverPid = 0;
}

void PgCluster::startWatchdog() {
    QProcess watchdog;
    watchdog.setProgram(u"/bin/sh"_s);
    watchdog.setArguments({u"-c"_s, watchdogScript(), u"litescope-pg-watchdog"_s,
                           QString::number(QCoreApplication::applicationPid()), m_dataDir,
                           m_dir->path()});
    watchdog.setStandardInputFile(QProcess::nullDevice());
    watchdog.setStandardOutputFile(QProcess::nullDevice());
    watchdog.setStandardErrorFile(QProcess::nullDevice());
    watchdog.startDetached();
}

PgCluster::Result PgCluster::runServerTool(const QString& tool, const QStringList& arguments,
                                           int timeoutMs) const {
    const QString binary = pgBinDir() + u"/"_s + tool;
    QString program = binary;
    QStringList fullArguments = arguments;
    if (m_asRoot) {
        program = runuserPath();
        fullArguments = QStringList{u"-u"_s, u"postgres"_s, u"--"_s, binary} + arguments;
    }
    const ProcessOutcome outcome = runProcess(program, fullArguments, m_env, {}, timeoutMs);
    Result result;
    result.exitCode = outcome.exitCode;
    result.ok = outcome.finished && outcome.exitCode == 0;
    result.out = QString::fromUtf8(outcome.out);
    result.err =
        result.ok ? QString::fromUtf8(outcome.err) : describeFailure(tool, outcome, timeoutMs);
    return result;
}

PgCluster::Result PgCluster::runPsql(const QString& database, const QStringList& extraArguments,
                                     const QByteArray& input) const {
    QStringList arguments{u"-v"_s,
                          u"ON_ERROR_STOP=1"_s,
                          u"-X"_s,
                          u"-q"_s,
                          u"--no-align"_s,
                          u"--tuples-only"_s,
                          u"--field-separator=|"_s,
                          u"-h"_s,
                          host(),
                          u"-p"_s,
                          QString::number(m_port),
                          u"-U"_s,
                          u"postgres"_s,
                          u"-d"_s,
                          database};
    arguments += extraArguments;
    const ProcessOutcome outcome = runProcess(psqlPath(), arguments, m_env, input, sqlTimeoutMs);
    Result result;
    result.exitCode = outcome.exitCode;
    result.ok = outcome.finished && outcome.exitCode == 0;
    result.out = QString::fromUtf8(outcome.out);
    if (result.out.endsWith(u'\n'))
        result.out.chop(1);
    if (result.ok) {
        result.err = QString::fromUtf8(outcome.err);
    } else if (outcome.started && outcome.finished && !outcome.err.trimmed().isEmpty()) {
        result.err = QString::fromUtf8(outcome.err).trimmed(); // psql's own message
    } else {
        result.err = describeFailure(u"psql"_s, outcome, sqlTimeoutMs);
    }
    return result;
}

bool PgCluster::createDatabase(const QString& name, QString* error) {
    return runSql(u"postgres"_s,
                  u"CREATE DATABASE "_s + quoteIdentifier(name) +
                      u" TEMPLATE template0 ENCODING 'UTF8';"_s,
                  error);
}

bool PgCluster::runSql(const QString& database, const QString& sql, QString* error,
                       QString* output) {
    const Result result = runPsql(database, {u"-f"_s, u"-"_s}, sql.toUtf8());
    if (output)
        *output = result.out;
    if (!result.ok)
        setError(error, result.err);
    return result.ok;
}

bool PgCluster::runSqlFile(const QString& database, const QString& path, QString* error,
                           QString* output) {
    if (!QFileInfo::exists(path)) {
        setError(error, u"SQL file not found: "_s + path);
        return false;
    }
    const Result result = runPsql(database, {u"-f"_s, path}, {});
    if (output)
        *output = result.out;
    if (!result.ok)
        setError(error, result.err);
    return result.ok;
}

qint64 PgCluster::readPostmasterPid() const {
    QFile file(m_dataDir + u"/postmaster.pid"_s);
    if (m_dataDir.isEmpty() || !file.open(QIODevice::ReadOnly))
        return 0;
    return file.readLine().trimmed().toLongLong();
}

} // namespace litescope::test
