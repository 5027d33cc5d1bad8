#include "ApiKeyPrompt.h"

#include "CliText.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace litescope::cli {

Result<QString> apiKeyFromEnvironment(const QString& variable) {
    if (variable.isEmpty())
        return Error::invalid(CliText::tr("--api-key-env needs a name."));
    const QByteArray value = qgetenv(variable.toLocal8Bit().constData());
    if (value.trimmed().isEmpty())
        return Error{ErrorKind::PermissionDenied,
                     CliText::tr("The environment variable %1 is not set or empty; export the "
                                 "proxy's master key in it (export %1=sk-...).")
                         .arg(variable)};
    return QString::fromUtf8(value.trimmed());
}

Result<QString> promptForApiKey(const QString& proxy) {
    const int terminal = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (terminal < 0)
        return Error{ErrorKind::PermissionDenied,
                     CliText::tr("No API key: give --api-key-env NAME (there is no terminal to "
                                 "ask on).")};
    // Echo goes off before the question appears, so nothing typed after it is ever shown.
    termios saved{};
    const bool canHide = ::tcgetattr(terminal, &saved) == 0;
    if (canHide) {
        termios hidden = saved;
        hidden.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(terminal, TCSAFLUSH, &hidden);
    }
    const QByteArray question = CliText::tr("API key for %1: ").arg(proxy).toLocal8Bit();
    [[maybe_unused]] const ssize_t shown =
        ::write(terminal, question.constData(), static_cast<size_t>(question.size()));
    QByteArray key;
    char c = 0;
    while (::read(terminal, &c, 1) == 1 && c != '\n' && c != '\r')
        key.append(c);
    if (canHide)
        ::tcsetattr(terminal, TCSAFLUSH, &saved);
    [[maybe_unused]] const ssize_t newline = ::write(terminal, "\n", 1);
    ::close(terminal);
    if (key.trimmed().isEmpty())
        return Error{ErrorKind::PermissionDenied, CliText::tr("No API key was entered.")};
    return QString::fromUtf8(key.trimmed());
}

} // namespace litescope::cli
