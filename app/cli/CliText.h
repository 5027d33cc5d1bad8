#pragma once

#include <QCoreApplication>

namespace litescope::cli {

// The CLI's messages, written as CliText::tr("…") so lupdate files them under the context looked
// up at run time (see models/domain/TranslationContexts.h).
class CliText {
    Q_DECLARE_TR_FUNCTIONS(litescope::Cli)
};

} // namespace litescope::cli
