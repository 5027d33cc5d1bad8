#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"

#include <QCommandLineParser>
#include <QString>
#include <QTextStream>

#include <optional>

namespace litescope::cli {

// Exit codes shared by every command.
enum ExitCode : int {
    ExitOk = 0,
    ExitDenied = 1, // `check`: a request was denied; `validate`: the workspace has errors
    ExitBadInput = 2,
};

QTextStream& out();
QTextStream& err();

// Describes a command, adds --help, the source options (--workspace today) and the command
// word. The command adds its own options afterwards.
void setUpCommand(QCommandLineParser& parser, const QString& command, const QString& description);
// Parses the arguments and answers --help. Returns the exit code when the command stops here.
std::optional<int> parseCommand(QCommandLineParser& parser, const QStringList& arguments);
bool hasSource(const QCommandLineParser& parser);
QString missingSourceMessage();
// Loads the workspace the source options name, or an error an admin can act on.
Result<Workspace> loadSource(const QCommandLineParser& parser);

// Prints "litescope-cli: <message>" on stderr and returns ExitBadInput.
int badInput(const QString& message);

QString noSuchKeyMessage(const QString& key);

} // namespace litescope::cli
