#pragma once

#include "store/Store.h"
#include "store/api/ApiClient.h"

#include <qcoro/qcorotask.h>

#include <memory>

namespace litescope::api {

// Every message that leaves the API store passes the key's redaction once more on the way out.
// Many quote the proxy (an error body, a redirect target, the release /health/readiness names, a
// bulk_update row's answer, a JSON value it stored) and any of them may echo the key: catching
// them here keeps a new message from forgetting it. Data (team ids, aliases) is left as it is.
void redactMessages(const ApiClient& client, Error& error);
void redactMessages(const ApiClient& client, StoreInfo& info);
void redactMessages(const ApiClient& client, Workspace& workspace);
void redactMessages(const ApiClient& client, BatchResult& batch);
template <typename T>
void redactMessages(const ApiClient&, T&) {} // pages and rosters are data

template <typename T>
QCoro::Task<Result<T>> redacted(std::shared_ptr<const ApiClient> client,
                                QCoro::Task<Result<T>> task) {
    Result<T> result = co_await std::move(task);
    if (!result) {
        Error error = result.error();
        redactMessages(*client, error);
        co_return error;
    }
    redactMessages(*client, *result);
    co_return result;
}

QCoro::Task<BatchResult> redacted(std::shared_ptr<const ApiClient> client,
                                  QCoro::Task<BatchResult> task);

} // namespace litescope::api
