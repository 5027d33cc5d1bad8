#pragma once

#include "domain/DisplayText.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QStringView>

#include <algorithm>
#include <optional>

// Internal to models/workspace: how JSON paths and values are spelled in messages, and a
// workaround for Qt's JSON parser.
namespace litescope::workspace::detail {

// Qt 6.4's parser drops a U+FEFF written raw (as UTF-8) at the start of a string or key, while
// the escaped form \ufeff survives. Model names are kept byte-for-byte, so both reading and
// writing escape it. Outside strings a BOM is invalid JSON either way, except the one that may
// start a document (Qt skips it): `from` lets the reader keep that one.
inline QByteArray escapeByteOrderMarks(QByteArray json, qsizetype from = 0) {
    static constexpr char bom[] = "\xEF\xBB\xBF";
    for (qsizetype at = json.indexOf(bom, from); at >= 0; at = json.indexOf(bom, at))
        json.replace(at, 3, "\\ufeff");
    return json;
}

// A team's model_id as text: LiteLLM's column is an integer, the fake proxy and older files use
// strings. Nullopt for null, absence and any other type.
inline std::optional<QString> modelIdText(const QJsonValue& value) {
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'f', 0);
    return std::nullopt;
}

inline QString indexPath(const QString& list, qsizetype index) {
    return list + u'[' + QString::number(index) + u']';
}

inline QString fieldPath(const QString& parent, QLatin1StringView key) {
    return parent.isEmpty() ? QString(key) : parent + u'.' + key;
}

// Values are user data (10 KB names, control characters, quotes): messages show them
// JSON-escaped and shortened so an error stays one readable line.
inline QString quoted(const QString& value) {
    return quotedName(value, 80);
}

// Map keys are model names: plain ones read naturally as `.gpt-4o`, others (dots, slashes,
// spaces) are quoted so the path stays unambiguous: `model_group_alias["openai/gpt-4o"]`.
inline QString keyPath(const QString& parent, const QString& key) {
    const bool plain = !key.isEmpty() && std::all_of(key.cbegin(), key.cend(), [](QChar c) {
        return (c.unicode() < 0x80 && c.isLetterOrNumber()) || c == u'-' || c == u'_';
    });
    if (plain)
        return parent + u'.' + key;
    return parent + u'[' + quoted(key) + u']';
}

} // namespace litescope::workspace::detail
