#pragma once

#include <QString>
#include <QStringView>

#include <cstdint>
#include <string_view>
#include <vector>

namespace litescope {

// Hands out one shared QString per distinct text while a source is read: a big proxy names the
// same few thousand model names, team ids and user ids hundreds of thousands of times (keys,
// memberships, rosters), and implicit sharing makes every repeat cost a pointer instead of a
// fresh UTF-16 copy. Unique texts (key tokens) should not go through the pool; it would only
// double their cost while it lives. Not thread-safe: one pool per reader.
class StringPool {
public:
    // `utf8` must be valid UTF-8 (both JSON parsers and PostgreSQL guarantee it).
    QString intern(std::string_view utf8);
    QString intern(const QString& text);

    qsizetype size() const { return qsizetype(m_entries.size()); }

private:
    // An open-addressing table: a lookup hashes the text once and mostly touches one slot, where
    // std::unordered_map rehashed the keys of a bucket's chain on every probe.
    struct Entry {
        std::uint32_t offset; // of the UTF-8 in m_bytes
        std::uint32_t size;
        QString text;
    };
    QString lookup(std::string_view utf8, const QString* given);
    void grow();
    std::size_t slotOf(std::string_view utf8, std::size_t hash) const;

    // Per slot: the hash's top half and the entry's index + 1; 0 = empty. A power of two long.
    std::vector<std::uint64_t> m_slots;
    std::vector<Entry> m_entries;
    std::vector<char> m_bytes; // every entry's UTF-8, back to back
};

} // namespace litescope
