// The pass over JSON text that finds duplicate keys (workspace/JsonScan.h), checked against Qt's
// parser as the oracle: it follows to the end every text Qt accepts (or a duplicate after the
// point where it gave up would go unseen), and two keys are the same for it exactly when Qt
// keeps one of them (escapes, surrogate pairs, unknown escapes, byte order marks).
#include "workspace/JsonDetail.h"
#include "workspace/JsonScan.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <random>

using namespace Qt::StringLiterals;
using litescope::workspace::detail::JsonOutline;
using litescope::workspace::detail::outlineJson;

// The class comes before the first raw string literal: moc stops reading at JSON in R"(...)".
class TstJsonScan : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void followsTheRepositoryFiles();
    void followsWhateverQtAccepts();
    void keysCompareAsQtDecodesThem();
};

namespace {

// Qt as the readers use it: raw byte order marks escaped first (JsonDetail.h), or Qt 6.4 drops
// one at the start of a key.
bool qtAccepts(const QByteArray& json, QJsonDocument* document = nullptr) {
    QJsonParseError error;
    const QJsonDocument parsed =
        QJsonDocument::fromJson(litescope::workspace::detail::escapeByteOrderMarks(
                                    json, json.startsWith("\xEF\xBB\xBF") ? 3 : 0),
                                &error);
    if (document)
        *document = parsed;
    return error.error == QJsonParseError::NoError;
}

// A key as JSON text, each character written plainly or as one of its escapes.
QByteArray spelled(const QString& key, std::mt19937& random) {
    QByteArray out = "\"";
    for (qsizetype i = 0; i < key.size(); ++i) {
        const QChar c = key.at(i);
        const bool pair = c.isHighSurrogate() && i + 1 < key.size();
        const int choice = int(random() % 3);
        if (choice == 0 && c != u'"' && c != u'\\' && c.unicode() >= 0x20) {
            out += QString(pair ? key.mid(i, 2) : QString(c)).toUtf8();
        } else if (choice == 1 && c.isLetter() && c.unicode() < 0x80 &&
                   !QByteArray("bfnrtu").contains(char(c.unicode()))) {
            out += '\\'; // Qt reads an unknown escape \x as x
            out += char(c.unicode());
        } else {
            out += u"\\u%1"_s.arg(uint(c.unicode()), 4, 16, QChar(u'0')).toLatin1();
            if (pair)
                out += u"\\u%1"_s.arg(uint(key.at(i + 1).unicode()), 4, 16, QChar(u'0')).toLatin1();
        }
        if (pair)
            ++i;
    }
    return out + '"';
}

} // namespace

// Every JSON file of the repository Qt reads is followed to the end, without a duplicate.
void TstJsonScan::followsTheRepositoryFiles() {
    int files = 0;
    for (const QString& root : {QStringLiteral(LITESCOPE_TEST_DATA),
                                QStringLiteral(LITESCOPE_TEST_DATA "/../resources")}) {
        QDirIterator it(root, {u"*.json"_s}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray json = file.readAll();
            if (!qtAccepts(json))
                continue;
            const JsonOutline outline = outlineJson(json);
            QVERIFY2(outline.top != JsonOutline::Top::Unknown, qPrintable(file.fileName()));
            QVERIFY2(!outline.duplicate, qPrintable(file.fileName()));
            ++files;
        }
    }
    QVERIFY(files > 20);
}

// Texts changed byte by byte at random: whenever Qt still accepts one, the pass follows it.
void TstJsonScan::followsWhateverQtAccepts() {
    const QList<QByteArray> seeds{
        R"({"a": [1, -2.5e3, true, false, null, "x\"y\\z"], "b": {"c": {}}, "d": []})",
        R"({"k": "\u00e9\ud83e\udd16", "n": 0.5, "m": [[], [{}], {"x": [1]}]})",
        "\xEF\xBB\xBF{\"bom\": \"\xEF\xBB\xBF\", \"t\": \"\\t\"}",
    };
    const QByteArray alphabet = "{}[]\":,\\ .-+0123456789eEtrufalsn\t\nxu";
    std::mt19937 random(11);
    int accepted = 0;
    for (int round = 0; round < 20000; ++round) {
        QByteArray json = seeds.at(int(random() % seeds.size()));
        const int edits = 1 + int(random() % 3);
        for (int e = 0; e < edits; ++e) {
            const qsizetype at = qsizetype(random() % std::uint32_t(json.size()));
            const char byte = alphabet.at(qsizetype(random() % alphabet.size()));
            switch (random() % 3) {
            case 0:
                json[at] = byte;
                break;
            case 1:
                json.insert(at, byte);
                break;
            default:
                json.remove(at, 1);
                break;
            }
        }
        QJsonDocument document;
        if (!qtAccepts(json, &document) || !(document.isObject() || document.isArray()))
            continue;
        ++accepted;
        const JsonOutline outline = outlineJson(json);
        // A duplicate stops the pass; Qt accepted it all the same.
        QVERIFY2(outline.top != JsonOutline::Top::Unknown || outline.duplicate, json.constData());
    }
    QVERIFY(accepted > 1000);
}

// Two spellings of a key are one key for the pass exactly when Qt keeps one of them.
void TstJsonScan::keysCompareAsQtDecodesThem() {
    const QStringList keys{u"a"_s,
                           u"gpt-4o"_s,
                           u"openai/gpt-4o"_s,
                           u"é"_s,
                           u"\U0001F916"_s,
                           u"a\tb"_s,
                           u"q\"uote"_s,
                           u"back\\slash"_s,
                           QString(QChar(0xFEFF)) + u"bom"_s,
                           u"x y"_s,
                           u"A"_s};
    std::mt19937 random(7);
    for (int round = 0; round < 2000; ++round) {
        const QString first = keys.at(qsizetype(random() % keys.size()));
        const QString second = keys.at(qsizetype(random() % keys.size()));
        const QByteArray json =
            "{" + spelled(first, random) + ": 1, " + spelled(second, random) + ": 2}";
        QJsonDocument document;
        QVERIFY2(qtAccepts(json, &document), json.constData());
        const bool sameForQt = document.object().size() == 1;
        const JsonOutline outline = outlineJson(json);
        QVERIFY2(outline.duplicate.has_value() == sameForQt, json.constData());
    }
}

QTEST_GUILESS_MAIN(TstJsonScan)
#include "tst_jsonscan.moc"
