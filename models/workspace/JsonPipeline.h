#pragma once

#include "workspace/JsonTree.h"

#include <QtGlobal>

#include <memory>

// Internal to models/workspace: the reader's two halves on two threads, for big texts (issue 12,
// big proxies). The reading thread tokenizes the text and builds the trees; a second thread hands
// them to the sink, in the order they were read, as readJsonObject would have. The sink sees
// the same calls in the same order as without the pipeline, only on another thread: what it
// decides (values, the first error) is the same.
namespace litescope::workspace::detail {

class JsonPipeline {
public:
    // Starts the second thread, which calls `target` (which must outlive the pipeline).
    explicit JsonPipeline(const JsonSink& target);
    // Drops what was not handed over yet and waits for the second thread.
    ~JsonPipeline();
    JsonPipeline(const JsonPipeline&) = delete;
    JsonPipeline& operator=(const JsonPipeline&) = delete;

    // The sink to read into: it queues the trees (taken, not copied) in batches.
    const JsonSink& sink() const;
    // After the text was read: waits until the target has had every call. Without it (the text
    // was refused, the target's work is thrown away) the destructor drops the rest.
    void finish();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Texts of at least this many bytes are read through a pipeline; smaller ones on one thread,
// where a second would cost more than it saves.
qsizetype pipelineThreshold();
// For tests: the pipelined and the single-threaded path on the same text.
void setPipelineThreshold(qsizetype bytes);

} // namespace litescope::workspace::detail
