#pragma once

#include <QHashFunctions>
#include <QString>
#include <QStringView>

#include <cstdint>
#include <optional>
#include <vector>

// Internal to models/workspace: the duplicate checks' memory of where each id was first seen.
namespace litescope::workspace::detail {

// An id's hash for FirstSeen. Any seed but 0: then Qt hashes through the CPU's AES unit where
// there is one, several times faster than SipHash on a 64-character token.
inline std::uint64_t idHash(QStringView id) {
    return qHash(id, std::size_t(0x9E3779B97F4A7C15ULL));
}

// Where each id of a list was first seen, by the ids' indexes in the list: a flat table of
// hashes and indexes. A QHash<QString, qsizetype> reached every entry through its spans and
// nodes, and with hundreds of thousands of tokens those cache misses were most of validating a
// big workspace (issue 12).
class FirstSeen {
public:
    explicit FirstSeen(qsizetype expected) {
        std::size_t size = 16;
        while (size < std::size_t(expected) * 2)
            size *= 2;
        m_slots.resize(size);
    }

    // The index where an id equal to the one at `index` was seen first, or nullopt (and `index`
    // is remembered for it). `same(first)`: whether the id at `first` equals the one at `index`.
    template <typename Same>
    std::optional<qsizetype> seenBefore(std::uint64_t hash, qsizetype index, Same same) {
        if (std::size_t(m_size + 1) * 2 > m_slots.size())
            grow();
        const std::size_t mask = m_slots.size() - 1;
        std::size_t slot = hash & mask;
        for (; m_slots[slot].index >= 0; slot = (slot + 1) & mask)
            if (m_slots[slot].hash == hash && same(m_slots[slot].index))
                return m_slots[slot].index;
        m_slots[slot] = Slot{hash, index};
        ++m_size;
        return std::nullopt;
    }

private:
    struct Slot {
        std::uint64_t hash = 0;
        qsizetype index = -1; // -1: empty
    };

    void grow() {
        std::vector<Slot> slots(m_slots.size() * 2);
        const std::size_t mask = slots.size() - 1;
        for (const Slot& old : m_slots) {
            if (old.index < 0)
                continue;
            std::size_t slot = old.hash & mask;
            while (slots[slot].index >= 0)
                slot = (slot + 1) & mask;
            slots[slot] = old;
        }
        m_slots = std::move(slots);
    }

    std::vector<Slot> m_slots; // a power of two long, at most half full
    qsizetype m_size = 0;
};

} // namespace litescope::workspace::detail
