#include "store/api/ApiTeamPages.h"

#include "store/api/ApiConversion.h"
#include "store/api/ApiListing.h"
#include "workspace/WorkspaceJson.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace litescope::api {

namespace {

// /v2/team/list refuses a larger page_size.
constexpr int MaxPageSize = 100;
// Windows read before giving up on hints and reading the whole list: enough for the few teams
// another admin adds or deletes between two pages.
constexpr int Attempts = 4;
constexpr qsizetype HintsKept = 256;

const Listing TeamList{u"/v2/team/list"_s,
                       u"teams"_s,
                       u"page_size"_s,
                       {{u"sort_by"_s, u"team_id"_s}, {u"sort_order"_s, u"asc"_s}},
                       u"teams"_s};

Result<QList<Team>> toTeams(const QJsonArray& listed) {
    QJsonArray entities;
    for (const QJsonValue& team : listed) {
        QJsonObject entity = teamEntity(team.toObject(), {});
        entity.remove(u"organization_id"_s); // organizations are not read for a team page
        entities.append(entity);
    }
    const QJsonObject document{
        {u"format"_s, u"litescope-workspace"_s}, {u"version"_s, 1}, {u"teams"_s, entities}};
    Result<Workspace> parsed = workspace::parseObject(document);
    if (!parsed)
        return Error{ErrorKind::ServerError, parsed.error().message};
    return parsed->teams;
}

// Teams [first, first + count) of the proxy's team_id-ordered list, and the list's length.
struct Window {
    qint64 first = 0;
    QList<Team> teams;
    qint64 total = 0;
    bool consistent = true; // false: the list changed between the window's requests
};

// The page size and page number whose one answer holds [first, first + count), so that the team
// before a page and the page itself come from the same moment; none when no page up to the limit
// does.
std::optional<std::pair<int, int>> onePage(qint64 first, qint64 count) {
    for (qint64 size = count; size <= MaxPageSize; ++size) {
        if (first / size == (first + count - 1) / size)
            return std::make_pair(int(size), int(first / size) + 1);
    }
    return std::nullopt;
}

QCoro::Task<Result<Window>> readWindow(std::shared_ptr<ApiClient> client, qint64 first,
                                       qint64 count, std::shared_ptr<int> pagesRead) {
    QList<std::pair<int, int>> requests; // page size, page
    if (const auto single = onePage(first, count)) {
        requests.append(*single);
    } else {
        for (qint64 page = first / MaxPageSize; page <= (first + count - 1) / MaxPageSize; ++page)
            requests.append({MaxPageSize, int(page) + 1});
    }
    Window window;
    window.first = first;
    QJsonArray listed;
    std::optional<qint64> total;
    for (const auto& [size, page] : requests) {
        QCoro::Task<Result<QJsonObject>> request = fetchPage(client, TeamList, page, size);
        const Result<QJsonObject> answer = co_await std::move(request);
        if (!answer)
            co_return answer.error();
        client->call().report(TeamList.phase, ++*pagesRead);
        const qint64 answered = answer->value(u"total"_s).toInteger(-1);
        if (total && *total != answered)
            window.consistent = false;
        total = answered;
        const QJsonArray teams = answer->value(u"teams"_s).toArray();
        const qint64 pageStart = qint64(page - 1) * size;
        for (qsizetype i = 0; i < teams.size(); ++i) {
            const qint64 position = pageStart + i;
            if (position >= first && position < first + count)
                listed.append(teams.at(i));
        }
    }
    window.total = total.value_or(-1);
    Result<QList<Team>> teams = toTeams(listed);
    if (!teams)
        co_return teams.error();
    window.teams = std::move(teams).value();
    co_return window;
}

bool ascending(const QList<Team>& teams) {
    return std::adjacent_find(teams.cbegin(), teams.cend(), [](const Team& a, const Team& b) {
               return !(a.id < b.id);
           }) == teams.cend();
}

Page<Team> pageFrom(const QList<Team>& teams, qsizetype from, int limit, qint64 position,
                    qint64 total, TeamPageHints& hints) {
    Page<Team> page;
    page.items = teams.mid(from, limit);
    const qint64 next = position + page.items.size();
    if (!page.items.isEmpty() && next < total) {
        page.next = page.items.back().id;
        hints.remember(page.next, next);
    }
    return page;
}

// The whole list, sorted here: when the proxy has no /v2/team/list or orders ids differently.
QCoro::Task<Result<Page<Team>>> readWholeList(std::shared_ptr<ApiClient> client,
                                              std::shared_ptr<TeamPageHints> hints,
                                              PageRequest page, std::shared_ptr<int> pagesRead) {
    QCoro::Task<Result<QJsonArray>> request = readTeamList(client, {});
    const Result<QJsonArray> listed = co_await std::move(request);
    if (!listed)
        co_return listed.error();
    client->call().report(TeamList.phase, ++*pagesRead);
    Result<QList<Team>> teams = toTeams(*listed);
    if (!teams)
        co_return teams.error();
    QList<Team> sorted = std::move(teams).value();
    std::sort(sorted.begin(), sorted.end(),
              [](const Team& a, const Team& b) { return a.id < b.id; });
    const auto first =
        page.after.isEmpty()
            ? sorted.cbegin()
            : std::upper_bound(sorted.cbegin(), sorted.cend(), page.after,
                               [](const QString& after, const Team& t) { return after < t.id; });
    const qsizetype from = first - sorted.cbegin();
    co_return pageFrom(sorted, from, page.limit, from, sorted.size(), *hints);
}

} // namespace

std::optional<qint64> TeamPageHints::positionAfter(const QString& teamId) const {
    std::lock_guard lock(m_mutex);
    const auto found = m_positions.constFind(teamId);
    return found == m_positions.constEnd() ? std::nullopt : std::optional<qint64>(*found);
}

void TeamPageHints::remember(const QString& teamId, qint64 position) {
    std::lock_guard lock(m_mutex);
    if (!m_positions.contains(teamId))
        m_order.push_back(teamId);
    m_positions.insert(teamId, position);
    while (qsizetype(m_order.size()) > HintsKept) {
        m_positions.remove(m_order.front());
        m_order.pop_front();
    }
}

QCoro::Task<Result<Page<Team>>> readTeamPage(std::shared_ptr<ApiClient> client,
                                             std::shared_ptr<TeamPageHints> hints,
                                             PageRequest page) {
    const bool anchored = !page.after.isEmpty();
    std::optional<qint64> position = anchored ? hints->positionAfter(page.after) : qint64(0);
    auto pagesRead = std::make_shared<int>(0);
    for (int attempt = 0; position && attempt < Attempts; ++attempt) {
        // The team before the page comes along: it shows whether the list moved.
        const qint64 first = anchored ? std::max<qint64>(0, *position - 1) : 0;
        const qint64 count = page.limit + (anchored ? 1 : 0);
        QCoro::Task<Result<Window>> request = readWindow(client, first, count, pagesRead);
        const Result<Window> window = co_await std::move(request);
        if (!window) {
            if (window.error().kind == ErrorKind::Unsupported)
                break; // a proxy without /v2/team/list
            co_return window.error();
        }
        if (!ascending(window->teams) || window->total < 0)
            break; // the proxy orders team ids otherwise than litescope does
        if (!window->consistent)
            continue;
        const QList<Team>& teams = window->teams;
        if (!anchored)
            co_return pageFrom(teams, 0, page.limit, 0, window->total, *hints);
        if (teams.isEmpty() && first > 0) {
            // Teams were deleted: the list ends before the window.
            position = std::max<qint64>(1, window->total);
            continue;
        }
        if (first > 0 && page.after < teams.front().id) {
            // Teams before the window were deleted: the ones after page.after moved in front.
            position = std::max<qint64>(1, *position - count);
            continue;
        }
        const qsizetype atOrBefore =
            std::upper_bound(teams.cbegin(), teams.cend(), page.after,
                             [](const QString& after, const Team& t) { return after < t.id; }) -
            teams.cbegin();
        if (atOrBefore == teams.size() && first + atOrBefore < window->total) {
            // Teams were added before page.after: it moved behind the window.
            position = first + atOrBefore;
            continue;
        }
        const qint64 start = first + atOrBefore; // where the page starts now
        if (teams.size() - atOrBefore < std::min<qint64>(page.limit, window->total - start)) {
            // page.after moved forward in the window (teams before it were deleted): the window
            // holds only part of the page. Read again from just before the page.
            position = start;
            continue;
        }
        co_return pageFrom(teams, atOrBefore, page.limit, start, window->total, *hints);
    }
    QCoro::Task<Result<Page<Team>>> whole = readWholeList(client, hints, page, pagesRead);
    co_return co_await std::move(whole);
}

} // namespace litescope::api
