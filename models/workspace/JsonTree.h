#pragma once

#include "domain/StringPool.h"
#include "domain/UnknownFields.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QString>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

// Internal to models/workspace: the streaming reader's view of JSON. The text is read once,
// event by event (RapidJSON's SAX reader); what the workspace reader looks at is one small tree at
// a time (a key, a team, the source), built from the events and dropped once read. Values behave
// as Qt's JSON parser would give them, so that files read the same as they always did.
namespace litescope::workspace::detail {

struct JsonNode {
    enum class Kind : unsigned char { Null, False, True, Number, String, Object, Array };
    Kind kind = Kind::Null;
    unsigned keySize = 0;
    unsigned key = 0;   // a member's key, decoded, in the tree's text
    unsigned text = 0;  // a string, decoded, in the tree's text
    unsigned size = 0;  // its length in bytes
    unsigned first = 0; // the first child; 0: none (node 0 is a root, never a child)
    unsigned next = 0;  // the next sibling; 0: none
    unsigned count = 0; // children
    union {
        double number = 0;  // a number as Qt reads it
        std::uint64_t hash; // a string's StringPool::hashOf, in a tree built with hashes
    };
};

class JsonTree;

// A value in a tree, or an absent one (a field the object does not have).
class JsonRef {
public:
    JsonRef() = default;
    JsonRef(const JsonTree* tree, unsigned index)
        : m_tree(tree)
        , m_index(index) {}

    bool isUndefined() const { return m_tree == nullptr; }
    bool isNull() const { return kind() == JsonNode::Kind::Null; }
    bool isAbsent() const { return isUndefined() || isNull(); }
    bool isString() const { return kind() == JsonNode::Kind::String; }
    bool isDouble() const { return kind() == JsonNode::Kind::Number; }
    bool isBool() const {
        return kind() == JsonNode::Kind::True || kind() == JsonNode::Kind::False;
    }
    bool isObject() const { return kind() == JsonNode::Kind::Object; }
    bool isArray() const { return kind() == JsonNode::Kind::Array; }

    bool toBool() const { return kind() == JsonNode::Kind::True; }
    double toDouble() const;
    // The UTF-8 (WTF-8 where Qt keeps a lone surrogate) of a string; empty for other kinds.
    std::string_view utf8() const;
    QString toString() const;
    QString toString(StringPool& pool) const;

    // Objects: the member named `key`; undefined when absent or not an object.
    JsonRef value(std::string_view key) const;
    // The same, looking first after `*last` (the member found before, updated): fields read in
    // the order the file has them are found at the first comparison.
    JsonRef value(std::string_view key, JsonRef* last) const;
    unsigned count() const;
    // Children in order (array elements, object members).
    JsonRef firstChild() const;
    JsonRef nextSibling() const;
    // A member's key.
    std::string_view key() const;

    // The value as Qt's parser would have given it.
    QJsonValue toQJsonValue() const;

    // An object member of which only some fields are known: it is kept with the others.
    struct Partial {
        std::string_view key;
        std::initializer_list<std::string_view> known;
    };
    // Objects: the members whose keys are not in `known`, as UnknownFields holds them; a member
    // named in `partial` is kept as an object of its own unknown fields (left out when it has
    // none or is not an object).
    UnknownFields unknownFields(std::initializer_list<std::string_view> known,
                                std::initializer_list<Partial> partial = {}) const;

private:
    JsonNode::Kind kind() const;
    const JsonNode& node() const;

    const JsonTree* m_tree = nullptr;
    unsigned m_index = 0;
};

class JsonTree {
public:
    JsonRef root() const { return m_nodes.empty() ? JsonRef() : JsonRef(this, 0); }
    void clear() {
        m_nodes.clear();
        m_text.clear();
        m_hashed = false;
    }
    // What the tree holds, roughly: for bounding what waits in a queue.
    std::size_t bytes() const { return m_nodes.size() * sizeof(JsonNode) + m_text.size(); }
    // The StringPool hashes of its strings when the reader computed them (JsonSink::hashStrings).
    template <typename Visit>
    void forEachStringHash(Visit visit) const {
        if (!m_hashed)
            return;
        for (const JsonNode& node : m_nodes)
            if (node.kind == JsonNode::Kind::String)
                visit(node.hash);
    }
    // Starts fetching its nodes and text, written by another thread (JsonPipeline.h), which
    // are read soon.
    void prefetch() const {
        const auto* nodes = reinterpret_cast<const char*>(m_nodes.data());
        for (std::size_t at = 0; at < m_nodes.size() * sizeof(JsonNode); at += 64)
            __builtin_prefetch(nodes + at);
        for (std::size_t at = 0; at < m_text.size(); at += 64)
            __builtin_prefetch(m_text.data() + at);
    }

private:
    friend class JsonRef;
    friend class TreeBuilder;
    std::vector<JsonNode> m_nodes;
    std::string m_text;
    bool m_hashed = false;
};

// Whether two member names are the same: names are short, and compared millions of times in a
// big file, where a call to memcmp each cost more than the comparison.
inline bool sameName(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    const char* p = a.data();
    const char* q = b.data();
    std::size_t n = a.size();
    for (; n >= 8; n -= 8, p += 8, q += 8) {
        std::uint64_t x;
        std::uint64_t y;
        __builtin_memcpy(&x, p, 8);
        __builtin_memcpy(&y, q, 8);
        if (x != y)
            return false;
    }
    for (; n > 0; --n)
        if (*p++ != *q++)
            return false;
    return true;
}

// The order of a QJsonObject's keys (UTF-16 code units), for keys as the tree holds them.
bool jsonKeyLess(std::string_view a, std::string_view b);
// A member as UnknownFields holds it: `"key": value`.
void appendMember(std::string& out, std::string_view key, const JsonRef& value);

// The accessors run for every field of every entity: inline.
inline const JsonNode& JsonRef::node() const {
    return m_tree->m_nodes[m_index];
}

inline JsonNode::Kind JsonRef::kind() const {
    return m_tree ? node().kind : JsonNode::Kind::Null;
}

inline double JsonRef::toDouble() const {
    return isDouble() ? node().number : 0;
}

inline std::string_view JsonRef::utf8() const {
    if (!isString())
        return {};
    return std::string_view(m_tree->m_text).substr(node().text, node().size);
}

inline std::string_view JsonRef::key() const {
    return std::string_view(m_tree->m_text).substr(node().key, node().keySize);
}

inline unsigned JsonRef::count() const {
    return m_tree ? node().count : 0;
}

inline JsonRef JsonRef::firstChild() const {
    if (!m_tree || node().first == 0)
        return {};
    return JsonRef(m_tree, node().first);
}

inline JsonRef JsonRef::nextSibling() const {
    if (!m_tree || node().next == 0)
        return {};
    return JsonRef(m_tree, node().next);
}

// A string's WTF-8 as a QString: lone surrogates become lone UTF-16 units, as Qt keeps them.
QString wtf8ToString(std::string_view text);

// Where the reader sends what it reads. Top-level members named by `streamed` whose value is an
// array arrive element by element (`element`, then `listEnd`); all other top-level members
// arrive whole (`member`). Trees live only for the call; a sink may keep one by swapping it with
// a tree of its own, which the reader empties and reuses. `streamed` must depend on the key
// alone: a pipeline (JsonPipeline.h) calls it on the reading thread, the others on its own.
// A pipeline also shows the sink the trees it will have next (`upcoming`, at a distance of 1 or
// 2 elements), so that it can fetch what it will look up, and has the reader hash the strings
// for it (`hashStrings`).
struct JsonSink {
    bool hashStrings = false;
    std::function<void(const JsonTree& next, int distance)> upcoming;
    std::function<bool(std::string_view key)> streamed;
    std::function<void(std::string_view key, qsizetype index, JsonTree& element)> element;
    std::function<void(std::string_view key, qsizetype count)> listEnd;
    std::function<void(std::string_view key, JsonTree& value)> member;
};

enum class JsonTextKind {
    File,     // strict UTF-8 JSON as a file holds it
    Internal, // written by this process (writeInternalJson): lone surrogates as WTF-8
};

// Reads an object's text into the sink. False when the text is not strictly JSON of an object
// with each key once per object, as Qt's parser would read it the same (a number out of double's
// range, an unpaired \ud800, raw control characters, nesting deeper than 512): the caller then
// asks Qt's parser, whose verdict (and message) stands.
bool readJsonObject(QByteArrayView text, JsonTextKind kind, const JsonSink& sink);

// An object as compact JSON text the reader reads as Qt holds it (JsonTextKind::Internal).
QByteArray writeInternalJson(const QJsonObject& object);

} // namespace litescope::workspace::detail
