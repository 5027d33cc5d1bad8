#pragma once

// Shared by the FileStore suites (tst_filestore_members, _edits, _store): a private copy of a
// fixture workspace (tests/data/filestore/), the store assertions of support/StoreTestSupport.h
// (VERIFY_SUCCEEDS, VERIFY_FAILS_WITH), and readers that find rows in the file exactly as the store
// left them.
#include "store/FileStore.h"
#include "store/WorkspaceEdits.h"
#include "support/AwaitTask.h"
#include "support/StoreTestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QTest>

#include <functional>

namespace litescope::test {

using namespace Qt::StringLiterals;

// The token (SHA-256 hash) of the acme fixture's key search-prod, whose raw key is sk-search-raw.
inline const QString keyHash =
    u"c1eb1f6fef8fe67a22e54a7c04a7c235cab4099c7c9648b9998f617cdd43e337"_s;

inline QString fixture(const QString& name) {
    return QStringLiteral(LITESCOPE_TEST_DATA "/data/filestore/") + name;
}

// Copies the fixture `name` to `path`, writable by its owner. Asserts inside helpers only leave
// the helper; Qt Test skips a test function whose init() failed.
inline void copyFixture(const QString& name, const QString& path) {
    QVERIFY(QFile::copy(fixture(name), path));
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
}

inline QByteArray fileBytes(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline QJsonObject fileJson(const QString& path) {
    return QJsonDocument::fromJson(fileBytes(path)).object();
}

// The first object of the top-level list `list` for which `matches` holds; {} if none.
inline QJsonObject rowWhere(const QJsonObject& root, const QString& list,
                            const std::function<bool(const QJsonObject&)>& matches) {
    const QJsonArray rows = root.value(list).toArray();
    for (const QJsonValue& row : rows) {
        if (matches(row.toObject()))
            return row.toObject();
    }
    return {};
}

inline QJsonObject teamRow(const QJsonObject& root, const QString& id) {
    return rowWhere(root, u"teams"_s,
                    [&](const QJsonObject& o) { return o.value(u"team_id"_s) == id; });
}

inline QJsonObject membershipRow(const QJsonObject& root, const QString& team,
                                 const QString& user) {
    return rowWhere(root, u"team_memberships"_s, [&](const QJsonObject& o) {
        return o.value(u"team_id"_s) == team && o.value(u"user_id"_s) == user;
    });
}

inline int membershipCount(const QJsonObject& root, const QString& team, const QString& user) {
    int count = 0;
    const QJsonArray rows = root.value(u"team_memberships"_s).toArray();
    for (const QJsonValue& row : rows) {
        if (row[u"team_id"_s] == team && row[u"user_id"_s] == user)
            ++count;
    }
    return count;
}

inline QJsonObject userRow(const QJsonObject& root, const QString& id) {
    return rowWhere(root, u"users"_s,
                    [&](const QJsonObject& o) { return o.value(u"user_id"_s) == id; });
}

inline QJsonObject keyRow(const QJsonObject& root, const QString& token) {
    return rowWhere(root, u"keys"_s,
                    [&](const QJsonObject& o) { return o.value(u"token"_s) == token; });
}

// The roster entry of `team` whose user_id (or, without one, user_email) is `who`.
inline QJsonObject rosterEntry(const QJsonObject& root, const QString& team, const QString& who) {
    const QJsonArray roster = teamRow(root, team).value(u"members_with_roles"_s).toArray();
    for (const QJsonValue& entry : roster) {
        if (entry[u"user_id"_s] == who || entry[u"user_email"_s] == who)
            return entry.toObject();
    }
    return {};
}

inline QJsonArray strings(const QStringList& list) {
    return QJsonArray::fromStringList(list);
}

inline Result<EditOutcome> apply(Store& store, StoreEdit edit) {
    return awaitTask(store.apply(std::move(edit)));
}

} // namespace litescope::test
