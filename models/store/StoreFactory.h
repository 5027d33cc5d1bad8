#pragma once

#include "domain/Result.h"
#include "store/ConnectionSpec.h"
#include "store/Store.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace litescope {

// The store a spec describes: a FileStore, a PgStore or an ApiStore, not yet opened (open() is
// the caller's, on its own event loop). Refuses with findProblem()'s error, or when an API spec
// has no key. The only place that decides which store a connection gets.
Result<std::unique_ptr<Store>> makeStore(const ConnectionSpec& spec);

// A litellm_settings JSON file (ConnectionSpec::litellmSettingsFile): a regular file of at most
// `limit` bytes holding an object, each key once, whose model_alias_map, when present, is an
// object.
Result<QJsonObject> readLitellmSettingsFile(const QString& path,
                                            qint64 limit = DefaultConfigFileLimit);

} // namespace litescope
