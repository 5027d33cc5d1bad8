#pragma once

// Shared by the PgStore suites (tst_pgstore_read, _write, _failures, _hostile): one
// throwaway cluster per test executable with the two LiteLLM schema levels loaded once as
// template databases, a fresh database per test function copied from them, the seed's ids, and
// psql helpers that read back exactly what the store left in the tables.
#include "store/pg/PgStore.h"
#include "support/AwaitTask.h"
#include "support/PgCluster.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>

#include <algorithm>
#include <memory>
#include <type_traits>

namespace litescope::test {

using namespace Qt::StringLiterals;

// The seed's ids (tests/data/pg/litellm-seed.sql describes them).
namespace seed {
inline const QString mlTeam = u"team-ml-research"_s;
inline const QString searchTeam = u"e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55"_s;
inline const QString supportTeam = u"team-support-bots"_s;
inline const QString legacyTeam = u"team-legacy-sandbox"_s;

inline const QString admin = u"default_user_id"_s;
inline const QString alice = u"3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11"_s;
inline const QString bob = u"8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22"_s;
inline const QString carol = u"c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33"_s;
inline const QString dave = u"dave@example.com"_s;
inline const QString erin = u"erin@example.org"_s;
inline const QString svc = u"svc-nightly-batch"_s;
inline const QString grace = u"0b7a4c1e-9d2f-4a6b-8c3e-7f5d1a2b9e44"_s;

inline const QString mlCiKey =
    u"44465249d9c3b359d4f6ac391e78673db0ae29a08fd55ba5b103d67f0d6c118c"_s;
inline const QString bobNotebookKey =
    u"a8c7025f2991964ecbccb20844098bb7a4ba9dd3c6776ea6f86833207aa1c611"_s;
inline const QString searchProdKey =
    u"98892082461ed448c607e6c4f249ea88b8e364e2f5cd9d27e40ed093f8a24d1e"_s;
inline const QString erinDevKey =
    u"685b8c2bb0b072c018d3db521313a09cf19ed47a8b79ba1fe23052f1c0298c3e"_s;
inline const QString supportBotKey =
    u"63a480f824e8d022b6ab9c3a86227a122bdf05b8b9053a92c5d3da8bba041b80"_s;
inline const QString legacyKey =
    u"9c3f96c38ffec45fc86b198ec38f39b1a60f5713e60cd3ef684662d35f5551a1"_s;
inline const QString alicePersonalKey =
    u"f0b4940653f94d4a84e01909d60e011a7fd75e97d005b79e0761770b8c528f2e"_s;
inline const QString davePersonalKey =
    u"35dfa4aa2f1c83a05dd3e42a6316d9401aec2ca1fc363e5823e70ef91ec2ba09"_s;
inline const QString davePersonalRawKey = u"sk-seed-personal-dave-Tn6b"_s;
} // namespace seed

enum class Level { Newest, PreMemberScope };

inline QString pgDataFile(const QString& name) {
    return QStringLiteral(LITESCOPE_TEST_DATA "/data/pg/") + name;
}

inline QString kindName(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::InvalidInput:
        return u"InvalidInput"_s;
    case ErrorKind::NotFound:
        return u"NotFound"_s;
    case ErrorKind::Conflict:
        return u"Conflict"_s;
    case ErrorKind::PermissionDenied:
        return u"PermissionDenied"_s;
    case ErrorKind::ConnectionLost:
        return u"ConnectionLost"_s;
    case ErrorKind::Unsupported:
        return u"Unsupported"_s;
    case ErrorKind::Io:
        return u"Io"_s;
    }
    return u"?"_s;
}

// The message of a failed result, for QVERIFY2.
template <typename T>
QByteArray failureText(const Result<T>& result) {
    return result.ok()
               ? QByteArray("ok")
               : (kindName(result.error().kind) + u": "_s + result.error().message).toUtf8();
}

// Asserts that `result` succeeded. `result` is evaluated once (it may be an awaitTask(...)).
#define PGS_VERIFY_OK(result)                                                                      \
    do {                                                                                           \
        const auto& pgsResult_ = (result);                                                         \
        QVERIFY2(pgsResult_.ok(), failureText(pgsResult_).constData());                            \
    } while (false)

// Asserts that `result` failed with `errorKind` and a message containing `text`.
#define PGS_VERIFY_ERROR(result, errorKind, text)                                                  \
    do {                                                                                           \
        const auto& pgsResult_ = (result);                                                         \
        QVERIFY2(!pgsResult_.ok(), "expected an error, the operation succeeded");                  \
        QCOMPARE(kindName(pgsResult_.error().kind), kindName(errorKind));                          \
        QVERIFY2(pgsResult_.error().message.contains(text), failureText(pgsResult_).constData());  \
    } while (false)

// The cluster and the two template databases of one test executable.
class PgStoreFixture {
public:
    // Starts the cluster and loads the templates "tmpl_newest" (newest schema + seed + scopes) and
    // "tmpl_pre" (pre-member-scope schema + seed).
    bool start(QString* error) {
        m_cluster = PgCluster::start(error);
        if (!m_cluster)
            return false;
        const struct {
            QString name;
            QStringList files;
        } templates[] = {
            {u"tmpl_newest"_s,
             {u"litellm-newest.sql"_s, u"litellm-seed.sql"_s, u"litellm-seed-scopes.sql"_s}},
            {u"tmpl_pre"_s, {u"litellm-pre-member-scope.sql"_s, u"litellm-seed.sql"_s}},
        };
        for (const auto& tmpl : templates) {
            if (!m_cluster->createDatabase(tmpl.name, error))
                return false;
            for (const QString& file : tmpl.files)
                if (!m_cluster->runSqlFile(tmpl.name, pgDataFile(file), error)) {
                    *error = file + u": "_s + *error;
                    return false;
                }
        }
        return true;
    }

    void stop() { m_cluster.reset(); }

    PgCluster& cluster() { return *m_cluster; }

    // A new database holding a copy of the seed at `level`; empty (and *error set) on failure.
    QString freshDatabase(Level level, QString* error) {
        const QString name = u"db"_s + QString::number(++m_counter);
        const QString tmpl = level == Level::Newest ? u"tmpl_newest"_s : u"tmpl_pre"_s;
        if (!m_cluster->runSql(
                u"postgres"_s,
                u"CREATE DATABASE \""_s + name + u"\" TEMPLATE \""_s + tmpl + u"\";"_s, error))
            return {};
        return name;
    }

    // An empty database (no LiteLLM tables).
    QString emptyDatabase(QString* error) {
        const QString name = u"empty"_s + QString::number(++m_counter);
        return m_cluster->createDatabase(name, error) ? name : QString();
    }

    std::unique_ptr<PgStore> store(const QString& database, bool readOnly = false,
                                   const QString& actor = u"default_user_id"_s) {
        PgConnectionOptions options;
        options.connectionString = m_cluster->uri(database);
        options.readOnly = readOnly;
        options.actor = actor;
        return std::make_unique<PgStore>(options);
    }

    // psql's output (rows on lines, fields separated by '|', NULL empty), or "SQL ERROR: …" so that
    // a QCOMPARE against the expected rows shows what went wrong.
    QString sql(const QString& database, const QString& text) {
        QString error;
        QString output;
        if (!m_cluster->runSql(database, text, &error, &output))
            return u"SQL ERROR: "_s + error;
        return output;
    }

    // The JSON object psql prints for a query returning one json/jsonb value (NULL: empty object).
    QJsonObject json(const QString& database, const QString& text) {
        const QString out = sql(database, text);
        if (out.startsWith(u"SQL ERROR: "_s))
            return QJsonObject{{u"SQL ERROR"_s, out}};
        return QJsonDocument::fromJson(out.toUtf8()).object();
    }

    // Every row of every LiteLLM table as JSON text, in a stable order: before/after comparisons
    // prove that nothing was written.
    QString dump(const QString& database) {
        static const QStringList tables{u"LiteLLM_AccessGroupTable"_s,
                                        u"LiteLLM_AuditLog"_s,
                                        u"LiteLLM_BudgetTable"_s,
                                        u"LiteLLM_Config"_s,
                                        u"LiteLLM_ModelTable"_s,
                                        u"LiteLLM_ObjectPermissionTable"_s,
                                        u"LiteLLM_OrganizationMembership"_s,
                                        u"LiteLLM_OrganizationTable"_s,
                                        u"LiteLLM_ProjectTable"_s,
                                        u"LiteLLM_ProxyModelTable"_s,
                                        u"LiteLLM_TeamMembership"_s,
                                        u"LiteLLM_TeamTable"_s,
                                        u"LiteLLM_UserTable"_s,
                                        u"LiteLLM_VerificationToken"_s};
        QString text;
        for (const QString& table : tables)
            text += u"SELECT '"_s + table + u"', row_to_json(t)::text FROM \""_s + table +
                    u"\" t ORDER BY 2;\n"_s;
        return sql(database, text);
    }

    // The audit rows written since the last call (all but the seed's three), removed so that the
    // next call sees only newer ones. Each row is the whole LiteLLM_AuditLog row as JSON.
    QList<QJsonObject> takeAudit(const QString& database) {
        const QString out =
            sql(database, u"DELETE FROM \"LiteLLM_AuditLog\" a WHERE id NOT LIKE '0f6c2b1a-%' "
                          u"RETURNING to_jsonb(a)::text;"_s);
        QList<QJsonObject> rows;
        if (out.startsWith(u"SQL ERROR: "_s)) {
            rows.append(QJsonObject{{u"SQL ERROR"_s, out}});
            return rows;
        }
        for (const QString& line : out.split(u'\n', Qt::SkipEmptyParts))
            rows.append(QJsonDocument::fromJson(line.toUtf8()).object());
        return rows;
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

private:
    std::unique_ptr<PgCluster> m_cluster;
    int m_counter = 0;
};

// Creates a fresh database in a test slot, failing the test when that is impossible.
#define PGS_FRESH_DATABASE(fixture, variable, level)                                               \
    QString variable;                                                                              \
    do {                                                                                           \
        QString freshError_;                                                                       \
        variable = (fixture).freshDatabase((level), &freshError_);                                 \
        QVERIFY2(!variable.isEmpty(), qPrintable(freshError_));                                    \
    } while (false)

// Runs SQL that must succeed (set-up statements) in a test slot.
#define PGS_EXEC(fixture, database, text)                                                          \
    do {                                                                                           \
        const QString execOut_ = (fixture).sql((database), (text));                                \
        QVERIFY2(!execOut_.startsWith(u"SQL ERROR: "_s), qPrintable(execOut_));                    \
    } while (false)

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

// The UTF-8 bytes of each element of the text[] `column` of `table` rows matching `where`, as hex,
// one element a line (psql cannot show newlines, tabs or leading spaces unambiguously; hex can).
inline QString hexElementsSql(const QString& table, const QString& column, const QString& where) {
    return u"SELECT encode(convert_to(e.v, 'UTF8'), 'hex') FROM \""_s + table +
           u"\" t, unnest(t."_s + column + u") WITH ORDINALITY AS e(v, n) WHERE "_s + where +
           u" ORDER BY e.n;"_s;
}

// The UTF-8 bytes of a text expression, as hex.
inline QString hexSql(const QString& expression, const QString& table, const QString& where) {
    return u"SELECT encode(convert_to("_s + expression + u", 'UTF8'), 'hex') FROM \""_s + table +
           u"\" t WHERE "_s + where + u';';
}

// A member as one line, for readable comparisons:
// "user|email|role|row|budget|models+…|max_budget|tpm|rpm|spend" ("-" = none).
inline QString memberLine(const TeamMember& member) {
    auto text = [](const auto& value) -> QString {
        if (!value)
            return u"-"_s;
        if constexpr (std::is_same_v<std::decay_t<decltype(*value)>, QString>)
            return *value;
        else
            return QString::number(*value);
    };
    return QStringList{member.userId,
                       text(member.email),
                       member.role,
                       member.hasMembershipRow ? u"row"_s : u"no row"_s,
                       text(member.budgetId),
                       member.allowedModels.join(u'+'),
                       text(member.maxBudget),
                       text(member.tpmLimit),
                       text(member.rpmLimit),
                       QString::number(member.spend)}
        .join(u'|');
}

inline QStringList memberLines(const QList<TeamMember>& members) {
    QStringList lines;
    for (const TeamMember& member : members)
        lines.append(memberLine(member));
    return lines;
}

inline QString hexLines(const QStringList& values) {
    QStringList lines;
    for (const QString& value : values)
        lines.append(QString::fromLatin1(value.toUtf8().toHex()));
    return lines.join(u'\n');
}

} // namespace litescope::test
