#pragma once

#include "domain/Workspace.h"
#include "engine/LiteLLMRelease.h"
#include "store/pg/PgSchema.h"

#include <QString>
#include <QStringList>

#include <array>
#include <optional>
#include <pqxx/pqxx>
#include <span>
#include <vector>

namespace litescope::pg {

// Something a LiteLLM release's migrations add to the database, and the first release that has
// it. A database has a marker when `_prisma_migrations` lists its migration as finished (and not
// rolled back), when every column of `columns` exists, or when `index` exists: migrated databases
// show the first, `prisma db push` databases (no migration table) only the others.
struct ReleaseMarker {
    LiteLLMVersion release;
    const char* migration;              // folder name; nullptr when not known
    std::array<const char*, 2> columns; // "Table.column", all required; nullptr = unused
    const char* index;                  // index name; nullptr when none
    const char* evidence;               // where the release comes from
};

// The markers, oldest release first. Only changes whose first release the research notes
// establish are here: the migration -> release map after 1.83.14 is only partly known.
std::span<const ReleaseMarker> releaseMarkers();

// Where a database's markers place the proxy: at `atLeast` or newer, older than `below`.
struct DetectedRelease {
    std::optional<LiteLLMVersion> atLeast; // the newest marker present; none: older than all
    std::optional<LiteLLMVersion> below;   // the next marker's release; none: the newest known

    // The release whose rules decide and write: atLeast, else the first marker's.
    LiteLLMVersion version() const;
    // The versioned rules (VersionedRule ids) that change inside the range, "id (since)".
    QStringList rulesChangingInRange() const;
    // Whether the range is too wide to name the rules: a rule changes inside it, or no marker
    // places the proxy at all. Then version() is only a stand-in (source.assumed).
    bool assumed() const;
    // Why version() is a stand-in, for source.warnings; empty when it is not.
    QString warning() const;
    // "LiteLLM v1.92.0 or newer, older than v1.103.0", for StoreInfo::schemaLevel.
    QString range() const;
};

// Places the release from which markers are present (one flag per releaseMarkers() row). Pure.
DetectedRelease placeRelease(const std::vector<bool>& present);

// Reads the markers of the database `connection` is connected to (the migration table, the
// schema's columns, the indexes). A migration table or catalog litescope may not read counts as
// showing nothing; only a lost connection throws.
DetectedRelease detectRelease(pqxx::connection& connection, const PgSchema& schema);

// What a snapshot says about the release: source.litellm_version, and when it is a stand-in
// "litellm_version" in source.assumed and the reason in source.warnings.
void describeRelease(const DetectedRelease& release, SourceInfo& source);

} // namespace litescope::pg
