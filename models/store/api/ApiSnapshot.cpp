#include "store/api/ApiSnapshot.h"

#include "domain/DisplayText.h"
#include "domain/TranslationContexts.h"
#include "engine/LiteLLMRelease.h"
#include "workspace/WorkspaceJson.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace litescope::api {

namespace {

// Entities in first-seen order with duplicate ids dropped: pages read while the proxy changes
// can repeat an entry.
QJsonArray uniqueBy(const QJsonArray& entities, const QString& idField,
                    QJsonObject (*convert)(const QJsonObject&)) {
    QJsonArray out;
    QSet<QString> seen;
    for (const QJsonValue& value : entities) {
        const QJsonObject entity = convert(value.toObject());
        const QString id = entity.value(idField).toString();
        if (seen.contains(id))
            continue;
        seen.insert(id);
        out.append(entity);
    }
    return out;
}

// The entities in first-seen order with duplicate ids dropped, as uniqueBy.
std::vector<qsizetype> firstOfEachId(const EntityTexts& entities) {
    std::vector<qsizetype> kept;
    kept.reserve(std::size_t(entities.size()));
    QSet<QString> seen;
    seen.reserve(entities.size());
    for (qsizetype i = 0; i < entities.size(); ++i) {
        const QString& id = entities.id(i);
        if (seen.contains(id))
            continue;
        seen.insert(id);
        kept.push_back(i);
    }
    return kept;
}

// ,"name":[entity,entity,...]
void appendArray(QByteArray& text, const char* name, const EntityTexts& entities,
                 const std::vector<qsizetype>& kept) {
    text.append(",\"").append(name).append("\":[");
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (i > 0)
            text.append(',');
        text.append(entities.text(kept[i]));
    }
    text.append(']');
}

bool anyNonEmpty(const QJsonArray& entities, const QString& field) {
    for (const QJsonValue& value : entities) {
        const QJsonValue v = value.toObject().value(field);
        if ((v.isArray() && !v.toArray().isEmpty()) || (v.isString() && !v.toString().isEmpty()))
            return true;
    }
    return false;
}

// The aliases LiteLLM writes when a team adds its own deployment (/model/new with a team_id):
// the public name the team uses -> the deployment's internal model_name. By team id, for every
// team in one pass over the deployments.
QHash<QString, QJsonObject> byokAliases(const QJsonArray& proxyModels) {
    QHash<QString, QJsonObject> aliases;
    for (const QJsonValue& value : proxyModels) {
        const QJsonObject model = value.toObject();
        const QJsonObject info = model.value(u"model_info"_s).toObject();
        const QString publicName = info.value(u"team_public_model_name"_s).toString();
        if (!publicName.isEmpty())
            aliases[info.value(u"team_id"_s).toString()].insert(publicName,
                                                                model.value(u"model_name"_s));
    }
    return aliases;
}

QJsonObject settingsEntity(const QJsonObject& given) {
    QJsonObject out;
    for (const QString& field : {u"model_alias_map"_s, u"personal_key_model_access_from_teams"_s,
                                 u"personal_key_multi_team_access"_s}) {
        if (given.contains(field))
            out.insert(field, given.value(field));
    }
    return out;
}

// Why the snapshot does not know the proxy's release, or empty when it does.
QString versionWarning(const SnapshotParts& parts) {
    if (!reportedRelease(parts.litellmVersion).isEmpty())
        return {};
    const QString assumed =
        ApiText::tr("its rules are taken to be those of the newest release litescope knows "
                    "(LiteLLM %1), marked \"assumed\"; give --litellm-version to say which "
                    "release it is")
            .arg(newestKnownRelease().toString());
    if (!parts.readinessProblem.isEmpty())
        return ApiText::tr("The proxy's /health/readiness could not be read (%1), so its LiteLLM "
                           "release is not known: %2.")
            .arg(parts.readinessProblem, assumed);
    if (!parts.litellmVersion.isEmpty())
        return ApiText::tr("The proxy's /health/readiness names its release %1, which is not "
                           "a LiteLLM version: %2.")
            .arg(quotedName(parts.litellmVersion), assumed);
    return ApiText::tr("The proxy's /health/readiness does not show its LiteLLM release: %1.")
        .arg(assumed);
}

} // namespace

QString reportedRelease(const QString& litellmVersion) {
    const std::optional<LiteLLMVersion> parsed = LiteLLMVersion::parse(litellmVersion);
    return parsed ? parsed->toString() : QString();
}

Result<Workspace> assembleSnapshot(SnapshotParts parts) {
    QStringList unknown;
    QStringList assumed;
    QStringList& warnings = parts.warnings;
    QJsonObject document{{u"format"_s, u"litescope-workspace"_s}, {u"version"_s, 1}};

    if (parts.litellmSettings) {
        document.insert(u"settings"_s, settingsEntity(*parts.litellmSettings));
    } else {
        // litellm_settings live in the proxy's config.yaml and no admin endpoint returns them:
        // decided with LiteLLM's defaults, as the database store does without them.
        assumed.append(u"settings"_s);
    }
    if (parts.routerAliases) {
        document.insert(u"model_group_alias"_s, *parts.routerAliases);
    } else {
        // Neither /get/config/callbacks nor /router/settings answered.
        assumed.append(u"model_group_alias"_s);
    }
    // The rules that changed between releases follow the one the proxy reports.
    const QString release = reportedRelease(parts.litellmVersion);
    if (const QString warning = versionWarning(parts); !warning.isEmpty()) {
        assumed.append(u"litellm_version"_s);
        warnings.append(warning);
    }

    QJsonArray teams, memberships;
    QSet<QString> teamIds;
    bool aliasesHidden = false;
    std::optional<QHash<QString, QJsonObject>> teamAliases;
    for (const TeamInfo& info : parts.teams) {
        const QString id = info.team.value(u"team_id"_s).toString();
        if (teamIds.contains(id))
            continue;
        teamIds.insert(id);
        QJsonObject team = info.team;
        if (info.modelAliasesHidden) {
            aliasesHidden = true;
            if (!teamAliases)
                teamAliases = byokAliases(parts.proxyModels);
            team.insert(u"model_aliases"_s, teamAliases->value(id));
            warnings.append(
                ApiText::tr("team %1 has a model table that /team/info does not show: its "
                            "model aliases are known only for the team's own deployments")
                    .arg(id));
        }
        teams.append(team);
        for (const QJsonValue& membership : info.memberships)
            memberships.append(membership);
    }
    if (aliasesHidden)
        unknown.append(u"teams.model_aliases"_s);

    if (parts.organizations) {
        document.insert(u"organizations"_s,
                        uniqueBy(*parts.organizations, u"organization_id"_s, organizationEntity));
    } else {
        // Organizations are recorded but not enforced on requests: the teams stay usable.
        for (qsizetype i = 0; i < teams.size(); ++i) {
            QJsonObject team = teams.at(i).toObject();
            team.remove(u"organization_id"_s);
            teams[i] = team;
        }
        warnings.append(
            ApiText::tr("The proxy did not list organizations; teams are shown without them."));
    }

    // Keys of deleted teams stay: releases before 1.99.0 still serve them (rebuilding the team
    // from the key's row), newer ones refuse them; the engine decides which by the release.
    const std::vector<qsizetype> keys = firstOfEachId(parts.keys);
    const auto orphanKeys = std::ranges::count_if(keys, [&](qsizetype key) {
        const QString& team = parts.keys.reference(key);
        return !team.isNull() && !teamIds.contains(team);
    });
    if (orphanKeys > 0 &&
        LiteLLMProfile::fromSource(release).has(VersionedRule::MissingTeamRefused))
        warnings.append(ApiText::tr("%n key(s) belong to teams that no longer exist; LiteLLM %1 "
                                    "and newer refuse their requests",
                                    nullptr, int(orphanKeys))
                            .arg(ruleInfo(VersionedRule::MissingTeamRefused).since.toString()));
    else if (orphanKeys > 0)
        warnings.append(ApiText::tr("%n key(s) belong to teams that no longer exist; LiteLLM still "
                                    "serves them, with no team limits",
                                    nullptr, int(orphanKeys)));

    if (parts.accessGroups) {
        document.insert(u"access_groups"_s,
                        uniqueBy(*parts.accessGroups, u"access_group_id"_s, accessGroupEntity));
    } else if (anyNonEmpty(teams, u"access_group_ids"_s) || parts.keys.anyAccessGroupIds) {
        unknown.append(u"access_groups"_s);
        warnings.append(ApiText::tr("Teams or keys name access groups, but the proxy has no "
                                    "/v1/access_group endpoint to show them."));
    }
    if (parts.projects) {
        document.insert(u"projects"_s, uniqueBy(*parts.projects, u"project_id"_s, projectEntity));
    } else if (parts.keys.anyProjectId) {
        unknown.append(u"projects"_s);
        warnings.append(ApiText::tr("Keys belong to projects, but the proxy has no /project/list "
                                    "endpoint to show them."));
    }

    QJsonArray models;
    for (const QJsonValue& model : parts.proxyModels)
        models.append(proxyModelEntity(model.toObject()));
    document.insert(u"proxy_models"_s, models);
    document.insert(u"teams"_s, teams);
    document.insert(u"team_memberships"_s, memberships);

    QJsonObject source{{u"kind"_s, u"api"_s},
                       {u"label"_s, parts.label},
                       {u"captured_at"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
                       {u"unknown"_s, QJsonArray::fromStringList(unknown)}};
    if (!release.isEmpty())
        source.insert(u"litellm_version"_s, release);
    if (!assumed.isEmpty())
        source.insert(u"assumed"_s, QJsonArray::fromStringList(assumed));
    if (!warnings.isEmpty())
        source.insert(u"warnings"_s, QJsonArray::fromStringList(warnings));
    document.insert(u"source"_s, source);

    // The big listings join the document as the text they were kept in, and the workspace
    // reader makes values of the whole in one pass.
    QByteArray text = QJsonDocument(document).toJson(QJsonDocument::Compact);
    text.chop(1); // the closing brace
    text.reserve(text.size() + parts.users.textSize() + parts.keys.textSize() + parts.users.size() +
                 parts.keys.size() + 64);
    appendArray(text, "users", parts.users, firstOfEachId(parts.users));
    appendArray(text, "keys", parts.keys, keys);
    text.append('}');
    parts.users = EntityTexts();
    parts.keys = EntityTexts();
    Result<Workspace> workspace = workspace::parse(text);
    if (!workspace)
        return Error{ErrorKind::ServerError,
                     ApiText::tr("The proxy's answers do not make a consistent workspace: %1")
                         .arg(workspace.error().message)};
    if (const QString dangling = workspace::referenceSummary(*workspace); !dangling.isEmpty())
        workspace->source.warnings.append(dangling);
    return workspace;
}

} // namespace litescope::api
