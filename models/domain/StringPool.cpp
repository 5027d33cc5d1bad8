#include "domain/StringPool.h"

#include <QHashFunctions>
#include <QStringDecoder>

#include <cstring>
#include <limits>

namespace litescope {

namespace {

std::uint64_t tagOf(std::size_t hash) {
    return std::uint64_t(hash) & 0xFFFFFFFF00000000ULL;
}

QString decoded(std::string_view utf8) {
    // QString::fromUtf8 drops a leading byte-order mark; a name may start with one.
    if (utf8.size() >= 3 && std::memcmp(utf8.data(), "\xEF\xBB\xBF", 3) == 0)
        return QStringDecoder(QStringDecoder::Utf8, QStringConverter::Flag::ConvertInitialBom)
            .decode(QByteArrayView(utf8.data(), qsizetype(utf8.size())));
    return QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
}

} // namespace

// The slot that holds `utf8`, or the empty one where it would go.
std::size_t StringPool::slotOf(std::string_view utf8, std::size_t hash) const {
    const std::size_t mask = m_slots.size() - 1;
    const std::uint64_t tag = tagOf(hash);
    for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
        const std::uint64_t value = m_slots[slot];
        if (value == 0)
            return slot;
        if ((value & 0xFFFFFFFF00000000ULL) != tag)
            continue;
        const Entry& entry = m_entries[std::size_t(value & 0xFFFFFFFFULL) - 1];
        if (entry.size == utf8.size() &&
            std::memcmp(m_bytes.data() + entry.offset, utf8.data(), utf8.size()) == 0)
            return slot;
    }
}

void StringPool::grow() {
    std::vector<std::uint64_t> slots(m_slots.empty() ? 1024 : m_slots.size() * 2, 0);
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        const Entry& entry = m_entries[i];
        const std::size_t hash = qHashBits(m_bytes.data() + entry.offset, entry.size);
        std::size_t slot = hash & mask;
        while (slots[slot] != 0)
            slot = (slot + 1) & mask;
        slots[slot] = tagOf(hash) | (i + 1);
    }
    m_slots = std::move(slots);
}

QString StringPool::intern(std::string_view utf8) {
    return lookup(utf8, nullptr);
}

QString StringPool::intern(const QString& text) {
    if (text.isEmpty())
        return text;
    const QByteArray utf8 = text.toUtf8();
    return lookup(std::string_view(utf8.constData(), std::size_t(utf8.size())), &text);
}

// The pooled text for `utf8`; a new entry holds `given` when there is one, else the decoded text.
QString StringPool::lookup(std::string_view utf8, const QString* given) {
    if (utf8.empty())
        return QString();
    // Past 4 GiB of text or 4 billion names the offsets no longer fit: no more pooling.
    if (m_bytes.size() + utf8.size() > std::numeric_limits<std::uint32_t>::max() ||
        m_entries.size() >= std::numeric_limits<std::uint32_t>::max() - 1)
        return given ? *given : decoded(utf8);
    if ((m_entries.size() + 1) * 2 > m_slots.size())
        grow();
    const std::size_t hash = qHashBits(utf8.data(), utf8.size());
    const std::size_t slot = slotOf(utf8, hash);
    if (m_slots[slot] != 0)
        return m_entries[std::size_t(m_slots[slot] & 0xFFFFFFFFULL) - 1].text;
    QString text = given ? *given : decoded(utf8);
    m_entries.push_back({std::uint32_t(m_bytes.size()), std::uint32_t(utf8.size()), text});
    m_bytes.insert(m_bytes.end(), utf8.begin(), utf8.end());
    m_slots[slot] = tagOf(hash) | m_entries.size();
    return text;
}

} // namespace litescope
