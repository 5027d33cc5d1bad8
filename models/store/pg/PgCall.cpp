#include "store/pg/PgCall.h"

#include <algorithm>
#include <vector>

namespace litescope {

struct PgCall::Watch::Connections {
    std::mutex mutex;
    std::vector<pqxx::connection_base*> watched;
};

PgCall::PgCall()
    : PgCall(CallOptions{}) {}

PgCall::PgCall(CallOptions options)
    : m_options(std::move(options))
    , m_connections(std::make_shared<Watch::Connections>()) {
    // The hook holds the connection list, not the call: it may run after the call is gone.
    m_hook = Cancellation::onCancel(m_options.cancellation, [connections = m_connections] {
        std::lock_guard lock(connections->mutex);
        for (pqxx::connection_base* connection : connections->watched) {
            try {
                connection->cancel_query();
            } catch (...) {
                // The connection is gone or unreachable: the work fails on it anyway, and the
                // checks between statements still stop it.
            }
        }
    });
}

PgCall::~PgCall() = default;

void PgCall::checkCancelled() const {
    if (isCancelled())
        throw PgCancelled{};
}

void PgCall::report(const QString& phase, qint64 done, qint64 total) const {
    if (!m_options.progress)
        return;
    std::lock_guard lock(m_reportMutex);
    m_options.report(phase, done, total);
}

std::unique_ptr<PgCall::Watch> PgCall::watch(pqxx::connection_base& connection) const {
    return std::unique_ptr<Watch>(new Watch(m_connections, connection));
}

PgCall::Watch::Watch(std::shared_ptr<Connections> connections, pqxx::connection_base& connection)
    : m_connections(std::move(connections))
    , m_connection(&connection) {
    std::lock_guard lock(m_connections->mutex);
    m_connections->watched.push_back(m_connection);
}

PgCall::Watch::~Watch() {
    std::lock_guard lock(m_connections->mutex);
    std::erase(m_connections->watched, m_connection);
}

} // namespace litescope
