#pragma once

#include "domain/Result.h"

#include <QString>

namespace litescope {

// How to reach a LiteLLM database. The connection string is a libpq URI
// ("postgresql://user@host:5432/litellm?sslmode=verify-full") or key/value string
// ("host=db port=5432 dbname=litellm sslmode=require"); libpq honours sslmode and the PG*
// environment variables. The password, when the string carries one, is kept only here and in
// libpq: displayName() and every message leave it out.
struct PgConnectionOptions {
    QString connectionString;
    // No write can reach the server: edits are refused before a statement is sent, and the
    // session itself is set to read-only transactions.
    bool readOnly = false;
    // Recorded as changed_by / updated_by / created_by on the rows litescope writes. LiteLLM
    // writes the acting user_id there, or "default_user_id" for the master key.
    QString actor = QStringLiteral("default_user_id");

    // "postgres@db.example:5432/litellm": where the connection points, never the password.
    // An invalid string gives an InvalidInput error that says what is wrong with it.
    Result<QString> displayName() const;
    // Whether the string carries a password (libpq's own parser, else a URI user:password@):
    // the CLI warns that the process list shows it.
    bool holdsPassword() const;
};

} // namespace litescope
