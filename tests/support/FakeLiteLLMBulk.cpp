// LiteLLM 1.103's member budget writes in the fake proxy: the merge-patch both
// /team/member_update and the bulk routes apply (management_endpoints/common_utils.py,
// _upsert_budget_and_membership), and POST /management/v1/teams/{team_id}/members/bulk_update
// and bulk_delete (management_v1/teams.py, management_helpers/bulk_team_member_budgets.py):
// request and response shapes, per-row failures, one audit row per call, problem documents.

#include "support/FakeLiteLLMBody.h"
#include "support/FakeLiteLLMJson.h"
#include "support/FakeLiteLLMRoutes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace litescope::test {

namespace {

using namespace fakejson;

constexpr int MaxBulkMembers = 500; // MAX_BULK_TEAM_MEMBER_BUDGET_UPDATES, ..._DELETES

const QStringList patchFields{u"max_budget_in_team"_s, u"tpm_limit"_s, u"rpm_limit"_s,
                              u"budget_duration"_s, u"allowed_models"_s};

QStringList stringsIn(const QJsonValue& value) {
    QStringList list;
    for (const QJsonValue& item : value.toArray())
        list.append(item.toString());
    return list;
}

FakeReply teamNotFoundProblem(const QString& teamId) {
    return {404, problem(u"team-not-found"_s, u"Team not found"_s, 404,
                         u"Team id="_s + teamId + u" does not exist in db"_s)};
}

// The roster entry a bulk row names: by user_id, or by the roster's user_email.
const TeamMemberRole* rosterEntry(const Team& team, const QJsonObject& row) {
    const QJsonValue id = row.value(u"user_id"_s);
    const QJsonValue email = row.value(u"user_email"_s);
    for (const TeamMemberRole& entry : team.membersWithRoles) {
        if (id.isString() ? entry.userId == id.toString()
                          : entry.userEmail && *entry.userEmail == email.toString())
            return &entry;
    }
    return nullptr;
}

QJsonObject failedRow(const QJsonObject& row, const QString& error) {
    return {{u"user_id"_s, row.value(u"user_id"_s).isString() ? row.value(u"user_id"_s)
                                                              : QJsonValue(QJsonValue::Null)},
            {u"user_email"_s, row.value(u"user_email"_s).isString() ? row.value(u"user_email"_s)
                                                                    : QJsonValue(QJsonValue::Null)},
            {u"success"_s, false},
            {u"error"_s, error}};
}

// {"members": [...]} with 1..500 rows of exactly one identifier each and only `rowFields`.
// The rows of a bulk request as LiteLLM resolves them, in request order: a row naming someone
// already named (by the same identifier or as the same user) or nobody on the roster fails on
// its own; `onMember(row, entry, userId)` gets every other one. Failures go into `results`.
template <typename OnMember>
void resolveRows(const Team& team, const QJsonObject& body, QJsonArray& results,
                 OnMember onMember) {
    QSet<QString> seenIdentifiers, seenUsers;
    for (const QJsonValue& value : body.value(u"members"_s).toArray()) {
        const QJsonObject row = value.toObject();
        const QString identifier = row.value(u"user_id"_s).isString()
                                       ? u"id:"_s + row.value(u"user_id"_s).toString()
                                       : u"email:"_s + row.value(u"user_email"_s).toString();
        const TeamMemberRole* entry = rosterEntry(team, row);
        const QString userId =
            entry ? entry->userId.value_or(entry->userEmail.value_or(QString())) : QString();
        if (seenIdentifiers.contains(identifier) || (entry && seenUsers.contains(userId))) {
            results.append(failedRow(row, u"Duplicate member in request"_s));
            continue;
        }
        seenIdentifiers.insert(identifier);
        if (!entry) {
            results.append(failedRow(row, u"User not found in team"_s));
            continue;
        }
        seenUsers.insert(userId);
        onMember(row, *entry, userId);
    }
}

std::optional<FakeReply> checkMembers(const QJsonObject& body, const QStringList& rowFields) {
    BodyReader r(body);
    r.forbidExtra({u"members"_s});
    const QJsonValue members = body.value(u"members"_s);
    if (members.isUndefined()) {
        r.requiredString(u"members"_s); // reports it missing
    } else if (!members.isArray()) {
        r.addIssue(validationIssue(u"list_type"_s, QJsonArray{u"body"_s, u"members"_s},
                                   u"Input should be a valid list"_s, members));
    } else if (members.toArray().isEmpty() || members.toArray().size() > MaxBulkMembers) {
        const qsizetype n = members.toArray().size();
        r.addIssue(validationIssue(
            n == 0 ? u"too_short"_s : u"too_long"_s, QJsonArray{u"body"_s, u"members"_s},
            n == 0 ? u"List should have at least 1 item after validation, not 0"_s
                   : u"List should have at most %1 items after validation, not %2"_s
                         .arg(MaxBulkMembers)
                         .arg(n),
            members));
    } else {
        const QJsonArray rows = members.toArray();
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QJsonArray location{u"body"_s, u"members"_s, i};
            if (!rows.at(i).isObject()) {
                r.addIssue(validationIssue(u"model_type"_s, location,
                                           u"Input should be a valid dictionary or instance of "
                                           u"TeamMemberBudgetPatch"_s,
                                           rows.at(i)));
                continue;
            }
            BodyReader m(rows.at(i).toObject(), location);
            m.forbidExtra(QStringList{u"user_id"_s, u"user_email"_s} + rowFields);
            m.string(u"user_id"_s);
            m.string(u"user_email"_s);
            if (rowFields.contains(u"max_budget_in_team"_s)) {
                m.number(u"max_budget_in_team"_s);
                m.number(u"tpm_limit"_s, true);
                m.number(u"rpm_limit"_s, true);
                m.string(u"budget_duration"_s);
                m.stringList(u"allowed_models"_s);
            }
            if (m.isUnset(u"user_id"_s) == m.isUnset(u"user_email"_s))
                m.addIssue(validationIssue(u"value_error"_s, location,
                                           u"Value error, Provide exactly one of user_id or "
                                           u"user_email"_s,
                                           rows.at(i)));
            r.addIssues(m.issues());
        }
    }
    return r.error();
}

// One membership as the audit row lists it: None fields dropped.
QJsonObject auditMember(const TeamMembership& membership) {
    QJsonObject entry{{u"user_id"_s, membership.userId}};
    if (!membership.budgetId)
        return entry;
    entry.insert(u"budget_id"_s, *membership.budgetId);
    if (membership.maxBudget)
        entry.insert(u"max_budget"_s, *membership.maxBudget);
    if (membership.tpmLimit)
        entry.insert(u"tpm_limit"_s, *membership.tpmLimit);
    if (membership.rpmLimit)
        entry.insert(u"rpm_limit"_s, *membership.rpmLimit);
    if (membership.extra.value(u"budget_duration"_s).isString())
        entry.insert(u"budget_duration"_s, membership.extra.value(u"budget_duration"_s));
    entry.insert(u"allowed_models"_s, strings(membership.allowedModels));
    return entry;
}

QString auditValue(QList<QJsonObject> members) {
    std::ranges::sort(members, {},
                      [](const QJsonObject& m) { return m.value(u"user_id"_s).toString(); });
    QJsonArray list;
    for (const QJsonObject& m : members)
        list.append(m);
    return QString::fromUtf8(QJsonDocument(QJsonObject{{u"team_member_budgets"_s, list}})
                                 .toJson(QJsonDocument::Compact));
}

} // namespace

QJsonObject memberBudgetPatch(const QJsonObject& body) {
    QJsonObject patch;
    for (const QString& field : patchFields) {
        if (body.contains(field))
            patch.insert(field == u"max_budget_in_team"_s ? u"max_budget"_s : field,
                         body.value(field));
    }
    return patch;
}

bool FakeLiteLLMRoutes::patchMemberBudget(const Team& team, const QString& userId,
                                          const QJsonObject& patch) {
    TeamMembership* membership = findMembership(team.id, userId);
    if (patch.isEmpty())
        return membership && membership->budgetId;
    const bool hasRow = membership && membership->budgetId;
    TeamMembership merged;
    if (hasRow)
        merged = *membership;
    merged.teamId = team.id;
    merged.userId = userId;
    for (auto it = patch.constBegin(); it != patch.constEnd(); ++it) {
        const QJsonValue& v = it.value();
        if (it.key() == u"max_budget"_s)
            merged.maxBudget = v.isDouble() ? std::optional(v.toDouble()) : std::nullopt;
        else if (it.key() == u"tpm_limit"_s)
            merged.tpmLimit = v.isDouble() ? std::optional(v.toInteger()) : std::nullopt;
        else if (it.key() == u"rpm_limit"_s)
            merged.rpmLimit = v.isDouble() ? std::optional(v.toInteger()) : std::nullopt;
        else if (it.key() == u"budget_duration"_s && v.isString())
            merged.extra.insert(u"budget_duration"_s, v);
        else if (it.key() == u"budget_duration"_s)
            merged.extra.remove(u"budget_duration"_s);
        else if (it.key() == u"allowed_models"_s)
            merged.allowedModels = stringsIn(v);
    }
    // _has_meaningful_budget_limit: an empty allowed_models is no limit.
    const bool meaningful = merged.maxBudget || merged.tpmLimit || merged.rpmLimit ||
                            merged.extra.value(u"budget_duration"_s).isString() ||
                            !merged.allowedModels.isEmpty();
    if (!meaningful) {
        if (hasRow) {
            // Disconnected, not deleted: the row stays behind.
            m_detachedBudgets.append(
                membershipObject(*membership).value(u"litellm_budget_table"_s).toObject());
            membership->budgetId.reset();
            membership->allowedModels.clear();
            membership->maxBudget.reset();
            membership->tpmLimit.reset();
            membership->rpmLimit.reset();
            membership->extra.remove(u"budget_duration"_s);
        }
        return false;
    }
    // Copy-before-write: a row the team default or another membership uses is never edited.
    const auto shares = [&](const std::optional<QString>& budgetId) {
        if (!budgetId)
            return false;
        if (team.defaultMemberBudget && team.defaultMemberBudget->budgetId == *budgetId)
            return true;
        return std::ranges::count_if(m_data.teamMemberships, [&](const TeamMembership& m) {
                   return m.budgetId == budgetId;
               }) > 1;
    };
    if (!hasRow || shares(merged.budgetId))
        merged.budgetId = nextBudgetId();
    if (!membership) {
        m_data.teamMemberships.append(merged);
    } else {
        *membership = merged;
    }
    return true;
}

FakeReply FakeLiteLLMRoutes::bulkUpdate(const QString& teamId, const QJsonObject& body) {
    if (const std::optional<FakeReply> invalid = checkMembers(body, patchFields))
        return *invalid;
    Team* team = findTeam(teamId);
    if (!team)
        return teamNotFoundProblem(teamId);

    // Every row is resolved before anything is written; the applicable ones are then written
    // together (one transaction) with one audit row.
    QJsonArray results;
    QList<std::pair<QString, QJsonObject>> applicable; // user_id, patch
    QList<qsizetype> applicableAt;
    resolveRows(*team, body, results,
                [&](const QJsonObject& row, const TeamMemberRole&, const QString& userId) {
                    applicableAt.append(results.size());
                    applicable.append({userId, memberBudgetPatch(row)});
                    results.append(QJsonValue::Null); // filled in once written
                });

    QList<QJsonObject> before, after;
    for (const auto& [userId, patch] : std::as_const(applicable)) {
        if (const TeamMembership* m = findMembership(team->id, userId))
            before.append(auditMember(*m));
        else
            before.append({{u"user_id"_s, userId}});
    }
    const QJsonValue null(QJsonValue::Null);
    for (qsizetype i = 0; i < applicable.size(); ++i) {
        const auto& [userId, patch] = applicable.at(i);
        patchMemberBudget(*team, userId, patch);
        const TeamMembership* m = findMembership(team->id, userId);
        const bool hasRow = m && m->budgetId;
        after.append(hasRow ? auditMember(*m) : QJsonObject{{u"user_id"_s, userId}});
        // The values in force after the write; max_budget falls back to the team default.
        QJsonValue maxBudget = QJsonValue::Null;
        QJsonValue maxBudgetSource = QJsonValue::Null;
        if (hasRow && m->maxBudget) {
            maxBudget = *m->maxBudget;
            maxBudgetSource = u"member"_s;
        } else if (team->defaultMemberBudget &&
                   team->defaultMemberBudget->maxBudget.value_or(0) > 0) {
            maxBudget = *team->defaultMemberBudget->maxBudget;
            maxBudgetSource = u"team_default"_s;
        }
        const TeamMemberRole* entry = nullptr;
        for (const TeamMemberRole& e : team->membersWithRoles)
            if (e.userId.value_or(e.userEmail.value_or(QString())) == userId)
                entry = &e;
        results[applicableAt.at(i)] = QJsonObject{
            {u"user_id"_s, userId},
            {u"user_email"_s, optionalString(entry ? entry->userEmail : std::nullopt)},
            {u"success"_s, true},
            {u"error"_s, QJsonValue::Null},
            {u"budget_id"_s, optionalString(hasRow ? m->budgetId : std::nullopt)},
            {u"max_budget"_s, maxBudget},
            {u"max_budget_source"_s, maxBudgetSource},
            {u"tpm_limit"_s, hasRow && m->tpmLimit ? QJsonValue(*m->tpmLimit) : null},
            {u"rpm_limit"_s, hasRow && m->rpmLimit ? QJsonValue(*m->rpmLimit) : null},
            {u"budget_duration"_s, hasRow && m->extra.value(u"budget_duration"_s).isString()
                                       ? m->extra.value(u"budget_duration"_s)
                                       : null},
            {u"allowed_models"_s, hasRow ? QJsonValue(strings(m->allowedModels)) : null},
        };
    }
    if (!applicable.isEmpty())
        m_auditLog.append(QJsonObject{{u"action"_s, u"updated"_s},
                                      {u"table_name"_s, u"LiteLLM_TeamTable"_s},
                                      {u"object_id"_s, team->id},
                                      {u"before_value"_s, auditValue(before)},
                                      {u"updated_values"_s, auditValue(after)}});
    return {200, QJsonObject{{u"data"_s, results}}};
}

FakeReply FakeLiteLLMRoutes::bulkDelete(const QString& teamId, const QJsonObject& body) {
    if (const std::optional<FakeReply> invalid = checkMembers(body, {}))
        return *invalid;
    Team* team = findTeam(teamId);
    if (!team)
        return teamNotFoundProblem(teamId);

    QJsonArray results;
    QSet<QString> removed;
    resolveRows(*team, body, results,
                [&](const QJsonObject&, const TeamMemberRole& entry, const QString& userId) {
                    removed.insert(userId);
                    results.append(QJsonObject{{u"user_id"_s, userId},
                                               {u"user_email"_s, optionalString(entry.userEmail)},
                                               {u"success"_s, true},
                                               {u"error"_s, QJsonValue::Null}});
                });
    // The roster is rewritten once, with the memberships and the users' team lists.
    team->membersWithRoles.removeIf([&](const TeamMemberRole& entry) {
        return removed.contains(entry.userId.value_or(entry.userEmail.value_or(QString())));
    });
    for (const QString& userId : std::as_const(removed)) {
        if (User* user = findUser(userId)) {
            QStringList teams = userTeams(m_data, *user);
            teams.removeAll(team->id);
            user->teams = teams;
        }
    }
    m_data.teamMemberships.removeIf([&](const TeamMembership& m) {
        return m.teamId == team->id && removed.contains(m.userId);
    });
    return {200, QJsonObject{{u"data"_s, results}}};
}

} // namespace litescope::test
