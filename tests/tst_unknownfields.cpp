// UnknownFields: the fields of an entity that litescope keeps without reading, held as text.
#include "domain/UnknownFields.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using litescope::UnknownFields;

class TestUnknownFields : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyHoldsNothing() {
        const UnknownFields none;
        QVERIFY(none.isEmpty());
        QCOMPARE(none.size(), 0);
        QVERIFY(!none.contains(u"a"));
        QVERIFY(none.value(u"a").isUndefined());
        QVERIFY(none.toObject().isEmpty());
        QVERIFY(UnknownFields::fromObject(QJsonObject()).isEmpty());
    }

    // The text is what the workspace writer writes for these fields: sorted keys, ", " and
    // ": ", numbers in their shortest form, U+FEFF and lone surrogates escaped.
    void textIsTheWritersForm() {
        QJsonArray numbers;
        for (const QJsonValue& v :
             {QJsonValue(1), QJsonValue(200.0), QJsonValue(true), QJsonValue()})
            numbers.append(v);
        QJsonObject inner;
        inner.insert(u"y"_s, numbers);
        inner.insert(u"b"_s, u"\u00e9\"\\\n"_s);
        QJsonObject object;
        object.insert(u"z"_s, 1.50);
        object.insert(u"a"_s, inner);
        object.insert(u"bom"_s, QString(QString(QChar(0xFEFF)) + u"x"_s));
        object.insert(u"lone"_s, QString(QChar(0xD800)));
        const UnknownFields fields = UnknownFields::fromObject(object);
        QCOMPARE(fields.text(),
                 QByteArray("\"a\": {\"b\": \"\xC3\xA9\\\"\\\\\\n\", \"y\": [1, 200, true, null]}, "
                            "\"bom\": \"\\ufeffx\", \"lone\": \"\\ud800\", \"z\": 1.5"));
        QCOMPARE(fields.size(), 4);
        QCOMPARE(fields.keys(), (QStringList{u"a"_s, u"bom"_s, u"lone"_s, u"z"_s}));
        QCOMPARE(fields.toObject(), object);
    }

    void valuesAreReadOnDemand() {
        const UnknownFields fields = UnknownFields::fromObject(
            QJsonObject{{u"metadata"_s, QJsonObject{{u"team_member_budget_id"_s, u"b1"_s}}},
                        {u"spend"_s, 2.5},
                        {u"note, with \"quotes\""_s, u"x, y"_s},
                        {u"nothing"_s, QJsonValue()}});
        QCOMPARE(fields.value(u"metadata").toObject().value(u"team_member_budget_id"_s),
                 QJsonValue(u"b1"_s));
        QCOMPARE(fields.value(u"spend").toDouble(), 2.5);
        QCOMPARE(fields.value(u"note, with \"quotes\""), QJsonValue(u"x, y"_s));
        QVERIFY(fields.value(u"nothing").isNull());
        QVERIFY(fields.contains(u"nothing"));
        QVERIFY(!fields.contains(u"note"));
        QVERIFY(fields.value(u"absent").isUndefined());
    }

    void insertAndRemoveKeepTheForm() {
        UnknownFields fields = UnknownFields::fromObject(QJsonObject{{u"b"_s, 1}});
        fields.insert(u"a"_s, u"x"_s);
        fields.insert(u"c"_s, QJsonArray{1, 2});
        QCOMPARE(fields.text(), QByteArray(R"("a": "x", "b": 1, "c": [1, 2])"));
        fields.insert(u"b"_s, false);
        QCOMPARE(fields.value(u"b"), QJsonValue(false));
        fields.remove(u"a");
        fields.remove(u"absent");
        QCOMPARE(fields.text(), QByteArray(R"("b": false, "c": [1, 2])"));
        fields.remove(u"b");
        fields.remove(u"c");
        QVERIFY(fields.isEmpty());
    }

    void forEachGivesKeysAndValueTexts() {
        const UnknownFields fields = UnknownFields::fromObject(QJsonObject{
            {u"k\"1"_s, QJsonObject{{u"x"_s, u"a,b"_s}}}, {u"k2"_s, QJsonArray{u"]"_s, u"}"_s}}});
        QList<QByteArray> seen;
        fields.forEach([&seen](QByteArrayView key, QByteArrayView value) {
            seen.append(key.toByteArray() + " = " + value.toByteArray());
        });
        QCOMPARE(seen, (QList<QByteArray>{"k\\\"1 = {\"x\": \"a,b\"}", "k2 = [\"]\", \"}\"]"}));
        QCOMPARE(UnknownFields::keyText("k\\\"1"), u"k\"1"_s);
    }

    void equalityIsByContent() {
        const QJsonObject object{{u"a"_s, 1}, {u"b"_s, u"c"_s}};
        QVERIFY(UnknownFields::fromObject(object) == UnknownFields::fromObject(object));
        QVERIFY(UnknownFields::fromObject(object) != UnknownFields());
    }
};

QTEST_GUILESS_MAIN(TestUnknownFields)
#include "tst_unknownfields.moc"
