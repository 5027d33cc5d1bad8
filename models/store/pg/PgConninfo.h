#pragma once

#include <QString>

namespace litescope::pg {

// Why libpq's parser refused a connection string, in words of our own. libpq's message quotes
// the string from where it stopped reading, which may be the password or the whole string (a
// URI without its scheme, a bare password given as --db): the reason names the problem and at
// most the position of the setting it is in, never a character of the string.
QString unreadableReason(const QString& connectionString);

// Whether a string libpq cannot read shows a password by its shape: "user:password@" (with or
// without a scheme in front), a password= setting or a ?password= query parameter.
bool showsPassword(const QString& connectionString);

// `value` (a host or database name libpq parsed) with the password of any "scheme://user:pw@"
// in it removed: a database name may itself be written as a URI.
QString withoutUserinfoPassword(QString value);

} // namespace litescope::pg
