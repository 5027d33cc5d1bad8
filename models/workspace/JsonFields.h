#pragma once

#include "domain/Result.h"
#include "domain/StringPool.h"
#include "domain/Workspace.h"
#include "workspace/JsonDetail.h"
#include "workspace/JsonTree.h"

#include <QLatin1StringView>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

// Internal to models/workspace: typed reading of the workspace reader's trees, with errors that
// name the JSON path ("teams[3].models: expected an array").
namespace litescope::workspace::detail {

// Collects the first error in the order the parts of a workspace are read (its header, source,
// settings, ..., keys, projects), whatever order the file has them in: each part reads under its
// rank, and once a part failed its remaining reads return defaults.
class Reader {
public:
    void setRank(int rank) { m_rank = rank; }
    // The current part, or one read before it, failed.
    bool failed() const { return m_error && m_errorRank <= m_rank; }
    bool anyFailed() const { return m_error.has_value(); }
    const Error& error() const { return *m_error; }

    // An empty path: a problem of the whole document.
    void fail(const QString& path, const QString& problem) {
        if (m_error && m_errorRank <= m_rank)
            return;
        m_error = Error::invalid(path.isEmpty() ? problem : path + QStringLiteral(": ") + problem);
        m_errorRank = m_rank;
    }

    // Repeated names (model names, team and user ids, emails, roles) share one QString.
    StringPool& pool() { return m_pool; }

private:
    std::optional<Error> m_error;
    int m_errorRank = 0;
    int m_rank = 0;
    StringPool m_pool;
};

// A JSON path, spelled only when an error needs it.
struct PathPart {
    enum class Kind { Root, Field, Index, MapKey };
    const PathPart* parent = nullptr;
    Kind kind = Kind::Root;
    QLatin1StringView field;
    qsizetype index = 0;
    const QString* mapKey = nullptr;

    QString text() const {
        switch (kind) {
        case Kind::Root:
            return {};
        case Kind::Field:
            return fieldPath(parent->text(), field);
        case Kind::Index:
            return indexPath(parent->text(), index);
        case Kind::MapKey:
            return keyPath(parent->text(), *mapKey);
        }
        return {};
    }
};

// Whether a string is shared through the pool: names are, unique texts (key tokens) are not.
enum class Share { Pooled, Unique };

// The fields of one JSON object at a known path. A Fields must not outlive the one it was made
// from (its path refers to its parent's).
class Fields {
public:
    Fields(Reader& reader, JsonRef object, PathPart path)
        : m_reader(reader)
        , m_object(object)
        , m_path(path) {}

    JsonRef object() const { return m_object; }
    const PathPart& path() const { return m_path; }
    Reader& reader() const { return m_reader; }

    JsonRef value(QLatin1StringView key) const {
        return m_object.value(std::string_view(key.data(), std::size_t(key.size())));
    }
    PathPart partOf(QLatin1StringView key) const {
        return PathPart{&m_path, PathPart::Kind::Field, key, 0, nullptr};
    }
    QString pathOf(QLatin1StringView key) const { return partOf(key).text(); }

    QString string(const JsonRef& value, const PathPart& path, Share share) const {
        if (!value.isString()) {
            m_reader.fail(path.text(), QStringLiteral("expected a string"));
            return {};
        }
        return share == Share::Pooled ? value.toString(m_reader.pool()) : value.toString();
    }

    QString id(QLatin1StringView key, Share share = Share::Pooled) const {
        const JsonRef v = value(key);
        if (v.isAbsent()) {
            m_reader.fail(pathOf(key), QStringLiteral("missing required field"));
            return {};
        }
        return string(v, partOf(key), share);
    }

    QString text(QLatin1StringView key, Share share = Share::Pooled) const {
        return optionalText(key, share).value_or(QString());
    }

    std::optional<QString> optionalText(QLatin1StringView key, Share share = Share::Pooled) const {
        const JsonRef v = value(key);
        if (v.isAbsent())
            return std::nullopt;
        return string(v, partOf(key), share);
    }

    std::optional<double> optionalNumber(QLatin1StringView key) const {
        const JsonRef v = value(key);
        if (v.isAbsent())
            return std::nullopt;
        if (!v.isDouble()) {
            m_reader.fail(pathOf(key), QStringLiteral("expected a number or null"));
            return std::nullopt;
        }
        return v.toDouble();
    }

    std::optional<qint64> optionalWholeNumber(QLatin1StringView key) const {
        const std::optional<double> number = optionalNumber(key);
        if (number && (*number != std::floor(*number) || std::abs(*number) > 9.0e15)) {
            m_reader.fail(pathOf(key), QStringLiteral("expected a whole number or null"));
            return std::nullopt;
        }
        return number ? std::optional<qint64>(static_cast<qint64>(*number)) : std::nullopt;
    }

    bool flag(QLatin1StringView key) const {
        const JsonRef v = value(key);
        if (v.isAbsent())
            return false;
        if (!v.isBool())
            m_reader.fail(pathOf(key), QStringLiteral("expected true or false"));
        return v.toBool();
    }

    // The object at `key`; an absent one (undefined) when absent, null or not an object.
    JsonRef objectField(QLatin1StringView key) const {
        return objectValue(value(key), partOf(key));
    }

    JsonRef objectValue(const JsonRef& v, const PathPart& path) const {
        if (v.isAbsent())
            return {};
        if (!v.isObject()) {
            m_reader.fail(path.text(), QStringLiteral("expected an object"));
            return {};
        }
        return v;
    }

    Fields nested(QLatin1StringView key) const {
        return Fields(m_reader, objectField(key), partOf(key));
    }

    // readElement(const JsonRef&, const PathPart&) -> T
    template <typename T, typename ReadElement>
    QList<T> list(QLatin1StringView key, ReadElement readElement) const {
        QList<T> result;
        const JsonRef v = value(key);
        if (v.isAbsent())
            return result;
        if (!v.isArray()) {
            m_reader.fail(pathOf(key), QStringLiteral("expected an array"));
            return result;
        }
        result.reserve(v.count());
        const PathPart listPath = partOf(key);
        qsizetype i = 0;
        for (JsonRef element = v.firstChild(); !element.isUndefined() && !m_reader.failed();
             element = element.nextSibling(), ++i)
            result.append(
                readElement(element, PathPart{&listPath, PathPart::Kind::Index, {}, i, nullptr}));
        return result;
    }

    // readEntity(const Fields&) -> T, for lists of objects
    template <typename T, typename ReadEntity>
    QList<T> objects(QLatin1StringView key, ReadEntity readEntity) const {
        return list<T>(key, [&](const JsonRef& element, const PathPart& path) {
            return readEntity(Fields(m_reader, asObject(element, path), path));
        });
    }

    JsonRef asObject(const JsonRef& value, const PathPart& path) const {
        if (!value.isObject()) {
            m_reader.fail(path.text(), QStringLiteral("expected an object"));
            return {};
        }
        return value;
    }

    // readValue(const JsonRef&, const PathPart& path) -> T, in the order of QJsonObject's keys
    template <typename T, typename ReadValue>
    QMap<QString, T> map(QLatin1StringView key, ReadValue readValue) const {
        return mapOf<T>(objectField(key), partOf(key), readValue);
    }

    template <typename T, typename ReadValue>
    QMap<QString, T> mapOf(const JsonRef& entries, const PathPart& path,
                           ReadValue readValue) const {
        QMap<QString, T> result;
        if (entries.count() == 0)
            return result;
        std::vector<JsonRef> members;
        for (JsonRef e = entries.firstChild(); !e.isUndefined(); e = e.nextSibling())
            members.push_back(e);
        std::sort(members.begin(), members.end(),
                  [](const JsonRef& a, const JsonRef& b) { return jsonKeyLess(a.key(), b.key()); });
        for (const JsonRef& member : members) {
            if (m_reader.failed())
                break;
            const QString name = wtf8ToString(member.key());
            result.insert(name,
                          readValue(member, PathPart{&path, PathPart::Kind::MapKey, {}, 0, &name}));
        }
        return result;
    }

    QStringList strings(QLatin1StringView key, Share share = Share::Pooled) const {
        return list<QString>(key, [this, share](const JsonRef& v, const PathPart& path) {
            return string(v, path, share);
        });
    }

    StringMap stringMap(QLatin1StringView key) const {
        return map<QString>(key, [this](const JsonRef& v, const PathPart& path) {
            return string(v, path, Share::Pooled);
        });
    }

    UnknownFields extra(std::initializer_list<std::string_view> known,
                        std::initializer_list<JsonRef::Partial> partial = {}) const {
        return m_object.unknownFields(known, partial);
    }

private:
    Reader& m_reader;
    JsonRef m_object;
    PathPart m_path;
};

} // namespace litescope::workspace::detail
