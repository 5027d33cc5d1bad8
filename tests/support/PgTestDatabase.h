#pragma once

// Shared by the suites that run against a real LiteLLM database (the PgStore suites through
// PgStoreTestSupport.h, the litescope-cli --db suites through CliPgSupport.h): one throwaway
// PostgreSQL cluster per test executable with the two LiteLLM schema levels loaded once as
// template databases, a fresh database per test function copied from them, the seed's ids and raw
// keys (tests/data/pg/litellm-seed.sql describes them), and psql helpers that read back exactly
// what the code under test left in the tables.
#include "support/PgCluster.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QTest>

#include <memory>

namespace litescope::test {

using namespace Qt::StringLiterals;

// The seed's ids.
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

// Key tokens (the sha256 of the raw key, as LiteLLM_VerificationToken.token holds it).
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

// Every key of the seed: raw key and token.
inline const QList<QPair<QString, QString>> rawKeys{
    {u"sk-seed-ml-research-ci-k7Qa"_s, mlCiKey},
    {u"sk-seed-ml-bob-notebook-Zp3m"_s, bobNotebookKey},
    {u"sk-seed-search-prod"_s, searchProdKey},
    {u"sk-seed-search-erin-q8Xc"_s, erinDevKey},
    {u"sk-seed-support-bot-Lm2v"_s, supportBotKey},
    {u"sk-seed-legacy-carol-Hh9e"_s, legacyKey},
    {u"sk-seed-personal-alice-Wd4r"_s, alicePersonalKey},
    {davePersonalRawKey, davePersonalKey},
};
} // namespace seed

enum class Level { Newest, PreMemberScope };

inline QString pgDataFile(const QString& name) {
    return QStringLiteral(LITESCOPE_TEST_DATA "/data/pg/") + name;
}

// The cluster and the two template databases of one test executable.
class PgTestFixture {
public:
    // Fresh databases are named `databasePrefix` + a counter.
    explicit PgTestFixture(const QString& databasePrefix = u"db"_s)
        : m_databasePrefix(databasePrefix) {}

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
            for (const QString& file : tmpl.files) {
                if (!m_cluster->runSqlFile(tmpl.name, pgDataFile(file), error)) {
                    *error = file + u": "_s + *error;
                    return false;
                }
            }
        }
        return true;
    }

    void stop() { m_cluster.reset(); }
    bool running() const { return m_cluster != nullptr; }
    PgCluster& cluster() { return *m_cluster; }
    const PgCluster& cluster() const { return *m_cluster; }

    // A new database holding a copy of the seed at `level`; empty (and *error set) on failure.
    QString freshDatabase(Level level, QString* error) {
        const QString name = m_databasePrefix + QString::number(++m_counter);
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

    // postgresql://postgres@127.0.0.1:PORT/DATABASE
    QString uri(const QString& database) const { return m_cluster->uri(database); }

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

    // Every row of every LiteLLM table as JSON text, in a stable order: comparing a dump before
    // and after a refused or failed edit proves that nothing was written.
    QString dump(const QString& database) {
        const QString tables = sql(database, u"SELECT table_name FROM information_schema.tables "
                                             u"WHERE table_schema = 'public' AND table_name LIKE "
                                             u"'LiteLLM\\_%' ORDER BY 1;"_s);
        if (tables.startsWith(u"SQL ERROR: "_s))
            return tables;
        QString text;
        for (const QString& table : tables.split(u'\n', Qt::SkipEmptyParts))
            text += u"SELECT '"_s + table + u"', row_to_json(t)::text FROM \""_s + table +
                    u"\" t ORDER BY 2;\n"_s;
        return sql(database, text);
    }

    // The audit rows written since the seed (all but the seed's three), oldest first. Each row is
    // the whole LiteLLM_AuditLog row as JSON.
    QList<QJsonObject> newAuditRows(const QString& database) {
        return jsonRows(database, u"SELECT to_jsonb(a)::text FROM \"LiteLLM_AuditLog\" a "
                                  u"WHERE id NOT LIKE '0f6c2b1a-%' ORDER BY updated_at;"_s);
    }

    // The audit rows written since the last call (all but the seed's three), removed so that the
    // next call sees only newer ones. Each row is the whole LiteLLM_AuditLog row as JSON.
    QList<QJsonObject> takeAudit(const QString& database) {
        return jsonRows(database,
                        u"DELETE FROM \"LiteLLM_AuditLog\" a WHERE id NOT LIKE '0f6c2b1a-%' "
                        u"RETURNING to_jsonb(a)::text;"_s);
    }

private:
    // One JSON object per row of a query returning one json/jsonb value per row; a failed query
    // gives one {"SQL ERROR": …} row.
    QList<QJsonObject> jsonRows(const QString& database, const QString& text) {
        const QString out = sql(database, text);
        QList<QJsonObject> rows;
        if (out.startsWith(u"SQL ERROR: "_s)) {
            rows.append(QJsonObject{{u"SQL ERROR"_s, out}});
            return rows;
        }
        for (const QString& line : out.split(u'\n', Qt::SkipEmptyParts))
            rows.append(QJsonDocument::fromJson(line.toUtf8()).object());
        return rows;
    }

    std::unique_ptr<PgCluster> m_cluster;
    QString m_databasePrefix;
    int m_counter = 0;
};

// The UTF-8 bytes of each element of a text[] expression over `from` (rows matching `where`), as
// hex, one element a line (psql cannot show newlines, tabs or leading spaces unambiguously; hex
// can).
inline QString arrayHexSql(const QString& arrayExpression, const QString& from,
                           const QString& where) {
    return u"SELECT encode(convert_to(e.v, 'UTF8'), 'hex') FROM "_s + from +
           u" CROSS JOIN LATERAL unnest("_s + arrayExpression +
           u") WITH ORDINALITY AS e(v, n) WHERE "_s + where + u" ORDER BY e.n;"_s;
}

// The same for the text[] `column` of `table` (aliased t).
inline QString hexElementsSql(const QString& table, const QString& column, const QString& where) {
    return arrayHexSql(u"t."_s + column, u"\""_s + table + u"\" t"_s, where);
}

// The UTF-8 bytes of a text expression over `table` (aliased t), as hex.
inline QString hexSql(const QString& expression, const QString& table, const QString& where) {
    return u"SELECT encode(convert_to("_s + expression + u", 'UTF8'), 'hex') FROM \""_s + table +
           u"\" t WHERE "_s + where + u';';
}

// What the hex readers above print for `values`.
inline QString hexLines(const QStringList& values) {
    QStringList lines;
    for (const QString& value : values)
        lines.append(QString::fromLatin1(value.toUtf8().toHex()));
    return lines.join(u'\n');
}

// The roster of a team (members_with_roles) as JSON text.
inline QString rosterSql(const QString& team) {
    return u"SELECT members_with_roles::text FROM \"LiteLLM_TeamTable\" WHERE team_id = '"_s +
           team + u"';"_s;
}

} // namespace litescope::test

// Creates a fresh database in a test slot, failing the test when that is impossible.
#define PGTEST_FRESH_DATABASE(fixture, variable, level)                                            \
    QString variable;                                                                              \
    do {                                                                                           \
        QString freshError_;                                                                       \
        variable = (fixture).freshDatabase((level), &freshError_);                                 \
        QVERIFY2(!variable.isEmpty(), qPrintable(freshError_));                                    \
    } while (false)

// Runs SQL that must succeed (set-up statements) in a test slot.
#define PGTEST_EXEC(fixture, database, text)                                                       \
    do {                                                                                           \
        const QString execOut_ = (fixture).sql((database), (text));                                \
        QVERIFY2(!execOut_.startsWith(u"SQL ERROR: "_s), qPrintable(execOut_));                    \
    } while (false)
