#include "store/pg/PgEditSupport.h"

#include "store/pg/PgJson.h"
#include "store/pg/PgSession.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>

using namespace Qt::StringLiterals;

namespace litescope::pg {

QString textArrayFromJson(int parameter) {
    return u"ARRAY(SELECT e.value FROM jsonb_array_elements_text($%1::jsonb) WITH ORDINALITY "
           "AS e(value, n) ORDER BY e.n)"_s.arg(parameter);
}

QString nowUtc() {
    return u"timezone('UTC', now())"_s;
}

} // namespace litescope::pg
