#include "engine/DecisionLineWriter.h"

#include "domain/DisplayText.h"
#include "engine/DecisionText.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

constexpr std::array<const char*, 10> fieldNames = {
    "allowed",         "assumed", "assumed_defaults", "denied_by", "key",
    "litellm_profile", "model",   "reason",           "trail",     "unknown",
};

constexpr char hexDigits[] = "0123456789abcdef";

char* escapeUnit(char* out, char16_t unit) {
    *out++ = '\\';
    *out++ = 'u';
    *out++ = hexDigits[(unit >> 12) & 0xf];
    *out++ = hexDigits[(unit >> 8) & 0xf];
    *out++ = hexDigits[(unit >> 4) & 0xf];
    *out++ = hexDigits[unit & 0xf];
    return out;
}

void appendStringList(std::string& out, const QStringList& list) {
    out += '[';
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i > 0)
            out += ',';
        appendJsonString(out, list[i]);
    }
    out += ']';
}

// A length and the UTF-16 units: part of a cache key.
void appendText(std::string& id, QStringView text) {
    const auto size = std::uint32_t(text.size());
    id.append(reinterpret_cast<const char*>(&size), sizeof size);
    id.append(reinterpret_cast<const char*>(text.utf16()), std::size_t(text.size()) * 2);
}

// Whether none of four UTF-16 units needs more than a byte copied: all printable ASCII, no quote,
// no backslash. Names and sentences are mostly such runs.
bool fourPlainUnits(std::uint64_t w) {
    constexpr std::uint64_t ones = 0x0001000100010001ULL;
    constexpr std::uint64_t tops = 0x0080008000800080ULL;
    const auto hasZeroUnit = [](std::uint64_t x) {
        return (x - 0x0001000100010001ULL) & ~x & 0x8000800080008000ULL;
    };
    // With every unit below 0x80 the sums stay inside their units.
    const std::uint64_t notAscii = w & 0xff80ff80ff80ff80ULL;
    const std::uint64_t control = ~(w + 0x60 * ones) & tops;
    const std::uint64_t del = (w + ones) & tops;
    return (notAscii | control | del | hasZeroUnit(w ^ (0x22 * ones)) |
            hasZeroUnit(w ^ (0x5c * ones))) == 0;
}

} // namespace

QStringList decisionFieldNames() {
    QStringList names;
    for (const char* name : fieldNames)
        names.append(QString::fromLatin1(name));
    return names;
}

std::optional<DecisionField> decisionFieldNamed(QStringView name) {
    for (std::size_t i = 0; i < fieldNames.size(); ++i)
        if (name == QLatin1StringView(fieldNames[i]))
            return static_cast<DecisionField>(1u << i);
    return std::nullopt;
}

void appendJsonString(std::string& out, QStringView text) {
    // Through a buffer on the stack, a piece at a time: at most six bytes per UTF-16 unit
    // (\uXXXX), and a surrogate pair is never cut.
    constexpr qsizetype piece = 256;
    char buffer[6 * (piece + 1)];
    out += '"';
    const char16_t* units = text.utf16();
    const qsizetype size = text.size();
    qsizetype i = 0;
    while (i < size) {
        char* o = buffer;
        qsizetype end = std::min(size, i + piece);
        if (end < size && QChar::isHighSurrogate(units[end - 1]) &&
            QChar::isLowSurrogate(units[end]))
            ++end;
        while (i < end) {
            while (i + 4 <= end) {
                std::uint64_t w;
                std::memcpy(&w, units + i, sizeof w);
                if (!fourPlainUnits(w))
                    break;
                for (int k = 0; k < 4; ++k)
                    *o++ = char(units[i + k]);
                i += 4;
            }
            if (i == end)
                break;
            const char16_t u = units[i++];
            if (u < 0x80) {
                if (u >= 0x20 && u != u'"' && u != u'\\' && u != 0x7f) {
                    *o++ = char(u);
                    continue;
                }
                switch (u) {
                case u'"':
                case u'\\':
                    *o++ = '\\';
                    *o++ = char(u);
                    break;
                case 0x08:
                    *o++ = '\\';
                    *o++ = 'b';
                    break;
                case 0x0c:
                    *o++ = '\\';
                    *o++ = 'f';
                    break;
                case u'\n':
                    *o++ = '\\';
                    *o++ = 'n';
                    break;
                case u'\r':
                    *o++ = '\\';
                    *o++ = 'r';
                    break;
                case u'\t':
                    *o++ = '\\';
                    *o++ = 't';
                    break;
                default: // other controls, and DEL, which only the terminal guard used to escape
                    o = escapeUnit(o, u);
                }
            } else if (QChar::isHighSurrogate(u) && i < end && QChar::isLowSurrogate(units[i])) {
                const char32_t code = QChar::surrogateToUcs4(u, units[i]);
                if (isHiddenCharacter(code)) {
                    o = escapeUnit(o, u);
                    o = escapeUnit(o, units[i]);
                } else {
                    *o++ = char(0xf0 | (code >> 18));
                    *o++ = char(0x80 | ((code >> 12) & 0x3f));
                    *o++ = char(0x80 | ((code >> 6) & 0x3f));
                    *o++ = char(0x80 | (code & 0x3f));
                }
                ++i;
            } else if (QChar::isSurrogate(u) || isHiddenCharacter(u)) {
                o = escapeUnit(o, u); // an unpaired half is no character: Qt escaped it too
            } else if (u < 0x800) {
                *o++ = char(0xc0 | (u >> 6));
                *o++ = char(0x80 | (u & 0x3f));
            } else {
                *o++ = char(0xe0 | (u >> 12));
                *o++ = char(0x80 | ((u >> 6) & 0x3f));
                *o++ = char(0x80 | (u & 0x3f));
            }
        }
        out.append(buffer, std::size_t(o - buffer));
    }
    out += '"';
}

DecisionWords::DecisionWords(std::size_t bytes)
    : lines(bytes - bytes / 4, 16)
    , steps(bytes / 4, 16) {}

DecisionLineWriter::DecisionLineWriter(const AccessEngine& engine, std::uint16_t fields,
                                       std::shared_ptr<DecisionWords> words)
    : m_engine(engine)
    , m_fields(fields)
    , m_hasWords((fields & (static_cast<std::uint16_t>(DecisionField::Reason) |
                            static_cast<std::uint16_t>(DecisionField::Trail) |
                            static_cast<std::uint16_t>(DecisionField::AssumedDefaults) |
                            static_cast<std::uint16_t>(DecisionField::LiteLLMProfile))) != 0)
    , m_words(words ? std::move(words) : std::make_shared<DecisionWords>()) {}

void DecisionLineWriter::appendLine(std::string& out, std::string_view line,
                                    QStringView key) const {
    std::uint32_t keyAt;
    std::memcpy(&keyAt, line.data(), sizeof keyAt);
    line.remove_prefix(sizeof keyAt);
    out.append(line.substr(0, keyAt));
    if (has(DecisionField::Key))
        appendJsonString(out, key);
    out.append(line.substr(keyAt));
}

void DecisionLineWriter::append(std::string& out, QStringView key, const ModelRequest& request,
                                const Decision& decision) {
    if (!m_hasWords) {
        render(m_scratch, request, decision); // a few bytes: cheaper than looking them up
        appendLine(out, m_scratch, key);
        return;
    }
    m_lineId.clear();
    const auto pod = [this](const auto& value) {
        m_lineId.append(reinterpret_cast<const char*>(&value), sizeof value);
    };
    pod(m_fields); // writers that share the words may choose other fields
    pod(decision.verdict);
    pod(decision.deniedBy);
    pod(decision.unknownData);
    pod(decision.assumedData);
    pod(decision.versioned);
    appendText(m_lineId, decision.unknownTarget);
    pod(request.isList);
    pod(std::uint32_t(request.names.size()));
    for (const QString& name : request.names)
        appendText(m_lineId, name);
    for (const TrailStep& step : decision.trail)
        appendIdentity(m_lineId, step);
    if (m_words->lines.find(m_lineId, [&](std::string_view line) { appendLine(out, line, key); }))
        return;
    render(m_scratch, request, decision);
    appendLine(out, m_scratch, key);
    m_words->lines.insert(m_lineId, m_scratch);
}

std::int32_t DecisionLineWriter::sameListAs(std::int32_t list) {
    if (list < 0)
        return list;
    if (std::size_t(list) >= m_sameList.size())
        m_sameList.resize(std::size_t(list) + 1, -2);
    std::int32_t& same = m_sameList[std::size_t(list)];
    if (same == -2) {
        // A list is only ever shown by its entries (describeStep): lists written alike read alike.
        const QStringList& written = m_engine.compiled().list(list).written;
        same = m_listByEntries.value(written, list);
        m_listByEntries.insert(written, same);
    }
    return same;
}

void DecisionLineWriter::appendIdentity(std::string& id, const TrailStep& step) {
    const TrailStep words = wordingIdentity(step);
    const auto pod = [&id](const auto& value) {
        id.append(reinterpret_cast<const char*>(&value), sizeof value);
    };
    pod(words.stage);
    pod(words.verdict);
    pod(words.rule);
    pod(words.element);
    pod(words.name);
    pod(words.entry);
    pod(sameListAs(words.list));
    pod(words.object);
}

QString DecisionLineWriter::step(std::string& trail, const ModelRequest& request,
                                 const Decision& decision, const TrailStep& step,
                                 bool judgedOtherName) {
    // A step reads the same wherever it occurs for the same name: the name asked for at its
    // element, or the one a Claude Code name stood for.
    m_stepId.clear();
    appendIdentity(m_stepId, step);
    m_stepId += request.isList ? 'l' : 's';
    m_stepId += judgedOtherName ? 'j' : 'a';
    appendText(m_stepId, decision.unknownTarget);
    appendText(m_stepId, request.names.value(step.element));
    QString detail;
    if (m_words->steps.find(m_stepId, [&](std::string_view held) {
            std::uint32_t units;
            std::memcpy(&units, held.data(), sizeof units);
            detail = QString(qsizetype(units), Qt::Uninitialized);
            std::memcpy(detail.data(), held.data() + sizeof units, std::size_t(units) * 2);
            trail.append(held.substr(sizeof units + std::size_t(units) * 2));
        }))
        return detail;
    ++m_stepRenders;
    detail = describeStep(m_engine, request, decision, step);
    std::string record;
    const auto units = std::uint32_t(detail.size());
    record.append(reinterpret_cast<const char*>(&units), sizeof units);
    record.append(reinterpret_cast<const char*>(detail.utf16()), std::size_t(units) * 2);
    const std::size_t json = record.size();
    renderStep(record, detail, request, decision, step);
    trail.append(record, json);
    m_words->steps.insert(m_stepId, record);
    return detail;
}

void DecisionLineWriter::render(std::string& out, const ModelRequest& request,
                                const Decision& decision) {
    ++m_lineRenders;
    out.assign(sizeof(std::uint32_t), '\0'); // where the key goes, once known
    std::uint32_t keyAt = 0;
    bool first = true;
    const auto field = [&](DecisionField which) {
        if (!has(which))
            return false;
        out += first ? "{\"" : ",\"";
        first = false;
        out += fieldNames[std::size_t(std::countr_zero(static_cast<unsigned>(which)))];
        out += "\":";
        return true;
    };
    // The words of each step, once per distinct step.
    QStringList details;
    std::string trail = "[";
    if (has(DecisionField::Reason) || has(DecisionField::Trail)) {
        const bool judgedOtherName = judgedRequest(request, decision).names != request.names;
        for (const TrailStep& trailStep : decision.trail) {
            if (trail.size() > 1)
                trail += ',';
            details.append(step(trail, request, decision, trailStep, judgedOtherName));
        }
    }
    trail += ']';

    if (field(DecisionField::Allowed))
        out += decision.verdict == Verdict::Unknown ? "null"
               : decision.allowed()                 ? "true"
                                                    : "false";
    if (decision.assumedData != 0) {
        if (field(DecisionField::Assumed))
            appendStringList(out, datasetNames(decision.assumedData));
        if (field(DecisionField::AssumedDefaults)) {
            // Beside the trail: the defaults the verdict stands on, in words.
            out += '[';
            bool firstDefault = true;
            for (std::uint16_t bit = 1; bit != 0; bit = static_cast<std::uint16_t>(bit << 1)) {
                if ((decision.assumedData & bit) == 0)
                    continue;
                out += firstDefault ? "{\"dataset\":" : ",{\"dataset\":";
                firstDefault = false;
                appendJsonString(out, datasetNames(bit).value(0));
                out += ",\"detail\":";
                appendJsonString(out,
                                 assumedDefault(static_cast<Dataset>(bit), m_engine.workspace()));
                out += '}';
            }
            out += ']';
        }
    }
    if (field(DecisionField::DeniedBy)) {
        if (decision.deniedBy == Layer::None)
            out += "null";
        else
            appendJsonString(out, layerName(decision.deniedBy));
    }
    if (field(DecisionField::Key))
        keyAt = std::uint32_t(out.size() - sizeof keyAt); // the key is each line's own
    if (decision.versioned != 0 && field(DecisionField::LiteLLMProfile)) {
        // The release whose rules decided, and which of its rules that changed were consulted.
        const LiteLLMProfile& profile = m_engine.compiled().profile();
        out += profile.assumed() ? "{\"assumed\":true" : "{\"assumed\":false";
        out += ",\"litellm_version\":";
        appendJsonString(out, profile.version().toString());
        out += ",\"rules\":[";
        bool firstRule = true;
        for (const VersionedRuleInfo& row : versionedRules())
            if ((decision.versioned & LiteLLMProfile::bit(row.rule)) != 0) {
                out += firstRule ? "" : ",";
                firstRule = false;
                appendJsonString(out, QString::fromLatin1(row.id));
            }
        out += "]}";
    }
    if (field(DecisionField::Model)) {
        if (request.isList)
            appendStringList(out, request.names);
        else
            appendJsonString(out, request.names.value(0));
    }
    if (field(DecisionField::Reason))
        appendJsonString(out, reasonFor(m_engine, request, decision, details));
    if (field(DecisionField::Trail))
        out += trail;
    if (decision.verdict == Verdict::Unknown && field(DecisionField::Unknown))
        appendStringList(out, datasetNames(decision.unknownData));
    if (first)
        out += '{';
    out += "}\n";
    std::memcpy(out.data(), &keyAt, sizeof keyAt);
}

void DecisionLineWriter::renderStep(std::string& out, const QString& detail,
                                    const ModelRequest& request, const Decision& decision,
                                    const TrailStep& step) const {
    const engine::CompiledWorkspace& compiled = m_engine.compiled();
    const bool rewrite = step.stage == Stage::ModelRewrite;
    out += "{\"check\":";
    appendJsonString(out, stageName(step.stage));
    out += ",\"detail\":";
    appendJsonString(out, detail);
    if (request.isList) {
        out += ",\"element\":";
        out += std::to_string(step.element);
    }
    if (step.entry != NoName) {
        out += ",\"entry\":";
        appendJsonString(out, compiled.name(step.entry));
    } else if (rewrite) {
        out += ",\"entry\":";
        appendJsonString(out, decision.unknownTarget);
    }
    out += ",\"layer\":";
    appendJsonString(out, rewrite ? u"request"_s : layerName(layerOf(step.stage)));
    if (step.name != NoName) {
        // A rewrite step names the model as asked; every later step the model it became.
        out += ",\"model\":";
        appendJsonString(
            out, m_engine.nameText(step.name, rewrite ? request : judgedRequest(request, decision),
                                   step.element));
    }
    out += ",\"rule\":";
    appendJsonString(out, ruleName(step.rule));
    out += ",\"verdict\":";
    appendJsonString(out, verdictName(step.verdict));
    out += '}';
}

} // namespace litescope
