#pragma once

// Shared by the litescope-cli database suites (tst_cli_db, tst_cli_db_snapshot): one throwaway
// PostgreSQL cluster per test executable with the two LiteLLM schema levels loaded once as
// template databases, a fresh database per test function copied from them, the seed's ids and
// raw keys (tests/data/pg/litellm-seed.sql lists them), and psql helpers that read back what the
// CLI left in the tables. Everything goes through the real litescope-cli binary and psql; no
// store code is linked into these tests.
#include "support/CliRunner.h"
#include "support/CliTestSupport.h"
#include "support/PgCluster.h"

#include <QByteArray>
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
namespace cliseed {
inline const QString mlTeam = u"team-ml-research"_s;
inline const QString searchTeam = u"e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55"_s;
inline const QString supportTeam = u"team-support-bots"_s;
inline const QString legacyTeam = u"team-legacy-sandbox"_s;

inline const QString alice = u"3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11"_s;
inline const QString bob = u"8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22"_s;
inline const QString carol = u"c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33"_s;
inline const QString dave = u"dave@example.com"_s;
inline const QString erin = u"erin@example.org"_s;
inline const QString svc = u"svc-nightly-batch"_s;
inline const QString grace = u"0b7a4c1e-9d2f-4a6b-8c3e-7f5d1a2b9e44"_s;

inline const QString bobNotebookKey =
    u"a8c7025f2991964ecbccb20844098bb7a4ba9dd3c6776ea6f86833207aa1c611"_s;
inline const QString davePersonalKey =
    u"35dfa4aa2f1c83a05dd3e42a6316d9401aec2ca1fc363e5823e70ef91ec2ba09"_s;

// Every key of the seed: raw key and token (the sha256 of the raw key).
inline const QList<QPair<QString, QString>> rawKeys{
    {u"sk-seed-ml-research-ci-k7Qa"_s,
     u"44465249d9c3b359d4f6ac391e78673db0ae29a08fd55ba5b103d67f0d6c118c"_s},
    {u"sk-seed-ml-bob-notebook-Zp3m"_s, bobNotebookKey},
    {u"sk-seed-search-prod"_s,
     u"98892082461ed448c607e6c4f249ea88b8e364e2f5cd9d27e40ed093f8a24d1e"_s},
    {u"sk-seed-search-erin-q8Xc"_s,
     u"685b8c2bb0b072c018d3db521313a09cf19ed47a8b79ba1fe23052f1c0298c3e"_s},
    {u"sk-seed-support-bot-Lm2v"_s,
     u"63a480f824e8d022b6ab9c3a86227a122bdf05b8b9053a92c5d3da8bba041b80"_s},
    {u"sk-seed-legacy-carol-Hh9e"_s,
     u"9c3f96c38ffec45fc86b198ec38f39b1a60f5713e60cd3ef684662d35f5551a1"_s},
    {u"sk-seed-personal-alice-Wd4r"_s,
     u"f0b4940653f94d4a84e01909d60e011a7fd75e97d005b79e0761770b8c528f2e"_s},
    {u"sk-seed-personal-dave-Tn6b"_s, davePersonalKey},
};
} // namespace cliseed

enum class SchemaLevel { Newest, PreMemberScope };

inline QString pgSeedFile(const QString& name) {
    return QStringLiteral(LITESCOPE_TEST_DATA "/data/pg/") + name;
}

inline QString cliPath() {
    return QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli");
}

// The cluster and the two template databases of one test executable.
class CliPgFixture {
public:
    // Starts the cluster and loads "tmpl_newest" (newest schema + seed + scopes) and "tmpl_pre"
    // (pre-member-scope schema + seed).
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
                if (!m_cluster->runSqlFile(tmpl.name, pgSeedFile(file), error)) {
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

    // A new database holding a copy of the seed at `level`; empty (and *error set) on failure.
    QString freshDatabase(SchemaLevel level, QString* error) {
        const QString name = u"clidb"_s + QString::number(++m_counter);
        const QString tmpl = level == SchemaLevel::Newest ? u"tmpl_newest"_s : u"tmpl_pre"_s;
        if (!m_cluster->runSql(
                u"postgres"_s,
                u"CREATE DATABASE \""_s + name + u"\" TEMPLATE \""_s + tmpl + u"\";"_s, error))
            return {};
        return name;
    }

    // postgresql://postgres@127.0.0.1:PORT/DATABASE
    QString uri(const QString& database) const { return m_cluster->uri(database); }

    // The same with a password in it (trust authentication ignores it).
    QString uriWithPassword(const QString& database, const QString& password) const {
        return u"postgresql://postgres:"_s + password + u"@127.0.0.1:"_s +
               QString::number(m_cluster->port()) + u'/' + database;
    }

    // psql's output (rows on lines, fields separated by '|', NULL empty), or "SQL ERROR: …" so a
    // QCOMPARE against the expected rows shows what went wrong.
    QString sql(const QString& database, const QString& text) {
        QString error;
        QString output;
        if (!m_cluster->runSql(database, text, &error, &output))
            return u"SQL ERROR: "_s + error;
        return output;
    }

    // Every row of every LiteLLM table as JSON text, in a stable order: comparing a dump before
    // and after a refused edit proves that nothing was written.
    QString dump(const QString& database) {
        const QString tables = sql(database, u"SELECT table_name FROM information_schema.tables "
                                             u"WHERE table_schema = 'public' AND table_name LIKE "
                                             u"'LiteLLM\\_%' ORDER BY 1;"_s);
        QString text;
        for (const QString& table : tables.split(u'\n', Qt::SkipEmptyParts))
            text += u"SELECT '"_s + table + u"', row_to_json(t)::text FROM \""_s + table +
                    u"\" t ORDER BY 2;\n"_s;
        return sql(database, text);
    }

    // The audit rows litescope wrote (all but the seed's three), oldest first, as JSON objects.
    QList<QJsonObject> newAuditRows(const QString& database) {
        const QString out = sql(database, u"SELECT to_jsonb(a)::text FROM \"LiteLLM_AuditLog\" a "
                                          u"WHERE id NOT LIKE '0f6c2b1a-%' ORDER BY updated_at;"_s);
        QList<QJsonObject> rows;
        for (const QString& line : out.split(u'\n', Qt::SkipEmptyParts))
            rows.append(QJsonDocument::fromJson(line.toUtf8()).object());
        return rows;
    }

private:
    std::unique_ptr<PgCluster> m_cluster;
    int m_counter = 0;
};

// The UTF-8 bytes of each element of a text[] expression over `from` (one row by `where`), as
// hex, one element a line.
inline QString arrayHexSql(const QString& arrayExpression, const QString& from,
                           const QString& where) {
    return u"SELECT encode(convert_to(e.v, 'UTF8'), 'hex') FROM "_s + from +
           u" CROSS JOIN LATERAL unnest("_s + arrayExpression +
           u") WITH ORDINALITY AS e(v, n) WHERE "_s + where + u" ORDER BY e.n;"_s;
}

inline QString utf8HexLines(const QStringList& values) {
    QStringList lines;
    for (const QString& value : values)
        lines.append(QString::fromLatin1(value.toUtf8().toHex()));
    return lines.join(u'\n');
}

// The allowed_models of a membership's budget row as JSON text ("" when there is no row).
inline QString scopeSql(const QString& team, const QString& user) {
    return u"SELECT array_to_json(b.allowed_models) FROM \"LiteLLM_TeamMembership\" m "
           u"LEFT JOIN \"LiteLLM_BudgetTable\" b ON b.budget_id = m.budget_id WHERE m.team_id = '"_s +
           team + u"' AND m.user_id = '"_s + user + u"';"_s;
}

// The roster of a team as JSON text.
inline QString rosterSql(const QString& team) {
    return u"SELECT members_with_roles::text FROM \"LiteLLM_TeamTable\" WHERE team_id = '"_s +
           team + u"';"_s;
}

// One JSON object parsed from the whole of `bytes`, or an empty object.
inline QJsonObject jsonOutput(const QByteArray& bytes) {
    return QJsonDocument::fromJson(bytes).object();
}

} // namespace litescope::test

// Creates a fresh database in a test slot, failing the test when that is impossible.
#define CLIPG_FRESH_DATABASE(fixture, variable, level)                                             \
    QString variable;                                                                              \
    do {                                                                                           \
        QString freshError_;                                                                       \
        variable = (fixture).freshDatabase((level), &freshError_);                                 \
        QVERIFY2(!variable.isEmpty(), qPrintable(freshError_));                                    \
    } while (false)

// Runs SQL that must succeed (set-up statements) in a test slot.
#define CLIPG_EXEC(fixture, database, text)                                                        \
    do {                                                                                           \
        const QString execOut_ = (fixture).sql((database), (text));                                \
        QVERIFY2(!execOut_.startsWith(u"SQL ERROR: "_s), qPrintable(execOut_));                    \
    } while (false)
