#pragma once

#include "domain/Result.h"
#include "store/pg/PgCall.h"
#include "store/pg/PgConnectionOptions.h"
#include "store/pg/PgRelease.h"
#include "store/pg/PgSchema.h"

#include <exception>
#include <functional>
#include <memory>
#include <pqxx/pqxx>

namespace litescope {

// One connection to a LiteLLM database, used from one worker thread at a time. It connects on
// first use, detects the schema and the release it belongs to, and reconnects on the next call
// after the connection was lost. libpqxx exceptions never leave it: they become Errors an admin can
// act on.
class PgSession {
public:
    explicit PgSession(PgConnectionOptions options);

    const PgConnectionOptions& options() const { return m_options; }
    const PgSchema& schema() const { return m_schema; }
    // The LiteLLM release the database's markers place the proxy at, read when connecting.
    const pg::DetectedRelease& release() const { return m_release; }
    const QString& displayName() const { return m_displayName; }

    // Runs `work` on a live connection. A lost connection is reported as ConnectionLost and the
    // next call connects afresh. While `work` runs, cancelling `call` cancels the statement in
    // progress; the call then answers Cancelled and the connection stays open for the next one.
    // (Connecting itself is not interrupted: a cancel then takes effect once it is done.)
    template <typename T>
    Result<T> run(const PgCall& call, const std::function<Result<T>(pqxx::connection&)>& work) {
        if (call.isCancelled())
            return CallOptions::cancelledError();
        if (Status connected = ensureConnected(); !connected)
            return connected.error();
        std::exception_ptr failed;
        try {
            const std::unique_ptr<PgCall::Watch> watch = call.watch(*m_connection);
            return work(*m_connection);
        } catch (...) {
            failed = std::current_exception();
        }
        // The watch is gone: no cancel request of this call can reach what runs from here on.
        return failure(failed, call.isCancelled());
    }
    template <typename T>
    Result<T> run(const std::function<Result<T>(pqxx::connection&)>& work) {
        return run<T>(PgCall(), work);
    }

private:
    Status ensureConnected();
    void detectSchema(pqxx::connection& connection);
    // Maps a libpqxx/libpq failure to an Error and drops the connection when it is gone. A failure
    // of a cancelled call is Cancelled.
    Error failure(std::exception_ptr exception, bool cancelled = false);
    // What libpq or the server said, first line only, without the password: libpq messages may
    // quote connection options.
    QString said(const std::exception& e) const;
    // After a cancel, whether the connection is idle and usable; drops it when not.
    void checkUsable();

    PgConnectionOptions m_options;
    QString m_displayName;
    std::unique_ptr<pqxx::connection> m_connection;
    PgSchema m_schema;
    pg::DetectedRelease m_release;
};

// Text helpers shared by the readers and writers.
std::string toStd(const QString& text);
QString fromStd(const std::string& text);
QString fromField(const pqxx::field& field); // NULL reads as an empty string
// UTF-8 to QString keeping a leading U+FEFF (QString::fromUtf8 strips it).
QString fromUtf8Exact(const char* data, qsizetype size);

} // namespace litescope
