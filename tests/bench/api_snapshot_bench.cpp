// litescope-bench, admin API part: a snapshot through ApiStore of the generated proxy (500
// models, 100 teams, 5,000 members, 5,000 keys) served by the test suite's fake LiteLLM over
// 127.0.0.1. The fake answers on the same thread as the client, so the figure includes the
// server building its JSON: an upper bound for litescope's own share.
#include "WorkspaceGenerator.h"
#include "store/WaitForTask.h"
#include "store/api/ApiStore.h"
#include "support/FakeLiteLLM.h"

#include <QCoreApplication>
#include <QScopeGuard>
#include <QThread>

#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;
using namespace litescope;

namespace {

// Qt's event loop needs an application object; Google Benchmark owns main().
void ensureApplication() {
    static int argc = 1;
    static char name[] = "litescope-bench";
    static char* argv[] = {name, nullptr};
    static QCoreApplication application(argc, argv);
}

// `serverThread`: the fake answers on a thread of its own, so the benchmark's CPU time is the
// client's (its main thread; parsing runs on the thread pool and shows in the wall time).
void snapshotOf(benchmark::State& state, const bench::GeneratorOptions& shape,
                bool serverThread = false) {
    ensureApplication();
    const QString key = u"sk-bench-master"_s;
    test::FakeLiteLLM proxy(bench::generateWorkspace(shape), key);
    QString error;
    if (!proxy.listen(&error)) {
        std::fprintf(stderr, "litescope-bench: %s\n", qPrintable(error));
        std::exit(2);
    }
    QThread thread;
    if (serverThread) {
        proxy.moveToThread(&thread);
        thread.start();
    }
    const auto stopServer = qScopeGuard([&thread] {
        thread.quit();
        thread.wait();
    });
    ApiConnectionOptions options;
    options.baseUrl = proxy.url();
    options.apiKey = key;
    options.litellmSettings = QJsonObject();
    ApiStore store(options);
    if (!waitForTask(store.open(), 60'000)) {
        std::fprintf(stderr, "litescope-bench: the fake proxy did not open\n");
        std::exit(2);
    }
    qsizetype requests = 0;
    for (auto _ : state) {
        proxy.clearRequests();
        Result<Workspace> snapshot = waitForTask(store.snapshot(), 600'000);
        if (!snapshot || snapshot->teamMemberships.size() != shape.members) {
            std::fprintf(stderr, "litescope-bench: the API snapshot failed\n");
            std::exit(2);
        }
        requests = proxy.requests().size();
        benchmark::DoNotOptimize(snapshot);
    }
    state.counters["requests"] = double(requests);
}

void BM_ApiSnapshot_Generated(benchmark::State& state) {
    snapshotOf(state, {});
}

// The big proxy of issue 12 at N members (1,000 teams, 300 deployments, two keys a member),
// served from another thread.
void BM_ApiSnapshot_BigProxy(benchmark::State& state) {
    bench::GeneratorOptions shape;
    shape.proxyModels = 300;
    shape.teams = 1000;
    shape.members = int(state.range(0));
    shape.keysPerMember = 2;
    snapshotOf(state, shape, /*serverThread=*/true);
    state.SetComplexityN(state.range(0));
}

} // namespace

BENCHMARK(BM_ApiSnapshot_Generated)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ApiSnapshot_BigProxy)
    ->Arg(25000)
    ->Arg(50000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Complexity(benchmark::oN);
