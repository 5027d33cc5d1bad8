#pragma once

// Assertions on store results, shared by every store suite (PostgreSQL, admin API, file).
#include "domain/Result.h"
#include "store/Store.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTest>

#include <type_traits>

namespace litescope::test {

using namespace Qt::StringLiterals;

inline QString kindName(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::InvalidInput:
        return u"InvalidInput"_s;
    case ErrorKind::NotFound:
        return u"NotFound"_s;
    case ErrorKind::Conflict:
        return u"Conflict"_s;
    case ErrorKind::PermissionDenied:
        return u"PermissionDenied"_s;
    case ErrorKind::ConnectionLost:
        return u"ConnectionLost"_s;
    case ErrorKind::Unsupported:
        return u"Unsupported"_s;
    case ErrorKind::Io:
        return u"Io"_s;
    case ErrorKind::ServerError:
        return u"ServerError"_s;
    case ErrorKind::Cancelled:
        return u"Cancelled"_s;
    }
    return u"?"_s;
}

// The message of a failed result, for QVERIFY2.
template <typename T>
QByteArray failureText(const Result<T>& result) {
    return result.ok()
               ? QByteArray("ok")
               : (kindName(result.error().kind) + u": "_s + result.error().message).toUtf8();
}

// Asserts that `result` succeeded. `result` is evaluated once (it may be an awaitTask(...)).
#define PGS_VERIFY_OK(result)                                                                      \
    do {                                                                                           \
        const auto& pgsResult_ = (result);                                                         \
        QVERIFY2(pgsResult_.ok(), failureText(pgsResult_).constData());                            \
    } while (false)

// Asserts that `result` failed with `errorKind` and a message containing `text`.
#define PGS_VERIFY_ERROR(result, errorKind, text)                                                  \
    do {                                                                                           \
        const auto& pgsResult_ = (result);                                                         \
        QVERIFY2(!pgsResult_.ok(), "expected an error, the operation succeeded");                  \
        QCOMPARE(kindName(pgsResult_.error().kind), kindName(errorKind));                          \
        QVERIFY2(pgsResult_.error().message.contains(text), failureText(pgsResult_).constData());  \
    } while (false)

// A member as one line, for readable comparisons:
// "user|email|role|row|budget|models+…|max_budget|tpm|rpm|spend" ("-" = none).
inline QString memberLine(const TeamMember& member) {
    auto text = [](const auto& value) -> QString {
        if (!value)
            return u"-"_s;
        if constexpr (std::is_same_v<std::decay_t<decltype(*value)>, QString>)
            return *value;
        else
            return QString::number(*value);
    };
    return QStringList{member.userId,
                       text(member.email),
                       member.role,
                       member.hasMembershipRow ? u"row"_s : u"no row"_s,
                       text(member.budgetId),
                       member.allowedModels.join(u'+'),
                       text(member.maxBudget),
                       text(member.tpmLimit),
                       text(member.rpmLimit),
                       QString::number(member.spend)}
        .join(u'|');
}

inline QStringList memberLines(const QList<TeamMember>& members) {
    QStringList lines;
    for (const TeamMember& member : members)
        lines.append(memberLine(member));
    return lines;
}

} // namespace litescope::test
