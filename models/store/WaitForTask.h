#pragma once

#include <QEventLoop>
#include <QPointer>
#include <QTimer>
#include <qcoro/qcorotask.h>

#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

namespace litescope {

namespace detail {

// What waitForTask and its runner coroutine share. The runner holds a share, so after a timeout
// the abandoned task can still finish and write here; the event loop is the caller's and is only
// reached through a QPointer, which is null once the caller has returned.
template <typename T>
struct TaskWaitState {
    std::optional<T> result;
    std::exception_ptr failure;
    bool done = false;
    QPointer<QEventLoop> loop;
};

// Awaits `task` and records how it ended. A free function with every argument by value: the
// coroutine frame owns the task and its share of the state, and nothing refers to the frame of
// waitForTask. (QCoro 0.8 destroys an abandoned task's frame only when it finishes.)
template <typename T>
QCoro::Task<> runTaskInto(QCoro::Task<T> task, std::shared_ptr<TaskWaitState<T>> state) {
    try {
        state->result.emplace(co_await std::move(task));
    } catch (...) {
        state->failure = std::current_exception();
    }
    state->done = true;
    if (state->loop)
        state->loop->quit();
}

} // namespace detail

// Runs the event loop until `task` finishes and returns its result: for the command-line tool and
// tests, which have no window to stay responsive. (QCoro::waitFor hangs when a coroutine throws
// and needs default-constructible results.) A task still running after `timeoutMs` throws
// std::runtime_error; the task is abandoned, not cancelled: it keeps running whenever the event
// loop runs and may finish later, safely, since it owns everything waitForTask gave it. Whatever
// the task itself refers to (a store, say) must outlive it.
template <typename T>
T waitForTask(QCoro::Task<T> task, int timeoutMs) {
    auto state = std::make_shared<detail::TaskWaitState<T>>();
    QEventLoop loop;
    state->loop = &loop;
    // The runner starts at once and runs until the task first suspends (or finishes).
    QCoro::Task<> running = detail::runTaskInto(std::move(task), state);
    if (!state->done) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (state->failure)
        std::rethrow_exception(state->failure);
    if (!state->done)
        throw std::runtime_error("the operation did not finish in time");
    return std::move(*state->result);
}

} // namespace litescope
