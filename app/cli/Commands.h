#pragma once

#include <QStringList>

namespace litescope::cli {

// Each command parses its own options from the full argument list (program name first, then the
// command word) and returns the process exit code.
int runCheck(const QStringList& arguments);
int runPreview(const QStringList& arguments);
int runValidate(const QStringList& arguments);
int runSnapshot(const QStringList& arguments);
int runMember(const QStringList& arguments);
int runTeam(const QStringList& arguments);
int runKey(const QStringList& arguments);

} // namespace litescope::cli
