#include "TerminalOutput.h"

#include "domain/DisplayText.h"

#include <QStringDecoder>

#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace litescope::cli {

namespace {

// Bytes at the end of `bytes` that start a character whose end has not been written yet.
qsizetype unfinishedCharacter(QByteArrayView bytes) {
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    for (qsizetype back = 1; back <= 4 && back <= bytes.size(); ++back) {
        const unsigned char c = data[bytes.size() - back];
        if ((c & 0xc0) == 0x80)
            continue; // a continuation byte: its lead is further back
        const qsizetype length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        return length > back ? back : 0;
    }
    return 0;
}

// Whether the guard would leave `bytes` as they are: printable ASCII, newlines, tabs and whole
// UTF-8 sequences of characters that are not hidden. Decision lines are such text (their writer
// escapes hidden characters itself), and a megabyte of them is checked in well under a
// millisecond: sixteen or eight bytes at a time while none is a control, DEL or part of a longer
// sequence.
bool passesUnchanged(QByteArrayView bytes) {
    const auto* at = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto* const end = at + bytes.size();
    while (at < end) {
#ifdef __SSE2__
        // Sixteen bytes at a time: as signed bytes, everything from 0x80 up is negative.
        const __m128i space = _mm_set1_epi8(0x20);
        const __m128i del = _mm_set1_epi8(0x7f);
        while (end - at >= 16) {
            const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
            const __m128i attention =
                _mm_or_si128(_mm_cmplt_epi8(block, space), _mm_cmpeq_epi8(block, del));
            if (_mm_movemask_epi8(attention) != 0)
                break;
            at += 16;
        }
#endif
        while (end - at >= 8) {
            std::uint64_t word;
            std::memcpy(&word, at, sizeof word);
            const std::uint64_t low = word & 0x7f7f7f7f7f7f7f7fULL;
            // The top bit of each byte: set in the word (>= 0x80), in low + 1 (0x7f) or clear in
            // low + 0x60 (< 0x20). The sums cannot carry into the next byte.
            const std::uint64_t attention =
                (word | (low + 0x0101010101010101ULL) | ~(low + 0x6060606060606060ULL)) &
                0x8080808080808080ULL;
            if (attention != 0)
                break;
            at += 8;
        }
        if (at == end)
            break;
        const unsigned char c = *at;
        if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t') {
            ++at;
            continue;
        }
        qsizetype length = 0;
        char32_t code = 0;
        if (c >= 0xc2 && c <= 0xdf) {
            length = 2;
            code = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            length = 3;
            code = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            length = 4;
            code = c & 0x07;
        } else {
            return false; // a control, DEL or no UTF-8 at all
        }
        if (end - at < length)
            return false;
        for (qsizetype k = 1; k < length; ++k) {
            if ((at[k] & 0xc0) != 0x80)
                return false;
            code = (code << 6) | (at[k] & 0x3f);
        }
        const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
        if (overlong || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ||
            isHiddenCharacter(code))
            return false;
        at += length;
    }
    return true;
}

} // namespace

TerminalOutput::TerminalOutput(std::FILE* stream)
    : m_stream(stream) {
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

qint64 TerminalOutput::writeData(const char* data, qint64 size) {
    QByteArrayView bytes(data, size);
    QByteArray joined;
    if (!m_unfinished.isEmpty()) {
        joined = m_unfinished + bytes;
        bytes = joined;
    }
    // A character split between two writes waits for its last byte.
    const qsizetype keep = unfinishedCharacter(bytes);
    m_unfinished = bytes.last(keep).toByteArray();
    bytes = bytes.first(bytes.size() - keep);

    QByteArray escaped;
    if (!passesUnchanged(bytes)) {
        // A byte order mark is a hidden character like any other, wherever a write starts
        // (QString::fromUtf8 would drop one at the start).
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
        const QString text = decoder.decode(bytes);
        escaped = escapeHiddenCharacters(text, /*keepNewlines=*/true).toUtf8();
        bytes = escaped;
    }
    if (std::fwrite(bytes.data(), 1, std::size_t(bytes.size()), m_stream) !=
        std::size_t(bytes.size()))
        return -1;
    std::fflush(m_stream);
    return size;
}

} // namespace litescope::cli
