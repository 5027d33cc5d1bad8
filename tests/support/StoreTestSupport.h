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

// What a result holds, for failure messages: "ok", or the error's kind and message.
template <typename T>
QByteArray failureText(const Result<T>& result) {
    return result.ok()
               ? QByteArray("ok")
               : (kindName(result.error().kind) + u": "_s + result.error().message).toUtf8();
}

// Empty if `result` failed with `kind` and a message containing `fragment`; otherwise what was
// expected and what happened instead.
template <typename T>
QByteArray unexpectedOutcome(const Result<T>& result, ErrorKind kind, const QString& fragment) {
    const QByteArray expected =
        "expected " + kindName(kind).toUtf8() + " containing \"" + fragment.toUtf8() + "\", got ";
    if (result.ok())
        return expected + "success";
    if (result.error().kind != kind || !result.error().message.contains(fragment))
        return expected + failureText(result);
    return {};
}

// Assertions on a Result from any store. Each evaluates every argument exactly once, so `result`
// may be the edit itself (VERIFY_SUCCEEDS(apply(store, edit)) applies it once): QVERIFY2
// evaluates its message even when the check passes, so an argument must never appear in it.
// The result is held by reference: a temporary lives long enough, a member of one does not
// (name `previewEdits(...)` before passing `.results.front()`).

// Asserts that `result` succeeded; prints the error's kind and message if not.
#define VERIFY_SUCCEEDS(result)                                                                    \
    do {                                                                                           \
        const auto& verifiedResult_ = (result);                                                    \
        QVERIFY2(verifiedResult_.ok(),                                                             \
                 ::litescope::test::failureText(verifiedResult_).constData());                     \
    } while (false)

// Asserts that `result` failed with `errorKind` and a message containing `fragment`.
#define VERIFY_FAILS_WITH(result, errorKind, fragment)                                             \
    do {                                                                                           \
        const auto& verifiedResult_ = (result);                                                    \
        const QByteArray unexpected_ =                                                             \
            ::litescope::test::unexpectedOutcome(verifiedResult_, (errorKind), (fragment));        \
        QVERIFY2(unexpected_.isEmpty(), unexpected_.constData());                                  \
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
