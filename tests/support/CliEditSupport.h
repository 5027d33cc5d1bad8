#pragma once

// Shared by the litescope-cli edit suites (tst_cli_edit_workspace, tst_cli_edit_refusals,
// tst_cli_db): model names that need escaping, fresh copies of the workspace fixtures, and lookups
// in a rewritten workspace file. The acme copy (data/filestore/acme.json) gets one more key whose
// token is the sha256 of acmeRawKey, so keys can be named by raw key.
#include "support/CliRunner.h"
#include "support/CliTestSupport.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <algorithm>

namespace litescope::test {

using namespace Qt::StringLiterals;

// Model names that break naive list handling: separators, quotes, braces, backslashes, a
// semicolon (libpqxx 6's array parser splits on it) and non-ASCII text. Each is passed as one
// --model and must arrive byte for byte.
inline const QStringList trickyModels{u"a,b"_s,         u"say \"hi\""_s,    u"{braces}"_s,
                                      u"[brackets]"_s,  u"back\\slash"_s,   u"semi;colon"_s,
                                      u"it's spaced"_s, u"ünïcødé 模型 😀"_s};

inline QStringList modelArgs(const QStringList& models) {
    QStringList args;
    for (const QString& model : models)
        args << u"--model"_s << model;
    return args;
}

inline const QString acmeRawKey = u"sk-acme-raw-key-0001"_s;

inline QString acmeRawKeyToken() {
    return QString::fromLatin1(
        QCryptographicHash::hash(acmeRawKey.toUtf8(), QCryptographicHash::Sha256).toHex());
}

// data/filestore/acme.json plus a key of team-plain (no alias, models [gpt-4o]) whose token is the
// sha256 of acmeRawKey.
inline QByteArray acmeWithRawKey() {
    QJsonObject ws =
        readJsonObject(QStringLiteral(LITESCOPE_TEST_DATA "/data/filestore/acme.json"));
    QJsonArray keys = ws[u"keys"_s].toArray();
    keys.append(QJsonObject{{u"token"_s, acmeRawKeyToken()},
                            {u"team_id"_s, u"team-plain"_s},
                            {u"models"_s, QJsonArray{u"gpt-4o"_s}}});
    ws[u"keys"_s] = keys;
    return QJsonDocument(ws).toJson();
}

// Writes `bytes` to `path` (a test fixture copy); aborts the test program when it cannot.
inline QString writeFixture(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// The first element of ws[section] whose fields have the given values (empty: none).
inline QJsonObject findIn(const QJsonObject& ws, const QString& section,
                          const QList<QPair<QString, QString>>& match) {
    const QJsonArray entries = ws[section].toArray();
    for (const QJsonValue& value : entries) {
        const QJsonObject object = value.toObject();
        if (std::all_of(match.cbegin(), match.cend(),
                        [&](const auto& field) { return object[field.first] == field.second; }))
            return object;
    }
    return {};
}

inline QJsonObject membershipIn(const QJsonObject& ws, const QString& team, const QString& user) {
    return findIn(ws, u"team_memberships"_s, {{u"team_id"_s, team}, {u"user_id"_s, user}});
}

inline QJsonArray jsonStrings(const QStringList& list) {
    return QJsonArray::fromStringList(list);
}

// How a workspace file spells a list of names: `["a", "b"]`, each JSON-escaped, UTF-8 as is.
inline QByteArray fileList(const QStringList& names) {
    QByteArrayList parts;
    for (const QString& name : names) {
        const QByteArray json = QJsonDocument(QJsonArray{name}).toJson(QJsonDocument::Compact);
        parts.append(json.mid(1, json.size() - 2));
    }
    return '[' + parts.join(", ") + ']';
}

} // namespace litescope::test
