#pragma once

#include "engine/AccessEngine.h"

#include <QJsonObject>
#include <QString>

#include <span>

namespace litescope {

// Words for decisions: the one-sentence reason, each trail step, and the JSON decision line of
// docs/workspace-format.md. Shared by the CLI and the preview screens so both say the same.

// Machine names as they appear in JSON ("key", "team_member", …; empty for Layer::None).
QString layerName(Layer layer);
// The layer a check belongs to (Layer::None for the rewrite before every layer).
Layer layerOf(Stage stage);
QString stageName(Stage stage);
QString verdictName(Verdict verdict);
QString ruleName(Rule rule);
// source.unknown field names behind Dataset bits.
QStringList datasetNames(std::uint16_t datasets);

// "member scope [gpt-4o] does not include claude-sonnet"
QString describeStep(const AccessEngine& engine, const ModelRequest& request,
                     const TrailStep& step);
// The same for a step of `decision`: after a rewrite of the model (a Claude Code name, a router
// alias) the steps speak of the model it became.
QString describeStep(const AccessEngine& engine, const ModelRequest& request,
                     const Decision& decision, const TrailStep& step);
// `request` as the layers judged it: a Claude Code name replaced by the unknown name it stood for.
ModelRequest judgedRequest(const ModelRequest& request, const Decision& decision);
// One human sentence for the whole decision.
QString reasonFor(const AccessEngine& engine, const ModelRequest& request,
                  const Decision& decision);
// The same from the words of every step already at hand: details[i] is describeStep() of
// decision.trail[i].
QString reasonFor(const AccessEngine& engine, const ModelRequest& request, const Decision& decision,
                  std::span<const QString> details);
// What LiteLLM assumes when nothing sets a dataset the source cannot see (assumed_defaults).
QString assumedDefault(Dataset dataset, const Workspace& workspace);
// `step` with what its words never depend on cleared (the key, member, user or project index
// where the sentence does not name it): steps of different keys that read the same compare
// equal, so their words are rendered once (DecisionLineWriter). Kept beside describeStep(): a
// sentence that starts naming one of these must keep it here.
TrailStep wordingIdentity(const TrailStep& step);

QJsonObject trailStepJson(const AccessEngine& engine, const ModelRequest& request,
                          const Decision& decision, const TrailStep& step);
// {"key", "model", "allowed", "denied_by", "reason", "trail"[, "unknown"]}
QJsonObject decisionJson(const AccessEngine& engine, const QString& key, const QJsonValue& model,
                         const ModelRequest& request, const Decision& decision);

// "[gpt-4o, claude-sonnet]", shortened past a handful of entries.
QString formatList(const QStringList& entries);

} // namespace litescope
