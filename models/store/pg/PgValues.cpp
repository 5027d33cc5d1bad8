#include "store/pg/PgValues.h"

#include "store/pg/PgJson.h"
#include "store/pg/PgSession.h"

#include <QJsonObject>

#include <cstring>
#include <simdjson.h>
#include <string>

using namespace Qt::StringLiterals;

namespace litescope::pg {

namespace sj = simdjson::ondemand;

namespace {

constexpr auto Ok = simdjson::SUCCESS;

// The text as simdjson wants it: readable SIMDJSON_PADDING bytes past its end. PostgreSQL's
// result buffers make no such promise, so the text is copied into a buffer that is reused.
simdjson::padded_string_view padded(std::string_view text, std::string& buffer) {
    const std::size_t needed = text.size() + simdjson::SIMDJSON_PADDING;
    if (buffer.size() < needed)
        buffer.resize(needed * 2);
    std::memcpy(buffer.data(), text.data(), text.size());
    std::memset(buffer.data() + text.size(), ' ', simdjson::SIMDJSON_PADDING);
    return simdjson::padded_string_view(buffer.data(), text.size(), buffer.size());
}

// Calls `read(key, value)` for each field; false when the text breaks off or `read` says so.
template <typename Read>
bool eachField(sj::object& object, Read read) {
    for (auto result : object) {
        sj::field field;
        std::string_view key;
        if (std::move(result).get(field) != Ok || field.unescaped_key().get(key) != Ok ||
            !read(key, field.value()))
            return false;
    }
    return true;
}

template <typename Read>
bool eachElement(sj::array& array, Read read) {
    for (auto result : array) {
        sj::value value;
        if (std::move(result).get(value) != Ok || !read(value))
            return false;
    }
    return true;
}

// A JSON string's text into `text`, nullopt for any other value; false when unreadable.
bool stringOf(sj::value& value, std::optional<std::string_view>& text) {
    text.reset();
    sj::json_type type;
    if (value.type().get(type) != Ok)
        return false;
    if (type != sj::json_type::string)
        return true;
    std::string_view decoded;
    if (value.get_string().get(decoded) != Ok)
        return false;
    text = decoded;
    return true;
}

// The raw text of an object, which is then walked from its start again.
bool rawText(sj::object& object, std::string_view& raw) {
    return object.raw_json().get(raw) == Ok && object.reset().error() == Ok;
}

QString exact(std::string_view text) {
    return fromUtf8Exact(text.data(), qsizetype(text.size()));
}

// array_to_json's output without escapes, the usual case, split directly: ["a","b",null].
std::optional<QStringList> plainNames(std::string_view json, StringPool& pool) {
    QStringList list;
    std::size_t i = 0;
    const auto at = [&](char c) { return i < json.size() && json[i] == c; };
    if (!at('['))
        return std::nullopt;
    ++i;
    if (at(']'))
        return i + 1 == json.size() ? std::optional(list) : std::nullopt;
    for (;;) {
        if (json.substr(i, 4) == "null") {
            i += 4; // NULL elements are dropped
        } else if (at('"')) {
            const std::size_t start = ++i;
            while (i < json.size() && json[i] != '"' && json[i] != '\\')
                ++i;
            if (!at('"'))
                return std::nullopt; // an escape: simdjson reads it
            list.append(pool.intern(json.substr(start, i - start)));
            ++i;
        } else {
            return std::nullopt;
        }
        if (at(']'))
            return i + 1 == json.size() ? std::optional(list) : std::nullopt;
        if (!at(','))
            return std::nullopt;
        ++i;
    }
}

} // namespace

struct PgValues::Parser {
    sj::parser parser;
    std::string buffer;
    std::string inner;

    // Parses `text` and hands `read` the document and its type. A JSON string that holds an
    // array or an object is read as that array or object; `read` is not to touch a document of
    // any other type. Answers nullopt when simdjson cannot follow the text or `read` says so.
    template <typename T, typename Read>
    std::optional<T> withDocument(std::string_view text, Read read) {
        sj::document document;
        sj::json_type type;
        if (parser.iterate(padded(text, buffer)).get(document) != Ok ||
            document.type().get(type) != Ok)
            return std::nullopt;
        if (type != sj::json_type::string)
            return read(document, type);
        std::string_view decoded;
        if (document.get_string().get(decoded) != Ok)
            return std::nullopt;
        inner.assign(decoded); // the parser reuses its string buffer on the next iterate
        sj::document nested;
        sj::json_type nestedType;
        if (parser.iterate(padded(inner, buffer)).get(nested) == Ok &&
            nested.type().get(nestedType) == Ok &&
            (nestedType == sj::json_type::array || nestedType == sj::json_type::object))
            return read(nested, nestedType);
        // Any other text inside: the value stays a string.
        return read(document, sj::json_type::string);
    }
};

PgValues::PgValues()
    : m_parser(std::make_unique<Parser>()) {}

PgValues::~PgValues() = default;

std::optional<QStringList> PgValues::names(std::string_view json) {
    if (std::optional<QStringList> plain = plainNames(json, m_pool))
        return plain;
    return m_parser->withDocument<QStringList>(
        json, [&](sj::document& document, sj::json_type type) -> std::optional<QStringList> {
            QStringList strings;
            sj::array array;
            if (type != sj::json_type::array)
                return strings;
            if (document.get_array().get(array) != Ok || !eachElement(array, [&](sj::value& value) {
                    std::optional<std::string_view> text;
                    if (!stringOf(value, text))
                        return false;
                    if (text)
                        strings.append(m_pool.intern(*text));
                    return true;
                }))
                return std::nullopt;
            return strings;
        });
}

std::optional<StringMap> PgValues::stringMap(std::string_view json) {
    if (json == "{}")
        return StringMap();
    return m_parser->withDocument<StringMap>(
        json, [&](sj::document& document, sj::json_type type) -> std::optional<StringMap> {
            StringMap map;
            sj::object object;
            if (type != sj::json_type::object)
                return map;
            if (document.get_object().get(object) != Ok ||
                !eachField(object, [&](std::string_view key, sj::value& value) {
                    std::optional<std::string_view> text;
                    if (!stringOf(value, text))
                        return false;
                    // A repeated key: the last value counts, as in a QJsonObject.
                    if (text)
                        map.insert(m_pool.intern(key), m_pool.intern(*text));
                    else
                        map.remove(m_pool.intern(key));
                    return true;
                }))
                return std::nullopt;
            return map;
        });
}

std::optional<QList<TeamMemberRole>> PgValues::roster(std::string_view json) {
    const QString defaultRole = m_pool.intern(std::string_view("user"));
    const auto readMember = [&](sj::value& value, TeamMemberRole& member) {
        member.role = defaultRole;
        sj::json_type type;
        if (value.type().get(type) != Ok)
            return false;
        if (type != sj::json_type::object)
            return true; // a member with no id, as Qt's toObject() reads it
        sj::object object;
        std::string_view raw;
        bool unknownFields = false;
        if (value.get_object().get(object) != Ok || !rawText(object, raw) ||
            !eachField(object, [&](std::string_view key, sj::value& field) {
                std::optional<std::string_view> text;
                if (!stringOf(field, text))
                    return false;
                const std::optional<QString> pooled =
                    text ? std::optional(m_pool.intern(*text)) : std::nullopt;
                if (key == "user_id")
                    member.userId = pooled;
                else if (key == "user_email")
                    member.userEmail = pooled;
                else if (key == "role")
                    member.role = pooled.value_or(defaultRole);
                else
                    unknownFields = true;
                return true;
            }))
            return false;
        // Only entries with more than the three fields pay for an object.
        if (unknownFields)
            member.original = originalFields(raw);
        return true;
    };
    return m_parser->withDocument<QList<TeamMemberRole>>(
        json,
        [&](sj::document& document, sj::json_type type) -> std::optional<QList<TeamMemberRole>> {
            QList<TeamMemberRole> roster;
            sj::array array;
            if (type != sj::json_type::array)
                return roster; // LiteLLM's column default, {}: no members
            if (document.get_array().get(array) != Ok || !eachElement(array, [&](sj::value& value) {
                    TeamMemberRole member;
                    if (!readMember(value, member))
                        return false;
                    roster.append(std::move(member));
                    return true;
                }))
                return std::nullopt;
            return roster;
        });
}

namespace {

// A number field as QJsonValue::toDouble reads it: nothing unless it is a number.
bool numberOf(sj::value& value, std::optional<double>& number) {
    number.reset();
    sj::json_type type;
    double result = 0;
    if (value.type().get(type) != Ok)
        return false;
    if (type == sj::json_type::number && value.get_double().get(result) == Ok)
        number = result;
    return true;
}

// A whole number; a number that is not one reads as 0, as QJsonValue::toInteger reads it. Big
// integers stay exact (a QJsonValue would round them to a double).
bool integerOf(sj::value& value, std::optional<qint64>& number) {
    number.reset();
    sj::json_type type;
    std::int64_t result = 0;
    if (value.type().get(type) != Ok)
        return false;
    if (type == sj::json_type::number)
        number = value.get_int64().get(result) == Ok ? result : 0;
    return true;
}

// The strings of an array field, non-strings as empty ones (QJsonValue::toString); a field that
// is not an array leaves `list` empty.
bool listOf(sj::value& value, QStringList& list, StringPool& pool) {
    list.clear();
    sj::json_type type;
    sj::array array;
    if (value.type().get(type) != Ok)
        return false;
    if (type != sj::json_type::array)
        return true;
    return value.get_array().get(array) == Ok && eachElement(array, [&](sj::value& element) {
               std::optional<std::string_view> text;
               if (!stringOf(element, text))
                   return false;
               list.append(text ? pool.intern(*text) : QString());
               return true;
           });
}

} // namespace

std::optional<MemberBudget> PgValues::memberBudget(std::string_view json) {
    return m_parser->withDocument<MemberBudget>(
        json, [&](sj::document& document, sj::json_type type) -> std::optional<MemberBudget> {
            MemberBudget budget;
            sj::object object;
            std::string_view raw;
            if (type != sj::json_type::object)
                return budget;
            if (document.get_object().get(object) != Ok || !rawText(object, raw) ||
                !eachField(object, [&](std::string_view key, sj::value& value) {
                    std::optional<std::string_view> text;
                    if (key == "budget_id") {
                        if (!stringOf(value, text))
                            return false;
                        budget.budgetId = text ? exact(*text) : QString();
                        return true;
                    }
                    if (key == "allowed_models")
                        return listOf(value, budget.allowedModels, m_pool);
                    if (key == "max_budget")
                        return numberOf(value, budget.maxBudget);
                    if (key == "tpm_limit")
                        return integerOf(value, budget.tpmLimit);
                    if (key == "rpm_limit")
                        return integerOf(value, budget.rpmLimit);
                    return true;
                }))
                return std::nullopt;
            // Bookkeeping columns say nothing about the budget a new member would get.
            budget.original =
                originalFields(raw, {"budget_id"_L1, "allowed_models"_L1, "max_budget"_L1,
                                     "tpm_limit"_L1, "rpm_limit"_L1, "created_at"_L1,
                                     "created_by"_L1, "updated_at"_L1, "updated_by"_L1});
            return budget;
        });
}

std::optional<ProxyModel> PgValues::modelInfo(std::string_view json, const QString& rowId) {
    return m_parser->withDocument<ProxyModel>(
        json, [&](sj::document& document, sj::json_type type) -> std::optional<ProxyModel> {
            ProxyModel model;
            model.modelId = rowId;
            std::string_view raw = "{}";
            sj::object object;
            if (type == sj::json_type::object &&
                (document.get_object().get(object) != Ok || !rawText(object, raw) ||
                 !eachField(object, [&](std::string_view key, sj::value& value) {
                     std::optional<std::string_view> text;
                     if (key == "access_groups")
                         return listOf(value, model.accessGroups, m_pool);
                     if (key != "id" && key != "team_id" && key != "team_public_model_name")
                         return true;
                     if (!stringOf(value, text))
                         return false;
                     if (key == "id")
                         model.modelId = text ? exact(*text) : rowId;
                     else
                         (key == "team_id" ? model.teamId : model.teamPublicModelName) =
                             text ? std::optional(m_pool.intern(*text)) : std::nullopt;
                     return true;
                 })))
                return std::nullopt;
            // model_info is kept whole: the writer puts the typed fields first, then the rest.
            model.original = QJsonObject{{u"model_info"_s, originalFields(raw)}};
            return model;
        });
}

QJsonObject originalFields(std::string_view objectJson,
                           std::initializer_list<QLatin1StringView> without) {
    QJsonObject object =
        parseJson(QByteArray(objectJson.data(), qsizetype(objectJson.size()))).toObject();
    for (QLatin1StringView name : without)
        object.remove(name);
    return object;
}

} // namespace litescope::pg
