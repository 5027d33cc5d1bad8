#pragma once

#include "engine/AccessEngine.h"
#include "engine/DecisionLineWriter.h"

namespace litescope::cli {

// A decision as one compact JSON line (docs/ACCESS-ENGINE.md), with the writer's fields.
void printDecisionLine(DecisionLineWriter& writer, const QString& key, const ModelRequest& request,
                       const Decision& decision);
// A decision for a person: verdict, reason and the layer-by-layer trail, each line ending in
// '\n'.
QString decisionText(const AccessEngine& engine, const QString& key, const ModelRequest& request,
                     const Decision& decision);

} // namespace litescope::cli
