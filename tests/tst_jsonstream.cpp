// JsonStream's strings: every UTF-16 unit where it may fall in the eight-unit chunks the plain
// ASCII path copies at once, written as JSON that reads back as the same text; numbers as Qt
// spells them however often they repeat; pieces larger than the buffer and across its edges.
#include "workspace/JsonAscii.h"
#include "workspace/JsonStream.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace Qt::StringLiterals;
using namespace litescope::workspace;

namespace {

QByteArray written(const QString& text) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        JsonStream out(buffer);
        out.string(text);
    }
    return bytes;
}

} // namespace

class TestJsonStream : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void plainRunsStopAtTheFirstUnitToEscape() {
        const QList<char16_t> stoppers = {u'"', u'\\',  0x00,   0x1F,   u'\n', 0x80,
                                          0xE9, 0xFEFF, 0xD83D, 0x8000, 0xFFFF};
        for (const char16_t stopper : stoppers) {
            for (int at = 0; at < 20; ++at) {
                QString text(24, u'a');
                text[at] = QChar(stopper);
                QByteArray out(24, '\0');
                const qsizetype copied = detail::copyPlainAscii(
                    reinterpret_cast<const char16_t*>(text.utf16()), text.size(), out.data());
                QCOMPARE(copied, qsizetype(at));
                QCOMPARE(out.left(at), QByteArray(at, 'a'));
            }
        }
        // Space, '~' and DEL are written as they are.
        const QString edge = u" ~\u007F !#[]azAZ09~~"_s;
        QByteArray out(edge.size(), '\0');
        QCOMPARE(detail::copyPlainAscii(reinterpret_cast<const char16_t*>(edge.utf16()),
                                        edge.size(), out.data()),
                 edge.size());
        QCOMPARE(out, edge.toLatin1());
    }
    void stringsReadBackAsWritten() {
        const QList<QString> specials = {u"\""_s,     u"\\"_s,         u"\n"_s,
                                         u"\u0001"_s, u"\u00e9"_s,     u"\u20ac"_s,
                                         u"\uFEFF"_s, u"\U0001F600"_s, u"\u007F"_s};
        for (const QString& special : specials) {
            for (int at = 0; at < 18; ++at) {
                const QString text = QString(at, u'x') + special + QString(17 - at, u'y');
                const QByteArray json = "[" + written(text) + "]";
                QJsonParseError error;
                const QJsonDocument document = QJsonDocument::fromJson(json, &error);
                QVERIFY2(error.error == QJsonParseError::NoError, json.constData());
                // Qt's parser drops a raw U+FEFF; JsonStream writes it escaped, so it stays.
                QCOMPARE(document.array().at(0).toString(), text);
            }
        }
        QCOMPARE(written(u"plain-ascii-id-0123456789"_s), "\"plain-ascii-id-0123456789\"");
        QCOMPARE(written(u"a\"b\\c\nd"_s), "\"a\\\"b\\\\c\\nd\"");
    }

    // Numbers as Qt's JSON writer spells them (100000 as 1e+05), however often each comes back:
    // the stream remembers recent numbers' text, and a number must never get another's.
    void numbersAsQtWritesThem() {
        QList<double> numbers = {0,
                                 -0.0,
                                 1,
                                 12,
                                 1200,
                                 50000,
                                 100000,
                                 2.5e-06,
                                 1e-05,
                                 1e21,
                                 0.1,
                                 4.99,
                                 -7.25,
                                 9007199254740993.0,
                                 1.7976931348623157e308};
        std::mt19937_64 random(5);
        for (int i = 0; i < 20000; ++i)
            numbers.append(i % 2 ? double(random() % 5000) / 100
                                 : std::ldexp(double(random() % 1000000), int(random() % 80) - 40));
        for (int round = 0; round < 2; ++round) {
            QByteArray bytes;
            QBuffer buffer(&bytes);
            buffer.open(QIODevice::WriteOnly);
            QByteArray expected;
            {
                JsonStream out(buffer);
                for (const double number : std::as_const(numbers)) {
                    out.number(number);
                    out.raw(" ");
                    expected +=
                        QByteArray::number(number, 'g', QLocale::FloatingPointShortest) + ' ';
                }
            }
            QCOMPARE(bytes, expected);
            std::shuffle(numbers.begin(), numbers.end(), random);
        }
    }

    // A piece larger than the stream's buffer (a megabyte) and pieces across its edges.
    void longTextsAndBufferEdges() {
        QString longText;
        for (int i = 0; i < 300000; ++i)
            longText += i % 1000 == 0 ? u"\u00e9\""_s : u"a"_s;
        std::string expected;
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        {
            JsonStream out(buffer);
            for (int i = 0; i < 3; ++i) {
                for (int n = 0; n < 40000; ++n) {
                    out.string(u"id-%1"_s.arg(n));
                    appendJsonString(expected, u"id-%1"_s.arg(n));
                    out.raw(", ");
                    expected += ", ";
                }
                out.string(longText);
                appendJsonString(expected, longText);
            }
            QVERIFY(out.flush());
        }
        QCOMPARE(bytes.size(), qsizetype(expected.size()));
        QVERIFY(bytes == QByteArray::fromStdString(expected));
        const QJsonDocument document = QJsonDocument::fromJson("[" + written(longText) + "]");
        QCOMPARE(document.array().at(0).toString(), longText);
    }
};

QTEST_GUILESS_MAIN(TestJsonStream)
#include "tst_jsonstream.moc"
