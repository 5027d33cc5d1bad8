// Reading workspace files. Writing is in WorkspaceWriter.cpp, the id and reference checks in
// WorkspaceValidation.cpp.
#include "workspace/WorkspaceJson.h"

#include "domain/BoundedFile.h"
#include "domain/TranslationContexts.h"
#include "engine/LiteLLMRelease.h"
#include "workspace/JsonDetail.h"
#include "workspace/JsonFields.h"
#include "workspace/JsonPipeline.h"
#include "workspace/JsonScan.h"
#include "workspace/JsonText.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <optional>

namespace litescope::workspace {

using namespace Qt::StringLiterals;
using detail::Fields;
using detail::JsonRef;
using detail::JsonTree;
using detail::PathPart;
using detail::Reader;
using detail::Share;

namespace {

constexpr auto formatName = "litescope-workspace"_L1;
constexpr int supportedVersion = 1;

// The order in which the parts of a workspace are read: the first error in this order is the one
// reported, as it always was.
enum Rank {
    HeaderRank,
    SourceRank,
    SettingsRank,
    ProxyModelsRank,
    ModelGroupAliasRank,
    ModelProvidersRank,
    AccessGroupsRank,
    OrganizationsRank,
    TeamsRank,
    MembershipsRank,
    UsersRank,
    KeysRank,
    ProjectsRank,
};

QString notAWorkspace(QLatin1StringView field) {
    return WorkspaceText::tr("not a litescope workspace (no \"%1\" field; a workspace starts "
                             "{\"format\": \"%2\", \"version\": %3, ...})")
        .arg(field, formatName)
        .arg(supportedVersion);
}

// `required`: a document from outside (a file) must say it is a workspace; one built in this
// process (from the admin API's answers) may leave the header out.
void checkHeader(Reader& reader, const JsonRef& format, const JsonRef& version, bool required) {
    if (format.isUndefined() && required)
        reader.fail(QString(), notAWorkspace("format"_L1));
    if (!format.isUndefined() && (!format.isString() || format.utf8() != "litescope-workspace"))
        reader.fail(u"format"_s, u"expected \""_s + formatName + u'"');

    if (version.isUndefined() && required)
        reader.fail(QString(), notAWorkspace("version"_L1));
    if (version.isUndefined())
        return;
    const double number = version.toDouble();
    if (!version.isDouble() || number != std::floor(number)) {
        reader.fail(u"version"_s, u"expected a whole number"_s);
        return;
    }
    if (number == supportedVersion)
        return;
    const QString problem =
        number > supportedVersion
            ? u"this file is version %1, newer than this litescope reads (version %2); update litescope"_s
            : u"unsupported version %1 (this litescope reads version %2)"_s;
    reader.fail(u"version"_s, problem.arg(QString::number(number)).arg(supportedVersion));
}

SourceInfo readSource(const Fields& f) {
    SourceInfo s;
    s.kind = f.text("kind"_L1, Share::Unique);
    s.label = f.text("label"_L1, Share::Unique);
    s.capturedAt = f.text("captured_at"_L1, Share::Unique);
    s.unknown = f.strings("unknown"_L1, Share::Unique);
    s.assumed = f.strings("assumed"_L1, Share::Unique);
    s.warnings = f.strings("warnings"_L1, Share::Unique);
    s.litellmVersion = f.text("litellm_version"_L1, Share::Unique);
    if (!s.litellmVersion.isEmpty() && !LiteLLMVersion::parse(s.litellmVersion))
        f.reader().fail(f.pathOf("litellm_version"_L1),
                        u"expected a LiteLLM release such as \"1.97.2\""_s);
    // assumed, warnings and litellm_version are written as read while they say the same.
    s.extra = f.extra({"kind", "label", "captured_at", "unknown"});
    return s;
}

Settings readSettings(const Fields& f) {
    Settings s;
    s.modelAliasMap = f.stringMap("model_alias_map"_L1);
    s.personalKeyModelAccessFromTeams = f.flag("personal_key_model_access_from_teams"_L1);
    const JsonRef access = f.value("personal_key_multi_team_access"_L1);
    if (access.isString() && access.utf8() == "intersection")
        s.personalKeyMultiTeamAccess = MultiTeamAccess::Intersection;
    else if (!access.isAbsent() && !(access.isString() && access.utf8() == "union"))
        f.reader().fail(f.pathOf("personal_key_multi_team_access"_L1),
                        u"expected \"union\" or \"intersection\""_s);
    s.extra = f.extra({"model_alias_map", "personal_key_model_access_from_teams",
                       "personal_key_multi_team_access"});
    return s;
}

ProxyModel readProxyModel(const Fields& f) {
    ProxyModel m;
    m.modelName = f.id("model_name"_L1);
    m.litellmModel = f.nested("litellm_params"_L1).text("model"_L1);
    const Fields info = f.nested("model_info"_L1);
    m.modelId = info.text("id"_L1, Share::Unique);
    m.accessGroups = info.strings("access_groups"_L1);
    m.teamId = info.optionalText("team_id"_L1);
    m.teamPublicModelName = info.optionalText("team_public_model_name"_L1);
    m.extra =
        f.extra({"model_name"},
                {{"litellm_params", {"model"}},
                 {"model_info", {"id", "access_groups", "team_id", "team_public_model_name"}}});
    return m;
}

RouterAlias readRouterAlias(Reader& reader, const JsonRef& value, const PathPart& path) {
    RouterAlias alias;
    if (value.isString()) {
        alias.target = value.toString(reader.pool());
    } else if (value.isObject()) {
        const Fields f(reader, value, path);
        alias.target = f.id("model"_L1);
        alias.hidden = f.flag("hidden"_L1);
        alias.object = f.extra({});
    } else {
        reader.fail(path.text(), u"expected a string or an object {\"model\": …, \"hidden\": …}"_s);
    }
    return alias;
}

// router_settings of a key or team: only its model_group_alias matters to access, and only
// whether the object is empty decides whose settings count. (The object itself is kept with the
// entity's other fields.)
std::optional<QMap<QString, RouterAlias>> readRouterSettings(const Fields& f) {
    const JsonRef settings = f.objectField("router_settings"_L1);
    if (settings.count() == 0)
        return std::nullopt;
    Reader& reader = f.reader();
    return f.nested("router_settings"_L1)
        .map<RouterAlias>("model_group_alias"_L1,
                          [&reader](const JsonRef& value, const PathPart& path) {
                              return readRouterAlias(reader, value, path);
                          });
}

AccessGroup readAccessGroup(const Fields& f) {
    AccessGroup g;
    g.id = f.id("access_group_id"_L1);
    g.name = f.text("access_group_name"_L1);
    g.modelNames = f.strings("access_model_names"_L1);
    g.assignedTeamIds = f.strings("assigned_team_ids"_L1);
    g.assignedKeyIds = f.strings("assigned_key_ids"_L1);
    g.extra = f.extra({"access_group_id", "access_group_name", "access_model_names",
                       "assigned_team_ids", "assigned_key_ids"});
    return g;
}

Organization readOrganization(const Fields& f) {
    Organization o;
    o.id = f.id("organization_id"_L1);
    o.alias = f.text("organization_alias"_L1);
    o.models = f.strings("models"_L1);
    o.extra = f.extra({"organization_id", "organization_alias", "models"});
    return o;
}

TeamMemberRole readMemberRole(const Fields& f) {
    TeamMemberRole m;
    m.userId = f.optionalText("user_id"_L1);
    m.userEmail = f.optionalText("user_email"_L1);
    m.role = f.text("role"_L1);
    m.extra = f.extra({"user_id", "user_email", "role"});
    return m;
}

std::optional<QString> readModelId(const Fields& f) {
    const JsonRef value = f.value("model_id"_L1);
    if (value.isAbsent())
        return std::nullopt;
    if (!value.isString() &&
        (!value.isDouble() || value.toDouble() != std::floor(value.toDouble())))
        f.reader().fail(f.pathOf("model_id"_L1), u"expected a string or a whole number"_s);
    return detail::modelIdText(value.toQJsonValue());
}

// max_budget, tpm_limit and rpm_limit stay in `extra` too: a limit the file has as null is
// written back as null.
MemberBudget readMemberBudget(const Fields& f) {
    MemberBudget b;
    b.budgetId = f.text("budget_id"_L1, Share::Unique);
    b.allowedModels = f.strings("allowed_models"_L1);
    b.maxBudget = f.optionalNumber("max_budget"_L1);
    b.tpmLimit = f.optionalWholeNumber("tpm_limit"_L1);
    b.rpmLimit = f.optionalWholeNumber("rpm_limit"_L1);
    b.extra = f.extra({"budget_id", "allowed_models"});
    return b;
}

// model_id and router_settings stay in `extra`: they are written as read while they say the same.
Team readTeam(const Fields& f) {
    Team t;
    t.id = f.id("team_id"_L1);
    t.alias = f.text("team_alias"_L1);
    t.organizationId = f.optionalText("organization_id"_L1);
    t.models = f.strings("models"_L1);
    t.defaultTeamMemberModels = f.strings("default_team_member_models"_L1);
    t.blocked = f.flag("blocked"_L1);
    t.accessGroupIds = f.strings("access_group_ids"_L1);
    t.modelAliases = f.stringMap("model_aliases"_L1);
    t.membersWithRoles = f.objects<TeamMemberRole>("members_with_roles"_L1, readMemberRole);
    t.modelId = readModelId(f);
    if (!f.value("team_member_budget_table"_L1).isAbsent())
        t.defaultMemberBudget = readMemberBudget(f.nested("team_member_budget_table"_L1));
    t.routerAliases = readRouterSettings(f);
    t.extra = f.extra({"team_id", "team_alias", "organization_id", "models",
                       "default_team_member_models", "blocked", "access_group_ids", "model_aliases",
                       "members_with_roles", "team_member_budget_table"});
    return t;
}

// The limits and spend stay in `extra` too (see readMemberBudget).
TeamMembership readMembership(const Fields& f) {
    TeamMembership m;
    m.teamId = f.id("team_id"_L1);
    m.userId = f.id("user_id"_L1);
    m.budgetId = f.optionalText("budget_id"_L1, Share::Unique);
    m.allowedModels = f.strings("allowed_models"_L1);
    m.maxBudget = f.optionalNumber("max_budget"_L1);
    m.tpmLimit = f.optionalWholeNumber("tpm_limit"_L1);
    m.rpmLimit = f.optionalWholeNumber("rpm_limit"_L1);
    m.spend = f.optionalNumber("spend"_L1).value_or(0);
    m.extra = f.extra({"team_id", "user_id", "budget_id", "allowed_models"});
    return m;
}

// "teams": null stays in `extra` (the typed member cannot tell it from absence).
User readUser(const Fields& f) {
    User u;
    u.id = f.id("user_id"_L1);
    u.email = f.optionalText("user_email"_L1);
    u.role = f.text("user_role"_L1);
    u.models = f.strings("models"_L1);
    const JsonRef teams = f.value("teams"_L1);
    if (!teams.isAbsent())
        u.teams = f.strings("teams"_L1);
    u.extra = teams.isAbsent() ? f.extra({"user_id", "user_email", "user_role", "models"})
                               : f.extra({"user_id", "user_email", "user_role", "models", "teams"});
    return u;
}

Key readKey(const Fields& f) {
    Key k;
    k.token = f.id("token"_L1, Share::Unique);
    k.alias = f.optionalText("key_alias"_L1, Share::Unique);
    k.teamId = f.optionalText("team_id"_L1);
    k.userId = f.optionalText("user_id"_L1);
    k.projectId = f.optionalText("project_id"_L1);
    k.models = f.strings("models"_L1);
    k.aliases = f.stringMap("aliases"_L1);
    k.accessGroupIds = f.strings("access_group_ids"_L1);
    const JsonRef config = f.objectField("config"_L1);
    if (config.count() > 0)
        k.config = config.toQJsonValue().toObject();
    k.blocked = f.flag("blocked"_L1);
    k.routerAliases = readRouterSettings(f);
    k.extra = f.extra({"token", "key_alias", "team_id", "user_id", "project_id", "models",
                       "aliases", "access_group_ids", "config", "blocked"});
    return k;
}

Project readProject(const Fields& f) {
    Project p;
    p.id = f.id("project_id"_L1);
    p.models = f.strings("models"_L1);
    p.blocked = f.flag("blocked"_L1);
    p.extra = f.extra({"project_id", "models", "blocked"});
    return p;
}

// Builds a workspace from the reader's events: lists element by element, the other parts whole.
class WorkspaceBuilder {
public:
    explicit WorkspaceBuilder(bool headerRequired)
        : m_headerRequired(headerRequired) {}

    detail::JsonSink sink() {
        detail::JsonSink sink;
        sink.streamed = [](std::string_view key) { return listRank(key) >= 0; };
        // Names are looked up in a pool of a few hundred thousand: the slot, then the text.
        sink.upcoming = [this](const JsonTree& tree, int distance) {
            StringPool& pool = m_reader.pool();
            if (distance > 1) {
                tree.forEachStringHash([&pool](std::uint64_t hash) { pool.prefetchSlot(hash); });
            } else {
                tree.forEachStringHash([&pool](std::uint64_t hash) { pool.prefetchText(hash); });
            }
        };
        sink.element = [this](std::string_view key, qsizetype index, const JsonTree& tree) {
            element(key, index, tree);
        };
        sink.listEnd = [](std::string_view, qsizetype) {};
        sink.member = [this](std::string_view key, const JsonTree& tree) { member(key, tree); };
        return sink;
    }

    // After the whole text was read.
    Result<Workspace> finish() {
        m_reader.setRank(HeaderRank);
        checkHeader(m_reader, m_format.root(), m_version.root(), m_headerRequired);
        if (m_reader.anyFailed())
            return m_reader.error();
        std::sort(m_extra.begin(), m_extra.end(), [](const auto& a, const auto& b) {
            return detail::jsonKeyLess(a.first, b.first);
        });
        std::string text;
        for (const auto& [key, member] : m_extra) {
            text += text.empty() ? "" : ", ";
            text += member;
        }
        m_ws.extra =
            UnknownFields::fromMembersText(QByteArray(text.data(), qsizetype(text.size())));
        return std::move(m_ws);
    }

private:
    // The rank of a list's part, -1 for other keys.
    static int listRank(std::string_view key) {
        static constexpr std::pair<std::string_view, Rank> lists[] = {
            {"proxy_models", ProxyModelsRank},
            {"access_groups", AccessGroupsRank},
            {"organizations", OrganizationsRank},
            {"teams", TeamsRank},
            {"team_memberships", MembershipsRank},
            {"users", UsersRank},
            {"keys", KeysRank},
            {"projects", ProjectsRank},
        };
        for (const auto& [name, rank] : lists)
            if (name == key)
                return rank;
        return -1;
    }

    PathPart part(std::string_view key) const {
        return PathPart{&m_root, PathPart::Kind::Field,
                        QLatin1StringView(key.data(), qsizetype(key.size())), 0, nullptr};
    }

    void element(std::string_view key, qsizetype index, const JsonTree& tree) {
        // Elements come list by list: the rank of the last list saves comparing every name.
        if (!detail::sameName(key, m_list)) {
            m_list.assign(key);
            m_listRank = listRank(key);
        }
        const int rank = m_listRank;
        m_reader.setRank(rank);
        if (m_reader.failed())
            return;
        const PathPart list = part(key);
        const PathPart at{&list, PathPart::Kind::Index, {}, index, nullptr};
        const Fields top(m_reader, JsonRef(), m_root);
        const Fields f(m_reader, top.asObject(tree.root(), at), at);
        switch (rank) {
        case ProxyModelsRank:
            m_ws.proxyModels.append(readProxyModel(f));
            break;
        case AccessGroupsRank:
            m_ws.accessGroups.append(readAccessGroup(f));
            break;
        case OrganizationsRank:
            m_ws.organizations.append(readOrganization(f));
            break;
        case TeamsRank:
            m_ws.teams.append(readTeam(f));
            break;
        case MembershipsRank:
            m_ws.teamMemberships.append(readMembership(f));
            break;
        case UsersRank:
            m_ws.users.append(readUser(f));
            break;
        case KeysRank:
            m_ws.keys.append(readKey(f));
            break;
        default:
            m_ws.projects.append(readProject(f));
            break;
        }
    }

    void member(std::string_view key, const JsonTree& tree) {
        const JsonRef value = tree.root();
        const PathPart at = part(key);
        const Fields top(m_reader, JsonRef(), m_root);
        if (const int rank = listRank(key); rank >= 0) {
            // Not an array: null means an empty list, anything else is an error.
            m_reader.setRank(rank);
            if (!value.isAbsent())
                m_reader.fail(at.text(), u"expected an array"_s);
        } else if (key == "format") {
            m_format = tree;
        } else if (key == "version") {
            m_version = tree;
        } else if (key == "source") {
            m_reader.setRank(SourceRank);
            m_ws.source = readSource(Fields(m_reader, top.objectValue(value, at), at));
        } else if (key == "settings") {
            m_reader.setRank(SettingsRank);
            m_ws.settings = readSettings(Fields(m_reader, top.objectValue(value, at), at));
        } else if (key == "model_group_alias") {
            m_reader.setRank(ModelGroupAliasRank);
            Reader& reader = m_reader;
            m_ws.modelGroupAlias =
                top.mapOf<RouterAlias>(top.objectValue(value, at), at,
                                       [&reader](const JsonRef& alias, const PathPart& path) {
                                           return readRouterAlias(reader, alias, path);
                                       });
        } else if (key == "model_providers") {
            m_reader.setRank(ModelProvidersRank);
            m_ws.modelProviders = top.mapOf<QString>(
                top.objectValue(value, at), at, [&top](const JsonRef& v, const PathPart& path) {
                    return top.string(v, path, Share::Pooled);
                });
        } else {
            std::string text;
            detail::appendMember(text, key, value);
            m_extra.emplace_back(std::string(key), std::move(text));
        }
    }

    bool m_headerRequired;
    Reader m_reader;
    const PathPart m_root;
    Workspace m_ws;
    JsonTree m_format;
    JsonTree m_version;
    std::vector<std::pair<std::string, std::string>> m_extra;
    std::string m_list;
    int m_listRank = -1;
};

enum class Read { Done, JsonRefused };

// Reads `text`; JsonRefused when the text is not JSON this reader takes as it stands (see
// readJsonObject): then Qt's parser must judge it.
std::pair<Read, Result<Workspace>> readText(QByteArrayView text, detail::JsonTextKind kind,
                                            bool headerRequired) {
    WorkspaceBuilder builder(headerRequired);
    const detail::JsonSink sink = builder.sink();
    const bool read = text.size() >= detail::pipelineThreshold()
                          ? detail::readJsonObjectPipelined(text, kind, sink)
                          : detail::readJsonObject(text, kind, sink);
    if (!read)
        return {Read::JsonRefused, Error::invalid(QString())};
    Result<Workspace> ws = builder.finish();
    if (!ws)
        return {Read::Done, ws.error()};
    if (const Status valid = validate(*ws); !valid)
        return {Read::Done, valid.error()};
    return {Read::Done, std::move(ws)};
}

// A document Qt's parser built: read through the same reader.
Result<Workspace> readDocument(const QJsonObject& object, bool headerRequired) {
    const QByteArray text = detail::writeInternalJson(object);
    auto [read, ws] = readText(text, detail::JsonTextKind::Internal, headerRequired);
    if (read == Read::JsonRefused)
        return Error::invalid(WorkspaceText::tr("the document is nested too deeply to read"));
    return std::move(ws);
}

// Today's checks of the text, with their messages: duplicate keys (JsonScan), what Qt's parser
// refuses, a document that is not an object or has no "format". Only for text the streaming
// reader did not take as it stands, or where it found an error (which must not hide an earlier
// fault of the text).
Result<QJsonDocument> checkText(QByteArray json) {
    JsonTextCheck check;
    check.topLevelKeys = {"format"};
    check.beforeParsing = [](const detail::JsonOutline& outline) -> std::optional<Error> {
        if (outline.top == detail::JsonOutline::Top::Array)
            return Error::invalid(WorkspaceText::tr("top level: expected an object"));
        if (outline.top == detail::JsonOutline::Top::Object && !outline.found.at(0))
            return Error::invalid(notAWorkspace("format"_L1));
        return std::nullopt;
    };
    Result<QJsonDocument> document = parseJsonText(std::move(json), check);
    if (!document)
        return document.error();
    if (!document->isObject())
        return Error::invalid(WorkspaceText::tr("top level: expected an object"));
    return document;
}

// The text goes as soon as it is read: the workspace holds nothing of it.
Result<Workspace> parseText(QByteArray json) {
    auto [read, ws] = readText(json, detail::JsonTextKind::File, true);
    if (read == Read::Done) {
        if (ws)
            return std::move(ws);
        // The error stands unless the text has a fault of its own, which comes first.
        const detail::JsonOutline outline = detail::outlineJson(json, {"format"});
        if (outline.strict() && !outline.duplicate)
            return std::move(ws);
    }
    // Not strict JSON as it stands (Qt's parser may still take it, and did before): Qt's verdict.
    Result<QJsonDocument> document = checkText(std::move(json));
    if (!document)
        return document.error();
    return readDocument(document->object(), true);
}

} // namespace

Result<Workspace> parseObject(const QJsonObject& object) {
    return readDocument(object, false);
}

Result<Workspace> parse(const QByteArray& json) {
    return parseText(json);
}

Result<Workspace> parseFileContents(const QString& path, QByteArray json) {
    Result<Workspace> ws = parseText(std::move(json));
    if (!ws)
        return Error{ws.error().kind,
                     QDir::toNativeSeparators(path) + u": "_s + ws.error().message};
    return ws;
}

Result<Workspace> readFile(const QString& path, qint64 limit) {
    Result<QByteArray> json = readBoundedRegularFile(path, limit);
    if (!json)
        return json.error();
    return parseFileContents(path, std::move(json).value());
}

} // namespace litescope::workspace
