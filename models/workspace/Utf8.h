#pragma once

namespace litescope::workspace::detail {

// The length of the strict UTF-8 sequence at `p` (a byte >= 0x80), or 0 when it is not one: an
// overlong form, a surrogate, past U+10FFFF, or cut short by `end`.
inline int utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
    const unsigned lead = p[0];
    int length = 0;
    char32_t point = 0;
    char32_t least = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        point = lead & 0x1F;
        least = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        point = lead & 0x0F;
        least = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        point = lead & 0x07;
        least = 0x10000;
    } else {
        return 0;
    }
    if (end - p < length)
        return 0;
    for (int i = 1; i < length; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        point = (point << 6) | (p[i] & 0x3F);
    }
    if (point < least || point > 0x10FFFF || (point >= 0xD800 && point < 0xE000))
        return 0;
    return length;
}

} // namespace litescope::workspace::detail
