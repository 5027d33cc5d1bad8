#include "store/pg/PgWriter.h"

#include "store/pg/PgEditSupport.h"

namespace litescope::pg {

Result<EditOutcome> applyEdit(pqxx::connection& connection, const PgSchema& schema,
                              const PgConnectionOptions& options, const StoreEdit& edit) {
    pqxx::work txn(connection);
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
    if (outcome)
        txn.commit(); // otherwise the transaction is rolled back when `txn` goes away
    return outcome;
}

} // namespace litescope::pg
