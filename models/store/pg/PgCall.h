#pragma once

#include "store/Operation.h"

#include <memory>
#include <mutex>
#include <pqxx/pqxx>

namespace litescope {

// Thrown by database work that found its call cancelled between statements or batches;
// PgSession answers Cancelled for it.
struct PgCancelled {};

// One store call as the database work sees it. A cancel interrupts the statement running on every
// connection being watched (libpq's PQcancel, sent from the cancelling thread), and the work
// checks between statements and batches. Progress reports never overlap, although the snapshot
// reports from two threads (its key reader runs on a second connection).
class PgCall {
public:
    // A call that is never cancelled and reports nothing.
    PgCall();
    explicit PgCall(CallOptions options);
    ~PgCall();
    PgCall(const PgCall&) = delete;
    PgCall& operator=(const PgCall&) = delete;

    const CallOptions& options() const { return m_options; }
    bool isCancelled() const { return m_options.isCancelled(); }
    // Throws PgCancelled when the call was cancelled.
    void checkCancelled() const;
    void report(const QString& phase, qint64 done, qint64 total = -1) const;

    // While a Watch lives, cancelling the call cancels the statement running on its connection.
    // Its destructor waits for a cancel request being sent on it, so no request sent for this call
    // can reach the connection's next statement: PostgreSQL drops a cancel that arrives while the
    // connection is idle.
    class Watch {
    public:
        Watch(Watch&&) = delete;
        ~Watch();

    private:
        friend class PgCall;
        struct Connections;
        Watch(std::shared_ptr<Connections> connections, pqxx::connection_base& connection);
        std::shared_ptr<Connections> m_connections;
        pqxx::connection_base* m_connection;
    };
    [[nodiscard]] std::unique_ptr<Watch> watch(pqxx::connection_base& connection) const;

private:
    CallOptions m_options;
    std::shared_ptr<Watch::Connections> m_connections;
    Cancellation::Hook m_hook;
    mutable std::mutex m_reportMutex;
};

} // namespace litescope
