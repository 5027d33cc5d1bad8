#include "TerminalOutput.h"

#include "domain/DisplayText.h"

#include <algorithm>

namespace litescope::cli {

TerminalOutput::TerminalOutput(std::FILE* stream)
    : m_stream(stream) {
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

qint64 TerminalOutput::writeData(const char* data, qint64 size) {
    const QByteArrayView chunk(data, size);
    if (chunk.isEmpty())
        return 0;
    // Most output (every decision line, every message about plain names) is printable ASCII:
    // it passes as it is, without a decode and re-encode.
    const bool plain = std::all_of(chunk.begin(), chunk.end(), [](char c) {
        return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t';
    });
    QByteArray escaped;
    QByteArrayView bytes = chunk;
    if (!plain || !m_atCharacterBoundary) {
        // The decoder keeps a character split between two writes until its last byte arrives.
        const QString text = m_decoder.decode(chunk);
        escaped = escapeHiddenCharacters(text, /*keepNewlines=*/true).toUtf8();
        bytes = escaped;
    }
    m_atCharacterBoundary = static_cast<unsigned char>(chunk.back()) < 0x80;
    if (std::fwrite(bytes.data(), 1, static_cast<std::size_t>(bytes.size()), m_stream) !=
        static_cast<std::size_t>(bytes.size()))
        return -1;
    std::fflush(m_stream);
    return size;
}

} // namespace litescope::cli
