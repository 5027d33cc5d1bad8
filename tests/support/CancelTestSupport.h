#pragma once

// Shared by the cancel and progress suites (tst_store_cancel_file, tst_pgstore_cancel,
// tst_apistore_cancel): a progress log that worker threads may fill, the checks every store's
// progress must pass, and call options that cancel themselves at a chosen report.
#include "store/Operation.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <mutex>

namespace litescope::test {

using namespace Qt::StringLiterals;

// Every progress report of one call, in order. Reports may come from worker threads.
class ProgressLog {
public:
    // `onReport` runs after the report is recorded, on the reporting thread.
    std::function<void(const Progress&)>
    callback(std::function<void(const Progress&)> onReport = {}) {
        return [state = m_state, onReport](const Progress& progress) {
            {
                std::lock_guard lock(state->mutex);
                state->reports.append(progress);
            }
            if (onReport)
                onReport(progress);
        };
    }

    QList<Progress> reports() const {
        std::lock_guard lock(m_state->mutex);
        return m_state->reports;
    }

    // The phases in the order they first appeared.
    QStringList phases() const {
        QStringList phases;
        for (const Progress& report : reports()) {
            if (!phases.contains(report.phase))
                phases.append(report.phase);
        }
        return phases;
    }

    // The last report of `phase`; done -1 when there was none.
    Progress last(const QString& phase) const {
        Progress found{phase, -1, -1};
        for (const Progress& report : reports()) {
            if (report.phase == phase)
                found = report;
        }
        return found;
    }

    // What is wrong with the reports: within a phase `done` must increase with every report and
    // never pass a known total. Empty when nothing is.
    QString problems() const {
        QHash<QString, qint64> lastDone;
        QStringList found;
        for (const Progress& report : reports()) {
            const auto previous = lastDone.constFind(report.phase);
            if (previous != lastDone.constEnd() && report.done <= *previous)
                found.append(
                    u"%1: %2 after %3"_s.arg(report.phase).arg(report.done).arg(*previous));
            if (report.total >= 0 && report.done > report.total)
                found.append(
                    u"%1: %2 of %3"_s.arg(report.phase).arg(report.done).arg(report.total));
            lastDone.insert(report.phase, report.done);
        }
        return found.join(u"; "_s);
    }

private:
    struct State {
        mutable std::mutex mutex;
        QList<Progress> reports;
    };
    std::shared_ptr<State> m_state = std::make_shared<State>();
};

// Options whose cancellation fires at the first report for which `when` holds (on the reporting
// thread, as a user's click would race with the work).
inline CallOptions cancelWhen(ProgressLog& log, std::function<bool(const Progress&)> when) {
    CallOptions options;
    options.cancellation = std::make_shared<Cancellation>();
    options.progress = log.callback(
        [cancellation = options.cancellation, when = std::move(when)](const Progress& progress) {
            if (when(progress))
                cancellation->cancel();
        });
    return options;
}

inline CallOptions alreadyCancelled() {
    CallOptions options;
    options.cancellation = std::make_shared<Cancellation>();
    options.cancellation->cancel();
    return options;
}

} // namespace litescope::test
