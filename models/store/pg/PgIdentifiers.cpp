#include "store/pg/PgIdentifiers.h"

#include "store/pg/PgSession.h"

#include <QCoreApplication>
#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace litescope::pg {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("PgStore", text);
}

QStringList column(const pqxx::result& rows) {
    QStringList values;
    for (const pqxx::row& row : rows)
        values.append(fromField(row[0]));
    return values;
}

} // namespace

Result<QString> resolveTeam(pqxx::transaction_base& txn, const QString& idOrAlias) {
    if (idOrAlias.isEmpty())
        return Error::invalid(tr("Name a team: its team id or alias."));
    const std::string text = toStd(idOrAlias);
    if (!txn.exec_params("SELECT 1 FROM \"LiteLLM_TeamTable\" WHERE team_id = $1", text).empty())
        return idOrAlias;
    const QStringList ids = column(txn.exec_params(
        "SELECT team_id FROM \"LiteLLM_TeamTable\" WHERE team_alias = $1 ORDER BY team_id LIMIT 11",
        text));
    if (ids.size() == 1)
        return ids.front();
    if (ids.isEmpty())
        return Error::notFound(tr("No team with id or alias \"%1\".").arg(idOrAlias));
    return Error::invalid(tr("The alias \"%1\" names several teams (%2); give the team id.")
                              .arg(idOrAlias, ids.join(u", "_s)));
}

Result<std::optional<QString>> resolveUser(pqxx::transaction_base& txn, const QString& idOrEmail) {
    if (idOrEmail.isEmpty())
        return Error::invalid(tr("Name a user: a user id or email."));
    const std::string text = toStd(idOrEmail);
    if (!txn.exec_params("SELECT 1 FROM \"LiteLLM_UserTable\" WHERE user_id = $1", text).empty())
        return std::optional<QString>(idOrEmail);
    const QStringList ids = column(txn.exec_params(
        "SELECT user_id FROM \"LiteLLM_UserTable\" WHERE lower(user_email) = lower($1) "
        "ORDER BY user_id LIMIT 11",
        text));
    if (ids.size() > 1)
        return Error::invalid(
            tr("The email \"%1\" belongs to several users (%2); give the user id.")
                .arg(idOrEmail, ids.join(u", "_s)));
    if (ids.size() == 1)
        return std::optional<QString>(ids.front());
    return std::optional<QString>();
}

Result<QString> resolveKey(pqxx::transaction_base& txn, const QString& key) {
    if (key.isEmpty())
        return Error::invalid(tr("Name a key: its token hash, key alias or the raw key."));
    const QString hashed = QString::fromLatin1(
        QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex());
    const pqxx::result rows = txn.exec_params(
        "SELECT token, 0 FROM \"LiteLLM_VerificationToken\" WHERE token = $1 "
        "UNION ALL SELECT token, 1 FROM \"LiteLLM_VerificationToken\" WHERE key_alias = $1 "
        "UNION ALL SELECT token, 2 FROM \"LiteLLM_VerificationToken\" WHERE token = $2 "
        "ORDER BY 2, 1 LIMIT 11",
        toStd(key), toStd(hashed));
    if (rows.empty())
        return Error::notFound(tr("No key with token, alias or raw key \"%1\".")
                                   .arg(key.startsWith(u"sk-"_s) ? u"sk-…"_s : key));
    if (rows.size() > 1 && rows[0][1].as<int>() == 1 && rows[1][1].as<int>() == 1)
        return Error::invalid(
            tr("The key alias \"%1\" names several keys; give the token hash.").arg(key));
    return fromField(rows[0][0]);
}

} // namespace litescope::pg
