#pragma once

// Internal to the engine: the walk through LiteLLM's layers for one request, used by
// AccessEngine::decide.
#include "engine/AccessEngine.h"

namespace litescope::engine {

// Decides `request` for `key` (workspace key `keyIndex`, -1 for a member preview) into
// `decision`: verdict, denying layer, trail. Returns the Dataset bits the decision consulted.
std::uint16_t evaluate(const CompiledWorkspace& ws, const ResolvedRequest& request,
                       const CompiledKey& key, std::int32_t keyIndex, Decision& decision);

} // namespace litescope::engine
