#pragma once

#include "domain/UnknownFields.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace litescope {

// The domain types mirror LiteLLM's own rows and the workspace format
// (docs/workspace-format.md). Each entity keeps the fields of the JSON object it was read from
// that its typed members do not hold in `extra`, so that rewriting a workspace keeps the fields
// litescope does not know about. A few typed fields are kept there as read too, where the writer
// needs their spelling or presence (a team's model_id, a membership's "max_budget": null).

using StringMap = QMap<QString, QString>;

// A router `model_group_alias` entry: either "alias": "target" or
// "alias": {"model": "target", "hidden": true}. A hidden alias still resolves.
struct RouterAlias {
    QString target;
    bool hidden = false;
    // The object form as read ({"model": …, "hidden": …, and any other fields}); empty for the
    // plain "alias": "target" form.
    UnknownFields object;
};

struct ProxyModel {
    QString modelName;    // public name; contains '*' for wildcard deployments
    QString litellmModel; // litellm_params.model
    QString modelId;      // model_info.id, may be empty
    QStringList accessGroups;
    std::optional<QString> teamId; // model_info.team_id: a team-only (BYOK) deployment
    std::optional<QString> teamPublicModelName;
    UnknownFields extra;
};

struct AccessGroup {
    QString id;
    QString name;
    QStringList modelNames;
    QStringList assignedTeamIds;
    QStringList assignedKeyIds;
    UnknownFields extra;
};

struct Organization {
    QString id;
    QString alias;
    QStringList models;
    UnknownFields extra;
};

struct TeamMemberRole {
    std::optional<QString> userId;
    std::optional<QString> userEmail;
    QString role; // "admin" or "user"
    UnknownFields extra;
};

// The budget row LiteLLM's /team/member_add clones for a new member when no scope or budget is
// given: the team's default member budget (metadata.team_member_budget_id). Its allowed_models
// and limits become the new member's.
struct MemberBudget {
    QString budgetId;
    QStringList allowedModels;
    std::optional<double> maxBudget;
    std::optional<qint64> tpmLimit;
    std::optional<qint64> rpmLimit;
    UnknownFields extra; // the budget row's other fields (budget_duration, soft_budget, ...)
};

struct Team {
    QString id;
    QString alias;
    std::optional<QString> organizationId;
    QStringList models;
    QStringList defaultTeamMemberModels;
    bool blocked = false;
    QStringList accessGroupIds;
    StringMap modelAliases;
    QList<TeamMemberRole> membersWithRoles;
    // model_id: the team's LiteLLM_ModelTable row, where its model aliases live. LiteLLM keeps an
    // integer; it is kept as text, as the admin API and files may spell it either way.
    std::optional<QString> modelId;
    // "team_member_budget_table" in a workspace; none when the team has no default member budget
    // or the source could not read it.
    std::optional<MemberBudget> defaultMemberBudget;
    // router_settings.model_group_alias; none when router_settings is absent or empty. A team's
    // settings count only when its key has none (ProxyConfig._get_hierarchical_router_settings).
    std::optional<QMap<QString, RouterAlias>> routerAliases;
    UnknownFields extra;
};

// A member's row in LiteLLM_TeamMembership with the fields of its budget row, where LiteLLM
// keeps the member's model scope and limits.
struct TeamMembership {
    QString teamId;
    QString userId;
    std::optional<QString> budgetId;
    QStringList allowedModels; // empty = all team models
    std::optional<double> maxBudget;
    std::optional<qint64> tpmLimit;
    std::optional<qint64> rpmLimit;
    double spend = 0;
    UnknownFields extra;
};

struct User {
    QString id;
    std::optional<QString> email;
    QString role;
    QStringList models;
    // LiteLLM_UserTable.teams, the denormalized list of the user's team ids; none when the source
    // did not say (the engine then goes by the memberships).
    std::optional<QStringList> teams;
    UnknownFields extra;
};

struct Key {
    QString token; // raw key or its sha256 hash
    std::optional<QString> alias;
    std::optional<QString> teamId;
    std::optional<QString> userId;
    std::optional<QString> projectId;
    QStringList models;
    StringMap aliases;
    QStringList accessGroupIds;
    QJsonObject config;
    bool blocked = false;
    // router_settings.model_group_alias; none when router_settings is absent or empty (then the
    // team's count). Newer LiteLLM rewrites the requested model through it before any check.
    std::optional<QMap<QString, RouterAlias>> routerAliases;
    UnknownFields extra;
};

struct Project {
    QString id;
    QStringList models;
    bool blocked = false;
    UnknownFields extra;
};

enum class MultiTeamAccess { Union, Intersection };

struct Settings {
    StringMap modelAliasMap;
    bool personalKeyModelAccessFromTeams = false;
    MultiTeamAccess personalKeyMultiTeamAccess = MultiTeamAccess::Union;
    UnknownFields extra;
};

struct SourceInfo {
    QString kind; // postgres | api | file | demo
    QString label;
    QString capturedAt;
    QStringList unknown; // top-level fields the producer could not fill
    // Top-level fields the source cannot see at all (litellm_settings and the router's aliases
    // live in the proxy's config.yaml): filled with LiteLLM's defaults, and every decision that
    // depends on them says so. Unlike `unknown`, the answer is concrete.
    QStringList assumed;
    // What the producer wants the admin to know about the snapshot: rows it kept that refer to
    // rows that do not exist (keys of deleted teams), what it could not read, or fell back on.
    QStringList warnings;
    // The proxy's LiteLLM release ("1.97.2"), when the source knows it: the rules that changed
    // between releases follow it (LiteLLMProfile). Empty = not known: the newest rules, assumed.
    QString litellmVersion;
    UnknownFields extra;
};

struct Workspace {
    SourceInfo source;
    Settings settings;
    QList<ProxyModel> proxyModels;
    QMap<QString, RouterAlias> modelGroupAlias;
    StringMap modelProviders;
    QList<AccessGroup> accessGroups;
    QList<Organization> organizations;
    QList<Team> teams;
    QList<TeamMembership> teamMemberships;
    QList<User> users;
    QList<Key> keys;
    QList<Project> projects;
    UnknownFields extra;
};

} // namespace litescope
