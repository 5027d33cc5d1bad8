#include "workspace/IdSet.h"

#include <bit>

namespace litescope::workspace::detail {

IdSet::IdSet(qsizetype expected)
    : m_buffers(std::bit_ceil(std::max<std::size_t>(16, std::size_t(expected) * 2))) {
    m_texts.reserve(expected);
}

std::size_t IdSet::slotOf(const QChar* data, qsizetype size) const {
    const std::size_t mask = m_buffers.size() - 1;
    // By the data pointer alone: a shorter string on an id's buffer lands on the id's slot, and
    // the length tells them apart.
    const auto bits = std::uint64_t(reinterpret_cast<std::uintptr_t>(data));
    for (std::size_t slot = std::size_t((bits * 0x9E3779B97F4A7C15ULL) >> 20) & mask;;
         slot = (slot + 1) & mask) {
        const Slot& at = m_buffers[slot];
        if (at.data == nullptr || (at.data == data && at.size == size))
            return slot;
    }
}

bool IdSet::holdsBuffer(const QString& id) const {
    return !m_buffers.empty() && m_buffers[slotOf(id.constData(), id.size())].data != nullptr;
}

void IdSet::insert(const QString& id) {
    const qsizetype before = m_texts.size();
    m_texts.insert(id);
    // A buffer is remembered only while the set holds it (a copy of this very string: alive and,
    // being shared, unchangeable); not a repeat's other buffer, nor a string on data it does not
    // own (QString::fromRawData).
    if (m_texts.size() == before || id.capacity() == 0)
        return;
    if ((m_count + 1) * 2 > m_buffers.size()) {
        std::vector<Slot> old(std::max<std::size_t>(16, m_buffers.size() * 2));
        old.swap(m_buffers);
        for (const Slot& slot : old)
            if (slot.data)
                m_buffers[slotOf(slot.data, slot.size)] = slot;
    }
    Slot& slot = m_buffers[slotOf(id.constData(), id.size())];
    if (!slot.data) {
        slot = {id.constData(), id.size()};
        ++m_count;
    }
}

} // namespace litescope::workspace::detail
