#pragma once

#include <QString>
#include <QStringView>

#include <cstddef>
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

    qsizetype size() const { return qsizetype(m_count); }

private:
    // One flat table probed in place (open addressing): a lookup touches its slot and, when the
    // hashes match, the string's own buffer. A node-based map cost two more cache misses per
    // lookup, which made interning cost more than the copies it saves (a 200,000-key workspace:
    // 0.48 s of 1.3 s).
    struct Slot {
        std::uint64_t hash = 0; // 0: empty
        QString text;
    };

    static std::uint64_t hashOf(std::string_view utf8);
    static bool sameText(const QString& text, std::string_view utf8);
    void grow();

    std::vector<Slot> m_slots;
    std::size_t m_count = 0;
};

} // namespace litescope
