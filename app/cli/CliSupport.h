#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"

#include <QCommandLineParser>
#include <QString>
#include <QTextStream>

namespace litescope::cli {

// Exit codes shared by every command.
enum ExitCode : int {
    ExitOk = 0,
    ExitDenied = 1, // `check`: a request was denied; `validate`: the workspace has errors
    ExitBadInput = 2,
};

QTextStream& out();
QTextStream& err();

// Adds the options that say where the data comes from (--workspace today).
void addSourceOptions(QCommandLineParser& parser);
bool hasSource(const QCommandLineParser& parser);
QString missingSourceMessage();
// Loads the workspace the source options name, or an error an admin can act on.
Result<Workspace> loadSource(const QCommandLineParser& parser);

// Prints "litescope-cli: <message>" on stderr and returns ExitBadInput.
int badInput(const QString& message);

} // namespace litescope::cli
