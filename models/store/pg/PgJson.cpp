#include "store/pg/PgJson.h"

#include "store/pg/PgSession.h"

#include <QJsonDocument>

#include <cstring>

namespace litescope::pg {

QJsonValue parseJson(QByteArray text) {
    // Qt 6.4's parser drops a raw U+FEFF at the start of a string; PostgreSQL's JSON output
    // only has it inside strings, where the escape means the same.
    text.replace("\xEF\xBB\xBF", "\\ufeff");
    // QJsonDocument only parses arrays and objects at the top level: wrap scalars.
    const QJsonDocument document = QJsonDocument::fromJson("[" + text + "]");
    return document.isArray() ? document.array().at(0) : QJsonValue(QJsonValue::Undefined);
}

namespace {

// array_to_json(text[]) output: ["a","b",null]. A snapshot reads hundreds of thousands of these,
// so the common shape is parsed directly; anything unexpected goes through QJsonDocument.
std::optional<QStringList> parseStringArray(const char* text, qsizetype size) {
    QStringList list;
    qsizetype i = 0;
    auto expect = [&](char c) { return i < size && text[i] == c; };
    if (!expect('['))
        return std::nullopt;
    ++i;
    if (expect(']'))
        return list;
    for (;;) {
        if (size - i >= 4 && std::memcmp(text + i, "null", 4) == 0) {
            i += 4; // NULL elements are dropped
        } else if (expect('"')) {
            ++i;
            const qsizetype start = i;
            while (i < size && text[i] != '"' && text[i] != '\\')
                ++i;
            if (!expect('"'))
                return std::nullopt; // escapes: leave them to the full parser
            list.append(fromUtf8Exact(text + start, i - start));
            ++i;
        } else {
            return std::nullopt;
        }
        if (expect(']'))
            return list;
        if (!expect(','))
            return std::nullopt;
        ++i;
    }
}

} // namespace

QStringList stringList(const pqxx::field& field) {
    if (field.is_null())
        return {};
    if (std::optional<QStringList> fast = parseStringArray(field.c_str(), qsizetype(field.size())))
        return *fast;
    QStringList list;
    for (const QJsonValue& value :
         parseJson(QByteArray(field.c_str(), int(field.size()))).toArray())
        if (value.isString())
            list.append(value.toString());
    return list;
}

QJsonValue json(const pqxx::field& field) {
    if (field.is_null())
        return QJsonValue(QJsonValue::Undefined);
    if (field.size() == 2 && std::memcmp(field.c_str(), "{}", 2) == 0)
        return QJsonObject(); // most aliases/config columns: no parse needed
    if (field.size() == 2 && std::memcmp(field.c_str(), "[]", 2) == 0)
        return QJsonArray();
    QJsonValue value = parseJson(QByteArray(field.c_str(), int(field.size())));
    if (value.isString()) {
        const QJsonValue inner = parseJson(value.toString().toUtf8());
        if (inner.isObject() || inner.isArray())
            value = inner;
    }
    return value;
}

QJsonObject jsonObject(const pqxx::field& field) {
    return json(field).toObject();
}

std::optional<QString> optionalText(const pqxx::field& field) {
    if (field.is_null())
        return std::nullopt;
    return fromField(field);
}

std::optional<double> optionalDouble(const pqxx::field& field) {
    if (field.is_null())
        return std::nullopt;
    return field.as<double>();
}

std::optional<qint64> optionalInteger(const pqxx::field& field) {
    if (field.is_null())
        return std::nullopt;
    return field.as<long long>();
}

bool flag(const pqxx::field& field) {
    return !field.is_null() && field.as<bool>();
}

std::string jsonText(const QJsonValue& value) {
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return text.mid(1, text.size() - 2).toStdString();
}

std::string jsonList(const QStringList& list) {
    return QJsonDocument(QJsonArray::fromStringList(list))
        .toJson(QJsonDocument::Compact)
        .toStdString();
}

} // namespace litescope::pg
