#pragma once

#include "domain/Workspace.h"
#include "store/pg/PgSchema.h"

#include <QString>

#include <pqxx/pqxx>

namespace litescope::pg {

// The SELECTs that read LiteLLM's rows into litescope's domain types and the converters for their
// result rows, shared by the snapshot reader and the edit path (which reads the rows an edit
// touches, runs the shared edit rules on them and writes the result back). Each select ends
// where a caller appends its WHERE/ORDER BY.

// members_with_roles: a JSON array of {user_id, user_email, role}; LiteLLM's column default is
// the empty object, which means no members.
QList<TeamMemberRole> readRoster(const QJsonValue& value);

StringMap readStringMap(const QJsonValue& value); // string values of a JSON object

QString teamSelect(const PgSchema& schema); // FROM "LiteLLM_TeamTable" t
Team readTeam(const pqxx::row& row);

QString membershipSelect(const PgSchema& schema); // FROM "LiteLLM_TeamMembership" m
TeamMembership readMembership(const pqxx::row& row);

QString userSelect(); // FROM "LiteLLM_UserTable"
User readUser(const pqxx::row& row);

// A budget row (row_to_json) as a member budget: allowed_models and the limits typed, the other
// columns kept.
MemberBudget memberBudget(const QJsonObject& row);

} // namespace litescope::pg
