#include "config/ProxyConfig.h"

#include "config/ConfigYaml.h"
#include "domain/DisplayText.h"
#include "domain/TranslationContexts.h"
#include "workspace/JsonDetail.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

using config::Located;
using config::TopLevel;

// The top-level sections LiteLLM's proxy reads; anything else is most likely a typo.
const QSet<QString> knownSections{
    u"model_list"_s,
    u"litellm_settings"_s,
    u"router_settings"_s,
    u"general_settings"_s,
    u"environment_variables"_s,
    u"callback_settings"_s,
    u"guardrails"_s,
    u"assistant_settings"_s,
    u"finetune_settings"_s,
    u"files_settings"_s,
    u"credential_list"_s,
    u"search_tools"_s,
    u"mcp_servers"_s,
    u"mcp_tools"_s,
    u"mcp_aliases"_s,
    u"vector_store_registry"_s,
    u"prompts"_s,
    u"policies"_s,
    u"policy_attachments"_s,
    u"agent_list"_s,
    u"pass_through_endpoints"_s,
    u"default_vertex_config"_s,
    u"model_group_settings"_s,
    u"vector_store_settings"_s,
};

// Where a value sits: the file it came from and its path inside that file.
struct At {
    QString file;
    QString path;

    // Keys are names from the file: one that is not a plain word is quoted, so a newline or a
    // dot in it cannot make the path read as another.
    At operator/(const QString& key) const {
        const QString joined = workspace::detail::keyPath(path, key);
        return {file, path.isEmpty() && joined.startsWith(u'.') ? joined.mid(1) : joined};
    }
    At operator[](qsizetype index) const { return {file, path + u"[%1]"_s.arg(index)}; }
};

bool fromEnvironment(const QJsonValue& value) {
    return value.isString() && value.toString().startsWith("os.environ/"_L1);
}

bool absent(const QJsonValue& value) {
    return value.isNull() || value.isUndefined();
}

// Collects the first type error (the read then fails) and every warning.
class Checker {
public:
    std::optional<Error> error;
    QStringList warnings;

    bool failed() const { return error.has_value(); }

    void fail(const At& at, const QString& what) {
        if (!error)
            error = Error::invalid(
                ProxyConfigText::tr("%1: %2: %3").arg(shownName(at.file), at.path, what));
    }
    // Never the value itself: os.environ/NAME says which secret the proxy uses.
    void environment(const At& at) {
        warnings.append(ProxyConfigText::tr("%1: %2: taken from the proxy's environment, which "
                                            "litescope does not read; left out")
                            .arg(shownName(at.file), at.path));
    }
    void unknownKeys(const QJsonObject& object, const At& at, const QSet<QString>& known) {
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            if (!known.contains(it.key()))
                warnings.append(ProxyConfigText::tr("%1: %2: unknown key, ignored")
                                    .arg(shownName(at.file), (at / it.key()).path));
    }

    // A scalar as text (PyYAML reads 4 as a number; LiteLLM uses it as the name "4").
    std::optional<QString> text(const QJsonValue& value, const At& at, bool required) {
        if (fromEnvironment(value)) {
            environment(at);
            return std::nullopt;
        }
        if (value.isString())
            return value.toString();
        if (!absent(value) || required)
            fail(at, ProxyConfigText::tr("expected a string"));
        return std::nullopt;
    }
    std::optional<QJsonObject> mapping(const QJsonValue& value, const At& at) {
        if (value.isObject())
            return value.toObject();
        if (!absent(value))
            fail(at, ProxyConfigText::tr("expected a mapping"));
        return std::nullopt;
    }
    std::optional<bool> flag(const QJsonValue& value, const At& at) {
        if (fromEnvironment(value))
            environment(at);
        else if (value.isBool())
            return value.toBool();
        else if (!absent(value))
            fail(at, ProxyConfigText::tr("expected true or false"));
        return std::nullopt;
    }
    QStringList strings(const QJsonValue& value, const At& at) {
        QStringList out;
        if (absent(value))
            return out;
        if (!value.isArray()) {
            fail(at, ProxyConfigText::tr("expected a list of strings"));
            return out;
        }
        const QJsonArray items = value.toArray();
        for (qsizetype i = 0; i < items.size(); ++i)
            if (std::optional<QString> item = text(items.at(i), at[i], true))
                out.append(*item);
        return out;
    }
};

std::optional<ProxyModel> readDeployment(Checker& c, const Located& entry) {
    const At at{entry.file, entry.path};
    if (!entry.value.isObject()) {
        c.fail(at, ProxyConfigText::tr("expected a mapping with model_name and litellm_params"));
        return std::nullopt;
    }
    const QJsonObject object = entry.value.toObject();
    c.unknownKeys(object, at, {u"model_name"_s, u"litellm_params"_s, u"model_info"_s});
    const std::optional<QString> name = c.text(object.value(u"model_name"_s), at / u"model_name"_s,
                                               !fromEnvironment(object.value(u"model_name"_s)));
    const QJsonValue paramsValue = object.value(u"litellm_params"_s);
    if (!paramsValue.isObject()) {
        c.fail(at / u"litellm_params"_s, ProxyConfigText::tr("expected a mapping with model"));
        return std::nullopt;
    }
    // Only the backend model: every other litellm_param (api_key, api_base, ...) is left unread.
    const QJsonValue backend = paramsValue.toObject().value(u"model"_s);
    const std::optional<QString> model =
        c.text(backend, at / u"litellm_params"_s / u"model"_s, !fromEnvironment(backend));
    const std::optional<QJsonObject> info =
        c.mapping(object.value(u"model_info"_s), at / u"model_info"_s);
    if (c.failed() || !name)
        return std::nullopt;

    ProxyModel deployment;
    deployment.modelName = *name;
    deployment.litellmModel = model.value_or(QString());
    QJsonObject kept;
    if (info) {
        const At infoAt = at / u"model_info"_s;
        deployment.modelId =
            c.text(info->value(u"id"_s), infoAt / u"id"_s, false).value_or(QString());
        deployment.accessGroups =
            c.strings(info->value(u"access_groups"_s), infoAt / u"access_groups"_s);
        deployment.teamId = c.text(info->value(u"team_id"_s), infoAt / u"team_id"_s, false);
        deployment.teamPublicModelName = c.text(info->value(u"team_public_model_name"_s),
                                                infoAt / u"team_public_model_name"_s, false);
        if (!deployment.modelId.isEmpty())
            kept.insert(u"id"_s, deployment.modelId);
        if (info->contains(u"access_groups"_s))
            kept.insert(u"access_groups"_s, QJsonArray::fromStringList(deployment.accessGroups));
        if (deployment.teamId)
            kept.insert(u"team_id"_s, *deployment.teamId);
        if (deployment.teamPublicModelName)
            kept.insert(u"team_public_model_name"_s, *deployment.teamPublicModelName);
    }
    deployment.extra = UnknownFields::fromObject(QJsonObject{
        {u"model_name"_s, deployment.modelName},
        {u"litellm_params"_s, QJsonObject{{u"model"_s, deployment.litellmModel}}},
        {u"model_info"_s, kept},
    });
    return deployment;
}

// A settings section: a mapping, or nothing when the file leaves it out or empty.
std::optional<QJsonObject> section(Checker& c, const config::ConfigDocument& document,
                                   const QString& key, At* at) {
    if (!document.keys.contains(key))
        return std::nullopt;
    const TopLevel& top = document.keys.value(key);
    *at = At{top.isList ? top.entries.value(0).file : top.value.file, QString()} / key;
    if (top.isList) {
        c.fail(*at, ProxyConfigText::tr("expected a mapping"));
        return std::nullopt;
    }
    return c.mapping(top.value.value, *at);
}

void readLitellmSettings(Checker& c, const config::ConfigDocument& document, ProxyConfig& out) {
    At at;
    const std::optional<QJsonObject> settings = section(c, document, u"litellm_settings"_s, &at);
    if (!settings)
        return;
    const At mapAt = at / u"model_alias_map"_s;
    if (const std::optional<QJsonObject> map =
            c.mapping(settings->value(u"model_alias_map"_s), mapAt)) {
        StringMap aliases;
        for (auto it = map->constBegin(); it != map->constEnd(); ++it)
            if (std::optional<QString> target = c.text(it.value(), mapAt / it.key(), true))
                aliases.insert(it.key(), *target);
        out.modelAliasMap = aliases;
    }
    out.personalKeyModelAccessFromTeams =
        c.flag(settings->value(u"personal_key_model_access_from_teams"_s),
               at / u"personal_key_model_access_from_teams"_s);
    const At accessAt = at / u"personal_key_multi_team_access"_s;
    const QJsonValue access = settings->value(u"personal_key_multi_team_access"_s);
    if (fromEnvironment(access))
        c.environment(accessAt);
    else if (access == u"union"_s)
        out.personalKeyMultiTeamAccess = MultiTeamAccess::Union;
    else if (access == u"intersection"_s)
        out.personalKeyMultiTeamAccess = MultiTeamAccess::Intersection;
    else if (!absent(access))
        c.fail(accessAt, ProxyConfigText::tr("expected \"union\" or \"intersection\""));
}

// Both forms LiteLLM's router takes: "alias": "target" and "alias": {"model": …, "hidden": …}.
std::optional<RouterAlias> readRouterAlias(Checker& c, const QJsonValue& value, const At& at) {
    RouterAlias alias;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        c.unknownKeys(object, at, {u"model"_s, u"hidden"_s});
        const std::optional<QString> target =
            c.text(object.value(u"model"_s), at / u"model"_s, true);
        alias.hidden = c.flag(object.value(u"hidden"_s), at / u"hidden"_s).value_or(false);
        if (!target)
            return std::nullopt;
        alias.target = *target;
        alias.object = UnknownFields::fromObject(
            QJsonObject{{u"model"_s, alias.target}, {u"hidden"_s, alias.hidden}});
        return alias;
    }
    if (fromEnvironment(value)) {
        c.environment(at);
        return std::nullopt;
    }
    if (!value.isString()) {
        c.fail(at, ProxyConfigText::tr("expected a string or {\"model\": …, \"hidden\": …}"));
        return std::nullopt;
    }
    alias.target = value.toString();
    return alias;
}

void readRouterSettings(Checker& c, const config::ConfigDocument& document, ProxyConfig& out) {
    At at;
    const std::optional<QJsonObject> settings = section(c, document, u"router_settings"_s, &at);
    if (!settings)
        return;
    const At aliasAt = at / u"model_group_alias"_s;
    const std::optional<QJsonObject> aliases =
        c.mapping(settings->value(u"model_group_alias"_s), aliasAt);
    if (!aliases)
        return;
    QMap<QString, RouterAlias> read;
    for (auto it = aliases->constBegin(); it != aliases->constEnd(); ++it)
        if (std::optional<RouterAlias> alias = readRouterAlias(c, it.value(), aliasAt / it.key()))
            read.insert(it.key(), *alias);
    out.modelGroupAlias = read;
}

void readGeneralSettings(Checker& c, const config::ConfigDocument& document, ProxyConfig& out) {
    At at;
    // Only store_model_in_db: the rest (master_key, database_url, ...) is never looked at.
    if (const std::optional<QJsonObject> settings =
            section(c, document, u"general_settings"_s, &at))
        out.storeModelInDb =
            c.flag(settings->value(u"store_model_in_db"_s), at / u"store_model_in_db"_s);
}

} // namespace

Result<ProxyConfig> readProxyConfig(const QString& path, qint64 limit) {
    Result<config::ConfigDocument> document = config::loadConfigDocument(path, limit);
    if (!document)
        return document.error();
    Checker c;
    c.warnings = document->warnings;
    ProxyConfig out;
    out.path = path;
    out.files = document->files;
    for (auto it = document->keys.constBegin(); it != document->keys.constEnd(); ++it)
        if (!knownSections.contains(it.key()))
            c.warnings.append(
                ProxyConfigText::tr("%1: %2: unknown section, ignored")
                    .arg(shownName(it->isList ? it->entries.value(0).file : it->value.file),
                         (At{} / it.key()).path));
    if (document->keys.contains(u"model_list"_s)) {
        const TopLevel& models = document->keys.value(u"model_list"_s);
        if (!models.isList && !absent(models.value.value))
            c.fail({models.value.file, u"model_list"_s}, ProxyConfigText::tr("expected a list"));
        for (const Located& entry : models.entries)
            if (std::optional<ProxyModel> deployment = readDeployment(c, entry))
                out.deployments.append(*deployment);
    }
    readLitellmSettings(c, *document, out);
    readRouterSettings(c, *document, out);
    readGeneralSettings(c, *document, out);
    if (c.error)
        return *c.error;
    out.warnings = c.warnings;
    return out;
}

} // namespace litescope
