#pragma once

#include "domain/Workspace.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace litescope::test::fakejson {

// The JSON shapes LiteLLM v1.96 answers with (shared/docs/litellm-admin-api.md), built from the
// fake proxy's Workspace. Counters, spend and budgets the Workspace does not model are fixed
// values (spend 0, max_budget null) so tests can compare whole objects.

QJsonValue optionalString(const std::optional<QString>& value);
QJsonArray strings(const QStringList& values);

// The teams a user belongs to: `original["teams"]` when the dataset has it, else the teams whose
// members_with_roles name the user.
QStringList userTeams(const Workspace& data, const User& user);

// What the list routes need about every row they answer with (key counts, a team's keys and
// memberships, a user's teams), computed once for a state of the data: a big proxy read page by
// page would otherwise cost a scan of every key per team and per user.
struct FakeIndex {
    explicit FakeIndex(const Workspace& data);

    QHash<QString, QList<qsizetype>> keysOfTeam;        // rows of data.keys
    QHash<QString, QList<qsizetype>> membershipsOfTeam; // rows of data.teamMemberships
    QHash<QString, qint64> keyCountOfUser;
    QHash<QString, QStringList> rosterTeamsOfUser; // teams whose members_with_roles name the user
};
QStringList userTeams(const FakeIndex& index, const User& user);

QJsonObject teamObject(const Workspace& data, const Team& team);
QJsonObject teamObject(const Team& team, qint64 keyCount);
QJsonObject teamInfoObject(const Workspace& data, const Team& team); // + litellm_model_table
QJsonObject teamInfoObject(const Team& team, qint64 keyCount);
QJsonObject membershipObject(const TeamMembership& membership);
QJsonObject keyObject(const Key& key);
QJsonObject userObject(const Workspace& data, const User& user);
QJsonObject userObject(const User& user, const QStringList& teams, qint64 keyCount);
QJsonObject modelObject(const ProxyModel& model);
QJsonObject organizationObject(const Organization& organization);
QJsonObject accessGroupObject(const AccessGroup& group);
QJsonObject projectObject(const Project& project);
QJsonObject routerAliases(const Workspace& data);

// Python's repr() of a string: how LiteLLM's HTTPException details end up in messages.
QString pythonRepr(const QString& text);
QString pythonList(const QStringList& items);
// "{'error': '<text>'}": the message of an HTTPException(detail={"error": text}) after
// handle_exception_on_proxy wrapped it.
QString pythonErrorDict(const QString& text);

// {"error": {"message", "type", "param", "code"}}: LiteLLM's ProxyException body.
QJsonObject proxyError(const QString& message, const QString& type, const QString& param, int code);
// One entry of a FastAPI 422 body's "detail" array.
QJsonObject validationIssue(const QString& type, const QJsonArray& location, const QString& message,
                            const QJsonValue& input);
QJsonObject validationError(const QJsonArray& issues); // {"detail": issues}
// An RFC 7807 problem document, as the /management/v1 routes answer errors (ManagementProblem):
// {type: <base>/<slug>, title, status, detail}.
QJsonObject problem(const QString& slug, const QString& title, int status, const QString& detail);

} // namespace litescope::test::fakejson
