// The edit logic shared by every store that holds a whole workspace: the rows an edit leaves are
// the rows LiteLLM's /team/member_add, /team/member_update, /team/member_delete, /team/update and
// /key/update would leave (docs/litellm-schema.md §4).
#include "store/WorkspaceEdits.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

namespace litescope {

using namespace Qt::StringLiterals;

namespace {

constexpr auto allowedModelsField = "allowed_models"_L1;
constexpr auto modelsField = "models"_L1;
constexpr auto defaultMemberModelsField = "default_team_member_models"_L1;
constexpr auto teamAliasField = "team_alias"_L1;
constexpr auto blockedField = "blocked"_L1;
constexpr auto roleField = "role"_L1;
constexpr auto maxBudgetField = "max_budget"_L1;
constexpr auto tpmLimitField = "tpm_limit"_L1;
constexpr auto rpmLimitField = "rpm_limit"_L1;
constexpr auto memberField = "member"_L1;
constexpr auto userTeamsField = "teams"_L1;

// ---- How values appear in summaries and messages -----------------------------------------------

bool isInvisible(QChar c) {
    return c.category() == QChar::Other_Control || c.category() == QChar::Other_Format;
}

// Names are user data (10 KB names, quotes, bidi overrides, newlines): plain ones read as typed,
// the rest JSON-escaped, quoted and shortened so a summary stays one readable line.
QString shown(const QString& value) {
    constexpr qsizetype maxShown = 80;
    const bool plain = !value.isEmpty() && value.size() <= maxShown &&
                       std::none_of(value.cbegin(), value.cend(), [](QChar c) {
                           return isInvisible(c) || c.isSpace() || c == u'"' || c == u'\\' ||
                                  c == u',' || c == u'[' || c == u']';
                       });
    if (plain)
        return value;

    QStringView part = QStringView(value).left(maxShown);
    if (part.size() < value.size() && part.back().isHighSurrogate())
        part.chop(1); // never leave half an emoji behind
    QString out = u"\""_s;
    for (const QChar c : part) {
        if (c == u'"' || c == u'\\') {
            out += u'\\';
            out += c;
        } else if (isInvisible(c)) {
            out += u"\\u%1"_s.arg(static_cast<uint>(c.unicode()), 4, 16, QChar(u'0'));
        } else {
            out += c;
        }
    }
    if (part.size() < value.size())
        out += u'…';
    out += u'"';
    return out;
}

QString shownList(const QStringList& values) {
    constexpr qsizetype maxItems = 12;
    QStringList parts;
    for (qsizetype i = 0; i < values.size() && i < maxItems; ++i)
        parts.append(shown(values.at(i)));
    if (values.size() > maxItems)
        parts.append(u"… (%1 more)"_s.arg(values.size() - maxItems));
    return u'[' + parts.join(u", "_s) + u']';
}

// Any JSON value as it would be typed, strings quoted; for conflicts and limit changes.
QString shownJson(const QJsonValue& value) {
    if (value.isString()) {
        const QString text = shown(value.toString());
        return text.startsWith(u'"') ? text : u'"' + text + u'"';
    }
    if (value.isArray()) {
        QStringList parts;
        const QJsonArray array = value.toArray();
        for (const QJsonValue& element : array)
            parts.append(shownJson(element));
        return u'[' + parts.join(u", "_s) + u']';
    }
    if (value.isUndefined())
        return u"null"_s;
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

QString shownLimit(const QJsonValue& value) {
    return value.isNull() || value.isUndefined() ? u"none"_s : shownJson(value);
}

// Raw keys are secrets: messages show LiteLLM's own abbreviation, never the whole key.
QString shownKeyIdentifier(const QString& value) {
    if (value.startsWith(u"sk-"_s) && value.size() > 7)
        return u"sk-…"_s + value.right(4);
    return shown(value);
}

QString teamName(const Team& team) {
    return shown(team.alias.isEmpty() ? team.id : team.alias);
}

QString keyName(const Key& key) {
    return key.alias && !key.alias->isEmpty() ? shown(*key.alias) : shownKeyIdentifier(key.token);
}

QString scopeText(const QStringList& allowed) {
    return allowed.isEmpty() ? u"[] (all team models)"_s : shownList(allowed);
}

QStringList strings(const QJsonValue& array) {
    QStringList list;
    const QJsonArray elements = array.toArray();
    for (const QJsonValue& element : elements)
        list.append(element.toString());
    return list;
}

QJsonValue orNull(const std::optional<QString>& value) {
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonObject merged(QJsonObject a, const QJsonObject& b) {
    for (auto it = b.constBegin(); it != b.constEnd(); ++it)
        a.insert(it.key(), it.value());
    return a;
}

Error conflict(QString message) {
    return {ErrorKind::Conflict, std::move(message)};
}

// ---- Checks on what the admin asked for --------------------------------------------------------

std::optional<Error> checkModels(const QStringList& models, QLatin1StringView field) {
    QSet<QString> seen;
    for (qsizetype i = 0; i < models.size(); ++i) {
        const QString& name = models.at(i);
        const QString where = QString(field) + u'[' + QString::number(i) + u']';
        if (name.isEmpty())
            return Error::invalid(where + u": empty model name"_s);
        if (seen.contains(name))
            return Error::invalid(where + u": model "_s + shown(name) + u" is listed twice"_s);
        seen.insert(name);
    }
    return std::nullopt;
}

std::optional<Error> checkRole(const std::optional<QString>& role) {
    if (role && *role != u"user"_s && *role != u"admin"_s)
        return Error::invalid(u"role must be \"user\" or \"admin\", not "_s + shownJson(*role));
    return std::nullopt;
}

std::optional<Error> checkLimits(const StoreEdit& edit) {
    if (edit.maxBudget && *edit.maxBudget &&
        !(std::isfinite(**edit.maxBudget) && **edit.maxBudget >= 0))
        return Error::invalid(u"max_budget must be a number of at least 0, not "_s +
                              QString::number(**edit.maxBudget));
    const auto checkRate = [](const std::optional<std::optional<qint64>>& limit,
                              QLatin1StringView field) -> std::optional<Error> {
        if (limit && *limit && **limit < 0)
            return Error::invalid(QString(field) + u" must be at least 0, not "_s +
                                  QString::number(**limit));
        return std::nullopt;
    };
    if (auto error = checkRate(edit.tpmLimit, tpmLimitField))
        return error;
    return checkRate(edit.rpmLimit, rpmLimitField);
}

// ---- Finding what the admin named ---------------------------------------------------------------

const User* userById(const Workspace& ws, const QString& id) {
    const auto it = std::find_if(ws.users.cbegin(), ws.users.cend(),
                                 [&id](const User& u) { return u.id == id; });
    return it == ws.users.cend() ? nullptr : &*it;
}

QList<const User*> usersByEmail(const Workspace& ws, const QString& email) {
    QList<const User*> found;
    for (const User& u : ws.users) {
        // Case-insensitive, as LiteLLM's lower(user_email) index and the PostgreSQL store.
        if (u.email && u.email->compare(email, Qt::CaseInsensitive) == 0)
            found.append(&u);
    }
    return found;
}

qsizetype membershipIndex(const Workspace& ws, const QString& teamId, const QString& userId) {
    for (qsizetype i = 0; i < ws.teamMemberships.size(); ++i) {
        const TeamMembership& m = ws.teamMemberships.at(i);
        if (m.teamId == teamId && m.userId == userId)
            return i;
    }
    return -1;
}

const TeamMembership* membershipOf(const Workspace& ws, const QString& teamId,
                                   const std::optional<QString>& userId) {
    const qsizetype index = userId ? membershipIndex(ws, teamId, *userId) : -1;
    return index < 0 ? nullptr : &ws.teamMemberships.at(index);
}

Result<qsizetype> findKey(const Workspace& ws, const QString& identifier) {
    if (identifier.isEmpty())
        return Error::invalid(u"no key given"_s);
    const auto indexWhere = [&ws](auto matches) -> qsizetype {
        const auto it = std::find_if(ws.keys.cbegin(), ws.keys.cend(), matches);
        return it == ws.keys.cend() ? -1 : it - ws.keys.cbegin();
    };
    qsizetype index = indexWhere([&](const Key& k) { return k.token == identifier; });
    if (index < 0)
        index = indexWhere([&](const Key& k) { return k.alias == identifier; });
    if (index < 0) {
        const QString hash = QString::fromLatin1(
            QCryptographicHash::hash(identifier.toUtf8(), QCryptographicHash::Sha256).toHex());
        index = indexWhere(
            [&](const Key& k) { return k.token.compare(hash, Qt::CaseInsensitive) == 0; });
    }
    if (index < 0)
        return Error::notFound(u"no key with token, alias or raw key "_s +
                               shownKeyIdentifier(identifier));
    return index;
}

// A member as the roster holds them. Roster entries are matched by user_id; entries written
// without one (older LiteLLM, other tools) by their email.
struct MemberRef {
    std::optional<QString> rosterUserId;
    std::optional<QString> rosterEmail;
    std::optional<QString> userId; // for the membership and users rows
    std::optional<QString> email;
    QString role;
    QJsonObject rosterEntry;

    bool matches(const TeamMemberRole& entry) const {
        if (rosterUserId)
            return entry.userId == rosterUserId;
        return !entry.userId && entry.userEmail == rosterEmail;
    }

    QString display() const {
        return shown(email.value_or(userId.value_or(rosterEmail.value_or(QString()))));
    }
};

QJsonObject rosterJson(const TeamMemberRole& entry) {
    QJsonObject o = entry.original;
    o[u"user_id"_s] = orNull(entry.userId);
    o[u"user_email"_s] = orNull(entry.userEmail);
    o[roleField] = entry.role;
    return o;
}

MemberRef refOf(const Workspace& ws, const TeamMemberRole& entry) {
    MemberRef ref;
    ref.rosterUserId = entry.userId;
    if (!entry.userId)
        ref.rosterEmail = entry.userEmail;
    ref.userId = entry.userId;
    if (!ref.userId && entry.userEmail) {
        const QList<const User*> users = usersByEmail(ws, *entry.userEmail);
        if (users.size() == 1)
            ref.userId = users.front()->id;
    }
    ref.email = entry.userEmail;
    if (!ref.email && ref.userId) {
        if (const User* user = userById(ws, *ref.userId))
            ref.email = user->email;
    }
    ref.role = entry.role;
    ref.rosterEntry = rosterJson(entry);
    return ref;
}

QString notAMember(const QString& user, const Team& team) {
    return u"user "_s + shown(user) + u" is not a member of team "_s + teamName(team);
}

// By user_id first (the users row's email also finds a roster entry written with only an email),
// then by email, in the roster and in the users rows of the roster's members.
Result<MemberRef> findMember(const Workspace& ws, const Team& team, const QString& identifier) {
    if (identifier.isEmpty())
        return Error::invalid(u"no user given"_s);
    std::optional<QString> emailOfId;
    if (const User* user = userById(ws, identifier))
        emailOfId = user->email;
    for (const TeamMemberRole& entry : team.membersWithRoles) {
        if (entry.userId == identifier ||
            (!entry.userId && emailOfId && entry.userEmail == emailOfId))
            return refOf(ws, entry);
    }

    QList<MemberRef> found;
    for (const TeamMemberRole& entry : team.membersWithRoles) {
        const MemberRef ref = refOf(ws, entry);
        auto sameEmail = [&identifier](const std::optional<QString>& email) {
            return email && email->compare(identifier, Qt::CaseInsensitive) == 0;
        };
        if (!sameEmail(ref.email) && !sameEmail(entry.userEmail))
            continue;
        const bool known = std::any_of(found.cbegin(), found.cend(),
                                       [&entry](const MemberRef& r) { return r.matches(entry); });
        if (!known)
            found.append(ref);
    }
    if (found.size() == 1)
        return found.front();
    if (found.size() > 1) {
        QStringList ids;
        for (const MemberRef& ref : found)
            ids.append(ref.userId ? shown(*ref.userId) : u"(no user_id)"_s);
        return Error::invalid(u"user "_s + shown(identifier) + u" matches "_s +
                              QString::number(found.size()) + u" members of team "_s +
                              teamName(team) + u" (user_id "_s + ids.join(u", "_s) +
                              u"); name one by user_id"_s);
    }
    return Error::notFound(notAMember(identifier, team));
}

Result<QString> membershipUserId(const MemberRef& member, const Team& team) {
    if (member.userId)
        return *member.userId;
    return Error::invalid(u"member "_s + member.display() + u" of team "_s + teamName(team) +
                          u" has no user_id (a roster entry with only an email) and no single "
                          u"users row with that email, so it cannot have a membership row"_s);
}

// ---- The affected fields, for `expected` and the outcome ---------------------------------------

QJsonValue budgetValue(const TeamMembership* m, QLatin1StringView field) {
    if (!m)
        return QJsonValue::Null;
    const QJsonValue value = m->original.value(field);
    return value.isUndefined() ? QJsonValue(QJsonValue::Null) : value;
}

QJsonObject teamState(const Team& team) {
    return {{modelsField, QJsonArray::fromStringList(team.models)},
            {defaultMemberModelsField, QJsonArray::fromStringList(team.defaultTeamMemberModels)},
            {teamAliasField, team.alias},
            {blockedField, team.blocked}};
}

QJsonObject memberState(const Workspace& ws, const Team& team, const MemberRef& member) {
    const TeamMembership* m = membershipOf(ws, team.id, member.userId);
    return {{roleField, member.role},
            {allowedModelsField, QJsonArray::fromStringList(m ? m->allowedModels : QStringList())},
            {maxBudgetField, budgetValue(m, maxBudgetField)},
            {tpmLimitField, budgetValue(m, tpmLimitField)},
            {rpmLimitField, budgetValue(m, rpmLimitField)}};
}

QJsonObject keyState(const Key& key) {
    return {{modelsField, QJsonArray::fromStringList(key.models)},
            {u"key_alias"_s, orNull(key.alias)},
            {u"team_id"_s, orNull(key.teamId)},
            {blockedField, key.blocked}};
}

// JSON equality where 10 and 10.0 are the same number (editors and files spell them both ways).
bool sameJson(const QJsonValue& a, const QJsonValue& b) {
    if (a.isDouble() && b.isDouble())
        return a.toDouble() == b.toDouble();
    if (a.isArray() && b.isArray()) {
        const QJsonArray x = a.toArray(), y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!sameJson(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    return a == b;
}

std::optional<Error> checkExpected(const QJsonObject& expected, const QJsonObject& current,
                                   const QString& object) {
    QStringList unknown, changed;
    for (auto it = expected.constBegin(); it != expected.constEnd(); ++it) {
        if (!current.contains(it.key()))
            unknown.append(it.key());
        else if (!sameJson(it.value(), current.value(it.key())))
            changed.append(it.key() + u" is now "_s + shownJson(current.value(it.key())) +
                           u", expected "_s + shownJson(it.value()));
    }
    if (!unknown.isEmpty())
        return Error::invalid(object + u": cannot check "_s + unknown.join(u", "_s) +
                              u" for this edit (it checks "_s + current.keys().join(u", "_s) +
                              u')');
    if (!changed.isEmpty())
        return conflict(object + u" was changed by someone else: "_s + changed.join(u"; "_s) +
                        u"; nothing was written"_s);
    return std::nullopt;
}

// ---- Rows LiteLLM writes alongside
// ---------------------------------------------------------------

QString freshId() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// Budget rows can be shared: a team's default member budget, or a row another member, key or
// organization points at.
bool budgetShared(const Workspace& ws, const QString& budgetId, qsizetype exceptMembership) {
    for (qsizetype i = 0; i < ws.teamMemberships.size(); ++i) {
        if (i != exceptMembership && ws.teamMemberships.at(i).budgetId == budgetId)
            return true;
    }
    const auto refersTo = [&budgetId](const QJsonObject& original) {
        return original.value(u"budget_id"_s) == QJsonValue(budgetId);
    };
    const bool teamDefault = std::any_of(ws.teams.cbegin(), ws.teams.cend(), [&](const Team& t) {
        return t.original.value(u"metadata"_s).toObject().value(u"team_member_budget_id"_s) ==
               QJsonValue(budgetId);
    });
    return teamDefault ||
           std::any_of(ws.keys.cbegin(), ws.keys.cend(),
                       [&](const Key& k) { return refersTo(k.original); }) ||
           std::any_of(ws.organizations.cbegin(), ws.organizations.cend(),
                       [&](const Organization& o) { return refersTo(o.original); }) ||
           std::any_of(ws.users.cbegin(), ws.users.cend(),
                       [&](const User& u) { return refersTo(u.original); });
}

// The member's own membership row, upserted as /team/member_update does: a missing row (or one
// without a budget) gets a fresh budget, and a budget row someone else also uses is copied first
// so the edit never changes another member's scope or limits. The copy keeps the row's values.
TeamMembership& ownMembership(Workspace& ws, const QString& teamId, const QString& userId) {
    const qsizetype index = membershipIndex(ws, teamId, userId);
    if (index < 0) {
        ws.teamMemberships.append(TeamMembership{teamId, userId, freshId(), {}, {}});
        return ws.teamMemberships.back();
    }
    const std::optional<QString> budget = ws.teamMemberships.at(index).budgetId;
    const bool needsOwnBudget = !budget || budgetShared(ws, *budget, index);
    TeamMembership& m = ws.teamMemberships[index];
    if (needsOwnBudget)
        m.budgetId = freshId();
    return m;
}

// `LiteLLM_UserTable.teams`, the denormalized list of the user's teams; kept in the row's JSON.
void addUserTeam(User& user, const QString& teamId) {
    QJsonArray teams = user.original.value(userTeamsField).toArray();
    if (!teams.contains(QJsonValue(teamId)))
        teams.append(teamId);
    user.original[userTeamsField] = teams;
}

void removeUserTeam(User& user, const QString& teamId) {
    if (!user.original.value(userTeamsField).isArray())
        return;
    QJsonArray teams = user.original.value(userTeamsField).toArray();
    for (qsizetype i = teams.size() - 1; i >= 0; --i) {
        if (teams.at(i) == QJsonValue(teamId))
            teams.removeAt(i);
    }
    user.original[userTeamsField] = teams;
}

User* mutableUser(Workspace& ws, const QString& id) {
    const auto it =
        std::find_if(ws.users.begin(), ws.users.end(), [&id](const User& u) { return u.id == id; });
    return it == ws.users.end() ? nullptr : &*it;
}

// ---- The edits, each on a working copy --------------------------------------------------------

// The team and member an edit targets, with the object name for its messages.
struct MemberTarget {
    qsizetype team = -1;
    MemberRef member;
    QString object;
};

Result<MemberTarget> findMemberTarget(const Workspace& ws, const StoreEdit& edit) {
    const Result<qsizetype> team = findTeam(ws, edit.team);
    if (!team)
        return team.error();
    const Team& t = ws.teams.at(*team);
    Result<MemberRef> member = findMember(ws, t, edit.user);
    if (!member)
        return member.error();
    const QString object = u"team "_s + teamName(t) + u": member "_s + member->display();
    return MemberTarget{*team, std::move(member).value(), object};
}

Result<EditOutcome> setMemberScope(Workspace& ws, const StoreEdit& edit) {
    if (std::optional<Error> error = checkModels(edit.models, modelsField))
        return *error;
    Result<MemberTarget> target = findMemberTarget(ws, edit);
    if (!target)
        return target.error();
    const Team& team = ws.teams.at(target->team);
    if (std::optional<Error> error = checkExpected(
            edit.expected, merged(teamState(team), memberState(ws, team, target->member)),
            target->object))
        return *error;
    const Result<QString> userId = membershipUserId(target->member, team);
    if (!userId)
        return userId.error();

    const QString teamId = team.id;
    const TeamMembership* old = membershipOf(ws, teamId, *userId);
    const QStringList before = old ? old->allowedModels : QStringList();
    TeamMembership& m = ownMembership(ws, teamId, *userId);
    m.allowedModels = edit.models;
    return EditOutcome{target->object + u": allowed_models "_s + scopeText(before) + u" -> "_s +
                           scopeText(edit.models),
                       teamId,
                       {{allowedModelsField, QJsonArray::fromStringList(before)}},
                       {{allowedModelsField, QJsonArray::fromStringList(edit.models)}},
                       false};
}

Result<EditOutcome> updateMember(Workspace& ws, const StoreEdit& edit) {
    if (std::optional<Error> error = checkRole(edit.role))
        return *error;
    if (std::optional<Error> error = checkLimits(edit))
        return *error;
    if (!edit.role && !edit.maxBudget && !edit.tpmLimit && !edit.rpmLimit)
        return Error::invalid(
            u"nothing to update: give a role, max_budget, tpm_limit or rpm_limit"_s);
    Result<MemberTarget> target = findMemberTarget(ws, edit);
    if (!target)
        return target.error();
    const MemberRef& member = target->member;
    const QString teamId = ws.teams.at(target->team).id;
    const QJsonObject current = memberState(ws, ws.teams.at(target->team), member);
    if (std::optional<Error> error = checkExpected(
            edit.expected, merged(teamState(ws.teams.at(target->team)), current), target->object))
        return *error;

    // The limits given, as they will be stored (null clears one).
    QList<std::pair<QLatin1StringView, QJsonValue>> limits;
    if (edit.maxBudget)
        limits.append({maxBudgetField, *edit.maxBudget ? QJsonValue(**edit.maxBudget)
                                                       : QJsonValue(QJsonValue::Null)});
    if (edit.tpmLimit)
        limits.append({tpmLimitField, *edit.tpmLimit ? QJsonValue(**edit.tpmLimit)
                                                     : QJsonValue(QJsonValue::Null)});
    if (edit.rpmLimit)
        limits.append({rpmLimitField, *edit.rpmLimit ? QJsonValue(**edit.rpmLimit)
                                                     : QJsonValue(QJsonValue::Null)});
    // Clearing a limit of a member without a membership row changes nothing: no row is made.
    const bool setsALimit = std::any_of(limits.cbegin(), limits.cend(),
                                        [](const auto& limit) { return !limit.second.isNull(); });
    const bool hasRow = member.userId && membershipIndex(ws, teamId, *member.userId) >= 0;

    QJsonObject before, after;
    QStringList changes;
    if (!limits.isEmpty() && (setsALimit || hasRow)) {
        const Result<QString> userId = membershipUserId(member, ws.teams.at(target->team));
        if (!userId)
            return userId.error();
        TeamMembership& m = ownMembership(ws, teamId, *userId);
        for (const auto& [field, value] : limits)
            m.original[field] = value;
    }
    if (edit.role) {
        for (TeamMemberRole& entry : ws.teams[target->team].membersWithRoles) {
            if (member.matches(entry))
                entry.role = *edit.role;
        }
        before[roleField] = member.role;
        after[roleField] = *edit.role;
        changes.append(u"role "_s + shown(member.role) + u" -> "_s + *edit.role);
    }
    for (const auto& [field, value] : limits) {
        before[field] = current.value(field);
        after[field] = value;
        changes.append(QString(field) + u' ' + shownLimit(current.value(field)) + u" -> "_s +
                       shownLimit(value));
    }
    return EditOutcome{target->object + u": "_s + changes.join(u", "_s), teamId, before, after,
                       false};
}

Result<EditOutcome> addMember(Workspace& ws, const StoreEdit& edit) {
    const QString role = edit.role.value_or(u"user"_s);
    if (std::optional<Error> error = checkRole(role))
        return *error;
    if (edit.memberModels) {
        if (std::optional<Error> error = checkModels(*edit.memberModels, allowedModelsField))
            return *error;
    }
    const Result<qsizetype> teamIndex = findTeam(ws, edit.team);
    if (!teamIndex)
        return teamIndex.error();
    const Team& team = ws.teams.at(*teamIndex);
    if (edit.user.isEmpty())
        return Error::invalid(u"no user given"_s);
    for (const std::optional<QString>& identifier : {std::optional(edit.user), edit.email}) {
        if (!identifier)
            continue;
        const Result<MemberRef> existing = findMember(ws, team, *identifier);
        if (existing)
            return Error::invalid(u"user "_s + shown(*identifier) +
                                  u" is already a member of team "_s + teamName(team) +
                                  u" (role "_s + existing->role + u"); nothing was changed"_s);
        if (existing.error().kind != ErrorKind::NotFound)
            return existing.error();
    }
    const QString object = u"team "_s + teamName(team);
    if (std::optional<Error> error = checkExpected(edit.expected, teamState(team), object))
        return *error;

    // As /team/member_add: an existing user by id, then by email; otherwise a new internal user.
    const User* user = userById(ws, edit.user);
    if (!user) {
        const QList<const User*> byEmail = usersByEmail(ws, edit.user);
        if (byEmail.size() > 1) {
            QStringList ids;
            for (const User* u : byEmail)
                ids.append(shown(u->id));
            return Error::invalid(u"email "_s + shown(edit.user) + u" belongs to "_s +
                                  QString::number(byEmail.size()) + u" users (user_id "_s +
                                  ids.join(u", "_s) + u"); name one by user_id"_s);
        }
        if (byEmail.size() == 1)
            user = byEmail.front();
    }
    const QString teamId = team.id;
    const QString userId = user ? user->id : edit.user;
    // A new user named by an email gets it as user_email too, as in the PostgreSQL store.
    std::optional<QString> email = user && user->email ? user->email : edit.email;
    if (!email && !user && edit.user.contains(u'@'))
        email = edit.user;
    const bool createsUser = !user;
    const bool fromDefault = !edit.memberModels;
    const QStringList scope = edit.memberModels.value_or(team.defaultTeamMemberModels);

    TeamMemberRole entry{userId, email, role, {}};
    const QJsonObject entryJson = rosterJson(entry);
    ws.teams[*teamIndex].membersWithRoles.append(std::move(entry));
    if (createsUser) {
        ws.users.append(User{userId, email, u"internal_user"_s, {}, {}});
        addUserTeam(ws.users.back(), teamId);
    } else {
        addUserTeam(*mutableUser(ws, userId), teamId);
    }
    // member_add makes a membership row only for a scope; a row left behind by an earlier
    // membership would otherwise scope the new member with stale models.
    if (!scope.isEmpty() || membershipIndex(ws, teamId, userId) >= 0)
        ownMembership(ws, teamId, userId).allowedModels = scope;

    QString summary = object + u": added member "_s + shown(email.value_or(userId)) + u" ("_s +
                      role + u"), allowed_models "_s + scopeText(scope);
    if (fromDefault && !scope.isEmpty())
        summary += u" from default_team_member_models"_s;
    if (createsUser)
        summary += u"; created user "_s + shown(userId);
    return EditOutcome{
        summary,
        teamId,
        {{memberField, QJsonValue::Null}},
        {{memberField, entryJson}, {allowedModelsField, QJsonArray::fromStringList(scope)}},
        false};
}

Result<EditOutcome> removeMember(Workspace& ws, const StoreEdit& edit) {
    Result<MemberTarget> target = findMemberTarget(ws, edit);
    if (!target)
        return target.error();
    const MemberRef& member = target->member;
    const QString teamId = ws.teams.at(target->team).id;
    const QJsonObject state = memberState(ws, ws.teams.at(target->team), member);
    if (std::optional<Error> error = checkExpected(
            edit.expected, merged(teamState(ws.teams.at(target->team)), state), target->object))
        return *error;

    QList<TeamMemberRole>& roster = ws.teams[target->team].membersWithRoles;
    roster.removeIf([&member](const TeamMemberRole& entry) { return member.matches(entry); });
    if (member.userId) {
        const QString userId = *member.userId;
        ws.teamMemberships.removeIf(
            [&](const TeamMembership& m) { return m.teamId == teamId && m.userId == userId; });
        if (User* user = mutableUser(ws, userId))
            removeUserTeam(*user, teamId);
    }
    QJsonObject before = state;
    before.remove(roleField); // the roster entry carries it
    before[memberField] = member.rosterEntry;
    return EditOutcome{target->object + u": removed ("_s + member.role +
                           u"), allowed_models was "_s +
                           scopeText(strings(state.value(allowedModelsField))),
                       teamId,
                       before,
                       {{memberField, QJsonValue::Null}},
                       false};
}

// The team edits differ only in the field they set and how the change reads.
// set(Team&); describe(const QJsonValue& before) -> QString, the part after "team X: ".
template <typename Set, typename Describe>
Result<EditOutcome> editTeam(Workspace& ws, const StoreEdit& edit, QLatin1StringView field,
                             const QJsonValue& value, Set set, Describe describe) {
    const Result<qsizetype> index = findTeam(ws, edit.team);
    if (!index)
        return index.error();
    Team& team = ws.teams[*index];
    const QString object = u"team "_s + teamName(team);
    const QJsonObject state = teamState(team);
    if (std::optional<Error> error = checkExpected(edit.expected, state, object))
        return *error;
    set(team);
    return EditOutcome{object + u": "_s + describe(state.value(field)),
                       team.id,
                       {{field, state.value(field)}},
                       {{field, value}},
                       false};
}

Result<EditOutcome> setTeamList(Workspace& ws, const StoreEdit& edit, QLatin1StringView field) {
    if (std::optional<Error> error = checkModels(edit.models, field))
        return *error;
    const bool teamModels = field == modelsField;
    // [] in team models lets the team use every proxy model; an empty default scopes nobody.
    const auto text = [teamModels](const QStringList& models) -> QString {
        if (!models.isEmpty())
            return shownList(models);
        return teamModels ? u"[] (all proxy models)"_s : u"[] (none)"_s;
    };
    return editTeam(
        ws, edit, field, QJsonArray::fromStringList(edit.models),
        [&](Team& team) {
            (teamModels ? team.models : team.defaultTeamMemberModels) = edit.models;
        },
        [&](const QJsonValue& before) -> QString {
            return QString(field) + u' ' + text(strings(before)) + u" -> "_s + text(edit.models);
        });
}

Result<EditOutcome> setTeamAlias(Workspace& ws, const StoreEdit& edit) {
    const Result<qsizetype> index = findTeam(ws, edit.team);
    if (!index)
        return index.error();
    const QString teamId = ws.teams.at(*index).id;
    for (const Team& other : std::as_const(ws.teams)) {
        if (!edit.alias.isEmpty() && other.alias == edit.alias && other.id != teamId)
            return Error::invalid(u"team_alias "_s + shown(edit.alias) +
                                  u" is already used by team "_s + shown(other.id) +
                                  u"; two teams with one alias cannot be told apart"_s);
    }
    return editTeam(
        ws, edit, teamAliasField, edit.alias, [&](Team& team) { team.alias = edit.alias; },
        [&](const QJsonValue& before) -> QString {
            return u"team_alias "_s + shownJson(before) + u" -> "_s + shownJson(edit.alias);
        });
}

Result<EditOutcome> setTeamBlocked(Workspace& ws, const StoreEdit& edit) {
    return editTeam(
        ws, edit, blockedField, edit.blocked, [&](Team& team) { team.blocked = edit.blocked; },
        [&](const QJsonValue& before) -> QString {
            return u"blocked "_s + shownJson(before) + u" -> "_s + shownJson(edit.blocked);
        });
}

Result<EditOutcome> setKeyModels(Workspace& ws, const StoreEdit& edit) {
    if (std::optional<Error> error = checkModels(edit.models, modelsField))
        return *error;
    const Result<qsizetype> index = findKey(ws, edit.key);
    if (!index)
        return index.error();
    Key& key = ws.keys[*index];
    const QString object = u"key "_s + keyName(key);
    if (std::optional<Error> error = checkExpected(edit.expected, keyState(key), object))
        return *error;
    const QStringList before = key.models;
    key.models = edit.models;
    const auto text = [](const QStringList& models) -> QString {
        return models.isEmpty() ? u"[] (no key restriction)"_s : shownList(models);
    };
    return EditOutcome{object + u": models "_s + text(before) + u" -> "_s + text(edit.models),
                       key.token,
                       {{modelsField, QJsonArray::fromStringList(before)}},
                       {{modelsField, QJsonArray::fromStringList(edit.models)}},
                       false};
}

Result<EditOutcome> dispatch(Workspace& ws, const StoreEdit& edit) {
    switch (edit.kind) {
    case StoreEdit::Kind::SetMemberScope:
        return setMemberScope(ws, edit);
    case StoreEdit::Kind::UpdateMember:
        return updateMember(ws, edit);
    case StoreEdit::Kind::AddMember:
        return addMember(ws, edit);
    case StoreEdit::Kind::RemoveMember:
        return removeMember(ws, edit);
    case StoreEdit::Kind::SetTeamModels:
        return setTeamList(ws, edit, modelsField);
    case StoreEdit::Kind::SetDefaultMemberModels:
        return setTeamList(ws, edit, defaultMemberModelsField);
    case StoreEdit::Kind::SetTeamAlias:
        return setTeamAlias(ws, edit);
    case StoreEdit::Kind::SetTeamBlocked:
        return setTeamBlocked(ws, edit);
    case StoreEdit::Kind::SetKeyModels:
        return setKeyModels(ws, edit);
    }
    return Error::invalid(u"unknown kind of edit"_s);
}

} // namespace

Result<qsizetype> findTeam(const Workspace& ws, const QString& idOrAlias) {
    if (idOrAlias.isEmpty())
        return Error::invalid(u"no team given"_s);
    QList<qsizetype> byAlias;
    for (qsizetype i = 0; i < ws.teams.size(); ++i) {
        if (ws.teams.at(i).id == idOrAlias)
            return i;
        if (ws.teams.at(i).alias == idOrAlias)
            byAlias.append(i);
    }
    if (byAlias.size() == 1)
        return byAlias.front();
    if (byAlias.isEmpty())
        return Error::notFound(u"no team with team_id or team_alias "_s + shown(idOrAlias));
    QStringList ids;
    for (const qsizetype i : byAlias)
        ids.append(shown(ws.teams.at(i).id));
    return Error::invalid(u"team_alias "_s + shown(idOrAlias) + u" is used by "_s +
                          QString::number(byAlias.size()) + u" teams (team_id "_s +
                          ids.join(u", "_s) + u"); name one by team_id"_s);
}

QList<TeamMember> teamMembers(const Workspace& ws, const Team& team) {
    QList<TeamMember> members;
    members.reserve(team.membersWithRoles.size());
    for (const TeamMemberRole& entry : team.membersWithRoles) {
        const MemberRef ref = refOf(ws, entry);
        TeamMember member;
        member.userId = ref.userId.value_or(QString());
        member.email = ref.email;
        member.role = entry.role;
        if (const TeamMembership* m = membershipOf(ws, team.id, ref.userId)) {
            member.hasMembershipRow = true;
            member.budgetId = m->budgetId;
            member.allowedModels = m->allowedModels;
            const QJsonValue budget = m->original.value(maxBudgetField);
            if (budget.isDouble())
                member.maxBudget = budget.toDouble();
            const QJsonValue tpm = m->original.value(tpmLimitField);
            if (tpm.isDouble())
                member.tpmLimit = tpm.toInteger();
            const QJsonValue rpm = m->original.value(rpmLimitField);
            if (rpm.isDouble())
                member.rpmLimit = rpm.toInteger();
            member.spend = m->original.value(u"spend"_s).toDouble(0);
        }
        members.append(std::move(member));
    }
    return members;
}

Result<EditOutcome> applyEdit(Workspace& workspace, const StoreEdit& edit) {
    // Edits work on a copy (cheap: Qt's lists share until written) so a failure half-way through
    // leaves the caller's workspace as it was.
    Workspace working = workspace;
    Result<EditOutcome> outcome = dispatch(working, edit);
    if (outcome)
        workspace = std::move(working);
    return outcome;
}

} // namespace litescope
