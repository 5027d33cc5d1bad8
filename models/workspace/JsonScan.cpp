#include "workspace/JsonScan.h"

#include "workspace/JsonDetail.h"
#include "workspace/Utf8.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <optional>
#include <string>
#include <unordered_set>

namespace litescope::workspace::detail {

namespace {

// Deeper than Qt's parser goes (it refuses documents nested deeper than 1024): the pass gives up
// and leaves the refusal to Qt.
constexpr std::size_t MaxDepth = 2048;
// Objects with more keys than this are looked up through a hash set.
constexpr std::size_t SmallObject = 16;

int hexDigit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// A \uXXXX escape at `at`, or -1.
int escapedUnit(std::string_view text, std::size_t at) {
    if (at + 6 > text.size() || text[at] != '\\' || text[at + 1] != 'u')
        return -1;
    int unit = 0;
    for (std::size_t i = at + 2; i < at + 6; ++i) {
        const int digit = hexDigit(text[i]);
        if (digit < 0)
            return -1;
        unit = unit * 16 + digit;
    }
    return unit;
}

// UTF-8, extended to lone surrogates (which Qt keeps as they are): distinct UTF-16 strings stay
// distinct, and no valid UTF-8 in the file spells a lone surrogate.
void appendUtf8(std::string& out, char32_t point) {
    if (point < 0x80) {
        out += char(point);
    } else if (point < 0x800) {
        out += char(0xC0 | (point >> 6));
        out += char(0x80 | (point & 0x3F));
    } else if (point < 0x10000) {
        out += char(0xE0 | (point >> 12));
        out += char(0x80 | ((point >> 6) & 0x3F));
        out += char(0x80 | (point & 0x3F));
    } else {
        out += char(0xF0 | (point >> 18));
        out += char(0x80 | ((point >> 12) & 0x3F));
        out += char(0x80 | ((point >> 6) & 0x3F));
        out += char(0x80 | (point & 0x3F));
    }
}

// The text of a string with its escapes decoded, as Qt's parser decodes them.
std::string decoded(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size();) {
        if (raw[i] != '\\' || i + 1 == raw.size()) {
            out += raw[i++];
            continue;
        }
        const char escape = raw[i + 1];
        const char* simple = nullptr;
        switch (escape) {
        case '"':
        case '\\':
        case '/':
            simple = &raw[i + 1];
            break;
        case 'b':
            simple = "\b";
            break;
        case 'f':
            simple = "\f";
            break;
        case 'n':
            simple = "\n";
            break;
        case 'r':
            simple = "\r";
            break;
        case 't':
            simple = "\t";
            break;
        default:
            break;
        }
        if (simple) {
            out += *simple;
            i += 2;
            continue;
        }
        const int unit = escapedUnit(raw, i);
        if (unit < 0) {
            // Qt reads an unknown escape \x as the character itself ("\x" is "x").
            out += escape;
            i += 2;
            continue;
        }
        i += 6;
        char32_t point = char32_t(unit);
        if (unit >= 0xD800 && unit < 0xDC00) {
            const int low = escapedUnit(raw, i);
            if (low >= 0xDC00 && low < 0xE000) {
                point = 0x10000 + ((char32_t(unit) - 0xD800) << 10) + (char32_t(low) - 0xDC00);
                i += 6;
            }
        }
        appendUtf8(out, point);
    }
    return out;
}

QString keyText(std::string_view raw) {
    const std::string text = decoded(raw);
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

class Scanner {
public:
    Scanner(QByteArrayView json, const std::vector<std::string_view>& topLevelKeys)
        : m_begin(json.data())
        , m_at(json.data())
        , m_end(json.data() + json.size())
        , m_wanted(topLevelKeys) {
        m_outline.found.assign(topLevelKeys.size(), false);
    }

    JsonOutline run() {
        if (m_end - m_at >= 3 && std::string_view(m_at, 3) == "\xEF\xBB\xBF")
            m_at += 3;
        skipSpace();
        const char first = m_at < m_end ? *m_at : '\0';
        if ((first == '{' || first == '[') && value() && (skipSpace(), m_at == m_end))
            m_outline.top = first == '{' ? JsonOutline::Top::Object : JsonOutline::Top::Array;
        return std::move(m_outline);
    }

private:
    struct Key {
        std::string_view raw;       // as written, between the quotes
        std::string_view canonical; // decoded; the same view when there is nothing to decode
    };
    struct Frame {
        bool object = false;
        qsizetype index = 0;
        Key current;
        std::vector<Key> keys;
        std::unordered_set<std::string_view> many;
        bool usesSet = false;
    };

    void skipSpace() {
        while (m_at < m_end && (*m_at == ' ' || *m_at == '\n' || *m_at == '\r' || *m_at == '\t'))
            ++m_at;
    }

    void suspect(const char* at) {
        if (m_outline.firstSuspect < 0)
            m_outline.firstSuspect = at - m_begin;
    }

    // At an opening quote: the string's raw text, or nullopt when it does not end.
    std::optional<std::string_view> string(bool* escaped) {
        const char* start = ++m_at;
        *escaped = false;
        while (m_at < m_end) {
            skipPlainBytes();
            if (m_at == m_end)
                break;
            const auto c = static_cast<unsigned char>(*m_at);
            if (c == '"') {
                const std::string_view raw(start, std::size_t(m_at - start));
                ++m_at;
                return raw;
            }
            if (c == '\\') {
                *escaped = true;
                if (m_end - m_at < 2)
                    return std::nullopt;
                escape();
                continue;
            }
            if (c >= 0x80) {
                const int length = utf8Length();
                if (length == 0)
                    suspect(m_at);
                m_at += std::max(length, 1);
                continue;
            }
            if (c < 0x20)
                suspect(m_at);
            ++m_at;
        }
        return std::nullopt;
    }

    // Steps over printable ASCII inside a string eight bytes at a time: most of a workspace.
    void skipPlainBytes() {
        constexpr std::uint64_t ones = 0x0101010101010101ULL;
        constexpr std::uint64_t highs = 0x8080808080808080ULL;
        // Bytes below n (n <= 128): the classic "has less" test; it never misses one.
        const auto below = [](std::uint64_t word, std::uint64_t n) {
            return (word - ones * n) & ~word & highs;
        };
        while (m_end - m_at >= 8) {
            std::uint64_t word;
            std::memcpy(&word, m_at, sizeof word);
            const std::uint64_t special = (word & highs) | below(word ^ (ones * '"'), 1) |
                                          below(word ^ (ones * '\\'), 1) | below(word, 0x20);
            if (special != 0)
                return;
            m_at += 8;
        }
    }

    // At a backslash with at least one byte after it: steps over the escape.
    void escape() {
        const std::string_view rest(m_at, std::size_t(m_end - m_at));
        switch (m_at[1]) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            m_at += 2;
            return;
        case 'u':
            break;
        default:
            suspect(m_at);
            m_at += 2;
            return;
        }
        const int unit = escapedUnit(rest, 0);
        if (unit < 0) {
            suspect(m_at);
            m_at += 2;
            return;
        }
        // A surrogate must come in a pair, high then low.
        if (unit >= 0xD800 && unit < 0xDC00) {
            const int low = escapedUnit(rest, 6);
            if (low >= 0xDC00 && low < 0xE000) {
                m_at += 12;
                return;
            }
            suspect(m_at);
        } else if (unit >= 0xDC00 && unit < 0xE000) {
            suspect(m_at);
        }
        m_at += 6;
    }

    // The length of the valid UTF-8 sequence at m_at (a byte >= 0x80), or 0.
    int utf8Length() const {
        return utf8SequenceLength(reinterpret_cast<const unsigned char*>(m_at),
                                  reinterpret_cast<const unsigned char*>(m_end));
    }

    static bool scalarByte(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '+' || c == '-' || c == '.';
    }

    // A literal or a number as strict JSON spells it.
    static bool strictScalar(std::string_view text) {
        if (text == "true" || text == "false" || text == "null")
            return true;
        std::size_t i = 0;
        const auto digits = [&] {
            const std::size_t from = i;
            while (i < text.size() && text[i] >= '0' && text[i] <= '9')
                ++i;
            return i > from;
        };
        if (i < text.size() && text[i] == '-')
            ++i;
        if (i < text.size() && text[i] == '0')
            ++i;
        else if (!digits())
            return false;
        if (i < text.size() && text[i] == '.') {
            ++i;
            if (!digits())
                return false;
        }
        if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
            ++i;
            if (i < text.size() && (text[i] == '+' || text[i] == '-'))
                ++i;
            if (!digits())
                return false;
        }
        return i == text.size();
    }

    Frame& push(bool object) {
        if (m_depth == m_frames.size())
            m_frames.emplace_back();
        Frame& frame = m_frames[m_depth++];
        frame.object = object;
        frame.index = 0;
        frame.keys.clear();
        if (frame.usesSet) {
            // A set sized for a huge object would make every later clear() as slow as it.
            if (frame.many.bucket_count() > 4096)
                frame.many = {};
            else
                frame.many.clear();
            frame.usesSet = false;
        }
        return frame;
    }

    // False when the key is a duplicate (recorded in the outline).
    bool addKey(Frame& frame, std::string_view raw, bool escaped, const char* at) {
        std::string_view canonical = raw;
        if (escaped)
            canonical = m_decoded.emplace_back(decoded(raw));
        frame.current = Key{raw, canonical};
        bool seen = false;
        if (frame.usesSet) {
            seen = !frame.many.insert(canonical).second;
        } else {
            for (const Key& key : frame.keys)
                if (key.canonical == canonical) {
                    seen = true;
                    break;
                }
            if (!seen) {
                frame.keys.push_back(frame.current);
                if (frame.keys.size() > SmallObject) {
                    for (const Key& key : frame.keys)
                        frame.many.insert(key.canonical);
                    frame.usesSet = true;
                }
            }
        }
        if (seen) {
            m_outline.duplicate = DuplicateKey{pathHere(), qsizetype(at - m_begin)};
            return false;
        }
        if (m_depth == 1)
            for (std::size_t i = 0; i < m_wanted.size(); ++i)
                if (m_wanted[i] == canonical)
                    m_outline.found[i] = true;
        return true;
    }

    // The path of the value being read, in the words of the reader's messages.
    QString pathHere() const {
        QString path;
        for (std::size_t i = 0; i < m_depth; ++i) {
            const Frame& frame = m_frames[i];
            if (!frame.object) {
                path = indexPath(path, frame.index);
                continue;
            }
            path = keyPath(path, keyText(frame.current.raw));
            if (i == 0 && path.startsWith(u'.'))
                path.remove(0, 1);
        }
        return path;
    }

    // Reads one value and everything nested in it, without recursion (a deep document must not
    // exhaust the stack). False when the text cannot be followed or holds a duplicate key.
    bool value() {
        const std::size_t outer = m_depth;
        for (;;) {
            // A value starts here.
            skipSpace();
            if (m_at == m_end)
                return false;
            const char c = *m_at;
            if (c == '{' || c == '[') {
                if (m_depth == MaxDepth)
                    return false;
                ++m_at;
                Frame& frame = push(c == '{');
                skipSpace();
                if (m_at < m_end && *m_at == (frame.object ? '}' : ']')) {
                    ++m_at;
                    --m_depth;
                } else if (frame.object) {
                    if (!key())
                        return false;
                    continue;
                } else {
                    continue;
                }
            } else if (c == '"') {
                bool escaped = false;
                if (!string(&escaped))
                    return false;
            } else if (scalarByte(c)) {
                const char* start = m_at;
                while (m_at < m_end && scalarByte(*m_at))
                    ++m_at;
                if (!strictScalar(std::string_view(start, std::size_t(m_at - start))))
                    suspect(start);
            } else {
                return false;
            }
            // A value ended: a separator or the end of its container follows.
            for (;;) {
                if (m_depth == outer)
                    return true;
                Frame& frame = m_frames[m_depth - 1];
                skipSpace();
                if (m_at == m_end)
                    return false;
                if (*m_at == ',') {
                    ++m_at;
                    if (frame.object) {
                        skipSpace();
                        if (!key())
                            return false;
                    } else {
                        ++frame.index;
                    }
                    break;
                }
                if (*m_at != (frame.object ? '}' : ']'))
                    return false;
                ++m_at;
                --m_depth;
            }
        }
    }

    // A key and its colon, in the innermost frame (an object).
    bool key() {
        if (m_at == m_end || *m_at != '"')
            return false;
        const char* at = m_at;
        bool escaped = false;
        const std::optional<std::string_view> raw = string(&escaped);
        if (!raw || !addKey(m_frames[m_depth - 1], *raw, escaped, at))
            return false;
        skipSpace();
        if (m_at == m_end || *m_at != ':')
            return false;
        ++m_at;
        return true;
    }

    const char* m_begin;
    const char* m_at;
    const char* m_end;
    const std::vector<std::string_view>& m_wanted;
    JsonOutline m_outline;
    std::vector<Frame> m_frames;
    std::size_t m_depth = 0;
    std::deque<std::string> m_decoded; // the decoded keys the frames point into
};

} // namespace

JsonOutline outlineJson(QByteArrayView json, const std::vector<std::string_view>& topLevelKeys) {
    return Scanner(json, topLevelKeys).run();
}

} // namespace litescope::workspace::detail
