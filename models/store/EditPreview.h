#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"
#include "store/StoreEdit.h"

#include <QList>

namespace litescope {

// What a batch of edits would do, worked out on a loaded workspace with no I/O and with the same
// rules every store applies: the window's what-if (an engine compiled from `workspace` decides as
// the proxy would after Apply) and the CLI's --dry-run.
struct EditPreview {
    // The workspace after every accepted edit.
    Workspace workspace;
    // One per edit, in order: what it changes, or why it would be refused. Each edit is tried on
    // the state the accepted edits before it left; a refused edit changes nothing. (Store::apply
    // stops at the first refusal instead; a preview shows them all.)
    QList<Result<EditOutcome>> results;

    bool ok() const;
    qsizetype refusedCount() const;
};

EditPreview previewEdits(const Workspace& workspace, const QList<StoreEdit>& edits);

// `edit` with `expected` filled in from `workspace` for every field the edit changes, so an
// editor that loaded `workspace` never spells a field name and a change made by someone else in
// the meantime is a Conflict rather than silently overwritten. A target that does not exist in
// `workspace` leaves `expected` as it was (apply reports the missing target).
StoreEdit withExpected(const Workspace& workspace, StoreEdit edit);

} // namespace litescope
