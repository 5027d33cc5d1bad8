#pragma once

#include "engine/KeySlice.h"
#include "store/Store.h"
#include "store/pg/PgCall.h"
#include "store/pg/PgSchema.h"

#include <pqxx/pqxx>

namespace litescope::pg {

// The KeySlice of the key `tokenOrAlias` names, read from the database: the rows keySlice()
// takes from a whole snapshot, and only those, in one repeatable-read transaction. Its row
// numbers are the places the rows have in a whole snapshot (PostgreSQL counts the rows that sort
// before them, by code point as the snapshot sorts). source.warnings stays empty: it speaks of
// the whole database, which this does not read.
Result<KeySlice> readKeySlice(pqxx::connection& connection, const PgSchema& schema,
                              const QString& label, const QString& tokenOrAlias,
                              const PgCall& call);

} // namespace litescope::pg
