// litescope-bench-requests: writes the generated proxy (WorkspaceGenerator.h) as a workspace file
// and a JSON Lines file of requests against it, for tests/bench/requests-benchmark.sh.
//
//   litescope-bench-requests WORKSPACE.json REQUESTS.jsonl LINES [distinct]
//
// The requests look like a proxy's request log: a few keys and models carry most of the traffic
// (Zipf-distributed ranks, exponent 1), most requests ask for a model of the key's team, some for
// any proxy model (many denied), one in twenty for a list of two, and keys are written as their
// token or their alias. With "distinct" every line is a different (key, model) pair instead: the
// worst case for anything that reuses decisions.
#include "WorkspaceGenerator.h"
#include "workspace/WorkspaceJson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

using namespace Qt::StringLiterals;
using namespace litescope;

namespace {

// Ranks 0..n-1 with P(rank r) proportional to 1 / (r + 1).
class Zipf {
public:
    explicit Zipf(std::size_t n) {
        double total = 0;
        for (std::size_t r = 0; r < n; ++r)
            m_cdf.push_back(total += 1.0 / double(r + 1));
        for (double& c : m_cdf)
            c /= total;
    }
    std::size_t operator()(std::mt19937_64& rng) const {
        const double u = std::uniform_real_distribution<double>(0, 1)(rng);
        const auto it = std::lower_bound(m_cdf.begin(), m_cdf.end(), u);
        return std::min<std::size_t>(std::size_t(it - m_cdf.begin()), m_cdf.size() - 1);
    }

private:
    std::vector<double> m_cdf;
};

int fail(const char* message) {
    std::fprintf(stderr, "litescope-bench-requests: %s\n", message);
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 4)
        return fail("usage: litescope-bench-requests WORKSPACE.json REQUESTS.jsonl LINES "
                    "[distinct]");
    const long lines = std::atol(argv[3]);
    const bool distinct = argc > 4 && QByteArray(argv[4]) == "distinct";
    const Workspace ws = bench::generateWorkspace({});
    if (!workspace::writeFile(ws, QString::fromLocal8Bit(argv[1])))
        return fail("cannot write the workspace file");

    std::vector<QString> models;
    for (const ProxyModel& model : ws.proxyModels)
        if (!model.modelName.contains(u'*') &&
            std::find(models.begin(), models.end(), model.modelName) == models.end())
            models.push_back(model.modelName);
    std::mt19937_64 rng(7);
    std::shuffle(models.begin(), models.end(), rng);
    // A team's own names; an unrestricted team's keys ask for any model.
    auto teamModels = [&](const Key& key) {
        std::vector<QString> names;
        for (const Team& team : ws.teams)
            if (team.id == key.teamId)
                for (const QString& name : team.models)
                    if (std::find(models.begin(), models.end(), name) != models.end())
                        names.push_back(name);
        return names.empty() ? models : names;
    };
    std::vector<std::vector<QString>> keyModels;
    for (const Key& key : ws.keys)
        keyModels.push_back(teamModels(key));
    std::vector<qsizetype> keyOrder(std::size_t(ws.keys.size()));
    for (std::size_t i = 0; i < keyOrder.size(); ++i)
        keyOrder[i] = qsizetype(i);
    std::shuffle(keyOrder.begin(), keyOrder.end(), rng);

    const Zipf keyRank(keyOrder.size());
    const Zipf modelRank(models.size());
    QFile out(QString::fromLocal8Bit(argv[2]));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail("cannot write the requests file");
    QSet<QString> seen;
    std::uniform_int_distribution<int> percent(0, 99);
    for (long line = 0; line < lines; ++line) {
        const Key* key = nullptr;
        QJsonValue model;
        for (;;) {
            const qsizetype k =
                distinct ? qsizetype(rng() % keyOrder.size()) : keyOrder[keyRank(rng)];
            key = &ws.keys[k];
            const std::vector<QString>& own = keyModels[std::size_t(k)];
            const int roll = percent(rng);
            auto pick = [&](const std::vector<QString>& from) {
                return distinct ? from[rng() % from.size()] : from[modelRank(rng) % from.size()];
            };
            if (roll < 5)
                model = QJsonArray{pick(own), pick(own)};
            else if (roll < 20)
                model = pick(models);
            else
                model = pick(own);
            if (!distinct)
                break;
            const QString id =
                key->token +
                QString::fromUtf8(QJsonDocument(QJsonObject{{u"m"_s, model}}).toJson());
            if (!seen.contains(id)) {
                seen.insert(id);
                break;
            }
        }
        const QString shown = key->alias && percent(rng) < 50 ? *key->alias : key->token;
        out.write(QJsonDocument(QJsonObject{{u"key"_s, shown}, {u"model"_s, model}})
                      .toJson(QJsonDocument::Compact) +
                  '\n');
    }
    return out.error() == QFileDevice::NoError ? 0 : fail("cannot write the requests file");
}
