#pragma once

#include "domain/Result.h"

#include <QString>

namespace litescope {

// Whether a connection string carries a password. Found: libpq reads one, or a string it cannot
// read shows one by its shape (user:password@, password=). Unreadable: libpq cannot read the
// string (or its port is not a number) and its shape shows none, yet it may hold one (a bare
// password given as the whole string).
enum class PasswordCheck { None, Found, Unreadable };

// How to reach a LiteLLM database. The connection string is a libpq URI
// ("postgresql://user@host:5432/litellm?sslmode=verify-full") or key/value string
// ("host=db port=5432 dbname=litellm sslmode=require"); libpq honours sslmode and the PG*
// environment variables. The password, when the string carries one, is kept only here and in
// libpq: displayName() and every message leave it out, and no message quotes the string itself.
struct PgConnectionOptions {
    QString connectionString;
    // No write can reach the server: edits are refused before a statement is sent, and the
    // session itself is set to read-only transactions.
    bool readOnly = false;
    // Recorded as changed_by / updated_by / created_by on the rows litescope writes. LiteLLM
    // writes the acting user_id there, or "default_user_id" for the master key.
    QString actor = QStringLiteral("default_user_id");

    // "postgres@db.example:5432/litellm": where the connection points, never the password.
    // An unreadable string gives an InvalidInput error that says what is wrong with it in words
    // of our own (libpq's would quote the string).
    Result<QString> displayName() const;
    // Whether the string carries a password: the CLI warns that the process list shows it.
    PasswordCheck passwordCheck() const;
    // `message` (libpq's or the server's) with the password taken out, as it is written in the
    // string and as libpq decoded it: a safety net, since libpq messages may quote option values.
    QString withoutPassword(QString message) const;
};

} // namespace litescope
