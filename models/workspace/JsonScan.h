#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>
#include <string_view>
#include <vector>

namespace litescope::workspace::detail {

// A key an object holds twice. Qt's parser keeps one of the values without a word, so a file
// read through it would silently lose the other.
struct DuplicateKey {
    QString path;     // `teams[3].models`, `model_group_alias["openai/gpt-4o"]`
    qsizetype offset; // of the second occurrence, in bytes
};

// What one pass over JSON text learns without building anything: the first duplicate key, the
// shape of the top level, and whether the text is strictly JSON. Linear in the text and far
// cheaper than parsing it.
struct JsonOutline {
    enum class Top {
        Unknown, // a duplicate stopped the pass, or it could not follow the text (Qt says why)
        Object,
        Array,
    };
    Top top = Top::Unknown;
    std::optional<DuplicateKey> duplicate;
    // The offset of the first thing that is not strictly JSON (a bad literal or number, a raw
    // control character, invalid UTF-8, a bad escape), which Qt's parser may refuse; -1: none.
    qsizetype firstSuspect = -1;
    // For each of the top-level keys asked about, whether the top-level object has it.
    std::vector<bool> found;

    // The whole text is strict JSON of an object or an array: what the outline says about it
    // holds for the parsed document too.
    bool strict() const { return top != Top::Unknown && firstSuspect < 0; }
};

// Follows the structure: strings, objects, arrays and their separators. A scalar is followed as
// any run of letters, digits, '+', '-' and '.', which is at least as lenient as Qt's parser, so
// whatever Qt accepts is followed to the end and no duplicate goes unseen; what strict JSON does
// not allow is noted in firstSuspect. A UTF-8 byte order mark at the start is skipped, as Qt
// does. Keys are compared as Qt would after decoding: "a" and "\u0061" are the same key.
JsonOutline outlineJson(QByteArrayView json,
                        const std::vector<std::string_view>& topLevelKeys = {});

} // namespace litescope::workspace::detail
