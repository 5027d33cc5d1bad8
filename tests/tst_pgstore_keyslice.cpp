// PgStore::keySnapshot reads only the rows deciding one key needs (issue 12: `check --db` on a
// big proxy): the slice it reads must be exactly keySlice() of a whole snapshot, row for row and
// with the rows' places in that snapshot, for every key of the seed bent into the shapes the
// reader must follow: a user without a teams column reaching a team only through its roster, a
// key and a membership of a deleted team, keys sharing an alias, a raw key, an alias that is
// another key's token, tokens that sort differently in the database's collation than by code
// point.
#include "engine/KeySlice.h"
#include "support/PgStoreTestSupport.h"
#include "workspace/WorkspaceJson.h"

#include <QCryptographicHash>
#include <QTest>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

namespace {

const QString RawKey = u"sk-raw-in-the-keyslice-test"_s;

// What may differ between two reads of the same data: when they were taken, and the warnings
// about the whole database a slice does not read.
QByteArray comparable(Workspace ws) {
    ws.source.capturedAt.clear();
    ws.source.warnings.clear();
    return workspace::serialize(ws);
}

QString sha256(const QString& text) {
    return QString::fromLatin1(
        QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

} // namespace

class TestPgStoreKeySlice : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
        m_db = m_pg.freshDatabase(Level::Newest, &error);
        QVERIFY2(!m_db.isEmpty(), qPrintable(error));
        const QString grace = u"0b7a4c1e-9d2f-4a6b-8c3e-7f5d1a2b9e44"_s;
        const QString bob = u"8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22"_s;
        const QString bent =
            // Grace's user row has no teams: the roster makes Support Bots hers.
            u"UPDATE \"LiteLLM_TeamTable\" SET members_with_roles = members_with_roles || "
            u"jsonb_build_array(jsonb_build_object('user_id', '%1', 'role', 'user')) "
            u"WHERE team_id = 'team-support-bots';"
            u"INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, spend) "
            u"VALUES ('%2', 'team-gone', 0);"
            u"INSERT INTO \"LiteLLM_VerificationToken\" (token, key_alias, user_id, team_id, "
            u"models) VALUES "
            u"('z-token-grace', 'grace-key', '%1', NULL, ARRAY['gpt-4o-mini']),"
            u"('Z-token-gone', 'shared-alias', '%2', 'team-gone', ARRAY[]::text[]),"
            u"('\u00fc-token', 'shared-alias', '%2', 'team-ml-research', ARRAY['gpt-4o']),"
            u"('a-token-user-gone', NULL, 'user-gone', 'team-support-bots', ARRAY[]::text[]),"
            u"('%3', 'z-token-grace', '%2', NULL, ARRAY[]::text[]);"
            // Sorting by the database's collation would place these rows elsewhere than
            // the snapshot's code point order does.
            u"ALTER TABLE \"LiteLLM_VerificationToken\" ALTER COLUMN token TYPE text "
            u"COLLATE \"und-x-icu\";"
            u"ALTER TABLE \"LiteLLM_TeamMembership\" ALTER COLUMN team_id TYPE text "
            u"COLLATE \"und-x-icu\", ALTER COLUMN user_id TYPE text COLLATE \"und-x-icu\";"
            u"UPDATE \"LiteLLM_Config\" SET param_value = jsonb_set(param_value, "
            u"'{personal_key_model_access_from_teams}', 'true') "
            u"WHERE param_name = 'litellm_settings';"_s.arg(grace, bob, sha256(RawKey));
        const QString out = m_pg.sql(m_db, bent);
        QVERIFY2(!out.startsWith(u"SQL ERROR"_s), qPrintable(out));
    }

    void cleanupTestCase() { m_pg.stop(); }

    void slicesAsTheWholeSnapshot() {
        auto store = m_pg.store(m_db, true);
        const Result<StoreInfo> info = awaitTask(store->open());
        QVERIFY2(info, qPrintable(info ? QString() : info.error().message));
        const Result<Workspace> whole = awaitTask(store->snapshot());
        QVERIFY2(whole, qPrintable(whole ? QString() : whole.error().message));
        QVERIFY(whole->keys.size() >= 10);

        QStringList lookups{RawKey, u"nobody"_s, u"shared-alias"_s, u""_s};
        for (const Key& key : whole->keys) {
            lookups.append(key.token);
            if (key.alias)
                lookups.append(*key.alias);
        }
        lookups.removeDuplicates();
        int withRoster = 0;
        int placed = 0;
        for (const QString& lookup : std::as_const(lookups)) {
            const KeySlice expected = keySlice(*whole, lookup);
            const Result<KeySlice> read = awaitTask(store->keySnapshot(lookup));
            QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
            const QByteArray actual = comparable(read->workspace);
            if (actual != comparable(expected.workspace))
                QFAIL(qPrintable(u"key %1:\nwhole, sliced:\n%2\nread:\n%3"_s.arg(
                    lookup, QString::fromUtf8(comparable(expected.workspace)),
                    QString::fromUtf8(actual))));
            // Places are counted for the rows a warning names, and must be the snapshot's.
            const workspace::ReferenceCheck check(read->workspace);
            QCOMPARE(read->keyRows.size(), expected.keyRows.size());
            for (qsizetype i = 0; i < read->keyRows.size(); ++i) {
                QCOMPARE(read->keyRows.at(i) >= 0, !check.keyWarnings(i).isEmpty());
                if (read->keyRows.at(i) >= 0) {
                    QCOMPARE(read->keyRows.at(i), expected.keyRows.at(i));
                    ++placed;
                }
            }
            QCOMPARE(read->membershipRows.size(), expected.membershipRows.size());
            for (qsizetype i = 0; i < read->membershipRows.size(); ++i) {
                QCOMPARE(read->membershipRows.at(i) >= 0, !check.membershipWarnings(i).isEmpty());
                if (read->membershipRows.at(i) >= 0) {
                    QCOMPARE(read->membershipRows.at(i), expected.membershipRows.at(i));
                    ++placed;
                }
            }
            if (lookup == u"grace-key"_s) {
                QCOMPARE(read->workspace.teams.size(), 1);
                QCOMPARE(read->workspace.teams.first().id, u"team-support-bots"_s);
                ++withRoster;
            }
        }
        QCOMPARE(withRoster, 1);
        QVERIFY(placed >= 3); // the keys of a deleted team and user, the deleted team's member
    }

    // A version the admin gives wins over the detected one, as in snapshot().
    void theAdminsVersionWins() {
        auto store = m_pg.store(m_db, true);
        store->setLiteLLMVersion(LiteLLMVersion::parse(u"1.80.0"_s));
        QVERIFY(awaitTask(store->open()));
        const Result<KeySlice> read = awaitTask(store->keySnapshot(u"grace-key"_s));
        QVERIFY(read);
        QCOMPARE(read->workspace.source.litellmVersion, u"1.80.0"_s);
        QVERIFY(!read->workspace.source.assumed.contains(u"litellm_version"_s));
        QCOMPARE(read->workspace.keys.size(), 1);
    }

private:
    PgStoreFixture m_pg;
    QString m_db;
};

QTEST_GUILESS_MAIN(TestPgStoreKeySlice)
#include "tst_pgstore_keyslice.moc"
