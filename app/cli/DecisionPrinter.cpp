#include "DecisionPrinter.h"

#include "CliSupport.h"
#include "domain/DisplayText.h"
#include "domain/Redaction.h"
#include "engine/DecisionText.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace litescope::cli {

void printDecisionLine(const AccessEngine& engine, const QString& key, const QJsonValue& model,
                       const ModelRequest& request, const Decision& decision) {
    const QJsonObject line = decisionJson(engine, key, model, request, decision);
    out() << QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact)) << '\n';
}

void printDecision(const AccessEngine& engine, const QString& key, const ModelRequest& request,
                   const Decision& decision) {
    const QString model =
        request.isList ? formatList(request.names) : shownName(request.names.value(0));
    out() << verdictName(decision.verdict).toUpper() << "  " << redactedKey(key) << " -> " << model
          << '\n';
    out() << "  " << reasonFor(engine, request, decision) << '\n';
    for (const TrailStep& step : decision.trail) {
        QString layer = stageName(step.stage);
        out() << "    " << layer.leftJustified(20) << verdictName(step.verdict).leftJustified(9)
              << describeStep(engine, request, decision, step) << '\n';
    }
}

} // namespace litescope::cli
