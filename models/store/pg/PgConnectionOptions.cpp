#include "store/pg/PgConnectionOptions.h"

#include "domain/Redaction.h"
#include "domain/TranslationContexts.h"
#include "store/pg/PgConninfo.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <libpq-fe.h>
#include <memory>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

using Options = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;

// libpq's reading of the string; null when it cannot read it. Its error message is dropped
// unread: it quotes the string.
Options parse(const QString& connectionString) {
    const QByteArray text = connectionString.toUtf8();
    char* error = nullptr;
    Options options(PQconninfoParse(text.constData(), &error), &PQconninfoFree);
    PQfreemem(error);
    return options;
}

QString value(const Options& options, const char* keyword) {
    for (PQconninfoOption* option = options.get(); option->keyword; ++option)
        if (qstrcmp(option->keyword, keyword) == 0 && option->val)
            return QString::fromUtf8(option->val);
    return {};
}

// libpq takes a comma-separated list of ports, one per host. Anything else would only fail on
// connecting, with a message that quotes it, and a password typed in the wrong place (a URI
// missing its host: postgresql://user:password/db) lands here.
bool portsAreNumbers(const QString& ports) {
    static const QRegularExpression number(u"^\\s*[0-9]*\\s*$"_s);
    for (const QString& port : ports.split(u','))
        if (!number.match(port).hasMatch())
            return false;
    return true;
}

// "user@host:port/database", as libpq read them.
QString pointsAt(const Options& options) {
    QString host = value(options, "host");
    if (host.isEmpty())
        host = value(options, "hostaddr");
    const QString port = value(options, "port");
    const QString database = value(options, "dbname");
    const QString user = value(options, "user");
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

} // namespace

Result<QString> PgConnectionOptions::displayName() const {
    const Options options = parse(connectionString);
    if (!options)
        return Error::invalid(PgText::tr("The database connection string is not valid: %1")
                                  .arg(pg::unreadableReason(connectionString)));
    if (!portsAreNumbers(value(options, "port")))
        return Error::invalid(PgText::tr("The database connection string is not valid: its port "
                                         "is not a number"));
    return pg::withoutUserinfoPassword(pointsAt(options));
}

PasswordCheck PgConnectionOptions::passwordCheck() const {
    const Options options = parse(connectionString);
    if (!options || !portsAreNumbers(value(options, "port")))
        return pg::showsPassword(connectionString) ? PasswordCheck::Found
                                                   : PasswordCheck::Unreadable;
    if (!value(options, "password").isEmpty())
        return PasswordCheck::Found;
    // A database name written as a URI with user:password@ in it.
    for (const char* keyword : {"dbname", "host", "user"}) {
        const QString text = value(options, keyword);
        if (pg::withoutUserinfoPassword(text) != text)
            return PasswordCheck::Found;
    }
    return PasswordCheck::None;
}

QString PgConnectionOptions::withoutPassword(QString message) const {
    // The string as a whole first, so that a message quoting all of it loses it in one piece.
    message =
        withoutSecret(std::move(message), connectionString, PgText::tr("[the connection string]"));
    const Options options = parse(connectionString);
    QStringList passwords;
    if (options)
        passwords.append(value(options, "password"));
    // As written in a URI (user:password@, ?password=), before libpq decoded it.
    static const QRegularExpression written(
        u"://[^/@:\\s]*:([^/@\\s]*)@|[?&]password=([^&\\s]*)"_s);
    for (const QRegularExpressionMatch& match : written.globalMatch(connectionString))
        passwords << match.captured(1) << match.captured(2);
    // A password that is (part of) the user, host or database name is shown with them anyway:
    // marking it there would only point it out ("postgres" as both user and password).
    const QString shown = options ? pg::withoutUserinfoPassword(pointsAt(options)) : QString();
    passwords.removeDuplicates();
    // Longest first: a written form before the decoded password it contains.
    std::sort(passwords.begin(), passwords.end(),
              [](const QString& a, const QString& b) { return a.size() > b.size(); });
    for (const QString& password : std::as_const(passwords))
        if (!password.isEmpty() && !shown.contains(password))
            message = withoutSecret(std::move(message), password, PgText::tr("[the password]"));
    return message;
}

} // namespace litescope
