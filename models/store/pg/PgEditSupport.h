#pragma once

#include <QString>

namespace litescope::pg {

// SQL pieces shared by the edit writers (PgEditRows.cpp, PgWriter.cpp).

// SQL that turns parameter $n (a JSON array of strings) into a text[] in the original order.
QString textArrayFromJson(int parameter);
// "timezone('UTC', now())": LiteLLM stores UTC timestamps without a time zone.
QString nowUtc();

} // namespace litescope::pg
