#include "store/pg/PgConninfo.h"

#include "domain/TranslationContexts.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <libpq-fe.h>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace litescope::pg {

namespace {

// The setting names libpq knows, from libpq itself: its list changes between releases.
QSet<QString> knownSettings() {
    QSet<QString> names;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse("", nullptr), &PQconninfoFree);
    for (PQconninfoOption* option = options.get(); option && option->keyword; ++option)
        names.insert(QString::fromUtf8(option->keyword));
    return names;
}

std::optional<QString> uriReason(const QString& text) {
    if (text.contains(QRegularExpression(u"%(?![0-9A-Fa-f]{2})"_s)))
        return PgText::tr("a % in the URI does not start a percent-encoded byte (write a % "
                          "itself as %25)");
    if (text.contains(u"%00"_s))
        return PgText::tr("the URI holds a percent-encoded zero byte (%00)");
    const qsizetype open = text.indexOf(u'[');
    if (open >= 0) {
        const qsizetype close = text.indexOf(u']', open);
        if (close < 0 || close == open + 1)
            return PgText::tr("an IPv6 address in the URI is not a non-empty [address]");
    }
    const qsizetype question = text.indexOf(u'?');
    if (question < 0)
        return std::nullopt;
    const QSet<QString> known = knownSettings();
    const QStringList parameters = text.mid(question + 1).split(u'&');
    for (qsizetype i = 0; i < parameters.size(); ++i) {
        const qsizetype equals = parameters.at(i).count(u'=');
        if (equals == 0)
            return PgText::tr("query parameter %1 of the URI has no \"=\" (write ?name=value)")
                .arg(i + 1);
        if (equals > 1)
            return PgText::tr("query parameter %1 of the URI has a second \"=\" (percent-encode it "
                              "as %2)")
                .arg(QString::number(i + 1), u"%3D"_s);
        const QString name =
            QUrl::fromPercentEncoding(parameters.at(i).section(u'=', 0, 0).toUtf8());
        if (name != u"ssl"_s && !known.contains(name))
            return PgText::tr("query parameter %1 of the URI is not a libpq setting (check its "
                              "spelling)")
                .arg(i + 1);
    }
    return std::nullopt;
}

// libpq's key=value grammar (conninfo_parse): name, optional blanks, '=', optional blanks, then a
// value that is either single-quoted or runs to the next blank; a backslash escapes the next
// character in both.
std::optional<QString> keyValueReason(const QString& text) {
    const QSet<QString> known = knownSettings();
    qsizetype at = 0;
    const qsizetype end = text.size();
    for (int setting = 1;; ++setting) {
        while (at < end && text.at(at).isSpace())
            ++at;
        if (at >= end)
            return std::nullopt;
        const qsizetype nameStart = at;
        while (at < end && text.at(at) != u'=' && !text.at(at).isSpace())
            ++at;
        const QString name = text.mid(nameStart, at - nameStart);
        while (at < end && text.at(at).isSpace())
            ++at;
        if (at >= end || text.at(at) != u'=')
            return PgText::tr("word %1 of the key=value settings is not followed by \"=\" (write "
                              "name=value, and put a value with spaces in single quotes)")
                .arg(setting);
        ++at;
        while (at < end && text.at(at).isSpace())
            ++at;
        if (at < end && text.at(at) == u'\'') {
            ++at;
            bool closed = false;
            while (at < end && !closed) {
                if (text.at(at) == u'\\')
                    ++at;
                else if (text.at(at) == u'\'')
                    closed = true;
                ++at;
            }
            if (!closed)
                return PgText::tr("the quoted value of setting %1 is not closed with \"'\"")
                    .arg(setting);
        } else {
            while (at < end && !text.at(at).isSpace())
                at += text.at(at) == u'\\' ? 2 : 1;
        }
        if (!known.contains(name))
            return PgText::tr("setting %1 of the key=value settings is not a libpq setting (check "
                              "the spelling of the name before \"=\")")
                .arg(setting);
    }
}

} // namespace

QString unreadableReason(const QString& connectionString) {
    const QString text = connectionString.trimmed();
    if (text.startsWith(u"postgresql://"_s) || text.startsWith(u"postgres://"_s)) {
        if (std::optional<QString> reason = uriReason(text))
            return *reason;
        return PgText::tr("it is not a well-formed postgresql:// URI; in the user name and "
                          "password, percent-encode @ : / ? # [ ] and % (%40 %3A %2F %3F %23 "
                          "%5B %5D %25)");
    }
    if (text.contains(QRegularExpression(u"^[A-Za-z][A-Za-z0-9+.\\-]*:/"_s)))
        return PgText::tr("it is not a postgresql:// URI: a URI starts with postgresql:// or "
                          "postgres://, in lower case and with two slashes");
    if (text.contains(QRegularExpression(u"^[^\\s=]*@"_s)))
        return PgText::tr("it reads like a URI without its scheme: write "
                          "postgresql://user@host:port/database");
    if (!text.contains(u'='))
        return PgText::tr("it is neither a postgresql:// URI nor key=value settings (such as "
                          "\"host=db.example dbname=litellm\")");
    if (std::optional<QString> reason = keyValueReason(text))
        return *reason;
    return PgText::tr("libpq cannot read it as key=value settings (check the quoting: values "
                      "with spaces go in single quotes, a quote or backslash in a value takes a "
                      "backslash before it)");
}

bool showsPassword(const QString& connectionString) {
    static const QRegularExpression userinfo(
        u"^\\s*(?:[A-Za-z][A-Za-z0-9+.\\-]*:/{1,2})?[^\\s/@:]*:[^\\s/@]*@"_s);
    static const QRegularExpression setting(u"(?:^|\\s)password\\s*=|[?&]password="_s);
    return userinfo.match(connectionString).hasMatch() ||
           setting.match(connectionString).hasMatch();
}

QString withoutUserinfoPassword(QString value) {
    static const QRegularExpression userinfo(u"(://[^/@:\\s]*):[^/@\\s]*@"_s);
    return value.replace(userinfo, u"\\1@"_s);
}

} // namespace litescope::pg
