#include "workspace/JsonText.h"

#include "domain/TranslationContexts.h"
#include "workspace/JsonDetail.h"

#include <QJsonParseError>

#include <algorithm>

namespace litescope::workspace {

using namespace Qt::StringLiterals;

namespace {

// Qt reports a byte offset; people look for a line and a column (in characters, not bytes).
std::pair<qsizetype, qsizetype> lineAndColumn(QByteArrayView json, qsizetype offset) {
    const QByteArrayView before = json.first(std::clamp<qsizetype>(offset, 0, json.size()));
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    const qsizetype line = before.count('\n') + 1;
    const qsizetype column =
        std::count_if(before.begin() + lineStart, before.end(),
                      [](char byte) { return (static_cast<unsigned char>(byte) & 0xC0) != 0x80; }) +
        1;
    return {line, column};
}

QString describeParseError(QByteArrayView json, const QJsonParseError& error) {
    const auto [line, column] = lineAndColumn(json, error.offset);
    return u"invalid JSON at line %1, column %2: %3"_s.arg(line).arg(column).arg(
        error.errorString());
}

Error duplicateError(QByteArrayView json, const detail::DuplicateKey& duplicate) {
    const auto [line, column] = lineAndColumn(json, duplicate.offset);
    return Error::invalid(WorkspaceText::tr("%1: duplicate key (again at line %2, column %3); an "
                                            "object names each key once")
                              .arg(duplicate.path)
                              .arg(line)
                              .arg(column));
}

} // namespace

Result<QJsonDocument> parseJsonText(QByteArray json, const JsonTextCheck& check) {
    const detail::JsonOutline outline = detail::outlineJson(json, check.topLevelKeys);
    // Text Qt may refuse before the duplicate: whichever fault comes first is reported, and only
    // Qt knows whether that text is one.
    const bool suspectFirst = outline.duplicate && outline.firstSuspect >= 0 &&
                              outline.firstSuspect < outline.duplicate->offset;
    if (outline.duplicate && !suspectFirst)
        return duplicateError(json, *outline.duplicate);
    if (outline.strict() && check.beforeParsing)
        if (std::optional<Error> refused = check.beforeParsing(outline))
            return *refused;
    const qsizetype documentBom = json.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    // A copy only when there is something to escape.
    QByteArray escaped = detail::escapeByteOrderMarks(json, documentBom);
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(escaped, &error);
    if (error.error != QJsonParseError::NoError) {
        // The position must refer to the text as given; escaping changes validity nowhere.
        escaped = QByteArray();
        QJsonParseError original;
        QJsonDocument::fromJson(json, &original);
        return Error::invalid(describeParseError(
            json, original.error != QJsonParseError::NoError ? original : error));
    }
    if (outline.duplicate)
        return duplicateError(json, *outline.duplicate);
    return document;
}

} // namespace litescope::workspace
