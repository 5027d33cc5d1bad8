#pragma once

#include "domain/Result.h"
#include "store/api/ApiClient.h"
#include "store/api/ApiEntityTexts.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <qcoro/qcorotask.h>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

// Reading LiteLLM's lists: the paged endpoints (each with its own page-size parameter and
// envelope) and the unpaged ones. Shared by the snapshot, the team pages and the lookups.
namespace litescope::api {

// How many requests of one listing run at once (QNetworkAccessManager opens up to six
// connections per host).
constexpr int RequestWindow = 6;

// A 2xx answer without the list it should hold.
Error unexpectedShape(const QString& path, const QString& what);

// Runs the jobs a few at a time and returns their results in order. Every started job is awaited
// (none is abandoned while its request is in flight); after a failure (a cancelled call's
// requests fail too) no new job starts.
template <typename T>
QCoro::Task<QList<Result<T>>> inWindow(std::vector<std::function<QCoro::Task<Result<T>>()>> jobs,
                                       int width) {
    QList<Result<T>> results;
    std::deque<QCoro::Task<Result<T>>> running;
    bool failed = false;
    for (auto& job : jobs) {
        if (failed)
            break;
        running.push_back(job());
        if (static_cast<int>(running.size()) >= width) {
            results.append(co_await std::move(running.front()));
            running.pop_front();
            failed = !results.back().ok();
        }
    }
    while (!running.empty()) {
        results.append(co_await std::move(running.front()));
        running.pop_front();
    }
    co_return results;
}

// A paged listing: where, the field holding the items, the name of the page-size parameter
// (LiteLLM's endpoints differ: page_size, size), and the progress phase it reports (none when
// empty).
struct Listing {
    QString path;
    QString itemsField;
    QString sizeParameter;
    Query extra;
    QString phase;
};

// One page (1-based) of `pageSize` items: the whole answer, checked to hold the items field.
QCoro::Task<Result<QJsonObject>> fetchPage(std::shared_ptr<ApiClient> client, Listing listing,
                                           int page, int pageSize);

// Every item of a listing in the client's page size: the first page, then the rest a few at a
// time. Reports the listing's phase as pages read of total_pages.
QCoro::Task<Result<QJsonArray>> readPages(std::shared_ptr<ApiClient> client, Listing listing);

// The items of a big listing converted page by page on the thread pool as the pages arrive
// (`convert` must be thread-safe): the answers are never held as JSON objects all at once.
using EntityConverter = std::function<Result<EntityTexts>(const QJsonArray& items)>;
QCoro::Task<Result<EntityTexts>> readEntityPages(std::shared_ptr<ApiClient> client, Listing listing,
                                                 EntityConverter convert);

// An unpaged list: the answer itself, or its `field` when the answer is an object.
QCoro::Task<Result<QJsonArray>> readArray(std::shared_ptr<ApiClient> client, QString path,
                                          Query query, QString field);

// An endpoint newer proxies have: nullopt when this one does not.
QCoro::Task<Result<std::optional<QJsonArray>>> readOptionalArray(std::shared_ptr<ApiClient> client,
                                                                 QString path);

// Every team in team_id order (/v2/team/list), or the unpaged /team/list of older proxies, which
// ignores `filter` (the caller filters).
QCoro::Task<Result<QJsonArray>> readTeamList(std::shared_ptr<ApiClient> client, Query filter,
                                             QString phase = {});

} // namespace litescope::api
