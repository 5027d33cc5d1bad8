// Which LiteLLM release a database belongs to. The proxy does not write its version into the
// database; what it leaves is the schema its migrations built. A few changes have a known first
// release (docs/STORES.md, "Which LiteLLM release a database is"): the newest one present is a
// lower bound, the next one an upper bound. Where a rule litescope follows changed inside those
// bounds, the lower bound is used and said to be a stand-in.
#include "store/pg/PgRelease.h"

#include "domain/TranslationContexts.h"
#include "store/pg/PgJson.h"
#include "store/pg/PgSession.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace litescope::pg {

namespace {

// Oldest release first. Add a row only with evidence for the release that first has the change:
// a marker whose release is later than the change's real first release would place proxies too
// new.
constexpr std::array<ReleaseMarker, 3> markers = {{
    // PR #24950 (per-member model scope) shipped first in 1.83.14 with this migration
    // (shared/docs/litellm-migrations.md §2 and §4, litellm-schema.md §8).
    {{1, 83, 14},
     "20260401000000_add_team_member_model_scope",
     {"LiteLLM_BudgetTable.allowed_models", "LiteLLM_TeamTable.default_team_member_models"},
     nullptr,
     "PR #24950, migration 20260401000000_add_team_member_model_scope (LiteLLM 1.83.14)"},
    // PR #31783 added the per-key budget fallbacks in 1.92 (litellm-schema.md §3 and §8; LiteLLM
    // issue #33074 names the column). Its migration folder is not known: the column decides.
    {{1, 92, 0},
     nullptr,
     {"LiteLLM_VerificationToken.budget_fallbacks", nullptr},
     nullptr,
     "PR #31783, LiteLLM_VerificationToken.budget_fallbacks (LiteLLM 1.92.0)"},
    // PR #37983: the v1.103.0 release notes list this index as a breaking change (notes rule 9).
    {{1, 103, 0},
     nullptr,
     {nullptr, nullptr},
     "LiteLLM_SpendLogs_api_key_startTime_idx",
     "PR #37983, index LiteLLM_SpendLogs_api_key_startTime_idx (LiteLLM 1.103.0 release notes)"},
}};

constexpr bool oldestFirst() {
    for (std::size_t i = 1; i < markers.size(); ++i)
        if (!(markers[i - 1].release < markers[i].release))
            return false;
    return true;
}
static_assert(oldestFirst(), "placeRelease() reads the markers oldest first");

bool hasColumns(const ReleaseMarker& marker, const PgSchema& schema) {
    bool any = false;
    for (const char* probe : marker.columns) {
        if (!probe)
            continue;
        const QString text = QString::fromLatin1(probe);
        const qsizetype dot = text.indexOf(u'.');
        if (!schema.has(text.left(dot), text.mid(dot + 1)))
            return false;
        any = true;
    }
    return any;
}

// The names among `names` that a catalog query (one jsonb parameter: the names) returns. A query
// this user may not run returns none: a refused catalog read is no reason to refuse the database.
QStringList namesFound(pqxx::nontransaction& query, const char* sql, const QStringList& names) {
    QStringList found;
    if (names.isEmpty())
        return found;
    try {
        for (const pqxx::row& row : query.exec_params(sql, jsonList(names)))
            found.append(fromField(row[0]));
    } catch (const pqxx::sql_error&) {
        found.clear();
    }
    return found;
}

QString v(LiteLLMVersion version) {
    return u'v' + version.toString();
}

} // namespace

std::span<const ReleaseMarker> releaseMarkers() {
    return markers;
}

LiteLLMVersion DetectedRelease::version() const {
    return atLeast.value_or(markers.front().release);
}

QStringList DetectedRelease::rulesChangingInRange() const {
    QStringList changing;
    for (const VersionedRuleInfo& rule : versionedRules()) {
        const bool above = !atLeast || *atLeast < rule.since;
        const bool under = !below || rule.since < *below;
        if (above && under)
            changing.append(u"%1 (%2)"_s.arg(QString::fromLatin1(rule.id), rule.since.toString()));
    }
    return changing;
}

bool DetectedRelease::assumed() const {
    // Below every marker nothing places the proxy, and litescope's rules of releases that old are
    // not researched: the first marker's release is a stand-in whatever the rules say.
    return !atLeast || !rulesChangingInRange().isEmpty();
}

QString DetectedRelease::warning() const {
    if (!atLeast)
        return PgText::tr("The database shows none of the migrations, columns or indexes "
                          "litescope knows from LiteLLM %1 on: the proxy is older than %1. "
                          "Decisions and writes follow LiteLLM %1's rules, the oldest litescope "
                          "knows, unless --litellm-version says otherwise.")
            .arg(version().toString());
    const QStringList rules = rulesChangingInRange();
    if (rules.isEmpty())
        return {};
    return PgText::tr("The database's migrations and columns place the proxy at LiteLLM %1 or "
                      "newer but older than %2, and rules changed in between (%3). Decisions and "
                      "writes follow LiteLLM %1's rules unless --litellm-version says otherwise.")
        .arg(atLeast->toString(), below ? below->toString() : QString(), rules.join(u", "_s));
}

QString DetectedRelease::range() const {
    if (!atLeast)
        return PgText::tr("older than LiteLLM %1").arg(v(version()));
    if (!below)
        return PgText::tr("LiteLLM %1 or newer").arg(v(*atLeast));
    return PgText::tr("LiteLLM %1 or newer, older than %2").arg(v(*atLeast), v(*below));
}

DetectedRelease placeRelease(const std::vector<bool>& present) {
    DetectedRelease release;
    release.below = markers.front().release;
    for (std::size_t i = 0; i < markers.size() && i < present.size(); ++i) {
        if (!present[i])
            continue;
        release.atLeast = markers[i].release;
        release.below =
            i + 1 < markers.size() ? std::optional(markers[i + 1].release) : std::nullopt;
    }
    return release;
}

DetectedRelease detectRelease(pqxx::connection& connection, const PgSchema& schema) {
    std::vector<bool> present(markers.size(), false);
    QStringList migrations, indexes;
    for (std::size_t i = 0; i < markers.size(); ++i) {
        present[i] = hasColumns(markers[i], schema);
        if (markers[i].migration)
            migrations.append(QString::fromLatin1(markers[i].migration));
        if (markers[i].index)
            indexes.append(QString::fromLatin1(markers[i].index));
    }

    pqxx::nontransaction query(connection);
    // `prisma db push` databases have no migration table; the proxy's search_path schema is the
    // one its DATABASE_URL names (current_schema()).
    const bool migrationTable =
        !namesFound(
             query,
             "SELECT table_name FROM information_schema.tables WHERE table_schema = "
             "current_schema() AND table_name IN (SELECT jsonb_array_elements_text($1::jsonb))",
             {u"_prisma_migrations"_s})
             .isEmpty();
    QStringList found;
    if (migrationTable)
        // Finished and not rolled back: a failed migration's row does not count.
        found = namesFound(query,
                           "SELECT migration_name FROM \"_prisma_migrations\" WHERE finished_at IS "
                           "NOT NULL AND rolled_back_at IS NULL AND migration_name IN "
                           "(SELECT jsonb_array_elements_text($1::jsonb))",
                           migrations);
    found += namesFound(query,
                        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
                        "c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN "
                        "('i', 'I') AND c.relname IN (SELECT jsonb_array_elements_text($1::jsonb))",
                        indexes);
    for (std::size_t i = 0; i < markers.size(); ++i) {
        const auto named = [&found](const char* name) {
            return name && found.contains(QString::fromLatin1(name));
        };
        if (named(markers[i].migration) || named(markers[i].index))
            present[i] = true;
    }
    return placeRelease(present);
}

void describeRelease(const DetectedRelease& release, SourceInfo& source) {
    source.litellmVersion = release.version().toString();
    if (!release.assumed())
        return;
    if (!source.assumed.contains(u"litellm_version"_s))
        source.assumed.append(u"litellm_version"_s);
    source.warnings.append(release.warning());
}

} // namespace litescope::pg
