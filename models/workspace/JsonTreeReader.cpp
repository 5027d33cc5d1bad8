// The streaming half of JsonTree.h: RapidJSON's SAX events turned into one small tree per list
// element, and the compact rewrite of a document built in this process.
#include "workspace/JsonStream.h"
#include "workspace/JsonTree.h"
#include "workspace/Utf8.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace litescope::workspace::detail {

namespace {

// Deeper nesting in a file is left to Qt's parser (which refuses more than 1024 levels): no
// workspace needs it. Text written by this process comes from Qt's documents, which are never
// deeper than Qt's limit.
constexpr std::size_t MaxFileDepth = 512;
constexpr std::size_t MaxInternalDepth = 1100;
// Objects with more keys than this are checked for duplicates by sorting.
constexpr unsigned SmallObject = 16;

// Strict UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF), checked ahead of the
// parse eight ASCII bytes at a time: RapidJSON's own check goes byte by byte through a table and
// cost more than the rest of its string parsing.
bool validUtf8(QByteArrayView text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
        if (end - p >= 8) {
            std::uint64_t word;
            std::memcpy(&word, p, sizeof word);
            if ((word & 0x8080808080808080ULL) == 0) {
                p += 8;
                continue;
            }
        }
        if (*p < 0x80) {
            ++p;
            continue;
        }
        const int length = utf8SequenceLength(p, end);
        if (length == 0)
            return false;
        p += length;
    }
    return true;
}

// A number as Qt's JSON parser reads it: an integer that fits in 64 bits exactly, anything else
// as a double, refused when out of double's range; a double that is a whole number is kept as an
// integer (so -0.0 reads as 0).
bool qtNumber(std::string_view text, double* out) {
    const QByteArray number = QByteArray::fromRawData(text.data(), qsizetype(text.size()));
    const bool integral = text.find_first_of(".eE") == std::string_view::npos;
    bool ok = false;
    if (integral) {
        const qlonglong n = number.toLongLong(&ok);
        if (ok) {
            *out = double(n);
            return true;
        }
    }
    const double d = number.toDouble(&ok);
    if (!ok || !std::isfinite(d))
        return false;
    *out = d == 0 ? 0.0 : d;
    return true;
}
} // namespace

// ---- reading ----

// Builds one tree from the events of one value.
class TreeBuilder {
public:
    explicit TreeBuilder(bool hashStrings)
        : m_hashStrings(hashStrings) {}

    void begin(JsonTree& tree) {
        m_tree = &tree;
        m_tree->clear();
        m_tree->m_hashed = m_hashStrings;
        m_stack.clear();
        m_done = false;
    }
    bool active() const { return m_tree != nullptr && !m_done; }
    bool done() const { return m_done; }
    std::size_t depth() const { return m_stack.size(); }

    void key(const char* text, unsigned size) {
        m_key = unsigned(m_tree->m_text.size());
        m_keySize = size;
        m_tree->m_text.append(text, size);
    }

    unsigned add(JsonNode::Kind kind) {
        const auto index = unsigned(m_tree->m_nodes.size());
        JsonNode& node = m_tree->m_nodes.emplace_back();
        node.kind = kind;
        if (!m_stack.empty()) {
            Open& parent = m_stack.back();
            JsonNode& container = m_tree->m_nodes[parent.node];
            if (parent.object) {
                m_tree->m_nodes[index].key = m_key;
                m_tree->m_nodes[index].keySize = m_keySize;
            }
            if (parent.last == 0)
                container.first = index;
            else
                m_tree->m_nodes[parent.last].next = index;
            parent.last = index;
            ++container.count;
        } else if (kind != JsonNode::Kind::Object && kind != JsonNode::Kind::Array) {
            m_done = true;
        }
        return index;
    }

    void string(const char* text, unsigned size) {
        const unsigned index = add(JsonNode::Kind::String);
        JsonNode& node = m_tree->m_nodes[index];
        node.text = unsigned(m_tree->m_text.size());
        node.size = size;
        if (m_hashStrings)
            node.hash = StringPool::hashOf(std::string_view(text, size));
        m_tree->m_text.append(text, size);
    }

    void number(double value) { m_tree->m_nodes[add(JsonNode::Kind::Number)].number = value; }

    void open(bool object) {
        const unsigned index = add(object ? JsonNode::Kind::Object : JsonNode::Kind::Array);
        m_stack.push_back(Open{index, 0, object});
    }

    // False when the object holds a key twice.
    bool close() {
        const Open open = m_stack.back();
        m_stack.pop_back();
        if (m_stack.empty())
            m_done = true;
        return !open.object || uniqueKeys(open.node);
    }

private:
    struct Open {
        unsigned node;
        unsigned last;
        bool object;
    };

    bool uniqueKeys(unsigned object) {
        const JsonRef ref(m_tree, object);
        m_keys.clear();
        for (JsonRef child = ref.firstChild(); !child.isUndefined(); child = child.nextSibling())
            m_keys.push_back(child.key());
        if (m_keys.size() <= SmallObject) {
            for (std::size_t i = 1; i < m_keys.size(); ++i)
                for (std::size_t j = 0; j < i; ++j)
                    if (m_keys[i] == m_keys[j])
                        return false;
            return true;
        }
        std::sort(m_keys.begin(), m_keys.end());
        return std::adjacent_find(m_keys.begin(), m_keys.end()) == m_keys.end();
    }

    JsonTree* m_tree = nullptr;
    std::vector<Open> m_stack;
    std::vector<std::string_view> m_keys;
    unsigned m_key = 0;
    unsigned m_keySize = 0;
    bool m_done = false;
    bool m_hashStrings;
};

namespace {

// The SAX handler: the top-level object's members, streamed lists, and trees for the rest.
class Handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler> {
public:
    Handler(const JsonSink& sink, std::size_t maxDepth)
        : m_sink(sink)
        , m_maxDepth(maxDepth)
        , m_builder(sink.hashStrings) {}

    bool finished() const { return m_finished; }

    bool Null() {
        return scalar([this] { m_builder.add(JsonNode::Kind::Null); });
    }
    bool Bool(bool b) {
        return scalar(
            [this, b] { m_builder.add(b ? JsonNode::Kind::True : JsonNode::Kind::False); });
    }
    bool RawNumber(const char* text, rapidjson::SizeType size, bool) {
        double value = 0;
        if (!qtNumber(std::string_view(text, size), &value))
            return false;
        return scalar([this, value] { m_builder.number(value); });
    }
    bool String(const char* text, rapidjson::SizeType size, bool) {
        return scalar([this, text, size] { m_builder.string(text, size); });
    }
    bool Key(const char* text, rapidjson::SizeType size, bool) {
        if (m_builder.active()) {
            m_builder.key(text, size);
            return true;
        }
        if (m_state != State::TopKey)
            return false;
        const std::string_view name(text, size);
        if (std::find(m_topKeys.begin(), m_topKeys.end(), name) != m_topKeys.end())
            return false;
        m_topKeys.emplace_back(name);
        m_state = State::TopValue;
        return true;
    }
    bool StartObject() {
        if (m_state == State::Start) {
            m_state = State::TopKey;
            return true;
        }
        return container(true);
    }
    bool StartArray() {
        if (m_state == State::TopValue && !m_builder.active() && m_sink.streamed(topKey())) {
            m_state = State::List;
            m_index = 0;
            return true;
        }
        return container(false);
    }
    bool EndObject(rapidjson::SizeType) {
        if (m_builder.active())
            return close();
        if (m_state != State::TopKey)
            return false;
        m_state = State::Done;
        m_finished = true;
        return true;
    }
    bool EndArray(rapidjson::SizeType) {
        if (m_builder.active())
            return close();
        if (m_state != State::List)
            return false;
        m_sink.listEnd(topKey(), m_index);
        m_state = State::TopKey;
        return true;
    }

private:
    enum class State { Start, TopKey, TopValue, List, Done };

    std::string_view topKey() const { return m_topKeys.back(); }

    bool begin() {
        if (m_builder.active())
            return true;
        if (m_state != State::TopValue && m_state != State::List)
            return false;
        m_builder.begin(m_tree);
        return true;
    }

    template <typename Add>
    bool scalar(Add add) {
        if (!begin())
            return false;
        add();
        deliver();
        return true;
    }

    bool container(bool object) {
        if (!begin() || m_builder.depth() + 2 > m_maxDepth)
            return false;
        m_builder.open(object);
        return true;
    }

    bool close() {
        if (!m_builder.close())
            return false;
        deliver();
        return true;
    }

    // A value is complete: it goes to the sink.
    void deliver() {
        if (!m_builder.done())
            return;
        if (m_state == State::List) {
            m_sink.element(topKey(), m_index++, m_tree);
        } else {
            m_sink.member(topKey(), m_tree);
            m_state = State::TopKey;
        }
        m_tree.clear();
    }

    const JsonSink& m_sink;
    std::size_t m_maxDepth;
    State m_state = State::Start;
    std::vector<std::string> m_topKeys;
    TreeBuilder m_builder;
    JsonTree m_tree;
    qsizetype m_index = 0;
    bool m_finished = false;
};

// Lone surrogates as WTF-8; everything else as JSON strings are written.
void appendInternalString(std::string& buffer, QStringView text) {
    // At most 6 bytes per UTF-16 unit (\u00XX), plus the quotes: written through a pointer.
    const std::size_t start = buffer.size();
    buffer.resize(start + std::size_t(text.size()) * 6 + 2);
    char* out = buffer.data() + start;
    *out++ = '"';
    const char16_t* units = text.utf16();
    const qsizetype size = text.size();
    static const char hex[] = "0123456789abcdef";
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t unit = units[i];
        if (unit < 0x20) {
            *out++ = '\\';
            *out++ = 'u';
            *out++ = '0';
            *out++ = '0';
            *out++ = hex[unit >> 4];
            *out++ = hex[unit & 0xF];
        } else if (unit < 0x80) {
            if (unit == u'"' || unit == u'\\')
                *out++ = '\\';
            *out++ = char(unit);
        } else if (unit < 0x800) {
            *out++ = char(0xC0 | (unit >> 6));
            *out++ = char(0x80 | (unit & 0x3F));
        } else if (QChar::isHighSurrogate(unit) && i + 1 < size &&
                   QChar::isLowSurrogate(units[i + 1])) {
            const char32_t code = QChar::surrogateToUcs4(unit, units[++i]);
            *out++ = char(0xF0 | (code >> 18));
            *out++ = char(0x80 | ((code >> 12) & 0x3F));
            *out++ = char(0x80 | ((code >> 6) & 0x3F));
            *out++ = char(0x80 | (code & 0x3F));
        } else {
            *out++ = char(0xE0 | (unit >> 12));
            *out++ = char(0x80 | ((unit >> 6) & 0x3F));
            *out++ = char(0x80 | (unit & 0x3F));
        }
    }
    *out++ = '"';
    buffer.resize(std::size_t(out - buffer.data()));
}

void appendInternal(std::string& out, const QJsonValue& value) {
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        return;
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        return;
    case QJsonValue::Double:
        if (std::isfinite(value.toDouble()))
            appendJsonNumber(out, value.toDouble());
        else
            out += "null";
        return;
    case QJsonValue::String:
        appendInternalString(out, value.toString());
        return;
    case QJsonValue::Array: {
        out += '[';
        bool first = true;
        for (const QJsonValue& element : value.toArray()) {
            out += first ? "" : ",";
            first = false;
            appendInternal(out, element);
        }
        out += ']';
        return;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        out += '{';
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            out += it == object.constBegin() ? "" : ",";
            appendInternalString(out, it.key());
            out += ':';
            appendInternal(out, it.value());
        }
        out += '}';
        return;
    }
    }
}

} // namespace

bool readJsonObject(QByteArrayView text, JsonTextKind kind, const JsonSink& sink) {
    // A byte order mark may start the text, as Qt's parser allows.
    if (text.startsWith("\xEF\xBB\xBF"))
        text = text.sliced(3);
    if (kind == JsonTextKind::File && !validUtf8(text))
        return false;
    Handler handler(sink, kind == JsonTextKind::File ? MaxFileDepth : MaxInternalDepth);
    rapidjson::Reader reader;
    rapidjson::MemoryStream stream(text.data(), std::size_t(text.size()));
    // Strings may hold WTF-8 only in text written by this process; a file was checked above.
    const rapidjson::ParseResult result =
        reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag>(
            stream, handler);
    return !result.IsError() && handler.finished();
}

QByteArray writeInternalJson(const QJsonObject& object) {
    std::string out;
    appendInternal(out, object);
    return QByteArray(out.data(), qsizetype(out.size()));
}
} // namespace litescope::workspace::detail
