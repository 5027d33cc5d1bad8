#include "store/pg/PgWriter.h"

#include "domain/TranslationContexts.h"
#include "store/WorkspaceEdits.h"
#include "store/pg/PgAudit.h"
#include "store/pg/PgEditRows.h"
#include "store/pg/PgEditSupport.h"

using namespace Qt::StringLiterals;

namespace litescope::pg {

using Kind = StoreEdit::Kind;

Status requireSchema(const PgSchema& schema, const StoreEdit& edit) {
    const bool needsScopes =
        edit.kind == Kind::SetMemberScope || edit.kind == Kind::SetDefaultMemberModels ||
        (edit.kind == Kind::AddMember && edit.memberModels && !edit.memberModels->isEmpty());
    if (!needsScopes || schema.memberScopes())
        return Done{};
    return Error{
        ErrorKind::Unsupported,
        PgText::tr("This database is older than LiteLLM v1.83.14 and has no per-member model "
                   "scopes (LiteLLM_BudgetTable.allowed_models, "
                   "LiteLLM_TeamTable.default_team_member_models). Upgrade the proxy to edit "
                   "them; reading keeps working.")};
}

namespace {

bool isMemberEdit(Kind kind) {
    return kind == Kind::SetMemberScope || kind == Kind::UpdateMember || kind == Kind::AddMember ||
           kind == Kind::RemoveMember;
}

// The audit row in LiteLLM's shapes: /team/update and /key/update record the whole row before and
// the changed fields after. LiteLLM's member endpoints record nothing; litescope records every
// change it makes, as an update of the team the member belongs to.
AuditEntry auditFor(const StoreEdit& edit, const EditRows& rows, const RuledEdit& ruled) {
    const EditOutcome& outcome = ruled.outcome;
    if (edit.kind == Kind::SetKeyModels)
        return {u"updated"_s,  u"LiteLLM_VerificationToken"_s,          outcome.objectId, rows.row,
                outcome.after, rows.row.value(u"team_id"_s).toString(), QString()};
    if (isMemberEdit(edit.kind)) {
        QJsonObject before = outcome.before;
        QJsonObject after = outcome.after;
        // The undo edit names the member by user_id, whatever the admin typed.
        const QString userId = outcome.undo.isEmpty() ? edit.user : outcome.undo.front().user;
        for (QJsonObject* blob : {&before, &after}) {
            blob->insert(u"team_id"_s, outcome.objectId);
            blob->insert(u"user_id"_s, userId);
        }
        // The team row's roster, when the edit rewrote it, as /team/update would record it; the
        // budget row a membership was unlinked from (LiteLLM 1.103.0+), which stays behind.
        for (const RowWrite& write : ruled.writes) {
            if (write.kind == RowWrite::Kind::TeamColumns &&
                write.columns.contains(u"members_with_roles"_s)) {
                before.insert(u"members_with_roles"_s, rows.row.value(u"members_with_roles"_s));
                after.insert(u"members_with_roles"_s, write.columns.value(u"members_with_roles"_s));
            } else if (write.kind == RowWrite::Kind::UnlinkMemberBudget) {
                before.insert(u"budget_id"_s, write.columns.value(u"budget_id"_s));
                after.insert(u"budget_id"_s, QJsonValue::Null);
            }
        }
        return {u"updated"_s, u"LiteLLM_TeamTable"_s, outcome.objectId, before,
                after,        outcome.objectId,       rows.teamAlias};
    }
    QJsonObject after = outcome.after;
    after.insert(u"team_id"_s, outcome.objectId);
    // LiteLLM's audit actions: "blocked" for a block, "updated" for the rest.
    const QString action =
        edit.kind == Kind::SetTeamBlocked && edit.blocked ? u"blocked"_s : u"updated"_s;
    return {action, u"LiteLLM_TeamTable"_s, outcome.objectId, rows.row,
            after,  outcome.objectId,       rows.teamAlias};
}

Result<EditOutcome> applyEdit(pqxx::transaction_base& txn, const PgSchema& schema,
                              const PgConnectionOptions& options, const LiteLLMProfile& profile,
                              const StoreEdit& edit) {
    if (Status supported = requireSchema(schema, edit); !supported)
        return supported.error();
    EditRows rows = readEditRows(txn, schema, edit);
    Result<RuledEdit> ruled = applyEditWithWrites(rows.slice, edit, profile);
    if (!ruled)
        return ruled.error();
    WriteContext context{txn, schema, options.actor};
    writeRows(context, ruled->writes);
    if (!ruled->writes.isEmpty())
        ruled->outcome.auditLogged =
            writeAudit(txn, schema, options.actor, auditFor(edit, rows, *ruled));
    return std::move(ruled->outcome);
}

} // namespace

BatchResult applyEdits(pqxx::connection& connection, const PgSchema& schema,
                       const PgConnectionOptions& options, const LiteLLMProfile& profile,
                       const QList<StoreEdit>& edits, const CallOptions& call, qsizetype& current) {
    BatchResult batch;
    pqxx::work txn(connection);
    for (current = 0; current < edits.size(); ++current) {
        call.report(u"edits"_s, current, edits.size());
        Result<EditOutcome> outcome =
            call.isCancelled() ? Result<EditOutcome>(CallOptions::cancelledError())
                               : applyEdit(txn, schema, options, profile, edits.at(current));
        if (!outcome) {
            // Rolled back when `txn` goes away: not one edit of the batch is kept.
            batch.applied.clear();
            batch.error = outcome.error();
            batch.failedIndex = current;
            return batch;
        }
        batch.applied.append(std::move(outcome).value());
    }
    if (call.isCancelled()) {
        batch.applied.clear();
        batch.error = CallOptions::cancelledError();
        batch.failedIndex = edits.size() - 1;
        return batch;
    }
    txn.commit();
    call.report(u"edits"_s, edits.size(), edits.size());
    return batch;
}

} // namespace litescope::pg
