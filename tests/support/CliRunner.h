#pragma once

#include <QByteArray>
#include <QEventLoop>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTimer>

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

// The same, but the test's event loop keeps running while the CLI does: for servers living in
// the test process (the fake LiteLLM proxy). `environment` entries are added to the CLI's;
// `detached` runs it in a new session (setsid), without a controlling terminal.
inline CliRun runCliServing(const QStringList& arguments,
                            const QList<std::pair<QString, QString>>& environment = {},
                            int timeoutMs = 60000, bool detached = false) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto& [name, value] : environment)
        env.insert(name, value);
    process.setProcessEnvironment(env);
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&process, &QProcess::errorOccurred, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    const QString cli = QStringLiteral(LITESCOPE_BIN_DIR "/litescope-cli");
    if (detached)
        process.start(QStringLiteral("setsid"), QStringList{QStringLiteral("-w"), cli} + arguments);
    else
        process.start(cli, arguments);
    process.closeWriteChannel();
    CliRun run;
    if (process.state() != QProcess::NotRunning)
        loop.exec();
    run.finished = process.state() == QProcess::NotRunning;
    if (!run.finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace litescope::test
