#pragma once

#include "workspace/JsonTree.h"

#include <QByteArrayView>
#include <QtGlobal>

// Internal to models/workspace: the reader's two halves on two threads, for big texts (issue 12,
// big proxies). A second thread tokenizes the text and builds the trees; the calling thread
// hands them to the sink in the order they were read, as readJsonObject would have. The sink
// sees the same calls in the same order, on the caller's thread, so what it decides (values, the
// first error) is the same, and what it allocates is the caller's as before.
namespace litescope::workspace::detail {

// readJsonObject with the reading on a second thread. The sink's `streamed` is called there;
// it must depend on the key alone.
bool readJsonObjectPipelined(QByteArrayView text, JsonTextKind kind, const JsonSink& sink);

// Texts of at least this many bytes are read through a pipeline; smaller ones on one thread,
// where a second would cost more than it saves.
qsizetype pipelineThreshold();
// For tests: the pipelined and the single-threaded path on the same text.
void setPipelineThreshold(qsizetype bytes);

} // namespace litescope::workspace::detail
