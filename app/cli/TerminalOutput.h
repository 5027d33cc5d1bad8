#pragma once

#include <QByteArray>
#include <QIODevice>

#include <cstdio>

namespace litescope::cli {

// Standard output or error as the CLI writes it. Every command's text passes through here, so a
// hidden character (an ANSI escape, C1 control, bidi override; see domain/DisplayText.h) that
// some message let through from a name, a server reply or a file still reaches the terminal
// only as a \uXXXX escape. Newlines and tabs pass: names are escaped where they are put into a
// sentence, so a newline here is the CLI's own. JSON output is unchanged in meaning: hidden
// characters can only occur inside its strings, where \uXXXX is the same character. Text that
// needs no escaping (every JSON decision line) is checked byte by byte and written as it is.
class TerminalOutput final : public QIODevice {
public:
    explicit TerminalOutput(std::FILE* stream);

    bool isSequential() const override { return true; }

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char* data, qint64 size) override;

private:
    std::FILE* m_stream;
    QByteArray m_unfinished; // the first bytes of a character split between two writes
};

} // namespace litescope::cli
