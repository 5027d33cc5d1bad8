#pragma once

#include "domain/Result.h"
#include "engine/LiteLLMRelease.h"
#include "store/StoreEdit.h"
#include "store/api/ApiClient.h"

#include <QList>
#include <qcoro/qcorotask.h>

#include <memory>
#include <optional>
#include <utility>

namespace litescope::api {

// What a run of member budget edits came to.
struct MemberRun {
    // The edits the proxy took: their index in the batch and their outcome, in batch order.
    QList<std::pair<qsizetype, EditOutcome>> applied;
    std::optional<Error> error;
    qsizetype failedIndex = -1;
    qsizetype next = 0; // the first edit after the run
    // Nothing was sent: the proxy, which does not show its release, has no bulk route (or the
    // team's id cannot be put in its path). Send these edits one by one.
    bool sendSingly = false;
};

// Whether edits[from] starts a run for POST /management/v1/teams/{team_id}/members/bulk_update
// (LiteLLM 1.103.0 and newer): it and the next edit are member budget edits (isMemberBudgetEdit)
// naming the same team.
bool startsMemberRun(const QList<StoreEdit>& edits, qsizetype from);

// Applies the run that starts at edits[from]: the consecutive member budget edits of that team
// (named as edits[from] names it, or by its team_id). The team is read once and every edit
// checked with the shared rules, in order, on that state; the rows go in bulk_update calls of up
// to 500 members, a member named twice starting a new call. Each call is one transaction on the
// proxy, its rows reported one by one: when a row fails, the other rows of that call were still
// applied (listed in `applied`), `failedIndex` is the first failing row's edit and no later call
// is sent. An edit the rules or refusal() reject ends the run there: the rows before it are sent,
// then the run fails at it.
QCoro::Task<MemberRun> applyMemberRun(std::shared_ptr<ApiClient> client, QList<StoreEdit> edits,
                                      qsizetype from, bool memberScopes, LiteLLMProfile profile);

} // namespace litescope::api
