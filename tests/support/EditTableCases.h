#pragma once

// The cross-store edit table (tst_store_edit_table): every edit kind, its refusals, `expected`
// conflicts and hostile strings, as cases on the PostgreSQL seed (support/PgTestDatabase.h). Each
// case is a list of edits applied in order; every store must answer each edit alike.
#include "store/StoreEdit.h"
#include "support/PgTestDatabase.h"

#include <QJsonArray>
#include <QList>
#include <QString>

namespace litescope::test {

using namespace Qt::StringLiterals;

struct EditCase {
    const char* name;
    QList<StoreEdit> edits;
};

// Names an admin could not have typed: markup, quotes, SQL, a bell, a line break, a tab, and
// text in another script.
inline const QString hostileAlias = u"<b>ML</b> \"R&D\"; DROP TABLE x;--\u0007\n\tИИ"_s;
inline const QString hostileModel = u"gpt-4o'); DELETE FROM \"LiteLLM_TeamTable\";--<i>\u0007"_s;
inline const QString hostileUser = u"nobody'; DROP TABLE \"LiteLLM_UserTable\";--\n<a href=x>"_s;

inline StoreEdit withRole(StoreEdit edit, const QString& role) {
    edit.role = role;
    return edit;
}

inline StoreEdit withScope(StoreEdit edit, const QStringList& models) {
    edit.memberModels = models;
    return edit;
}

inline StoreEdit withLimits(StoreEdit edit, double maxBudget, qint64 tpm, qint64 rpm) {
    edit.maxBudget = std::optional<double>(maxBudget);
    edit.tpmLimit = std::optional<qint64>(tpm);
    edit.rpmLimit = std::optional<qint64>(rpm);
    return edit;
}

inline QList<EditCase> editTableCases() {
    using namespace seed;
    const QString claude = u"claude-3-5-sonnet"_s;
    const QString gpt4o = u"gpt-4o"_s;
    const QString mini = u"gpt-4o-mini"_s;
    return {
        // SetMemberScope
        {"scope narrows a member", {StoreEdit::setMemberScope(mlTeam, bob, {claude})}},
        {"scope back to all team models", {StoreEdit::setMemberScope(mlTeam, bob, {})}},
        {"scope by alias and email",
         {StoreEdit::setMemberScope(u"ML Research"_s, u"bob@example.com"_s, {gpt4o, claude})}},
        {"scope of a member sharing a budget",
         {StoreEdit::setMemberScope(searchTeam, erin, {u"text-embedding-3-small"_s})}},
        {"scope of a member without a membership row",
         {StoreEdit::setMemberScope(mlTeam, alice, {claude})}},
        {"scope of a member whose budget row was deleted",
         {StoreEdit::setMemberScope(supportTeam, dave, {mini})}},
        // LiteLLM stores a scope naming models the team lacks (the team layer still refuses them).
        {"scope names a model outside the team",
         {StoreEdit::setMemberScope(mlTeam, bob, {u"text-embedding-3-small"_s})}},
        {"scope of a user not in the team", {StoreEdit::setMemberScope(mlTeam, carol, {gpt4o})}},
        {"scope in a team that does not exist",
         {StoreEdit::setMemberScope(u"no-such-team"_s, bob, {gpt4o})}},
        {"scope with a stale expectation",
         {StoreEdit::setMemberScope(mlTeam, bob, {claude})
              .expect(u"allowed_models"_s, QJsonArray{claude})}},
        {"scope with a current expectation",
         {StoreEdit::setMemberScope(mlTeam, bob, {claude})
              .expect(u"allowed_models"_s, QJsonArray{gpt4o})}},
        {"expectation on a field the edit does not have",
         {StoreEdit::setMemberScope(mlTeam, bob, {claude}).expect(u"colour"_s, u"red"_s)}},
        // UpdateMember
        {"member promoted with limits",
         {withLimits(withRole(StoreEdit::updateMember(mlTeam, bob), u"admin"_s), 75.5, 20000, 60)}},
        {"member role that LiteLLM does not know",
         {withRole(StoreEdit::updateMember(mlTeam, bob), u"owner"_s)}},
        {"member limits with a stale expectation",
         {withLimits(StoreEdit::updateMember(mlTeam, bob), 10, 10, 10)
              .expect(u"tpm_limit"_s, 123456)}},
        // AddMember
        {"add takes the team's default member models", {StoreEdit::addMember(mlTeam, carol)}},
        {"add with a scope of its own",
         {withRole(withScope(StoreEdit::addMember(supportTeam, carol), {mini}), u"admin"_s)}},
        {"add to a team with a default member budget", {StoreEdit::addMember(searchTeam, dave)}},
        {"add someone already in the team", {StoreEdit::addMember(mlTeam, bob)}},
        {"add a user nobody created", {StoreEdit::addMember(mlTeam, hostileUser)}},
        {"add with a scope outside the team",
         {withScope(StoreEdit::addMember(supportTeam, carol), {u"beta-models-x"_s})}},
        // RemoveMember
        {"remove a member", {StoreEdit::removeMember(mlTeam, dave)}},
        {"remove then add back",
         {StoreEdit::removeMember(mlTeam, bob), StoreEdit::addMember(mlTeam, bob)}},
        {"remove someone not in the team", {StoreEdit::removeMember(supportTeam, grace)}},
        // Team fields
        {"team models", {StoreEdit::setTeamModels(supportTeam, {gpt4o, claude})}},
        {"team models with a hostile name",
         {StoreEdit::setTeamModels(supportTeam, {gpt4o, hostileModel})}},
        {"team models with a stale expectation",
         {StoreEdit::setTeamModels(supportTeam, {gpt4o})
              .expect(u"models"_s, QJsonArray{u"something-else"_s})}},
        {"default member models", {StoreEdit::setDefaultMemberModels(mlTeam, {claude})}},
        {"default member models where null is the empty list",
         {StoreEdit::setDefaultMemberModels(supportTeam, {gpt4o})
              .expect(u"default_team_member_models"_s, QJsonValue())}},
        {"default member models outside the team",
         {StoreEdit::setDefaultMemberModels(mlTeam, {u"text-embedding-3-small"_s})}},
        {"team alias", {StoreEdit::setTeamAlias(supportTeam, u"Support Bots (EU)"_s)}},
        {"hostile team alias, then an edit naming it",
         {StoreEdit::setTeamAlias(mlTeam, hostileAlias),
          StoreEdit::setMemberScope(hostileAlias, bob, {})}},
        {"team alias another team uses", {StoreEdit::setTeamAlias(supportTeam, u"ML Research"_s)}},
        {"team blocked", {StoreEdit::setTeamBlocked(supportTeam, true)}},
        {"team unblocked", {StoreEdit::setTeamBlocked(legacyTeam, false)}},
        {"team unblocked with a stale expectation",
         {StoreEdit::setTeamBlocked(mlTeam, false).expect(u"blocked"_s, true)}},
        // Keys
        {"key models by token", {StoreEdit::setKeyModels(searchProdKey, {gpt4o})}},
        {"key models by raw key", {StoreEdit::setKeyModels(davePersonalRawKey, {claude})}},
        {"key models cleared", {StoreEdit::setKeyModels(mlCiKey, {})}},
        {"key models with a hostile name", {StoreEdit::setKeyModels(mlCiKey, {hostileModel})}},
        {"key that does not exist", {StoreEdit::setKeyModels(u"sk-not-a-key-0000"_s, {gpt4o})}},
        {"key models with a stale expectation",
         {StoreEdit::setKeyModels(searchProdKey, {gpt4o})
              .expect(u"models"_s, QJsonArray{u"o1"_s})}},
        // Mixed
        {"a sequence touching every table",
         {StoreEdit::setTeamModels(mlTeam, {gpt4o, claude}), StoreEdit::addMember(mlTeam, carol),
          StoreEdit::setMemberScope(mlTeam, carol, {claude}), StoreEdit::removeMember(mlTeam, dave),
          StoreEdit::setKeyModels(bobNotebookKey, {gpt4o}),
          StoreEdit::setDefaultMemberModels(mlTeam, {})}},
    };
}

} // namespace litescope::test
