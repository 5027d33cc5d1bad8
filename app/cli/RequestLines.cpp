#include "RequestLines.h"

#include "CliText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

using namespace Qt::StringLiterals;

namespace litescope::cli {

namespace {

// The shape nearly every request line has: one object whose members are strings or lists of
// strings, in printable ASCII with JSON's one-letter escapes. Anything else (a number, a nested
// object, a \u escape, any other byte, "key" or "model" twice, an error) makes it give up, and
// Qt's parser reads the line: on what both accept they agree, and every error is Qt's.
class SimpleLine {
public:
    explicit SimpleLine(QByteArrayView line)
        : m_at(line.data())
        , m_end(line.data() + line.size()) {}

    bool read(Request& request) {
        bool haveKey = false;
        bool haveModel = false;
        if (!token('{'))
            return false;
        do {
            Span name;
            if (!string(name) || !token(':'))
                return false;
            space();
            const bool isKey = name.is("key");
            const bool isModel = name.is("model");
            if ((isKey && haveKey) || (isModel && haveModel))
                return false; // Qt's parser keeps the last of the two
            if (m_at < m_end && *m_at == '[') {
                QStringList list;
                if (isKey || !stringList(list, isModel))
                    return false;
                if (isModel)
                    request.models = ModelRequest::list(std::move(list));
            } else {
                Span value;
                if (!string(value))
                    return false;
                if (isKey)
                    request.key = value.text(m_text);
                else if (isModel)
                    request.models = ModelRequest::single(value.text(m_text));
            }
            haveKey |= isKey;
            haveModel |= isModel;
        } while (token(','));
        if (!token('}'))
            return false;
        space();
        return m_at == m_end && haveKey && !request.key.isEmpty() && haveModel &&
               !request.models.names.isEmpty() && request.models.names.size() <= maxNamesPerRequest;
    }

private:
    // A string token as written between its quotes.
    struct Span {
        const char* start = nullptr;
        qsizetype size = 0;
        bool escaped = false;

        bool is(std::string_view word) const {
            return !escaped && size == qsizetype(word.size()) &&
                   std::memcmp(start, word.data(), word.size()) == 0;
        }
        QString text(std::string& scratch) const {
            if (!escaped)
                return QString::fromLatin1(start, size);
            scratch.clear();
            for (const char* at = start; at < start + size; ++at) {
                if (*at != '\\') {
                    scratch += *at;
                    continue;
                }
                switch (*++at) {
                case '"':
                case '\\':
                case '/':
                    scratch += *at;
                    break;
                case 'b':
                    scratch += '\b';
                    break;
                case 'f':
                    scratch += '\f';
                    break;
                case 'n':
                    scratch += '\n';
                    break;
                case 'r':
                    scratch += '\r';
                    break;
                default: // 't': string() let no other escape through
                    scratch += '\t';
                    break;
                }
            }
            return QString::fromLatin1(scratch.data(), qsizetype(scratch.size()));
        }
    };

    void space() {
        while (m_at < m_end && (*m_at == ' ' || *m_at == '\t' || *m_at == '\r' || *m_at == '\n'))
            ++m_at;
    }
    bool token(char c) {
        space();
        if (m_at == m_end || *m_at != c)
            return false;
        ++m_at;
        return true;
    }
    // Printable ASCII but for the quote and the backslash: eight bytes at a time.
    static bool eightPlainBytes(const char* at) {
        std::uint64_t w;
        std::memcpy(&w, at, sizeof w);
        constexpr std::uint64_t ones = 0x0101010101010101ULL;
        constexpr std::uint64_t tops = 0x8080808080808080ULL;
        const auto hasZeroByte = [](std::uint64_t x) { return (x - ones) & ~x & tops; };
        const std::uint64_t low = w & ~tops;
        return ((w | (low + ones) | ~(low + 0x60 * ones)) & tops) == 0 &&
               hasZeroByte(w ^ (0x22 * ones)) == 0 && hasZeroByte(w ^ (0x5c * ones)) == 0;
    }
    bool string(Span& span) {
        space();
        if (m_at == m_end || *m_at != '"')
            return false;
        span.start = ++m_at;
        for (;;) {
            while (m_end - m_at >= 8 && eightPlainBytes(m_at))
                m_at += 8;
            if (m_at == m_end)
                return false;
            const char c = *m_at++;
            if (c == '"')
                break;
            if (c < 0x20 || c > 0x7e)
                return false;
            if (c == '\\') {
                // JSON's one-letter escapes; \u and the ones Qt's parser reads leniently are
                // left to it.
                span.escaped = true;
                constexpr std::string_view oneLetter = "\"\\/bfnrt";
                if (m_at == m_end || oneLetter.find(*m_at) == std::string_view::npos)
                    return false;
                ++m_at;
            }
        }
        span.size = m_at - 1 - span.start;
        return true;
    }
    // A list of strings; kept only when `keep`, and then of at most maxNamesPerRequest.
    bool stringList(QStringList& out, bool keep) {
        if (!token('['))
            return false;
        do {
            Span name;
            if (!string(name))
                return false;
            if (keep) {
                if (out.size() == maxNamesPerRequest)
                    return false;
                out.append(name.text(m_text));
            }
        } while (token(','));
        return token(']');
    }

    const char* m_at;
    const char* m_end;
    std::string m_text;
};

Result<Request> parseWithQt(QByteArrayView line, int lineNumber) {
    const QString where = CliText::tr("requests line %1: ").arg(lineNumber);
    // Qt's parser stops at a NUL and would judge a different line than the file holds.
    if (const qsizetype nul = line.indexOf('\0'); nul >= 0)
        return Error::invalid(where + CliText::tr("holds a NUL byte at byte %1; each line must be "
                                                  "one JSON object in UTF-8")
                                          .arg(nul + 1));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::invalid(where + CliText::tr("not valid JSON (%1 at character %2)")
                                          .arg(parseError.errorString())
                                          .arg(parseError.offset + 1));
    if (!document.isObject())
        return Error::invalid(
            where +
            CliText::tr("expected a JSON object like {\"key\": \"sk-…\", \"model\": \"gpt-4o\"}"));
    const QJsonObject object = document.object();
    const QJsonValue key = object.value(u"key"_s);
    if (!key.isString() || key.toString().isEmpty())
        return Error::invalid(where + CliText::tr("\"key\" must be a non-empty string"));
    const QJsonValue model = object.value(u"model"_s);
    Request request{lineNumber, key.toString(), {}};
    if (model.isString()) {
        request.models = ModelRequest::single(model.toString());
    } else if (model.isArray() && !model.toArray().isEmpty()) {
        const QJsonArray array = model.toArray();
        if (array.size() > maxNamesPerRequest)
            return Error::invalid(where + CliText::tr("\"model\" lists %1 names; a request may "
                                                      "list at most %2")
                                              .arg(array.size())
                                              .arg(maxNamesPerRequest));
        QStringList names;
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array[i].isString())
                return Error::invalid(where + CliText::tr("\"model\"[%1] must be a string").arg(i));
            names.append(array[i].toString());
        }
        request.models = ModelRequest::list(names);
    } else {
        return Error::invalid(
            where + CliText::tr("\"model\" must be a string or a non-empty list of strings"));
    }
    return request;
}

} // namespace

Result<Request> parseRequestLine(QByteArrayView line, int lineNumber) {
    Request request;
    request.line = lineNumber;
    if (SimpleLine(line).read(request))
        return request;
    return parseWithQt(line, lineNumber);
}

Error lineTooLong(int lineNumber) {
    return Error::invalid(CliText::tr("requests line %1: longer than %2 MiB; a line is one request")
                              .arg(lineNumber)
                              .arg(maxLineBytes / (1024 * 1024)));
}

} // namespace litescope::cli
