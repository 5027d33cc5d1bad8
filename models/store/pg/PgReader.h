#pragma once

#include "store/Store.h"
#include "store/pg/PgCall.h"
#include "store/pg/PgSchema.h"
#include "store/pg/PgValues.h"

#include <pqxx/pqxx>

namespace litescope::pg {

// Reading a LiteLLM database into litescope's domain types. Each function runs its own read-only
// transaction on the given connection; libpqxx exceptions propagate to PgSession, which maps them.
// Each checks `call` between statements and batches (throwing PgCancelled) and reports progress
// to it.

// Everything the access engine needs: one repeatable-read transaction, big tables in keyset-paged
// batches. Keys of teams that no longer exist are kept (LiteLLM serves them) and counted in
// source.warnings, with the other references to rows that do not exist.
// `connectionString` opens a second connection that reads the keys in parallel, in the same
// snapshot of the database; `call` watches it too. Progress: the phases "teams", "memberships",
// "users" in this order and "keys" alongside them, each counting rows up to the table's size.
// The call's listsRead get the teams, memberships, users and keys as soon as each is read and
// sorted, on the thread that read it.
Result<Workspace> readSnapshot(pqxx::connection& connection, const std::string& connectionString,
                               const PgSchema& schema, const QString& label, const PgCall& call);
// The tables every decision may read, whole: deployments, LiteLLM_Config's settings, access
// groups, organizations, projects. They stay small on a big proxy.
void readSmallTables(pqxx::transaction_base& txn, const PgSchema& schema, PgValues& values,
                     Workspace& ws);
// Progress: "teams", the rows read, once.
Result<Page<Team>> readTeamPage(pqxx::connection& connection, const PgSchema& schema,
                                const PageRequest& request, const PgCall& call);
// Progress: "members", the members read, once.
Result<QList<TeamMember>> readTeamMembers(pqxx::connection& connection, const PgSchema& schema,
                                          const QString& team, const PgCall& call);

} // namespace litescope::pg
