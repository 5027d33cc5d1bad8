#pragma once

// Internal to the engine: the walk through LiteLLM's layers for one request (Evaluator.cpp), used
// by AccessEngine::decide. One instance per decision, on the stack.
#include "engine/AccessEngine.h"

#include <QHash>

#include <optional>

namespace litescope::engine {

constexpr std::uint16_t bits(Dataset d) {
    return static_cast<std::uint16_t>(d);
}

using AliasMap = QHash<NameId, NameId>;

struct Candidate {
    NameId id;
    const NameFacts* facts;
};

// What LiteLLM passes to _can_object_call_model besides the list: the team aliases (key and
// team layers only), the team id (router team deployments, all-team-models), the key aliases.
struct MatchContext {
    const AliasMap* teamAliases = nullptr;
    std::int32_t team = -1;
    const AliasMap* keyAliases = nullptr;
};

struct Outcome {
    bool allowed = false;
    Rule rule = Rule::NotListed;
    NameId name = NoName;
    NameId entry = NoName;
};

// Walks LiteLLM's layers for one request. Holds the per-request state so the layer functions
// stay small; one instance per decision, on the stack.
class Evaluator {
public:
    Evaluator(const CompiledWorkspace& ws, const ResolvedRequest& request, Decision& decision)
        : m_ws(ws)
        , m_asked(request)
        , m_decision(decision) {}

    void run(const CompiledKey& key, std::int32_t keyIndex);
    std::uint16_t consulted() const { return m_consulted; }

private:
    void rewriteModel(const CompiledKey& key, std::int32_t keyIndex);
    bool keyLayer(const CompiledKey& key, std::int32_t keyIndex);
    bool teamLayer(const CompiledKey& key);
    bool missingTeamLayer(std::int32_t keyIndex);
    // A rule that changed between releases was consulted: the verdict depends on the release.
    bool versioned(VersionedRule rule) {
        m_consulted |= bits(Dataset::LiteLLMVersion);
        m_decision.versioned |= LiteLLMProfile::bit(rule);
        return m_ws.profile().has(rule);
    }
    bool memberLayer(const CompiledKey& key);
    bool userLayer(const CompiledKey& key);
    bool personalKeyTeamsLayer(const CompiledKey& key);
    bool projectLayer(const CompiledKey& key);

    bool teamGrants(std::int32_t team, const ResolvedRequest::Element& element,
                    const CompiledKey& key);
    bool memberScopeGrants(std::int32_t membership, std::int32_t team,
                           const ResolvedRequest::Element& element, const CompiledKey& key);

    bool checkAll(std::int32_t list, const MatchContext& context, Stage stage, std::int32_t object);
    Outcome checkElement(const ResolvedRequest::Element& element, const CompiledList& list,
                         const MatchContext& context);
    Outcome checkCandidate(const Candidate& candidate, const CompiledList& list,
                           const MatchContext& context) const;

    void step(Stage stage, Verdict verdict, Rule rule, std::int32_t object = -1,
              std::int32_t list = -1, std::uint8_t element = 0, NameId name = NoName,
              NameId entry = NoName) {
        m_decision.trail.append({stage, verdict, rule, element, name, entry, list, object});
    }
    void deny(Layer layer) {
        m_decision.verdict = Verdict::Denied;
        m_decision.deniedBy = layer;
    }

    const NameFacts& facts(const ResolvedRequest::Element& element) const {
        return element.id >= 0 ? m_ws.facts(element.id)
                               : m_request->unknownFacts[static_cast<std::size_t>(element.unknown)];
    }

    const CompiledWorkspace& m_ws;
    const ResolvedRequest& m_asked;
    // What the layers judge: the request as asked, or rewritten by the key's or team's router
    // aliases.
    const ResolvedRequest* m_request = &m_asked;
    std::optional<ResolvedRequest> m_rewritten;
    Decision& m_decision;
    std::uint16_t m_consulted = 0; // Dataset bits the decision depended on
};

} // namespace litescope::engine
