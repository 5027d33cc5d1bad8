// litescope-bench-compile: how long the access engine takes to compile a workspace file, for
// tests/bench/snapshot-benchmark.sh (check --db is a snapshot, this compile and one decision).
//
//   litescope-bench-compile WORKSPACE.json [RUNS]
//
// Reads the file once, compiles it RUNS times (5 by default) and prints the median in
// milliseconds.
#include "engine/AccessEngine.h"
#include "workspace/WorkspaceJson.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace litescope;

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: litescope-bench-compile WORKSPACE.json [RUNS]\n");
        return 2;
    }
    const int runs = argc == 3 ? std::max(1, std::atoi(argv[2])) : 5;
    const Result<Workspace> workspace =
        workspace::readFile(QString::fromLocal8Bit(argv[1]), qint64(1) << 40);
    if (!workspace) {
        std::fprintf(stderr, "%s\n", qPrintable(workspace.error().message));
        return 1;
    }
    std::vector<qint64> times;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        const AccessEngine engine(*workspace);
        times.push_back(timer.elapsed());
    }
    std::sort(times.begin(), times.end());
    std::printf("%lld\n", static_cast<long long>(times[times.size() / 2]));
    return 0;
}
