#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"
#include "engine/KeySlice.h"
#include "engine/LiteLLMRelease.h"
#include "store/Operation.h"
#include "store/StoreEdit.h"

#include <QString>
#include <qcoro/qcorotask.h>

#include <optional>

namespace litescope {

// What the proxy behind a store supports, detected when it is opened.
struct StoreInfo {
    QString kind;              // "postgres", "api", "file"
    QString displayName;       // where it points, never with a password or key
    QString schemaLevel;       // e.g. "LiteLLM v1.83.14 or newer (member model scopes)"
    bool memberScopes = false; // per-member allowed_models and default_team_member_models
    bool accessGroups = false; // LiteLLM_AccessGroupTable
    bool projects = false;
    bool auditLog = false; // writes add LiteLLM_AuditLog rows
    bool readOnly = false;
    // The LiteLLM release whose rules decide and write (source.litellm_version of a snapshot):
    // what the admin said (setLiteLLMVersion), else what the store detected; empty = not known,
    // the newest rules are assumed.
    QString litellmVersion;
};

// A page of a long list. `next` continues after the last item (keyset paging); empty at the end.
template <typename T>
struct Page {
    QList<T> items;
    QString next;
};

struct PageRequest {
    QString after; // continue after this id; empty = from the start
    int limit = 500;
};

// A member of a team as the Members tab shows it: the roster entry joined with the membership
// row and its budget (where the member's model scope lives).
struct TeamMember {
    QString userId;
    std::optional<QString> email;
    QString role;
    bool hasMembershipRow = false;
    std::optional<QString> budgetId;
    QStringList allowedModels; // empty = all team models
    std::optional<double> maxBudget;
    std::optional<qint64> tpmLimit;
    std::optional<qint64> rpmLimit;
    double spend = 0;
};

// The result of applying a batch of edits. A store that has transactions (PostgreSQL, the file)
// applies all or nothing: on failure `applied` is empty. The admin API has none: the edits are
// sent in order and the batch stops at the first failure, so `applied` lists exactly the edits
// the proxy took. Those are the edits before `failedIndex`, except where the proxy takes several
// edits in one request (LiteLLM 1.103's bulk_update of one team's members: one transaction whose
// rows succeed or fail one by one): then the other edits of the failing request that the proxy
// applied are listed too, and `appliedIndexes` says which. Edits in later requests were never
// sent.
struct BatchResult {
    QList<EditOutcome> applied;
    // The index in the batch of each entry of `applied` (Store::apply fills it in for a store
    // that leaves it empty: then `applied` holds the first edits, in order).
    QList<qsizetype> appliedIndexes;
    std::optional<Error> error; // why the batch stopped; none when every edit was applied
    qsizetype failedIndex = -1; // the edit that failed

    bool ok() const { return !error; }
};

// Where litescope reads and writes a proxy's teams, members, keys and models: a PostgreSQL
// database, the admin REST API, or a workspace file. Views and commands talk only to this.
//
// Every call is a coroutine that does its slow work off the calling thread and never throws:
// failures come back as an Error whose kind says how to react (ConnectionLost: the next call
// reconnects; Conflict: someone changed the row; PermissionDenied: read-only connection or
// refused credentials; Unsupported: the proxy is too old for this; Cancelled: the caller's
// CallOptions::cancellation fired). Long calls take CallOptions to cancel them and watch their
// progress. Destroying a store while a call runs cancels that call; the call still completes
// (with Cancelled) and touches nothing of the store.
class Store {
public:
    Store() = default;
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;
    // Cancels every call still running.
    virtual ~Store();

    // Decide and write as LiteLLM `version` does, whatever the store detects (the CLI's
    // --litellm-version, the window's profile field). Before open().
    void setLiteLLMVersion(std::optional<LiteLLMVersion> version) { m_version = version; }
    std::optional<LiteLLMVersion> litellmVersionOverride() const { return m_version; }
    // profile() for work that runs where the store may be gone: `version` is the admin's,
    // captured from litellmVersionOverride() before the work starts.
    static LiteLLMProfile profileFor(std::optional<LiteLLMVersion> version,
                                     const QString& detected) {
        return version ? LiteLLMProfile::forVersion(*version)
                       : LiteLLMProfile::fromSource(detected);
    }

    // Connects (or reads) and detects what the proxy supports.
    QCoro::Task<Result<StoreInfo>> open();
    // Everything the access engine needs, as a workspace (source.kind says where it came from).
    QCoro::Task<Result<Workspace>> snapshot(CallOptions options = {});
    // What the access engine needs to decide the requests of one key (a token, a raw key or an
    // alias): its KeySlice. A database reads only those rows; the other stores slice a snapshot.
    QCoro::Task<Result<KeySlice>> keySnapshot(QString tokenOrAlias, CallOptions options = {});
    // Teams in team_id order, a page at a time. A limit below 1 is InvalidInput in every store.
    QCoro::Task<Result<Page<Team>>> teams(PageRequest page, CallOptions options = {});
    // The members of one team (id or alias) with their scopes and budgets.
    QCoro::Task<Result<QList<TeamMember>>> members(QString team, CallOptions options = {});
    // One edit, in one transaction: applied completely or not at all.
    QCoro::Task<Result<EditOutcome>> apply(StoreEdit edit);
    // A batch of edits in order; see BatchResult for what each store promises.
    QCoro::Task<BatchResult> apply(QList<StoreEdit> edits, CallOptions options = {});
    // What apply() would refuse `edit` for whatever the data holds (a read-only connection, a
    // proxy too old for the edit), in apply()'s own words; Done otherwise. Reads and writes no
    // data. After open(). With previewEdits() on a snapshot, this is what the CLI's --dry-run and
    // the window's what-if show without writing anything.
    QCoro::Task<Status> checkEdit(StoreEdit edit);

protected:
    // What each store implements. The public calls above check what is the same for every store
    // (a cancelled call, a page limit) before these run, and pass options whose cancellation
    // fires when the caller's does or the store is destroyed: an implementation watches only
    // that one.
    virtual QCoro::Task<Result<StoreInfo>> doOpen() = 0;
    virtual QCoro::Task<Result<Workspace>> doSnapshot(CallOptions options) = 0;
    // By default: doSnapshot(), sliced.
    virtual QCoro::Task<Result<KeySlice>> doKeySnapshot(QString tokenOrAlias, CallOptions options);
    virtual QCoro::Task<Result<Page<Team>>> doTeams(PageRequest page, CallOptions options) = 0;
    virtual QCoro::Task<Result<QList<TeamMember>>> doMembers(QString team, CallOptions options) = 0;
    virtual QCoro::Task<BatchResult> doApply(QList<StoreEdit> edits, CallOptions options) = 0;
    virtual QCoro::Task<Status> doCheckEdit(StoreEdit edit) = 0;

    // The rules to write by: the admin's version, else `detected` (the store's own finding,
    // empty when it has none: the newest rules, assumed).
    LiteLLMProfile profile(const QString& detected) const {
        return profileFor(m_version, detected);
    }

private:
    std::optional<LiteLLMVersion> m_version;
    // Fired by the destructor; every call is linked to it.
    std::shared_ptr<Cancellation> m_lifetime = std::make_shared<Cancellation>();
};

} // namespace litescope
