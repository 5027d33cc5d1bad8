#pragma once

#include "domain/Result.h"
#include "workspace/JsonScan.h"

#include <QByteArray>
#include <QJsonDocument>

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace litescope::workspace {

// What a reader may check between the first, cheap pass over the text and the parse: a document
// known to be wrong from its outline (no "format" at the top) is refused without being built.
// Asked only when the text is strictly JSON, so that a syntax error is reported as such.
struct JsonTextCheck {
    std::vector<std::string_view> topLevelKeys; // reported in JsonOutline::found
    std::function<std::optional<Error>(const detail::JsonOutline&)> beforeParsing;
};

// JSON text as litescope reads every JSON file (workspaces, litellm_settings). Refused, first
// fault first: a key an object holds twice ("teams[3].models: duplicate key (again at line 12,
// column 9) ..."), which Qt's parser would resolve silently; what Qt's parser refuses ("invalid
// JSON at line 1, column 13: ..."). A raw U+FEFF inside a string is kept. Pass the text as an
// rvalue to let it go as soon as it is parsed.
Result<QJsonDocument> parseJsonText(QByteArray json, const JsonTextCheck& check = {});

} // namespace litescope::workspace
