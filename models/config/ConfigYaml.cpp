#include "config/ConfigYaml.h"

#include "domain/BoundedFile.h"
#include "domain/DisplayText.h"
#include "domain/TranslationContexts.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QStringList>

#include <optional>
#include <string>
#include <yaml-cpp/yaml.h>

using namespace Qt::StringLiterals;

namespace litescope::config {

namespace {

// LiteLLM would follow an include cycle forever; a real config never needs this many files.
constexpr int maxIncludes = 64;
// The values a file may hold beyond one per byte of its text (see Converter).
constexpr qint64 maxValuesBeyondText = 1'000'000;

// PyYAML's safe_load resolves these plain scalars (YAML 1.1); quoted ones stay strings.
const QSet<QString> trueWords{u"true"_s, u"True"_s, u"TRUE"_s, u"yes"_s, u"Yes"_s,
                              u"YES"_s,  u"on"_s,   u"On"_s,   u"ON"_s};
const QSet<QString> falseWords{u"false"_s, u"False"_s, u"FALSE"_s, u"no"_s, u"No"_s,
                               u"NO"_s,    u"off"_s,   u"Off"_s,   u"OFF"_s};
const QSet<QString> nullWords{u""_s, u"~"_s, u"null"_s, u"Null"_s, u"NULL"_s};

// YAML as JSON values, as PyYAML's safe_load reads it. PyYAML shares the node an alias (*name)
// names; a conversion copies it, so a file of a few hundred bytes whose aliases name aliases (a
// "billion laughs") would expand to billions of values: the conversion stops at a budget no
// real config comes near. A key given twice in one mapping keeps its last value, as PyYAML does,
// with a warning naming its path.
class Converter {
public:
    explicit Converter(qint64 budget)
        : m_budget(budget) {}

    // Nullopt when the budget ran out.
    std::optional<QJsonValue> convert(const YAML::Node& node) {
        QJsonValue value = toJson(node);
        if (m_budget < 0)
            return std::nullopt;
        return value;
    }
    const QStringList& duplicates() const { return m_duplicates; }

private:
    QJsonValue toJson(const YAML::Node& node) {
        if (--m_budget < 0)
            return QJsonValue(QJsonValue::Null);
        switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null:
            return QJsonValue(QJsonValue::Null);
        case YAML::NodeType::Scalar: {
            const QString text = QString::fromStdString(node.Scalar());
            if (node.Tag() != "?")
                return text; // quoted or explicitly tagged: never a boolean or null
            if (nullWords.contains(text))
                return QJsonValue(QJsonValue::Null);
            if (trueWords.contains(text))
                return true;
            if (falseWords.contains(text))
                return false;
            return text;
        }
        case YAML::NodeType::Sequence: {
            QJsonArray array;
            for (const YAML::Node& item : node) {
                m_path.append(u'[' + QString::number(array.size()) + u']');
                array.append(toJson(item));
                m_path.removeLast();
                if (m_budget < 0)
                    break;
            }
            return array;
        }
        case YAML::NodeType::Map: {
            QJsonObject object;
            for (const auto& entry : node) {
                const QString key = QString::fromStdString(entry.first.Scalar());
                m_path.append(m_path.isEmpty() ? key : u'.' + key);
                if (object.contains(key))
                    m_duplicates.append(m_path.join(QString()));
                object.insert(key, toJson(entry.second));
                m_path.removeLast();
                if (m_budget < 0)
                    break;
            }
            return object;
        }
        }
        return QJsonValue(QJsonValue::Null);
    }

    qint64 m_budget;
    QStringList m_path; // of the value being converted: "model_list", "[2]", ".litellm_params"
    QStringList m_duplicates;
};

// One YAML file as a mapping; an empty file is {} (PyYAML's None, which LiteLLM reads as {} for
// includes and refuses for the config itself).
Result<QJsonObject> readYamlFile(const QString& path, qint64 limit, bool* empty,
                                 QStringList* warnings) {
    const Result<QByteArray> read = readBoundedRegularFile(path, limit);
    if (!read && read.error().kind == ErrorKind::NotFound)
        return Error::notFound(ProxyConfigText::tr("%1: no such file").arg(path));
    if (!read)
        return read.error();
    const QByteArray& bytes = *read;
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(std::string(bytes.constData(), std::size_t(bytes.size())));
    } catch (const YAML::Exception& e) {
        return Error::invalid(ProxyConfigText::tr("%1: invalid YAML at line %2, column %3: %4")
                                  .arg(path)
                                  .arg(e.mark.line + 1)
                                  .arg(e.mark.column + 1)
                                  .arg(QString::fromStdString(e.msg)));
    }
    if (documents.size() > 1)
        return Error::invalid(
            ProxyConfigText::tr("%1: holds %2 YAML documents; LiteLLM reads a file of one")
                .arg(path)
                .arg(documents.size()));
    // A value costs at least a byte or two of text unless an alias repeats it.
    Converter converter(maxValuesBeyondText + bytes.size());
    std::optional<QJsonValue> top = QJsonValue();
    if (!documents.empty())
        top = converter.convert(documents.front());
    if (!top)
        return Error::invalid(
            ProxyConfigText::tr("%1: its aliases (*name) expand to more than %2 values; LiteLLM "
                                "configs never need that many")
                .arg(shownName(path))
                .arg(maxValuesBeyondText + bytes.size()));
    for (const QString& key : converter.duplicates())
        warnings->append(
            ProxyConfigText::tr("%1: %2: given twice in one mapping; LiteLLM uses the last value")
                .arg(shownName(path), escapeHiddenCharacters(key)));
    *empty = top->isNull() || top->isUndefined();
    if (*empty)
        return QJsonObject();
    if (!top->isObject())
        return Error::invalid(ProxyConfigText::tr("%1: expected a mapping of sections (model_list, "
                                                  "litellm_settings, ...) at the top")
                                  .arg(path));
    return top->toObject();
}

Error notAList(const QString& file, const QString& key) {
    return Error::invalid(ProxyConfigText::tr("%1: %2: expected a list").arg(file, key));
}

// LiteLLM's rule for one file's keys: a list is appended to a list already there, anything else
// replaces what was there.
Status mergeInto(ConfigDocument& document, const QJsonObject& object, const QString& file) {
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        TopLevel& top = document.keys[it.key()];
        const bool existed = top.isList || !top.value.file.isEmpty();
        if (it.value().isArray() && existed && !top.isList)
            return notAList(top.value.file, it.key());
        if (!it.value().isArray() || !existed) {
            top = TopLevel{};
            top.isList = it.value().isArray();
            if (!top.isList)
                top.value = Located{it.value(), file, it.key()};
        }
        if (top.isList) {
            const QJsonArray items = it.value().toArray();
            for (qsizetype i = 0; i < items.size(); ++i)
                top.entries.append(Located{items.at(i), file, u"%1[%2]"_s.arg(it.key()).arg(i)});
        }
    }
    return Done{};
}

} // namespace

// Follows ProxyConfig._get_config_from_file and _process_includes of LiteLLM's
// litellm/proxy/proxy_server.py (the stored 477 k-character version, class ProxyConfig):
//   config = yaml.safe_load(file); if config is None: raise "Config cannot be None or Empty."
//   base_dir = os.path.dirname(os.path.abspath(file_path))
//   if not isinstance(config["include"], list): raise "'include' must be a list of file paths"
//   for include_file in config["include"]:
//       file_path = os.path.join(base_dir, include_file)   # relative to the main config
//       if not os.path.exists(file_path): raise FileNotFoundError(...)
//       for key, value in (yaml.safe_load(file) or {}).items():
//           if isinstance(value, list) and key in config: config[key].extend(value)
//           else: config[key] = value
//   del config["include"]
// An included file's own include list extends the list being walked, so nested includes are
// followed, still relative to the main config's folder; a non-list one replaces the key without
// being followed.
Result<ConfigDocument> loadConfigDocument(const QString& path, qint64 limit) {
    bool empty = false;
    ConfigDocument document;
    Result<QJsonObject> main = readYamlFile(path, limit, &empty, &document.warnings);
    if (!main)
        return main.error();
    if (empty)
        return Error::invalid(
            ProxyConfigText::tr("%1: the config is empty (LiteLLM refuses an empty config)")
                .arg(path));
    document.files.append(path);
    if (Status merged = mergeInto(document, *main, path); !merged)
        return merged.error();
    if (!document.keys.contains(u"include"_s))
        return document;
    const TopLevel& include = document.keys.value(u"include"_s);
    if (!include.isList)
        return Error::invalid(
            ProxyConfigText::tr("%1: include: expected a list of file paths").arg(path));
    const QDir base = QFileInfo(path).absoluteDir();
    for (qsizetype i = 0; i < document.keys.value(u"include"_s).entries.size(); ++i) {
        const Located entry = document.keys.value(u"include"_s).entries.at(i);
        if (!entry.value.isString() || entry.value.toString().isEmpty())
            return Error::invalid(ProxyConfigText::tr("%1: %2: expected a file path")
                                      .arg(shownName(entry.file), entry.path));
        if (i >= maxIncludes)
            return Error::invalid(
                ProxyConfigText::tr("%1: more than %2 includes; do the files include each "
                                    "other?")
                    .arg(path)
                    .arg(maxIncludes));
        const QString file = QDir::cleanPath(base.filePath(entry.value.toString()));
        Result<QJsonObject> included = readYamlFile(file, limit, &empty, &document.warnings);
        if (!included) {
            if (included.error().kind == ErrorKind::NotFound)
                return Error::notFound(
                    ProxyConfigText::tr("%1: %2: the included file %3 does not exist")
                        .arg(shownName(entry.file), entry.path, shownName(file)));
            return included.error();
        }
        document.files.append(file);
        QJsonObject keys = *included;
        // A nested include that is not a list replaces the list in LiteLLM without being read;
        // keeping the list here walks the same files.
        if (keys.contains(u"include"_s) && !keys.value(u"include"_s).isArray())
            keys.remove(u"include"_s);
        if (Status merged = mergeInto(document, keys, file); !merged)
            return merged.error();
    }
    document.keys.remove(u"include"_s);
    return document;
}

} // namespace litescope::config
