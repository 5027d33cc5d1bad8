#pragma once

#include <QString>

namespace litescope::special {

// LiteLLM's SpecialModelNames and the other names its allow-lists treat specially.
inline const QString AllProxyModels = QStringLiteral("all-proxy-models");
inline const QString AllTeamModels = QStringLiteral("all-team-models");
inline const QString NoDefaultModels = QStringLiteral("no-default-models");
inline const QString Star = QStringLiteral("*");

} // namespace litescope::special
