#pragma once

#include "domain/Result.h"

#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace litescope {

struct Key;
struct Team;
struct TeamMembership;
struct User;

// A caller's handle to stop a running store call. cancel() may be called from any thread (the
// GUI thread while the work runs on a worker); the store checks it between steps and registers
// hooks that interrupt a step in progress (PostgreSQL: cancel the running query; admin API: abort
// the reply in flight). A cancelled call answers ErrorKind::Cancelled and has written nothing.
class Cancellation {
public:
    void cancel();
    bool isCancelled() const { return m_cancelled.load(std::memory_order_acquire); }

    // While the returned handle lives, `hook` runs (once, on the cancelling thread) when cancel()
    // is called; when the call was already cancelled it runs at once, on this thread. Hooks must
    // be quick and thread-safe: they only signal the work to stop. A cancel() already under way on
    // another thread may still run a hook just after its handle was destroyed, so a hook holds
    // what it touches by shared pointer and checks, under its own lock, that the work is still
    // there.
    class Hook {
    public:
        Hook() = default;
        Hook(Hook&&) noexcept;
        Hook& operator=(Hook&&) noexcept;
        Hook(const Hook&) = delete;
        Hook& operator=(const Hook&) = delete;
        ~Hook();

    private:
        friend class Cancellation;
        std::shared_ptr<Cancellation> m_owner;
        quint64 m_id = 0;
    };
    [[nodiscard]] static Hook onCancel(const std::shared_ptr<Cancellation>& cancellation,
                                       std::function<void()> hook);

private:
    void remove(quint64 id);

    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    quint64 m_nextId = 1;
    QList<std::pair<quint64, std::function<void()>>> m_hooks;
};

// One call's cancellation linked to several sources (the caller's, the store's own): it fires
// when any source fires. The link holds hooks on the sources; destroying it unlinks them.
class CancellationLink {
public:
    explicit CancellationLink(std::initializer_list<std::shared_ptr<Cancellation>> sources);
    CancellationLink(const CancellationLink&) = delete;
    CancellationLink& operator=(const CancellationLink&) = delete;

    const std::shared_ptr<Cancellation>& cancellation() const { return m_linked; }

private:
    std::shared_ptr<Cancellation> m_linked = std::make_shared<Cancellation>();
    std::vector<Cancellation::Hook> m_hooks;
};

// How far a long call has come. `total` is -1 where it is not known in advance.
struct Progress {
    QString phase; // "teams", "keys", "memberships", "edit 3 of 5", ...
    qint64 done = 0;
    qint64 total = -1;
};

// What a caller passes with a long call: a way to cancel it and a progress callback. Both are
// optional. `progress` may be called from a worker thread: a widget wraps it in a queued call.
struct CallOptions {
    std::shared_ptr<Cancellation> cancellation;
    std::function<void(const Progress&)> progress;
    // A snapshot's long lists, each handed over as soon as it is final (sorted, and the very
    // list the workspace will hold), possibly on another thread while other tables are still
    // being read, so a caller can start on them early (snapshot -o serializes them). A callback
    // must return soon (slow work goes to a thread of its own: the reading waits for it), must
    // not throw, and must not change the list. A store may call them just before it answers, or
    // never; a snapshot read again calls them again.
    struct ListsRead {
        std::function<void(const QList<Team>&)> teams;
        std::function<void(const QList<TeamMembership>&)> memberships;
        std::function<void(const QList<User>&)> users;
        std::function<void(const QList<Key>&)> keys;
    };
    ListsRead listsRead;

    bool isCancelled() const { return cancellation && cancellation->isCancelled(); }
    void report(const QString& phase, qint64 done, qint64 total = -1) const {
        if (progress)
            progress(Progress{phase, done, total});
    }
    // The error a cancelled call answers with.
    static Error cancelledError();
};

} // namespace litescope
