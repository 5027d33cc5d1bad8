#pragma once

// Shared by the litescope-cli database suites (tst_cli_db, tst_cli_db_snapshot): the cluster,
// templates, seed ids and psql helpers of support/PgTestDatabase.h, plus what only the CLI suites
// need. Everything goes through the real litescope-cli binary and psql; no store code is linked
// into these tests.
#include "support/CliRunner.h"
#include "support/CliTestSupport.h"
#include "support/PgTestDatabase.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace litescope::test {

using namespace Qt::StringLiterals;

inline QString cliPath() {
    return QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli");
}

// The cluster and the two template databases of one CLI test executable.
class CliPgFixture : public PgTestFixture {
public:
    CliPgFixture()
        : PgTestFixture(u"clidb"_s) {}

    // uri(database) with a password in it (trust authentication ignores it).
    QString uriWithPassword(const QString& database, const QString& password) const {
        return u"postgresql://postgres:"_s + password + u"@127.0.0.1:"_s +
               QString::number(cluster().port()) + u'/' + database;
    }
};

// The allowed_models of a membership's budget row as JSON text ("" when there is no row).
inline QString scopeSql(const QString& team, const QString& user) {
    return u"SELECT array_to_json(b.allowed_models) FROM \"LiteLLM_TeamMembership\" m "
           u"LEFT JOIN \"LiteLLM_BudgetTable\" b ON b.budget_id = m.budget_id WHERE m.team_id = '"_s +
           team + u"' AND m.user_id = '"_s + user + u"';"_s;
}

// One JSON object parsed from the whole of `bytes`, or an empty object.
inline QJsonObject jsonOutput(const QByteArray& bytes) {
    return QJsonDocument::fromJson(bytes).object();
}

} // namespace litescope::test
