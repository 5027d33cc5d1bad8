#pragma once

#include "domain/Result.h"

#include <QString>

namespace litescope::cli {

// The admin API key comes from an environment variable or from the terminal, never from the
// command line (where the process list shows it).
Result<QString> apiKeyFromEnvironment(const QString& variable);
// Asks on the controlling terminal with echo off. Fails when there is no terminal (scripts must
// use --api-key-env).
Result<QString> promptForApiKey(const QString& proxy);

} // namespace litescope::cli
