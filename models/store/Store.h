#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"
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

// Where litescope reads and writes a proxy's teams, members, keys and models: a PostgreSQL
// database, the admin REST API, or a workspace file. Views and commands talk only to this.
//
// Every call is a coroutine that does its slow work off the calling thread and never throws:
// failures come back as an Error whose kind says how to react (ConnectionLost: the next call
// reconnects; Conflict: someone changed the row; PermissionDenied: read-only connection or
// refused credentials; Unsupported: the proxy is too old for this).
class Store {
public:
    virtual ~Store() = default;

    // Connects (or reads) and detects what the proxy supports.
    virtual QCoro::Task<Result<StoreInfo>> open() = 0;
    // Everything the access engine needs, as a workspace (source.kind says where it came from).
    virtual QCoro::Task<Result<Workspace>> snapshot() = 0;
    // Teams in team_id order, a page at a time.
    virtual QCoro::Task<Result<Page<Team>>> teams(PageRequest page) = 0;
    // The members of one team (id or alias) with their scopes and budgets.
    virtual QCoro::Task<Result<QList<TeamMember>>> members(QString team) = 0;
    // One edit, in one transaction: applied completely or not at all.
    virtual QCoro::Task<Result<EditOutcome>> apply(StoreEdit edit) = 0;
};

} // namespace litescope
