#include "store/api/ApiListing.h"

#include "domain/TranslationContexts.h"

#include <QCoreApplication>
#include <QtConcurrent/QtConcurrentRun>
#include <qcoro/qcorofuture.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace litescope::api {

Error unexpectedShape(const QString& path, const QString& what) {
    return {ErrorKind::ServerError,
            ApiText::tr("The proxy's answer to GET %1 has no %2; is this a LiteLLM proxy?")
                .arg(path, what)};
}

QCoro::Task<Result<QJsonObject>> fetchPage(std::shared_ptr<ApiClient> client, Listing listing,
                                           int page, int pageSize) {
    Query query = listing.extra;
    query.append({u"page"_s, QString::number(page)});
    query.append({listing.sizeParameter, QString::number(pageSize)});
    QCoro::Task<Result<QJsonValue>> request = ApiClient::get(client, listing.path, query);
    Result<QJsonValue> answer = co_await std::move(request);
    if (!answer)
        co_return answer.error();
    if (!answer->toObject().value(listing.itemsField).isArray())
        co_return unexpectedShape(listing.path, u'"' + listing.itemsField + u"\" list"_s);
    co_return answer->toObject();
}

namespace {

// One page's items as the listing's result type, with how many items the page held.
template <typename T>
struct TakenPage {
    T items;
    qsizetype count = 0;
    std::optional<int> totalPages; // the answer's total_pages, when it has one
};

template <typename T>
using PageTake = std::function<Result<T>(const QJsonArray&)>;

void appendItems(QJsonArray& into, QJsonArray&& more) {
    for (const QJsonValue& item : more)
        into.append(item);
}

void appendItems(EntityTexts& into, EntityTexts&& more) {
    into.append(std::move(more));
}

// `offThread`: the conversion is CPU work worth a hop to the thread pool.
template <typename T>
QCoro::Task<Result<TakenPage<T>>> fetchTaken(std::shared_ptr<ApiClient> client, Listing listing,
                                             int page, int pageSize, PageTake<T> take,
                                             bool offThread) {
    QCoro::Task<Result<QJsonObject>> request = fetchPage(client, listing, page, pageSize);
    const Result<QJsonObject> answer = co_await std::move(request);
    if (!answer)
        co_return answer.error();
    const QJsonArray items = answer->value(listing.itemsField).toArray();
    std::optional<Result<T>> taken;
    if (offThread) {
        QFuture<Result<T>> converting = QtConcurrent::run(take, items);
        taken.emplace(co_await converting);
    } else {
        taken.emplace(take(items));
    }
    if (!*taken)
        co_return taken->error();
    const QJsonValue totalPages = answer->value(u"total_pages"_s);
    co_return TakenPage<T>{std::move(**taken), items.size(),
                           totalPages.isDouble() ? std::optional<int>(totalPages.toInt())
                                                 : std::nullopt};
}

template <typename T>
QCoro::Task<Result<T>> readPagesAs(std::shared_ptr<ApiClient> client, Listing listing,
                                   PageTake<T> take, bool offThread) {
    const int pageSize = client->options().pageSize;
    QCoro::Task<Result<TakenPage<T>>> firstRequest =
        fetchTaken(client, listing, 1, pageSize, take, offThread);
    Result<TakenPage<T>> first = co_await std::move(firstRequest);
    if (!first)
        co_return first.error();
    T items = std::move(first->items);
    const CallOptions& call = client->call();
    const QString& phase = listing.phase;
    const auto report = [&](int pages, int total) {
        if (!phase.isEmpty())
            call.report(phase, pages, total);
    };
    if (!first->totalPages) {
        // No page count: read on until a short page.
        report(1, -1);
        qsizetype last = first->count;
        for (int page = 2; last >= pageSize && page < 1'000'000; ++page) {
            QCoro::Task<Result<TakenPage<T>>> request =
                fetchTaken(client, listing, page, pageSize, take, offThread);
            Result<TakenPage<T>> next = co_await std::move(request);
            if (!next)
                co_return next.error();
            last = next->count;
            appendItems(items, std::move(next->items));
            report(page, -1);
        }
        co_return items;
    }
    // An empty listing has no pages but was read once.
    const int total = std::max(1, *first->totalPages);
    report(1, total);
    std::vector<std::function<QCoro::Task<Result<TakenPage<T>>>()>> jobs;
    for (int page = 2; page <= total; ++page)
        jobs.push_back([client, listing, page, pageSize, take, offThread] {
            return fetchTaken(client, listing, page, pageSize, take, offThread);
        });
    // The pages are awaited in order; each is reported as it is taken.
    QCoro::Task<QList<Result<TakenPage<T>>>> rest = inWindow(std::move(jobs), RequestWindow);
    QList<Result<TakenPage<T>>> pages = co_await std::move(rest);
    int read = 1;
    for (Result<TakenPage<T>>& page : pages) {
        if (!page)
            co_return page.error();
        appendItems(items, std::move(page->items));
        report(++read, total);
    }
    co_return items;
}

} // namespace

QCoro::Task<Result<QJsonArray>> readPages(std::shared_ptr<ApiClient> client, Listing listing) {
    PageTake<QJsonArray> asIs = [](const QJsonArray& items) { return Result<QJsonArray>(items); };
    QCoro::Task<Result<QJsonArray>> reading =
        readPagesAs<QJsonArray>(std::move(client), std::move(listing), asIs, false);
    co_return co_await std::move(reading);
}

QCoro::Task<Result<EntityTexts>> readEntityPages(std::shared_ptr<ApiClient> client, Listing listing,
                                                 EntityConverter convert) {
    QCoro::Task<Result<EntityTexts>> reading =
        readPagesAs<EntityTexts>(std::move(client), std::move(listing), convert, true);
    co_return co_await std::move(reading);
}

QCoro::Task<Result<QJsonArray>> readArray(std::shared_ptr<ApiClient> client, QString path,
                                          Query query, QString field) {
    QCoro::Task<Result<QJsonValue>> request = ApiClient::get(client, path, query);
    Result<QJsonValue> answer = co_await std::move(request);
    if (!answer)
        co_return answer.error();
    if (answer->isArray())
        co_return answer->toArray();
    if (!field.isEmpty() && answer->toObject().value(field).isArray())
        co_return answer->toObject().value(field).toArray();
    co_return unexpectedShape(path, ApiText::tr("list"));
}

QCoro::Task<Result<std::optional<QJsonArray>>> readOptionalArray(std::shared_ptr<ApiClient> client,
                                                                 QString path) {
    QCoro::Task<Result<QJsonArray>> request = readArray(client, path, {}, {});
    Result<QJsonArray> answer = co_await std::move(request);
    if (answer)
        co_return std::optional<QJsonArray>(*answer);
    if (answer.error().kind == ErrorKind::Unsupported)
        co_return std::optional<QJsonArray>();
    co_return answer.error();
}

QCoro::Task<Result<QJsonArray>> readTeamList(std::shared_ptr<ApiClient> client, Query filter,
                                             QString phase) {
    Query query = filter;
    query.append({u"sort_by"_s, u"team_id"_s});
    query.append({u"sort_order"_s, u"asc"_s});
    QCoro::Task<Result<QJsonArray>> paged =
        readPages(client, {u"/v2/team/list"_s, u"teams"_s, u"page_size"_s, query, phase});
    Result<QJsonArray> teams = co_await std::move(paged);
    if (teams || teams.error().kind != ErrorKind::Unsupported)
        co_return teams;
    // Proxies before /v2/team/list: one unpaged list (filtered here).
    QCoro::Task<Result<QJsonArray>> all = readArray(client, u"/team/list"_s, {}, {});
    co_return co_await std::move(all);
}

} // namespace litescope::api
