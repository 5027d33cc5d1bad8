#include "BatchCheck.h"

#include "CliSupport.h"
#include "CliText.h"
#include "DecisionPrinter.h"
#include "RequestLines.h"

#include <QThread>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace litescope::cli {

namespace {

constexpr qsizetype readSize = 64 * 1024;

// The lines of one read(), decided by one decider, written in turn by the writer.
struct Batch {
    int firstLine = 1; // the number of the first line in `lines`
    QByteArray lines;  // whole lines, each ended by '\n' but the last at the end of input
    bool last = false; // the end of the input follows
    // The reader stopped after `lines`: at this line, too long (0) or a failed read (errno). The
    // writer words it: the reader may outlive the application object that translates.
    struct Stop {
        int line = 0;
        int error = 0;
    };
    std::optional<Stop> stop;
    // The decider's part.
    bool decided = false;
    std::string out;
    std::vector<std::int32_t> keys; // of the decided requests, in order
    std::optional<Error> error;     // the first bad line; `out` holds the lines before it
};

// What the reader, the deciders and the writer share. The reader may outlive the others (it can
// be waiting on a terminal when a bad line stops the batch), so it holds its own reference.
struct Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::shared_ptr<Batch>> window; // read and not yet written, in input order
    qsizetype handedOut = 0;                   // of the window, taken by deciders
    std::vector<std::string> spareOutput;      // written blocks' buffers, for the next ones
    bool readerDone = false;
    bool stop = false;
    qsizetype maxInFlight = 4;
};

void push(Shared& shared, std::shared_ptr<Batch> batch, bool done) {
    const std::lock_guard lock(shared.mutex);
    shared.window.push_back(std::move(batch));
    shared.readerDone = done;
    shared.changed.notify_all();
}

// Splits the input into whole lines, counts them and refuses one longer than maxLineBytes before
// it is read whole (/dev/zero has no newline at all).
void readInput(const std::shared_ptr<Shared>& shared, int fd) {
    std::vector<char> buffer(static_cast<std::size_t>(readSize));
    QByteArray pending; // the start of a line whose end has not been read yet
    int lineNumber = 0; // lines handed on so far
    for (;;) {
        {
            std::unique_lock lock(shared->mutex);
            shared->changed.wait(lock, [&] {
                return shared->stop || qsizetype(shared->window.size()) < shared->maxInFlight;
            });
            if (shared->stop)
                break;
        }
        const ssize_t size = ::read(fd, buffer.data(), buffer.size());
        const int readError = errno;
        if (size < 0 && readError == EINTR)
            continue;
        {
            // The batch may have stopped while this thread waited for input.
            const std::lock_guard lock(shared->mutex);
            if (shared->stop)
                break;
        }
        auto batch = std::make_shared<Batch>();
        batch->firstLine = lineNumber + 1;
        if (size < 0) {
            batch->stop = Batch::Stop{lineNumber + 1, readError};
            push(*shared, std::move(batch), true);
            break;
        }
        if (size == 0) {
            batch->lines = std::move(pending); // the last line ends with the input
            batch->last = true;
            push(*shared, std::move(batch), true);
            break;
        }
        const char* data = buffer.data();
        const void* newline = std::memchr(data, '\n', std::size_t(size));
        if (newline == nullptr) {
            pending.append(data, size);
        } else {
            const char* lastNewline = static_cast<const char*>(
                ::memrchr(data, '\n', std::size_t(size))); // a glibc function, as is our target
            batch->lines = std::move(pending);
            batch->lines.append(data, lastNewline + 1 - data);
            pending = QByteArray(lastNewline + 1, data + size - lastNewline - 1);
            qsizetype from = 0;
            for (qsizetype end = batch->lines.indexOf('\n'); end >= 0;
                 end = batch->lines.indexOf('\n', from)) {
                ++lineNumber;
                if (end - from > maxLineBytes) {
                    batch->lines.truncate(from);
                    batch->stop = Batch::Stop{lineNumber, 0};
                    break;
                }
                from = end + 1;
            }
        }
        if (!batch->stop && pending.size() > maxLineBytes)
            batch->stop = Batch::Stop{lineNumber + 1, 0};
        const bool stopped = batch->stop.has_value();
        if (!batch->lines.isEmpty() || stopped)
            push(*shared, std::move(batch), stopped);
        if (stopped)
            break;
    }
    ::close(fd);
}

class Decider {
public:
    Decider(const AccessEngine& engine, const BatchOptions& options,
            std::shared_ptr<DecisionWords> words)
        : m_engine(engine)
        , m_json(options.json)
        , m_writer(engine, options.fields, std::move(words)) {}

    void decide(Batch& batch) {
        const QByteArrayView all(batch.lines);
        qsizetype from = 0;
        int number = batch.firstLine;
        while (from < all.size()) {
            qsizetype end = all.indexOf('\n', from);
            if (end < 0)
                end = all.size();
            const QByteArrayView line = all.sliced(from, end - from).trimmed();
            from = end + 1;
            const int lineNumber = number++;
            if (line.isEmpty())
                continue;
            Result<Request> request = parseRequestLine(line, lineNumber);
            if (!request) {
                batch.error = request.error();
                return;
            }
            const std::int32_t key = m_engine.findKey(request->key);
            if (key < 0) {
                batch.error = Error::invalid(CliText::tr("requests line %1: ").arg(lineNumber) +
                                             noSuchKeyMessage(request->key));
                return;
            }
            batch.keys.push_back(key);
            const Decision decision = m_engine.decide(Subject::forKey(key), request->models);
            if (m_json)
                m_writer.append(batch.out, request->key, request->models, decision);
            else
                batch.out +=
                    decisionText(m_engine, request->key, request->models, decision).toStdString();
        }
    }

private:
    const AccessEngine& m_engine;
    const bool m_json;
    DecisionLineWriter m_writer; // its cache is this decider's own
};

void decideAll(const std::shared_ptr<Shared>& shared, const AccessEngine& engine,
               const BatchOptions& options, const std::shared_ptr<DecisionWords>& words) {
    Decider decider(engine, options, words);
    for (;;) {
        std::shared_ptr<Batch> batch;
        {
            std::unique_lock lock(shared->mutex);
            shared->changed.wait(lock, [&] {
                return shared->stop || shared->handedOut < qsizetype(shared->window.size()) ||
                       shared->readerDone;
            });
            if (shared->stop || shared->handedOut == qsizetype(shared->window.size()))
                return;
            batch = shared->window[std::size_t(shared->handedOut++)];
            // A buffer that has held a block's lines before: no fresh pages, no regrowing.
            if (!shared->spareOutput.empty()) {
                batch->out = std::move(shared->spareOutput.back());
                shared->spareOutput.pop_back();
            }
        }
        decider.decide(*batch);
        const std::lock_guard lock(shared->mutex);
        batch->decided = true;
        shared->changed.notify_all();
    }
}

} // namespace

int runBatch(const AccessEngine& engine, int fd, const BatchOptions& options) {
    const int threads = std::max(1, QThread::idealThreadCount()); // the deciders
    auto shared = std::make_shared<Shared>();
    shared->maxInFlight = 2 * threads + 2;
    std::thread reader(readInput, shared, fd);
    // The deciders put each distinct line and trail step into words once, whichever meets it.
    const auto words = std::make_shared<DecisionWords>();
    std::vector<std::thread> deciders;
    for (int i = 0; i < threads; ++i)
        deciders.emplace_back(decideAll, shared, std::cref(engine), std::cref(options), words);

    DanglingReferenceWarnings warnings(engine);
    std::optional<Error> failure;
    for (;;) {
        std::shared_ptr<Batch> batch;
        {
            std::unique_lock lock(shared->mutex);
            shared->changed.wait(
                lock, [&] { return !shared->window.empty() && shared->window.front()->decided; });

            batch = std::move(shared->window.front());
            shared->window.pop_front();
            --shared->handedOut;
            shared->changed.notify_all(); // room for the reader
        }
        for (const std::int32_t key : batch->keys)
            warnings.warnFor(key);
        writeOut(batch->out);
        {
            const std::lock_guard lock(shared->mutex);
            batch->out.clear();
            shared->spareOutput.push_back(std::move(batch->out));
        }
        if (batch->error) {
            failure = batch->error;
            break;
        }
        if (const std::optional<Batch::Stop> stop = batch->stop) {
            failure = stop->error == 0 ? lineTooLong(stop->line)
                                       : Error::io(CliText::tr("cannot read requests line %1: %2")
                                                       .arg(stop->line)
                                                       .arg(qt_error_string(stop->error)));
            break;
        }
        if (batch->last)
            break;
    }
    {
        const std::lock_guard lock(shared->mutex);
        shared->stop = true;
        shared->changed.notify_all();
    }
    for (std::thread& decider : deciders)
        decider.join();
    // After a bad line the reader may be waiting for input that never comes (a terminal, a
    // pipe): it is left to end with the process, and touches nothing but `shared` and its
    // descriptor when it wakes.
    if (failure)
        reader.detach();
    else
        reader.join();
    out().flush();
    return failure ? badInput(failure->message) : ExitOk;
}

} // namespace litescope::cli
