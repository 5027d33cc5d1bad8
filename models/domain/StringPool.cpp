#include "domain/StringPool.h"

namespace litescope {

QString StringPool::intern(std::string_view utf8) {
    if (utf8.empty())
        return QString();
    if (const auto it = m_strings.find(utf8); it != m_strings.end())
        return it->second;
    QString text = QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
    m_strings.emplace(std::string(utf8), text);
    return text;
}

QString StringPool::intern(const QString& text) {
    if (text.isEmpty())
        return text;
    const QByteArray utf8 = text.toUtf8();
    const std::string_view key(utf8.constData(), std::size_t(utf8.size()));
    if (const auto it = m_strings.find(key); it != m_strings.end())
        return it->second;
    m_strings.emplace(std::string(key), text);
    return text;
}

} // namespace litescope
