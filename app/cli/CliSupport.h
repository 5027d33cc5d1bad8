#pragma once

#include "CliText.h"
#include "domain/Result.h"
#include "domain/Workspace.h"
#include "store/Store.h"
#include "workspace/WorkspaceJson.h"

#include <QCommandLineParser>
#include <QHash>
#include <QSet>
#include <QString>
#include <QTextStream>

#include <memory>
#include <optional>
#include <string_view>

namespace litescope {
class AccessEngine;
}

namespace litescope::cli {

// Exit codes shared by every command.
enum ExitCode : int {
    ExitOk = 0,
    ExitDenied = 1, // `check`: a request was denied; `validate`: the workspace has errors
    ExitBadInput = 2,
};

QTextStream& out();
QTextStream& err();
// Bytes of UTF-8 text straight to standard output, after what out() holds: the batch writers
// make their bytes themselves. They still pass the terminal guard.
void writeOut(std::string_view bytes);

// Describes a command, adds --help, the source options (--workspace FILE or --db CONNECTION,
// --read-only, --actor) and the command word. The command adds its own options afterwards.
void setUpCommand(QCommandLineParser& parser, const QString& command, const QString& description);
// Parses the arguments and answers --help. Returns the exit code when the command stops here.
std::optional<int> parseCommand(QCommandLineParser& parser, const QStringList& arguments);
bool hasSource(const QCommandLineParser& parser);
QString missingSourceMessage();
// Loads the workspace the source options name, or an error an admin can act on. `options` go
// with a store's snapshot (a workspace file is read as it is).
Result<Workspace> loadSource(const QCommandLineParser& parser, CallOptions options = {});
// What deciding the key `key` names needs (KeySlice), from the source options: a database reads
// only those rows; a file or an admin API is read whole and sliced.
Result<KeySlice> loadKeySource(const QCommandLineParser& parser, const QString& key);
// A snapshot with --proxy-config merged in (mergeProxyConfig), its warnings on stderr; the
// snapshot as it is without that option. Every command reads its snapshot through this.
Result<Workspace> withProxyConfig(const QCommandLineParser& parser, Result<Workspace> snapshot);
// The store the source options name (a workspace file, a database or a proxy's admin API), made
// by the store factory and opened.
Result<std::unique_ptr<Store>> openStore(const QCommandLineParser& parser);

// Runs a store operation to completion; database and file work happens off this thread.
template <typename T>
T run(QCoro::Task<T> task);

// Prints "litescope-cli: <message>" on stderr and returns ExitBadInput.
int badInput(const QString& message);

QString noSuchKeyMessage(const QString& key);

// Warns on stderr, once each, about the references of keys that name rows the workspace does
// not have (the key's team, user, project or access groups, its membership's user): LiteLLM
// serves such keys, and the decisions say how, but the admin should know the data is dangling.
// Only the rows of the keys named are checked: one check of a big proxy does not walk every row.
class DanglingReferenceWarnings {
public:
    // `slice`: the engine decides on a KeySlice, whose rows the warnings name by their places in
    // the whole workspace.
    explicit DanglingReferenceWarnings(const AccessEngine& engine, const KeySlice* slice = nullptr);
    // The warnings about `key` and its membership row, the first time the key is named.
    void warnFor(std::int32_t key);

private:
    const AccessEngine& m_engine;
    const KeySlice* m_slice;
    workspace::ReferenceCheck m_check;
    QSet<std::int32_t> m_warned;
};
void warnAboutDanglingReferences(const AccessEngine& engine, const QList<std::int32_t>& keys,
                                 const KeySlice* slice = nullptr);

// How long one store operation may take before the CLI gives up (a snapshot of a big database
// takes seconds, not minutes).
inline constexpr int OperationTimeoutMs = 30 * 60 * 1000;

} // namespace litescope::cli

#include "store/WaitForTask.h"

template <typename T>
T litescope::cli::run(QCoro::Task<T> task) {
    return waitForTask(std::move(task), OperationTimeoutMs);
}
