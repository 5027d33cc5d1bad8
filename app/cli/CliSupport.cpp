#include "CliSupport.h"

#include "ApiKeyPrompt.h"
#include "CliText.h"
#include "TerminalOutput.h"
#include "config/ProxyConfigMerge.h"
#include "domain/DisplayText.h"
#include "domain/Redaction.h"
#include "engine/AccessEngine.h"
#include "store/StoreFactory.h"
#include "workspace/WorkspaceJson.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace litescope::cli {

QTextStream& out() {
    static TerminalOutput device(stdout);
    static QTextStream stream(&device);
    return stream;
}

void writeOut(std::string_view bytes) {
    QTextStream& stream = out();
    stream.flush();
    stream.device()->write(bytes.data(), qint64(bytes.size()));
}

QTextStream& err() {
    static TerminalOutput device(stderr);
    static QTextStream stream(&device);
    return stream;
}

void setUpCommand(QCommandLineParser& parser, const QString& command, const QString& description) {
    parser.setApplicationDescription(description);
    parser.addHelpOption();
    parser.addOption(
        {{u"w"_s, u"workspace"_s}, CliText::tr("Use the workspace file <file>."), u"file"_s});
    parser.addOption(
        {u"db"_s,
         CliText::tr("Use the LiteLLM database <connection>: a URI (postgresql://user@host/db) or "
                     "key=value string. Give the password through PGPASSWORD or ~/.pgpass, not on "
                     "the command line."),
         u"connection"_s});
    parser.addOption(
        {u"api"_s, CliText::tr("Use the LiteLLM proxy's admin API at <url> (http(s)://host:port)."),
         u"url"_s});
    parser.addOption(
        {u"api-key-env"_s,
         CliText::tr("With --api: read the master key (or an admin's key) from the environment "
                     "variable <name>. Without it the key is asked for on the terminal. Never "
                     "put the key itself on the command line."),
         u"name"_s});
    parser.addOption({u"ca-file"_s,
                      CliText::tr("With --api: also trust the CA certificates in <file> (PEM), "
                                  "for a proxy with a private or self-signed certificate."),
                      u"file"_s});
    parser.addOption({u"timeout"_s,
                      CliText::tr("With --api: give up on a request after <seconds> (default 30)."),
                      u"seconds"_s});
    parser.addOption(
        {u"litellm-settings"_s,
         CliText::tr("With --api: the proxy's litellm_settings as JSON (model_alias_map, "
                     "personal_key_model_access_from_teams, personal_key_multi_team_access), "
                     "which the admin API does not return. Without it, decisions that depend on "
                     "them come out unknown."),
         u"file"_s});
    parser.addOption(
        {u"proxy-config"_s,
         CliText::tr("Also read the proxy's own config.yaml <file> (and its includes): its "
                     "model_list, litellm_settings and router model_group_alias, merged as the "
                     "proxy does. Values written as os.environ/NAME are not read."),
         u"file"_s});
    parser.addOption({u"api-key-header"_s,
                      CliText::tr("With --api: send the key in header <name> (default "
                                  "Authorization; LiteLLM's litellm_key_header_name)."),
                      u"name"_s});
    parser.addOption(
        {u"litellm-version"_s,
         CliText::tr("Decide and write as LiteLLM release <version> (e.g. 1.97.2) does, whatever "
                     "the source says. Without it: the admin API's /health/readiness, the "
                     "database's migrations or the workspace's source.litellm_version; when none "
                     "says, the newest rules litescope knows, marked \"assumed\"."),
         u"version"_s});
    parser.addOption(
        {u"max-file-size"_s,
         CliText::tr("Read no file larger than <MiB> mebibytes: the workspace, --proxy-config and "
                     "its includes, --litellm-settings, --ca-file (default: %1 for a workspace, "
                     "%2 for the others). Directories, devices and FIFOs are never read.")
             .arg(DefaultWorkspaceFileLimit / MiB)
             .arg(DefaultConfigFileLimit / MiB),
         u"MiB"_s});
    parser.addOption({u"read-only"_s, CliText::tr("Refuse every change (enforced by the database "
                                                  "session too).")});
    parser.addOption({u"actor"_s,
                      CliText::tr("Who is making changes, recorded as changed_by / updated_by "
                                  "(default: default_user_id, as LiteLLM's master key)."),
                      u"name"_s});
    parser.addPositionalArgument(command, CliText::tr("The command."));
}

std::optional<int> parseCommand(QCommandLineParser& parser, const QStringList& arguments) {
    if (!parser.parse(arguments))
        return badInput(escapeHiddenCharacters(parser.errorText()));
    if (parser.isSet(u"help"_s)) {
        out() << parser.helpText();
        out().flush();
        return ExitOk;
    }
    return std::nullopt;
}

bool hasSource(const QCommandLineParser& parser) {
    return parser.isSet(u"workspace"_s) || parser.isSet(u"db"_s) || parser.isSet(u"api"_s);
}

QString missingSourceMessage() {
    return CliText::tr(
        "Say where the data comes from: --workspace FILE, --db CONNECTION or --api URL.");
}

namespace {

// The spec the source options describe, without the API key (asked for once the rest is known to
// be usable). A --timeout that is not a number becomes NaN, which the factory refuses.
ConnectionSpec specFrom(const QCommandLineParser& parser) {
    const auto optional = [&parser](const QString& name) -> std::optional<QString> {
        if (!parser.isSet(name))
            return std::nullopt;
        return parser.value(name);
    };
    ConnectionSpec spec;
    spec.workspaceFile = optional(u"workspace"_s);
    spec.databaseUri = optional(u"db"_s);
    spec.apiUrl = optional(u"api"_s);
    spec.apiKeyHeader = optional(u"api-key-header"_s);
    spec.caFile = optional(u"ca-file"_s);
    spec.litellmSettingsFile = optional(u"litellm-settings"_s);
    spec.proxyConfigFile = optional(u"proxy-config"_s);
    spec.litellmVersion = optional(u"litellm-version"_s);
    if (parser.isSet(u"timeout"_s)) {
        bool ok = false;
        const double seconds = parser.value(u"timeout"_s).toDouble(&ok);
        spec.timeoutSeconds = ok ? seconds : std::nan("");
    }
    if (parser.isSet(u"max-file-size"_s)) {
        bool ok = false;
        const qint64 mebibytes = parser.value(u"max-file-size"_s).toLongLong(&ok);
        // Anything unusable becomes a limit the factory refuses (0, or just over the most).
        spec.maxFileSize = !ok || mebibytes <= 0            ? 0
                           : mebibytes > MaxFileLimit / MiB ? MaxFileLimit + 1
                                                            : mebibytes * MiB;
    }
    spec.readOnly = parser.isSet(u"read-only"_s);
    spec.actor = optional(u"actor"_s);
    return spec;
}

QString optionFor(SpecField field) {
    switch (field) {
    case SpecField::Source:
    case SpecField::WorkspaceFile:
        return u"workspace"_s;
    case SpecField::DatabaseUri:
        return u"db"_s;
    case SpecField::ApiUrl:
        return u"api"_s;
    case SpecField::ApiKey:
        return u"api-key-env"_s;
    case SpecField::ApiKeyHeader:
        return u"api-key-header"_s;
    case SpecField::CaFile:
        return u"ca-file"_s;
    case SpecField::Timeout:
        return u"timeout"_s;
    case SpecField::LitellmSettingsFile:
        return u"litellm-settings"_s;
    case SpecField::ProxyConfigFile:
        return u"proxy-config"_s;
    case SpecField::LitellmVersion:
        return u"litellm-version"_s;
    case SpecField::Actor:
        return u"actor"_s;
    case SpecField::MaxFileSize:
        return u"max-file-size"_s;
    }
    return {};
}

// The factory's problem in the CLI's terms: its option names where the factory names fields.
QString messageFor(const SpecProblem& problem) {
    using Kind = SpecProblem::Kind;
    switch (problem.kind) {
    case Kind::NoSource:
        return missingSourceMessage();
    case Kind::SeveralSources:
        return CliText::tr("Give one of --workspace, --db and --api, not several.");
    case Kind::OnlyForApi:
        return CliText::tr("--%1 goes with --api.").arg(optionFor(problem.field));
    case Kind::Empty:
        if (problem.field == SpecField::Actor)
            return CliText::tr("--actor cannot be empty.");
        break;
    case Kind::Invalid:
        if (problem.field == SpecField::Timeout)
            return CliText::tr("--timeout takes a number of seconds above 0 and at most 3600.");
        if (problem.field == SpecField::MaxFileSize)
            return CliText::tr("--max-file-size takes a whole number of MiB from 1 to %1.")
                .arg(MaxFileLimit / MiB);
        break;
    }
    return problem.error.message;
}

// The spec of the source options, checked, with the API key filled in; the --db password warning
// on the way. The checks run in the order they always did, so the first message is the same.
Result<ConnectionSpec> checkedSpec(const QCommandLineParser& parser) {
    ConnectionSpec spec = specFrom(parser);
    const std::optional<SpecProblem> problem = findProblem(spec);
    using Kind = SpecProblem::Kind;
    if (problem && (problem->kind == Kind::NoSource || problem->kind == Kind::SeveralSources))
        return Error::invalid(messageFor(*problem));
    // Where the key comes from is the CLI's own option: the spec only ever holds the key.
    if (parser.isSet(u"api-key-env"_s) && !parser.isSet(u"api"_s))
        return Error::invalid(messageFor({Kind::OnlyForApi, SpecField::ApiKey, {}}));
    if (problem && problem->field != SpecField::DatabaseUri)
        return Error{problem->error.kind, messageFor(*problem)};
    // Even for a string libpq cannot read (a URI without its scheme, a bare password): the
    // process list shows the password all the same.
    switch (spec.databasePassword()) {
    case PasswordCheck::None:
        break;
    case PasswordCheck::Found:
        err() << CliText::tr("litescope-cli: warning: the --db connection string holds a password, "
                             "which other users can see in the process list; use PGPASSWORD or "
                             "~/.pgpass instead.")
              << Qt::endl;
        break;
    case PasswordCheck::Unreadable:
        err() << CliText::tr("litescope-cli: warning: the --db connection string cannot be read, "
                             "so whether it holds a password is not known; if it does, other users "
                             "can see it in the process list: use PGPASSWORD or ~/.pgpass instead.")
              << Qt::endl;
        break;
    }
    if (problem)
        return problem->error;
    if (spec.kind() == ConnectionKind::Api) {
        Result<QString> key = parser.isSet(u"api-key-env"_s)
                                  ? apiKeyFromEnvironment(parser.value(u"api-key-env"_s))
                                  : promptForApiKey(spec.displayName());
        if (!key)
            return key.error();
        spec.apiKey = *key;
    }
    return spec;
}

Result<std::unique_ptr<Store>> openSpec(const ConnectionSpec& spec) {
    Result<std::unique_ptr<Store>> store = makeStore(spec);
    if (!store)
        return store.error();
    Result<StoreInfo> info = run((*store)->open());
    if (!info)
        return info.error();
    return store;
}

} // namespace

namespace {

// A file is read once and as it is: a FileStore would read it twice (open, snapshot) and label a
// bare file with its path, which `snapshot -o` would then write out.
Result<Workspace> readWorkspaceFile(const ConnectionSpec& spec) {
    Result<Workspace> file = workspace::readFile(*spec.workspaceFile, spec.fileLimits().workspace);
    // As a store's snapshot does with the admin's version (Store::setLiteLLMVersion).
    if (file && spec.litellmVersion) {
        file->source.litellmVersion = LiteLLMVersion::parse(*spec.litellmVersion)->toString();
        file->source.assumed.removeAll(u"litellm_version"_s);
    }
    return file;
}

Result<Workspace> readSource(const ConnectionSpec& spec, CallOptions options) {
    if (spec.kind() == ConnectionKind::WorkspaceFile)
        return readWorkspaceFile(spec);
    Result<std::unique_ptr<Store>> store = openSpec(spec);
    if (!store)
        return store.error();
    return run((*store)->snapshot(std::move(options)));
}

Result<KeySlice> readKeySource(const ConnectionSpec& spec, const QString& key) {
    if (spec.kind() == ConnectionKind::WorkspaceFile) {
        Result<Workspace> file = readWorkspaceFile(spec);
        if (!file)
            return file.error();
        KeySlice slice = keySlice(*file, key);
        // The whole file was read to validate it; the check needs only the slice. Its rows are
        // left for the process's exit to take back: freeing 400,000 rows one by one costs a
        // tenth of a second that the command does not need. Held by a plain pointer, so the
        // memory stays reachable (not a leak to LeakSanitizer).
        static Workspace* whole = nullptr;
        delete whole;
        whole = new Workspace(*std::move(file));
        return slice;
    }
    Result<std::unique_ptr<Store>> store = openSpec(spec);
    if (!store)
        return store.error();
    return run((*store)->keySnapshot(key));
}

// One warning for every assumption; each decision that rests on one says so too.
void warnAboutAssumptions(const Workspace& workspace) {
    QStringList assumed = workspace.source.assumed;
    const bool versionAssumed = assumed.removeAll(u"litellm_version"_s) > 0;
    if (!assumed.isEmpty())
        err() << CliText::tr("litescope-cli: warning: this source cannot show %1; decisions "
                             "assume LiteLLM's defaults for them and are marked \"assumed\". "
                             "Give the proxy's config.yaml with --proxy-config FILE.")
                     .arg(assumed.join(u", "_s))
              << Qt::endl;
    // The release is not in config.yaml: only the admin can say it.
    if (versionAssumed)
        err() << CliText::tr("litescope-cli: warning: this source cannot say exactly which LiteLLM "
                             "release the proxy runs; decisions follow LiteLLM %1's rules and are "
                             "marked \"assumed\" where those rules matter. Give the release with "
                             "--litellm-version VERSION.")
                     .arg(LiteLLMProfile::fromSource(workspace.source.litellmVersion)
                              .version()
                              .toString())
              << Qt::endl;
}

} // namespace

Result<Workspace> withProxyConfig(const QCommandLineParser& parser, Result<Workspace> snapshot) {
    if (!snapshot || !parser.isSet(u"proxy-config"_s))
        return snapshot;
    const Result<ProxyConfig> config =
        readProxyConfig(parser.value(u"proxy-config"_s), specFrom(parser).fileLimits().config);
    if (!config)
        return config.error();
    MergedSource merged = mergeProxyConfig(std::move(snapshot).value(), *config);
    for (const QString& warning : merged.warnings)
        err() << CliText::tr("litescope-cli: warning: %1").arg(warning) << Qt::endl;
    return std::move(merged.workspace);
}

Result<Workspace> loadSource(const QCommandLineParser& parser, CallOptions options) {
    Result<ConnectionSpec> spec = checkedSpec(parser);
    if (!spec)
        return spec.error();
    Result<Workspace> workspace = withProxyConfig(parser, readSource(*spec, std::move(options)));
    if (workspace)
        warnAboutAssumptions(*workspace);
    return workspace;
}

Result<KeySlice> loadKeySource(const QCommandLineParser& parser, const QString& key) {
    Result<ConnectionSpec> spec = checkedSpec(parser);
    if (!spec)
        return spec.error();
    Result<KeySlice> slice = readKeySource(*spec, key);
    if (!slice)
        return slice.error();
    Result<Workspace> workspace = withProxyConfig(parser, std::move(slice->workspace));
    if (!workspace)
        return workspace.error();
    slice->workspace = *std::move(workspace);
    warnAboutAssumptions(slice->workspace);
    return slice;
}

Result<std::unique_ptr<Store>> openStore(const QCommandLineParser& parser) {
    Result<ConnectionSpec> spec = checkedSpec(parser);
    if (!spec)
        return spec.error();
    return openSpec(*spec);
}

QString noSuchKeyMessage(const QString& key) {
    // A redacted key is already quoted when it holds anything a terminal would act on.
    const QString shown = redactedKey(key);
    return CliText::tr("no key %1 in the workspace (give a token, hash or key alias)")
        .arg(shown.startsWith(u'"') ? shown : u'"' + shown + u'"');
}

DanglingReferenceWarnings::DanglingReferenceWarnings(const AccessEngine& engine,
                                                     const KeySlice* slice)
    : m_engine(engine)
    , m_slice(slice)
    , m_check(engine.workspace()) {}

void DanglingReferenceWarnings::warnFor(std::int32_t key) {
    if (key < 0 || m_warned.contains(key))
        return;
    m_warned.insert(key);
    // In the order referenceWarnings gives them: memberships before keys.
    QStringList warnings;
    if (const std::int32_t membership =
            m_engine.compiled().keys()[static_cast<std::size_t>(key)].membership;
        membership >= 0)
        warnings = m_check.membershipWarnings(
            membership, m_slice ? m_slice->membershipRows.at(membership) : -1);
    warnings += m_check.keyWarnings(key, m_slice ? m_slice->keyRows.at(key) : -1);
    for (const QString& warning : std::as_const(warnings))
        err() << "litescope-cli: warning: " << warning << Qt::endl;
}

void warnAboutDanglingReferences(const AccessEngine& engine, const QList<std::int32_t>& keys,
                                 const KeySlice* slice) {
    DanglingReferenceWarnings warnings(engine, slice);
    for (const std::int32_t key : keys)
        warnings.warnFor(key);
}

int badInput(const QString& message) {
    out().flush();
    err() << "litescope-cli: " << message << Qt::endl;
    return ExitBadInput;
}

} // namespace litescope::cli
