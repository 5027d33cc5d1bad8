// Decision lines of `litescope-cli check --json` on the generated proxy: written by
// DecisionLineWriter the first time (every step and line put into words), from its cache, and as
// before it, through decisionJson() and QJsonDocument.
#include "WorkspaceGenerator.h"
#include "engine/AccessEngine.h"
#include "engine/DecisionLineWriter.h"
#include "engine/DecisionText.h"

#include <QJsonDocument>

#include <benchmark/benchmark.h>

using namespace Qt::StringLiterals;
using namespace litescope;

namespace {

struct Lines {
    AccessEngine engine{bench::generateWorkspace({})};
    QList<QString> keys;
    QList<ModelRequest> requests;
    QList<Decision> decisions;

    Lines() {
        QStringList models;
        for (const ProxyModel& model : engine.workspace().proxyModels)
            if (!model.modelName.contains(u'*') && !models.contains(model.modelName))
                models.append(model.modelName);
        // 20,000 different (key, model) pairs: every key with four models.
        const qsizetype keyCount = engine.workspace().keys.size();
        for (qsizetype i = 0; i < 4 * keyCount; ++i) {
            const qsizetype key = i % keyCount;
            keys.append(engine.workspace().keys[key].token);
            requests.append(ModelRequest::single(models[(i * 7 + i / keyCount) % models.size()]));
            decisions.append(engine.decide(Subject::forKey(std::int32_t(key)), requests.back()));
        }
    }
};

const Lines& lines() {
    static const Lines all;
    return all;
}

void report(benchmark::State& state, std::size_t bytes) {
    state.counters["lines/s"] = benchmark::Counter(double(lines().decisions.size()),
                                                   benchmark::Counter::kIsIterationInvariantRate);
    state.counters["bytes/line"] = double(bytes) / double(lines().decisions.size());
}

// Every line new to the writer (each iteration a fresh one).
void BM_DecisionLine_Render(benchmark::State& state) {
    const Lines& all = lines();
    std::size_t bytes = 0;
    for (auto _ : state) {
        DecisionLineWriter writer(all.engine);
        std::string out;
        for (qsizetype i = 0; i < all.decisions.size(); ++i) {
            out.clear();
            writer.append(out, all.keys[i], all.requests[i], all.decisions[i]);
            bytes = out.size();
        }
        benchmark::DoNotOptimize(out);
    }
    report(state, bytes * std::size_t(all.decisions.size()));
}

// Every line from the writer's cache.
void BM_DecisionLine_Cached(benchmark::State& state) {
    const Lines& all = lines();
    DecisionLineWriter writer(all.engine);
    std::string out;
    for (qsizetype i = 0; i < all.decisions.size(); ++i)
        writer.append(out, all.keys[i], all.requests[i], all.decisions[i]);
    const std::size_t bytes = out.size();
    const std::size_t renders = writer.lineRenders();
    for (auto _ : state) {
        for (qsizetype i = 0; i < all.decisions.size(); ++i) {
            out.clear();
            writer.append(out, all.keys[i], all.requests[i], all.decisions[i]);
        }
        benchmark::DoNotOptimize(out);
    }
    if (writer.lineRenders() != renders)
        state.SkipWithError("the cache is too small for the lines");
    report(state, bytes);
}

// --fields allowed,denied_by: nothing to put into words.
void BM_DecisionLine_AllowedDeniedBy(benchmark::State& state) {
    const Lines& all = lines();
    DecisionLineWriter writer(all.engine, static_cast<std::uint16_t>(DecisionField::Allowed) |
                                              static_cast<std::uint16_t>(DecisionField::DeniedBy));
    std::string out;
    for (auto _ : state) {
        for (qsizetype i = 0; i < all.decisions.size(); ++i) {
            out.clear();
            writer.append(out, all.keys[i], all.requests[i], all.decisions[i]);
        }
        benchmark::DoNotOptimize(out);
    }
    report(state, out.size() * std::size_t(all.decisions.size()));
}

// As the CLI wrote lines before DecisionLineWriter (without the terminal guard's share).
void BM_DecisionLine_QJsonDocument(benchmark::State& state) {
    const Lines& all = lines();
    for (auto _ : state) {
        for (qsizetype i = 0; i < all.decisions.size(); ++i) {
            const QJsonObject json =
                decisionJson(all.engine, all.keys[i], all.requests[i].names.value(0),
                             all.requests[i], all.decisions[i]);
            benchmark::DoNotOptimize(QJsonDocument(json).toJson(QJsonDocument::Compact));
        }
    }
    report(state, 0);
}

} // namespace

BENCHMARK(BM_DecisionLine_Render)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecisionLine_Cached)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecisionLine_AllowedDeniedBy)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecisionLine_QJsonDocument)->Unit(benchmark::kMillisecond);
