#pragma once

#include "domain/UnknownFields.h"

#include <QByteArray>
#include <QIODevice>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <initializer_list>
#include <optional>
#include <string>

namespace litescope::workspace {

// How JsonStream spells a string and a number, for code that writes JSON text of its own in the
// same form (UnknownFields, the reader's copy of fields it does not know).
void appendJsonString(std::string& out, QStringView text);
void appendJsonNumber(std::string& out, double number);

// Writes JSON text straight to a device, without building a document in memory first: a
// snapshot of a large proxy (hundreds of thousands of keys) would otherwise need several times
// its size in QJsonObjects. Strings are written byte-for-byte as UTF-8; quotes, backslashes,
// control characters, unpaired surrogates and U+FEFF (which Qt's parser would drop) are escaped.
class JsonStream {
public:
    explicit JsonStream(QIODevice& device);
    ~JsonStream();

    JsonStream(const JsonStream&) = delete;
    JsonStream& operator=(const JsonStream&) = delete;

    void raw(const char* text);
    void raw(QByteArrayView text);
    template <std::size_t N>
    void raw(const char (&text)[N]) {
        m_buffer.append(text, N - 1);
    }
    void string(QStringView text);
    void value(const QJsonValue& value); // any JSON value, compact
    void stringList(const QStringList& list);

    // False once a write to the device failed.
    bool flush();

private:
    void flushIfFull();

    QIODevice& m_device;
    std::string m_buffer; // std::string: appends of a few bytes cost less than QByteArray's
    bool m_ok = true;
};

// One JSON object on a JsonStream: known fields first, in a fixed order, then the fields of the
// object it was read from that litescope does not know, so a rewrite keeps them.
class JsonObjectWriter {
public:
    explicit JsonObjectWriter(JsonStream& stream);

    JsonObjectWriter& field(const char* key, const QString& text);
    JsonObjectWriter& field(const char* key, const std::optional<QString>& text); // null if absent
    JsonObjectWriter& field(const char* key, bool flag);
    JsonObjectWriter& field(const char* key, int number);
    JsonObjectWriter& field(const char* key, const QStringList& list);
    JsonObjectWriter& field(const char* key, const QJsonValue& value);
    // Starts a nested value: the caller writes it, then continues with further fields.
    JsonStream& nested(const char* key);
    // The fields of `original` whose names are not in `known`.
    JsonObjectWriter& unknownFields(const QJsonObject& original,
                                    std::initializer_list<const char*> known);
    JsonObjectWriter& unknownFields(const UnknownFields& original,
                                    std::initializer_list<const char*> known);
    void end();

private:
    void key(QStringView name);
    void key(const char* name);

    JsonStream& m_stream;
    bool m_first = true;
};

} // namespace litescope::workspace
