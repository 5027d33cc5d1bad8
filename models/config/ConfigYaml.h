#pragma once

#include "domain/Result.h"

#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace litescope::config {

// A value of config.yaml with the file it came from, so a problem can name that file and the
// path inside it ("models.yaml: model_list[2].litellm_params.model").
struct Located {
    QJsonValue value;
    QString file;
    QString path;
};

// One top-level key after LiteLLM's include rule: a list gathers the entries of every file that
// gives the key a list; anything else is the value of the last file that set the key.
struct TopLevel {
    bool isList = false;
    QList<Located> entries; // isList
    Located value;          // !isList
};

// config.yaml with its includes applied, as LiteLLM's proxy reads it. Scalars are strings except
// plain true/false/yes/no/on/off (booleans) and plain null/~/empty (null), as PyYAML reads them.
struct ConfigDocument {
    QMap<QString, TopLevel> keys;
    QStringList files;    // the config and every include, in the order read
    QStringList warnings; // keys given twice in one mapping (the last value counts)
};

// Reads `path` and follows `include:` as LiteLLM's ProxyConfig._process_includes does (see the
// .cpp). YAML errors carry the file, line and column; a missing include file is NotFound. Each
// file is read only when it is a regular file of at most `limit` bytes (readBoundedRegularFile).
Result<ConfigDocument> loadConfigDocument(const QString& path, qint64 limit);

} // namespace litescope::config
