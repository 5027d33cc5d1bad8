// Reading workspace files. Writing is in WorkspaceWriter.cpp, the id and reference checks in
// WorkspaceValidation.cpp.
#include "workspace/WorkspaceJson.h"

#include "domain/BoundedFile.h"
#include "domain/TranslationContexts.h"
#include "engine/LiteLLMRelease.h"
#include "workspace/JsonDetail.h"
#include "workspace/JsonText.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <optional>

namespace litescope::workspace {

using namespace Qt::StringLiterals;
using detail::fieldPath;
using detail::indexPath;
using detail::keyPath;

namespace {

constexpr auto formatName = "litescope-workspace"_L1;
constexpr int supportedVersion = 1;

// Collects the first error and lets the reading code stay a flat list of field reads: after a
// failure the remaining reads return defaults and the error is reported once at the end.
class Reader {
public:
    bool failed() const { return m_error.has_value(); }
    const Error& error() const { return *m_error; }

    // An empty path: a problem of the whole document.
    void fail(const QString& path, const QString& problem) {
        if (!m_error)
            m_error = Error::invalid(path.isEmpty() ? problem : path + u": "_s + problem);
    }

    QString string(const QJsonValue& value, const QString& path) {
        if (!value.isString())
            fail(path, u"expected a string"_s);
        return value.toString();
    }

    QJsonObject object(const QJsonValue& value, const QString& path) {
        if (!value.isObject())
            fail(path, u"expected an object"_s);
        return value.toObject();
    }

private:
    std::optional<Error> m_error;
};

// LiteLLM's database has NULL where a list or map was never set; it means the same as absent.
bool isAbsent(const QJsonValue& value) {
    return value.isUndefined() || value.isNull();
}

// The fields of one JSON object at a known path.
class Fields {
public:
    Fields(Reader& reader, QJsonObject object, QString path)
        : m_reader(reader)
        , m_object(std::move(object))
        , m_path(std::move(path)) {}

    const QJsonObject& object() const { return m_object; }
    const QString& path() const { return m_path; }
    Reader& reader() const { return m_reader; }

    QJsonValue value(QLatin1StringView key) const { return m_object.value(key); }
    QString pathOf(QLatin1StringView key) const { return fieldPath(m_path, key); }

    QString id(QLatin1StringView key) const {
        if (isAbsent(value(key))) {
            m_reader.fail(pathOf(key), u"missing required field"_s);
            return {};
        }
        return m_reader.string(value(key), pathOf(key));
    }

    QString text(QLatin1StringView key) const { return optionalText(key).value_or(QString()); }

    std::optional<QString> optionalText(QLatin1StringView key) const {
        if (isAbsent(value(key)))
            return std::nullopt;
        return m_reader.string(value(key), pathOf(key));
    }

    std::optional<double> optionalNumber(QLatin1StringView key) const {
        const QJsonValue v = value(key);
        if (isAbsent(v))
            return std::nullopt;
        if (!v.isDouble()) {
            m_reader.fail(pathOf(key), u"expected a number or null"_s);
            return std::nullopt;
        }
        return v.toDouble();
    }

    std::optional<qint64> optionalWholeNumber(QLatin1StringView key) const {
        const std::optional<double> number = optionalNumber(key);
        if (number && (*number != std::floor(*number) || std::abs(*number) > 9.0e15)) {
            m_reader.fail(pathOf(key), u"expected a whole number or null"_s);
            return std::nullopt;
        }
        return number ? std::optional<qint64>(static_cast<qint64>(*number)) : std::nullopt;
    }

    bool flag(QLatin1StringView key) const {
        const QJsonValue v = value(key);
        if (isAbsent(v))
            return false;
        if (!v.isBool())
            m_reader.fail(pathOf(key), u"expected true or false"_s);
        return v.toBool();
    }

    QJsonObject objectField(QLatin1StringView key) const {
        return isAbsent(value(key)) ? QJsonObject() : m_reader.object(value(key), pathOf(key));
    }

    Fields nested(QLatin1StringView key) const {
        return Fields(m_reader, objectField(key), pathOf(key));
    }

    // readElement(const QJsonValue&, const QString& path) -> T
    template <typename T, typename ReadElement>
    QList<T> list(QLatin1StringView key, ReadElement readElement) const {
        QList<T> result;
        const QJsonValue v = value(key);
        if (isAbsent(v))
            return result;
        if (!v.isArray()) {
            m_reader.fail(pathOf(key), u"expected an array"_s);
            return result;
        }
        const QJsonArray array = v.toArray();
        result.reserve(array.size());
        for (qsizetype i = 0; i < array.size() && !m_reader.failed(); ++i)
            result.append(readElement(array.at(i), indexPath(pathOf(key), i)));
        return result;
    }

    // readEntity(const Fields&) -> T, for lists of objects
    template <typename T, typename ReadEntity>
    QList<T> objects(QLatin1StringView key, ReadEntity readEntity) const {
        return list<T>(key, [&](const QJsonValue& element, const QString& path) {
            return readEntity(Fields(m_reader, m_reader.object(element, path), path));
        });
    }

    // readValue(const QJsonValue&, const QString& path) -> T
    template <typename T, typename ReadValue>
    QMap<QString, T> map(QLatin1StringView key, ReadValue readValue) const {
        QMap<QString, T> result;
        const QJsonObject entries = objectField(key);
        for (auto it = entries.constBegin(); it != entries.constEnd() && !m_reader.failed(); ++it)
            result.insert(it.key(), readValue(it.value(), keyPath(pathOf(key), it.key())));
        return result;
    }

    QStringList strings(QLatin1StringView key) const {
        return list<QString>(key, [this](const QJsonValue& v, const QString& path) {
            return m_reader.string(v, path);
        });
    }

    StringMap stringMap(QLatin1StringView key) const {
        return map<QString>(key, [this](const QJsonValue& v, const QString& path) {
            return m_reader.string(v, path);
        });
    }

private:
    Reader& m_reader;
    QJsonObject m_object;
    QString m_path;
};

QString notAWorkspace(QLatin1StringView field) {
    return WorkspaceText::tr("not a litescope workspace (no \"%1\" field; a workspace starts "
                             "{\"format\": \"%2\", \"version\": %3, ...})")
        .arg(field, formatName)
        .arg(supportedVersion);
}

// `required`: a document from outside (a file) must say it is a workspace; one built in this
// process (from the admin API's answers) may leave the header out.
void checkHeader(const Fields& top, bool required) {
    const QJsonValue format = top.value("format"_L1);
    if (format.isUndefined() && required)
        top.reader().fail(QString(), notAWorkspace("format"_L1));
    if (!format.isUndefined() && format.toString() != formatName)
        top.reader().fail(u"format"_s, u"expected \""_s + formatName + u'"');

    const QJsonValue version = top.value("version"_L1);
    if (version.isUndefined() && required)
        top.reader().fail(QString(), notAWorkspace("version"_L1));
    if (version.isUndefined())
        return;
    const double number = version.toDouble();
    if (!version.isDouble() || number != std::floor(number)) {
        top.reader().fail(u"version"_s, u"expected a whole number"_s);
        return;
    }
    if (number == supportedVersion)
        return;
    const QString problem =
        number > supportedVersion
            ? u"this file is version %1, newer than this litescope reads (version %2); update litescope"_s
            : u"unsupported version %1 (this litescope reads version %2)"_s;
    top.reader().fail(u"version"_s, problem.arg(QString::number(number)).arg(supportedVersion));
}

SourceInfo readSource(const Fields& f) {
    SourceInfo s;
    s.kind = f.text("kind"_L1);
    s.label = f.text("label"_L1);
    s.capturedAt = f.text("captured_at"_L1);
    s.unknown = f.strings("unknown"_L1);
    s.assumed = f.strings("assumed"_L1);
    s.warnings = f.strings("warnings"_L1);
    s.litellmVersion = f.text("litellm_version"_L1);
    if (!s.litellmVersion.isEmpty() && !LiteLLMVersion::parse(s.litellmVersion))
        f.reader().fail(f.pathOf("litellm_version"_L1),
                        u"expected a LiteLLM release such as \"1.97.2\""_s);
    s.original = f.object();
    return s;
}

Settings readSettings(const Fields& f) {
    Settings s;
    s.modelAliasMap = f.stringMap("model_alias_map"_L1);
    s.personalKeyModelAccessFromTeams = f.flag("personal_key_model_access_from_teams"_L1);
    const QJsonValue access = f.value("personal_key_multi_team_access"_L1);
    if (access == "intersection"_L1)
        s.personalKeyMultiTeamAccess = MultiTeamAccess::Intersection;
    else if (!isAbsent(access) && access != "union"_L1)
        f.reader().fail(f.pathOf("personal_key_multi_team_access"_L1),
                        u"expected \"union\" or \"intersection\""_s);
    s.original = f.object();
    return s;
}

ProxyModel readProxyModel(const Fields& f) {
    ProxyModel m;
    m.modelName = f.id("model_name"_L1);
    m.litellmModel = f.nested("litellm_params"_L1).text("model"_L1);
    const Fields info = f.nested("model_info"_L1);
    m.modelId = info.text("id"_L1);
    m.accessGroups = info.strings("access_groups"_L1);
    m.teamId = info.optionalText("team_id"_L1);
    m.teamPublicModelName = info.optionalText("team_public_model_name"_L1);
    m.original = f.object();
    return m;
}

RouterAlias readRouterAlias(Reader& reader, const QJsonValue& value, const QString& path) {
    RouterAlias alias;
    alias.original = value;
    if (value.isString()) {
        alias.target = value.toString();
    } else if (value.isObject()) {
        const Fields f(reader, value.toObject(), path);
        alias.target = f.id("model"_L1);
        alias.hidden = f.flag("hidden"_L1);
    } else {
        reader.fail(path, u"expected a string or an object {\"model\": …, \"hidden\": …}"_s);
    }
    return alias;
}

// router_settings of a key or team: only its model_group_alias matters to access, and only
// whether the object is empty decides whose settings count.
std::optional<QMap<QString, RouterAlias>> readRouterSettings(const Fields& f) {
    const QJsonObject settings = f.objectField("router_settings"_L1);
    if (settings.isEmpty())
        return std::nullopt;
    Reader& reader = f.reader();
    return f.nested("router_settings"_L1)
        .map<RouterAlias>("model_group_alias"_L1,
                          [&reader](const QJsonValue& value, const QString& path) {
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
    g.original = f.object();
    return g;
}

Organization readOrganization(const Fields& f) {
    Organization o;
    o.id = f.id("organization_id"_L1);
    o.alias = f.text("organization_alias"_L1);
    o.models = f.strings("models"_L1);
    o.original = f.object();
    return o;
}

TeamMemberRole readMemberRole(const Fields& f) {
    TeamMemberRole m;
    m.userId = f.optionalText("user_id"_L1);
    m.userEmail = f.optionalText("user_email"_L1);
    m.role = f.text("role"_L1);
    m.original = f.object();
    return m;
}

std::optional<QString> readModelId(const Fields& f) {
    const QJsonValue value = f.value("model_id"_L1);
    if (isAbsent(value))
        return std::nullopt;
    if (!value.isString() &&
        (!value.isDouble() || value.toDouble() != std::floor(value.toDouble())))
        f.reader().fail(f.pathOf("model_id"_L1), u"expected a string or a whole number"_s);
    return detail::modelIdText(value);
}

MemberBudget readMemberBudget(const Fields& f) {
    MemberBudget b;
    b.budgetId = f.text("budget_id"_L1);
    b.allowedModels = f.strings("allowed_models"_L1);
    b.maxBudget = f.optionalNumber("max_budget"_L1);
    b.tpmLimit = f.optionalWholeNumber("tpm_limit"_L1);
    b.rpmLimit = f.optionalWholeNumber("rpm_limit"_L1);
    b.original = f.object();
    return b;
}

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
    if (!isAbsent(f.value("team_member_budget_table"_L1)))
        t.defaultMemberBudget = readMemberBudget(f.nested("team_member_budget_table"_L1));
    t.routerAliases = readRouterSettings(f);
    t.original = f.object();
    return t;
}

TeamMembership readMembership(const Fields& f) {
    TeamMembership m;
    m.teamId = f.id("team_id"_L1);
    m.userId = f.id("user_id"_L1);
    m.budgetId = f.optionalText("budget_id"_L1);
    m.allowedModels = f.strings("allowed_models"_L1);
    m.maxBudget = f.optionalNumber("max_budget"_L1);
    m.tpmLimit = f.optionalWholeNumber("tpm_limit"_L1);
    m.rpmLimit = f.optionalWholeNumber("rpm_limit"_L1);
    m.spend = f.optionalNumber("spend"_L1).value_or(0);
    m.original = f.object();
    return m;
}

User readUser(const Fields& f) {
    User u;
    u.id = f.id("user_id"_L1);
    u.email = f.optionalText("user_email"_L1);
    u.role = f.text("user_role"_L1);
    u.models = f.strings("models"_L1);
    if (!isAbsent(f.value("teams"_L1)))
        u.teams = f.strings("teams"_L1);
    u.original = f.object();
    return u;
}

Key readKey(const Fields& f) {
    Key k;
    k.token = f.id("token"_L1);
    k.alias = f.optionalText("key_alias"_L1);
    k.teamId = f.optionalText("team_id"_L1);
    k.userId = f.optionalText("user_id"_L1);
    k.projectId = f.optionalText("project_id"_L1);
    k.models = f.strings("models"_L1);
    k.aliases = f.stringMap("aliases"_L1);
    k.accessGroupIds = f.strings("access_group_ids"_L1);
    k.config = f.objectField("config"_L1);
    k.blocked = f.flag("blocked"_L1);
    k.routerAliases = readRouterSettings(f);
    k.original = f.object();
    return k;
}

Project readProject(const Fields& f) {
    Project p;
    p.id = f.id("project_id"_L1);
    p.models = f.strings("models"_L1);
    p.blocked = f.flag("blocked"_L1);
    p.original = f.object();
    return p;
}

Workspace readWorkspace(const Fields& top) {
    Reader& reader = top.reader();
    Workspace ws;
    ws.source = readSource(top.nested("source"_L1));
    ws.settings = readSettings(top.nested("settings"_L1));
    ws.proxyModels = top.objects<ProxyModel>("proxy_models"_L1, readProxyModel);
    ws.modelGroupAlias = top.map<RouterAlias>(
        "model_group_alias"_L1, [&reader](const QJsonValue& value, const QString& path) {
            return readRouterAlias(reader, value, path);
        });
    ws.modelProviders = top.stringMap("model_providers"_L1);
    ws.accessGroups = top.objects<AccessGroup>("access_groups"_L1, readAccessGroup);
    ws.organizations = top.objects<Organization>("organizations"_L1, readOrganization);
    ws.teams = top.objects<Team>("teams"_L1, readTeam);
    ws.teamMemberships = top.objects<TeamMembership>("team_memberships"_L1, readMembership);
    ws.users = top.objects<User>("users"_L1, readUser);
    ws.keys = top.objects<Key>("keys"_L1, readKey);
    ws.projects = top.objects<Project>("projects"_L1, readProject);
    ws.original = top.object();
    return ws;
}

Result<Workspace> parseDocumentObject(const QJsonObject& object, bool headerRequired) {
    Reader reader;
    const Fields top(reader, object, QString());
    checkHeader(top, headerRequired);
    if (reader.failed())
        return reader.error();
    Workspace ws = readWorkspace(top);
    if (reader.failed())
        return reader.error();
    if (const Status valid = validate(ws); !valid)
        return valid.error();
    return ws;
}

// The text goes as soon as it is parsed: the workspace is built from the document alone.
Result<Workspace> parseText(QByteArray json) {
    JsonTextCheck check;
    check.topLevelKeys = {"format"};
    // Refused from the outline, before anything is built: a 500 MB JSON file that is not a
    // workspace costs one cheap pass, not a parse.
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
    return parseDocumentObject(document->object(), true);
}

} // namespace

Result<Workspace> parseObject(const QJsonObject& object) {
    return parseDocumentObject(object, false);
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
