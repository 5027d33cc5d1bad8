#pragma once

#include "engine/LiteLLMRelease.h"
#include "store/Store.h"
#include "store/StoreEdit.h"
#include "store/pg/PgConnectionOptions.h"
#include "store/pg/PgSchema.h"

#include <pqxx/pqxx>

namespace litescope::pg {

// Columns an older schema does not have: applyEdits() refuses an edit needing them before it reads
// anything, and Store::checkEdit() asks the same.
Status requireSchema(const PgSchema& schema, const StoreEdit& edit);

// Applies a batch of edits in one transaction. Each edit reads and locks the rows it touches, runs
// the shared edit rules on them (WorkspaceEdits.h: the same validation, `expected` checks,
// outcome and summary as every store) and writes what the rules changed, as LiteLLM's own
// endpoints would, with one LiteLLM_AuditLog row per edit in the same transaction. On any error,
// or when the caller cancels, nothing is committed. `current` says which edit was running when an
// exception (a lost connection, a cancelled query) left this function.
// `profile` is the LiteLLM release whose rows the edits leave.
BatchResult applyEdits(pqxx::connection& connection, const PgSchema& schema,
                       const PgConnectionOptions& options, const LiteLLMProfile& profile,
                       const QList<StoreEdit>& edits, const CallOptions& call, qsizetype& current);

} // namespace litescope::pg
