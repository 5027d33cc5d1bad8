#pragma once

#include "engine/AccessEngine.h"
#include "engine/DecisionLineWriter.h"

namespace litescope::cli {

struct BatchOptions {
    bool json = false;
    std::uint16_t fields = AllDecisionFields; // of the JSON lines
};

// `check --requests`: reads request lines from `fd` as they arrive and prints one decision per
// request, in the order of the input, deciding on every core. Memory stays bounded whatever the
// input's size: a few 64 KiB blocks are in flight, the decision lines' cache has a cap.
//
// The first bad line (not a request, an unknown key, longer than 1 MiB) or a failed read stops
// the batch with its line number on stderr and ExitBadInput: the decisions of every line before
// it have been printed, none after. Takes ownership of `fd` and closes it.
int runBatch(const AccessEngine& engine, int fd, const BatchOptions& options);

} // namespace litescope::cli
