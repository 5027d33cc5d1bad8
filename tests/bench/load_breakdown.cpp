// litescope-bench-load FILE: where the time of loading a workspace file goes (docs/PERFORMANCE.md,
// "Big proxies"): reading the bytes, parsing them into a workspace (validation included), the
// validation alone once more, and compiling the engine; with the process's memory after each
// step. Figures are printed, never asserted.
#include "domain/BoundedFile.h"
#include "engine/AccessEngine.h"
#include "workspace/WorkspaceJson.h"

#include <QElapsedTimer>
#include <QFile>

#include <cstdio>
#include <cstring>

using namespace litescope;

namespace {

// VmRSS and VmHWM (peak) of this process, in MiB.
std::pair<long, long> memory() {
    QFile status(QStringLiteral("/proc/self/status"));
    long rss = 0;
    long peak = 0;
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray& line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                rss = line.mid(6).trimmed().split(' ').first().toLong() / 1024;
            if (line.startsWith("VmHWM:"))
                peak = line.mid(6).trimmed().split(' ').first().toLong() / 1024;
        }
    }
    return {rss, peak};
}

void report(const char* step, QElapsedTimer& timer) {
    const auto [rss, peak] = memory();
    std::printf("%-10s %7lld ms   rss %5ld MiB   peak %5ld MiB\n", step,
                static_cast<long long>(timer.restart()), rss, peak);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: litescope-bench-load WORKSPACE.json\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    QElapsedTimer timer;
    timer.start();
    Result<QByteArray> bytes = readBoundedRegularFile(path, MaxFileLimit);
    if (!bytes) {
        std::fprintf(stderr, "%s\n", qPrintable(bytes.error().message));
        return 1;
    }
    report("read", timer);
    Result<Workspace> ws = workspace::parseFileContents(path, std::move(bytes).value());
    if (!ws) {
        std::fprintf(stderr, "%s\n", qPrintable(ws.error().message));
        return 1;
    }
    report("parse", timer);
    const Status valid = workspace::validate(*ws);
    report("validate", timer);
    const QStringList warnings = workspace::referenceWarnings(*ws);
    report("references", timer);
    const AccessEngine engine(*ws);
    report("compile", timer);
    std::printf("%lld keys, %lld users, %lld memberships, %lld teams, %lld reference warnings%s\n",
                static_cast<long long>(ws->keys.size()), static_cast<long long>(ws->users.size()),
                static_cast<long long>(ws->teamMemberships.size()),
                static_cast<long long>(ws->teams.size()), static_cast<long long>(warnings.size()),
                valid ? "" : " (invalid)");
    return 0;
}
