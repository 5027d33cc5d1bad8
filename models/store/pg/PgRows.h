#pragma once

#include "domain/Workspace.h"
#include "store/pg/PgSchema.h"
#include "store/pg/PgValues.h"

#include <QString>

#include <pqxx/pqxx>

namespace litescope::pg {

// The SELECTs that read LiteLLM's rows into litescope's domain types and the converters for their
// result rows, shared by the snapshot reader and the edit path (which reads the rows an edit
// touches, runs the shared edit rules on them and writes the result back). Each select ends
// where a caller appends its WHERE/ORDER BY.

// members_with_roles: a JSON array of {user_id, user_email, role}; LiteLLM's column default is
// the empty object, which means no members. Through Qt's parser: where PgValues cannot follow the
// text, and for values already parsed.
QList<TeamMemberRole> readRoster(const QJsonValue& value);

StringMap readStringMap(const QJsonValue& value); // string values of a JSON object

// Columns through `values` (names pooled, JSON read directly); where its parser cannot follow the
// text, through Qt's parser as PgJson reads it. NULL reads as empty / nullopt.
QString nameOf(PgValues& values, const pqxx::field& field);
std::optional<QString> optionalNameOf(PgValues& values, const pqxx::field& field);
QStringList namesOf(PgValues& values, const pqxx::field& field); // array_to_json(text[])
StringMap stringMapOf(PgValues& values, const pqxx::field& field);
// Numeric columns in PostgreSQL's text form, without a stream per value.
std::optional<double> numberOf(const pqxx::field& field);
std::optional<qint64> integerOf(const pqxx::field& field);

QString teamSelect(const PgSchema& schema); // FROM "LiteLLM_TeamTable" t
Team readTeam(const pqxx::row& row, PgValues& values);

QString membershipSelect(const PgSchema& schema); // FROM "LiteLLM_TeamMembership" m
TeamMembership readMembership(const pqxx::row& row, PgValues& values);

QString userSelect(); // FROM "LiteLLM_UserTable"
User readUser(const pqxx::row& row, PgValues& values);

QString keySelect(const PgSchema& schema); // FROM "LiteLLM_VerificationToken"
// Tokens and aliases are unique and are not pooled.
Key readKey(const pqxx::row& row, PgValues& values);

// A budget row (row_to_json) as a member budget: allowed_models and the limits typed, the other
// columns kept. Through Qt's parser, where PgValues cannot follow the text.
MemberBudget memberBudget(const QJsonObject& row);

} // namespace litescope::pg
