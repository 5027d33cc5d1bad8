#include "store/pg/PgWriter.h"

#include "store/pg/PgEditSupport.h"

using namespace Qt::StringLiterals;

namespace litescope::pg {

namespace {

Result<EditOutcome> applyEdit(pqxx::transaction_base& txn, const PgSchema& schema,
                              const PgConnectionOptions& options, const StoreEdit& edit) {
    EditContext context{txn, schema, options.actor, edit};
    Result<EditOutcome> outcome = [&] {
        switch (edit.kind) {
        case StoreEdit::Kind::SetTeamModels:
        case StoreEdit::Kind::SetDefaultMemberModels:
        case StoreEdit::Kind::SetTeamAlias:
        case StoreEdit::Kind::SetTeamBlocked:
            return applyTeamEdit(context);
        case StoreEdit::Kind::SetKeyModels:
            return applyKeyEdit(context);
        case StoreEdit::Kind::SetMemberScope:
        case StoreEdit::Kind::UpdateMember:
        case StoreEdit::Kind::AddMember:
        case StoreEdit::Kind::RemoveMember:
            return applyMemberEdit(context);
        }
        return Result<EditOutcome>(Error::invalid(tr("Unknown kind of edit.")));
    }();
    return outcome;
}

} // namespace

BatchResult applyEdits(pqxx::connection& connection, const PgSchema& schema,
                       const PgConnectionOptions& options, const QList<StoreEdit>& edits,
                       const CallOptions& call, qsizetype& current) {
    BatchResult batch;
    pqxx::work txn(connection);
    for (current = 0; current < edits.size(); ++current) {
        call.report(u"edits"_s, current, edits.size());
        Result<EditOutcome> outcome = call.isCancelled()
                                          ? Result<EditOutcome>(CallOptions::cancelledError())
                                          : applyEdit(txn, schema, options, edits.at(current));
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
