#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>

namespace litescope::test {

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool finished = false;
};

// Runs the real litescope-cli binary from the build tree.
inline CliRun runCli(const QStringList& arguments, const QByteArray& input = {},
                     int timeoutMs = 60000) {
    QProcess process;
    process.start(QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli"), arguments);
    CliRun run;
    if (!process.waitForStarted(timeoutMs))
        return run;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    run.finished = process.waitForFinished(timeoutMs);
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace litescope::test
