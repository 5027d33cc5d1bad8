#include "workspace/JsonTree.h"

#include "workspace/JsonStream.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <cmath>
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

// QString::fromUtf8 drops a byte order mark at the start; a name keeps it.
QString fromUtf8(std::string_view text) {
    QString bom;
    while (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
        bom += QChar(0xFEFF);
        text.remove_prefix(3);
    }
    QString rest = QString::fromUtf8(text.data(), qsizetype(text.size()));
    return bom.isEmpty() ? rest : bom + rest;
}

bool isAscii(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// As JsonStream::string writes it.
void appendString(std::string& out, std::string_view text) {
    const bool plain = std::none_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        // 0xED: a surrogate, 0xEF: U+FEFF; both written escaped (checked on the slow path).
        return byte < 0x20 || byte == '"' || byte == '\\' || byte == 0xED || byte == 0xEF;
    });
    if (!plain) {
        appendJsonString(out, wtf8ToString(text));
        return;
    }
    out += '"';
    out.append(text);
    out += '"';
}

} // namespace

bool jsonKeyLess(std::string_view a, std::string_view b) {
    if (isAscii(a) && isAscii(b))
        return a < b;
    return wtf8ToString(a) < wtf8ToString(b);
}

QString wtf8ToString(std::string_view text) {
    // Valid UTF-8 never holds ED A0..ED BF: those bytes are a lone surrogate Qt kept.
    bool surrogate = false;
    for (std::size_t at = text.find('\xED'); at != std::string_view::npos && !surrogate;
         at = text.find('\xED', at + 1))
        surrogate = at + 1 < text.size() && static_cast<unsigned char>(text[at + 1]) >= 0xA0;
    if (!surrogate)
        return fromUtf8(text);
    QString result;
    result.reserve(qsizetype(text.size()));
    std::size_t from = 0;
    for (std::size_t at = 0; at + 2 < text.size(); ++at) {
        const auto lead = static_cast<unsigned char>(text[at]);
        const auto second = static_cast<unsigned char>(text[at + 1]);
        if (lead != 0xED || second < 0xA0)
            continue;
        result += fromUtf8(text.substr(from, at - from));
        const auto third = static_cast<unsigned char>(text[at + 2]);
        result += QChar(char16_t(0xD000 | ((second & 0x3F) << 6) | (third & 0x3F)));
        at += 2;
        from = at + 1;
    }
    result += fromUtf8(text.substr(from));
    return result;
}

// ---- JsonRef ----

const JsonNode& JsonRef::node() const {
    return m_tree->m_nodes[m_index];
}

JsonNode::Kind JsonRef::kind() const {
    return m_tree ? node().kind : JsonNode::Kind::Null;
}

double JsonRef::toDouble() const {
    return isDouble() ? node().number : 0;
}

std::string_view JsonRef::utf8() const {
    if (!isString())
        return {};
    return std::string_view(m_tree->m_text).substr(node().text, node().size);
}

QString JsonRef::toString() const {
    return isString() ? wtf8ToString(utf8()) : QString();
}

QString JsonRef::toString(StringPool& pool) const {
    if (!isString())
        return QString();
    const std::string_view text = utf8();
    // A lone surrogate's WTF-8 is not the UTF-8 the pool expects, nor does the pool keep a
    // leading byte order mark.
    if (text.find('\xED') != std::string_view::npos || text.starts_with("\xEF\xBB\xBF"))
        return wtf8ToString(text);
    return pool.intern(text);
}

std::string_view JsonRef::key() const {
    return std::string_view(m_tree->m_text).substr(node().key, node().keySize);
}

unsigned JsonRef::count() const {
    return m_tree ? node().count : 0;
}

JsonRef JsonRef::firstChild() const {
    if (!m_tree || node().first == 0)
        return {};
    return JsonRef(m_tree, node().first);
}

JsonRef JsonRef::nextSibling() const {
    if (!m_tree || node().next == 0)
        return {};
    return JsonRef(m_tree, node().next);
}

JsonRef JsonRef::value(std::string_view name) const {
    if (!isObject())
        return {};
    for (JsonRef child = firstChild(); !child.isUndefined(); child = child.nextSibling())
        if (child.key() == name)
            return child;
    return {};
}

namespace {

void appendValue(std::string& out, const JsonRef& value);

struct Member {
    JsonRef value;
    const JsonRef::Partial* partial = nullptr;
};

// An object's members without the known ones; each partial one as an object of its own unknown
// members; false when nothing is left.
bool appendObjectMembers(std::string& out, const JsonRef& object,
                         std::initializer_list<std::string_view> known,
                         std::initializer_list<JsonRef::Partial> partial) {
    const auto isKnown = [&known](std::string_view key) {
        return std::find(known.begin(), known.end(), key) != known.end();
    };
    JsonRef child = object.firstChild();
    while (!child.isUndefined() && isKnown(child.key()))
        child = child.nextSibling();
    if (child.isUndefined())
        return false; // the common case: nothing unknown, nothing allocated
    std::vector<Member> members;
    for (; !child.isUndefined(); child = child.nextSibling()) {
        const std::string_view key = child.key();
        if (isKnown(key))
            continue;
        const auto part = std::find_if(partial.begin(), partial.end(),
                                       [key](const JsonRef::Partial& p) { return p.key == key; });
        members.push_back(Member{child, part == partial.end() ? nullptr : part});
    }
    std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
        return jsonKeyLess(a.value.key(), b.value.key());
    });
    bool any = false;
    for (const Member& member : members) {
        if (!member.partial) {
            out += any ? ", " : "";
            appendMember(out, member.value.key(), member.value);
            any = true;
            continue;
        }
        if (!member.value.isObject())
            continue;
        std::string inner;
        if (!appendObjectMembers(inner, member.value, member.partial->known, {}))
            continue;
        out += any ? ", " : "";
        appendString(out, member.value.key());
        out += ": {";
        out += inner;
        out += '}';
        any = true;
    }
    return any;
}

void appendValue(std::string& out, const JsonRef& value) {
    if (value.isNull()) {
        out += "null";
    } else if (value.isBool()) {
        out += value.toBool() ? "true" : "false";
    } else if (value.isDouble()) {
        appendJsonNumber(out, value.toDouble());
    } else if (value.isString()) {
        appendString(out, value.utf8());
    } else if (value.isArray()) {
        out += '[';
        bool first = true;
        for (JsonRef child = value.firstChild(); !child.isUndefined();
             child = child.nextSibling()) {
            out += first ? "" : ", ";
            first = false;
            appendValue(out, child);
        }
        out += ']';
    } else {
        out += '{';
        appendObjectMembers(out, value, {}, {});
        out += '}';
    }
}

} // namespace

void appendMember(std::string& out, std::string_view key, const JsonRef& value) {
    appendString(out, key);
    out += ": ";
    appendValue(out, value);
}

UnknownFields JsonRef::unknownFields(std::initializer_list<std::string_view> known,
                                     std::initializer_list<Partial> partial) const {
    if (!isObject() || count() == 0)
        return {};
    std::string out;
    if (!appendObjectMembers(out, *this, known, partial))
        return {};
    return UnknownFields::fromMembersText(QByteArray(out.data(), qsizetype(out.size())));
}

QJsonValue JsonRef::toQJsonValue() const {
    switch (kind()) {
    case JsonNode::Kind::Null:
        return isUndefined() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(QJsonValue::Null);
    case JsonNode::Kind::False:
    case JsonNode::Kind::True:
        return toBool();
    case JsonNode::Kind::Number:
        return toDouble();
    case JsonNode::Kind::String:
        return toString();
    case JsonNode::Kind::Array: {
        QJsonArray array;
        for (JsonRef child = firstChild(); !child.isUndefined(); child = child.nextSibling())
            array.append(child.toQJsonValue());
        return array;
    }
    case JsonNode::Kind::Object: {
        QJsonObject object;
        for (JsonRef child = firstChild(); !child.isUndefined(); child = child.nextSibling())
            object.insert(wtf8ToString(child.key()), child.toQJsonValue());
        return object;
    }
    }
    return {};
}

// ---- reading ----

// Builds one tree from the events of one value.
class TreeBuilder {
public:
    void begin(JsonTree& tree) {
        m_tree = &tree;
        m_tree->clear();
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
};

namespace {

// The SAX handler: the top-level object's members, streamed lists, and trees for the rest.
class Handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler> {
public:
    Handler(const JsonSink& sink, std::size_t maxDepth)
        : m_sink(sink)
        , m_maxDepth(maxDepth) {}

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
void appendInternalString(std::string& out, QStringView text) {
    out += '"';
    const char16_t* units = text.utf16();
    const qsizetype size = text.size();
    static const char hex[] = "0123456789abcdef";
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t unit = units[i];
        if (unit < 0x20) {
            out += "\\u00";
            out += hex[unit >> 4];
            out += hex[unit & 0xF];
        } else if (unit < 0x80) {
            if (unit == u'"' || unit == u'\\')
                out += '\\';
            out += char(unit);
        } else if (unit < 0x800) {
            out += char(0xC0 | (unit >> 6));
            out += char(0x80 | (unit & 0x3F));
        } else if (QChar::isHighSurrogate(unit) && i + 1 < size &&
                   QChar::isLowSurrogate(units[i + 1])) {
            const char32_t code = QChar::surrogateToUcs4(unit, units[++i]);
            out += char(0xF0 | (code >> 18));
            out += char(0x80 | ((code >> 12) & 0x3F));
            out += char(0x80 | ((code >> 6) & 0x3F));
            out += char(0x80 | (code & 0x3F));
        } else {
            out += char(0xE0 | (unit >> 12));
            out += char(0x80 | ((unit >> 6) & 0x3F));
            out += char(0x80 | (unit & 0x3F));
        }
    }
    out += '"';
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
    Handler handler(sink, kind == JsonTextKind::File ? MaxFileDepth : MaxInternalDepth);
    rapidjson::Reader reader;
    rapidjson::MemoryStream stream(text.data(), std::size_t(text.size()));
    constexpr unsigned common =
        rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
    const rapidjson::ParseResult result =
        kind == JsonTextKind::File
            ? reader.Parse<common | rapidjson::kParseValidateEncodingFlag>(stream, handler)
            : reader.Parse<common>(stream, handler);
    return !result.IsError() && handler.finished();
}

QByteArray writeInternalJson(const QJsonObject& object) {
    std::string out;
    appendInternal(out, object);
    return QByteArray(out.data(), qsizetype(out.size()));
}

} // namespace litescope::workspace::detail
