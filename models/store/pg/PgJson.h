#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <optional>
#include <pqxx/pqxx>

namespace litescope::pg {

// Values come out of PostgreSQL as JSON text (array_to_json(col)::text, jsonb::text) so that
// text arrays are never split by hand: libpqxx 6's array parser breaks on ';'. These read them.

// A text[] selected as array_to_json(col)::text. NULL (LiteLLM leaves many arrays NULL) reads as
// an empty list; NULL elements are dropped.
QStringList stringList(const pqxx::field& field);
// A jsonb column selected as col::text. NULL reads as an undefined value. Older LiteLLM rows may
// hold JSON text inside a JSON string (double-encoded); that is decoded too.
QJsonValue json(const pqxx::field& field);
QJsonObject jsonObject(const pqxx::field& field);
// Any JSON text through Qt's parser (a raw U+FEFF inside a string kept); undefined if invalid.
QJsonValue parseJson(QByteArray text);
std::optional<QString> optionalText(const pqxx::field& field);
std::optional<double> optionalDouble(const pqxx::field& field);
std::optional<qint64> optionalInteger(const pqxx::field& field);
bool flag(const pqxx::field& field); // NULL = false

// Parameters: lists and nullable values travel as JSON text and are unpacked in SQL
// (jsonb_array_elements_text … WITH ORDINALITY; `$n::jsonb #>> '{}'`), which round-trips quotes,
// commas, braces, backslashes, "NULL" and any unicode.
std::string jsonText(const QJsonValue& value);
std::string jsonList(const QStringList& list);

} // namespace litescope::pg
