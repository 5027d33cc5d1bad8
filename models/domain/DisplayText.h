#pragma once

#include <QString>
#include <QStringView>

namespace litescope {

// Names come from other people's databases and proxies. A character that moves the cursor,
// colours a terminal, reorders text or hides itself (C0 and C1 controls, DEL, bidi overrides and
// isolates, zero-width and other format characters, line and paragraph separators) could forge a
// line of output or make two names look alike, so human-readable text never carries one raw: it
// is shown as a \uXXXX escape, as JSON writes it. One rule for the CLI and the window.
// (Tag characters stay hidden: they spell invisible ASCII, a known way to smuggle text.)
inline bool isHiddenCharacter(char32_t c) {
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        return true;
    if (c < 0x7f)
        return false; // printable ASCII, most of every name: no table lookup
    if (c == 0x200c || c == 0x200d)
        return false; // zero-width (non-)joiners: emoji sequences and Persian or Indic words
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate: // unpaired: no character at all
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

namespace detail {
inline void appendEscape(QString& out, char16_t unit) {
    static constexpr char16_t hex[] = u"0123456789abcdef";
    out += u"\\u";
    for (int shift = 12; shift >= 0; shift -= 4)
        out += QChar(hex[(unit >> shift) & 0xf]);
}

// Calls `visit(position, length, hidden)` for each character, surrogate pairs whole.
template <typename Visit>
void forEachCharacter(QStringView text, Visit visit) {
    for (qsizetype i = 0; i < text.size();) {
        const QChar c = text[i];
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            visit(i, 2, isHiddenCharacter(QChar::surrogateToUcs4(c, text[i + 1])));
            i += 2;
        } else {
            visit(i, 1, isHiddenCharacter(c.unicode()));
            ++i;
        }
    }
}
} // namespace detail

inline bool hasHiddenCharacters(QStringView text) {
    bool found = false;
    detail::forEachCharacter(text, [&](qsizetype, qsizetype, bool hidden) { found |= hidden; });
    return found;
}

// The text with each hidden character escaped and nothing else changed: for a line of output
// whose structure is already safe (a message from a server, a file's error text).
inline QString escapeHiddenCharacters(QStringView text, bool keepNewlines = false) {
    if (!hasHiddenCharacters(text))
        return text.toString();
    QString out;
    out.reserve(text.size() + 16);
    detail::forEachCharacter(text, [&](qsizetype at, qsizetype length, bool hidden) {
        const bool kept = keepNewlines && (text[at] == u'\n' || text[at] == u'\t');
        if (!hidden || kept) {
            out += text.mid(at, length);
            return;
        }
        for (qsizetype k = 0; k < length; ++k)
            detail::appendEscape(out, text[at + k].unicode());
    });
    return out;
}

// A name always quoted, with hidden characters, quotes and backslashes escaped (JSON's
// spelling); cut after `maxShown` characters with an ellipsis (never half an emoji) when given.
inline QString quotedName(QStringView name, qsizetype maxShown = -1) {
    QStringView part = maxShown >= 0 ? name.left(maxShown) : name;
    if (part.size() < name.size() && !part.isEmpty() && part.back().isHighSurrogate())
        part.chop(1);
    QString out(1, u'"');
    out.reserve(part.size() + 16);
    detail::forEachCharacter(part, [&](qsizetype at, qsizetype length, bool hidden) {
        if (hidden) {
            for (qsizetype k = 0; k < length; ++k)
                detail::appendEscape(out, part[at + k].unicode());
        } else if (part[at] == u'"' || part[at] == u'\\') {
            out += u'\\';
            out += part[at];
        } else {
            out += part.mid(at, length);
        }
    });
    if (part.size() < name.size())
        out += u'…';
    out += u'"';
    return out;
}

// A name as an admin should see it inside a sentence: as typed when it is safe, otherwise
// quoted, so it can neither forge text nor pass for a different name. A name that starts with a
// quote is quoted too, or "a\nb" typed literally would look like the escaped form of another.
inline QString shownName(QStringView name) {
    if (!name.startsWith(u'"') && !hasHiddenCharacters(name))
        return name.toString();
    return quotedName(name);
}

} // namespace litescope
