#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"
#include "store/api/ApiConversion.h"
#include "store/api/ApiEntityTexts.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace litescope::api {

// Everything a snapshot read from the API, as LiteLLM answered it. An optional part is nullopt
// when the proxy has no endpoint for it.
struct SnapshotParts {
    QString label;
    QList<TeamInfo> teams;
    EntityTexts users; // workspace users by user_id
    EntityTexts keys;  // workspace keys by token, with their team_id
    QJsonArray proxyModels;
    std::optional<QJsonArray> organizations;
    std::optional<QJsonArray> accessGroups;
    std::optional<QJsonArray> projects;
    std::optional<QJsonObject> routerAliases;   // router_settings.model_group_alias
    std::optional<QJsonObject> litellmSettings; // given by the admin; the API has none
    // /health/readiness's litellm_version as the proxy spelled it (empty: not shown), or why
    // the readiness probe could not be read.
    QString litellmVersion;
    QString readinessProblem;
    QStringList warnings;
};

// The workspace the parts describe. What the API could not show is named in source.unknown, so
// the engine answers "unknown" for decisions that depend on it; keys of teams that no longer
// exist are kept (as in a database snapshot) and counted in source.warnings, with the other
// references to rows that do not exist. source.litellm_version is the release the proxy reports;
// a proxy that hides it (or names no release) leaves it empty, listed in source.assumed and
// explained in source.warnings.
Result<Workspace> assembleSnapshot(SnapshotParts parts);

// The release a /health/readiness answer reports, as litescope writes it ("1.99.0"); empty when
// the answer names none.
QString reportedRelease(const QString& litellmVersion);

} // namespace litescope::api
