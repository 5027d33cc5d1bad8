#include "store/api/ApiVersion.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace litescope::api {

std::optional<LiteLLMVersion> LiteLLMVersion::parse(const QString& text) {
    static const QRegularExpression pattern(u"^v?(\\d+)\\.(\\d+)\\.(\\d+)"_s);
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    return LiteLLMVersion{match.captured(1).toInt(), match.captured(2).toInt(),
                          match.captured(3).toInt()};
}

} // namespace litescope::api
