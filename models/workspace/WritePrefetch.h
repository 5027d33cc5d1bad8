#pragma once

#include "domain/Workspace.h"

namespace litescope::workspace::detail {

// Asks the CPU for the text of an entity a few places ahead of the one being written. Writing a
// big workspace waits mostly on memory: its hundreds of thousands of ids, tokens and e-mail
// addresses lie all over the heap (a snapshot sorts the rows after reading them), and each is
// a cache miss when the writer reaches it. Reading the QString's data pointer touches only the
// entity itself.
inline void prefetch(const QString& text) {
    __builtin_prefetch(text.constData());
}
inline void prefetch(const std::optional<QString>& text) {
    if (text)
        prefetch(*text);
}
inline void prefetch(const QStringList& list) {
    if (!list.isEmpty()) {
        __builtin_prefetch(list.constData());
        prefetch(list.first());
    }
}

inline void prefetchText(const Key& k) {
    prefetch(k.token);
    prefetch(k.alias);
    prefetch(k.userId);
    prefetch(k.teamId);
    prefetch(k.models);
}
inline void prefetchText(const User& u) {
    prefetch(u.id);
    prefetch(u.email);
    if (u.teams)
        prefetch(*u.teams);
}
inline void prefetchText(const TeamMembership& m) {
    prefetch(m.userId);
    prefetch(m.budgetId);
    prefetch(m.allowedModels);
}
template <typename T>
void prefetchText(const T&) {}

} // namespace litescope::workspace::detail
