#pragma once

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace litescope {

// The columns a LiteLLM database has, read from information_schema when a store connects.
// LiteLLM's schema moves with every release, so nothing is assumed: reads select the columns
// that exist (a missing optional column reads as NULL), and writes that need a column the
// database lacks are refused with a message naming the LiteLLM version that added it.
class PgSchema {
public:
    void addColumn(const QString& table, const QString& column) { m_columns[table].insert(column); }

    QStringList columnsOf(const QString& table) const {
        QStringList columns(m_columns.value(table).cbegin(), m_columns.value(table).cend());
        columns.sort();
        return columns;
    }

    QStringList tablesWith(const QString& column) const {
        QStringList tables;
        for (auto it = m_columns.cbegin(); it != m_columns.cend(); ++it)
            if (it.value().contains(column))
                tables.append(it.key());
        tables.sort();
        return tables;
    }

    bool hasTable(const QString& table) const { return m_columns.contains(table); }
    bool has(const QString& table, const QString& column) const {
        return m_columns.value(table).contains(column);
    }

    // BudgetTable.allowed_models and TeamTable.default_team_member_models: LiteLLM v1.83.14+.
    bool memberScopes() const {
        return has(QStringLiteral("LiteLLM_BudgetTable"), QStringLiteral("allowed_models")) &&
               has(QStringLiteral("LiteLLM_TeamTable"),
                   QStringLiteral("default_team_member_models"));
    }
    bool accessGroups() const { return hasTable(QStringLiteral("LiteLLM_AccessGroupTable")); }
    bool projects() const { return hasTable(QStringLiteral("LiteLLM_ProjectTable")); }
    bool auditLog() const { return hasTable(QStringLiteral("LiteLLM_AuditLog")); }

    // `"column"` when the table has it, else `NULL::type`, for SELECT lists that work on every
    // schema level.
    QString columnOr(const QString& table, const QString& column, const QString& type,
                     const QString& alias = {}) const;

private:
    QHash<QString, QSet<QString>> m_columns;
};

} // namespace litescope
