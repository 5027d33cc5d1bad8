// Writing workspace files. Each entity is written from its known fields and then the fields of the
// JSON object it was read from that litescope does not know (newer LiteLLM columns, other tools'
// notes), so they survive a rewrite. The text streams to the file entity by entity, one entity
// per line: a snapshot of a large proxy never exists twice in memory, and diffs stay readable.
#include "domain/TranslationContexts.h"
#include "workspace/JsonDetail.h"
#include "workspace/JsonStream.h"
#include "workspace/WorkspaceJson.h"
#include "workspace/WorkspaceSections.h"
#include "workspace/WritePrefetch.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>

namespace litescope::workspace {

using namespace Qt::StringLiterals;

namespace {

// A string → string map as an object. (Keys are data, so they go through the escaping path.)
void stringMap(JsonStream& out, const StringMap& map) {
    if (map.isEmpty()) {
        out.raw("{}");
        return;
    }
    QJsonObject object;
    for (auto it = map.constBegin(); it != map.constEnd(); ++it)
        object.insert(it.key(), it.value());
    out.value(object);
}

// Typed fields that are written only when they say something (a team's model_id, a source's
// warnings) go out with the unknown fields, where a file written before litescope knew them has
// them. What was read is written back as it was while the typed value still says the same (a
// model_id LiteLLM keeps as a number stays one): round trips keep every byte.
UnknownFields withOptionalField(const UnknownFields& original, QLatin1StringView key,
                                const QJsonValue& value, bool sameAsRead) {
    if (sameAsRead)
        return original;
    UnknownFields changed = original;
    if (value.isUndefined())
        changed.remove(QString(key));
    else
        changed.insert(QString(key), value);
    return changed;
}

// A source's `assumed` list, written only when it has entries (older files have none).
UnknownFields withAssumed(const UnknownFields& original, const QStringList& assumed) {
    const QJsonValue read = original.value(u"assumed");
    QStringList readAssumed;
    for (const QJsonValue& name : read.toArray())
        readAssumed.append(name.toString());
    const bool same = (read.isArray() || read.isUndefined()) && readAssumed == assumed;
    return withOptionalField(original, "assumed"_L1,
                             assumed.isEmpty() ? QJsonValue(QJsonValue::Undefined)
                                               : QJsonValue(QJsonArray::fromStringList(assumed)),
                             same);
}

UnknownFields withWarnings(const SourceInfo& s) {
    const QJsonValue read = s.extra.value(u"warnings");
    QStringList readWarnings;
    for (const QJsonValue& warning : read.toArray())
        readWarnings.append(warning.toString());
    const bool same =
        (read.isArray() || read.isNull() || read.isUndefined()) && readWarnings == s.warnings;
    return withOptionalField(s.extra, "warnings"_L1,
                             s.warnings.isEmpty()
                                 ? QJsonValue(QJsonValue::Undefined)
                                 : QJsonValue(QJsonArray::fromStringList(s.warnings)),
                             same);
}

UnknownFields withModelId(const Team& t) {
    const QJsonValue read = t.extra.value(u"model_id");
    const bool absent = read.isUndefined() || read.isNull();
    const bool same = absent ? !t.modelId : detail::modelIdText(read) == t.modelId;
    // A model_id cleared in code is written as null, as LiteLLM shows a team without a table.
    return withOptionalField(t.extra, "model_id"_L1,
                             t.modelId ? QJsonValue(*t.modelId) : QJsonValue(QJsonValue::Null),
                             same);
}

// source.litellm_version, written only when known (older files have none).
UnknownFields withVersion(const UnknownFields& original, const QString& version) {
    const QJsonValue read = original.value(u"litellm_version");
    const bool same = read.isString() ? read.toString() == version
                                      : (read.isUndefined() || read.isNull()) && version.isEmpty();
    return withOptionalField(
        original, "litellm_version"_L1,
        version.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(version), same);
}

// router_settings of a key or team: its other settings are kept as read, model_group_alias is
// written from the typed map (in each entry's original spelling while it says the same).
UnknownFields withRouterSettings(const UnknownFields& original,
                                 const std::optional<QMap<QString, RouterAlias>>& aliases) {
    if (!aliases)
        return original;
    QJsonObject settings = original.value(u"router_settings").toObject();
    const QJsonObject read = settings.value("model_group_alias"_L1).toObject();
    QJsonObject written;
    for (auto it = aliases->cbegin(); it != aliases->cend(); ++it) {
        const RouterAlias& alias = it.value();
        const QJsonValue before = read.value(it.key());
        const QJsonValue readAs =
            alias.object.isEmpty() ? QJsonValue(alias.target) : QJsonValue(alias.object.toObject());
        const bool same =
            before == readAs &&
            (before.isString() ? before.toString() == alias.target && !alias.hidden
                               : before.toObject().value("model"_L1).toString() == alias.target &&
                                     before.toObject().value("hidden"_L1).toBool() == alias.hidden);
        if (same)
            written.insert(it.key(), before);
        else if (alias.hidden)
            written.insert(it.key(), QJsonObject{{u"model"_s, alias.target}, {u"hidden"_s, true}});
        else
            written.insert(it.key(), alias.target);
    }
    const bool hasAliases = settings.contains("model_group_alias"_L1);
    // Settings without aliases (fallbacks only) read as an empty map: nothing to add.
    if ((hasAliases && written == read) ||
        (!hasAliases && written.isEmpty() && !settings.isEmpty()))
        return original;
    settings.insert(u"model_group_alias"_s, written);
    UnknownFields changed = original;
    changed.insert(u"router_settings"_s, settings);
    return changed;
}

void writeSource(JsonStream& out, const SourceInfo& s) {
    JsonObjectWriter o(out);
    o.field("kind", s.kind).field("label", s.label).field("captured_at", s.capturedAt);
    o.field("unknown", s.unknown);
    o.unknownFields(withVersion(withAssumed(withWarnings(s), s.assumed), s.litellmVersion),
                    {"kind", "label", "captured_at", "unknown"});
    o.end();
}

void writeSettings(JsonStream& out, const Settings& s) {
    JsonObjectWriter o(out);
    stringMap(o.nested("model_alias_map"), s.modelAliasMap);
    o.field("personal_key_model_access_from_teams", s.personalKeyModelAccessFromTeams);
    o.field("personal_key_multi_team_access",
            s.personalKeyMultiTeamAccess == MultiTeamAccess::Intersection ? u"intersection"_s
                                                                          : u"union"_s);
    o.unknownFields(s.extra, {"model_alias_map", "personal_key_model_access_from_teams",
                              "personal_key_multi_team_access"});
    o.end();
}

void writeProxyModel(JsonStream& out, const ProxyModel& m) {
    JsonObjectWriter o(out);
    o.field("model_name", m.modelName);
    {
        JsonObjectWriter params(o.nested("litellm_params"));
        params.field("model", m.litellmModel);
        params.unknownFields(m.extra.value(u"litellm_params").toObject(), {"model"});
        params.end();
    }
    {
        JsonObjectWriter info(o.nested("model_info"));
        info.field("id", m.modelId.isEmpty() ? std::optional<QString>() : m.modelId);
        info.field("access_groups", m.accessGroups);
        info.field("team_id", m.teamId).field("team_public_model_name", m.teamPublicModelName);
        info.unknownFields(m.extra.value(u"model_info").toObject(),
                           {"id", "access_groups", "team_id", "team_public_model_name"});
        info.end();
    }
    o.unknownFields(m.extra, {"model_name", "litellm_params", "model_info"});
    o.end();
}

// Keeps the spelling it was read in; the short string form for aliases made in code.
void writeRouterAlias(JsonStream& out, const RouterAlias& alias) {
    if (alias.object.isEmpty() && !alias.hidden) {
        out.string(alias.target);
        return;
    }
    JsonObjectWriter o(out);
    o.field("model", alias.target).field("hidden", alias.hidden);
    o.unknownFields(alias.object, {"model", "hidden"});
    o.end();
}

void writeAccessGroup(JsonStream& out, const AccessGroup& g) {
    JsonObjectWriter o(out);
    o.field("access_group_id", g.id).field("access_group_name", g.name);
    o.field("access_model_names", g.modelNames);
    o.field("assigned_team_ids", g.assignedTeamIds).field("assigned_key_ids", g.assignedKeyIds);
    o.unknownFields(g.extra, {"access_group_id", "access_group_name", "access_model_names",
                              "assigned_team_ids", "assigned_key_ids"});
    o.end();
}

void writeOrganization(JsonStream& out, const Organization& org) {
    JsonObjectWriter o(out);
    o.field("organization_id", org.id).field("organization_alias", org.alias);
    o.field("models", org.models);
    o.unknownFields(org.extra, {"organization_id", "organization_alias", "models"});
    o.end();
}

// A typed field that is written when it holds a value or the object it was read from had it
// (as null), so a rewrite keeps the file's bytes.
template <typename T>
void optionalField(JsonObjectWriter& o, const UnknownFields& original, const char* key,
                   const std::optional<T>& value) {
    if (value)
        o.number(key, double(*value)); // as a QJsonValue holding it is written
    else if (!original.isEmpty() && original.contains(QString::fromLatin1(key)))
        o.field(key, QJsonValue(QJsonValue::Null));
}

void writeMemberBudget(JsonStream& out, const MemberBudget& b) {
    JsonObjectWriter o(out);
    o.field("budget_id", b.budgetId).field("allowed_models", b.allowedModels);
    optionalField(o, b.extra, "max_budget", b.maxBudget);
    optionalField(o, b.extra, "tpm_limit", b.tpmLimit);
    optionalField(o, b.extra, "rpm_limit", b.rpmLimit);
    o.unknownFields(b.extra,
                    {"budget_id", "allowed_models", "max_budget", "tpm_limit", "rpm_limit"});
    o.end();
}

void writeTeam(JsonStream& out, const Team& t) {
    JsonObjectWriter o(out);
    o.field("team_id", t.id)
        .field("team_alias", t.alias)
        .field("organization_id", t.organizationId);
    o.field("models", t.models).field("default_team_member_models", t.defaultTeamMemberModels);
    o.field("blocked", t.blocked).field("access_group_ids", t.accessGroupIds);
    stringMap(o.nested("model_aliases"), t.modelAliases);
    JsonStream& members = o.nested("members_with_roles");
    members.raw("[");
    for (qsizetype i = 0; i < t.membersWithRoles.size(); ++i) {
        const TeamMemberRole& m = t.membersWithRoles[i];
        members.raw(i == 0 ? "" : ", ");
        JsonObjectWriter member(members);
        member.field("user_id", m.userId).field("user_email", m.userEmail).field("role", m.role);
        member.unknownFields(m.extra, {"user_id", "user_email", "role"});
        member.end();
    }
    members.raw("]");
    if (t.defaultMemberBudget)
        writeMemberBudget(o.nested("team_member_budget_table"), *t.defaultMemberBudget);
    o.unknownFields(withRouterSettings(withModelId(t), t.routerAliases),
                    {"team_id", "team_alias", "organization_id", "models",
                     "default_team_member_models", "blocked", "access_group_ids", "model_aliases",
                     "members_with_roles", "team_member_budget_table"});
    o.end();
}

void writeMembership(JsonStream& out, const TeamMembership& m) {
    JsonObjectWriter o(out);
    o.field("team_id", m.teamId).field("user_id", m.userId).field("budget_id", m.budgetId);
    o.field("allowed_models", m.allowedModels);
    optionalField(o, m.extra, "max_budget", m.maxBudget);
    optionalField(o, m.extra, "tpm_limit", m.tpmLimit);
    optionalField(o, m.extra, "rpm_limit", m.rpmLimit);
    if (m.spend != 0 || (!m.extra.isEmpty() && m.extra.contains(u"spend")))
        o.number("spend", m.spend);
    o.unknownFields(m.extra, {"team_id", "user_id", "budget_id", "allowed_models", "max_budget",
                              "tpm_limit", "rpm_limit", "spend"});
    o.end();
}

void writeUser(JsonStream& out, const User& u) {
    JsonObjectWriter o(out);
    o.field("user_id", u.id).field("user_email", u.email).field("user_role", u.role);
    o.field("models", u.models);
    if (u.teams)
        o.field("teams", *u.teams);
    else if (u.extra.contains(u"teams"))
        o.field("teams", QJsonValue(QJsonValue::Null));
    o.unknownFields(u.extra, {"user_id", "user_email", "user_role", "models", "teams"});
    o.end();
}

void writeKey(JsonStream& out, const Key& k) {
    JsonObjectWriter o(out);
    o.field("token", k.token).field("key_alias", k.alias).field("team_id", k.teamId);
    o.field("user_id", k.userId).field("project_id", k.projectId).field("models", k.models);
    stringMap(o.nested("aliases"), k.aliases);
    o.field("access_group_ids", k.accessGroupIds);
    if (k.config.isEmpty())
        o.nested("config").raw("{}"); // most keys: no QJsonValue to make
    else
        o.field("config", QJsonValue(k.config));
    o.field("blocked", k.blocked);
    if (!k.extra.isEmpty() || k.routerAliases)
        o.unknownFields(withRouterSettings(k.extra, k.routerAliases),
                        {"token", "key_alias", "team_id", "user_id", "project_id", "models",
                         "aliases", "access_group_ids", "config", "blocked"});
    o.end();
}

void writeProject(JsonStream& out, const Project& p) {
    JsonObjectWriter o(out);
    o.field("project_id", p.id).field("models", p.models).field("blocked", p.blocked);
    o.unknownFields(p.extra, {"project_id", "models", "blocked"});
    o.end();
}

// A top-level list: one element per line.
template <typename T, typename Write>
void writeList(JsonStream& out, const char* name, const QList<T>& items, Write write) {
    out.raw(",\n  \"");
    out.raw(name);
    out.raw(items.isEmpty() ? "\": [" : "\": [\n    ");
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i + 8 < items.size())
            detail::prefetchText(items[i + 8]);
        if (i > 0)
            out.raw(",\n    ");
        write(out, items[i]);
    }
    out.raw(items.isEmpty() ? "]" : "\n  ]");
}

} // namespace

namespace detail {

void writeSection(JsonStream& out, const QList<Team>& teams) {
    writeList(out, "teams", teams, writeTeam);
}

void writeSection(JsonStream& out, const QList<TeamMembership>& memberships) {
    writeList(out, "team_memberships", memberships, writeMembership);
}

void writeSection(JsonStream& out, const QList<User>& users) {
    writeList(out, "users", users, writeUser);
}

void writeSection(JsonStream& out, const QList<Key>& keys) {
    writeList(out, "keys", keys, writeKey);
}

namespace {

template <typename T>
void section(JsonStream& out, SectionSplice* splice, Section which, const QList<T>& list) {
    if (!splice || !splice->put(out, which, list.constData(), list.size()))
        writeSection(out, list);
}

} // namespace

void writeWorkspace(JsonStream& out, const Workspace& ws, SectionSplice* splice) {
    out.raw("{\n  \"format\": \"litescope-workspace\",\n  \"version\": 1,\n  \"source\": ");
    writeSource(out, ws.source);
    out.raw(",\n  \"settings\": ");
    writeSettings(out, ws.settings);
    writeList(out, "proxy_models", ws.proxyModels, writeProxyModel);
    out.raw(",\n  \"model_group_alias\": {");
    bool first = true;
    for (auto it = ws.modelGroupAlias.constBegin(); it != ws.modelGroupAlias.constEnd(); ++it) {
        out.raw(first ? "\n    " : ",\n    ");
        first = false;
        out.string(it.key());
        out.raw(": ");
        writeRouterAlias(out, it.value());
    }
    out.raw(first ? "}" : "\n  }");
    out.raw(",\n  \"model_providers\": ");
    stringMap(out, ws.modelProviders);
    writeList(out, "access_groups", ws.accessGroups, writeAccessGroup);
    writeList(out, "organizations", ws.organizations, writeOrganization);
    section(out, splice, Section::Teams, ws.teams);
    section(out, splice, Section::Memberships, ws.teamMemberships);
    section(out, splice, Section::Users, ws.users);
    section(out, splice, Section::Keys, ws.keys);
    writeList(out, "projects", ws.projects, writeProject);
    static const char* const known[] = {"format",
                                        "version",
                                        "source",
                                        "settings",
                                        "proxy_models",
                                        "model_group_alias",
                                        "model_providers",
                                        "access_groups",
                                        "organizations",
                                        "teams",
                                        "team_memberships",
                                        "users",
                                        "keys",
                                        "projects"};
    ws.extra.forEach([&](QByteArrayView name, QByteArrayView value) {
        if (std::any_of(std::begin(known), std::end(known),
                        [&](const char* k) { return name == QByteArrayView(k); }))
            return;
        out.raw(",\n  \"");
        out.raw(name);
        out.raw("\": ");
        out.raw(value);
    });
    out.raw("\n}\n");
}

} // namespace detail

QByteArray serialize(const Workspace& workspace) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        JsonStream out(buffer);
        detail::writeWorkspace(out, workspace, nullptr);
    }
    return bytes;
}

QJsonObject toJsonObject(const Workspace& workspace) {
    // One code path decides the format: the object is what a file would hold.
    return QJsonDocument::fromJson(serialize(workspace)).object();
}

} // namespace litescope::workspace
