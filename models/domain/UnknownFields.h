#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace litescope {

// The fields of a JSON object that litescope keeps without reading them (newer LiteLLM columns,
// other tools' notes), so that rewriting a workspace keeps them. A big proxy has hundreds of
// thousands of entities: a QJsonObject per entity costs more than the entity, so the fields are
// held as one piece of JSON text, read on demand.
//
// The text is the members of an object as a workspace file spells them ("a": 1, "b": [true]):
// keys in the order a QJsonObject keeps them, values as JsonStream writes them (compact, strings
// byte-for-byte, numbers in their shortest form). Writing copies the text as it is.
class UnknownFields {
public:
    UnknownFields() = default;
    static UnknownFields fromObject(const QJsonObject& object);
    // `members` must already be in the form above (the workspace reader writes it so).
    static UnknownFields fromMembersText(QByteArray members);

    bool isEmpty() const { return m_text.isEmpty(); }
    qsizetype size() const;
    bool contains(QStringView key) const;
    // Undefined when absent.
    QJsonValue value(QStringView key) const;
    QStringList keys() const;
    QJsonObject toObject() const;

    void insert(const QString& key, const QJsonValue& value);
    void remove(QStringView key);

    // The members' text, for the writer.
    const QByteArray& text() const { return m_text; }

    // Calls visit(QByteArrayView key, QByteArrayView value) for each member in order: the key as
    // written between its quotes (escaped), the value's text.
    template <typename Visit>
    void forEach(Visit visit) const {
        qsizetype at = 0;
        QByteArrayView key;
        QByteArrayView value;
        while (next(at, key, value))
            visit(key, value);
    }

    friend bool operator==(const UnknownFields& a, const UnknownFields& b) {
        return a.m_text == b.m_text;
    }
    friend bool operator!=(const UnknownFields& a, const UnknownFields& b) { return !(a == b); }

    // The text of a key written between quotes, unescaped.
    static QString keyText(QByteArrayView escapedKey);

private:
    bool next(qsizetype& at, QByteArrayView& key, QByteArrayView& value) const;

    QByteArray m_text;
};

} // namespace litescope
