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

// Big enough that the threads meet rarely (a batch of keys is a few hundred KB), small enough
// that what waits stays a few MB however long the lists.
constexpr std::size_t BatchEvents = 1024;
constexpr std::size_t BatchBytes = std::size_t(1) << 20;
// One being filled, one being read, two waiting: the reading thread rarely waits for a batch.
constexpr std::size_t Batches = 4;

// A few MB of JSON read in a few tens of milliseconds: below that, starting a thread and handing
// trees over costs more than it saves. The suite's files are all far smaller.
std::atomic<qsizetype> threshold{qsizetype(8) << 20};

struct Event {
    enum class Kind { Element, ListEnd, Member };
    Kind kind = Kind::Element;
    std::string key;
    qsizetype index = 0; // an element's index, a list's count
    JsonTree tree;
};

// Events are reused with their capacity (keys, trees): after the first few batches, queueing
// allocates nothing.
struct Batch {
    std::vector<Event> events;
    std::size_t size = 0;
    std::size_t bytes = 0;
};

} // namespace

struct JsonPipeline::State {
    const JsonSink& target;
    JsonSink sink;

    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Batch*> full; // in the order read
    std::vector<Batch*> empty;
    bool finished = false; // no more batches will come
    bool dropped = false;  // nor are the queued ones wanted
    std::vector<Batch> batches;
    Batch* filling = nullptr;
    std::thread consumer;

    explicit State(const JsonSink& t)
        : target(t)
        , batches(Batches) {
        for (Batch& batch : batches)
            empty.push_back(&batch);
    }

    // Reading thread: the next event to fill.
    Event& next(Event::Kind kind, std::string_view key, qsizetype index) {
        if (!filling) {
            std::unique_lock lock(mutex);
            changed.wait(lock, [this] { return !empty.empty(); });
            filling = empty.back();
            empty.pop_back();
        }
        if (filling->size == filling->events.size())
            filling->events.emplace_back();
        Event& event = filling->events[filling->size++];
        event.kind = kind;
        event.key.assign(key);
        event.index = index;
        return event;
    }

    // Reading thread: after an event was filled.
    void added(std::size_t bytes) {
        filling->bytes += bytes;
        if (filling->size >= BatchEvents || filling->bytes >= BatchBytes)
            submit();
    }

    void submit() {
        if (!filling)
            return;
        {
            const std::lock_guard lock(mutex);
            full.push_back(filling);
        }
        filling = nullptr;
        changed.notify_all();
    }

    // Second thread: the events, in order, to the target.
    void consume() {
        for (;;) {
            Batch* batch = nullptr;
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [this] { return dropped || !full.empty() || finished; });
                if (dropped || full.empty())
                    return;
                batch = full.front();
                full.pop_front();
            }
            for (std::size_t i = 0; i < batch->size; ++i) {
                if (target.upcoming) {
                    if (i + 2 < batch->size)
                        target.upcoming(batch->events[i + 2].tree, 2);
                    if (i + 1 < batch->size)
                        target.upcoming(batch->events[i + 1].tree, 1);
                }
                deliver(batch->events[i]);
            }
            batch->size = 0;
            batch->bytes = 0;
            {
                const std::lock_guard lock(mutex);
                empty.push_back(batch);
            }
            changed.notify_all();
        }
    }

    void deliver(Event& event) {
        switch (event.kind) {
        case Event::Kind::Element:
            target.element(event.key, event.index, event.tree);
            break;
        case Event::Kind::ListEnd:
            target.listEnd(event.key, event.index);
            break;
        case Event::Kind::Member:
            target.member(event.key, event.tree);
            break;
        }
        event.tree.clear();
    }

    void stop(bool drop) {
        if (!consumer.joinable())
            return;
        submit();
        {
            const std::lock_guard lock(mutex);
            finished = true;
            dropped = drop;
        }
        changed.notify_all();
        consumer.join();
    }
};

JsonPipeline::JsonPipeline(const JsonSink& target)
    : m_state(std::make_unique<State>(target)) {
    State* state = m_state.get();
    state->sink.streamed = target.streamed;
    state->sink.hashStrings = bool(target.upcoming);
    state->sink.element = [state](std::string_view key, qsizetype index, JsonTree& tree) {
        Event& event = state->next(Event::Kind::Element, key, index);
        std::swap(event.tree, tree);
        state->added(event.tree.bytes());
    };
    state->sink.listEnd = [state](std::string_view key, qsizetype count) {
        state->next(Event::Kind::ListEnd, key, count);
        state->added(0);
    };
    state->sink.member = [state](std::string_view key, JsonTree& tree) {
        Event& event = state->next(Event::Kind::Member, key, 0);
        std::swap(event.tree, tree);
        state->added(event.tree.bytes());
    };
    state->consumer = std::thread([state] { state->consume(); });
}

JsonPipeline::~JsonPipeline() {
    m_state->stop(true);
}

const JsonSink& JsonPipeline::sink() const {
    return m_state->sink;
}

void JsonPipeline::finish() {
    m_state->stop(false);
}

qsizetype pipelineThreshold() {
    return threshold.load(std::memory_order_relaxed);
}

void setPipelineThreshold(qsizetype bytes) {
    threshold.store(bytes, std::memory_order_relaxed);
}

} // namespace litescope::workspace::detail
