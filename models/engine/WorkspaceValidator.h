#pragma once

#include "engine/AccessEngine.h"

#include <QList>
#include <QString>

namespace litescope {

// Findings about a workspace that loads but may not do what its admin expects.
struct ValidationIssue {
    enum class Severity { Warning, Error };
    Severity severity = Severity::Warning;
    QString path;    // JSON path, e.g. "team_memberships[4].allowed_models[1]"
    QString message; // what is wrong and why it matters
};

// Checks a loaded workspace with the engine's own rules, so a warning means exactly what the
// proxy would do: member scopes naming models the team cannot use, default member models outside
// the team's models, keys that can call nothing, wildcard entries LiteLLM cannot compile,
// references the proxy silently ignores.
QList<ValidationIssue> validateWorkspace(const AccessEngine& engine);

} // namespace litescope
