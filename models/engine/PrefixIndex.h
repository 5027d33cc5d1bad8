#pragma once

#include <QHash>
#include <QStringView>

#include <cstdint>
#include <vector>

namespace litescope::engine {

// Which of many patterns could match a name, by the literal text each pattern's matches must
// start with. Every wildcard is a regex run per name, so trying all of them made n names × n
// wildcards cost n² runs (issue 11: 4,000 team wildcards took 10 s to compile). The index only
// narrows: callers still run each candidate's regex, so a prefix that is too short (even empty)
// costs time, never a different answer.
class PrefixIndex {
public:
    // `id` may only match texts that start with `prefix`.
    void add(QStringView prefix, std::int32_t id);
    // Appends the ids whose prefix starts `text` (unsorted; an id at most once per call).
    void collect(QStringView text, std::vector<std::int32_t>& into) const;

    // The literal start of LiteLLM's allow-list regex "^" + entry with '*' -> ".*" + "$", where
    // the entry's other characters keep their regex meaning.
    static QStringView allowListPrefix(QStringView entry);
    // The literal start of a pattern whose only special character is '*' (the rest escaped).
    static QStringView wildcardPrefix(QStringView pattern);

private:
    struct Node {
        std::vector<std::int32_t> ids;
    };
    // Edges of the character trie, keyed by (node << 16 | UTF-16 unit).
    QHash<quint64, std::int32_t> m_edges;
    std::vector<Node> m_nodes{Node{}};
};

} // namespace litescope::engine
