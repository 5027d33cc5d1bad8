#include "workspace/JsonTree.h"

#include "workspace/JsonStream.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>

namespace litescope::workspace::detail {

namespace {

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
    return m_tree->m_hashed ? pool.intern(text, node().hash) : pool.intern(text);
}

JsonRef JsonRef::value(std::string_view name, JsonRef* last) const {
    if (!isObject())
        return {};
    const JsonRef start = last->isUndefined() ? JsonRef() : last->nextSibling();
    for (JsonRef child = start; !child.isUndefined(); child = child.nextSibling())
        if (sameName(child.key(), name)) {
            *last = child;
            return child;
        }
    for (JsonRef child = firstChild(); !child.isUndefined() && child.m_index != start.m_index;
         child = child.nextSibling())
        if (sameName(child.key(), name)) {
            *last = child;
            return child;
        }
    return {};
}

JsonRef JsonRef::value(std::string_view name) const {
    if (!isObject())
        return {};
    for (JsonRef child = firstChild(); !child.isUndefined(); child = child.nextSibling())
        if (sameName(child.key(), name))
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
    // Files list the fields in the order `known` has them (the writer's): the one after the last
    // found is tried first, which spares comparing each key with every known name.
    const std::string_view* next = known.begin();
    const auto isKnown = [&known, &next](std::string_view key) {
        if (next != known.end() && sameName(*next, key)) {
            ++next;
            return true;
        }
        const auto* at = std::find(known.begin(), known.end(), key);
        if (at == known.end())
            return false;
        next = at + 1;
        return true;
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

} // namespace litescope::workspace::detail
