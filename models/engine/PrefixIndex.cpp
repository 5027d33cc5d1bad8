#include "engine/PrefixIndex.h"

namespace litescope::engine {

namespace {

quint64 edgeKey(std::int32_t node, QChar c) {
    return (quint64(quint32(node)) << 16) | c.unicode();
}

} // namespace

void PrefixIndex::add(QStringView prefix, std::int32_t id) {
    std::int32_t node = 0;
    for (const QChar c : prefix) {
        auto it = m_edges.constFind(edgeKey(node, c));
        if (it == m_edges.constEnd()) {
            it = m_edges.insert(edgeKey(node, c), static_cast<std::int32_t>(m_nodes.size()));
            m_nodes.emplace_back();
        }
        node = it.value();
    }
    m_nodes[static_cast<std::size_t>(node)].ids.push_back(id);
}

void PrefixIndex::collect(QStringView text, std::vector<std::int32_t>& into) const {
    std::int32_t node = 0;
    into.insert(into.end(), m_nodes.front().ids.begin(), m_nodes.front().ids.end());
    for (const QChar c : text) {
        const auto it = m_edges.constFind(edgeKey(node, c));
        if (it == m_edges.constEnd())
            return;
        node = it.value();
        const std::vector<std::int32_t>& ids = m_nodes[static_cast<std::size_t>(node)].ids;
        into.insert(into.end(), ids.begin(), ids.end());
    }
}

QStringView PrefixIndex::allowListPrefix(QStringView entry) {
    // An alternation anywhere lets a match start with another branch.
    if (entry.contains(u'|'))
        return {};
    static constexpr QStringView special = u"\\^$.|?*+()[]{}";
    qsizetype end = 0;
    while (end < entry.size() && !special.contains(entry[end]))
        ++end;
    // A quantifier makes the atom before it optional: the prefix ends before that atom, a whole
    // code point.
    if (end < entry.size() && end > 0 &&
        (entry[end] == u'?' || entry[end] == u'+' || entry[end] == u'{')) {
        --end;
        if (end > 0 && entry[end].isLowSurrogate() && entry[end - 1].isHighSurrogate())
            --end;
    }
    return entry.first(end);
}

QStringView PrefixIndex::wildcardPrefix(QStringView pattern) {
    const qsizetype star = pattern.indexOf(u'*');
    return star < 0 ? pattern : pattern.first(star);
}

} // namespace litescope::engine
