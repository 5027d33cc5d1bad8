#include "store/WorkspaceMemberBudget.h"

#include "domain/TranslationContexts.h"

#include <QJsonArray>
#include <QJsonValue>

#include <algorithm>

namespace litescope::edits {

namespace {

// "Set" as LiteLLM's helper reads a budget field: not None and not an empty list.
bool isSet(const QJsonValue& value) {
    if (value.isNull() || value.isUndefined())
        return false;
    return !(value.isArray() && value.toArray().isEmpty());
}

} // namespace

bool holdsNoLimit(const TeamMembership& membership) {
    if (!membership.allowedModels.isEmpty() || membership.maxBudget || membership.tpmLimit ||
        membership.rpmLimit)
        return false;
    return std::none_of(otherBudgetLimits.cbegin(), otherBudgetLimits.cend(),
                        [&membership](QLatin1StringView field) {
                            return isSet(membership.extra.value(QString(field)));
                        });
}

std::optional<QString> unlinkBudget(Workspace& ws, qsizetype index, QList<RowWrite>& writes) {
    TeamMembership& m = ws.teamMemberships[index];
    const std::optional<QString> budget = m.budgetId;
    // Without a row the member reads as the team's defaults: what is left is what an unlinked
    // membership reads as.
    m.budgetId.reset();
    m.allowedModels.clear();
    m.maxBudget.reset();
    m.tpmLimit.reset();
    m.rpmLimit.reset();
    for (QLatin1StringView field : otherBudgetLimits)
        m.extra.remove(QString(field));
    if (budget) {
        RowWrite write;
        write.kind = RowWrite::Kind::UnlinkMemberBudget;
        write.teamId = m.teamId;
        write.userId = m.userId;
        write.columns = {{u"budget_id"_s, *budget}};
        writes.append(std::move(write));
    }
    return budget;
}

bool unlinks(const LiteLLMProfile& profile, const TeamMembership& changed) {
    return profile.has(VersionedRule::MemberBudgetUnlink) && holdsNoLimit(changed);
}

QString unlinkedText(const std::optional<QString>& budget) {
    if (!budget)
        return {};
    return EditText::tr("; unlinked from its budget row, which would hold no limit (LiteLLM %1 "
                        "and later): the member falls back to the team's defaults")
        .arg(ruleInfo(VersionedRule::MemberBudgetUnlink).since.toString());
}

} // namespace litescope::edits
