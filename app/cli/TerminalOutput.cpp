#include "TerminalOutput.h"

#include "domain/DisplayText.h"

namespace litescope::cli {

TerminalOutput::TerminalOutput(std::FILE* stream)
    : m_stream(stream) {
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

qint64 TerminalOutput::writeData(const char* data, qint64 size) {
    // The decoder keeps a character split between two writes until its last byte arrives.
    const QString text = m_decoder.decode(QByteArrayView(data, size));
    const QByteArray bytes = escapeHiddenCharacters(text, /*keepNewlines=*/true).toUtf8();
    if (std::fwrite(bytes.constData(), 1, bytes.size(), m_stream) !=
        static_cast<std::size_t>(bytes.size()))
        return -1;
    std::fflush(m_stream);
    return size;
}

} // namespace litescope::cli
