// Hostile strings through PgStore, byte for byte: quotes, backslashes, braces and commas (text[]
// literal syntax), "NULL", JSON look-alikes, emoji and ZWJ sequences, right-to-left text, a
// leading U+FEFF, control characters, padding, 10 KB names, printf and SQL fragments. Each goes
// through team models, a member scope, key models, default member models, a team alias and a new
// user's email, and is read back with psql (as hex) and through snapshot(), members(), teams().
#include "support/PgStoreTestSupport.h"

#include <QScopeGuard>
#include <QTest>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

namespace {

// Strings that break naive quoting, array literals, JSON handling or text output.
QList<std::pair<const char*, QString>> hostileTexts() {
    return {
        {"single quote", u"it's"_s},
        {"double quotes", u"say \"hi\""_s},
        {"backslashes", u"C:\\models\\ft\\"_s},
        {"escaped quote", u"\\\""_s},
        {"backslash n", u"a\\nb"_s},
        {"array literal", u"{a,b}"_s},
        {"empty braces", u"{}"_s},
        {"NULL", u"NULL"_s},
        {"null", u"null"_s},
        {"comma", u"a,b"_s},
        {"JSON array", u"[1, 2]"_s},
        {"JSON object", u"{\"k\": \"v\"}"_s},
        {"emoji", u"model \U0001F680"_s},
        {"ZWJ family", u"\U0001F469\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"_s},
        {"ZWJ profession", u"\U0001F469\U0001F3FD\u200D\U0001F4BB dev"_s},
        {"hebrew", u"\u05E9\u05DC\u05D5\u05DD-model"_s},
        {"rtl override", u"\u202Eevil\u202C.txt"_s},
        {"arabic", u"\u0645\u0631\u062D\u0628\u0627"_s},
        {"BOM first", u"\uFEFFbom-first"_s},
        {"tab", u"a\tb"_s},
        {"newline", u"line1\nline2"_s},
        {"CRLF", u"a\r\nb"_s},
        {"control", u"x\u0001y\u001Fz"_s},
        {"leading and trailing spaces", u"  padded  "_s},
        {"only spaces", u"   "_s},
        {"10 KB", u"\U0001F600x,\"\\'{}"_s.repeated(1200) + u"end"_s},
        {"printf", u"%s %d %n %1"_s},
        {"SQL injection", u"'); DROP TABLE x;--"_s},
        {"placeholder", u"$1"_s},
        {"dollar quoting", u"$$x$$"_s},
        {"escape string", u"E'\\x41'"_s},
        {"comment", u"/* c */ -- d"_s},
        {"json path", u"#>> '{}'"_s},
        {"combining", u"e\u0301\u0301"_s},
        {"line separator", u"a\u2028b\u2029c"_s},
        {"fullwidth", u"\uFF47\uFF50\uFF54"_s},
        {"CJK", u"\u65E5\u672C\u8A9E\u30E2\u30C7\u30EB"_s},
        {"astral math", u"\U0001D518\U0001D52B\U0001D526"_s},
        {"html", u"<script>alert(1)</script>"_s},
        {"semicolon", u";"_s},
    };
}

} // namespace

class TestPgStoreHostile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void hostileStrings_data();
    void hostileStrings();

private:
    PgStoreFixture m_pg;
    QString m_db; // shared by the rows: each row overwrites the same fields
    int m_row = 0;
};

void TestPgStoreHostile::initTestCase() {
    QString error;
    QVERIFY2(m_pg.start(&error), qPrintable(error));
    m_db = m_pg.freshDatabase(Level::Newest, &error);
    QVERIFY2(!m_db.isEmpty(), qPrintable(error));
}

void TestPgStoreHostile::cleanupTestCase() {
    m_pg.stop();
}

void TestPgStoreHostile::hostileStrings_data() {
    QTest::addColumn<QString>("text");
    const auto strings = hostileTexts();
    QVERIFY(strings.size() >= 30);
    for (const auto& [name, text] : strings)
        QTest::newRow(name) << text;
}

void TestPgStoreHostile::hostileStrings() {
    QFETCH(QString, text);
    const QString db = m_db;
    const QString user = u"hostile-"_s + QString::number(++m_row);
    const QString hex = QString::fromLatin1(text.toUtf8().toHex());
    auto store = m_pg.store(db);
    auto applyOk = [&](const StoreEdit& edit) {
        const Result<EditOutcome> result = awaitTask(store->apply(edit));
        QVERIFY2(result.ok(), failureText(result).constData());
    };

    applyOk(StoreEdit::setTeamModels(seed::mlTeam, {text, u"gpt-4o"_s}));
    applyOk(StoreEdit::setMemberScope(seed::mlTeam, seed::bob, {text}));
    applyOk(StoreEdit::setKeyModels(seed::bobNotebookKey, {u"gpt-4o"_s, text}));
    applyOk(StoreEdit::setDefaultMemberModels(seed::searchTeam, {text}));
    applyOk(StoreEdit::setTeamAlias(seed::supportTeam, text));
    StoreEdit add = StoreEdit::addMember(seed::legacyTeam, user);
    add.email = text;
    add.memberModels = QStringList{text};
    applyOk(add);
    if (QTest::currentTestFailed())
        return;
    // Emails compare case-insensitively: the next row's text ("null" after "NULL") must not find
    // this member.
    const auto cleanUp = qScopeGuard(
        [&] { (void)awaitTask(store->apply(StoreEdit::removeMember(seed::legacyTeam, user))); });

    // Byte for byte in the tables.
    const QString gpt = QString::fromLatin1(QByteArray("gpt-4o").toHex());
    QCOMPARE(m_pg.sql(db, hexElementsSql(u"LiteLLM_TeamTable"_s, u"models"_s,
                                         u"team_id = 'team-ml-research'"_s)),
             hex + u'\n' + gpt);
    QCOMPARE(m_pg.sql(db, hexElementsSql(u"LiteLLM_BudgetTable"_s, u"allowed_models"_s,
                                         u"budget_id = 'budget-ml-bob'"_s)),
             hex);
    QCOMPARE(m_pg.sql(db, hexElementsSql(u"LiteLLM_VerificationToken"_s, u"models"_s,
                                         u"token = '"_s + seed::bobNotebookKey + u'\'')),
             gpt + u'\n' + hex);
    QCOMPARE(m_pg.sql(db, hexElementsSql(u"LiteLLM_TeamTable"_s, u"default_team_member_models"_s,
                                         u"team_id = '"_s + seed::searchTeam + u'\'')),
             hex);
    QCOMPARE(m_pg.sql(db, hexSql(u"team_alias"_s, u"LiteLLM_TeamTable"_s,
                                 u"team_id = 'team-support-bots'"_s)),
             hex);
    QCOMPARE(m_pg.sql(db, hexSql(u"user_email"_s, u"LiteLLM_UserTable"_s,
                                 u"user_id = '"_s + user + u'\'')),
             hex);
    QCOMPARE(m_pg.sql(db, u"SELECT encode(convert_to(r->>'user_email', 'UTF8'), 'hex') FROM "
                          u"\"LiteLLM_TeamTable\" t, jsonb_array_elements(t.members_with_roles) r "
                          u"WHERE t.team_id = 'team-legacy-sandbox' AND r->>'user_id' = '"_s +
                              user + u"';"_s),
             hex);
    QCOMPARE(m_pg.sql(db, hexElementsSql(u"LiteLLM_BudgetTable"_s, u"allowed_models"_s,
                                         u"budget_id = (SELECT budget_id FROM "
                                         u"\"LiteLLM_TeamMembership\" WHERE user_id = '"_s +
                                             user + u"')"_s)),
             hex);
    // The audit rows carry it too (the alias edit's updated_values).
    QCOMPARE(m_pg.sql(db, u"DELETE FROM \"LiteLLM_AuditLog\" WHERE id NOT LIKE '0f6c2b1a-%' AND "
                          u"updated_values ? 'team_alias' RETURNING encode(convert_to("
                          u"updated_values->>'team_alias', 'UTF8'), 'hex');"_s),
             hex);

    // And back through the store: every place is checked, then the places that lost it listed.
    const Result<Workspace> ws = awaitTask(store->snapshot());
    VERIFY_SUCCEEDS(ws);
    QStringList lost;
    auto check = [&](bool same, const char* where) {
        if (!same)
            lost.append(QString::fromLatin1(where));
    };
    for (const Team& team : ws->teams) {
        if (team.id == seed::mlTeam)
            check(team.models == QStringList{text, u"gpt-4o"_s}, "snapshot team models");
        if (team.id == seed::searchTeam)
            check(team.defaultTeamMemberModels == QStringList{text},
                  "snapshot default_team_member_models");
        if (team.id == seed::supportTeam)
            check(team.alias == text, "snapshot team_alias");
        if (team.id == seed::legacyTeam)
            check(team.membersWithRoles.back().userEmail == text, "snapshot roster user_email");
    }
    for (const TeamMembership& m : ws->teamMemberships) {
        if (m.teamId == seed::mlTeam && m.userId == seed::bob)
            check(m.allowedModels == QStringList{text}, "snapshot member allowed_models");
        if (m.userId == user)
            check(m.allowedModels == QStringList{text}, "snapshot new member allowed_models");
    }
    for (const Key& key : ws->keys)
        if (key.token == seed::bobNotebookKey)
            check(key.models == QStringList{u"gpt-4o"_s, text}, "snapshot key models");
    bool userSeen = false;
    for (const User& u : ws->users)
        if (u.id == user) {
            check(u.email == text, "snapshot user_email");
            userSeen = true;
        }
    QVERIFY(userSeen);
    // The alias names the team; members() reads the scope and the email back.
    const Result<QList<TeamMember>> support = awaitTask(store->members(text));
    VERIFY_SUCCEEDS(support);
    QCOMPARE(support->size(), 2);
    const Result<QList<TeamMember>> legacy = awaitTask(store->members(seed::legacyTeam));
    VERIFY_SUCCEEDS(legacy);
    QCOMPARE(legacy->back().userId, user);
    check(legacy->back().email == text, "members() email");
    check(legacy->back().allowedModels == QStringList{text}, "members() allowed_models");
    const Result<Page<Team>> page = awaitTask(store->teams({seed::mlTeam, 1}));
    VERIFY_SUCCEEDS(page);
    check(page->items.value(0).alias == text, "teams() team_alias");
    QVERIFY2(lost.isEmpty(), qPrintable(u"read back differently in: "_s + lost.join(u", "_s)));
}

QTEST_GUILESS_MAIN(TestPgStoreHostile)
#include "tst_pgstore_hostile.moc"
