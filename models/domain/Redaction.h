#pragma once

#include "domain/DisplayText.h"

#include <QString>

namespace litescope {

// How a key an admin typed is shown back in a message or a heading, never whole: a raw key
// ("sk-…") by its last four characters, as LiteLLM's dashboard abbreviates keys; anything else
// (a key alias, a token hash) cut to 64 characters. Decisions may travel into logs and tickets.
// Shown as names are (shownName), since a key typed or read may hold control characters.
inline QString redactedKey(const QString& key) {
    using namespace Qt::StringLiterals;
    if (key.startsWith(u"sk-"_s))
        return key.size() > 11 ? shownName(QString(u"sk-…"_s + key.right(4))) : u"sk-…"_s;
    if (key.size() > 64)
        return shownName(QString(key.left(60) + u'…'));
    return shownName(key);
}

} // namespace litescope
