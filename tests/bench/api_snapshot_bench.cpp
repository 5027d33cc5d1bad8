// litescope-bench, admin API part: a snapshot through ApiStore of the generated proxy (500
// models, 100 teams, 5,000 members, 5,000 keys) served by the test suite's fake LiteLLM over
// 127.0.0.1. The fake answers on the same thread as the client, so the figure includes the
// server building its JSON: an upper bound for litescope's own share.
#include "WorkspaceGenerator.h"
#include "store/WaitForTask.h"
#include "store/api/ApiStore.h"
#include "support/FakeLiteLLM.h"

#include <QCoreApplication>

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

void BM_ApiSnapshot_Generated(benchmark::State& state) {
    ensureApplication();
    const QString key = u"sk-bench-master"_s;
    test::FakeLiteLLM proxy(bench::generateWorkspace({}), key);
    QString error;
    if (!proxy.listen(&error)) {
        std::fprintf(stderr, "litescope-bench: %s\n", qPrintable(error));
        std::exit(2);
    }
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
        if (!snapshot || snapshot->teamMemberships.size() != 5000) {
            std::fprintf(stderr, "litescope-bench: the API snapshot failed\n");
            std::exit(2);
        }
        requests = proxy.requests().size();
        benchmark::DoNotOptimize(snapshot);
    }
    state.counters["requests"] = double(requests);
}

} // namespace

BENCHMARK(BM_ApiSnapshot_Generated)->Unit(benchmark::kMillisecond);
