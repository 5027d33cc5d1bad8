#pragma once

#include "store/Store.h"
#include "store/StoreEdit.h"
#include "store/pg/PgConnectionOptions.h"
#include "store/pg/PgSchema.h"

#include <pqxx/pqxx>

namespace litescope::pg {

// Applies a batch of edits in one transaction, leaving the rows as LiteLLM's own endpoints would
// and adding one LiteLLM_AuditLog row per edit in the same transaction. On any error, or when the
// caller cancels, nothing is committed. `current` says which edit was running when an exception
// (a lost connection, a cancelled query) left this function.
BatchResult applyEdits(pqxx::connection& connection, const PgSchema& schema,
                       const PgConnectionOptions& options, const QList<StoreEdit>& edits,
                       const CallOptions& call, qsizetype& current);

// The parts, for PgWriter.cpp's dispatch.
struct EditContext;
Result<EditOutcome> applyTeamEdit(EditContext& context);
Result<EditOutcome> applyKeyEdit(EditContext& context);
Result<EditOutcome> applyMemberEdit(EditContext& context);

} // namespace litescope::pg
