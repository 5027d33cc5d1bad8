#pragma once

#include "engine/AccessEngine.h"

#include <QJsonValue>

namespace litescope::cli {

// A decision as one compact JSON line (docs/workspace-format.md).
void printDecisionLine(const AccessEngine& engine, const QString& key, const QJsonValue& model,
                       const ModelRequest& request, const Decision& decision);
// A decision for a person: verdict, reason and the layer-by-layer trail.
void printDecision(const AccessEngine& engine, const QString& key, const ModelRequest& request,
                   const Decision& decision);

} // namespace litescope::cli
