#include "store/api/ApiListing.h"

#include "domain/TranslationContexts.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace litescope::api {

namespace {} // namespace

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

QCoro::Task<Result<QJsonArray>> readPages(std::shared_ptr<ApiClient> client, Listing listing) {
    const int pageSize = client->options().pageSize;
    QCoro::Task<Result<QJsonObject>> firstRequest = fetchPage(client, listing, 1, pageSize);
    Result<QJsonObject> first = co_await std::move(firstRequest);
    if (!first)
        co_return first.error();
    QJsonArray items = first->value(listing.itemsField).toArray();
    const QJsonValue totalPages = first->value(u"total_pages"_s);
    const CallOptions& call = client->call();
    const QString& phase = listing.phase;
    const auto report = [&](int pages, int total) {
        if (!phase.isEmpty())
            call.report(phase, pages, total);
    };
    if (!totalPages.isDouble()) {
        // No page count: read on until a short page.
        report(1, -1);
        qsizetype last = items.size();
        for (int page = 2; last >= pageSize && page < 1'000'000; ++page) {
            QCoro::Task<Result<QJsonObject>> request = fetchPage(client, listing, page, pageSize);
            Result<QJsonObject> next = co_await std::move(request);
            if (!next)
                co_return next.error();
            const QJsonArray more = next->value(listing.itemsField).toArray();
            for (const QJsonValue& item : more)
                items.append(item);
            last = more.size();
            report(page, -1);
        }
        co_return items;
    }
    // An empty listing has no pages but was read once.
    const int total = std::max(1, totalPages.toInt());
    report(1, total);
    std::vector<std::function<QCoro::Task<Result<QJsonObject>>()>> jobs;
    for (int page = 2; page <= total; ++page)
        jobs.push_back([client, listing, page, pageSize] {
            return fetchPage(client, listing, page, pageSize);
        });
    // The pages are awaited in order; each is reported as it is taken.
    QCoro::Task<QList<Result<QJsonObject>>> rest = inWindow(std::move(jobs), RequestWindow);
    const QList<Result<QJsonObject>> pages = co_await std::move(rest);
    int read = 1;
    for (const Result<QJsonObject>& page : pages) {
        if (!page)
            co_return page.error();
        for (const QJsonValue& item : page->value(listing.itemsField).toArray())
            items.append(item);
        report(++read, total);
    }
    co_return items;
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
