#include "domain/StringPool.h"

#include <QTest>

#include <string>

using namespace litescope;

class TestStringPool : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void repeatsShareOneBuffer() {
        StringPool pool;
        const QString a = pool.intern(std::string_view("gpt-4o"));
        const QString b = pool.intern(std::string_view("gpt-4o"));
        const QString c = pool.intern(QStringLiteral("gpt-4o"));
        QCOMPARE(a, u"gpt-4o");
        QCOMPARE(a.constData(), b.constData());
        QCOMPARE(a.constData(), c.constData());
        QCOMPARE(pool.size(), 1);
    }
    void distinctTextsStayDistinct() {
        StringPool pool;
        const QString a = pool.intern(std::string_view("team-1"));
        const QString b = pool.intern(std::string_view("team-10"));
        QCOMPARE(b, u"team-10");
        QVERIFY(a.constData() != b.constData());
        QCOMPARE(pool.size(), 2);
    }
    void utf8IsDecoded() {
        StringPool pool;
        const QString name = pool.intern(std::string_view("\xc3\xa9quipe \xe2\x80\x8d"));
        QCOMPARE(name, QString::fromUtf8("équipe \u200d"));
        QCOMPARE(pool.intern(name).constData(), name.constData());
    }
    void leadingByteOrderMarkIsKept() {
        // QString::fromUtf8 would drop it: a model name starting with U+FEFF is another name.
        StringPool pool;
        const QString name = pool.intern(std::string_view("\xEF\xBB\xBFgpt-4o"));
        QCOMPARE(name, QString(QChar(0xFEFF)) + u"gpt-4o");
        QVERIFY(pool.intern(std::string_view("gpt-4o")) != name);
    }
    void manyNamesGrowTheTable() {
        // Past the first table size, through several growths: every text found again, once.
        StringPool pool;
        QList<QString> first;
        for (int i = 0; i < 50000; ++i)
            first.append(pool.intern(std::string("user-" + std::to_string(i) + "@example.com")));
        QCOMPARE(pool.size(), 50000);
        for (int i = 49999; i >= 0; --i) {
            const QString again =
                pool.intern(std::string("user-" + std::to_string(i) + "@example.com"));
            QCOMPARE(again, QString::fromStdString("user-" + std::to_string(i) + "@example.com"));
            QCOMPARE(again.constData(), first.at(i).constData());
        }
        QCOMPARE(pool.size(), 50000);
    }
    void textsBeyondAsciiAreFoundAgain() {
        // Compared with the pooled UTF-16 through Qt's UTF-8 comparison, not byte by byte.
        StringPool pool;
        const QString bom = pool.intern(std::string_view("\xEF\xBB\xBFgpt-4o"));
        QCOMPARE(pool.intern(std::string_view("\xEF\xBB\xBFgpt-4o")).constData(), bom.constData());
        const QString accented = pool.intern(std::string_view("\xc3\xa9quipe-\xf0\x9f\x98\x80"));
        QCOMPARE(pool.intern(std::string_view("\xc3\xa9quipe-\xf0\x9f\x98\x80")).constData(),
                 accented.constData());
        QCOMPARE(pool.size(), 2);
        // As many bytes as "é" has UTF-16 units read as Latin-1 ("Ã©"): another text.
        const QString latin1 = pool.intern(QString::fromLatin1("\xc3\xa9"));
        QCOMPARE(pool.intern(std::string_view("\xc3\xa9")), QString::fromUtf8("\xc3\xa9"));
        QVERIFY(pool.intern(std::string_view("\xc3\xa9")).constData() != latin1.constData());
        QCOMPARE(pool.size(), 4);
    }
    void hashesComputedAheadFindTheSameText() {
        // A pipeline's reading thread hashes, its second thread prefetches and looks up.
        StringPool pool;
        const QString a = pool.intern(std::string_view("team-1"));
        const std::uint64_t hash = StringPool::hashOf("team-1");
        pool.prefetchSlot(hash);
        pool.prefetchText(hash);
        pool.prefetchText(StringPool::hashOf("team-2"));
        QCOMPARE(pool.size(), 1);
        QCOMPARE(pool.intern("team-1", hash).constData(), a.constData());
        const QString b = pool.intern("team-2", StringPool::hashOf("team-2"));
        QCOMPARE(b, u"team-2");
        QCOMPARE(pool.intern(std::string_view("team-2")).constData(), b.constData());
        QCOMPARE(pool.size(), 2);
    }
    void emptyIsNotPooled() {
        StringPool pool;
        QVERIFY(pool.intern(std::string_view()).isEmpty());
        QCOMPARE(pool.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestStringPool)
#include "tst_stringpool.moc"
