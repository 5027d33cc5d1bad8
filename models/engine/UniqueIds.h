#pragma once

#include <QSet>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace litescope::engine {

// Appends ids to a vector once each, in first-seen order. The lists come from the workspace
// (a team's models, the router aliases, a name's deployments), so a search of the vector per
// append would make a list of n entries cost n² (issue 11: 400,000 team models took 32 s). Short
// lists, by far the common case, are still searched in place: hashing them would cost more than
// it saves.
class UniqueIds {
public:
    explicit UniqueIds(std::vector<std::int32_t>& into)
        : m_into(into) {}

    // Whether `id` was new.
    bool add(std::int32_t id) {
        if (m_into.size() < LinearLimit) {
            if (std::find(m_into.begin(), m_into.end(), id) != m_into.end())
                return false;
        } else {
            // The vector holds each id once: a size mismatch means the set is not built yet.
            if (static_cast<std::size_t>(m_seen.size()) != m_into.size())
                m_seen = QSet<std::int32_t>(m_into.begin(), m_into.end());
            if (m_seen.contains(id))
                return false;
            m_seen.insert(id);
        }
        m_into.push_back(id);
        return true;
    }

private:
    static constexpr std::size_t LinearLimit = 16;
    std::vector<std::int32_t>& m_into;
    QSet<std::int32_t> m_seen;
};

} // namespace litescope::engine
