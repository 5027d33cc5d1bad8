#include "domain/StringPool.h"

#include <QByteArray>
#include <QHashFunctions>

#include <algorithm>
#include <utility>

namespace litescope {

std::uint64_t StringPool::hashOf(std::string_view utf8) {
    // Never 0, which marks an empty slot.
    return std::uint64_t(qHashBits(utf8.data(), utf8.size(), 0)) | 1;
}

bool StringPool::sameText(const QString& text, std::string_view utf8) {
    const bool ascii = std::all_of(utf8.begin(), utf8.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (!ascii)
        return text == QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
    if (text.size() != qsizetype(utf8.size()))
        return false;
    const QChar* units = text.constData();
    for (std::size_t i = 0; i < utf8.size(); ++i)
        if (units[i].unicode() != char16_t(utf8[i]))
            return false;
    return true;
}

void StringPool::grow() {
    const std::size_t size = std::max<std::size_t>(1024, m_slots.size() * 2);
    std::vector<Slot> old = std::exchange(m_slots, std::vector<Slot>(size));
    const std::size_t mask = m_slots.size() - 1;
    for (Slot& slot : old) {
        if (slot.hash == 0)
            continue;
        std::size_t at = slot.hash & mask;
        while (m_slots[at].hash != 0)
            at = (at + 1) & mask;
        m_slots[at] = std::move(slot);
    }
}

QString StringPool::intern(std::string_view utf8) {
    if (utf8.empty())
        return QString();
    // At most half full: probes stay short.
    if (2 * (m_count + 1) > m_slots.size())
        grow();
    const std::uint64_t hash = hashOf(utf8);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
        Slot& slot = m_slots[at];
        if (slot.hash == 0) {
            slot.hash = hash;
            slot.text = QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
            ++m_count;
            return slot.text;
        }
        if (slot.hash == hash && sameText(slot.text, utf8))
            return slot.text;
    }
}

QString StringPool::intern(const QString& text) {
    if (text.isEmpty())
        return text;
    const QByteArray utf8 = text.toUtf8();
    const std::string_view key(utf8.constData(), std::size_t(utf8.size()));
    if (2 * (m_count + 1) > m_slots.size())
        grow();
    const std::uint64_t hash = hashOf(key);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
        Slot& slot = m_slots[at];
        if (slot.hash == 0) {
            slot.hash = hash;
            slot.text = text;
            ++m_count;
            return text;
        }
        if (slot.hash == hash && slot.text == text)
            return slot.text;
    }
}

} // namespace litescope
