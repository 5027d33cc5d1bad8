#include "workspace/JsonStream.h"

#include "workspace/JsonAscii.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <algorithm>
#include <cstring>

namespace litescope::workspace {

namespace {

constexpr qsizetype FlushThreshold = 1 << 20;

} // namespace

JsonStream::JsonStream(QIODevice& device)
    : m_device(device) {
    m_buffer.reserve(std::size_t(FlushThreshold) + 4096);
}

JsonStream::~JsonStream() {
    flush();
}

void JsonStream::raw(const char* text) {
    m_buffer.append(text);
    flushIfFull();
}

void appendJsonString(std::string& buffer, QStringView text) {
    // Worst case 6 bytes per UTF-16 unit (\uXXXX), plus the quotes: write through a pointer
    // into reserved space instead of appending byte by byte.
    const std::size_t start = buffer.size();
    buffer.resize(start + std::size_t(text.size()) * 6 + 2);
    char* out = buffer.data() + start;
    static const char hex[] = "0123456789abcdef";
    auto escape = [&](char16_t unit) {
        *out++ = '\\';
        *out++ = 'u';
        *out++ = hex[(unit >> 12) & 0xF];
        *out++ = hex[(unit >> 8) & 0xF];
        *out++ = hex[(unit >> 4) & 0xF];
        *out++ = hex[unit & 0xF];
    };
    *out++ = '"';
    const char16_t* units = text.utf16();
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        if (const qsizetype plain = detail::copyPlainAscii(units + i, size - i, out); plain > 0) {
            out += plain;
            i += plain - 1;
            continue;
        }
        const char16_t unit = units[i];
        if (unit >= 0x20 && unit < 0x80) {
            if (unit == u'"' || unit == u'\\')
                *out++ = '\\';
            *out++ = char(unit);
        } else if (unit < 0x20) {
            if (unit == u'\n') {
                *out++ = '\\';
                *out++ = 'n';
            } else if (unit == u'\t') {
                *out++ = '\\';
                *out++ = 't';
            } else if (unit == u'\r') {
                *out++ = '\\';
                *out++ = 'r';
            } else {
                escape(unit);
            }
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
        } else if (QChar::isSurrogate(unit) || unit == 0xFEFF) {
            escape(unit); // unpaired halves and BOMs survive only escaped
        } else {
            *out++ = char(0xE0 | (unit >> 12));
            *out++ = char(0x80 | ((unit >> 6) & 0x3F));
            *out++ = char(0x80 | (unit & 0x3F));
        }
    }
    *out++ = '"';
    buffer.resize(std::size_t(out - buffer.data()));
}

void appendJsonNumber(std::string& out, double number) {
    // The shortest text that reads back as the same double, as Qt's JSON writer does (integers
    // without ".0").
    const QByteArray text = QByteArray::number(number, 'g', QLocale::FloatingPointShortest);
    out.append(text.constData(), std::size_t(text.size()));
}

void JsonStream::raw(QByteArrayView text) {
    m_buffer.append(text.data(), std::size_t(text.size()));
    flushIfFull();
}

void JsonStream::string(QStringView text) {
    appendJsonString(m_buffer, text);
    flushIfFull();
}

void JsonStream::value(const QJsonValue& value) {
    switch (value.type()) {
    case QJsonValue::String:
        string(value.toString());
        return;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        raw("null");
        return;
    case QJsonValue::Bool:
        raw(value.toBool() ? "true" : "false");
        return;
    case QJsonValue::Array: {
        raw("[");
        bool first = true;
        for (const QJsonValue& element : value.toArray()) {
            raw(first ? "" : ", ");
            first = false;
            this->value(element);
        }
        raw("]");
        return;
    }
    case QJsonValue::Object: {
        JsonObjectWriter object(*this);
        object.unknownFields(value.toObject(), {});
        object.end();
        return;
    }
    case QJsonValue::Double:
        appendJsonNumber(m_buffer, value.toDouble());
        flushIfFull();
        return;
    }
}

void JsonStream::stringList(const QStringList& list) {
    m_buffer.push_back('[');
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i > 0)
            m_buffer.append(", ", 2);
        string(list[i]);
    }
    m_buffer.push_back(']');
}

void JsonStream::flushIfFull() {
    if (m_buffer.size() >= std::size_t(FlushThreshold))
        flush();
}

bool JsonStream::flush() {
    // A device may take part of the text (a file reaching a full disk or the process's size
    // limit): the rest is offered again, and the device then says why it takes no more.
    for (qint64 done = 0; m_ok && done < qint64(m_buffer.size());) {
        const qint64 written =
            m_device.write(m_buffer.data() + done, qint64(m_buffer.size()) - done);
        m_ok = written > 0;
        done += std::max<qint64>(written, 0);
    }
    m_buffer.clear();
    return m_ok;
}

JsonObjectWriter::JsonObjectWriter(JsonStream& stream)
    : m_stream(stream) {
    m_stream.raw("{");
}

void JsonObjectWriter::key(QStringView name) {
    m_stream.raw(m_first ? "" : ", ");
    m_first = false;
    m_stream.string(name);
    m_stream.raw(": ");
}

void JsonObjectWriter::key(const char* name) {
    // Known field names are plain ASCII: no escaping, no conversion.
    m_stream.raw(m_first ? "\"" : ", \"");
    m_first = false;
    m_stream.raw(name);
    m_stream.raw("\": ");
}

JsonObjectWriter& JsonObjectWriter::field(const char* name, const QString& text) {
    key(name);
    m_stream.string(text);
    return *this;
}

JsonObjectWriter& JsonObjectWriter::field(const char* name, const std::optional<QString>& text) {
    key(name);
    if (text)
        m_stream.string(*text);
    else
        m_stream.raw("null");
    return *this;
}

JsonObjectWriter& JsonObjectWriter::field(const char* name, bool flag) {
    key(name);
    m_stream.raw(flag ? "true" : "false");
    return *this;
}

JsonObjectWriter& JsonObjectWriter::field(const char* name, int number) {
    key(name);
    m_stream.raw(QByteArray::number(number).constData());
    return *this;
}

JsonObjectWriter& JsonObjectWriter::field(const char* name, const QStringList& list) {
    key(name);
    m_stream.stringList(list);
    return *this;
}

JsonObjectWriter& JsonObjectWriter::field(const char* name, const QJsonValue& value) {
    key(name);
    m_stream.value(value);
    return *this;
}

JsonStream& JsonObjectWriter::nested(const char* name) {
    key(name);
    return m_stream;
}

JsonObjectWriter& JsonObjectWriter::unknownFields(const QJsonObject& original,
                                                  std::initializer_list<const char*> known) {
    for (auto it = original.constBegin(); it != original.constEnd(); ++it) {
        const QString name = it.key();
        bool isKnown = false;
        for (const char* k : known)
            isKnown = isKnown || name == QLatin1StringView(k);
        if (isKnown)
            continue;
        key(name);
        m_stream.value(it.value());
    }
    return *this;
}

JsonObjectWriter& JsonObjectWriter::unknownFields(const UnknownFields& original,
                                                  std::initializer_list<const char*> known) {
    if (original.isEmpty())
        return *this;
    original.forEach([&](QByteArrayView name, QByteArrayView value) {
        for (const char* k : known)
            if (name == QByteArrayView(k))
                return;
        // The text is already in the form the stream writes.
        m_stream.raw(m_first ? "\"" : ", \"");
        m_first = false;
        m_stream.raw(name);
        m_stream.raw("\": ");
        m_stream.raw(value);
    });
    return *this;
}

void JsonObjectWriter::end() {
    m_stream.raw("}");
}

} // namespace litescope::workspace
