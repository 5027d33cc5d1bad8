#pragma once

#include "domain/Result.h"
#include "store/Store.h"
#include "store/api/ApiClient.h"

#include <QHash>
#include <QString>
#include <qcoro/qcorotask.h>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>

// ApiStore::teams(): pages of teams in team_id order, each read with about one request the size
// of the page.
namespace litescope::api {

// Where each page handed out ended in the proxy's team list: the position of the first team after
// the page's last one. The next page starts reading there instead of at the beginning. Only a
// hint, checked against what the proxy answers. Keeps the most recent few hundred; shared by a
// store's calls, from any thread.
class TeamPageHints {
public:
    std::optional<qint64> positionAfter(const QString& teamId) const;
    void remember(const QString& teamId, qint64 position);

private:
    mutable std::mutex m_mutex;
    QHash<QString, qint64> m_positions;
    std::deque<QString> m_order;
};

// Teams with a team_id after `page.after`, in team_id order. /v2/team/list?sort_by=team_id pages
// by number, not by id, so the page is read from where `hints` says the last one ended, together
// with the team before it: that team must be `page.after` or sort before it, and the teams taken
// are the ones after it (keyset paging, as the other stores do). Teams added or deleted between
// pages shift positions; the window then moves until it straddles `page.after` again. Without a
// hint (an id this store did not hand out), when the proxy's order is not litescope's (another
// collation), or on a proxy without /v2/team/list, the whole list is read instead. Progress:
// "teams", the proxy's pages read.
QCoro::Task<Result<Page<Team>>> readTeamPage(std::shared_ptr<ApiClient> client,
                                             std::shared_ptr<TeamPageHints> hints,
                                             PageRequest page);

} // namespace litescope::api
