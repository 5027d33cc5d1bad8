#pragma once

// Request bodies of the fake proxy's POST endpoints, read as FastAPI/pydantic read them: shared by
// FakeLiteLLMWrites.cpp and FakeLiteLLMBulk.cpp.
#include "support/FakeLiteLLMJson.h"
#include "support/FakeLiteLLMRoutes.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace litescope::test {

using namespace Qt::StringLiterals;

// Reads the fields of a request body (or of one object inside it). Absent and null fields are
// "not set"; a field of the wrong type becomes one issue of a FastAPI 422 body.
class BodyReader {
public:
    explicit BodyReader(QJsonObject body, QJsonArray location = {u"body"_s})
        : m_body(std::move(body))
        , m_location(std::move(location)) {}

    QString requiredString(const QString& name) {
        if (isUnset(name)) {
            fail(u"missing"_s, name, u"Field required"_s);
            return {};
        }
        return string(name).value_or(QString());
    }

    std::optional<QString> string(const QString& name) {
        if (isUnset(name))
            return std::nullopt;
        if (!value(name).isString()) {
            fail(u"string_type"_s, name, u"Input should be a valid string"_s);
            return std::nullopt;
        }
        return value(name).toString();
    }

    // Absent: not set. null: set to "none".
    std::optional<std::optional<QString>> nullableString(const QString& name) {
        if (value(name).isNull())
            return std::optional<QString>();
        if (const std::optional<QString> text = string(name))
            return text;
        return std::nullopt;
    }

    std::optional<QStringList> stringList(const QString& name) {
        if (isUnset(name))
            return std::nullopt;
        if (!value(name).isArray()) {
            fail(u"list_type"_s, name, u"Input should be a valid list"_s);
            return std::nullopt;
        }
        QStringList list;
        for (const QJsonValue& item : value(name).toArray()) {
            if (!item.isString()) {
                fail(u"string_type"_s, name, u"Input should be a valid string"_s);
                return std::nullopt;
            }
            list.append(item.toString());
        }
        return list;
    }

    std::optional<StringMap> stringMap(const QString& name) {
        if (isUnset(name))
            return std::nullopt;
        StringMap map;
        const QJsonObject object = value(name).toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (!it.value().isString())
                break;
            map.insert(it.key(), it.value().toString());
        }
        if (!value(name).isObject() || map.size() != object.size()) {
            fail(u"dict_type"_s, name, u"Input should be a valid dictionary"_s);
            return std::nullopt;
        }
        return map;
    }

    std::optional<bool> boolean(const QString& name) {
        if (isUnset(name))
            return std::nullopt;
        if (!value(name).isBool()) {
            fail(u"bool_type"_s, name, u"Input should be a valid boolean"_s);
            return std::nullopt;
        }
        return value(name).toBool();
    }

    // A number or an integer, kept as the JSON value so the budget table answers it unchanged.
    std::optional<QJsonValue> number(const QString& name, bool integerOnly = false) {
        if (isUnset(name))
            return std::nullopt;
        const QJsonValue v = value(name);
        if (!v.isDouble() || (integerOnly && v.toDouble() != double(v.toInteger()))) {
            fail(integerOnly ? u"int_type"_s : u"float_type"_s, name,
                 integerOnly ? u"Input should be a valid integer"_s
                             : u"Input should be a valid number"_s);
            return std::nullopt;
        }
        return v;
    }

    std::optional<QString> role(const QString& name, bool required) {
        if (isUnset(name)) {
            if (required)
                fail(u"missing"_s, name, u"Field required"_s);
            return std::nullopt;
        }
        const QString text = value(name).toString();
        if (text != "admin"_L1 && text != "user"_L1) {
            fail(u"literal_error"_s, name, u"Input should be 'admin' or 'user'"_s);
            return std::nullopt;
        }
        return text;
    }

    // pydantic's model validator of Member and TeamMemberDeleteRequest.
    void requireUserIdOrEmail() {
        if (isUnset(u"user_id"_s) && isUnset(u"user_email"_s)) {
            m_issues.append(fakejson::validationIssue(
                u"value_error"_s, m_location,
                u"Value error, Either user id or user_email must be provided"_s, m_body));
        }
    }

    QJsonValue value(const QString& name) const { return m_body.value(name); }
    bool isUnset(const QString& name) const {
        return m_body.value(name).isUndefined() || m_body.value(name).isNull();
    }
    const QJsonArray& issues() const { return m_issues; }
    void addIssues(const QJsonArray& issues) {
        for (const QJsonValue& issue : issues)
            m_issues.append(issue);
    }
    std::optional<FakeReply> error() const {
        if (m_issues.isEmpty())
            return std::nullopt;
        return FakeReply{422, fakejson::validationError(m_issues)};
    }

    // pydantic's extra="forbid": every field not in `allowed` is one issue.
    void forbidExtra(const QStringList& allowed) {
        for (auto it = m_body.constBegin(); it != m_body.constEnd(); ++it) {
            if (!allowed.contains(it.key()))
                fail(u"extra_forbidden"_s, it.key(), u"Extra inputs are not permitted"_s);
        }
    }

    // Sent as null: a merge-patch clears the field.
    bool isNull(const QString& name) const { return m_body.value(name).isNull(); }
    bool has(const QString& name) const { return m_body.contains(name); }
    void addIssue(const QJsonObject& issue) { m_issues.append(issue); }
    const QJsonArray& location() const { return m_location; }

private:
    void fail(const QString& type, const QString& name, const QString& message) {
        QJsonArray location = m_location;
        location.append(name);
        const QJsonValue input =
            value(name).isUndefined() ? QJsonValue(QJsonValue::Null) : value(name);
        m_issues.append(fakejson::validationIssue(type, location, message, input));
    }

    QJsonObject m_body;
    QJsonArray m_location;
    QJsonArray m_issues;
};

// The budget columns a /team/member_update or bulk_update row sets, merge-patch style: every
// field sent, null included (max_budget_in_team is the max_budget column). FakeLiteLLMBulk.cpp.
QJsonObject memberBudgetPatch(const QJsonObject& body);

} // namespace litescope::test
