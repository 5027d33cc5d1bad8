// The access engine compiled for a big proxy (issue 12): the generated proxy at 300 deployments,
// 1,000 teams, N memberships and 2N keys, for N = 25,000 / 50,000 / 100,000. Reports the compile
// time and the heap the compiled engine holds beyond the workspace it was built from (glibc's
// mallinfo2: bytes in use after the build minus before, the workspace's own values excluded
// because the engine shares them).
#include "WorkspaceGenerator.h"
#include "engine/AccessEngine.h"

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <map>
#include <optional>

using namespace litescope;
using namespace litescope::bench;

namespace {

const Workspace& bigProxy(int members) {
    static std::map<int, Workspace> cache;
    auto it = cache.find(members);
    if (it == cache.end()) {
        cache.clear(); // one size at a time: the generator's values of 100,000 members are large
        GeneratorOptions options;
        options.proxyModels = 300;
        options.teams = 1000;
        options.members = members;
        options.keysPerMember = 2;
        it = cache.emplace(members, generateWorkspace(options)).first;
    }
    return it->second;
}

std::size_t heapInUse() {
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

void BM_CompileEngine_BigProxy(benchmark::State& state) {
    const int members = int(state.range(0));
    const Workspace& ws = bigProxy(members);
    double engineBytes = 0;
    for (auto _ : state) {
        const std::size_t before = heapInUse();
        std::optional<AccessEngine> engine(std::in_place, ws);
        state.PauseTiming(); // the figure is the build; the CLI and the window free it at exit
        engineBytes = double(heapInUse() - before);
        benchmark::DoNotOptimize(&*engine);
        engine.reset();
        state.ResumeTiming();
    }
    state.SetComplexityN(members);
    state.counters["engine_MiB"] = engineBytes / (1024.0 * 1024.0);
    state.counters["keys"] = double(ws.keys.size());
}

} // namespace

BENCHMARK(BM_CompileEngine_BigProxy)
    ->Arg(25000)
    ->Arg(50000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
