#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"

#include <QByteArray>
#include <QFileDevice>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace litescope::workspace {

// Strict reading of the litescope workspace format (docs/workspace-format.md). Errors name the
// JSON path ("teams[3].models[1]: expected a string"); nothing is guessed.
Result<Workspace> parse(const QByteArray& json);
// The same checks for a document that is already parsed (e.g. a conformance case's "workspace").
Result<Workspace> parseObject(const QJsonObject& object);
// Errors start with the path of the file; a missing file is NotFound, other failures are Io.
Result<Workspace> readFile(const QString& path);
// readFile in parts, for a reader that reads the bytes itself (in chunks, cancellably) and must
// fail in the same words: why `file` (opened from `path`) could not be read, and `json` parsed
// with errors that start with the path.
Error readError(const QString& path, const QFileDevice& file);
Result<Workspace> parseFileContents(const QString& path, const QByteArray& json);

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
// One line for a snapshot's source.warnings: how many such references there are, and the first;
// empty when there are none.
QString referenceSummary(const Workspace& workspace);

// Writing keeps every field read from the original (unknown ones included) and strings
// byte-for-byte. Output is indented, stable JSON. Known fields are always written.
QJsonObject toJsonObject(const Workspace& workspace);
QByteArray serialize(const Workspace& workspace);
// Atomic: the file is either the old one or the complete new one. Does not call validate().
Status writeFile(const Workspace& workspace, const QString& path);

} // namespace litescope::workspace
