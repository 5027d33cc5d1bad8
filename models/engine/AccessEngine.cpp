#include "engine/AccessEngine.h"

#include "engine/Evaluator.h"

#include <QSet>
#include <QVarLengthArray>

#include <algorithm>
#include <optional>

namespace litescope {

using namespace engine;

AccessEngine::AccessEngine(const Workspace& workspace)
    : m_compiled(std::make_unique<CompiledWorkspace>(workspace)) {}

ResolvedRequest AccessEngine::resolve(const ModelRequest& model) const {
    ResolvedRequest resolved;
    resolved.request = model;
    for (const QString& name : model.names) {
        const NameId id = m_compiled->find(name);
        if (id != NoName) {
            resolved.elements.append({id, -1});
        } else {
            resolved.elements.append(
                {RequestedName, static_cast<std::int32_t>(resolved.unknownFacts.size())});
            resolved.unknownFacts.push_back(m_compiled->factsForUnknown(name));
        }
    }
    return resolved;
}

ResolvedSubject AccessEngine::resolve(const Subject& subject) const {
    ResolvedSubject resolved;
    resolved.keyIndex = subject.key;
    if (subject.key >= 0)
        resolved.key = &m_compiled->keys()[static_cast<std::size_t>(subject.key)];
    else
        resolved.synthetic = m_compiled->syntheticTeamKey(subject.team, subject.userId);
    return resolved;
}

Decision AccessEngine::decide(const ResolvedSubject& subject,
                              const ResolvedRequest& request) const {
    Decision decision;
    const std::uint16_t consulted =
        evaluate(*m_compiled, request, subject.key ? *subject.key : subject.synthetic,
                 subject.keyIndex, decision);
    if (const std::uint16_t missing = consulted & m_compiled->unknownData()) {
        decision.verdict = Verdict::Unknown;
        decision.deniedBy = Layer::None;
        decision.unknownData = missing;
    } else {
        decision.assumedData = consulted & m_compiled->assumedData();
    }
    return decision;
}

Decision AccessEngine::decide(const Subject& subject, const ModelRequest& model) const {
    return decide(resolve(subject), resolve(model));
}

std::vector<MatrixCell> AccessEngine::matrix(const QList<Subject>& subjects,
                                             const QStringList& models) const {
    std::vector<ResolvedRequest> requests;
    requests.reserve(static_cast<std::size_t>(models.size()));
    for (const QString& model : models)
        requests.push_back(resolve(ModelRequest::single(model)));
    std::vector<MatrixCell> cells;
    cells.reserve(static_cast<std::size_t>(subjects.size()) * requests.size());
    for (const Subject& subject : subjects) {
        const ResolvedSubject resolved = resolve(subject);
        for (const ResolvedRequest& request : requests) {
            const Decision decision = decide(resolved, request);
            cells.push_back({decision.verdict, decision.deniedBy});
        }
    }
    return cells;
}

QStringList AccessEngine::previewModels(const Subject& subject,
                                        const QStringList& extraModels) const {
    const std::int32_t team = subject.key >= 0
                                  ? m_compiled->keys()[static_cast<std::size_t>(subject.key)].team
                                  : subject.team;
    QStringList models = m_compiled->servedModelNames(team);
    if (extraModels.isEmpty())
        return models;
    QSet<QString> listed(models.cbegin(), models.cend());
    for (const QString& extra : extraModels)
        if (!listed.contains(extra)) {
            listed.insert(extra);
            models.append(extra);
        }
    return models;
}

QList<PreviewRow> AccessEngine::preview(const Subject& subject,
                                        const QStringList& extraModels) const {
    QList<PreviewRow> rows;
    const QStringList models = previewModels(subject, extraModels);
    rows.reserve(models.size());
    for (const QString& model : models)
        rows.append({model, decide(subject, ModelRequest::single(model))});
    return rows;
}

QString AccessEngine::nameText(NameId id, const ModelRequest& request, std::uint8_t element) const {
    if (id >= 0)
        return m_compiled->name(id);
    if (id == RequestedName && element < request.names.size())
        return request.names[element];
    return {};
}

} // namespace litescope
