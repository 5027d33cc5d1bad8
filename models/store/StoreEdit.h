#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace litescope {

// One change an admin makes, in LiteLLM's terms. A store applies it as one transaction that
// leaves the rows as LiteLLM's own endpoints would. Identifiers may be given as admins type them:
// a team id or alias, a user id or email, a key token hash, raw key or key alias.
struct StoreEdit {
    enum class Kind {
        SetMemberScope,         // budget row allowed_models; [] = all team models
        UpdateMember,           // role and limits; only the fields given are changed
        AddMember,              // members_with_roles, the user's teams, the membership
        RemoveMember,           // all three places
        SetTeamModels,          // team models
        SetDefaultMemberModels, // team default_team_member_models
        SetTeamAlias,           // team_alias
        SetTeamBlocked,         // blocked
        SetKeyModels,           // key models
    };

    Kind kind = Kind::SetMemberScope;
    QString team;
    QString user;
    QString key;
    QStringList models;

    // AddMember: the member's scope; nullopt seeds it from default_team_member_models, as
    // /team/member_add does when allowed_models is omitted.
    std::optional<QStringList> memberModels;
    std::optional<QString> email;
    // AddMember / UpdateMember: "user" or "admin".
    std::optional<QString> role;
    // UpdateMember: absent = leave alone; an empty inner optional = clear the limit.
    std::optional<std::optional<double>> maxBudget;
    std::optional<std::optional<qint64>> tpmLimit;
    std::optional<std::optional<qint64>> rpmLimit;
    QString alias;
    bool blocked = false;

    // What the editor believes the affected fields hold, by LiteLLM field name ("allowed_models",
    // "models", "default_team_member_models", "team_alias", "blocked", "role", "max_budget",
    // "tpm_limit", "rpm_limit"). When the stored values differ, nothing is written and the store
    // answers with a Conflict naming what changed. Empty = no check.
    QJsonObject expected;

    static StoreEdit setMemberScope(QString team, QString user, QStringList models);
    static StoreEdit addMember(QString team, QString user);
    static StoreEdit updateMember(QString team, QString user);
    static StoreEdit removeMember(QString team, QString user);
    static StoreEdit setTeamModels(QString team, QStringList models);
    static StoreEdit setDefaultMemberModels(QString team, QStringList models);
    static StoreEdit setTeamAlias(QString team, QString alias);
    static StoreEdit setTeamBlocked(QString team, bool blocked);
    static StoreEdit setKeyModels(QString key, QStringList models);

    StoreEdit& expect(const QString& field, const QJsonValue& value) {
        expected.insert(field, value);
        return *this;
    }
};

// What an applied edit changed, for the CLI's output, the undo stack and the audit view.
struct EditOutcome {
    QString summary;          // "team Search: member bob@x: allowed_models [gpt-4o] -> []"
    QString objectId;         // team_id, or the key's token hash
    QJsonObject before;       // the affected fields before
    QJsonObject after;        // and after
    bool auditLogged = false; // a LiteLLM_AuditLog row was written in the same transaction
    // The edits that take this one back, applied in order as a new change. Their `expected`
    // holds what this edit wrote, so an undo after someone else changed the row is a Conflict.
    QList<StoreEdit> undo;
};

} // namespace litescope
