#include "engine/DecisionText.h"

#include "domain/DisplayText.h"
#include "domain/TranslationContexts.h"
#include "workspace/JsonDetail.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

QString teamLabel(const Workspace& ws, std::int32_t team) {
    if (team < 0 || team >= ws.teams.size())
        return EngineText::tr("the team");
    const Team& row = ws.teams[team];
    return EngineText::tr("team %1").arg(shownName(row.alias.isEmpty() ? row.id : row.alias));
}

// Who the checked list belongs to, as an admin would say it.
QString listOwner(const AccessEngine& engine, const TrailStep& step) {
    const Workspace& ws = engine.workspace();
    switch (step.stage) {
    case Stage::KeyBlocked:
    case Stage::KeyModels:
        return EngineText::tr("key models");
    case Stage::KeyAccessGroups:
        return EngineText::tr("the key's access groups");
    case Stage::ModelRewrite:
        return EngineText::tr("the requested model");
    case Stage::TeamBlocked:
    case Stage::TeamModels:
        return teamLabel(ws, step.object) + EngineText::tr(" models");
    case Stage::TeamAccessGroups:
        return teamLabel(ws, step.object) + EngineText::tr(" models with its access groups");
    case Stage::KeyGroupRescue:
        return EngineText::tr("the key's access groups assigned to %1")
            .arg(teamLabel(ws, step.object));
    case Stage::MemberScope:
        return EngineText::tr("member scope");
    case Stage::UserModels:
        return EngineText::tr("user models");
    case Stage::PersonalKeyTeams:
        return EngineText::tr("the owner's teams");
    case Stage::ProjectBlocked:
    case Stage::ProjectModels:
        return EngineText::tr("project models");
    }
    return {};
}

QString blockedText(const AccessEngine& engine, const TrailStep& step) {
    const Workspace& ws = engine.workspace();
    switch (step.stage) {
    case Stage::KeyBlocked:
        return EngineText::tr("the key is blocked");
    case Stage::TeamBlocked:
        return teamLabel(ws, step.object) + EngineText::tr(" is blocked");
    default:
        if (step.object >= 0 && step.object < ws.projects.size())
            return EngineText::tr("project %1 is blocked")
                .arg(shownName(ws.projects[step.object].id));
        return EngineText::tr("the project is blocked");
    }
}

// "LiteLLM 1.99.0 and later" / "LiteLLM before 1.99.0", and the profile that decided.
QString releaseText(const AccessEngine& engine, VersionedRule rule) {
    const LiteLLMProfile& profile = engine.compiled().profile();
    const QString since = ruleInfo(rule).since.toString();
    const QString releases = profile.has(rule) ? EngineText::tr("LiteLLM %1 and later").arg(since)
                                               : EngineText::tr("LiteLLM before %1").arg(since);
    return EngineText::tr("%1; decided as %2").arg(releases, profile.name());
}

QString missingTeamText(const AccessEngine& engine, const TrailStep& step) {
    const Workspace& ws = engine.workspace();
    const QString team =
        step.object >= 0 && step.object < ws.keys.size()
            ? workspace::detail::quoted(ws.keys[step.object].teamId.value_or(QString()))
            : QString();
    if (step.rule == Rule::TeamNotFoundRefused)
        return EngineText::tr("team %1 does not exist: the proxy refuses keys of a deleted team "
                              "(TeamNotFoundError; %2)")
            .arg(team, releaseText(engine, VersionedRule::MissingTeamRefused));
    QString text = EngineText::tr("team %1 does not exist: LiteLLM uses the key's copy of the "
                                  "team, which has no models and is not blocked, so every model "
                                  "is allowed")
                       .arg(team);
    // The dashboard's own sentinel team is vouched for in every release: no profile decided.
    if (ws.keys.value(step.object).teamId != u"litellm-dashboard"_s)
        text += u" ("_s + releaseText(engine, VersionedRule::MissingTeamRefused) + u')';
    return text;
}

// A ModelRewrite step: a Claude Code name normalised, or a key/team router alias; applied, or
// (in an older release) not.
QString rewriteText(const AccessEngine& engine, const ModelRequest& request, const TrailStep& step,
                    const QString& unknownTarget) {
    const QString asked = shownName(engine.nameText(step.name, request, step.element));
    const QString target =
        shownName(step.entry >= 0 ? engine.compiled().name(step.entry) : unknownTarget);
    switch (step.rule) {
    case Rule::ClaudeName:
    case Rule::ClaudeNameIgnored: {
        const QString release = releaseText(engine, VersionedRule::ClaudeModelNames);
        if (step.rule == Rule::ClaudeNameIgnored)
            return EngineText::tr("Claude Code name %1 would stand for %2, but is checked as sent "
                                  "(%3)")
                .arg(asked, target, release);
        return EngineText::tr("Claude Code name %1 stands for %2, which every layer checks (%3)")
            .arg(asked, target, release);
    }
    default:
        break;
    }
    const bool team =
        step.rule == Rule::TeamRouterAlias || step.rule == Rule::TeamRouterAliasIgnored;
    const QString owner =
        team ? EngineText::tr("%1's").arg(teamLabel(engine.workspace(), step.object))
             : EngineText::tr("the key's");
    const QString release = releaseText(engine, VersionedRule::KeyTeamRouterAliases);
    if (step.rule == Rule::KeyRouterAliasIgnored || step.rule == Rule::TeamRouterAliasIgnored)
        return EngineText::tr("%1 router_settings alias %2 -> %3 is not applied: %2 itself is "
                              "checked (%4)")
            .arg(owner, asked, target, release);
    return EngineText::tr("%1 router_settings alias rewrites %2 to %3, which every layer checks "
                          "(%4)")
        .arg(owner, asked, target, release);
}

} // namespace

QString formatList(const QStringList& entries) {
    constexpr qsizetype shown = 8;
    QString text(1, u'[');
    for (qsizetype i = 0; i < entries.size() && i < shown; ++i) {
        if (i > 0)
            text += u", "_s;
        // shownName() without its copy: most names are safe as they are.
        if (entries[i].startsWith(u'"') || hasHiddenCharacters(entries[i]))
            text += quotedName(entries[i]);
        else
            text += entries[i];
    }
    if (entries.size() <= shown)
        return text + u']';
    return text + EngineText::tr(", … (+%1 more)]").arg(entries.size() - shown);
}

namespace {

QString describeRule(const AccessEngine& engine, const ModelRequest& request, const TrailStep& step,
                     const QString& unknownTarget) {
    // Each piece is put together only for the sentences that say it (a batch renders many).
    const engine::CompiledWorkspace& ws = engine.compiled();
    const auto name = [&] { return shownName(engine.nameText(step.name, request, step.element)); };
    const auto entry = [&] { return step.entry >= 0 ? shownName(ws.name(step.entry)) : QString(); };
    const auto owner = [&] { return listOwner(engine, step); };
    const auto list = [&] {
        return step.list >= 0 ? formatList(ws.list(step.list).written) : QString();
    };

    switch (step.rule) {
    case Rule::EmptyList:
        return EngineText::tr("%1 are empty: every model is allowed").arg(owner());
    case Rule::Star:
        return EngineText::tr("%1 %2 contain \"*\": every model is allowed").arg(owner(), list());
    case Rule::AllProxyModels:
        return EngineText::tr("%1 %2 contain all-proxy-models: every model is allowed")
            .arg(owner(), list());
    case Rule::RouterGroup:
        return EngineText::tr("granted by access group %1 in %2 %3").arg(entry(), owner(), list());
    case Rule::TeamAlias:
        return EngineText::tr("%1 is one of the team's model aliases").arg(name());
    case Rule::Wildcard:
        return EngineText::tr("wildcard %1 in %2 matches %3").arg(entry(), owner(), name());
    case Rule::ProviderWildcard:
        return EngineText::tr("wildcard %1 in %2 matches %3 through its provider")
            .arg(entry(), owner(), name());
    case Rule::OwnerTeamsGrant:
        return EngineText::tr("the key owner's teams grant %1").arg(name());
    case Rule::Literal:
        return (step.stage == Stage::MemberScope ? EngineText::tr("%1 %2 includes %3")
                                                 : EngineText::tr("%1 %2 include %3"))
            .arg(owner(), list(), name());
    case Rule::NotListed:
        return (step.stage == Stage::MemberScope ? EngineText::tr("%1 %2 does not include %3")
                                                 : EngineText::tr("%1 %2 do not include %3"))
            .arg(owner(), list(), name());
    case Rule::NoDefaultModels:
        return EngineText::tr(
            "user models contain no-default-models: personal keys of this user may call no "
            "model");
    case Rule::Blocked:
        return blockedText(engine, step);
    case Rule::NoTeamGrants:
        return engine.workspace().settings.personalKeyMultiTeamAccess ==
                       MultiTeamAccess::Intersection
                   ? EngineText::tr("not every team of the key's owner grants %1").arg(name())
                   : EngineText::tr("no team of the key's owner grants %1").arg(name());
    case Rule::ConfigSkip:
        return EngineText::tr("the key has a config: LiteLLM skips the key's model check");
    case Rule::AllTeamModelsSkip:
        return EngineText::tr("key models contain all-team-models: the team check decides");
    case Rule::NoMembership:
        return EngineText::tr("no membership row: the member adds no restriction");
    case Rule::EmptyScope:
        return EngineText::tr("member scope is empty: all team models");
    case Rule::NotApplicable:
        return step.stage == Stage::UserModels
                   ? EngineText::tr("the key's user has no user row: user check skipped")
                   : EngineText::tr("the key's project does not exist: project check skipped");
    case Rule::NoGroupModels:
        return EngineText::tr("%1 contain no models: the denial stands").arg(owner());
    case Rule::ProxyAdmin:
        return EngineText::tr("the key's user is a proxy admin: user models are not enforced");
    case Rule::MissingData:
        return EngineText::tr("the workspace lacks the data for this check");
    case Rule::TeamNotFound:
    case Rule::TeamNotFoundRefused:
        return missingTeamText(engine, step);
    case Rule::ClaudeName:
    case Rule::ClaudeNameIgnored:
    case Rule::KeyRouterAlias:
    case Rule::TeamRouterAlias:
    case Rule::KeyRouterAliasIgnored:
    case Rule::TeamRouterAliasIgnored:
        return rewriteText(engine, request, step, unknownTarget);
    }
    return {};
}

} // namespace

ModelRequest judgedRequest(const ModelRequest& request, const Decision& decision) {
    for (const TrailStep& step : decision.trail)
        if (step.stage == Stage::ModelRewrite && step.rule == Rule::ClaudeName &&
            step.entry == NoName && !request.names.isEmpty()) {
            ModelRequest judged = request;
            judged.names[0] = decision.unknownTarget;
            return judged;
        }
    return request;
}

QString describeStep(const AccessEngine& engine, const ModelRequest& request,
                     const Decision& decision, const TrailStep& step) {
    if (step.stage == Stage::ModelRewrite)
        return describeRule(engine, request, step, decision.unknownTarget);
    return describeStep(engine, judgedRequest(request, decision), step);
}

QString describeStep(const AccessEngine& engine, const ModelRequest& request,
                     const TrailStep& step) {
    QString text = describeRule(engine, request, step, QString());
    // Aliases: say which name was judged when it is not the one asked for.
    const QString requested = request.names.value(step.element);
    if (step.stage != Stage::ModelRewrite && step.name >= 0 &&
        engine.compiled().name(step.name) != requested)
        text += EngineText::tr(" (%1 resolves to %2)")
                    .arg(shownName(requested), shownName(engine.compiled().name(step.name)));
    return text;
}

TrailStep wordingIdentity(const TrailStep& step) {
    TrailStep identity = step;
    switch (step.stage) {
    // listOwner() and blockedText() name the team; missingTeamText() reads the key's team id;
    // rewriteText() names the team of a team router alias; blockedText() names the project.
    case Stage::TeamBlocked:
    case Stage::TeamModels:
    case Stage::TeamAccessGroups:
    case Stage::KeyGroupRescue:
    case Stage::ProjectBlocked:
    case Stage::ModelRewrite:
        break;
    // The key's, member's, user's and project's lists are named by their entries alone.
    case Stage::KeyBlocked:
    case Stage::KeyModels:
    case Stage::KeyAccessGroups:
    case Stage::MemberScope:
    case Stage::UserModels:
    case Stage::PersonalKeyTeams:
    case Stage::ProjectModels:
        identity.object = -1;
        break;
    }
    return identity;
}

namespace {

QString verdictReason(const ModelRequest& request, const Decision& decision,
                      std::span<const QString> details) {
    const QString model =
        request.isList ? formatList(request.names) : shownName(request.names.value(0));
    if (decision.verdict == Verdict::Unknown)
        return EngineText::tr("Cannot tell whether %1 is allowed: the workspace lacks %2.")
            .arg(model, datasetNames(decision.unknownData).join(u", "_s));
    if (decision.verdict == Verdict::Denied) {
        for (qsizetype i = decision.trail.size() - 1; i >= 0; --i)
            if (decision.trail[i].verdict == Verdict::Denied) {
                const QString layer = layerName(decision.deniedBy).replace(u'_', u' ');
                return EngineText::tr("Denied by the %1 layer: %2.").arg(layer, details[i]);
            }
        return EngineText::tr("Denied.");
    }
    QStringList grants;
    for (qsizetype i = 0; i < decision.trail.size(); ++i)
        if (decision.trail[i].verdict == Verdict::Allowed && decision.trail[i].element == 0)
            grants.append(details[i]);
    if (grants.isEmpty())
        return EngineText::tr("Allowed: no layer restricts %1.").arg(model);
    return EngineText::tr("Allowed: %1.").arg(grants.join(u"; "_s));
}

} // namespace

QString reasonFor(const AccessEngine& engine, const ModelRequest& request,
                  const Decision& decision) {
    QStringList details;
    details.reserve(decision.trail.size());
    for (const TrailStep& step : decision.trail)
        details.append(describeStep(engine, request, decision, step));
    return reasonFor(engine, request, decision, details);
}

QString reasonFor(const AccessEngine& engine, const ModelRequest& request, const Decision& decision,
                  std::span<const QString> details) {
    Q_ASSERT(details.size() == std::size_t(decision.trail.size()));
    QString reason = verdictReason(request, decision, details);
    // A rewritten model comes first: every layer after it judged the target.
    QStringList rewrites;
    for (qsizetype i = 0; i < decision.trail.size(); ++i)
        if (decision.trail[i].stage == Stage::ModelRewrite)
            rewrites.append(details[i]);
    if (!rewrites.isEmpty()) {
        QString first = rewrites.join(u"; "_s);
        first[0] = first[0].toUpper();
        reason = EngineText::tr("%1. %2").arg(first, reason);
    }
    constexpr auto versionBit = static_cast<std::uint16_t>(Dataset::LiteLLMVersion);
    const auto defaults = static_cast<std::uint16_t>(decision.assumedData & ~versionBit);
    if (defaults != 0)
        reason = EngineText::tr("%1 (Assuming LiteLLM's defaults for %2, which this source cannot "
                                "show.)")
                     .arg(reason, datasetNames(defaults).join(u", "_s));
    if ((decision.assumedData & versionBit) == 0)
        return reason;
    // A source that places the proxy only roughly names its stand-in (source.warnings says why).
    if (const auto named = LiteLLMVersion::parse(engine.workspace().source.litellmVersion))
        return EngineText::tr("%1 (The source cannot say exactly which LiteLLM release the proxy "
                              "runs: decided as %2.)")
            .arg(reason, named->toString());
    return EngineText::tr("%1 (The source does not say which LiteLLM release the proxy runs: "
                          "decided as the newest litescope knows, %2.)")
        .arg(reason, newestKnownRelease().toString());
}

QString assumedDefault(Dataset dataset, const Workspace& ws) {
    switch (dataset) {
    case Dataset::Settings:
        return EngineText::tr("litellm_settings as LiteLLM defaults them: no model_alias_map, "
                              "personal_key_model_access_from_teams false, "
                              "personal_key_multi_team_access union");
    case Dataset::ModelGroupAlias:
        return EngineText::tr("the router as LiteLLM defaults it: no model_group_alias");
    case Dataset::LiteLLMVersion:
        // A source that places the proxy only roughly names its stand-in (source.warnings says
        // why); one that says nothing gets the newest rules.
        if (const auto named = LiteLLMVersion::parse(ws.source.litellmVersion))
            return EngineText::tr("the rules of LiteLLM %1: the source cannot say exactly which "
                                  "release the proxy runs")
                .arg(named->toString());
        return EngineText::tr("the rules of the newest LiteLLM release litescope knows (%1): the "
                              "source does not say which release the proxy runs")
            .arg(newestKnownRelease().toString());
    default:
        return EngineText::tr("%1 as LiteLLM defaults it (empty)")
            .arg(datasetNames(static_cast<std::uint16_t>(dataset)).join(u", "_s));
    }
}

QJsonObject trailStepJson(const AccessEngine& engine, const ModelRequest& request,
                          const Decision& decision, const TrailStep& step) {
    const bool rewrite = step.stage == Stage::ModelRewrite;
    const QString layer = rewrite ? u"request"_s : layerName(layerOf(step.stage));
    // A rewrite step names the model as asked; every later step the model it became.
    const ModelRequest names = rewrite ? request : judgedRequest(request, decision);
    QJsonObject json{
        {u"layer"_s, layer},
        {u"check"_s, stageName(step.stage)},
        {u"verdict"_s, verdictName(step.verdict)},
        {u"rule"_s, ruleName(step.rule)},
        {u"detail"_s, describeStep(engine, request, decision, step)},
    };
    if (step.name != NoName)
        json.insert(u"model"_s, engine.nameText(step.name, names, step.element));
    if (step.entry != NoName)
        json.insert(u"entry"_s, engine.compiled().name(step.entry));
    else if (rewrite)
        json.insert(u"entry"_s, decision.unknownTarget);
    if (request.isList)
        json.insert(u"element"_s, step.element);
    return json;
}

QJsonObject decisionJson(const AccessEngine& engine, const QString& key, const QJsonValue& model,
                         const ModelRequest& request, const Decision& decision) {
    QJsonArray trail;
    for (const TrailStep& step : decision.trail)
        trail.append(trailStepJson(engine, request, decision, step));
    QJsonObject json{
        {u"key"_s, key},
        {u"model"_s, model},
        {u"allowed"_s, decision.verdict == Verdict::Unknown ? QJsonValue(QJsonValue::Null)
                                                            : QJsonValue(decision.allowed())},
        {u"denied_by"_s, decision.deniedBy == Layer::None
                             ? QJsonValue(QJsonValue::Null)
                             : QJsonValue(layerName(decision.deniedBy))},
        {u"reason"_s, reasonFor(engine, request, decision)},
        {u"trail"_s, trail},
    };
    if (decision.verdict == Verdict::Unknown)
        json.insert(u"unknown"_s, QJsonArray::fromStringList(datasetNames(decision.unknownData)));
    if (decision.versioned != 0) {
        // The release whose rules decided, and which of its rules that changed were consulted.
        const LiteLLMProfile& profile = engine.compiled().profile();
        QJsonArray rules;
        for (const VersionedRuleInfo& row : versionedRules())
            if ((decision.versioned & LiteLLMProfile::bit(row.rule)) != 0)
                rules.append(QString::fromLatin1(row.id));
        json.insert(u"litellm_profile"_s,
                    QJsonObject{{u"litellm_version"_s, profile.version().toString()},
                                {u"assumed"_s, profile.assumed()},
                                {u"rules"_s, rules}});
    }
    if (decision.assumedData != 0) {
        json.insert(u"assumed"_s, QJsonArray::fromStringList(datasetNames(decision.assumedData)));
        // Beside the trail: the defaults the verdict stands on, in words.
        QJsonArray defaults;
        for (std::uint16_t bit = 1; bit != 0; bit = static_cast<std::uint16_t>(bit << 1)) {
            if ((decision.assumedData & bit) != 0)
                defaults.append(QJsonObject{
                    {u"dataset"_s, datasetNames(bit).value(0)},
                    {u"detail"_s, assumedDefault(static_cast<Dataset>(bit), engine.workspace())},
                });
        }
        json.insert(u"assumed_defaults"_s, defaults);
    }
    return json;
}

} // namespace litescope
