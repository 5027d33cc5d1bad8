// The indexes that replaced searches over whole lists (issue 11, quadratic work) must give the
// searches' answers: the literal-prefix index in front of the wildcard regexes, and the roster
// lookup in front of the users and membership rows.
#include "engine/AccessEngine.h"
#include "engine/PrefixIndex.h"
#include "engine/ProviderTable.h"
#include "store/RosterLookup.h"
#include "store/WorkspaceEditSupport.h"

#include <QRegularExpression>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace litescope;
using engine::PrefixIndex;

namespace {

QString text(char32_t codePoint) {
    return QString::fromUcs4(&codePoint, 1);
}

std::vector<std::int32_t> collected(const PrefixIndex& index, const QString& name) {
    std::vector<std::int32_t> ids;
    index.collect(name, ids);
    std::sort(ids.begin(), ids.end());
    return ids;
}

User user(const QString& id, std::optional<QString> email) {
    User u;
    u.id = id;
    u.email = std::move(email);
    return u;
}

} // namespace

class TstLookups : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void allowListPrefix_data() {
        QTest::addColumn<QString>("entry");
        QTest::addColumn<QString>("prefix");
        QTest::newRow("provider wildcard") << u"openai/*"_s << u"openai/"_s;
        QTest::newRow("no wildcard") << u"gpt-4o"_s << u"gpt-4o"_s;
        QTest::newRow("optional atom") << u"ab?c*"_s << u"a"_s;
        QTest::newRow("repeated atom") << u"ab+*"_s << u"a"_s;
        QTest::newRow("counted atom") << u"ab{2}*"_s << u"a"_s;
        QTest::newRow("optional code point") << u"a\U0001F600?b*"_s << u"a"_s;
        QTest::newRow("any character") << u"a.b*"_s << u"a"_s;
        QTest::newRow("class") << u"[ab]c*"_s << QString();
        QTest::newRow("escape") << u"v\\d*"_s << u"v"_s;
        QTest::newRow("alternation") << u"abc|x*"_s << QString();
        QTest::newRow("grouped alternation") << u"x(a|b)*"_s << QString();
        QTest::newRow("inline option") << u"(?i)q*"_s << QString();
        QTest::newRow("star alone") << u"*"_s << QString();
    }
    void allowListPrefix() {
        QFETCH(QString, entry);
        QFETCH(QString, prefix);
        QCOMPARE(PrefixIndex::allowListPrefix(entry).toString(), prefix);
    }

    void wildcardPrefix() {
        QCOMPARE(PrefixIndex::wildcardPrefix(u"w7/*"), u"w7/");
        QCOMPARE(PrefixIndex::wildcardPrefix(u"a*b*"), u"a");
        QCOMPARE(PrefixIndex::wildcardPrefix(u"plain"), u"plain");
    }

    void collectsEveryPrefixOfTheName() {
        PrefixIndex index;
        index.add(u"", 0);
        index.add(u"a", 1);
        index.add(u"ab", 2);
        index.add(u"b", 3);
        index.add(u"ab", 4);
        index.add(u"abcd", 5);
        QCOMPARE(collected(index, u"abc"_s), (std::vector<std::int32_t>{0, 1, 2, 4}));
        QCOMPARE(collected(index, u"abcd"_s), (std::vector<std::int32_t>{0, 1, 2, 4, 5}));
        QCOMPARE(collected(index, u"b"_s), (std::vector<std::int32_t>{0, 3}));
        QCOMPARE(collected(index, QString()), (std::vector<std::int32_t>{0}));
    }

    // A team of odd wildcards, and every name tried against each entry's regex as LiteLLM writes
    // it: the engine grants exactly the names some regex matches.
    void engineGrantsWhatTheRegexesMatch() {
        const QStringList entries = {u"a*"_s,      u"ab?c*"_s, u"zz|y*"_s, u"(?i)q*"_s,
                                     u"x(y|z)*"_s, u"\\d*"_s,  u"é*"_s,    u"\U0001F600?b*"_s,
                                     u"p{2}*"_s,   u"[mn]*"_s, u"w.*"_s,   u"s+t*"_s,
                                     u"k*"_s,      u"(bad*"_s, u"g*4o"_s};
        const QStringList names = {
            u"a"_s,  u"abc"_s, u"bc"_s, u"zz"_s, u"zz9"_s, u"y1"_s,   u"Q1"_s,  u"q"_s,
            u"xy"_s, u"xz1"_s, u"x"_s,  u"7"_s,  u"é"_s,   u"É"_s,    u"b"_s,   u"\U0001F600b"_s,
            u"pp"_s, u"p"_s,   u"m"_s,  u"n1"_s, u"w"_s,   u"wx"_s,   u"sst"_s, u"t"_s,
            u"st"_s, u"K"_s,   u"k"_s,  u"(b"_s, u"g4o"_s, u"gx4o"_s, u"g4"_s};
        Workspace ws;
        Team team;
        team.id = u"t"_s;
        team.models = entries;
        ws.teams.append(team);
        Key key;
        key.token = u"sk-t"_s;
        key.teamId = team.id;
        ws.keys.append(key);
        const AccessEngine engine(ws);
        const ProviderTable providers;
        int granted = 0;
        for (const QString& name : names) {
            QVERIFY2(!providers.infer(name), qPrintable(name)); // no provider form to try
            bool matches = false;
            for (QString entry : entries) {
                const QRegularExpression regex(u'^' + entry.replace(u'*', u".*"_s) + u'$');
                matches = matches || (regex.isValid() && regex.match(name).hasMatch());
            }
            QVERIFY2(engine.decide(0, name).allowed() == matches, qPrintable(name));
            granted += matches ? 1 : 0;
        }
        QCOMPARE(granted, 23); // x, É, p, w, t, K, (b and g4 match no entry
    }

    // Whenever Qt's case-insensitive comparison finds two texts equal, so does the key.
    void caseKeyAgreesWithQtComparison() {
        for (char32_t c = 0; c <= 0x10FFFF; ++c) {
            if (QChar::isSurrogate(c))
                continue;
            const char32_t others[] = {QChar::toUpper(c), QChar::toLower(c), QChar::toTitleCase(c),
                                       QChar::toCaseFolded(c)};
            if (std::all_of(std::begin(others), std::end(others),
                            [c](char32_t other) { return other == c; }))
                continue; // no case: nothing for the comparison to fold
            const QString one = u"X"_s + text(c) + u"@y"_s;
            for (char32_t other : others) {
                const QString two = u"x"_s + text(other) + u"@Y"_s;
                if (one.compare(two, Qt::CaseInsensitive) == 0 &&
                    edits::RosterLookup::caseKey(one) != edits::RosterLookup::caseKey(two))
                    QFAIL(qPrintable(u"U+%1"_s.arg(qulonglong(c), 4, 16, QChar(u'0'))));
            }
        }
    }

    void rosterLookupAnswersAsTheSearches() {
        Workspace ws;
        ws.users = {user(u"u1"_s, u"Ann@Example.com"_s),  user(u"u2"_s, u"ann@example.COM"_s),
                    user(u"u3"_s, std::nullopt),          user(u"u1"_s, u"dup@example.com"_s),
                    user(u"u4"_s, u"\u212A@k.example"_s), // KELVIN SIGN
                    user(u"u5"_s, u"k@K.example"_s),      user(u"u6"_s, u"stra\u00DFe@x"_s),
                    user(u"u7"_s, u"\U00010400@x"_s),     user(u"u8"_s, u"\U00010428@X"_s)};
        TeamMembership first;
        first.teamId = u"t"_s;
        first.userId = u"u1"_s;
        first.allowedModels = {u"first"_s};
        TeamMembership second = first;
        second.allowedModels = {u"second"_s};
        TeamMembership other = first;
        other.teamId = u"other"_s;
        ws.teamMemberships = {other, first, second};
        const edits::RosterLookup lookup(ws, u"t"_s);
        for (const QString& query :
             {u"ann@example.com"_s, u"ANN@EXAMPLE.COM"_s, u"k@k.example"_s, u"\u212A@K.EXAMPLE"_s,
              u"STRASSE@X"_s, u"stra\u00DFe@X"_s, u"\U00010428@x"_s, u"none@x"_s, QString()})
            QCOMPARE(lookup.usersByEmail(query), edits::usersByEmail(ws, query));
        for (const QString& id : {u"u1"_s, u"u3"_s, u"u9"_s})
            QCOMPARE(lookup.userById(id), edits::userById(ws, id));
        QCOMPARE(lookup.userById(u"u1"_s)->email, u"Ann@Example.com"_s);
        for (const std::optional<QString>& id :
             {std::optional(u"u1"_s), std::optional(u"u2"_s), std::optional<QString>()})
            QCOMPARE(lookup.membership(id), edits::membershipOf(ws, u"t"_s, id));
        QCOMPARE(lookup.membership(u"u1"_s)->allowedModels, QStringList{u"first"_s});
    }
};

QTEST_GUILESS_MAIN(TstLookups)
#include "tst_lookups.moc"
