#include "store/Operation.h"

#include "domain/TranslationContexts.h"

#include <QCoreApplication>

namespace litescope {

void Cancellation::cancel() {
    QList<std::pair<quint64, std::function<void()>>> hooks;
    {
        std::lock_guard lock(m_mutex);
        if (m_cancelled.exchange(true, std::memory_order_acq_rel))
            return;
        hooks = m_hooks;
    }
    // Outside the lock: a hook may cause the work to finish and drop its own Hook handle.
    for (const auto& [id, hook] : hooks)
        hook();
}

Cancellation::Hook Cancellation::onCancel(const std::shared_ptr<Cancellation>& cancellation,
                                          std::function<void()> hook) {
    Hook handle;
    if (!cancellation)
        return handle;
    {
        std::lock_guard lock(cancellation->m_mutex);
        if (!cancellation->isCancelled()) {
            handle.m_owner = cancellation;
            handle.m_id = cancellation->m_nextId++;
            cancellation->m_hooks.append({handle.m_id, std::move(hook)});
            return handle;
        }
    }
    hook();
    return handle;
}

void Cancellation::remove(quint64 id) {
    std::lock_guard lock(m_mutex);
    m_hooks.removeIf([id](const auto& entry) { return entry.first == id; });
}

Cancellation::Hook::Hook(Hook&& other) noexcept
    : m_owner(std::move(other.m_owner))
    , m_id(other.m_id) {
    other.m_id = 0;
}

Cancellation::Hook& Cancellation::Hook::operator=(Hook&& other) noexcept {
    if (this != &other) {
        if (m_owner)
            m_owner->remove(m_id);
        m_owner = std::move(other.m_owner);
        m_id = other.m_id;
        other.m_id = 0;
    }
    return *this;
}

Cancellation::Hook::~Hook() {
    if (m_owner)
        m_owner->remove(m_id);
}

CancellationLink::CancellationLink(std::initializer_list<std::shared_ptr<Cancellation>> sources) {
    for (const std::shared_ptr<Cancellation>& source : sources) {
        // The hook holds the linked cancellation, never the link: it may outlive both.
        m_hooks.push_back(
            Cancellation::onCancel(source, [linked = m_linked] { linked->cancel(); }));
    }
}

Error CallOptions::cancelledError() {
    return {ErrorKind::Cancelled, StoreText::tr("Cancelled; nothing was written.")};
}

} // namespace litescope
