#include "WorkspaceGenerator.h"

#include <QStringView>

#include <algorithm>
#include <array>
#include <iterator>
#include <random>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace litescope::bench {
namespace {

class Random {
public:
    explicit Random(std::uint64_t seed)
        : m_engine(seed) {}

    // std::uniform_int_distribution gives different sequences in libstdc++ and libc++; plain
    // modulo keeps a seed's workspace identical everywhere, and its bias does not matter here.
    int below(qsizetype n) {
        return n <= 0 ? 0 : static_cast<int>(m_engine() % static_cast<std::uint64_t>(n));
    }
    int between(int low, int high) { return low + below(high - low + 1); }
    bool percent(int p) { return below(100) < p; }
    bool permille(int p) { return below(1000) < p; }

    QString hex(int digits) {
        QString out(digits, Qt::Uninitialized);
        QChar* data = out.data();
        std::uint64_t bits = 0;
        int left = 0;
        for (int i = 0; i < digits; ++i) {
            if (left == 0) {
                bits = m_engine();
                left = 16;
            }
            data[i] = QChar(u"0123456789abcdef"[bits & 0xF]);
            bits >>= 4;
            --left;
        }
        return out;
    }

    // Shaped like Python's uuid4(), which is what LiteLLM writes for server-generated ids.
    QString uuid() {
        QString h = hex(32);
        h[12] = u'4';
        h[16] = QChar(u"89ab"[below(4)]); // the RFC 4122 variant
        const QStringView v(h);
        return v.mid(0, 8) % u'-' % v.mid(8, 4) % u'-' % v.mid(12, 4) % u'-' % v.mid(16, 4) % u'-' %
               v.mid(20);
    }

    template <typename T>
    const T& pick(const std::vector<T>& items) {
        return items[below(static_cast<qsizetype>(items.size()))];
    }

    // `count` distinct indices below `poolSize`; linear duplicate checks are cheaper than a set
    // for the at most 50 draws a list needs.
    std::vector<int> distinct(int count, int poolSize) {
        count = std::min(count, poolSize);
        std::vector<int> out;
        out.reserve(std::max(count, 0));
        while (static_cast<int>(out.size()) < count) {
            const int candidate = below(poolSize);
            if (std::find(out.begin(), out.end(), candidate) == out.end())
                out.push_back(candidate);
        }
        return out;
    }

private:
    std::mt19937_64 m_engine;
};

struct Family {
    QStringView modelName;     // public name stem: "gpt-4o" -> "gpt-4o-17"
    QStringView litellmPrefix; // "openai/gpt-4o" -> "openai/gpt-4o-17"
    QStringView litellmSuffix;
};

// Some public names carry a provider prefix, as many proxies publish them; only those are matched
// by the wildcard entries below, because LiteLLM cannot infer a provider for invented bare names.
constexpr std::array kFamilies = {
    Family{u"gpt-4o", u"openai/gpt-4o", u""},
    Family{u"claude", u"anthropic/claude", u""},
    Family{u"openai/gpt-4.1", u"openai/gpt-4.1", u""},
    Family{u"gemini", u"vertex_ai/gemini", u""},
    Family{u"bedrock/anthropic.claude", u"bedrock/anthropic.claude", u"-v1:0"},
    Family{u"llama", u"ollama/llama", u""},
    Family{u"text-embedding", u"openai/text-embedding", u""},
    Family{u"anthropic/claude-haiku", u"anthropic/claude-haiku", u""},
    Family{u"mistral", u"mistral/mistral", u""},
    Family{u"gpt-4o-mini", u"azure/gpt-4o-mini", u""},
};

constexpr QStringView kWildcards[] = {u"openai/*", u"bedrock/*", u"anthropic/*"};

constexpr QStringView kTeamNames[] = {
    u"Search",          u"ML Research",       u"Support Bots",         u"Data Platform",
    u"Developer Tools", u"Applied AI",        u"Model Evaluation",     u"Helpdesk Automation",
    u"Contract Review", u"Finance Analytics", u"Voice Agents",         u"Growth",
    u"Security",        u"Recommendations",   u"Fraud Detection",      u"Mobile",
    u"Localization",    u"Marketing Ops",     u"Platform Engineering", u"Billing",
};

constexpr QStringView kFirstNames[] = {
    u"alice",  u"bob",     u"carlos", u"dmitri", u"priya",   u"emma",     u"farah",  u"george",
    u"hannah", u"ivan",    u"julia",  u"kenji",  u"laura",   u"mohammed", u"nina",   u"oliver",
    u"paula",  u"quentin", u"rachel", u"sanjay", u"tomas",   u"uma",      u"victor", u"wei",
    u"xavier", u"yara",    u"zoe",    u"aaron",  u"beatriz", u"chen",     u"daniel", u"elena",
    u"felix",  u"grace",   u"hiro",   u"isabel", u"jonas",   u"kavya",    u"lucas",  u"maya",
};

constexpr QStringView kLastNames[] = {
    u"nguyen",   u"martinez",  u"silva",     u"volkov",  u"raman",  u"schmidt", u"haddad",
    u"okafor",   u"lee",       u"petrov",    u"rossi",   u"tanaka", u"becker",  u"alsayed",
    u"kowalski", u"brown",     u"fernandes", u"dubois",  u"cohen",  u"patel",   u"novak",
    u"krishnan", u"lindqvist", u"zhang",     u"moreau",  u"nasser", u"turner",  u"kim",
    u"costa",    u"li",        u"weber",     u"popescu", u"wagner", u"obi",     u"sato",
    u"garcia",   u"berg",      u"iyer",      u"meyer",   u"singh",
};

constexpr QStringView kRouterGroups[] = {u"beta-models", u"production-models", u"research-models",
                                         u"restricted-models"};

QString numbered(QStringView stem, qsizetype n) {
    return stem % u'-' % QString::number(n);
}

QString slug(QStringView alias) {
    QString out = alias.toString().toLower();
    out.replace(u' ', u'-');
    return out;
}

// What one team allows, kept next to the Team so member scopes and key lists can be drawn from it
// without parsing the team's list again.
struct TeamPlan {
    std::vector<int> literals; // indices into the plain model names the team lists
    bool unrestricted = false; // [] or all-proxy-models: scopes are drawn from the whole catalog
    QString group;             // the router group name the team lists, if any
    QString wildcard;          // the wildcard entry the team lists, if any
    QString slug;
};

} // namespace

Workspace generateWorkspace(const GeneratorOptions& options) {
    Random rng(options.seed);
    Workspace ws;

    const int modelCount = std::max(options.proxyModels, 0);
    const int teamCount = std::max(options.teams, 0);
    const int memberCount = teamCount > 0 ? std::max(options.members, 0) : 0;
    const int keysPerMember = std::max(options.keysPerMember, 0);
    const int groupCount = std::max(options.accessGroups, 0);

    ws.source.kind = u"file"_s;
    ws.source.label =
        u"Generated benchmark workspace (seed "_s % QString::number(options.seed) % u')';
    // A fixed instant: the result must not depend on when it was generated.
    ws.source.capturedAt = u"2026-01-01T00:00:00Z"_s;

    // Team ids come first because BYOK deployments and DB access groups refer to them.
    std::vector<QString> teamIds;
    teamIds.reserve(teamCount);
    for (int t = 0; t < teamCount; ++t) {
        // LiteLLM generates UUIDs, but callers may pick their own ids.
        teamIds.push_back(rng.percent(10) ? u"team-"_s % QString::number(t) : rng.uuid());
    }

    // ---- proxy models
    const int wildcardCount =
        std::min<int>(static_cast<int>(std::size(kWildcards)), modelCount / 10);
    const int byokCount = std::min(modelCount / 100, teamCount);
    const int fineTuneCount = modelCount >= 10 ? 1 : 0;
    const int regularCount = modelCount - wildcardCount - byokCount - fineTuneCount;

    std::vector<QString> routerGroups;
    for (const auto group : kRouterGroups)
        routerGroups.push_back(group.toString());
    for (int g = 0; g < modelCount / 100; ++g)
        routerGroups.push_back(numbered(u"group", g));

    std::vector<QString> plainNames; // callable names without '*': what lists are drawn from
    plainNames.reserve(std::max(regularCount + fineTuneCount, 0));
    std::vector<QString> wildcards;
    std::vector<std::pair<int, QString>> byokNames; // owning team index, public name
    ws.proxyModels.reserve(modelCount);
    for (int m = 0; m < modelCount; ++m) {
        ProxyModel model;
        // Config-file deployments carry a 64-hex id, DB deployments a UUID.
        model.modelId = m % 2 == 0 ? rng.hex(64) : rng.uuid();
        if (m < regularCount) {
            const Family& family = kFamilies[m % kFamilies.size()];
            model.modelName = numbered(family.modelName, m);
            model.litellmModel =
                family.litellmPrefix % u'-' % QString::number(m) % family.litellmSuffix;
            if (rng.percent(20)) {
                model.accessGroups.append(rng.pick(routerGroups));
                if (rng.percent(25)) {
                    const QString& second = rng.pick(routerGroups);
                    if (!model.accessGroups.contains(second))
                        model.accessGroups.append(second);
                }
            }
            plainNames.push_back(model.modelName);
        } else if (m < regularCount + fineTuneCount) {
            // A bare name LiteLLM cannot place: model_providers tells it the provider.
            model.modelName = numbered(u"acme-ft", m);
            model.litellmModel = u"openai/ft:gpt-4o-mini-2024-07-18:acme::"_s % rng.hex(8);
            ws.modelProviders.insert(model.modelName, u"openai"_s);
            plainNames.push_back(model.modelName);
        } else if (m < regularCount + fineTuneCount + wildcardCount) {
            const auto pattern = kWildcards[m - regularCount - fineTuneCount];
            model.modelName = pattern.toString();
            model.litellmModel = model.modelName;
            if (wildcards.empty())
                model.accessGroups.append(u"research-models"_s);
            wildcards.push_back(model.modelName);
        } else {
            const int owner = rng.below(teamCount);
            const QString publicName = numbered(u"team-gpt", m);
            model.modelName = u"model_name_"_s % teamIds[owner] % u'_' % rng.uuid();
            model.litellmModel = u"azure/gpt-4o-mini"_s;
            model.teamId = teamIds[owner];
            model.teamPublicModelName = publicName;
            byokNames.emplace_back(owner, publicName);
        }
        ws.proxyModels.append(std::move(model));
    }
    const int plainCount = static_cast<int>(plainNames.size());

    // ---- aliases
    if (plainCount > 0) {
        for (int a = 0; a < std::max(1, modelCount / 50); ++a) {
            RouterAlias alias;
            alias.target = rng.pick(plainNames);
            alias.hidden = a == 0 && modelCount >= 50;
            ws.modelGroupAlias.insert(numbered(u"alias", a), alias);
        }
        ws.settings.modelAliasMap.insert(u"gpt4"_s, plainNames.front());
    }

    // ---- DB access groups (key assignments are added once keys exist)
    ws.accessGroups.reserve(groupCount);
    for (int g = 0; g < groupCount; ++g) {
        AccessGroup group;
        group.id = rng.uuid();
        group.name = numbered(u"db-group", g);
        for (const int i : rng.distinct(rng.between(3, 15), plainCount))
            group.modelNames.append(plainNames[i]);
        if (!wildcards.empty() && rng.percent(30))
            group.modelNames.append(rng.pick(wildcards));
        if (teamCount > 0 && rng.percent(30))
            group.assignedTeamIds.append(teamIds[rng.below(teamCount)]);
        ws.accessGroups.append(std::move(group));
    }

    // ---- organizations
    const int orgCount = teamCount > 0 ? teamCount / 10 + 1 : 0;
    ws.organizations.reserve(orgCount);
    for (int o = 0; o < orgCount; ++o) {
        Organization org;
        org.id = rng.uuid();
        org.alias = numbered(u"Org", o);
        for (const int i : rng.distinct(rng.between(3, 10), plainCount))
            org.models.append(plainNames[i]);
        ws.organizations.append(std::move(org));
    }

    // ---- teams
    std::vector<TeamPlan> plans(teamCount);
    ws.teams.reserve(teamCount);
    for (int t = 0; t < teamCount; ++t) {
        TeamPlan& plan = plans[t];
        Team team;
        team.id = teamIds[t];
        const auto base = kTeamNames[t % std::size(kTeamNames)];
        team.alias = t < static_cast<int>(std::size(kTeamNames))
                         ? base.toString()
                         : base % u' ' % QString::number(t / std::size(kTeamNames) + 1);
        plan.slug = slug(team.alias);
        if (orgCount > 0 && rng.percent(85))
            team.organizationId = ws.organizations[rng.below(orgCount)].id;

        const int kind = rng.below(100);
        if (kind < 10 || plainCount == 0) {
            plan.unrestricted = true; // [] = every model
        } else if (kind < 15) {
            plan.unrestricted = true;
            team.models.append(u"all-proxy-models"_s);
        } else {
            const bool group = kind < 30;
            const bool wildcard = kind >= 30 && kind < 40 && !wildcards.empty();
            const int literals = group || wildcard ? rng.between(4, 20) : rng.between(5, 50);
            plan.literals = rng.distinct(literals, plainCount);
            if (group) {
                plan.group = rng.pick(routerGroups);
                team.models.append(plan.group);
            }
            if (wildcard) {
                plan.wildcard = rng.pick(wildcards);
                team.models.append(plan.wildcard);
            }
            for (const int i : plan.literals)
                team.models.append(plainNames[i]);
            // LiteLLM adds a team's own (BYOK) model to the team's list under its public name.
            for (const auto& [owner, name] : byokNames) {
                if (owner == t)
                    team.models.append(name);
            }
        }
        if (!plan.literals.empty() && rng.percent(40)) {
            const int defaults =
                std::min<int>(rng.between(1, 3), static_cast<int>(plan.literals.size()));
            for (int d = 0; d < defaults; ++d)
                team.defaultTeamMemberModels.append(plainNames[plan.literals[d]]);
        }
        if (groupCount > 0 && rng.percent(10))
            team.accessGroupIds.append(ws.accessGroups[rng.below(groupCount)].id);
        if (plainCount > 1 && rng.percent(5)) {
            team.modelAliases.insert(u"fast"_s, rng.pick(plainNames));
            team.modelAliases.insert(u"smart"_s, rng.pick(plainNames));
        }
        team.blocked = rng.percent(2);
        ws.teams.append(std::move(team));
    }

    // ---- members: at least one per team, the rest skewed so that some teams are large
    std::vector<int> perTeam(teamCount, 0);
    if (teamCount > 0) {
        const int guaranteed = std::min(memberCount, teamCount);
        for (int t = 0; t < guaranteed; ++t)
            perTeam[t] = 1;
        std::vector<std::int64_t> cumulative(teamCount);
        std::int64_t total = 0;
        for (int t = 0; t < teamCount; ++t) {
            const int weight = rng.percent(10) ? rng.between(20, 60) : rng.between(1, 10);
            total += weight;
            cumulative[t] = total;
        }
        for (int i = guaranteed; i < memberCount; ++i) {
            const std::int64_t ticket =
                static_cast<std::int64_t>(rng.below(static_cast<qsizetype>(total)));
            const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), ticket);
            ++perTeam[it - cumulative.begin()];
        }
    }

    ws.users.reserve(memberCount);
    ws.teamMemberships.reserve(memberCount);
    ws.keys.reserve(static_cast<qsizetype>(memberCount) * keysPerMember);
    std::vector<int> lastTeamOfUser; // user index -> last team joined, to keep (team, user) unique
    lastTeamOfUser.reserve(memberCount);
    std::vector<QString> userLocalParts;
    userLocalParts.reserve(memberCount);

    const auto newUser = [&]() {
        // Injective in n, so local parts (and emails) never repeat.
        const auto n = static_cast<std::size_t>(ws.users.size());
        const auto first = kFirstNames[n % std::size(kFirstNames)];
        const auto last = kLastNames[n / std::size(kFirstNames) % std::size(kLastNames)];
        const std::size_t generation = n / (std::size(kFirstNames) * std::size(kLastNames));
        QString local = first % u'.' % last;
        if (generation > 0)
            local += QString::number(generation);
        User user;
        const QString email = local % u"@example.com";
        user.id = rng.percent(60) ? rng.uuid() : email;
        user.email = email;
        const int role = rng.below(100);
        user.role = role < 2    ? u"proxy_admin"_s
                    : role < 10 ? u"internal_user_viewer"_s
                                : u"internal_user"_s;
        if (rng.permille(5)) {
            user.models.append(u"no-default-models"_s);
        } else if (plainCount > 0 && rng.percent(2)) {
            for (const int i : rng.distinct(rng.between(1, 3), plainCount))
                user.models.append(plainNames[i]);
        }
        ws.users.append(std::move(user));
        userLocalParts.push_back(std::move(local));
        lastTeamOfUser.push_back(-1);
        return static_cast<int>(n);
    };

    const auto teamModelName = [&](const TeamPlan& plan) -> const QString& {
        if (plan.literals.empty())
            return rng.pick(plainNames);
        return plainNames[rng.pick(plan.literals)];
    };

    // A router group or wildcard entry the team can honour, or nothing when it has none: scopes
    // and key lists that name entries foreign to the team would mostly yield keys that can call
    // nothing, which real proxies have only a few of.
    const auto groupEntry = [&](const TeamPlan& plan) {
        if (!plan.group.isEmpty())
            return plan.group;
        return plan.unrestricted ? rng.pick(routerGroups) : QString();
    };
    const auto wildcardEntry = [&](const TeamPlan& plan) {
        if (!plan.wildcard.isEmpty())
            return plan.wildcard;
        return plan.unrestricted && !wildcards.empty() ? rng.pick(wildcards) : QString();
    };

    for (int t = 0; t < teamCount; ++t) {
        const TeamPlan& plan = plans[t];
        Team& team = ws.teams[t];
        const int firstUserOfTeam = static_cast<int>(ws.users.size());
        team.membersWithRoles.reserve(perTeam[t]);
        for (int j = 0; j < perTeam[t]; ++j) {
            int user = -1;
            if (firstUserOfTeam > 0 && rng.percent(10)) {
                const int candidate = rng.below(firstUserOfTeam);
                if (lastTeamOfUser[candidate] != t)
                    user = candidate;
            }
            if (user < 0)
                user = newUser();
            lastTeamOfUser[user] = t;
            const User& row = ws.users[user];

            TeamMembership membership;
            membership.teamId = team.id;
            membership.userId = row.id;
            if (plainCount > 0 && rng.percent(30)) {
                const int shape = rng.below(100);
                const QString special = shape >= 40 && shape < 50   ? groupEntry(plan)
                                        : shape >= 50 && shape < 60 ? wildcardEntry(plan)
                                                                    : QString();
                if (!team.defaultTeamMemberModels.isEmpty() && shape < 40) {
                    membership.allowedModels = team.defaultTeamMemberModels;
                } else if (!special.isEmpty()) {
                    membership.allowedModels.append(special);
                } else if (shape >= 60 && shape < 65) {
                    // Often outside the team's list: the app must flag such scopes.
                    membership.allowedModels.append(rng.pick(plainNames));
                } else {
                    const int n = rng.between(1, 3);
                    for (int k = 0; k < n; ++k) {
                        const QString& name = teamModelName(plan);
                        if (!membership.allowedModels.contains(name))
                            membership.allowedModels.append(name);
                    }
                }
            }
            // LiteLLM keeps a member's scope on a private budget row.
            if (!membership.allowedModels.isEmpty() || rng.percent(20))
                membership.budgetId = rng.uuid();

            TeamMemberRole role;
            role.userId = row.id;
            role.userEmail = row.email;
            role.role = j == 0 || rng.percent(5) ? u"admin"_s : u"user"_s;
            team.membersWithRoles.append(std::move(role));

            for (int k = 0; k < keysPerMember; ++k) {
                Key key;
                key.token = rng.hex(64);
                key.alias = QString(plan.slug % u'-' % userLocalParts[user] %
                                    (k > 0 ? QString(u'-' % QString::number(k + 1)) : QString()));
                key.teamId = team.id;
                key.userId = row.id;
                if (plainCount > 0 && rng.percent(10)) {
                    const int shape = rng.below(100);
                    const QString special = shape >= 70 && shape < 80 ? groupEntry(plan)
                                            : shape >= 90             ? wildcardEntry(plan)
                                                                      : QString();
                    if (shape >= 50 && shape < 70) {
                        key.models.append(u"all-team-models"_s);
                    } else if (shape >= 80 && shape < 90) {
                        key.models.append(u"all-proxy-models"_s);
                    } else if (!special.isEmpty()) {
                        key.models.append(special);
                    } else if (!membership.allowedModels.isEmpty()) {
                        // A scoped member's keys name what the member may use.
                        key.models = membership.allowedModels.mid(0, rng.between(1, 3));
                    } else {
                        const int n = rng.between(1, 3);
                        for (int i = 0; i < n; ++i) {
                            const QString& name = teamModelName(plan);
                            if (!key.models.contains(name))
                                key.models.append(name);
                        }
                    }
                }
                if (groupCount > 0 && rng.percent(2))
                    key.accessGroupIds.append(ws.accessGroups[rng.below(groupCount)].id);
                if (plainCount > 0 && rng.permille(10))
                    key.aliases.insert(u"my-model"_s, rng.pick(plainNames));
                if (rng.permille(5))
                    key.config.insert(u"num_retries"_s, 3);
                key.blocked = rng.permille(10);
                ws.keys.append(std::move(key));
            }
            ws.teamMemberships.append(std::move(membership));
        }
    }

    // ---- key assignments on DB groups, and two projects (one restricted)
    if (!ws.keys.isEmpty()) {
        for (AccessGroup& group : ws.accessGroups) {
            if (rng.percent(20))
                group.assignedKeyIds.append(ws.keys[rng.below(ws.keys.size())].token);
        }
    }
    if (teamCount > 0) {
        for (int p = 0; p < 2; ++p) {
            Project project;
            project.id = rng.uuid();
            if (p == 0 && plainCount > 0) {
                for (const int i : rng.distinct(2, plainCount))
                    project.models.append(plainNames[i]);
            }
            ws.projects.append(std::move(project));
        }
        for (Key& key : ws.keys) {
            if (rng.permille(10))
                key.projectId = ws.projects[rng.below(ws.projects.size())].id;
        }
    }

    return ws;
}

} // namespace litescope::bench
