// litescope-bench: the speed figures of docs/PERFORMANCE.md. Single decisions on a small proxy
// built to exercise one rule each, a full key + team + member decision on a generated proxy, the
// preview matrix of 5,000 members x 500 models, and loading that workspace.
#include "WorkspaceGenerator.h"
#include "engine/AccessEngine.h"
#include "workspace/WorkspaceJson.h"

#include <QJsonDocument>

#include <benchmark/benchmark.h>
#include <cstdlib>

using namespace Qt::StringLiterals;
using namespace litescope;

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "litescope-bench: %s\n", what);
    std::exit(2);
}

// One rule per key: exact, wildcard, router alias, router access group, denied by the team, and
// the key's own router_settings alias rewriting the model before every layer.
Workspace ruleWorkspace() {
    Workspace ws;
    const QStringList names = {u"gpt-4o"_s, u"gpt-4o-mini"_s, u"claude-sonnet"_s,
                               u"text-embedding-3-small"_s, u"openai/*"_s};
    for (const QString& name : names) {
        ProxyModel model;
        model.modelName = name;
        model.litellmModel = name.contains(u'/') ? name : u"openai/"_s + name;
        if (name.startsWith(u"gpt"_s))
            model.accessGroups = {u"beta-models"_s};
        ws.proxyModels.append(model);
    }
    ws.modelGroupAlias.insert(u"gpt4"_s, RouterAlias{u"gpt-4o"_s, false, {}});
    Team team;
    team.id = u"team-search"_s;
    team.models = {u"gpt-4o"_s, u"gpt-4o-mini"_s, u"openai/*"_s, u"beta-models"_s};
    team.membersWithRoles = {{u"alice"_s, u"alice@example.com"_s, u"user"_s, {}}};
    ws.teams.append(team);
    User alice;
    alice.id = u"alice"_s;
    ws.users.append(alice);
    TeamMembership membership;
    membership.teamId = team.id;
    membership.userId = alice.id;
    membership.allowedModels = {u"gpt-4o"_s, u"gpt-4o-mini"_s, u"openai/*"_s, u"beta-models"_s};
    ws.teamMemberships.append(membership);
    auto addKey = [&](const QString& token, QStringList models) {
        Key key;
        key.token = token;
        key.teamId = team.id;
        key.userId = alice.id;
        key.models = std::move(models);
        ws.keys.append(key);
    };
    addKey(u"sk-exact"_s, {u"gpt-4o"_s, u"gpt-4o-mini"_s});
    addKey(u"sk-wildcard"_s, {u"openai/*"_s});
    addKey(u"sk-group"_s, {u"beta-models"_s});
    addKey(u"sk-open"_s, {});
    addKey(u"sk-fast"_s, {});
    ws.keys.back().routerAliases =
        QMap<QString, RouterAlias>{{u"fast"_s, RouterAlias{u"gpt-4o-mini"_s, false, {}}}};
    return ws;
}

const AccessEngine& ruleEngine() {
    static const AccessEngine engine(ruleWorkspace());
    return engine;
}

void decideResolved(benchmark::State& state, const char* key, const char* model, bool allowed) {
    const AccessEngine& engine = ruleEngine();
    const ResolvedSubject subject =
        engine.resolve(Subject::forKey(engine.findKey(QString::fromUtf8(key))));
    const ResolvedRequest request = engine.resolve(ModelRequest::single(QString::fromUtf8(model)));
    if (engine.decide(subject, request).allowed() != allowed)
        fail("a rule benchmark does not decide as intended");
    for (auto _ : state)
        benchmark::DoNotOptimize(engine.decide(subject, request));
}

void BM_Decide_Exact(benchmark::State& state) {
    decideResolved(state, "sk-exact", "gpt-4o", true);
}
void BM_Decide_Wildcard(benchmark::State& state) {
    decideResolved(state, "sk-wildcard", "openai/gpt-4.1", true);
}
void BM_Decide_RouterAlias(benchmark::State& state) {
    decideResolved(state, "sk-exact", "gpt4", true);
}
void BM_Decide_KeyRouterSettingsAlias(benchmark::State& state) {
    decideResolved(state, "sk-fast", "fast", true);
}
void BM_Decide_AccessGroup(benchmark::State& state) {
    decideResolved(state, "sk-group", "gpt-4o-mini", true);
}
void BM_Decide_Denied(benchmark::State& state) {
    decideResolved(state, "sk-open", "claude-sonnet", false);
}

// The generated proxy: 5,000 members in 100 teams, 500 proxy models.
struct GeneratedProxy {
    Workspace workspace = bench::generateWorkspace({});
    QByteArray json = workspace::serialize(workspace);
    AccessEngine engine{workspace};
};

const GeneratedProxy& generated() {
    static const GeneratedProxy proxy;
    return proxy;
}

// A key with a team and a scoped membership, and a model every layer lists by name: the full
// key + team + member path of a typical team key.
std::pair<std::int32_t, QString> fullPathCase(const AccessEngine& engine) {
    const Workspace& ws = engine.workspace();
    for (std::int32_t k = 0; k < ws.keys.size(); ++k) {
        const engine::CompiledKey& key = engine.compiled().keys()[static_cast<std::size_t>(k)];
        if (key.team < 0 || key.membership < 0 || ws.keys[k].blocked ||
            !ws.keys[k].config.isEmpty())
            continue;
        for (const QString& model : ws.teamMemberships[key.membership].allowedModels) {
            const Decision decision = engine.decide(k, model);
            if (decision.allowed() && decision.trail.size() == 3 &&
                decision.trail[1].rule == Rule::Literal && decision.trail[2].rule == Rule::Literal)
                return {k, model};
        }
    }
    fail("the generated workspace has no key + team + member case");
}

void BM_Decide_KeyTeamMember(benchmark::State& state) {
    const AccessEngine& engine = generated().engine;
    const auto [key, model] = fullPathCase(engine);
    const ResolvedSubject subject = engine.resolve(Subject::forKey(key));
    const ResolvedRequest request = engine.resolve(ModelRequest::single(model));
    for (auto _ : state)
        benchmark::DoNotOptimize(engine.decide(subject, request));
}

// The same decision from strings, as the CLI makes it: key lookup, name lookup, decision.
void BM_Decide_KeyTeamMember_FromStrings(benchmark::State& state) {
    const AccessEngine& engine = generated().engine;
    const auto [key, model] = fullPathCase(engine);
    const QString token = engine.workspace().keys[key].token;
    const ModelRequest request = ModelRequest::single(model);
    for (auto _ : state)
        benchmark::DoNotOptimize(engine.decide(Subject::forKey(engine.findKey(token)), request));
}

void BM_PreviewMatrix_5000x500(benchmark::State& state) {
    const AccessEngine& engine = generated().engine;
    const Workspace& ws = engine.workspace();
    QList<Subject> members;
    for (const TeamMembership& membership : ws.teamMemberships)
        members.append(Subject::forMember(engine.findTeam(membership.teamId), membership.userId));
    QStringList models;
    for (const ProxyModel& model : ws.proxyModels)
        if (!models.contains(model.modelName))
            models.append(model.modelName);
    for (auto _ : state)
        benchmark::DoNotOptimize(engine.matrix(members, models));
    state.counters["members"] = double(members.size());
    state.counters["models"] = double(models.size());
    state.counters["decisions/s"] =
        benchmark::Counter(double(members.size()) * double(models.size()),
                           benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Load_ParseJson(benchmark::State& state) {
    const QByteArray& json = generated().json;
    for (auto _ : state)
        benchmark::DoNotOptimize(workspace::parse(json));
    state.counters["bytes"] = double(json.size());
}

// The admin API's path: a document built in this process, read with the same rules.
void BM_Load_ParseObject(benchmark::State& state) {
    const QJsonObject object = QJsonDocument::fromJson(generated().json).object();
    for (auto _ : state)
        benchmark::DoNotOptimize(workspace::parseObject(object));
}

void BM_Load_CompileEngine(benchmark::State& state) {
    const Workspace& ws = generated().workspace;
    for (auto _ : state)
        benchmark::DoNotOptimize(AccessEngine(ws));
}

void BM_Load_FileToEngine(benchmark::State& state) {
    const QByteArray& json = generated().json;
    for (auto _ : state) {
        Result<Workspace> ws = workspace::parse(json);
        if (!ws)
            fail("the generated workspace does not parse");
        benchmark::DoNotOptimize(AccessEngine(*ws));
    }
}

} // namespace

BENCHMARK(BM_Decide_Exact);
BENCHMARK(BM_Decide_Wildcard);
BENCHMARK(BM_Decide_RouterAlias);
BENCHMARK(BM_Decide_KeyRouterSettingsAlias);
BENCHMARK(BM_Decide_AccessGroup);
BENCHMARK(BM_Decide_Denied);
BENCHMARK(BM_Decide_KeyTeamMember);
BENCHMARK(BM_Decide_KeyTeamMember_FromStrings);
BENCHMARK(BM_PreviewMatrix_5000x500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Load_ParseJson)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Load_ParseObject)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Load_CompileEngine)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Load_FileToEngine)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
