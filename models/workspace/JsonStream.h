#pragma once

#include "domain/UnknownFields.h"

#include <QByteArray>
#include <QIODevice>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <cstring>
#include <initializer_list>
#include <memory>
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
// The text goes into a fixed buffer through a pointer, handed to the device a megabyte at a
// time: a snapshot writes millions of short pieces, and each must cost next to nothing.
class JsonStream {
public:
    explicit JsonStream(QIODevice& device);
    ~JsonStream();

    JsonStream(const JsonStream&) = delete;
    JsonStream& operator=(const JsonStream&) = delete;

    // Inline, so that the length of a literal is known where it is written.
    void raw(const char* text) { append(text, std::strlen(text)); }
    void raw(QByteArrayView text) { append(text.data(), std::size_t(text.size())); }
    void string(QStringView text);
    void value(const QJsonValue& value); // any JSON value, compact
    void number(double number);
    void stringList(const QStringList& list);

    // False once a write to the device failed.
    bool flush();

private:
    void append(const char* data, std::size_t size) {
        if (size > std::size_t(m_end - m_at))
            makeRoom(size);
        std::memcpy(m_at, data, size);
        m_at += size;
    }
    // At least `size` bytes free at m_at: the buffer is handed to the device first, and grows
    // only for a piece larger than itself.
    void makeRoom(std::size_t size);

    QIODevice& m_device;
    std::unique_ptr<char[]> m_buffer;
    char* m_at = nullptr;
    char* m_end = nullptr;
    bool m_ok = true;
};

// One JSON object on a JsonStream: known fields first, in a fixed order, then the fields of the
// object it was read from that litescope does not know, so a rewrite keeps them.
class JsonObjectWriter {
public:
    explicit JsonObjectWriter(JsonStream& stream)
        : m_stream(stream) {
        m_stream.raw("{");
    }

    JsonObjectWriter& field(const char* key, const QString& text) {
        this->key(key);
        m_stream.string(text);
        return *this;
    }
    JsonObjectWriter& field(const char* key, const std::optional<QString>& text) { // null if absent
        this->key(key);
        if (text)
            m_stream.string(*text);
        else
            m_stream.raw("null");
        return *this;
    }
    JsonObjectWriter& field(const char* key, bool flag) {
        this->key(key);
        m_stream.raw(flag ? "true" : "false");
        return *this;
    }
    JsonObjectWriter& field(const char* key, int number);
    JsonObjectWriter& field(const char* key, const QStringList& list) {
        this->key(key);
        m_stream.stringList(list);
        return *this;
    }
    JsonObjectWriter& field(const char* key, const QJsonValue& value) {
        this->key(key);
        m_stream.value(value);
        return *this;
    }
    // A number, as a QJsonValue holding it is written.
    JsonObjectWriter& number(const char* key, double number) {
        this->key(key);
        m_stream.number(number);
        return *this;
    }
    // Starts a nested value: the caller writes it, then continues with further fields.
    JsonStream& nested(const char* key) {
        this->key(key);
        return m_stream;
    }
    // The fields of `original` whose names are not in `known`.
    JsonObjectWriter& unknownFields(const QJsonObject& original,
                                    std::initializer_list<const char*> known);
    JsonObjectWriter& unknownFields(const UnknownFields& original,
                                    std::initializer_list<const char*> known);
    void end() { m_stream.raw("}"); }

private:
    void key(QStringView name);
    void key(const char* name) {
        // Known field names are plain ASCII: no escaping, no conversion.
        m_stream.raw(m_first ? "\"" : ", \"");
        m_first = false;
        m_stream.raw(name);
        m_stream.raw("\": ");
    }

    JsonStream& m_stream;
    bool m_first = true;
};

} // namespace litescope::workspace
