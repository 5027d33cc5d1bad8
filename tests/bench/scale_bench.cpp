// How `litescope-cli validate -w` grows with the size of one list in the workspace (issue 11,
// hostile input). Each case serialises a workspace with N entries in one place, then times what
// the command does with the file's bytes: parse, compile the access engine, validate. Google
// Benchmark fits the times to O(N) and reports the fit (BigO) and its error (RMS).
#include "ScaleWorkspaces.h"
#include "engine/AccessEngine.h"
#include "engine/WorkspaceValidator.h"
#include "workspace/WorkspaceJson.h"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::bench;

namespace {

// What `litescope-cli validate -w FILE` does with the file's bytes.
void validateBytes(benchmark::State& state, Workspace (*make)(int)) {
    const int n = static_cast<int>(state.range(0));
    const QByteArray json = workspace::serialize(make(n));
    for (auto _ : state) {
        Result<Workspace> ws = workspace::parse(json);
        if (!ws) {
            std::fprintf(stderr, "litescope-bench: %s\n", qPrintable(ws.error().message));
            std::exit(2);
        }
        const AccessEngine engine(*ws);
        benchmark::DoNotOptimize(validateWorkspace(engine));
    }
    state.SetComplexityN(n);
    state.counters["bytes"] = double(json.size());
}

void BM_Validate_RouterAliases(benchmark::State& state) {
    validateBytes(state, routerAliasesWorkspace);
}
void BM_Validate_TeamModels(benchmark::State& state) {
    validateBytes(state, teamModelsWorkspace);
}
void BM_Validate_TeamWildcards(benchmark::State& state) {
    validateBytes(state, teamWildcardsWorkspace);
}
void BM_Validate_WildcardDeployments(benchmark::State& state) {
    validateBytes(state, wildcardDeploymentsWorkspace);
}
void BM_Validate_KeysAndAliases(benchmark::State& state) {
    validateBytes(state, keysAndAliasesWorkspace);
}
void BM_Validate_AccessGroupModels(benchmark::State& state) {
    validateBytes(state, accessGroupModelsWorkspace);
}

} // namespace

BENCHMARK(BM_Validate_RouterAliases)
    ->Arg(1000)
    ->Arg(2000)
    ->Arg(4000)
    ->Arg(8000)
    ->Arg(16000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
BENCHMARK(BM_Validate_TeamModels)
    ->Arg(100000)
    ->Arg(200000)
    ->Arg(400000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
BENCHMARK(BM_Validate_TeamWildcards)
    ->Arg(1000)
    ->Arg(2000)
    ->Arg(4000)
    ->Arg(8000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
BENCHMARK(BM_Validate_WildcardDeployments)
    ->Arg(1000)
    ->Arg(2000)
    ->Arg(4000)
    ->Arg(8000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
BENCHMARK(BM_Validate_KeysAndAliases)
    ->Arg(500)
    ->Arg(1000)
    ->Arg(2000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
BENCHMARK(BM_Validate_AccessGroupModels)
    ->Arg(2000)
    ->Arg(4000)
    ->Arg(8000)
    ->Arg(16000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
