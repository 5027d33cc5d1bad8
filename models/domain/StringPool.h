#pragma once

#include <QString>
#include <QStringView>

#include <string>
#include <string_view>
#include <unordered_map>

namespace litescope {

// Hands out one shared QString per distinct text while a source is read: a big proxy names the
// same few thousand model names, team ids and user ids hundreds of thousands of times (keys,
// memberships, rosters), and implicit sharing makes every repeat cost a pointer instead of a
// fresh UTF-16 copy. Unique texts (key tokens) should not go through the pool; it would only
// double their cost while it lives. Not thread-safe: one pool per reader.
class StringPool {
public:
    // `utf8` must be valid UTF-8 (both JSON parsers and PostgreSQL guarantee it).
    QString intern(std::string_view utf8);
    QString intern(const QString& text);

    qsizetype size() const { return qsizetype(m_strings.size()); }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const noexcept {
            return std::hash<std::string_view>{}(text);
        }
    };
    std::unordered_map<std::string, QString, Hash, std::equal_to<>> m_strings;
};

} // namespace litescope
