// Unit tests of the access engine, one rule at a time, asserting not only the verdict but the
// trail: which check decided, by which rule, naming which entry. The preview screens show exactly
// this, so it has to be right.
#include "engine/AccessEngine.h"
#include "engine/DecisionText.h"
#include "workspace/WorkspaceJson.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;

namespace {

// Fixtures live in tests/data/engine/ (moc cannot read raw string literals holding JSON).
Workspace loadFile(const char* name) {
    const QString path =
        QStringLiteral(LITESCOPE_TEST_DATA "/data/engine/") + QString::fromUtf8(name);
    Result<Workspace> workspace = workspace::readFile(path);
    if (!workspace)
        qFatal("test workspace does not load: %s", qPrintable(workspace.error().message));
    return std::move(workspace).value();
}

Decision decide(const AccessEngine& engine, const QString& key, const QString& model) {
    const std::int32_t index = engine.findKey(key);
    if (index < 0)
        qFatal("no key %s", qPrintable(key));
    return engine.decide(index, model);
}

// The last step of the trail: the one that decided.
TrailStep last(const Decision& decision) {
    return decision.trail.isEmpty() ? TrailStep{} : decision.trail.back();
}

QString entryOf(const AccessEngine& engine, const TrailStep& step) {
    return step.entry >= 0 ? engine.compiled().name(step.entry) : QString();
}

} // namespace

class TstAccessEngine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_engine = std::make_unique<AccessEngine>(loadFile("proxy.json")); }

    void matcherRules_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<int>("rule");
        QTest::addColumn<QString>("entry");

        auto row = [](const char* name, const char* key, const char* model, bool allowed, Rule rule,
                      const char* entry = "") {
            QTest::newRow(name) << QString::fromUtf8(key) << QString::fromUtf8(model) << allowed
                                << int(rule) << QString::fromUtf8(entry);
        };
        row("empty list allows anything", "sk-open", "not-on-proxy", true, Rule::EmptyList);
        row("star allows anything", "sk-star", "not-on-proxy", true, Rule::Star, "*");
        row("all-proxy-models allows off-proxy names", "sk-allproxy", "not-on-proxy", true,
            Rule::AllProxyModels);
        row("router group grants its model", "sk-beta", "gpt-4o", true, Rule::RouterGroup,
            "beta-models");
        row("router alias inherits target groups", "sk-beta", "gpt4", true, Rule::RouterGroup,
            "beta-models");
        row("hidden alias granted through its target", "sk-beta", "secret", true, Rule::RouterGroup,
            "beta-models");
        row("group does not grant others", "sk-beta", "claude-sonnet", false, Rule::NotListed);
        row("regex dot is not escaped", "sk-dot", "bedrock/usXanthropicYclaude", true,
            Rule::Wildcard, "bedrock/us.anthropic.*");
        row("wildcard on the requested name", "sk-openai-wild", "openai/gpt-4o-mini", true,
            Rule::Wildcard, "openai/*");
        row("provider wildcard from the requested name", "sk-openai-wild", "gpt-4o-mini", true,
            Rule::ProviderWildcard, "openai/*");
        row("provider wildcard for a bare known model", "sk-openai-wild", "gpt-4.1", true,
            Rule::ProviderWildcard, "openai/*");
        row("deployment backend is not inferred", "sk-anthropic-wild", "claude-sonnet", false,
            Rule::NotListed);
        row("bare anthropic model is inferred", "sk-anthropic-wild", "claude-3-5-sonnet-20240620",
            true, Rule::ProviderWildcard, "anthropic/*");
        row("literal", "sk-gpt", "gpt-4o", true, Rule::Literal, "gpt-4o");
        row("not listed", "sk-gpt", "gpt-4o-mini", false, Rule::NotListed);
        row("global alias map target is a candidate", "sk-gpt", "gpt4", true, Rule::Literal,
            "gpt-4o");
    }

    void matcherRules() {
        QFETCH(QString, key);
        QFETCH(QString, model);
        QFETCH(bool, allowed);
        QFETCH(int, rule);
        QFETCH(QString, entry);
        const Decision decision = decide(*m_engine, key, model);
        QCOMPARE(decision.allowed(), allowed);
        QCOMPARE(decision.deniedBy, allowed ? Layer::None : Layer::Key);
        const TrailStep step = last(decision);
        QCOMPARE(step.stage, Stage::KeyModels);
        QCOMPARE(int(step.rule), rule);
        QCOMPARE(entryOf(*m_engine, step), entry);
    }

    void wildcardDeploymentGroups() {
        // A name served only by wildcard deployments takes the groups of the most specific one.
        const engine::CompiledWorkspace& ws = m_engine->compiled();
        const engine::NameFacts specific = ws.factsForUnknown(u"openai/gpt-4.1-mini"_s);
        QCOMPARE(specific.routerGroups.size(), std::size_t(1));
        QCOMPARE(ws.name(specific.routerGroups.front()), u"gpt41-family"_s);
        const engine::NameFacts general = ws.factsForUnknown(u"openai/o3"_s);
        QCOMPARE(general.routerGroups.size(), std::size_t(1));
        QCOMPARE(ws.name(general.routerGroups.front()), u"openai-wildcard"_s);
        // A name with its own deployment never falls back to wildcard deployments.
        QVERIFY(ws.facts(ws.find(u"gpt-4o"_s)).routerGroups.size() == 1);
    }

    void keySkipsItsCheck_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("rule");
        QTest::newRow("config") << u"sk-config"_s << int(Rule::ConfigSkip);
        QTest::newRow("all-team-models") << u"sk-allteam"_s << int(Rule::AllTeamModelsSkip);
    }

    void keySkipsItsCheck() {
        QFETCH(QString, key);
        QFETCH(int, rule);
        const Decision decision = decide(*m_engine, key, u"gpt-4o-mini"_s);
        QVERIFY(decision.allowed());
        QCOMPARE(decision.trail.front().verdict, Verdict::Skipped);
        QCOMPARE(int(decision.trail.front().rule), rule);
    }

    void keyAllTeamModelsStillBoundByTeam() {
        const Decision decision = decide(*m_engine, u"sk-allteam"_s, u"claude-sonnet"_s);
        QCOMPARE(decision.deniedBy, Layer::Team);
    }

    void keyAccessGroupFallback() {
        Decision decision = decide(*m_engine, u"sk-keygroups"_s, u"claude-sonnet"_s);
        QVERIFY(decision.allowed());
        QCOMPARE(last(decision).stage, Stage::KeyAccessGroups);
        QCOMPARE(last(decision).rule, Rule::Literal);
        // Judged against the groups' models alone: its own gpt-4o is still fine, gpt-4o-mini not.
        decision = decide(*m_engine, u"sk-keygroups"_s, u"gpt-4o-mini"_s);
        QCOMPARE(decision.deniedBy, Layer::Key);
        QCOMPARE(last(decision).stage, Stage::KeyAccessGroups);
        // Groups without models keep the original denial.
        decision = decide(*m_engine, u"sk-keyemptygroup"_s, u"claude-sonnet"_s);
        QCOMPARE(decision.deniedBy, Layer::Key);
        QCOMPARE(last(decision).rule, Rule::NoGroupModels);
    }

    void teamLayer() {
        Decision decision = decide(*m_engine, u"sk-team-gpt"_s, u"claude-sonnet"_s);
        QCOMPARE(decision.deniedBy, Layer::Team);
        QCOMPARE(reasonFor(*m_engine, ModelRequest::single(u"claude-sonnet"_s), decision),
                 u"Denied by the team layer: team GPT Team models [gpt-4o, gpt-4o-mini] do not "
                 "include claude-sonnet."_s);
        // Team aliases are granted outright by the key and team layers.
        decision = decide(*m_engine, u"sk-team-gpt"_s, u"team-gpt"_s);
        QVERIFY(decision.allowed());
        QCOMPARE(last(decision).rule, Rule::TeamAlias);
        // Team DB access groups widen team.models.
        decision = decide(*m_engine, u"sk-team-groups"_s, u"claude-sonnet"_s);
        QVERIFY(decision.allowed());
        QCOMPARE(last(decision).stage, Stage::TeamAccessGroups);
        // all-team-models in a team list means every proxy model name, not "anything".
        QVERIFY(decide(*m_engine, u"sk-team-allteam"_s, u"claude-sonnet"_s).allowed());
        QCOMPARE(decide(*m_engine, u"sk-team-allteam"_s, u"not-on-proxy"_s).deniedBy, Layer::Team);
    }

    void keyGroupRescuesTeamDenialOnlyWhenAssigned() {
        Decision decision = decide(*m_engine, u"sk-team-rescue"_s, u"claude-sonnet"_s);
        QVERIFY(decision.allowed());
        QCOMPARE(last(decision).stage, Stage::KeyGroupRescue);
        decision = decide(*m_engine, u"sk-team-norescue"_s, u"claude-sonnet"_s);
        QCOMPARE(decision.deniedBy, Layer::Team);
    }

    void blocked() {
        Decision decision = decide(*m_engine, u"sk-blocked"_s, u"gpt-4o"_s);
        QCOMPARE(decision.deniedBy, Layer::Key);
        QCOMPARE(last(decision).stage, Stage::KeyBlocked);
        decision = decide(*m_engine, u"sk-blocked-team"_s, u"gpt-4o"_s);
        QCOMPARE(decision.deniedBy, Layer::Team);
        QCOMPARE(last(decision).stage, Stage::TeamBlocked);
        QCOMPARE(reasonFor(*m_engine, ModelRequest::single(u"gpt-4o"_s), decision),
                 u"Denied by the team layer: team t-blocked is blocked."_s);
    }

    void memberScope() {
        Decision decision = decide(*m_engine, u"sk-scoped"_s, u"gpt-4o-mini"_s);
        QCOMPARE(decision.deniedBy, Layer::TeamMember);
        QCOMPARE(describeStep(*m_engine, ModelRequest::single(u"gpt-4o-mini"_s), last(decision)),
                 u"member scope [gpt-4o] does not include gpt-4o-mini"_s);
        // Team aliases are not given to the member layer.
        QCOMPARE(decide(*m_engine, u"sk-scoped"_s, u"team-gpt"_s).deniedBy, Layer::TeamMember);
        // Empty scope inherits the team; no membership row adds no restriction.
        decision = decide(*m_engine, u"sk-open-member"_s, u"gpt-4o-mini"_s);
        QVERIFY(decision.allowed());
        QCOMPARE(last(decision).rule, Rule::EmptyScope);
        decision = decide(*m_engine, u"sk-nomembership"_s, u"gpt-4o-mini"_s);
        QVERIFY(decision.allowed());
        QCOMPARE(last(decision).rule, Rule::NoMembership);
        // Router access groups and all-team-models work in a scope.
        QVERIFY(decide(*m_engine, u"sk-cheap"_s, u"gpt-4o-mini"_s).allowed());
        QCOMPARE(decide(*m_engine, u"sk-cheap"_s, u"gpt-4o"_s).deniedBy, Layer::TeamMember);
        QVERIFY(decide(*m_engine, u"sk-member-allteam"_s, u"claude-sonnet"_s).allowed());
        QCOMPARE(decide(*m_engine, u"sk-member-allteam"_s, u"not-on-proxy"_s).deniedBy,
                 Layer::TeamMember);
    }

    void userLayerOnlyForPersonalKeys() {
        Decision decision = decide(*m_engine, u"sk-personal-nodefault"_s, u"gpt-4o"_s);
        QCOMPARE(decision.deniedBy, Layer::User);
        QCOMPARE(last(decision).rule, Rule::NoDefaultModels);
        QCOMPARE(decide(*m_engine, u"sk-personal-restricted"_s, u"gpt-4o"_s).deniedBy, Layer::User);
        QVERIFY(decide(*m_engine, u"sk-personal-restricted"_s, u"gpt-4o-mini"_s).allowed());
        // A team key of a no-default-models user is unaffected.
        QVERIFY(decide(*m_engine, u"sk-team-nodefault-user"_s, u"gpt-4o"_s).allowed());
    }

    void keyAliasesJudgeOnlyTheFinalTarget() {
        Decision decision = decide(*m_engine, u"sk-key-alias"_s, u"my-claude"_s);
        QCOMPARE(decision.deniedBy, Layer::Key);
        QCOMPARE(m_engine->compiled().name(last(decision).name), u"claude-sonnet"_s);
        QVERIFY(decide(*m_engine, u"sk-key-alias"_s, u"my-gpt"_s).allowed());
    }

    void projects() {
        QCOMPARE(decide(*m_engine, u"sk-project-blocked"_s, u"gpt-4o"_s).deniedBy, Layer::Project);
        QVERIFY(decide(*m_engine, u"sk-project-gpt"_s, u"gpt-4o"_s).allowed());
        QCOMPARE(decide(*m_engine, u"sk-project-gpt"_s, u"claude-sonnet"_s).deniedBy,
                 Layer::Project);
    }

    void listValuedModelNamesTheFailingElement() {
        const ModelRequest request = ModelRequest::list({u"gpt-4o"_s, u"claude-sonnet"_s});
        const Decision decision =
            m_engine->decide(Subject::forKey(m_engine->findKey(u"sk-gpt"_s)), request);
        QCOMPARE(decision.deniedBy, Layer::Key);
        QCOMPARE(last(decision).element, std::uint8_t(1));
        QCOMPARE(m_engine->nameText(last(decision).name, request, 1), u"claude-sonnet"_s);
    }

    void unknownModelNamesAreJudgedToo() {
        // Not in the workspace at all: literal checks fail, wildcards and groups still apply.
        QCOMPARE(decide(*m_engine, u"sk-gpt"_s, u"💥 \"quoted\", {braces}"_s).deniedBy, Layer::Key);
        QVERIFY(decide(*m_engine, u"sk-openai-wild"_s, u"openai/brand-new"_s).allowed());
    }

    void teamOnlyDeploymentsAreServedToTheirTeam() {
        const Subject member = Subject::forMember(m_engine->findTeam(u"t-open"_s), u"u-cheap"_s);
        QVERIFY(m_engine->previewModels(member).contains(u"team-byok"_s));
        const Subject other = Subject::forKey(m_engine->findKey(u"sk-team-gpt"_s));
        QVERIFY(!m_engine->previewModels(other).contains(u"team-byok"_s));
    }

    void keysAreFoundByTokenAliasOrRawKey() {
        const std::int32_t byAlias = m_engine->findKey(u"hashed-key"_s);
        QVERIFY(byAlias >= 0);
        // LiteLLM stores sha256 of the raw key: the raw key finds the row too.
        QCOMPARE(m_engine->findKey(u"sk-raw-secret"_s), byAlias);
        QCOMPARE(m_engine->findKey(u"sk-raw-wrong"_s), -1);
    }

    void previewListsServedModels() {
        const Subject key = Subject::forKey(m_engine->findKey(u"open"_s)); // by key alias
        const QStringList models = m_engine->previewModels(key, {u"extra-model"_s, u"gpt-4o"_s});
        QCOMPARE(models, (QStringList{u"gpt-4o"_s, u"gpt-4o-mini"_s, u"claude-sonnet"_s, u"gpt4"_s,
                                      u"extra-model"_s}));
        const QList<PreviewRow> rows = m_engine->preview(key);
        QCOMPARE(rows.size(), 4);
        for (const PreviewRow& row : rows)
            QVERIFY(row.decision.allowed());
    }

    void memberPreviewUsesTeamKeyWithoutRestrictions() {
        const Subject member = Subject::forMember(m_engine->findTeam(u"GPT Team"_s), u"u-scoped"_s);
        const QList<PreviewRow> rows = m_engine->preview(member);
        QStringList allowed;
        for (const PreviewRow& row : rows)
            if (row.decision.allowed())
                allowed.append(row.model);
        QCOMPARE(allowed, (QStringList{u"gpt-4o"_s, u"gpt4"_s}));
    }

    void personalKeyViaTeams_data() {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("union a") << u"union"_s << u"gpt-a"_s << true;
        QTest::newRow("union b") << u"union"_s << u"gpt-b"_s << true;
        QTest::newRow("union c") << u"union"_s << u"gpt-c"_s << false;
        QTest::newRow("intersection a") << u"intersection"_s << u"gpt-a"_s << false;
        QTest::newRow("intersection shared") << u"intersection"_s << u"shared"_s << true;
    }

    void personalKeyViaTeams() {
        QFETCH(QString, strategy);
        QFETCH(QString, model);
        QFETCH(bool, allowed);
        Workspace workspace = loadFile("personal-key-teams.json");
        workspace.settings.personalKeyMultiTeamAccess =
            strategy == u"union"_s ? MultiTeamAccess::Union : MultiTeamAccess::Intersection;
        const AccessEngine engine(workspace);
        const Decision decision = decide(engine, u"k1"_s, model);
        QCOMPARE(decision.allowed(), allowed);
        if (!allowed)
            QCOMPARE(last(decision).stage, Stage::PersonalKeyTeams);
        // No teams, or only a blocked team, grants nothing; a proxy admin is not capped.
        QCOMPARE(decide(engine, u"k2"_s, u"gpt-a"_s).deniedBy, Layer::User);
        QCOMPARE(decide(engine, u"k3"_s, u"gpt-a"_s).deniedBy, Layer::User);
        QVERIFY(decide(engine, u"k-admin"_s, u"gpt-c"_s).allowed());
    }

    void unknownDataIsNeverGuessed() {
        const AccessEngine engine(loadFile("unknown-memberships.json"));
        Decision decision = decide(engine, u"member-key"_s, u"gpt-4o"_s);
        QCOMPARE(decision.verdict, Verdict::Unknown);
        QCOMPARE(datasetNames(decision.unknownData), QStringList{u"team_memberships"_s});
        const QJsonObject json = decisionJson(engine, u"member-key"_s, u"gpt-4o"_s,
                                              ModelRequest::single(u"gpt-4o"_s), decision);
        QVERIFY(json[u"allowed"_s].isNull());
        QCOMPARE(json[u"unknown"_s].toArray(), QJsonArray{u"team_memberships"_s});
        // A denial before the missing data matters is still certain; a key without a user never
        // reaches the member layer.
        QCOMPARE(decide(engine, u"member-key"_s, u"claude"_s).verdict, Verdict::Denied);
        QCOMPARE(decide(engine, u"team-key"_s, u"gpt-4o"_s).verdict, Verdict::Allowed);
    }

    void unknownTeamAliasesOnlyConcernThatTeam() {
        // "teams.model_aliases": the aliases of teams with a model table (model_id) were not
        // readable. A denial for that team's keys could have been an alias: unknown. Allows, and
        // the keys of teams without a model table, stay certain.
        const AccessEngine engine(loadFile("unknown-team-aliases.json"));
        const Decision denial = decide(engine, u"key-with-table"_s, u"claude"_s);
        QCOMPARE(denial.verdict, Verdict::Unknown);
        QCOMPARE(datasetNames(denial.unknownData), QStringList{u"teams.model_aliases"_s});
        QCOMPARE(decide(engine, u"key-with-table"_s, u"gpt-4o"_s).verdict, Verdict::Allowed);
        QCOMPARE(decide(engine, u"key-with-table"_s, u"fast"_s).verdict, Verdict::Allowed);
        QCOMPARE(decide(engine, u"key-without-table"_s, u"claude"_s).verdict, Verdict::Denied);
    }

    void decisionLineShape() {
        const Decision decision = decide(*m_engine, u"sk-scoped"_s, u"gpt-4o-mini"_s);
        const QJsonObject json = decisionJson(*m_engine, u"sk-scoped"_s, u"gpt-4o-mini"_s,
                                              ModelRequest::single(u"gpt-4o-mini"_s), decision);
        QCOMPARE(json[u"allowed"_s], QJsonValue(false));
        QCOMPARE(json[u"denied_by"_s], QJsonValue(u"team_member"_s));
        const QJsonArray trail = json[u"trail"_s].toArray();
        QCOMPARE(trail.size(), 3); // key, team, member
        QCOMPARE(trail[0][u"layer"_s], QJsonValue(u"key"_s));
        QCOMPARE(trail[1][u"layer"_s], QJsonValue(u"team"_s));
        QCOMPARE(trail[2][u"layer"_s], QJsonValue(u"team_member"_s));
        QCOMPARE(trail[2][u"verdict"_s], QJsonValue(u"denied"_s));
        QCOMPARE(trail[2][u"rule"_s], QJsonValue(u"not_listed"_s));
    }

private:
    std::unique_ptr<AccessEngine> m_engine;
};

QTEST_GUILESS_MAIN(TstAccessEngine)
#include "tst_accessengine.moc"
