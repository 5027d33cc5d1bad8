#include "workspace/JsonStream.h"

#include "workspace/JsonAscii.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace litescope::workspace {

namespace {

constexpr std::size_t BufferSize = std::size_t(1) << 20;

// Writes `text` as a JSON string at `out`, which has room for 6 bytes per unit and the quotes;
// answers where the text ends.
char* writeJsonString(char* out, QStringView text) {
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
    return out;
}

std::size_t jsonStringRoom(QStringView text) {
    return std::size_t(text.size()) * 6 + 2;
}

// The shortest text that reads back as the same double, as Qt's JSON writer does (integers
// without ".0", 100000 as 1e+05). A big proxy repeats a few values (budgets, limits, spend)
// hundreds of thousands of times: the text of the last numbers is kept, per thread.
QByteArrayView numberText(double number) {
    struct Cached {
        std::uint64_t bits = 0;
        bool known = false;
        std::uint8_t size = 0;
        char text[40];
    };
    thread_local std::array<Cached, 2048> cache;
    std::uint64_t bits = 0;
    static_assert(sizeof bits == sizeof number);
    std::memcpy(&bits, &number, sizeof bits);
    Cached& slot = cache[std::size_t((bits * 0x9E3779B97F4A7C15ULL) >> 53)];
    if (!slot.known || slot.bits != bits) {
        const QByteArray text = QByteArray::number(number, 'g', QLocale::FloatingPointShortest);
        if (text.size() > qsizetype(sizeof slot.text)) {
            // Never: the shortest form of a double is at most 24 characters.
            thread_local QByteArray longer;
            longer = text;
            return longer;
        }
        std::memcpy(slot.text, text.constData(), std::size_t(text.size()));
        slot.size = std::uint8_t(text.size());
        slot.bits = bits;
        slot.known = true;
    }
    return {slot.text, slot.size};
}

} // namespace

JsonStream::JsonStream(QIODevice& device)
    : m_device(device)
    , m_buffer(new char[BufferSize])
    , m_at(m_buffer.get())
    , m_end(m_buffer.get() + BufferSize) {}

JsonStream::~JsonStream() {
    flush();
}

void appendJsonString(std::string& buffer, QStringView text) {
    const std::size_t start = buffer.size();
    buffer.resize(start + jsonStringRoom(text));
    const char* end = writeJsonString(buffer.data() + start, text);
    buffer.resize(std::size_t(end - buffer.data()));
}

void appendJsonNumber(std::string& out, double number) {
    const QByteArrayView text = numberText(number);
    out.append(text.data(), std::size_t(text.size()));
}

void JsonStream::string(QStringView text) {
    const std::size_t room = jsonStringRoom(text);
    if (room > std::size_t(m_end - m_at))
        makeRoom(room);
    m_at = writeJsonString(m_at, text);
}

void JsonStream::number(double number) {
    raw(numberText(number));
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
        number(value.toDouble());
        return;
    }
}

void JsonStream::stringList(const QStringList& list) {
    raw("[");
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i > 0)
            raw(", ");
        string(list[i]);
    }
    raw("]");
}

void JsonStream::makeRoom(std::size_t size) {
    flush();
    const std::size_t capacity = std::size_t(m_end - m_buffer.get());
    if (size <= capacity)
        return;
    // One piece larger than the buffer (a string of more than 170,000 units): room for it.
    m_buffer.reset(new char[size]);
    m_at = m_buffer.get();
    m_end = m_buffer.get() + size;
}

bool JsonStream::flush() {
    // A device may take part of the text (a file reaching a full disk or the process's size
    // limit): the rest is offered again, and the device then says why it takes no more.
    const char* const begin = m_buffer.get();
    const qint64 size = qint64(m_at - begin);
    for (qint64 done = 0; m_ok && done < size;) {
        const qint64 written = m_device.write(begin + done, size - done);
        m_ok = written > 0;
        done += std::max<qint64>(written, 0);
    }
    m_at = m_buffer.get();
    return m_ok;
}

void JsonObjectWriter::key(QStringView name) {
    m_stream.raw(m_first ? "" : ", ");
    m_first = false;
    m_stream.string(name);
    m_stream.raw(": ");
}

JsonObjectWriter& JsonObjectWriter::field(const char* name, int number) {
    key(name);
    m_stream.raw(QByteArray::number(number).constData());
    return *this;
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

} // namespace litescope::workspace
