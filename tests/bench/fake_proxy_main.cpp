// litescope-fake-proxy: the test suite's fake LiteLLM as a process of its own, serving a
// workspace file (or the generated big proxy) on 127.0.0.1, so `litescope-cli snapshot --api`
// can be measured against it with the client alone in its process
// (tests/bench/api-snapshot-benchmark.sh). Prints the URL on the first line, then serves until
// killed. The master key is read from the environment variable LITESCOPE_FAKE_KEY.
#include "WorkspaceGenerator.h"
#include "support/FakeLiteLLM.h"
#include "workspace/WorkspaceJson.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace litescope;

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({u"workspace"_s, u"Serve this workspace file."_s, u"file"_s});
    parser.addOption({u"members"_s, u"Serve the generated big proxy with N members."_s, u"n"_s});
    parser.addOption({u"version"_s, u"The LiteLLM release to emulate."_s, u"release"_s});
    parser.process(app);

    Workspace data;
    if (parser.isSet(u"workspace"_s)) {
        Result<Workspace> read = workspace::readFile(parser.value(u"workspace"_s));
        if (!read) {
            std::fprintf(stderr, "litescope-fake-proxy: %s\n", qPrintable(read.error().message));
            return 2;
        }
        data = std::move(*read);
    } else {
        bench::GeneratorOptions shape;
        shape.proxyModels = 300;
        shape.teams = 1000;
        shape.members = parser.value(u"members"_s).toInt();
        shape.keysPerMember = 2;
        if (shape.members <= 0) {
            std::fprintf(stderr, "litescope-fake-proxy: give --workspace FILE or --members N\n");
            return 2;
        }
        data = bench::generateWorkspace(shape);
    }
    const QString key = qEnvironmentVariable("LITESCOPE_FAKE_KEY");
    if (key.isEmpty()) {
        std::fprintf(stderr, "litescope-fake-proxy: set LITESCOPE_FAKE_KEY to the master key\n");
        return 2;
    }
    test::FakeLiteLLM proxy(std::move(data), key);
    if (parser.isSet(u"version"_s))
        proxy.setLiteLLMVersion(parser.value(u"version"_s));
    QString error;
    if (!proxy.listen(&error)) {
        std::fprintf(stderr, "litescope-fake-proxy: %s\n", qPrintable(error));
        return 2;
    }
    std::printf("%s\n", qPrintable(proxy.url().toString()));
    std::fflush(stdout);
    return app.exec();
}
