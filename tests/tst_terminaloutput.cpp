// TerminalOutput, the last guard on stdout and stderr: text that needs no escaping passes as it
// is, byte for byte, and anything else comes out as escapeHiddenCharacters() makes it, however
// the bytes are split between writes (a character may straddle two).
#include "../app/cli/TerminalOutput.h"
#include "domain/DisplayText.h"

#include <QStringDecoder>
#include <QTest>

#include <cstdio>

using namespace Qt::StringLiterals;
using litescope::cli::TerminalOutput;

namespace {

// What the guard writes for `pieces`, written one after the other.
QByteArray through(const QList<QByteArray>& pieces) {
    std::FILE* file = std::tmpfile();
    {
        TerminalOutput device(file);
        for (const QByteArray& piece : pieces)
            if (device.write(piece) != piece.size())
                qFatal("write failed");
    }
    std::fflush(file);
    QByteArray written(std::ftell(file), '\0');
    std::rewind(file);
    if (std::fread(written.data(), 1, std::size_t(written.size()), file) !=
        std::size_t(written.size()))
        qFatal("read failed");
    std::fclose(file);
    return written;
}

// The bytes decoded whole (replacement characters for what is not UTF-8; a byte order mark is a
// character, even first) and their hidden characters escaped.
QByteArray expected(const QByteArray& bytes) {
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
    const QString text = decoder.decode(bytes);
    return litescope::escapeHiddenCharacters(text, /*keepNewlines=*/true).toUtf8();
}

} // namespace

class TstTerminalOutput : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void splitAnywhere_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("plain") << QByteArray("{\"allowed\":true}\n\tok\n");
        QTest::newRow("names of every script")
            << u"gpt-4o \u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627 \u00e9\u00df "
               u"\U0001F680\U0001F469\u200D\U0001F4BB \u2026\n"_s.toUtf8();
        QTest::newRow("C0, DEL, C1") << u"a\u001b[31mb\u007fc\u0085d\u0000e\r\n"_s.toUtf8();
        QTest::newRow("bidi, separators, format")
            << u"x\u202Ey\u2028z\u2029\u200B\uFEFF\u00AD\u0600\u070F\u180E\u2066w\n"_s.toUtf8();
        QTest::newRow("byte order mark first") << u"\uFEFFname\n"_s.toUtf8();
        QTest::newRow("tags and other planes")
            << u"\U000E0001\U000E0041\U0001D173\U000110BD\U00013430 ok\n"_s.toUtf8();
        QTest::newRow("not UTF-8") << QByteArray("a\xff"
                                                 "b\xc0\x80"
                                                 "c\xed\xa0\x80"
                                                 "d\xe2\x82"
                                                 "e\xf4\x90\x80\x80"
                                                 "f\n");
    }

    void splitAnywhere() {
        QFETCH(QByteArray, bytes);
        const QByteArray want = expected(bytes);
        QCOMPARE(through({bytes}), want);
        for (qsizetype cut = 1; cut < bytes.size(); ++cut)
            QCOMPARE(through({bytes.left(cut), bytes.mid(cut)}), want);
        QList<QByteArray> single;
        for (const char c : bytes)
            single.append(QByteArray(1, c));
        QCOMPARE(through(single), want);
    }

    // A long clean run, with the characters that need a look at every position of the 8- and
    // 16-byte blocks the fast path checks at once.
    void longText() {
        QByteArray clean;
        for (int i = 0; clean.size() < 1 << 20; ++i)
            clean +=
                "{\"key\":\"k-" + QByteArray::number(i) + "\",\"reason\":\"ok \xe2\x80\xa6\"}\n";
        QCOMPARE(through({clean}), clean);
        for (int at = 0; at < 40; ++at) {
            QByteArray dirty = clean.left(200);
            dirty.insert(at, "\x1b");
            dirty.insert(at + 70, "\xe2\x80\xae"); // U+202E
            QCOMPARE(through({dirty}), expected(dirty));
        }
    }
};

QTEST_GUILESS_MAIN(TstTerminalOutput)
#include "tst_terminaloutput.moc"
