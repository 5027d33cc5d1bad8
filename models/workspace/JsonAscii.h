#pragma once

#include <QtGlobal>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace litescope::workspace::detail {

// Copies the run of UTF-16 units at the start of `units` that a JSON string holds as themselves
// (printable ASCII, DEL included, but '"' and '\\') into `out` as bytes, and says how many. Ids,
// tokens, model names and e-mail addresses are such runs end to end, and a snapshot writes
// millions of them: eight units at a time where SSE2 is there.
inline qsizetype copyPlainAscii(const char16_t* units, qsizetype size, char* out) {
    qsizetype i = 0;
#if defined(__SSE2__)
    const __m128i control = _mm_set1_epi16(0x1F);
    const __m128i ascii = _mm_set1_epi16(0x80);
    const __m128i quote = _mm_set1_epi16('"');
    const __m128i backslash = _mm_set1_epi16('\\');
    for (; i + 8 <= size; i += 8) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(units + i));
        // Signed compares: units from 0x8000 up are negative, and so not above 0x1F.
        const __m128i inRange =
            _mm_and_si128(_mm_cmpgt_epi16(chunk, control), _mm_cmplt_epi16(chunk, ascii));
        const __m128i special =
            _mm_or_si128(_mm_cmpeq_epi16(chunk, quote), _mm_cmpeq_epi16(chunk, backslash));
        if (_mm_movemask_epi8(_mm_andnot_si128(special, inRange)) != 0xFFFF)
            break;
        _mm_storel_epi64(reinterpret_cast<__m128i*>(out + i), _mm_packus_epi16(chunk, chunk));
    }
#endif
    for (; i < size; ++i) {
        const char16_t unit = units[i];
        if (unit < 0x20 || unit >= 0x80 || unit == u'"' || unit == u'\\')
            break;
        out[i] = char(unit);
    }
    return i;
}

} // namespace litescope::workspace::detail
