#include "domain/UnknownFields.h"

#include "workspace/JsonStream.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>

namespace litescope {

namespace {

// The end of the string whose opening quote is at `at` (the index after its closing quote).
qsizetype skipString(QByteArrayView text, qsizetype at) {
    for (++at; at < text.size(); ++at) {
        if (text[at] == '\\')
            ++at;
        else if (text[at] == '"')
            return at + 1;
    }
    return text.size();
}

// The end of the value starting at `at`: the text is valid JSON, so only nesting and strings
// matter.
qsizetype skipValue(QByteArrayView text, qsizetype at) {
    int depth = 0;
    while (at < text.size()) {
        const char c = text[at];
        if (c == '"') {
            at = skipString(text, at);
            if (depth == 0)
                return at;
            continue;
        }
        if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return at + 1;
        } else if (depth == 0 && c == ',') {
            return at;
        }
        ++at;
    }
    return at;
}

QJsonValue parseValue(QByteArrayView text) {
    QByteArray array;
    array.reserve(text.size() + 2);
    array.append('[').append(text).append(']');
    return QJsonDocument::fromJson(array).array().at(0);
}

} // namespace

UnknownFields UnknownFields::fromObject(const QJsonObject& object) {
    UnknownFields fields;
    if (object.isEmpty())
        return fields;
    QByteArray text;
    {
        QBuffer buffer(&text);
        buffer.open(QIODevice::WriteOnly);
        workspace::JsonStream out(buffer);
        out.value(object);
    }
    // "{" members "}"
    fields.m_text = text.mid(1, text.size() - 2);
    return fields;
}

UnknownFields UnknownFields::fromMembersText(QByteArray members) {
    UnknownFields fields;
    fields.m_text = std::move(members);
    return fields;
}

bool UnknownFields::next(qsizetype& at, QByteArrayView& key, QByteArrayView& value) const {
    const QByteArrayView text(m_text);
    if (at >= text.size())
        return false;
    if (text[at] == ',')
        at += 2; // ", "
    const qsizetype keyEnd = skipString(text, at);
    key = text.sliced(at + 1, keyEnd - at - 2);
    const qsizetype valueStart = keyEnd + 2; // ": "
    const qsizetype valueEnd = skipValue(text, valueStart);
    value = text.sliced(valueStart, valueEnd - valueStart);
    at = valueEnd;
    return true;
}

QString UnknownFields::keyText(QByteArrayView escapedKey) {
    if (!escapedKey.contains('\\'))
        return QString::fromUtf8(escapedKey);
    QByteArray quoted;
    quoted.append('"').append(escapedKey).append('"');
    return parseValue(quoted).toString();
}

qsizetype UnknownFields::size() const {
    qsizetype count = 0;
    forEach([&count](QByteArrayView, QByteArrayView) { ++count; });
    return count;
}

bool UnknownFields::contains(QStringView key) const {
    return !value(key).isUndefined();
}

QJsonValue UnknownFields::value(QStringView key) const {
    const QByteArray wanted = key.toUtf8();
    qsizetype at = 0;
    QByteArrayView name;
    QByteArrayView text;
    while (next(at, name, text)) {
        const bool plain = !name.contains('\\');
        if (plain ? name == QByteArrayView(wanted) : keyText(name) == key)
            return parseValue(text);
    }
    return QJsonValue(QJsonValue::Undefined);
}

QStringList UnknownFields::keys() const {
    QStringList names;
    forEach([&names](QByteArrayView key, QByteArrayView) { names.append(keyText(key)); });
    return names;
}

QJsonObject UnknownFields::toObject() const {
    if (m_text.isEmpty())
        return {};
    QByteArray object;
    object.reserve(m_text.size() + 2);
    object.append('{').append(m_text).append('}');
    return QJsonDocument::fromJson(object).object();
}

void UnknownFields::insert(const QString& key, const QJsonValue& value) {
    QJsonObject object = toObject();
    object.insert(key, value);
    *this = fromObject(object);
}

void UnknownFields::remove(QStringView key) {
    if (!contains(key))
        return;
    QJsonObject object = toObject();
    object.remove(key);
    *this = fromObject(object);
}

} // namespace litescope
