#pragma once

#include "domain/BoundedFile.h"
#include "domain/Result.h"
#include "domain/Workspace.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace litescope::workspace {

// Strict reading of the litescope workspace format (docs/workspace-format.md). Errors name the
// JSON path ("teams[3].models: expected an array"); nothing is guessed. The text must be a
// workspace ("format" and "version" at the top) and hold each key of an object once.
Result<Workspace> parse(const QByteArray& json);
// The same checks for a document built in this process (the admin API's answers, a conformance
// case's "workspace"), which may leave out "format" and "version".
Result<Workspace> parseObject(const QJsonObject& object);
// Reads at most `limit` bytes (readBoundedRegularFile: a directory, a device or a FIFO is refused
// without reading). Errors start with the path of the file; a missing file is NotFound, other
// failures of reading are Io.
Result<Workspace> readFile(const QString& path, qint64 limit = DefaultWorkspaceFileLimit);
// The parsing part of readFile, for a reader that reads the bytes itself (in chunks,
// cancellably): errors start with the path. The text is released once it is parsed.
Result<Workspace> parseFileContents(const QString& path, QByteArray json);

// What parse checks after the types: ids present and not empty, no duplicate ids (key aliases
// included). A reference to a missing row is not an error: LiteLLM serves such rows (see
// referenceWarnings). For workspaces built in code before they are written or handed to the
// engine.
Status validate(const Workspace& workspace);

// References LiteLLM tolerates at runtime (a key's team, user or project without a row, a team's
// organization, access group ids naming no group, memberships of teams or users not in the file,
// a user's teams, ...). Each warning starts with the JSON path, e.g.
// `keys[2].user_id: no user "u1" in this workspace`.
QStringList referenceWarnings(const Workspace& workspace);
// The same checks for single rows, worded the same: for tools that look at a few keys of a big
// workspace (check --key) and should not walk every row. The ids are indexed once; `workspace`
// must outlive the check.
class ReferenceCheck {
public:
    explicit ReferenceCheck(const Workspace& workspace);
    ~ReferenceCheck();
    ReferenceCheck(const ReferenceCheck&) = delete;
    ReferenceCheck& operator=(const ReferenceCheck&) = delete;

    // `shown`: the row's place in the list the warning names it by (a slice's row in the whole
    // workspace); -1: `key` itself.
    QStringList keyWarnings(qsizetype key, qsizetype shown = -1) const;
    QStringList membershipWarnings(qsizetype membership, qsizetype shown = -1) const;

private:
    struct Known;
    const Workspace& m_ws;
    std::unique_ptr<Known> m_known;
};
// One line for a snapshot's source.warnings: how many such references there are, and the first;
// empty when there are none.
QString referenceSummary(const Workspace& workspace);
// For a reader that has the keys, and the ids they can name, before the rest (the PostgreSQL
// snapshot, on the keys' connection): the keys' share of referenceWarnings, in key order, and
// the summary line the whole workspace gives with them.
struct KeyTargets {
    QStringList teams, users, projects, accessGroups; // their ids
};
QStringList keyReferenceWarnings(const QList<Key>& keys, const KeyTargets& targets);
QString referenceSummary(const Workspace& workspace, const QStringList& keyWarnings);

// Writing keeps every field read from the original (unknown ones included) and strings
// byte-for-byte. Output is indented, stable JSON. Known fields are always written.
QJsonObject toJsonObject(const Workspace& workspace);
QByteArray serialize(const Workspace& workspace);
// Atomic: the file is either the old one or the complete new one. Does not call validate().
Status writeFile(const Workspace& workspace, const QString& path);

} // namespace litescope::workspace
