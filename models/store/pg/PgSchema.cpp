#include "store/pg/PgSchema.h"

using namespace Qt::StringLiterals;

namespace litescope {

QString PgSchema::columnOr(const QString& table, const QString& column, const QString& type,
                           const QString& alias) const {
    const QString prefix = alias.isEmpty() ? QString() : alias + u'.';
    if (has(table, column))
        return prefix + u'"' + column + u'"';
    return u"NULL::"_s + type;
}

} // namespace litescope
