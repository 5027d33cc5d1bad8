// The order the PostgreSQL snapshot gives its big tables (PgOrder.h): code-point order of the ids,
// whatever the server's collation, reached by sorting prefixes and permuting the rows in place.
#include "store/pg/PgOrder.h"

#include <QStringList>
#include <QTest>

#include <random>

using namespace Qt::StringLiterals;
using namespace litescope::pg;

namespace {

struct Row {
    QString id;
    int payload = 0;
};

// Code-point order the slow, obvious way.
bool byCodePoints(const QString& a, const QString& b) {
    return a.toUcs4() < b.toUcs4();
}

} // namespace

class TestPgOrder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void codePointsNotUtf16Units() {
        // U+FF01 is below U+1F600 as a code point, above it as UTF-16 units (0xD83D 0xDE00).
        const QString fullwidth = u"\uFF01"_s, emoji = u"\U0001F600"_s;
        QVERIFY(fullwidth > emoji); // QString compares units
        QVERIFY(codePointLess(fullwidth, emoji));
        QVERIFY(!codePointLess(emoji, fullwidth));
        QVERIFY(codePointLess(u"ab"_s, u"abc"_s));
        QVERIFY(!codePointLess(u"abc"_s, u"ab"_s));
        QVERIFY(!codePointLess(u"same"_s, u"same"_s));
        QVERIFY(codePointLess(QString(), u"a"_s));
    }
    void sortsLikeCodePointOrder_data() {
        QTest::addColumn<QStringList>("ids");
        QTest::newRow("hex tokens sharing long prefixes")
            << QStringList({u"00000000aa"_s, u"00000000a"_s, u"00000000"_s, u"0000000"_s,
                            u"00000000ab"_s, u"ffffffff"_s, u"00000001"_s});
        QTest::newRow("surrogates and the last BMP characters")
            << QStringList({u"x\U0001F600"_s, u"x\uFFFD"_s, u"x\uE000"_s, u"x\uD7FF"_s, u"x"_s,
                            u"\U0001F600"_s, u"\uFEFFbom"_s, u"A"_s, u"a"_s, u"\u00e9"_s});
        QStringList many;
        std::mt19937 random(7);
        const QString alphabet = u"ab\u00e9\uFF01\U0001F600"_s; // 6 units, 5 characters
        for (int i = 0; i < 3000; ++i) {
            QString id = u"team-"_s;
            for (int n = int(random() % 12); n > 0; --n) {
                const int at = int(random() % 5);
                id += at < 4 ? alphabet.mid(at, 1) : alphabet.mid(4, 2);
            }
            many.append(id + QString::number(random() % 50));
        }
        QTest::newRow("random, with repeats") << many;
    }
    void sortsLikeCodePointOrder() {
        QFETCH(QStringList, ids);
        QList<Row> rows;
        for (int i = 0; i < ids.size(); ++i)
            rows.append({ids[i], i});
        sortRows(
            rows, [](const Row& r) { return QStringView(r.id); },
            [](const Row& a, const Row& b) { return codePointLess(a.id, b.id); });
        QStringList expected = ids;
        std::stable_sort(expected.begin(), expected.end(), byCodePoints);
        QStringList sorted;
        QList<int> payloads;
        for (const Row& row : rows) {
            sorted.append(row.id);
            payloads.append(row.payload);
        }
        QCOMPARE(sorted, expected);
        // Every row moved with its payload, once: none lost, none duplicated.
        for (const Row& row : rows)
            QCOMPARE(ids.at(row.payload), row.id);
        std::sort(payloads.begin(), payloads.end());
        for (int i = 0; i < payloads.size(); ++i)
            QCOMPARE(payloads[i], i);
    }
};

QTEST_GUILESS_MAIN(TestPgOrder)
#include "tst_pgorder.moc"
