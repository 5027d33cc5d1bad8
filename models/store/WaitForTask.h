#pragma once

#include <QEventLoop>
#include <QTimer>
#include <qcoro/qcorotask.h>

#include <exception>
#include <optional>
#include <stdexcept>

namespace litescope {

// Runs the event loop until `task` finishes and returns its result: for the command-line tool and
// tests, which have no window to stay responsive. (QCoro::waitFor hangs when a coroutine throws
// and needs default-constructible results.) A task still running after `timeoutMs` throws.
template <typename T>
T waitForTask(QCoro::Task<T> task, int timeoutMs) {
    std::optional<T> result;
    std::exception_ptr failure;
    bool done = false;
    QEventLoop loop;
    auto runner = [&]() -> QCoro::Task<> {
        try {
            result.emplace(co_await std::move(task));
        } catch (...) {
            failure = std::current_exception();
        }
        done = true;
        loop.quit();
    };
    QCoro::Task<> running = runner();
    if (!done) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (failure)
        std::rethrow_exception(failure);
    if (!done)
        throw std::runtime_error("the operation did not finish in time");
    return std::move(*result);
}

} // namespace litescope
