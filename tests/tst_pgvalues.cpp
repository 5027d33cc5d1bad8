// PgValues: PostgreSQL's JSON column text read straight into litescope's values (RapidJSON, names
// pooled). Each case is what PostgreSQL sends for a LiteLLM column; the expected values are what
// the Qt-based reading (PgJson, PgRows) made of the same text.
#include "store/pg/PgValues.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::pg;

namespace {

const QString bom(QChar(0xFEFF));

QString shown(const std::optional<QString>& text) {
    return text ? *text : u"(none)"_s;
}

} // namespace

class TestPgValues : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void namesOfPlainArrays() {
        PgValues values;
        QCOMPARE(*values.names(R"(["gpt-4o","claude-3-5-sonnet"])"),
                 QStringList({u"gpt-4o"_s, u"claude-3-5-sonnet"_s}));
        QCOMPARE(*values.names("[]"), QStringList());
        // NULL elements are dropped, as before.
        QCOMPARE(*values.names(R"([null,"a",null])"), QStringList({u"a"_s}));
    }
    void namesWithEscapesAndNonAscii() {
        PgValues values;
        // array_to_json escapes quotes, backslashes and control characters; other characters
        // (é, an emoji, U+FEFF) come as UTF-8.
        const std::optional<QStringList> names = values.names(
            "[\"a\\\"b\",\"c\\\\d\",\"line\\nbreak\",\"\\u00e9t\xC3\xA9\",\"\xF0\x9F\x98\x80\","
            "\"\xEF\xBB\xBF"
            "bom-first\",\"tab\\there\"]");
        QVERIFY(names);
        QCOMPARE(*names, QStringList({u"a\"b"_s, u"c\\d"_s, u"line\nbreak"_s, u"été"_s,
                                      u"\U0001F600"_s, bom + u"bom-first"_s, u"tab\there"_s}));
    }
    void namesWithOnlyBackslashEscapes() {
        PgValues values;
        // No escaped quote to stop a naive split: each backslash escape must still be decoded.
        QCOMPARE(*values.names("[\"c\\\\d\",\"x\\ny\",\"\\u0041\"]"),
                 QStringList({u"c\\d"_s, u"x\ny"_s, u"A"_s}));
    }
    void namesOfOtherValues() {
        PgValues values;
        // A jsonb column that is not an array reads as no names; a double-encoded one as its array.
        QCOMPARE(*values.names(R"({"a":"b"})"), QStringList());
        QCOMPARE(*values.names("\"[\\\"x\\\",\\\"y\\\"]\""), QStringList({u"x"_s, u"y"_s}));
        QCOMPARE(*values.names(R"([1,"a",true,{"b":"c"},["d"]])"), QStringList({u"a"_s}));
    }
    void namesShareOneBuffer() {
        PgValues values;
        const QStringList first = *values.names("[\"gpt-4o\",\"team\\\"x\"]");
        const QStringList second = *values.names("[\"team\\\"x\",\"gpt-4o\"]");
        QCOMPARE(first.at(0).constData(), second.at(1).constData());
        QCOMPARE(first.at(1).constData(), second.at(0).constData());
        QCOMPARE(values.name("gpt-4o").constData(), first.at(0).constData());
    }
    void textThatIsNotJsonIsLeftToQt() {
        PgValues values;
        QVERIFY(!values.names("[\"a\",").has_value());
        // Not UTF-8 (a SQL_ASCII database): a plain array is decoded as Qt decodes it, the rest
        // is left to Qt's parser.
        QCOMPARE(*values.names("[\"a\xFF\"]"), QStringList({u"a\uFFFD"_s}));
        QVERIFY(!values.roster("[{\"user_id\": \"\xFF\xFE\"}]").has_value());
        QVERIFY(!values.roster("[{\"user_id\": }]").has_value());
        QVERIFY(!values.stringMap("{\"a\":").has_value());
    }

    void stringMaps() {
        PgValues values;
        QCOMPARE(*values.stringMap("{}"), StringMap());
        QCOMPARE(*values.stringMap(R"({"fast": "gpt-4o-mini", "smart": "claude-3-5-sonnet"})"),
                 StringMap({{u"fast"_s, u"gpt-4o-mini"_s}, {u"smart"_s, u"claude-3-5-sonnet"_s}}));
        // Escaped and non-ASCII keys and values; values that are not strings are skipped.
        QCOMPARE(*values.stringMap("{\"q\\\"uote\": \"v\\\\al\", \"\xC3\xA9\": \"\\u00e9\", "
                                   "\"n\": null, \"o\": {\"x\": \"y\"}, \"num\": 3}"),
                 StringMap({{u"q\"uote"_s, u"v\\al"_s}, {u"é"_s, u"é"_s}}));
        // A repeated key: the last value counts, as in a QJsonObject (a json column keeps both).
        QCOMPARE(*values.stringMap(R"({"a": "1", "a": "2"})"), StringMap({{u"a"_s, u"2"_s}}));
        QCOMPARE(*values.stringMap(R"({"a": "1", "a": null})"), StringMap());
        QCOMPARE(*values.stringMap("\"{\\\"a\\\": \\\"b\\\"}\""), StringMap({{u"a"_s, u"b"_s}}));
        QCOMPARE(*values.stringMap(R"(["a"])"), StringMap());
        QCOMPARE(*values.stringMap("null"), StringMap());
    }

    void rosters() {
        PgValues values;
        const std::optional<QList<TeamMemberRole>> roster = values.roster(
            R"([{"role": "admin", "user_id": "default_user_id", "user_email": null},)"
            R"( {"role": "user", "user_id": "u-1", "user_email": "ana@example.com"},)"
            " {\"user_id\": \"u-2\"}, {\"user_email\": \"b\\u00e9@example.com\", \"role\": null}]");
        QVERIFY(roster);
        QCOMPARE(roster->size(), 4);
        QCOMPARE(shown(roster->at(0).userId), u"default_user_id"_s);
        QVERIFY(!roster->at(0).userEmail);
        QCOMPARE(roster->at(0).role, u"admin"_s);
        QCOMPARE(shown(roster->at(1).userEmail), u"ana@example.com"_s);
        QCOMPARE(roster->at(2).role, u"user"_s); // LiteLLM's default role
        QVERIFY(!roster->at(2).userEmail);
        QVERIFY(!roster->at(3).userId);
        QCOMPARE(shown(roster->at(3).userEmail), u"bé@example.com"_s);
        QCOMPARE(roster->at(3).role, u"user"_s);
        for (const TeamMemberRole& member : *roster)
            QVERIFY(member.extra.isEmpty()); // the three known fields only: nothing kept
    }
    void rosterEntriesKeepUnknownFields() {
        PgValues values;
        const std::optional<QList<TeamMemberRole>> roster = values.roster(
            "[{\"user_id\": \"u-1\", \"role\": \"user\", \"added\": {\"by\": \"\xEF\xBB\xBF"
            "x\", \"at\": [1, 2.5, null]}}]");
        QVERIFY(roster);
        QCOMPARE(roster->size(), 1);
        QCOMPARE(shown(roster->at(0).userId), u"u-1"_s);
        const QJsonObject added = roster->at(0).extra.value(u"added"_s).toObject();
        QCOMPARE(added.value(u"by"_s).toString(), bom + u"x"_s);
        QCOMPARE(added.value(u"at"_s).toArray(), QJsonArray({1, 2.5, QJsonValue::Null}));
    }
    void rostersOfOtherValues() {
        PgValues values;
        // LiteLLM's column default, {}: no members. Entries that are not objects are members
        // without an id; non-string ids read as none.
        QVERIFY(values.roster("{}")->isEmpty());
        QVERIFY(values.roster("null")->isEmpty());
        const std::optional<QList<TeamMemberRole>> odd =
            values.roster(R"(["u-1", {"user_id": 42, "role": 7}])");
        QVERIFY(odd);
        QCOMPARE(odd->size(), 2);
        QVERIFY(!odd->at(0).userId);
        QCOMPARE(odd->at(0).role, u"user"_s);
        QVERIFY(!odd->at(1).userId);
        QCOMPARE(odd->at(1).role, u"user"_s);
        const std::optional<QList<TeamMemberRole>> doubleEncoded =
            values.roster("\"[{\\\"user_id\\\": \\\"u-9\\\", \\\"role\\\": \\\"admin\\\"}]\"");
        QVERIFY(doubleEncoded);
        QCOMPARE(doubleEncoded->size(), 1);
        QCOMPARE(shown(doubleEncoded->at(0).userId), u"u-9"_s);
        QCOMPARE(doubleEncoded->at(0).role, u"admin"_s);
    }

    void memberBudgets() {
        PgValues values;
        const std::optional<MemberBudget> budget = values.memberBudget(
            R"({"budget_id": "b-1", "max_budget": 25.5, "soft_budget": null,)"
            R"( "max_parallel_requests": null, "tpm_limit": 9007199254740993, "rpm_limit": 500,)"
            R"( "model_max_budget": {"gpt-4o": {"budget_limit": 20.0, "time_period": "1d"}},)"
            R"( "budget_duration": "30d", "budget_reset_at": null,)"
            R"( "created_at": "2026-01-01T00:00:00", "created_by": "default_user_id",)"
            R"( "updated_at": "2026-01-01T00:00:00", "updated_by": "default_user_id",)"
            " \"allowed_models\": [\"gpt-4o\", null, \"claude\\\"x\"]}");
        QVERIFY(budget);
        QCOMPARE(budget->budgetId, u"b-1"_s);
        QCOMPARE(budget->maxBudget.value_or(0), 25.5);
        // A bigint stays exact (a QJsonValue would have rounded it to 9007199254740992).
        QCOMPARE(budget->tpmLimit.value_or(0), Q_INT64_C(9007199254740993));
        QCOMPARE(budget->rpmLimit.value_or(0), Q_INT64_C(500));
        // As QJsonValue::toString read them: a NULL element is an empty name.
        QCOMPARE(budget->allowedModels, QStringList({u"gpt-4o"_s, QString(), u"claude\"x"_s}));
        // The other columns are kept, nulls included; bookkeeping and typed columns are not.
        QCOMPARE(budget->extra.keys(), QStringList({u"budget_duration"_s, u"budget_reset_at"_s,
                                                    u"max_parallel_requests"_s,
                                                    u"model_max_budget"_s, u"soft_budget"_s}));
        QCOMPARE(budget->extra.value(u"model_max_budget"_s)
                     .toObject()
                     .value(u"gpt-4o"_s)
                     .toObject()
                     .value(u"time_period"_s),
                 u"1d"_s);
        QVERIFY(budget->extra.value(u"soft_budget"_s).isNull());
    }
    void memberBudgetsWithOddValues() {
        PgValues values;
        const std::optional<MemberBudget> budget = values.memberBudget(
            R"({"budget_id": 7, "max_budget": "Infinity", "tpm_limit": 1.5, "rpm_limit": null,)"
            R"( "allowed_models": "gpt-4o"})");
        QVERIFY(budget);
        QCOMPARE(budget->budgetId, QString()); // not a string
        QVERIFY(!budget->maxBudget);           // PostgreSQL writes infinity as a string
        QCOMPARE(budget->tpmLimit.value_or(-1),
                 Q_INT64_C(0)); // not a whole number, as toInteger reads it
        QVERIFY(!budget->rpmLimit);
        QVERIFY(budget->allowedModels.isEmpty());
        QVERIFY(budget->extra.isEmpty());
    }

    void modelInfos() {
        PgValues values;
        const std::optional<ProxyModel> byok = values.modelInfo(
            R"({"id": "dep-1", "db_model": true, "access_groups": ["beta-models", 3],)"
            R"( "team_id": "team-1", "team_public_model_name": "my-gpt", "mode": "chat"})",
            u"row-1"_s);
        QVERIFY(byok);
        QCOMPARE(byok->modelId, u"dep-1"_s);
        QCOMPARE(byok->accessGroups, QStringList({u"beta-models"_s, QString()}));
        QCOMPARE(shown(byok->teamId), u"team-1"_s);
        QCOMPARE(shown(byok->teamPublicModelName), u"my-gpt"_s);
        const QJsonObject info = byok->extra.value(u"model_info"_s).toObject();
        QCOMPARE(info.value(u"mode"_s).toString(), u"chat"_s);
        QCOMPARE(info.value(u"db_model"_s).toBool(), true);
        QCOMPARE(info.value(u"id"_s).toString(), u"dep-1"_s); // kept whole, as before

        // No id in model_info (or not a string): the row's model_id. NULL model_info: nothing.
        const std::optional<ProxyModel> plain = values.modelInfo(R"({"id": null})", u"row-2"_s);
        QCOMPARE(plain->modelId, u"row-2"_s);
        QVERIFY(!plain->teamId);
        const std::optional<ProxyModel> none = values.modelInfo("null", u"row-3"_s);
        QCOMPARE(none->modelId, u"row-3"_s);
        QCOMPARE(none->extra.toObject(), QJsonObject({{u"model_info"_s, QJsonObject()}}));
    }
};

QTEST_GUILESS_MAIN(TestPgValues)
#include "tst_pgvalues.moc"
