#pragma once

#include "domain/DisplayText.h"

#include <QString>
#include <QUrl>

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

// `text` with every occurrence of `secret` replaced by `marker`: as it is, and as it reads
// percent-encoded in a URL (either case of hex digits, a space as %20 or +), since a server or
// libpq may quote it either way. A secret under four characters is left alone: replacing it would
// blank out ordinary words and, by the gaps, show what it is.
inline QString withoutSecret(QString text, const QString& secret, const QString& marker) {
    using namespace Qt::StringLiterals;
    if (secret.size() < 4)
        return text;
    text.replace(secret, marker);
    const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(secret));
    if (encoded != secret) {
        text.replace(encoded, marker, Qt::CaseInsensitive);
        text.replace(QString(encoded).replace(u"%20"_s, u"+"_s), marker, Qt::CaseInsensitive);
    }
    return text;
}

} // namespace litescope
