#pragma once

#include "store/WaitForTask.h"

namespace litescope::test {

// Tests wait for a coroutine with this and assert afterwards: Qt Test's macros cannot be used
// inside coroutines, and a test slot returning a task is silently never run.
template <typename T>
T awaitTask(QCoro::Task<T> task, int timeoutMs = 60000) {
    return waitForTask(std::move(task), timeoutMs);
}

} // namespace litescope::test
