#pragma once

#include "domain/Result.h"
#include "engine/LiteLLMRelease.h"
#include "store/StoreEdit.h"
#include "store/api/ApiClient.h"

#include <QJsonObject>
#include <qcoro/qcorotask.h>

#include <memory>
#include <optional>

namespace litescope::edits {
struct MemberRef;
} // namespace litescope::edits

namespace litescope::api {

// One edit through LiteLLM's own endpoints (/team/update, /team/member_add, /team/member_update
// with only the fields being changed, /team/member_delete, /team/block, /team/unblock,
// /key/update). The team or key is read first and the edit is checked and described with the
// same rules as the other stores (applyEdit on that state, with `profile`'s release): a refused
// edit, including a failed `expected` check, sends nothing. The API has no transactions: the
// check and the write are two requests, and LiteLLM applies each endpoint's changes as one
// update.
// Edits the proxy cannot take whatever its data says (a proxy without member scopes, a limit a
// release before 1.103.0 cannot clear): applyEdit() refuses them before anything is read or sent.
std::optional<Error> refusal(const StoreEdit& edit, bool memberScopes,
                             const LiteLLMProfile& profile);

// `profile` is what the store writes by (Store::profile): the admin's --litellm-version, else
// the release the proxy reports. When the proxy does not say (the profile is assumed), a limit
// cleared with null is read back: a proxy older than 1.103.0 ignores null.
QCoro::Task<Result<EditOutcome>> applyEdit(std::shared_ptr<ApiClient> client, StoreEdit edit,
                                           bool memberScopes, LiteLLMProfile profile);

// A member budget edit (SetMemberScope, or UpdateMember without a role change): what
// /team/member_update and a bulk_update row carry besides the member.
bool isMemberBudgetEdit(const StoreEdit& edit);
// Its fields: allowed_models, or max_budget_in_team / tpm_limit / rpm_limit (null clears).
QJsonObject memberBudgetFields(const StoreEdit& edit);
// The member as LiteLLM's roster names them: {"user_id"} or else {"user_email"}.
QJsonObject memberIdentity(const edits::MemberRef& member);

} // namespace litescope::api
