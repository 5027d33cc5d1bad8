#include "store/pg/PgSession.h"

#include "domain/TranslationContexts.h"

#include <QCoreApplication>
#include <QStringDecoder>

#include <cstring>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

// libpq messages end with newlines and sometimes repeat "ERROR:"; keep the first useful line.
QString firstLine(const char* what) {
    QString text = QString::fromUtf8(what).trimmed();
    const qsizetype newline = text.indexOf(u'\n');
    if (newline >= 0)
        text.truncate(newline);
    if (text.startsWith(u"ERROR:"_s))
        text = text.mid(6).trimmed();
    return text;
}

} // namespace

QString fromUtf8Exact(const char* data, qsizetype size) {
    // QString::fromUtf8 drops a leading byte-order mark; a model name may start with one.
    if (size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        QStringDecoder decoder(QStringDecoder::Utf8, QStringConverter::Flag::ConvertInitialBom);
        return decoder.decode(QByteArrayView(data, size));
    }
    return QString::fromUtf8(data, size);
}

std::string toStd(const QString& text) {
    return text.toStdString();
}

QString fromStd(const std::string& text) {
    return fromUtf8Exact(text.data(), qsizetype(text.size()));
}

QString fromField(const pqxx::field& field) {
    return field.is_null() ? QString() : fromUtf8Exact(field.c_str(), qsizetype(field.size()));
}

QString PgSession::said(const std::exception& e) const {
    return m_options.withoutPassword(firstLine(e.what()));
}

PgSession::PgSession(PgConnectionOptions options)
    : m_options(std::move(options)) {
    Result<QString> name = m_options.displayName();
    m_displayName = name ? *name : PgText::tr("(invalid connection string)");
}

Status PgSession::ensureConnected() {
    if (m_connection && m_connection->is_open())
        return Done{};
    m_connection.reset();
    if (Result<QString> name = m_options.displayName(); !name)
        return name.error();
    try {
        auto connection = std::make_unique<pqxx::connection>(toStd(m_options.connectionString));
        {
            pqxx::nontransaction session(*connection);
            session.exec("SET application_name = 'litescope'");
            if (m_options.readOnly) {
                // Enforced by the server too: a read-only session cannot commit a write even if a
                // code path forgot to check.
                session.exec("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
                session.exec("SET default_transaction_read_only = on");
            }
        }
        detectSchema(*connection);
        m_release = pg::detectRelease(*connection, m_schema);
        m_connection = std::move(connection);
        return Done{};
    } catch (const pqxx::broken_connection& e) {
        return Error{
            ErrorKind::ConnectionLost,
            PgText::tr("Could not connect to the database %1: %2. Check the host, port, database "
                       "name and credentials (PGPASSWORD or ~/.pgpass).")
                .arg(m_displayName, said(e))};
    } catch (...) {
        return failure(std::current_exception());
    }
}

void PgSession::detectSchema(pqxx::connection& connection) {
    pqxx::nontransaction query(connection);
    const pqxx::result rows =
        query.exec("SELECT table_name, column_name FROM information_schema.columns "
                   "WHERE table_schema = current_schema() AND table_name LIKE 'LiteLLM\\_%'");
    PgSchema schema;
    for (const pqxx::row& row : rows)
        schema.addColumn(fromField(row[0]), fromField(row[1]));
    m_schema = std::move(schema);
}

void PgSession::checkUsable() {
    if (!m_connection)
        return;
    try {
        pqxx::nontransaction probe(*m_connection);
        probe.exec("SELECT 1");
    } catch (...) {
        m_connection.reset();
    }
}

Error PgSession::failure(std::exception_ptr exception, bool cancelled) {
    if (cancelled) {
        // Whatever the interrupted statement reported (query_canceled, a pipeline cut short),
        // the caller asked for it. The transaction rolled back as the exception left it.
        checkUsable();
        return CallOptions::cancelledError();
    }
    try {
        std::rethrow_exception(exception);
    } catch (const PgCancelled&) {
        return CallOptions::cancelledError();
    } catch (const pqxx::broken_connection& e) {
        m_connection.reset();
        return {ErrorKind::ConnectionLost,
                PgText::tr("Lost the connection to the database %1: %2. Nothing was changed by the "
                           "interrupted operation; the next one reconnects.")
                    .arg(m_displayName, said(e))};
    } catch (const pqxx::sql_error& e) {
        const std::string& state = e.sqlstate();
        if (state == "25006")
            return {ErrorKind::PermissionDenied,
                    PgText::tr("The connection to %1 is read-only; nothing was written.")
                        .arg(m_displayName)};
        if (state == "42501")
            return {ErrorKind::PermissionDenied,
                    PgText::tr("The database user may not do this on %1: %2")
                        .arg(m_displayName, said(e))};
        if (state == "57014") {
            // query_canceled, but not by this call: statement_timeout, or an administrator's
            // pg_cancel_backend. The connection is fine.
            return {ErrorKind::ServerError,
                    PgText::tr(
                        "The database %1 cancelled the statement: %2. Nothing was written. Check "
                        "statement_timeout for the litescope user, or whether an administrator "
                        "cancelled it.")
                        .arg(m_displayName, said(e))};
        }
        if (state.rfind("57P", 0) == 0 || state.rfind("08", 0) == 0) {
            // terminated by an administrator, server shutting down, connection failure
            m_connection.reset();
            return {
                ErrorKind::ConnectionLost,
                PgText::tr("Lost the connection to the database %1: %2. Nothing was changed by the "
                           "interrupted operation; the next one reconnects.")
                    .arg(m_displayName, said(e))};
        }
        if (state == "40001" || state == "40P01")
            return {ErrorKind::Conflict,
                    PgText::tr("Another client changed the same rows at the same time; nothing was "
                               "written. Reload and try again.")};
        if (state == "42P01" || state == "42703")
            return {
                ErrorKind::Unsupported,
                PgText::tr("The database %1 does not have the LiteLLM tables or columns litescope "
                           "needs: %2")
                    .arg(m_displayName, said(e))};
        return {ErrorKind::InvalidInput,
                PgText::tr("The database refused the operation: %1").arg(said(e))};
    } catch (const pqxx::failure& e) {
        // libpqxx reports some lost connections as plain failures.
        if (!m_connection || !m_connection->is_open()) {
            m_connection.reset();
            return {ErrorKind::ConnectionLost,
                    PgText::tr("Lost the connection to the database %1: %2")
                        .arg(m_displayName, said(e))};
        }
        return {ErrorKind::InvalidInput, PgText::tr("Database error: %1").arg(said(e))};
    } catch (const std::exception& e) {
        return {ErrorKind::InvalidInput, PgText::tr("Database error: %1").arg(said(e))};
    }
}

} // namespace litescope
