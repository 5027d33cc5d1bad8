#pragma once

#include "engine/AccessEngine.h"
#include "engine/BoundedCache.h"

#include <QStringView>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace litescope {

// The top-level fields of a JSON decision line, in the order a line holds them: by name, as
// QJsonDocument wrote the line before DecisionLineWriter did (docs/ACCESS-ENGINE.md).
enum class DecisionField : std::uint16_t {
    Allowed = 1 << 0,
    Assumed = 1 << 1,         // only when the decision assumed a default
    AssumedDefaults = 1 << 2, // likewise
    DeniedBy = 1 << 3,
    Key = 1 << 4,
    LiteLLMProfile = 1 << 5, // only when a rule that changed between releases was consulted
    Model = 1 << 6,
    Reason = 1 << 7,
    Trail = 1 << 8,
    Unknown = 1 << 9, // only for an unknown verdict
};
inline constexpr std::uint16_t AllDecisionFields = (1 << 10) - 1;

// "allowed", "assumed", … as the line spells them, in line order.
QStringList decisionFieldNames();
std::optional<DecisionField> decisionFieldNamed(QStringView name);

// `text` as a JSON string, the way QJsonDocument::Compact writes it (raw UTF-8; \" \\ \b \f \n
// \r \t; other controls and unpaired surrogates as lower-case \uXXXX), and with every hidden
// character (domain/DisplayText.h) escaped as well, as TerminalOutput would: the line needs no
// further escaping on its way to a terminal.
void appendJsonString(std::string& out, QStringView text);

// The words of decision lines: every distinct line (but its key) and trail step, put into words
// once, up to `bytes` (past that the least recently used are dropped). DecisionLineWriters on
// several threads may share one.
class DecisionWords {
public:
    explicit DecisionWords(std::size_t bytes = 64u << 20);
    std::size_t bytes() const { return lines.bytes() + steps.bytes(); }

private:
    friend class DecisionLineWriter;
    // A line but its key: [keyAt][text], the key going at text[keyAt] (when chosen).
    SharedCache lines;
    // A trail step: [size of its words][its words, UTF-16][its JSON object].
    SharedCache steps;
};

// Writes decision lines straight into bytes, without QJsonObjects: the line decisionJson()
// describes, byte for byte as QJsonDocument::Compact followed by TerminalOutput wrote it, or only
// the chosen fields of it.
//
// Everything but the key comes from (decision, request): decisions repeat massively in request
// logs, and keys of one team read alike. So the rest of a line is kept by the decision's wording
// (wordingIdentity() of each step, lists by their entries) and the request's names, and each
// trail step's words by the step's wording and the name it judged, in DecisionWords. One writer
// per thread; the words may be shared.
class DecisionLineWriter {
public:
    // Without `words` the writer keeps its own.
    explicit DecisionLineWriter(const AccessEngine& engine,
                                std::uint16_t fields = AllDecisionFields,
                                std::shared_ptr<DecisionWords> words = {});

    // Appends the line and its '\n'. `key` is echoed as given.
    void append(std::string& out, QStringView key, const ModelRequest& request,
                const Decision& decision);

    // How many lines and trail steps this writer put into words.
    std::size_t lineRenders() const { return m_lineRenders; }
    std::size_t stepRenders() const { return m_stepRenders; }
    std::size_t cachedBytes() const { return m_words->bytes(); }

private:
    bool has(DecisionField field) const {
        return (m_fields & static_cast<std::uint16_t>(field)) != 0;
    }
    // `line` as DecisionWords holds it.
    void appendLine(std::string& out, std::string_view line, QStringView key) const;
    void render(std::string& line, const ModelRequest& request, const Decision& decision);
    // Appends the step's JSON object to `trail` and returns its words.
    QString step(std::string& trail, const ModelRequest& request, const Decision& decision,
                 const TrailStep& step, bool judgedOtherName);
    void renderStep(std::string& json, const QString& detail, const ModelRequest& request,
                    const Decision& decision, const TrailStep& step) const;
    void appendIdentity(std::string& id, const TrailStep& step);
    std::int32_t sameListAs(std::int32_t list);

    const AccessEngine& m_engine;
    const std::uint16_t m_fields;
    const bool m_hasWords; // reason, trail, assumed_defaults or litellm_profile: worth keeping
    std::shared_ptr<DecisionWords> m_words;
    std::size_t m_lineRenders = 0;
    std::size_t m_stepRenders = 0;
    // By list index: the first list with the same entries as written; -2 until looked up.
    std::vector<std::int32_t> m_sameList;
    QHash<QStringList, std::int32_t> m_listByEntries;
    std::string m_lineId;
    std::string m_stepId;
    std::string m_scratch;
};

} // namespace litescope
