#pragma once

#include <QSet>
#include <QString>

#include <cstdint>
#include <vector>

namespace litescope::workspace::detail {

// Ids of one kind (teams, users, ...) for reference checks, found by their buffer first. A
// snapshot's names are pooled while they are read (StringPool): a reference to an id that
// exists usually holds that id's very buffer (data pointer and length), and finding the buffer
// answers without hashing the text or comparing it, which in a big workspace are cache misses.
// Strings that share a buffer hold the same text; a reference in another buffer is looked up by
// its text.
class IdSet {
public:
    IdSet() = default;
    explicit IdSet(qsizetype expected);

    void insert(const QString& id);
    bool contains(const QString& id) const { return holdsBuffer(id) || m_texts.contains(id); }

private:
    struct Slot {
        const QChar* data = nullptr; // nullptr: empty (a QString's constData never is)
        qsizetype size = 0;
    };
    bool holdsBuffer(const QString& id) const;
    std::size_t slotOf(const QChar* data, qsizetype size) const;

    QSet<QString> m_texts;       // also keeps every buffer in m_buffers alive and unchanged
    std::vector<Slot> m_buffers; // open addressing, a power of two long, at most half full
    std::size_t m_count = 0;
};

} // namespace litescope::workspace::detail
