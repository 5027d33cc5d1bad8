#include "store/api/ApiRedaction.h"

namespace litescope::api {

void redactMessages(const ApiClient& client, Error& error) {
    error.message = client.redacted(std::move(error.message));
}

void redactMessages(const ApiClient& client, StoreInfo& info) {
    info.displayName = client.redacted(std::move(info.displayName));
    info.schemaLevel = client.redacted(std::move(info.schemaLevel));
}

void redactMessages(const ApiClient& client, Workspace& workspace) {
    SourceInfo& source = workspace.source;
    source.label = client.redacted(std::move(source.label));
    for (QString& warning : source.warnings)
        warning = client.redacted(std::move(warning));
}

void redactMessages(const ApiClient& client, BatchResult& batch) {
    if (batch.error)
        redactMessages(client, *batch.error);
    for (EditOutcome& outcome : batch.applied)
        outcome.summary = client.redacted(std::move(outcome.summary));
}

QCoro::Task<BatchResult> redacted(std::shared_ptr<const ApiClient> client,
                                  QCoro::Task<BatchResult> task) {
    BatchResult batch = co_await std::move(task);
    redactMessages(*client, batch);
    co_return batch;
}

} // namespace litescope::api
