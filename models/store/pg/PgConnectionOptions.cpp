#include "store/pg/PgConnectionOptions.h"

#include "domain/TranslationContexts.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <libpq-fe.h>
#include <memory>

using namespace Qt::StringLiterals;

namespace litescope {

Result<QString> PgConnectionOptions::displayName() const {
    char* error = nullptr;
    const QByteArray text = connectionString.toUtf8();
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(text.constData(), &error), &PQconninfoFree);
    if (!options) {
        // libpq's message quotes the offending part; it never echoes a password value.
        QString reason = error ? QString::fromUtf8(error).trimmed() : u"out of memory"_s;
        PQfreemem(error);
        // libpq quotes the offending token, which may be (part of) the password.
        if (holdsPassword())
            reason =
                PgText::tr("check its quoting and percent-encoding (details withheld: the string "
                           "holds a password)");
        return Error::invalid(
            PgText::tr("The database connection string is not valid: %1").arg(reason));
    }
    QString host, port, database, user;
    for (PQconninfoOption* option = options.get(); option->keyword; ++option) {
        if (!option->val)
            continue;
        const QString value = QString::fromUtf8(option->val);
        const QByteArray keyword(option->keyword);
        if (keyword == "host" || (keyword == "hostaddr" && host.isEmpty()))
            host = value;
        else if (keyword == "port")
            port = value;
        else if (keyword == "dbname")
            database = value;
        else if (keyword == "user")
            user = value;
    }
    QString name;
    if (!user.isEmpty())
        name += user + u'@';
    name += host.isEmpty() ? u"localhost"_s : host;
    if (!port.isEmpty())
        name += u':' + port;
    if (!database.isEmpty())
        name += u'/' + database;
    return name;
}

bool PgConnectionOptions::holdsPassword() const {
    const QByteArray text = connectionString.toUtf8();
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(text.constData(), nullptr), &PQconninfoFree);
    if (options) {
        for (PQconninfoOption* option = options.get(); option->keyword; ++option)
            if (QByteArray(option->keyword) == "password" && option->val && *option->val)
                return true;
        return false;
    }
    // Unparsable: judge by its shape, erring on the side of a warning.
    return connectionString.contains(u"password"_s, Qt::CaseInsensitive) ||
           connectionString.contains(QRegularExpression(u"://[^/@]*:[^/@]*@"_s));
}

} // namespace litescope
