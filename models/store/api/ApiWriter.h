#pragma once

#include "domain/Result.h"
#include "store/StoreEdit.h"
#include "store/api/ApiClient.h"

#include <qcoro/qcorotask.h>

#include <memory>
#include <optional>

namespace litescope::api {

// One edit through LiteLLM's own endpoints (/team/update, /team/member_add, /team/member_update
// with only the fields being changed, /team/member_delete, /team/block, /team/unblock,
// /key/update). The team or key is read first and the edit is checked and described with the
// same rules as the other stores (applyEdit on that state): a refused edit, including a failed
// `expected` check, sends nothing. The API has no transactions: the check and the write are two
// requests, and LiteLLM applies each endpoint's changes as one update.
// Edits the proxy cannot take whatever its data says (a proxy without member scopes, a limit
// /team/member_update cannot clear): applyEdit() refuses them before anything is read or sent.
std::optional<Error> refusal(const StoreEdit& edit, bool memberScopes);

QCoro::Task<Result<EditOutcome>> applyEdit(std::shared_ptr<ApiClient> client, StoreEdit edit,
                                           bool memberScopes);

} // namespace litescope::api
