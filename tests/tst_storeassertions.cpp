// The store suites' assertions on Result (support/StoreTestSupport.h): each evaluates its
// arguments exactly once, since the argument is often the edit itself (VERIFY_SUCCEEDS(apply(store,
// edit))) and QVERIFY2 evaluates its message even when the check passes; each fails when it should
// and says what it got.
#include "support/StoreTestSupport.h"

#include <QTest>

using namespace litescope;
using namespace litescope::test;
using namespace Qt::StringLiterals;

class TestStoreAssertions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void succeedsEvaluatesItsArgumentOnce();
    void failsWithEvaluatesEachArgumentOnce();
    void succeedsFailsOnAnError();
    void failsWithFailsOnSuccessOrAnotherError();
    void failureMessagesNameKindAndMessage();
};

void TestStoreAssertions::succeedsEvaluatesItsArgumentOnce() {
    int calls = 0;
    auto operation = [&calls]() -> Result<int> {
        ++calls;
        return 1;
    };
    VERIFY_SUCCEEDS(operation());
    QCOMPARE(calls, 1);
}

void TestStoreAssertions::failsWithEvaluatesEachArgumentOnce() {
    int calls = 0;
    int kindCalls = 0;
    int fragmentCalls = 0;
    auto operation = [&calls]() -> Result<int> {
        ++calls;
        return Error{ErrorKind::Conflict, u"team Ops: blocked is now true"_s};
    };
    auto kind = [&kindCalls] {
        ++kindCalls;
        return ErrorKind::Conflict;
    };
    auto fragment = [&fragmentCalls] {
        ++fragmentCalls;
        return u"blocked"_s;
    };
    VERIFY_FAILS_WITH(operation(), kind(), fragment());
    QCOMPARE(calls, 1);
    QCOMPARE(kindCalls, 1);
    QCOMPARE(fragmentCalls, 1);
}

void TestStoreAssertions::succeedsFailsOnAnError() {
    const Result<int> failed = Error::notFound(u"no team Nope"_s);
    QEXPECT_FAIL("", "an error is not a success", Continue);
    VERIFY_SUCCEEDS(failed);
}

void TestStoreAssertions::failsWithFailsOnSuccessOrAnotherError() {
    const Result<int> succeeded = 1;
    QEXPECT_FAIL("", "a success is not an error", Continue);
    VERIFY_FAILS_WITH(succeeded, ErrorKind::NotFound, u"Nope"_s);

    const Result<int> notFound = Error::notFound(u"no team Nope"_s);
    QEXPECT_FAIL("", "another kind", Continue);
    VERIFY_FAILS_WITH(notFound, ErrorKind::Conflict, u"Nope"_s);
    QEXPECT_FAIL("", "another message", Continue);
    VERIFY_FAILS_WITH(notFound, ErrorKind::NotFound, u"no user"_s);
    VERIFY_FAILS_WITH(notFound, ErrorKind::NotFound, u"Nope"_s);
}

void TestStoreAssertions::failureMessagesNameKindAndMessage() {
    const Result<int> notFound = Error::notFound(u"no team Nope"_s);
    QCOMPARE(failureText(notFound), QByteArray("NotFound: no team Nope"));
    QCOMPARE(failureText(Result<int>(1)), QByteArray("ok"));
    QCOMPARE(unexpectedOutcome(notFound, ErrorKind::Conflict, u"Nope"_s),
             QByteArray("expected Conflict containing \"Nope\", got NotFound: no team Nope"));
    QCOMPARE(unexpectedOutcome(Result<int>(1), ErrorKind::Conflict, u"Nope"_s),
             QByteArray("expected Conflict containing \"Nope\", got success"));
    QCOMPARE(unexpectedOutcome(notFound, ErrorKind::NotFound, u"Nope"_s), QByteArray());
}

QTEST_GUILESS_MAIN(TestStoreAssertions)
#include "tst_storeassertions.moc"
