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
    // The same, with `hash` == hashOf(utf8) computed before (on another thread, say).
    QString intern(std::string_view utf8, std::uint64_t hash);
    QString intern(const QString& text);
    static std::uint64_t hashOf(std::string_view utf8);

    // For a reader that knows what it looks up next: a lookup costs a cache miss for its slot and
    // one for the text, which these start ahead of time. First the slot, then (once the slot
    // had time to arrive) the text; neither changes anything.
    void prefetchSlot(std::uint64_t hash) const;
    void prefetchText(std::uint64_t hash) const;

    qsizetype size() const { return m_size; }

private:
    // An open-addressing table whose slot holds the text itself and its hash: a lookup in a big
    // table costs a cache miss for the slot and one for the text, which it compares and shares
    // (the reference count lives beside the characters). Kept UTF-8 copies and an entry table
    // cost two more misses a lookup, the better part of reading a big workspace (issue 12).
    struct alignas(32) Slot {
        QString text; // null: empty slot
        std::uint64_t hash = 0;
    };
    QString lookup(std::string_view utf8, std::uint64_t hash, const QString* given);
    void grow();

    std::vector<Slot> m_slots; // a power of two long, at most 70% full
    qsizetype m_size = 0;
};

} // namespace litescope
