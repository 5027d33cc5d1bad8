#pragma once

#include "store/StoreEdit.h"
#include "store/pg/PgConnectionOptions.h"
#include "store/pg/PgSchema.h"

#include <pqxx/pqxx>

namespace litescope::pg {

// Applies one edit in one transaction, leaving the rows as LiteLLM's own endpoints would and
// adding a LiteLLM_AuditLog row in the same transaction. On any error nothing is committed.
Result<EditOutcome> applyEdit(pqxx::connection& connection, const PgSchema& schema,
                              const PgConnectionOptions& options, const StoreEdit& edit);

// The parts, for PgWriter.cpp's dispatch.
struct EditContext;
Result<EditOutcome> applyTeamEdit(EditContext& context);
Result<EditOutcome> applyKeyEdit(EditContext& context);
Result<EditOutcome> applyMemberEdit(EditContext& context);

} // namespace litescope::pg
