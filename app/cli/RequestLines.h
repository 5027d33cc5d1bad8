#pragma once

#include "domain/Result.h"
#include "engine/AccessTypes.h"

#include <QByteArrayView>
#include <QString>

namespace litescope::cli {

// One line of a --requests file: {"key": "…", "model": "name" or ["a", "b"]}.
struct Request {
    int line = 0; // in the requests file, for messages
    QString key;
    ModelRequest models;
};

// A request names one model or a list (LiteLLM's batch completion); a list longer than any
// real request, or a line longer than any real request, is refused before it is parsed: a
// 1,000,000-name list otherwise costs seconds and gigabytes.
inline constexpr qsizetype maxNamesPerRequest = 1000;
inline constexpr qsizetype maxLineBytes = 1024 * 1024;

// A trimmed, non-empty line. Lines of plain ASCII strings are read by a small parser of their
// own; any other line by Qt's, whose errors say what is wrong.
Result<Request> parseRequestLine(QByteArrayView line, int lineNumber);
Error lineTooLong(int lineNumber);

} // namespace litescope::cli
