// waitForTask (models/store/WaitForTask.h), which the command-line tool and every store suite use
// to wait for a coroutine: it returns the result, rethrows the task's exception, and on a timeout
// throws while the task keeps running; the abandoned task must then be able to finish later
// without touching anything that died with waitForTask's frame (when it did, this suite crashed
// with SIGSEGV, and the sanitizer build reported the dangling access).
#include "store/WaitForTask.h"

#include <QElapsedTimer>
#include <QTest>
#include <qcoro/qcorotimer.h>

#include <chrono>
#include <memory>
#include <stdexcept>

using namespace litescope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// Every argument by value: the coroutine frame owns them.
QCoro::Task<QString> finishLater(std::chrono::milliseconds delay, QString value,
                                 std::shared_ptr<int> resumed) {
    // Named first: GCC 12 mishandles a temporary task inside co_await (toolchain notes).
    QCoro::Task<> sleep = QCoro::sleepFor(delay);
    co_await std::move(sleep);
    ++*resumed;
    co_return value;
}

QCoro::Task<int> failLater(std::chrono::milliseconds delay) {
    QCoro::Task<> sleep = QCoro::sleepFor(delay);
    co_await std::move(sleep);
    throw std::logic_error("the task failed");
    co_return 0;
}

QCoro::Task<int> finishAtOnce() {
    co_return 7;
}

} // namespace

class TestWaitForTask : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void returnsTheResult();
    void returnsTheResultOfATaskThatNeverSuspends();
    void rethrowsTheTasksException();
    void timeoutLeavesTheTaskSafeToFinish();
};

void TestWaitForTask::returnsTheResult() {
    auto resumed = std::make_shared<int>(0);
    const QString value = waitForTask(finishLater(20ms, u"done"_s, resumed), 5000);
    QCOMPARE(value, u"done"_s);
    QCOMPARE(*resumed, 1);
}

void TestWaitForTask::returnsTheResultOfATaskThatNeverSuspends() {
    QCOMPARE(waitForTask(finishAtOnce(), 5000), 7);
}

void TestWaitForTask::rethrowsTheTasksException() {
    QString message;
    try {
        waitForTask(failLater(20ms), 5000);
    } catch (const std::logic_error& error) {
        message = QString::fromUtf8(error.what());
    }
    QCOMPARE(message, u"the task failed"_s);
}

void TestWaitForTask::timeoutLeavesTheTaskSafeToFinish() {
    auto resumed = std::make_shared<int>(0);
    QString message;
    QElapsedTimer clock;
    clock.start();
    try {
        // A heap-allocated result: writing it into a dead frame is likely to crash even unchecked.
        waitForTask(finishLater(200ms, u"late result, long enough to need the heap"_s, resumed),
                    50);
    } catch (const std::runtime_error& error) {
        message = QString::fromUtf8(error.what());
    }
    QCOMPARE(message, u"the operation did not finish in time"_s);
    QVERIFY2(clock.elapsed() < 200, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(*resumed, 0);

    // Keep the event loop running past the task's 200 ms: it resumes, finishes and must touch
    // nothing that died with waitForTask's frame.
    QTest::qWait(300);
    QCOMPARE(*resumed, 1);

    // The event loop and waitForTask still work afterwards.
    QCOMPARE(waitForTask(finishLater(10ms, u"again"_s, resumed), 5000), u"again"_s);
    QCOMPARE(*resumed, 2);
}

QTEST_GUILESS_MAIN(TestWaitForTask)
#include "tst_waitfortask.moc"
