// The release profiles: how a version is read, what the table promises, and how a decision that
// rests on a rule that changed between releases says which release decided (and whether that
// release was only assumed). The verdicts per release are in conformance/scenarios/releases.json.
#include "engine/AccessEngine.h"
#include "engine/DecisionText.h"
#include "engine/LiteLLMRelease.h"
#include "workspace/WorkspaceJson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <set>

using namespace Qt::StringLiterals;
using namespace litescope;

namespace {

// A key of a deleted team, a key with router aliases, and a key no versioned rule touches.
Workspace workspaceAt(const QString& version) {
    Workspace ws;
    ws.source.litellmVersion = version;
    ws.proxyModels = {{u"gpt-4o"_s, u"openai/gpt-4o"_s, u"d1"_s, {}, {}, {}, {}},
                      {u"gpt-4o-mini"_s, u"openai/gpt-4o-mini"_s, u"d2"_s, {}, {}, {}, {}}};
    Team team;
    team.id = u"team-a"_s;
    team.models = {u"gpt-4o"_s};
    team.routerAliases = QMap<QString, RouterAlias>{{u"fast"_s, {u"gpt-4o"_s, false, {}}}};
    ws.teams = {team};
    Key orphan;
    orphan.token = u"sk-orphan"_s;
    orphan.teamId = u"team-gone"_s;
    Key aliased;
    aliased.token = u"sk-aliased"_s;
    aliased.teamId = u"team-a"_s;
    Key plain;
    plain.token = u"sk-plain"_s;
    plain.models = {u"gpt-4o"_s};
    ws.keys = {orphan, aliased, plain};
    return ws;
}

Decision decide(const AccessEngine& engine, const char* key, const char* model) {
    return engine.decide(engine.findKey(QString::fromLatin1(key)), QString::fromLatin1(model));
}

constexpr auto versionBit = static_cast<std::uint16_t>(Dataset::LiteLLMVersion);

} // namespace

class TstReleases : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void versionsAreReadAsAdminsWriteThem_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("version");
        QTest::newRow("plain") << u"1.97.2"_s << u"1.97.2"_s;
        QTest::newRow("v prefix") << u"v1.99.0"_s << u"1.99.0"_s;
        QTest::newRow("stable tag") << u"1.99.0-stable"_s << u"1.99.0"_s;
        QTest::newRow("release candidate") << u"1.102.0.rc.2"_s << u"1.102.0"_s;
        QTest::newRow("two numbers") << u"1.100"_s << u"1.100.0"_s;
        QTest::newRow("spaces") << u" 1.83.14 "_s << u"1.83.14"_s;
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("word") << u"latest"_s << QString();
        QTest::newRow("one number") << u"1"_s << QString();
        QTest::newRow("trailing junk") << u"1.97.2; rm -rf"_s << QString();
    }

    void versionsAreReadAsAdminsWriteThem() {
        QFETCH(QString, text);
        QFETCH(QString, version);
        const std::optional<LiteLLMVersion> parsed = LiteLLMVersion::parse(text);
        QCOMPARE(parsed ? parsed->toString() : QString(), version);
    }

    void versionsCompareAsNumbers() {
        QVERIFY(*LiteLLMVersion::parse(u"1.100.0"_s) > *LiteLLMVersion::parse(u"1.99.9"_s));
        QVERIFY(*LiteLLMVersion::parse(u"1.83.14"_s) > *LiteLLMVersion::parse(u"1.83.9"_s));
    }

    void theTableCitesItsSources() {
        std::set<std::string> ids;
        for (const VersionedRuleInfo& row : versionedRules()) {
            QVERIFY2(ids.insert(row.id).second, row.id);
            QVERIFY2(QByteArray(row.source).startsWith("litellm/"), row.id);
            QVERIFY2(QByteArray(row.change).contains("PR #"), row.id);
            QVERIFY2(!(row.since < memberScopesRelease), row.id);
            QVERIFY2(!(newestKnownRelease() < row.since), row.id);
            QCOMPARE(&ruleInfo(row.rule), &row);
        }
        QCOMPARE(ids.size(), std::size_t(versionedRuleCount));
    }

    void aProfileHasTheRulesOfItsRelease() {
        const LiteLLMProfile old = LiteLLMProfile::fromSource(u"1.98.5"_s);
        QVERIFY(!old.assumed());
        QVERIFY(old.has(VersionedRule::KeyTeamRouterAliases));
        QVERIFY(!old.has(VersionedRule::MissingTeamRefused));
        QCOMPARE(old.name(), u"LiteLLM 1.98.5"_s);
        const LiteLLMProfile exact = LiteLLMProfile::forVersion({1, 99, 0});
        QVERIFY(exact.has(VersionedRule::MissingTeamRefused));
        QVERIFY(!exact.has(VersionedRule::ClaudeModelNames));
        const LiteLLMProfile unknown = LiteLLMProfile::fromSource(u"not a version"_s);
        QVERIFY(unknown.assumed());
        QCOMPARE(unknown.version(), newestKnownRelease());
        for (const VersionedRuleInfo& row : versionedRules())
            QVERIFY2(unknown.has(row.rule), row.id);
        QVERIFY(unknown.name().contains(u"assumed"_s));
    }

    // Without a version the newest rules decide, and only the decisions a changed rule touched
    // say that they rest on an assumption.
    void anUnknownReleaseIsAnAssumptionWhereItMatters() {
        const AccessEngine engine(workspaceAt(QString()));
        const Decision orphan = decide(engine, "sk-orphan", "gpt-4o");
        QCOMPARE(orphan.verdict, Verdict::Denied);
        QCOMPARE(orphan.deniedBy, Layer::Team);
        QCOMPARE(orphan.trail.back().rule, Rule::TeamNotFoundRefused);
        QCOMPARE(orphan.assumedData & versionBit, versionBit);
        QCOMPARE(orphan.versioned, LiteLLMProfile::bit(VersionedRule::MissingTeamRefused));

        const Decision plain = decide(engine, "sk-plain", "gpt-4o");
        QVERIFY(plain.allowed());
        QCOMPARE(plain.assumedData & versionBit, 0);
        QCOMPARE(plain.versioned, 0);

        const QJsonObject line = decisionJson(engine, u"sk-orphan"_s, u"gpt-4o"_s,
                                              ModelRequest::single(u"gpt-4o"_s), orphan);
        QCOMPARE(line[u"assumed"_s].toArray(), QJsonArray{u"litellm_version"_s});
        const QJsonObject profile = line[u"litellm_profile"_s].toObject();
        QCOMPARE(profile[u"assumed"_s], QJsonValue(true));
        QCOMPARE(profile[u"rules"_s].toArray(), QJsonArray{u"missing_team_refused"_s});
        QVERIFY2(line[u"reason"_s].toString().contains(u"LiteLLM 1.99.0 and later"_s),
                 qPrintable(line[u"reason"_s].toString()));
    }

    // A known release is no assumption, and an older one decides by its own rules: the version
    // is consulted (and named) even where the older rule leaves the verdict as it was.
    void aKnownReleaseDecidesAndIsNamed() {
        const AccessEngine engine(workspaceAt(u"1.96.0"_s));
        const Decision orphan = decide(engine, "sk-orphan", "gpt-4o");
        QVERIFY(orphan.allowed());
        QCOMPARE(orphan.assumedData, 0);
        QCOMPARE(orphan.trail.back().rule, Rule::TeamNotFound);
        const QString reason = reasonFor(engine, ModelRequest::single(u"gpt-4o"_s), orphan);
        QVERIFY2(reason.contains(u"LiteLLM before 1.99.0; decided as LiteLLM 1.96.0"_s),
                 qPrintable(reason));

        const Decision aliased = decide(engine, "sk-aliased", "fast");
        QCOMPARE(aliased.verdict, Verdict::Denied);
        QCOMPARE(aliased.trail.front().stage, Stage::ModelRewrite);
        QCOMPARE(aliased.trail.front().rule, Rule::TeamRouterAliasIgnored);
        QCOMPARE(aliased.versioned, LiteLLMProfile::bit(VersionedRule::KeyTeamRouterAliases));

        const AccessEngine newer(workspaceAt(u"1.97.0"_s));
        const Decision rewritten = decide(newer, "sk-aliased", "fast");
        QVERIFY(rewritten.allowed());
        QCOMPARE(rewritten.trail.front().rule, Rule::TeamRouterAlias);
        QCOMPARE(newer.compiled().name(rewritten.trail.back().name), u"gpt-4o"_s);
    }

    void aWorkspaceFileCarriesItsRelease() {
        Workspace ws = workspaceAt(u"1.97.2"_s);
        const QByteArray text = workspace::serialize(ws);
        QVERIFY(text.contains("\"litellm_version\": \"1.97.2\""));
        QVERIFY(
            text.contains("\"router_settings\": {\"model_group_alias\": {\"fast\": \"gpt-4o\"}}"));
        const Result<Workspace> back = workspace::parse(text);
        QVERIFY(back);
        QCOMPARE(back->source.litellmVersion, u"1.97.2"_s);
        QVERIFY(back->teams[0].routerAliases);
        QCOMPARE(back->teams[0].routerAliases->value(u"fast"_s).target, u"gpt-4o"_s);

        ws.source.litellmVersion = u"soon"_s;
        const Result<Workspace> bad = workspace::parse(workspace::serialize(ws));
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.contains(u"source.litellm_version"_s),
                 qPrintable(bad.error().message));
    }
};

QTEST_GUILESS_MAIN(TstReleases)
#include "tst_releases.moc"
