#include "store/api/ApiBulkWriter.h"

#include "domain/DisplayText.h"
#include "domain/TranslationContexts.h"
#include "store/WorkspaceEditSupport.h"
#include "store/WorkspaceEdits.h"
#include "store/api/ApiConversion.h"
#include "store/api/ApiReader.h"
#include "store/api/ApiWriter.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace litescope::api {

namespace {

// MAX_BULK_TEAM_MEMBER_BUDGET_UPDATES: a longer run is split.
constexpr qsizetype MaxRowsPerCall = 500;

// One bulk_update call: its rows, the edits they carry and how those read in messages.
struct Call {
    QList<qsizetype> indexes;
    QJsonArray rows;
    QList<EditOutcome> outcomes;
    QStringList members; // "team X: member Y"
    QSet<QString> identities;
};

QString bulkPath(const QString& teamId) {
    // ApiClient sends the path as given: the id is the one segment that needs encoding.
    return u"/management/v1/teams/"_s + QString::fromLatin1(QUrl::toPercentEncoding(teamId)) +
           u"/members/bulk_update"_s;
}

// What LiteLLM's row says went wrong, in words an admin can act on.
Error rowError(const QString& member, const QString& said, qsizetype othersApplied) {
    QString message =
        ApiText::tr("%1: the proxy did not make this change (bulk_update answered %2).")
            .arg(member, quotedName(said));
    ErrorKind kind = ErrorKind::ServerError;
    if (said == u"User not found in team"_s) {
        // The member was on the roster litescope read just before: someone removed them.
        kind = ErrorKind::Conflict;
        message += u' ' + ApiText::tr("The member left the team after it was read; read the "
                                      "team again.");
    }
    if (othersApplied > 0)
        message += u' ' + ApiText::tr("The other %n member(s) of the same request were changed.",
                                      nullptr, int(othersApplied));
    return {kind, message};
}

MemberRun failedAt(MemberRun run, qsizetype index, Error error) {
    run.error = std::move(error);
    run.failedIndex = index;
    return run;
}

} // namespace

bool startsMemberRun(const QList<StoreEdit>& edits, qsizetype from) {
    return from + 1 < edits.size() && isMemberBudgetEdit(edits.at(from)) &&
           isMemberBudgetEdit(edits.at(from + 1)) && edits.at(from + 1).team == edits.at(from).team;
}

QCoro::Task<MemberRun> applyMemberRun(std::shared_ptr<ApiClient> client, QList<StoreEdit> edits,
                                      qsizetype from, bool memberScopes, LiteLLMProfile profile) {
    MemberRun run;
    run.next = from;
    QCoro::Task<Result<TeamInfo>> reading = readTeam(client, edits.at(from).team);
    const Result<TeamInfo> info = co_await std::move(reading);
    if (!info)
        co_return failedAt(std::move(run), from, info.error());
    QCoro::Task<Result<QJsonArray>> rosterLookup = readRosterUsers(client, *info);
    const Result<QJsonArray> rosterUsers = co_await std::move(rosterLookup);
    if (!rosterUsers)
        co_return failedAt(std::move(run), from, rosterUsers.error());
    Result<Workspace> state = teamWorkspace(*info, *rosterUsers);
    if (!state)
        co_return failedAt(std::move(run), from,
                           Error{ErrorKind::ServerError, state.error().message});
    const QString teamId = state->teams.front().id;
    // Starlette matches a route on the decoded path: an id with '/' reaches no bulk route.
    if (teamId.contains(u'/')) {
        run.sendSingly = true;
        co_return run;
    }

    // Every edit of the run is checked before anything is sent, each on the state the earlier
    // ones leave.
    QList<Call> calls;
    std::optional<Error> stop;
    qsizetype k = from;
    for (; k < edits.size(); ++k) {
        const StoreEdit& edit = edits.at(k);
        if (k > from && (!isMemberBudgetEdit(edit) ||
                         (edit.team != edits.at(from).team && edit.team != teamId)))
            break;
        if (std::optional<Error> refused = refusal(edit, memberScopes, profile)) {
            stop = std::move(refused);
            break;
        }
        const Team& team = state->teams.front();
        const Result<edits::MemberRef> member = edits::findMember(*state, team, edit.user);
        if (!member) {
            stop = member.error();
            break;
        }
        const QJsonObject identity = memberIdentity(*member);
        const QString object =
            EditText::tr("team %1: member %2").arg(edits::teamName(team), member->display());
        StoreEdit local = edit;
        local.team = teamId;
        Result<EditOutcome> outcome = litescope::applyEdit(*state, local, profile);
        if (!outcome) {
            stop = outcome.error();
            break;
        }
        // bulk_update refuses a member named twice ("Duplicate member in request"): a second
        // edit of the same member goes in the next call, after the first is applied.
        const QString key = QString::fromUtf8(QJsonDocument(identity).toJson());
        if (calls.isEmpty() || calls.back().identities.contains(key) ||
            calls.back().rows.size() >= MaxRowsPerCall)
            calls.append(Call{});
        Call& call = calls.back();
        QJsonObject row = identity;
        const QJsonObject fields = memberBudgetFields(edit);
        for (auto it = fields.constBegin(); it != fields.constEnd(); ++it)
            row.insert(it.key(), it.value());
        call.indexes.append(k);
        call.rows.append(row);
        call.outcomes.append(std::move(outcome).value());
        call.members.append(object);
        call.identities.insert(key);
    }
    run.next = k;

    for (qsizetype c = 0; c < calls.size(); ++c) {
        const Call& call = calls.at(c);
        if (client->call().isCancelled())
            co_return failedAt(std::move(run), call.indexes.front(), CallOptions::cancelledError());
        QCoro::Task<Result<QJsonValue>> sending =
            ApiClient::post(client, bulkPath(teamId), QJsonObject{{u"members"_s, call.rows}});
        const Result<QJsonValue> answer = co_await std::move(sending);
        if (!answer) {
            // A 404 {"detail": "Not Found"}: the route is missing, nothing was written.
            if (c == 0 && profile.assumed() && answer.error().kind == ErrorKind::Unsupported) {
                run.sendSingly = true;
                co_return run;
            }
            // One transaction: a failed call wrote none of its rows.
            co_return failedAt(std::move(run), call.indexes.front(), answer.error());
        }
        const QJsonArray data = answer->toObject().value(u"data"_s).toArray();
        if (data.size() != call.rows.size())
            co_return failedAt(
                std::move(run), call.indexes.front(),
                Error{ErrorKind::ServerError,
                      ApiText::tr("The proxy answered bulk_update for team %1 with %2 results for "
                                  "%3 members; what it changed is not known. Read the team again.")
                          .arg(teamId)
                          .arg(data.size())
                          .arg(call.rows.size())});
        std::optional<qsizetype> failed;
        qsizetype succeeded = 0;
        for (qsizetype r = 0; r < data.size(); ++r) {
            if (data.at(r).toObject().value(u"success"_s).toBool()) {
                run.applied.append({call.indexes.at(r), call.outcomes.at(r)});
                ++succeeded;
            } else if (!failed) {
                failed = r;
            }
        }
        if (failed) {
            const QString said = data.at(*failed).toObject().value(u"error"_s).toString();
            co_return failedAt(std::move(run), call.indexes.at(*failed),
                               rowError(call.members.at(*failed), said, succeeded));
        }
        client->call().report(u"edits"_s, call.indexes.back() + 1, edits.size());
    }
    if (stop)
        co_return failedAt(std::move(run), k, *stop);
    co_return run;
}

} // namespace litescope::api
