#include "WorkspaceGenerator.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using litescope::Workspace;
using litescope::bench::generateWorkspace;
using litescope::bench::GeneratorOptions;

namespace {

// Workspace has no operator==; a digest over every field the generator sets stands in for one.
class Fingerprint {
public:
    void add(const QString& s) {
        m_hash.addData(s.toUtf8());
        m_hash.addData(QByteArrayView("\x1f"));
    }
    void add(const std::optional<QString>& s) {
        m_hash.addData(QByteArrayView(s ? "+" : "-"));
        if (s)
            add(*s);
    }
    void add(bool b) { m_hash.addData(QByteArrayView(b ? "T" : "F")); }
    void add(const QStringList& list) {
        add(QString::number(list.size()));
        for (const QString& s : list)
            add(s);
    }
    void add(const litescope::StringMap& map) {
        add(QString::number(map.size()));
        for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
            add(it.key());
            add(it.value());
        }
    }
    void add(const QJsonObject& object) {
        m_hash.addData(QJsonDocument(object).toJson(QJsonDocument::Compact));
    }
    QByteArray result() const { return m_hash.result(); }

private:
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
};

QByteArray fingerprint(const Workspace& ws) {
    Fingerprint f;
    f.add(ws.source.kind);
    f.add(ws.source.label);
    f.add(ws.source.capturedAt);
    f.add(ws.settings.modelAliasMap);
    for (const auto& m : ws.proxyModels) {
        f.add(m.modelName);
        f.add(m.litellmModel);
        f.add(m.modelId);
        f.add(m.accessGroups);
        f.add(m.teamId);
        f.add(m.teamPublicModelName);
    }
    for (auto it = ws.modelGroupAlias.constBegin(); it != ws.modelGroupAlias.constEnd(); ++it) {
        f.add(it.key());
        f.add(it->target);
        f.add(it->hidden);
    }
    f.add(ws.modelProviders);
    for (const auto& g : ws.accessGroups) {
        f.add(g.id);
        f.add(g.name);
        f.add(g.modelNames);
        f.add(g.assignedTeamIds);
        f.add(g.assignedKeyIds);
    }
    for (const auto& o : ws.organizations) {
        f.add(o.id);
        f.add(o.alias);
        f.add(o.models);
    }
    for (const auto& t : ws.teams) {
        f.add(t.id);
        f.add(t.alias);
        f.add(t.organizationId);
        f.add(t.models);
        f.add(t.defaultTeamMemberModels);
        f.add(t.blocked);
        f.add(t.accessGroupIds);
        f.add(t.modelAliases);
        for (const auto& r : t.membersWithRoles) {
            f.add(r.userId);
            f.add(r.userEmail);
            f.add(r.role);
        }
    }
    for (const auto& m : ws.teamMemberships) {
        f.add(m.teamId);
        f.add(m.userId);
        f.add(m.budgetId);
        f.add(m.allowedModels);
    }
    for (const auto& u : ws.users) {
        f.add(u.id);
        f.add(u.email);
        f.add(u.role);
        f.add(u.models);
    }
    for (const auto& k : ws.keys) {
        f.add(k.token);
        f.add(k.alias);
        f.add(k.teamId);
        f.add(k.userId);
        f.add(k.projectId);
        f.add(k.models);
        f.add(k.aliases);
        f.add(k.accessGroupIds);
        f.add(k.config);
        f.add(k.blocked);
    }
    for (const auto& p : ws.projects) {
        f.add(p.id);
        f.add(p.models);
        f.add(p.blocked);
    }
    return f.result();
}

// Every broken reference or inconsistency, as readable lines, so a failure says what is wrong.
QStringList problems(const Workspace& ws) {
    QStringList out;
    const auto unique = [&out](const QString& what, const QStringList& ids) {
        QSet<QString> seen;
        for (const QString& id : ids) {
            if (seen.contains(id))
                out << what % u": duplicate "_s % id;
            seen.insert(id);
        }
        return seen;
    };
    QStringList list;
    for (const auto& m : ws.proxyModels)
        list << m.modelId;
    unique(u"model id"_s, list);
    list.clear();
    for (const auto& g : ws.accessGroups)
        list << g.id;
    const QSet<QString> groups = unique(u"access group"_s, list);
    list.clear();
    for (const auto& o : ws.organizations)
        list << o.id;
    const QSet<QString> orgs = unique(u"organization"_s, list);
    list.clear();
    for (const auto& t : ws.teams)
        list << t.id;
    const QSet<QString> teams = unique(u"team"_s, list);
    list.clear();
    for (const auto& u : ws.users)
        list << u.id;
    const QSet<QString> users = unique(u"user"_s, list);
    list.clear();
    for (const auto& k : ws.keys)
        list << k.token;
    const QSet<QString> tokens = unique(u"key"_s, list);
    list.clear();
    for (const auto& k : ws.keys)
        list << k.alias.value_or(QString());
    unique(u"key alias"_s, list);
    list.clear();
    for (const auto& p : ws.projects)
        list << p.id;
    const QSet<QString> projects = unique(u"project"_s, list);
    list.clear();
    for (const auto& m : ws.teamMemberships)
        list << m.teamId % u'\n' % m.userId;
    const QSet<QString> memberships = unique(u"membership"_s, list);

    QSet<QString> modelNames;
    for (const auto& m : ws.proxyModels) {
        modelNames.insert(m.modelName);
        if (m.teamId && !teams.contains(*m.teamId))
            out << u"model "_s % m.modelName % u": team "_s % *m.teamId;
    }
    for (auto it = ws.modelGroupAlias.constBegin(); it != ws.modelGroupAlias.constEnd(); ++it) {
        if (!modelNames.contains(it->target))
            out << u"router alias "_s % it.key() % u" -> "_s % it->target;
    }
    for (const auto& g : ws.accessGroups) {
        for (const QString& t : g.assignedTeamIds) {
            if (!teams.contains(t))
                out << u"group "_s % g.name % u": assigned team "_s % t;
        }
        for (const QString& k : g.assignedKeyIds) {
            if (!tokens.contains(k))
                out << u"group "_s % g.name % u": assigned key "_s % k;
        }
    }
    QHash<QString, QSet<QString>> membersOfTeam;
    for (const auto& m : ws.teamMemberships) {
        if (!teams.contains(m.teamId))
            out << u"membership: team "_s % m.teamId;
        if (!users.contains(m.userId))
            out << u"membership: user "_s % m.userId;
        membersOfTeam[m.teamId].insert(m.userId);
    }
    for (const auto& t : ws.teams) {
        if (t.organizationId && !orgs.contains(*t.organizationId))
            out << u"team "_s % t.id % u": organization "_s % *t.organizationId;
        for (const QString& g : t.accessGroupIds) {
            if (!groups.contains(g))
                out << u"team "_s % t.id % u": access group "_s % g;
        }
        for (const QString& d : t.defaultTeamMemberModels) {
            if (!t.models.contains(d))
                out << u"team "_s % t.id % u": default member model not in team: "_s % d;
        }
        QSet<QString> withRoles;
        for (const auto& r : t.membersWithRoles) {
            if (!r.userId || !users.contains(*r.userId))
                out << u"team "_s % t.id % u": members_with_roles names an unknown user"_s;
            else
                withRoles.insert(*r.userId);
        }
        if (withRoles != membersOfTeam.value(t.id))
            out << u"team "_s % t.id % u": members_with_roles differ from memberships"_s;
        if (withRoles.size() != t.membersWithRoles.size())
            out << u"team "_s % t.id % u": duplicate member in members_with_roles"_s;
    }
    for (const auto& k : ws.keys) {
        if (k.teamId && !teams.contains(*k.teamId))
            out << u"key "_s % k.token % u": team"_s;
        if (k.userId && !users.contains(*k.userId))
            out << u"key "_s % k.token % u": user"_s;
        if (k.teamId && k.userId && !memberships.contains(*k.teamId % u'\n' % *k.userId))
            out << u"key "_s % k.token % u": owner is not a member of the key's team"_s;
        if (k.projectId && !projects.contains(*k.projectId))
            out << u"key "_s % k.token % u": project"_s;
        for (const QString& g : k.accessGroupIds) {
            if (!groups.contains(g))
                out << u"key "_s % k.token % u": access group "_s % g;
        }
    }
    return out;
}

} // namespace

class TestWorkspaceGenerator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameSeedSameWorkspace() {
        const GeneratorOptions options;
        const QByteArray first = fingerprint(generateWorkspace(options));
        QCOMPARE(fingerprint(generateWorkspace(options)), first);

        GeneratorOptions other = options;
        other.seed = options.seed + 1;
        QVERIFY(fingerprint(generateWorkspace(other)) != first);
    }

    void counts_data() {
        QTest::addColumn<int>("proxyModels");
        QTest::addColumn<int>("teams");
        QTest::addColumn<int>("members");
        QTest::addColumn<int>("keysPerMember");
        QTest::addColumn<int>("accessGroups");
        QTest::newRow("default") << 500 << 100 << 5000 << 1 << 10;
        QTest::newRow("small, two keys each") << 30 << 5 << 40 << 2 << 3;
        QTest::newRow("fewer members than teams") << 12 << 8 << 3 << 1 << 1;
        QTest::newRow("minimal") << 1 << 1 << 1 << 0 << 0;
        QTest::newRow("no models") << 0 << 3 << 10 << 1 << 2;
    }

    void counts() {
        QFETCH(int, proxyModels);
        QFETCH(int, teams);
        QFETCH(int, members);
        QFETCH(int, keysPerMember);
        QFETCH(int, accessGroups);
        GeneratorOptions options;
        options.proxyModels = proxyModels;
        options.teams = teams;
        options.members = members;
        options.keysPerMember = keysPerMember;
        options.accessGroups = accessGroups;
        const Workspace ws = generateWorkspace(options);
        QCOMPARE(ws.proxyModels.size(), static_cast<qsizetype>(proxyModels));
        QCOMPARE(ws.teams.size(), static_cast<qsizetype>(teams));
        QCOMPARE(ws.teamMemberships.size(), static_cast<qsizetype>(members));
        QCOMPARE(ws.keys.size(), static_cast<qsizetype>(members) * keysPerMember);
        QCOMPARE(ws.accessGroups.size(), static_cast<qsizetype>(accessGroups));
        QVERIFY(ws.users.size() <= members);
        QVERIFY(ws.users.size() >= members * 8 / 10);
        const QStringList found = problems(ws);
        QVERIFY2(found.isEmpty(), qPrintable(found.mid(0, 10).join(u'\n')));
    }

    void noTeamsMeansNoMembers() {
        GeneratorOptions options;
        options.teams = 0;
        const Workspace ws = generateWorkspace(options);
        QVERIFY(ws.teamMemberships.isEmpty());
        QVERIFY(ws.keys.isEmpty());
        QCOMPARE(ws.proxyModels.size(), static_cast<qsizetype>(options.proxyModels));
        QVERIFY(problems(ws).isEmpty());
    }

    void realisticMix() {
        const Workspace ws = generateWorkspace({});
        QSet<QString> routerGroups;
        int withGroups = 0;
        int wildcardDeployments = 0;
        int byok = 0;
        for (const auto& m : ws.proxyModels) {
            withGroups += m.accessGroups.isEmpty() ? 0 : 1;
            wildcardDeployments += m.modelName.contains(u'*') ? 1 : 0;
            byok += m.teamId ? 1 : 0;
            for (const QString& g : m.accessGroups)
                routerGroups.insert(g);
        }
        QVERIFY2(withGroups > 60 && withGroups < 150, qPrintable(QString::number(withGroups)));
        QCOMPARE(wildcardDeployments, 3);
        QVERIFY(byok > 0);

        int all = 0, allProxy = 0, group = 0, wildcard = 0, withDefaults = 0;
        for (const auto& t : ws.teams) {
            all += t.models.isEmpty() ? 1 : 0;
            allProxy += t.models.contains(u"all-proxy-models"_s) ? 1 : 0;
            withDefaults += t.defaultTeamMemberModels.isEmpty() ? 0 : 1;
            bool hasGroup = false, hasWildcard = false;
            for (const QString& m : t.models) {
                hasGroup = hasGroup || routerGroups.contains(m);
                hasWildcard = hasWildcard || m.contains(u'*');
            }
            group += hasGroup ? 1 : 0;
            wildcard += hasWildcard ? 1 : 0;
            const bool literal = !t.models.isEmpty() && !t.models.contains(u"all-proxy-models"_s);
            if (literal)
                QVERIFY(t.models.size() >= 5 && t.models.size() <= 51);
        }
        QVERIFY(all > 0 && allProxy > 0 && group > 0 && wildcard > 0 && withDefaults > 0);

        int scoped = 0;
        for (const auto& m : ws.teamMemberships)
            scoped += m.allowedModels.isEmpty() ? 0 : 1;
        QVERIFY2(scoped > 1200 && scoped < 1800, qPrintable(QString::number(scoped)));

        int keysWithModels = 0;
        for (const auto& k : ws.keys) {
            QCOMPARE(k.token.size(), qsizetype(64));
            keysWithModels += k.models.isEmpty() ? 0 : 1;
        }
        QVERIFY(keysWithModels > 0 && keysWithModels < ws.keys.size() / 4);
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceGenerator)
#include "tst_workspacegenerator.moc"
