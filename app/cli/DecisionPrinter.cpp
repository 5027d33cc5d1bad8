#include "DecisionPrinter.h"

#include "CliSupport.h"
#include "domain/DisplayText.h"
#include "domain/Redaction.h"
#include "engine/DecisionText.h"

using namespace Qt::StringLiterals;

namespace litescope::cli {

void printDecisionLine(DecisionLineWriter& writer, const QString& key, const ModelRequest& request,
                       const Decision& decision) {
    std::string line;
    writer.append(line, key, request, decision);
    writeOut(line);
}

QString decisionText(const AccessEngine& engine, const QString& key, const ModelRequest& request,
                     const Decision& decision) {
    const QString model =
        request.isList ? formatList(request.names) : shownName(request.names.value(0));
    QStringList details;
    details.reserve(decision.trail.size());
    for (const TrailStep& step : decision.trail)
        details.append(describeStep(engine, request, decision, step));
    QString text = verdictName(decision.verdict).toUpper() + u"  "_s + redactedKey(key) +
                   u" -> "_s + model + u'\n';
    text += u"  "_s + reasonFor(engine, request, decision, details) + u'\n';
    for (qsizetype i = 0; i < decision.trail.size(); ++i) {
        const TrailStep& step = decision.trail[i];
        text += u"    "_s + stageName(step.stage).leftJustified(20) +
                verdictName(step.verdict).leftJustified(9) + details[i] + u'\n';
    }
    return text;
}

} // namespace litescope::cli
