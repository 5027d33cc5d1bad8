#pragma once

// Internal to the workspace edits (WorkspaceEdits.cpp): how values read in summaries, the checks
// on what the admin asked for, finding what the admin named, and the rows LiteLLM writes
// alongside an edit.
#include "domain/Result.h"
#include "domain/TranslationContexts.h"
#include "domain/Workspace.h"
#include "store/RosterLookup.h"
#include "store/StoreEdit.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace litescope::edits {

using namespace Qt::StringLiterals;

inline constexpr auto allowedModelsField = "allowed_models"_L1;
inline constexpr auto modelsField = "models"_L1;
inline constexpr auto defaultMemberModelsField = "default_team_member_models"_L1;
inline constexpr auto teamAliasField = "team_alias"_L1;
inline constexpr auto blockedField = "blocked"_L1;
inline constexpr auto roleField = "role"_L1;
inline constexpr auto maxBudgetField = "max_budget"_L1;
inline constexpr auto tpmLimitField = "tpm_limit"_L1;
inline constexpr auto rpmLimitField = "rpm_limit"_L1;
inline constexpr auto memberField = "member"_L1;
inline constexpr auto userTeamsField = "teams"_L1;

QString shown(const QString& value);

QString shownList(const QStringList& values);

QString shownJson(const QJsonValue& value);

QString shownLimit(const QJsonValue& value);

QString shownKeyIdentifier(const QString& value);

QString teamName(const Team& team);

QString keyName(const Key& key);

QString scopeText(const QStringList& allowed);

QStringList strings(const QJsonValue& array);

QJsonValue orNull(const std::optional<QString>& value);

QJsonObject merged(QJsonObject a, const QJsonObject& b);

Error conflict(QString message);

std::optional<Error> checkModels(const QStringList& models, QLatin1StringView field);

std::optional<Error> checkRole(const std::optional<QString>& role);

std::optional<Error> checkLimits(const StoreEdit& edit);

const User* userById(const Workspace& ws, const QString& id);

QList<const User*> usersByEmail(const Workspace& ws, const QString& email);

qsizetype membershipIndex(const Workspace& ws, const QString& teamId, const QString& userId);

const TeamMembership* membershipOf(const Workspace& ws, const QString& teamId,
                                   const std::optional<QString>& userId);

Result<qsizetype> findKey(const Workspace& ws, const QString& identifier);

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

QJsonObject rosterJson(const TeamMemberRole& entry);

MemberRef refOf(const RosterLookup& lookup, const TeamMemberRole& entry);

QString notAMember(const QString& user, const Team& team);

Result<MemberRef> findMember(const Workspace& ws, const Team& team, const QString& identifier);

Result<QString> membershipUserId(const MemberRef& member, const Team& team);

QJsonValue limitJson(const std::optional<double>& value);
QJsonValue limitJson(const std::optional<qint64>& value);

QJsonObject teamState(const Team& team);

QJsonObject memberState(const Workspace& ws, const Team& team, const MemberRef& member);

QJsonObject keyState(const Key& key);

bool sameJson(const QJsonValue& a, const QJsonValue& b);

std::optional<Error> checkExpected(const QJsonObject& expected, const QJsonObject& current,
                                   const QString& object);

QString freshId();

bool budgetShared(const Workspace& ws, const QString& budgetId, qsizetype exceptMembership);

TeamMembership& ownMembership(Workspace& ws, const QString& teamId, const QString& userId);

void addUserTeam(User& user, const QString& teamId);

void removeUserTeam(User& user, const QString& teamId);

User* mutableUser(Workspace& ws, const QString& id);

} // namespace litescope::edits
