#pragma once

#include <QList>
#include <QStringView>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace litescope::pg {

// The snapshot reads its big tables in the server's physical order (an ORDER BY made PostgreSQL
// sort the rows or walk an index, which took longer than the read itself) and sorts them here,
// by code point: the same order in every snapshot, whatever the database's collation (C.UTF-8
// sorts the same way).

// A UTF-16 unit's place in code-point order: surrogates (U+10000 and up) come after U+FFFF.
inline std::uint64_t codePointRank(char16_t unit) {
    return unit < 0xD800 ? unit : unit < 0xE000 ? unit + 0x2000u : unit - 0x800u;
}

inline bool codePointLess(QStringView a, QStringView b) {
    const auto [left, right] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
    if (right == b.end())
        return false;
    if (left == a.end())
        return true;
    return codePointRank(left->unicode()) < codePointRank(right->unicode());
}

// The first eight units of a text, ranked, as two numbers that compare as the texts' beginnings
// do; a shorter text is padded with zeros, which only ties it with a longer one.
inline std::pair<std::uint64_t, std::uint64_t> codePointPrefix(QStringView text) {
    std::uint64_t words[2] = {0, 0};
    const qsizetype size = std::min<qsizetype>(text.size(), 8);
    for (qsizetype i = 0; i < size; ++i)
        words[i / 4] |= codePointRank(text[i].unicode()) << (16 * (3 - i % 4));
    return {words[0], words[1]};
}

// Sorts `rows` by `id` (a QStringView of the row), ties (rows whose ids begin alike) by `less`,
// which must order the rows by that id first. The comparisons mostly look at an array of prefixes
// instead of chasing every row's strings, and each row moves once.
template <typename T, typename Id, typename Less>
void sortRows(QList<T>& rows, Id id, Less less) {
    struct Entry {
        std::pair<std::uint64_t, std::uint64_t> prefix;
        qsizetype index;
    };
    std::vector<Entry> order;
    order.reserve(std::size_t(rows.size()));
    for (qsizetype i = 0; i < rows.size(); ++i)
        order.push_back({codePointPrefix(id(std::as_const(rows)[i])), i});
    std::sort(order.begin(), order.end(), [&](const Entry& a, const Entry& b) {
        if (a.prefix != b.prefix)
            return a.prefix < b.prefix;
        return less(std::as_const(rows)[a.index], std::as_const(rows)[b.index]);
    });
    // The permutation in place, one cycle at a time: no second list of rows.
    for (qsizetype start = 0; start < rows.size(); ++start) {
        if (order[std::size_t(start)].index == start)
            continue;
        T held = std::move(rows[start]);
        qsizetype at = start;
        for (;;) {
            const qsizetype from = order[std::size_t(at)].index;
            order[std::size_t(at)].index = at;
            if (from == start) {
                rows[at] = std::move(held);
                break;
            }
            rows[at] = std::move(rows[from]);
            at = from;
        }
    }
}

} // namespace litescope::pg
