#include "workspace/JsonPipeline.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace litescope::workspace::detail {

namespace {

// Small enough that what the reading thread wrote is still in a cache when the other reads it
// (with batches of 1,024 keys, a few MB, most of it had gone to memory: the second thread then
// waited for the trees more than it worked on them); big enough that the threads meet rarely.
constexpr std::size_t BatchEvents = 256;
constexpr std::size_t BatchBytes = std::size_t(1) << 18;
// One being filled, one being read, two waiting: the reading thread rarely waits for a batch.
constexpr std::size_t Batches = 4;

// A few MB of JSON read in a few tens of milliseconds: below that, starting a thread and handing
// trees over costs more than it saves. The suite's files are all far smaller.
std::atomic<qsizetype> threshold{qsizetype(8) << 20};

// Two cache lines each.
struct alignas(64) Event {
    enum class Kind { Element, ListEnd, Member };
    Kind kind = Kind::Element;
    std::string key;
    qsizetype index = 0; // an element's index, a list's count
    JsonTree tree;
};

// Events are reused with their capacity (keys, trees): after the first few batches, queueing
// allocates nothing. A line each: the reading thread fills one batch while the other reads
// another.
struct alignas(64) Batch {
    std::vector<Event> events;
    std::size_t size = 0;
    std::size_t bytes = 0;
};

class Pipeline {
public:
    explicit Pipeline(const JsonSink& target)
        : m_target(target)
        , m_batches(Batches) {
        for (Batch& batch : m_batches)
            m_empty.push_back(&batch);
        m_sink.streamed = target.streamed;
        m_sink.hashStrings = bool(target.upcoming);
        m_sink.element = [this](std::string_view key, qsizetype index, JsonTree& tree) {
            Event& event = next(Event::Kind::Element, key, index);
            std::swap(event.tree, tree);
            added(event.tree.bytes());
        };
        m_sink.listEnd = [this](std::string_view key, qsizetype count) {
            next(Event::Kind::ListEnd, key, count);
            added(0);
        };
        m_sink.member = [this](std::string_view key, JsonTree& tree) {
            Event& event = next(Event::Kind::Member, key, 0);
            std::swap(event.tree, tree);
            added(event.tree.bytes());
        };
    }

    // Reading thread: the whole text into the queue, then the verdict.
    void read(QByteArrayView text, JsonTextKind kind) {
        const bool read = readJsonObject(text, kind, m_sink);
        submit();
        {
            const std::lock_guard lock(m_mutex);
            m_finished = true;
            m_read = read;
        }
        m_changed.notify_all();
    }

    // Calling thread: the events, in order, to the target, until the text is read or refused
    // (the reading thread is done either way).
    bool consume() {
        for (;;) {
            Batch* batch = nullptr;
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [this] { return !m_full.empty() || m_finished; });
                // A refused text: whatever the target would make of the rest is thrown away.
                if (m_finished && (!m_read || m_full.empty()))
                    return m_read;
                batch = m_full.front();
                m_full.pop_front();
            }
            const std::size_t size = batch->size;
            for (std::size_t i = 0; i < size; ++i) {
                ahead(*batch, i);
                deliver(batch->events[i]);
            }
            batch->size = 0;
            batch->bytes = 0;
            {
                const std::lock_guard lock(m_mutex);
                m_empty.push_back(batch);
            }
            m_changed.notify_all();
        }
    }

private:
    // Reading thread: the next event to fill.
    Event& next(Event::Kind kind, std::string_view key, qsizetype index) {
        if (!m_filling) {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return !m_empty.empty(); });
            m_filling = m_empty.back();
            m_empty.pop_back();
        }
        if (m_filling->size == m_filling->events.size())
            m_filling->events.emplace_back();
        Event& event = m_filling->events[m_filling->size++];
        event.kind = kind;
        event.key.assign(key);
        event.index = index;
        return event;
    }

    // Reading thread: after an event was filled.
    void added(std::size_t bytes) {
        m_filling->bytes += bytes;
        if (m_filling->size >= BatchEvents || m_filling->bytes >= BatchBytes)
            submit();
    }

    void submit() {
        if (!m_filling)
            return;
        {
            const std::lock_guard lock(m_mutex);
            m_full.push_back(m_filling);
        }
        m_filling = nullptr;
        m_changed.notify_all();
    }

    // What the reading thread wrote is in its core's cache: the events a few places ahead of
    // `i` are fetched in stages (the event, then its tree, then what the target looks up).
    void ahead(const Batch& batch, std::size_t i) const {
        const auto at = [&batch, i](std::size_t distance) -> const Event* {
            return i + distance < batch.size ? &batch.events[i + distance] : nullptr;
        };
        if (const Event* event = at(4)) {
            __builtin_prefetch(event);
            __builtin_prefetch(reinterpret_cast<const char*>(event) + 64);
        }
        if (const Event* event = at(3))
            event->tree.prefetch();
        if (!m_target.upcoming)
            return;
        if (const Event* event = at(2))
            m_target.upcoming(event->tree, 2);
        if (const Event* event = at(1))
            m_target.upcoming(event->tree, 1);
    }

    void deliver(Event& event) {
        switch (event.kind) {
        case Event::Kind::Element:
            m_target.element(event.key, event.index, event.tree);
            break;
        case Event::Kind::ListEnd:
            m_target.listEnd(event.key, event.index);
            break;
        case Event::Kind::Member:
            m_target.member(event.key, event.tree);
            break;
        }
        event.tree.clear();
    }

    const JsonSink& m_target;
    JsonSink m_sink;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Batch*> m_full; // in the order read
    std::vector<Batch*> m_empty;
    bool m_finished = false; // the reading thread is done
    bool m_read = false;     // and took the text
    std::vector<Batch> m_batches;
    Batch* m_filling = nullptr; // the reading thread's
};

} // namespace

bool readJsonObjectPipelined(QByteArrayView text, JsonTextKind kind, const JsonSink& sink) {
    Pipeline pipeline(sink);
    std::thread reader([&pipeline, text, kind] { pipeline.read(text, kind); });
    const bool read = pipeline.consume();
    reader.join();
    return read;
}

qsizetype pipelineThreshold() {
    return threshold.load(std::memory_order_relaxed);
}

void setPipelineThreshold(qsizetype bytes) {
    threshold.store(bytes, std::memory_order_relaxed);
}

} // namespace litescope::workspace::detail
