#include "store/WorkspaceEditSupport.h"

#include "domain/DisplayText.h"
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

namespace litescope::edits {

// ---- How values appear in summaries and messages -----------------------------------------------

// Names are user data (10 KB names, quotes, bidi overrides, newlines): plain ones read as typed,
// the rest quoted, escaped and shortened so a summary stays one readable line.
QString shown(const QString& value) {
    constexpr qsizetype maxShown = 80;
    const bool plain =
        !value.isEmpty() && value.size() <= maxShown && !hasHiddenCharacters(value) &&
        std::none_of(value.cbegin(), value.cend(), [](QChar c) {
            return c.isSpace() || c == u'"' || c == u'\\' || c == u',' || c == u'[' || c == u']';
        });
    return plain ? value : quotedName(value, maxShown);
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

// Raw keys are secrets: messages never show any part of one (a mistyped raw key is most of a
// real one).
QString shownKeyIdentifier(const QString& value) {
    if (value.startsWith(u"sk-"_s))
        return u"sk-…"_s;
    return shown(value);
}

QString teamName(const Team& team) {
    return shown(team.alias.isEmpty() ? team.id : team.alias);
}

QString keyName(const Key& key) {
    if (key.alias && !key.alias->isEmpty())
        return shown(*key.alias);
    // A token hash is 64 hex digits; its first 12 tell keys apart in a summary.
    if (key.token.size() > 16 && !key.token.startsWith(u"sk-"_s))
        return key.token.left(12) + u'…';
    return shownKeyIdentifier(key.token);
}

QString scopeText(const QStringList& allowed) {
    return allowed.isEmpty() ? EditText::tr("[] (all team models)") : shownList(allowed);
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
            return Error::invalid(EditText::tr("%1: empty model name").arg(where));
        if (seen.contains(name))
            return Error::invalid(
                EditText::tr("%1: model %2 is listed twice").arg(where, shown(name)));
        seen.insert(name);
    }
    return std::nullopt;
}

std::optional<Error> checkRole(const std::optional<QString>& role) {
    if (role && *role != u"user"_s && *role != u"admin"_s)
        return Error::invalid(
            EditText::tr("role must be \"user\" or \"admin\", not %1").arg(shownJson(*role)));
    return std::nullopt;
}

std::optional<Error> checkLimits(const StoreEdit& edit) {
    if (edit.maxBudget && *edit.maxBudget &&
        !(std::isfinite(**edit.maxBudget) && **edit.maxBudget >= 0))
        return Error::invalid(EditText::tr("max_budget must be a number of at least 0, not %1")
                                  .arg(QString::number(**edit.maxBudget)));
    const auto checkRate = [](const std::optional<std::optional<qint64>>& limit,
                              QLatin1StringView field) -> std::optional<Error> {
        if (limit && *limit && **limit < 0)
            return Error::invalid(EditText::tr("%1 must be at least 0, not %2")
                                      .arg(QString(field), QString::number(**limit)));
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
        return Error::invalid(EditText::tr("no key given"));
    const auto indexWhere = [&ws](auto matches) -> qsizetype {
        const auto it = std::find_if(ws.keys.cbegin(), ws.keys.cend(), matches);
        return it == ws.keys.cend() ? -1 : it - ws.keys.cbegin();
    };
    qsizetype index = indexWhere([&](const Key& k) { return k.token == identifier; });
    if (index < 0) {
        // Aliases are not unique in LiteLLM: one that names several keys names none of them.
        QStringList shared;
        for (qsizetype i = 0; i < ws.keys.size(); ++i) {
            if (ws.keys.at(i).alias == identifier) {
                index = index < 0 ? i : index;
                shared.append(ws.keys.at(i).token);
            }
        }
        if (shared.size() > 1)
            return keyAliasShared(identifier, shared);
    }
    if (index < 0) {
        const QString hash = QString::fromLatin1(
            QCryptographicHash::hash(identifier.toUtf8(), QCryptographicHash::Sha256).toHex());
        index = indexWhere(
            [&](const Key& k) { return k.token.compare(hash, Qt::CaseInsensitive) == 0; });
    }
    if (index < 0)
        return keyNotFound(identifier);
    return index;
}

QJsonObject rosterJson(const TeamMemberRole& entry) {
    QJsonObject o = entry.extra.toObject();
    o[u"user_id"_s] = orNull(entry.userId);
    o[u"user_email"_s] = orNull(entry.userEmail);
    o[roleField] = entry.role;
    return o;
}

MemberRef refOf(const RosterLookup& lookup, const TeamMemberRole& entry) {
    MemberRef ref;
    ref.rosterUserId = entry.userId;
    if (!entry.userId)
        ref.rosterEmail = entry.userEmail;
    ref.userId = entry.userId;
    if (!ref.userId && entry.userEmail) {
        const QList<const User*> users = lookup.usersByEmail(*entry.userEmail);
        if (users.size() == 1)
            ref.userId = users.front()->id;
    }
    ref.email = entry.userEmail;
    if (!ref.email && ref.userId) {
        if (const User* user = lookup.userById(*ref.userId))
            ref.email = user->email;
    }
    ref.role = entry.role;
    ref.rosterEntry = rosterJson(entry);
    return ref;
}

QString notAMember(const QString& user, const Team& team) {
    return EditText::tr("user %1 is not a member of team %2").arg(shown(user), teamName(team));
}

namespace {

// Equal for two roster entries exactly when the MemberRef of one matches() the other.
QString rosterKey(const TeamMemberRole& entry) {
    if (entry.userId)
        return u"id:"_s + *entry.userId;
    return entry.userEmail ? u"email:"_s + *entry.userEmail : u"none"_s;
}

} // namespace

// By user_id first (the users row's email also finds a roster entry written with only an email),
// then by email, in the roster and in the users rows of the roster's members.
Result<MemberRef> findMember(const Workspace& ws, const Team& team, const QString& identifier) {
    if (identifier.isEmpty())
        return Error::invalid(EditText::tr("no user given"));
    std::optional<QString> emailOfId;
    const RosterLookup lookup(ws, team.id);
    if (const User* user = lookup.userById(identifier))
        emailOfId = user->email;
    for (const TeamMemberRole& entry : team.membersWithRoles) {
        if (entry.userId == identifier ||
            (!entry.userId && emailOfId && entry.userEmail == emailOfId))
            return refOf(lookup, entry);
    }

    QList<MemberRef> found;
    QSet<QString> foundEntries;
    for (const TeamMemberRole& entry : team.membersWithRoles) {
        const MemberRef ref = refOf(lookup, entry);
        auto sameEmail = [&identifier](const std::optional<QString>& email) {
            return email && email->compare(identifier, Qt::CaseInsensitive) == 0;
        };
        if (!sameEmail(ref.email) && !sameEmail(entry.userEmail))
            continue;
        // MemberRef::matches by key: a roster can repeat one email many times.
        if (!foundEntries.contains(rosterKey(entry))) {
            foundEntries.insert(rosterKey(entry));
            found.append(ref);
        }
    }
    if (found.size() == 1)
        return found.front();
    if (found.size() > 1) {
        QStringList ids;
        for (const MemberRef& ref : found)
            ids.append(ref.userId ? shown(*ref.userId) : u"(no user_id)"_s);
        return Error::invalid(
            EditText::tr("user %1 matches %2 members of team %3 (user_id %4); name one by user_id")
                .arg(shown(identifier), QString::number(found.size()), teamName(team),
                     ids.join(u", "_s)));
    }
    return Error::notFound(notAMember(identifier, team));
}

Result<QString> membershipUserId(const MemberRef& member, const Team& team) {
    if (member.userId)
        return *member.userId;
    return Error::invalid(
        EditText::tr("member %1 of team %2 has no user_id (a roster entry with only an email) and "
                     "no single users row with that email, so it cannot have a membership row")
            .arg(member.display(), teamName(team)));
}

// ---- The affected fields, for `expected` and the outcome ---------------------------------------

QJsonValue limitJson(const std::optional<double>& value) {
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue limitJson(const std::optional<qint64>& value) {
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonObject teamState(const Team& team) {
    return {{modelsField, QJsonArray::fromStringList(team.models)},
            {defaultMemberModelsField, QJsonArray::fromStringList(team.defaultTeamMemberModels)},
            {teamAliasField, team.alias},
            {blockedField, team.blocked}};
}

QJsonObject memberState(const Workspace& ws, const Team& team, const MemberRef& member) {
    const TeamMembership* m = membershipOf(ws, team.id, member.userId);
    const TeamMembership none;
    const TeamMembership& row = m ? *m : none;
    return {{roleField, member.role},
            {allowedModelsField, QJsonArray::fromStringList(row.allowedModels)},
            {maxBudgetField, limitJson(row.maxBudget)},
            {tpmLimitField, limitJson(row.tpmLimit)},
            {rpmLimitField, limitJson(row.rpmLimit)}};
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

// As LiteLLM stores values: a NULL list is the empty list, a NULL team_alias is no alias.
bool sameStored(const QJsonValue& expected, const QJsonValue& current) {
    const auto isEmptyValue = [](const QJsonValue& v) {
        return (v.isArray() && v.toArray().isEmpty()) || (v.isString() && v.toString().isEmpty());
    };
    if ((expected.isNull() || expected.isUndefined()) && isEmptyValue(current))
        return true;
    return sameJson(expected, current);
}

std::optional<Error> checkExpected(const QJsonObject& expected, const QJsonObject& current,
                                   const QString& object) {
    QStringList unknown, changed;
    for (auto it = expected.constBegin(); it != expected.constEnd(); ++it) {
        if (!current.contains(it.key()))
            unknown.append(it.key());
        else if (!sameStored(it.value(), current.value(it.key())))
            changed.append(
                EditText::tr("%1 is now %2, expected %3")
                    .arg(it.key(), shownJson(current.value(it.key())), shownJson(it.value())));
    }
    if (!unknown.isEmpty())
        return Error::invalid(
            EditText::tr("%1: cannot check %2 for this edit (it checks %3)")
                .arg(object, unknown.join(u", "_s), current.keys().join(u", "_s)));
    if (!changed.isEmpty())
        return conflict(EditText::tr("%1 was changed by someone else: %2; nothing was written")
                            .arg(object, changed.join(u"; "_s)));
    return std::nullopt;
}

// ---- Rows LiteLLM writes alongside -------------------------------------------------------------

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
    const auto refersTo = [&budgetId](const UnknownFields& extra) {
        return extra.value(u"budget_id") == QJsonValue(budgetId);
    };
    const bool teamDefault = std::any_of(ws.teams.cbegin(), ws.teams.cend(), [&](const Team& t) {
        return (t.defaultMemberBudget && t.defaultMemberBudget->budgetId == budgetId) ||
               t.extra.value(u"metadata").toObject().value(u"team_member_budget_id"_s) ==
                   QJsonValue(budgetId);
    });
    return teamDefault ||
           std::any_of(ws.keys.cbegin(), ws.keys.cend(),
                       [&](const Key& k) { return refersTo(k.extra); }) ||
           std::any_of(ws.organizations.cbegin(), ws.organizations.cend(),
                       [&](const Organization& o) { return refersTo(o.extra); }) ||
           std::any_of(ws.users.cbegin(), ws.users.cend(),
                       [&](const User& u) { return refersTo(u.extra); });
}

// The member's own membership row, upserted as /team/member_update does: a missing row (or one
// without a budget) gets a fresh budget, and a budget row someone else also uses is copied first
// so the edit never changes another member's scope or limits. The copy keeps the row's values.
// Copying is deliberate in every release: LiteLLM before 1.103.0 (PR #41632) changed a row shared
// with the team's default or other members in place, silently changing their scopes too.
TeamMembership& ownMembership(Workspace& ws, const QString& teamId, const QString& userId) {
    const qsizetype index = membershipIndex(ws, teamId, userId);
    if (index < 0) {
        TeamMembership fresh;
        fresh.teamId = teamId;
        fresh.userId = userId;
        fresh.budgetId = freshId();
        ws.teamMemberships.append(std::move(fresh));
        return ws.teamMemberships.back();
    }
    const std::optional<QString> budget = ws.teamMemberships.at(index).budgetId;
    const bool needsOwnBudget = !budget || budgetShared(ws, *budget, index);
    TeamMembership& m = ws.teamMemberships[index];
    if (needsOwnBudget)
        m.budgetId = freshId();
    return m;
}

// `LiteLLM_UserTable.teams`, the denormalized list of the user's teams.
void addUserTeam(User& user, const QString& teamId) {
    if (!user.teams)
        user.teams = QStringList();
    if (!user.teams->contains(teamId))
        user.teams->append(teamId);
}

void removeUserTeam(User& user, const QString& teamId) {
    if (user.teams)
        user.teams->removeAll(teamId);
}

User* mutableUser(Workspace& ws, const QString& id) {
    const auto it =
        std::find_if(ws.users.begin(), ws.users.end(), [&id](const User& u) { return u.id == id; });
    return it == ws.users.end() ? nullptr : &*it;
}

} // namespace litescope::edits
