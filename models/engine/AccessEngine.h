#pragma once

#include "domain/Workspace.h"
#include "engine/AccessTypes.h"
#include "engine/CompiledWorkspace.h"

#include <QStringList>

#include <memory>

namespace litescope {

// Who is asking: a real key of the workspace, or a team key a member would hold (no key
// restrictions of its own), used to preview what a member can reach through a team.
struct Subject {
    std::int32_t key = -1;  // workspace key index, -1 for a member preview
    std::int32_t team = -1; // member preview: team index
    QString userId;         // member preview: the member's user_id

    static Subject forKey(std::int32_t keyIndex) { return {keyIndex, -1, {}}; }
    static Subject forMember(std::int32_t teamIndex, QString userId) {
        return {-1, teamIndex, std::move(userId)};
    }
};

// A requested model resolved against the workspace once (names interned, facts of names the
// workspace never mentions computed), so it can be decided for many subjects cheaply.
struct ResolvedRequest {
    struct Element {
        NameId id;            // RequestedName when the workspace never mentions the name
        std::int32_t unknown; // index into unknownFacts for such names, else -1
    };
    ModelRequest request;
    QVarLengthArray<Element, 4> elements;
    std::vector<engine::NameFacts> unknownFacts;
};

// A subject resolved once: a workspace key, or a synthetic team key for a member preview.
struct ResolvedSubject {
    std::int32_t keyIndex = -1;
    const engine::CompiledKey* key = nullptr; // workspace key, or null: use `synthetic`
    engine::CompiledKey synthetic;
};

// One cell of a preview matrix.
struct MatrixCell {
    Verdict verdict;
    Layer deniedBy;
};

struct PreviewRow {
    QString model;
    Decision decision;
};

// Decides "may this key call this model — and why?" the way a LiteLLM proxy does
// (docs/access-semantics.md): key layer, blocked team, team layer, member scope, user layer for
// personal keys, personal-key-via-teams, project layer. The first layer that refuses wins.
//
// Construction resolves the workspace once (names, lists, access groups, aliases); a decision is
// then a handful of lookups. The engine is immutable and may be shared between threads.
class AccessEngine {
public:
    explicit AccessEngine(const Workspace& workspace);

    const Workspace& workspace() const { return m_compiled->workspace(); }
    const engine::CompiledWorkspace& compiled() const { return *m_compiled; }

    // A key by token or key alias; -1 when there is none.
    std::int32_t findKey(const QString& tokenOrAlias) const {
        return m_compiled->keyIndex(tokenOrAlias);
    }
    std::int32_t findTeam(const QString& idOrAlias) const {
        return m_compiled->teamIndex(idOrAlias);
    }

    Decision decide(const Subject& subject, const ModelRequest& model) const;
    // The same decision with the subject and request resolved beforehand (preview matrices, the
    // benchmark): no name lookups, no allocations for names the workspace knows.
    ResolvedSubject resolve(const Subject& subject) const;
    ResolvedRequest resolve(const ModelRequest& model) const;
    Decision decide(const ResolvedSubject& subject, const ResolvedRequest& request) const;

    // Verdicts for every subject (rows) × model (columns), row-major: the Access tab's heat map.
    std::vector<MatrixCell> matrix(const QList<Subject>& subjects, const QStringList& models) const;
    Decision decide(std::int32_t keyIndex, const QString& model) const {
        return decide(Subject::forKey(keyIndex), ModelRequest::single(model));
    }

    // Every model name the proxy serves (for the subject's team), then the extra names, each with
    // its decision.
    QList<PreviewRow> preview(const Subject& subject, const QStringList& extraModels = {}) const;
    QStringList previewModels(const Subject& subject, const QStringList& extraModels = {}) const;

    // Text for a name a TrailStep refers to.
    QString nameText(NameId id, const ModelRequest& request, std::uint8_t element) const;

private:
    std::unique_ptr<engine::CompiledWorkspace> m_compiled;
};

} // namespace litescope
