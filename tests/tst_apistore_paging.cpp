// ApiStore::teams() pages (a fake LiteLLM on 127.0.0.1): reading every page costs a number of
// /v2/team/list requests and teams proportional to the pages, not to pages x teams; the pages
// hold every team once in team_id order, each full but the last; teams added and deleted between
// pages (before and after the page boundary) neither repeat nor hide a team that existed
// throughout; pages larger than the API's 100; an `after` the store did not hand out; a proxy
// without /v2/team/list.
#include "support/ApiTestSupport.h"
#include "support/FakeLiteLLMJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

// The demo data with `extra` more teams: gen-0001, gen-0002, ...
Workspace withTeams(int extra) {
    Workspace data = demoDataset();
    for (int i = 1; i <= extra; ++i) {
        Team team;
        team.id = u"gen-%1"_s.arg(i, 4, 10, QChar(u'0'));
        team.alias = u"Generated %1"_s.arg(i);
        data.teams.append(team);
    }
    return data;
}

QStringList sortedIds(const Workspace& data) {
    QStringList ids;
    for (const Team& team : data.teams)
        ids.append(team.id);
    ids.sort();
    return ids;
}

Team newTeam(const QString& id) {
    Team team;
    team.id = id;
    team.alias = id;
    return team;
}

} // namespace

class TstApiStorePaging : public QObject {
    Q_OBJECT

private:
    ApiFixture m_api;

    bool start(const Workspace& data) {
        QString error;
        if (!m_api.start(data, &error)) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        return true;
    }

    // Every page of `limit` teams, calling `between(pageNumber)` after each page. Empty on an
    // error (logged).
    QStringList readAll(Store& store, int limit, int* pages,
                        const std::function<void(int)>& between = {}) {
        QStringList seen;
        PageRequest request{QString(), limit};
        for (*pages = 1; *pages < 1000; ++*pages) {
            const Result<Page<Team>> page = awaitTask(store.teams(request));
            if (!page) {
                qWarning("%s", failureText(page).constData());
                return {};
            }
            if (int(page->items.size()) > limit)
                return {u"page larger than the limit"_s};
            // Keyset paging: only the last page may be short, whatever changed in between.
            if (!page->next.isEmpty() && int(page->items.size()) < limit)
                return {u"page %1 short: %2 teams"_s.arg(*pages).arg(page->items.size())};
            for (const Team& team : page->items)
                seen.append(team.id);
            if (page->next.isEmpty())
                break;
            if (page->next != seen.back())
                return {u"next is not the last team"_s};
            if (between)
                between(*pages);
            request.after = page->next;
        }
        return seen;
    }

    // Teams the listing requests asked for (their page_size summed).
    qint64 teamsAskedFor() {
        qint64 asked = 0;
        for (const FakeLiteLLM::RecordedRequest& request : m_api.proxy().requests()) {
            if (request.path == u"/v2/team/list"_s)
                asked += request.query.queryItemValue(u"page_size"_s).toLongLong();
        }
        return asked;
    }

private Q_SLOTS:
    void cleanup() { m_api.proxy().verifyFaultsFired(); }

    void readingEveryPageIsLinear() {
        const Workspace data = withTeams(137); // 150 teams
        QVERIFY(start(data));
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().clearRequests();
        int pages = 0;
        const QStringList seen = readAll(*store, 7, &pages);
        QCOMPARE(seen, sortedIds(data));
        QCOMPARE(pages, 22);
        const int requests = m_api.proxy().requestCount(u"/v2/team/list"_s);
        const qint64 asked = teamsAskedFor();
        qInfo("150 teams in pages of 7: %d pages, %d requests, %lld teams asked for", pages,
              requests, asked);
        // One request per page, two where no page size up to 100 holds the team before the page
        // and the page together; re-reading the list for every page would take 22 x 22 = 484.
        QVERIFY2(requests <= 2 * pages, qPrintable(QString::number(requests)));
        QVERIFY2(asked <= 4 * 150, qPrintable(QString::number(asked)));
        QCOMPARE(m_api.proxy().requestCount(u"/team/list"_s), 0);
        for (const FakeLiteLLM::RecordedRequest& request : m_api.proxy().requests()) {
            QCOMPARE(request.query.queryItemValue(u"sort_by"_s), u"team_id"_s);
            QVERIFY(request.query.queryItemValue(u"page_size"_s).toInt() <= 100);
        }
    }

    void pagesLargerThanTheApiLimit() {
        const Workspace data = withTeams(217); // 230 teams
        QVERIFY(start(data));
        auto store = m_api.store();
        QVERIFY(store);
        m_api.proxy().clearRequests();
        int pages = 0;
        QCOMPARE(readAll(*store, 150, &pages), sortedIds(data));
        QCOMPARE(pages, 2);
        // Page 1: two requests of 100; page 2 (the team before it and 80 more): two.
        QVERIFY2(m_api.proxy().requestCount(u"/v2/team/list"_s) <= 5,
                 qPrintable(QString::number(m_api.proxy().requestCount(u"/v2/team/list"_s))));
    }

    void teamsChangedBetweenPages() {
        const Workspace data = withTeams(40);
        QVERIFY(start(data));
        auto store = m_api.store();
        QVERIFY(store);
        const QStringList before = sortedIds(data);
        QStringList deleted;
        int pages = 0;
        const QStringList seen = readAll(*store, 5, &pages, [&](int page) {
            // Another admin deletes and adds teams on both sides of the page boundary.
            QList<Team>& teams = m_api.proxy().editData().teams;
            const auto remove = [&](const QString& id) {
                teams.removeIf([&](const Team& t) { return t.id == id; });
                deleted.append(id);
            };
            if (page == 3) {
                // Three teams before the boundary go (the rest moves forward), one comes.
                for (int i = 0; i < 3; ++i)
                    remove(before.at(i));
                teams.append(newTeam(u"gen-0001a"_s)); // before the boundary: not shown
                teams.append(newTeam(u"gen-0030a"_s)); // after it: shown
            } else if (page == 5) {
                // Twelve come before the boundary: more than a page moves back.
                for (int i = 0; i < 12; ++i)
                    teams.append(newTeam(u"gen-0000-%1"_s.arg(i, 2, 10, QChar(u'0'))));
                remove(u"gen-0035"_s);
            } else if (page == 7) {
                // The team the next page starts after goes.
                remove(u"gen-0024"_s);
            }
        });
        QVERIFY(!seen.isEmpty());
        QStringList unique = seen;
        unique.removeDuplicates();
        QCOMPARE(unique, seen); // no team twice
        QStringList ordered = seen;
        ordered.sort();
        QCOMPARE(ordered, seen); // in team_id order
        for (const QString& id : before) {
            if (!deleted.contains(id))
                QVERIFY2(seen.contains(id), qPrintable(id)); // every team that stayed
        }
        QVERIFY(seen.contains(u"gen-0030a"_s));
        QVERIFY(!seen.contains(u"gen-0001a"_s));
        QVERIFY(!seen.contains(u"gen-0035"_s));
        QCOMPARE(seen.at(34), u"gen-0024"_s); // the boundary of page 7, shown before it went
    }

    void anAfterTheStoreDidNotHandOut() {
        const Workspace data = withTeams(30);
        QVERIFY(start(data));
        auto store = m_api.store();
        QVERIFY(store);
        const Result<Page<Team>> page = awaitTask(store->teams({u"gen-0010"_s, 3}));
        VERIFY_SUCCEEDS(page);
        QCOMPARE(page->items.size(), 3);
        QCOMPARE(page->items.at(0).id, u"gen-0011"_s);
        QCOMPARE(page->next, u"gen-0013"_s);
        // The page it handed out continues without reading the whole list again.
        m_api.proxy().clearRequests();
        const Result<Page<Team>> next = awaitTask(store->teams({page->next, 3}));
        VERIFY_SUCCEEDS(next);
        QCOMPARE(next->items.at(0).id, u"gen-0014"_s);
        QCOMPARE(m_api.proxy().requestCount(u"/v2/team/list"_s), 1);
    }

    // Keys and users are kept as text page by page (issue 12): a key an answer repeats (pages
    // read while keys are added) is kept once, in first-seen order.
    void aRepeatedKeyIsKeptOnce() {
        const Workspace data = demoDataset();
        QVERIFY(start(data));
        const QJsonObject first = fakejson::keyObject(data.keys.at(0));
        const QJsonObject second = fakejson::keyObject(data.keys.at(1));
        const QJsonObject page{{u"keys"_s, QJsonArray{first, second, first}},
                               {u"total_count"_s, 3},
                               {u"current_page"_s, 1},
                               {u"total_pages"_s, 1}};
        m_api.proxy().injectFault(
            u"/key/list"_s, {200, QJsonDocument(page).toJson(QJsonDocument::Compact), 0, 1, false});
        const Result<Workspace> snapshot = m_api.snapshotWithSettingsOf(data);
        VERIFY_SUCCEEDS(snapshot);
        QCOMPARE(snapshot->keys.size(), 2);
        QCOMPARE(snapshot->keys.at(0).token, data.keys.at(0).token);
        QCOMPARE(snapshot->keys.at(1).token, data.keys.at(1).token);
        QCOMPARE(snapshot->keys.at(0).teamId, data.keys.at(0).teamId);
    }

    void aKeyListOfHashesOnlyIsRefused() {
        QVERIFY(start(demoDataset()));
        m_api.proxy().injectFault(
            u"/key/list"_s,
            {200,
             "{\"keys\": [\"88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b\"], "
             "\"total_count\": 1, \"current_page\": 1, \"total_pages\": 1}",
             0, 1, false});
        auto store = m_api.store();
        QVERIFY(store);
        VERIFY_FAILS_WITH(awaitTask(store->snapshot()), ErrorKind::Unsupported,
                          u"returns only key hashes"_s);
    }

    void aProxyWithoutTheV2List() {
        const Workspace data = withTeams(10);
        QVERIFY(start(data));
        m_api.proxy().disableRoute(u"/v2/team/list"_s);
        auto store = m_api.store();
        QVERIFY(store);
        int pages = 0;
        QCOMPARE(readAll(*store, 4, &pages), sortedIds(data));
        QCOMPARE(pages, 6);
    }
};

QTEST_GUILESS_MAIN(TstApiStorePaging)
#include "tst_apistore_paging.moc"
