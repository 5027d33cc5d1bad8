#pragma once

// Paths that must never be read as files (issue 11, runaway reads): devices that never end, a
// FIFO no one writes to, a directory, a socket, a file over a small limit and a sparse file over
// every default limit. Shared by tst_hostile_files (the readers) and tst_cli_hostile_files (every
// option that takes a file).
#include "domain/BoundedFile.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>
#include <QTemporaryDir>

#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace litescope::test {

struct HostilePath {
    QString name;
    QString path;
    // What the refusal says after "cannot read <path>: ".
    QString problem;
    // The limit to read with, in MiB; 0: the default.
    qint64 limitMiB = 0;
};

// The file over `limitMiB` for the "oversized" case: one byte more than 1 MiB.
inline constexpr qint64 SmallLimitMiB = 1;

// Creates the paths in `dir` (which must outlive them). Empty when one cannot be made.
inline QList<HostilePath> makeHostilePaths(const QTemporaryDir& dir, QString* error) {
    using namespace Qt::StringLiterals;
    const QString fifo = dir.filePath(u"fifo.json"_s);
    if (::mkfifo(QFile::encodeName(fifo).constData(), 0600) != 0) {
        *error = u"mkfifo failed"_s;
        return {};
    }
    const QString socketPath = dir.filePath(u"socket.json"_s);
    const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const QByteArray socketName = QFile::encodeName(socketPath);
    if (s < 0 || std::size_t(socketName.size()) >= sizeof(address.sun_path)) {
        *error = u"cannot make a socket"_s;
        return {};
    }
    std::memcpy(address.sun_path, socketName.constData(), std::size_t(socketName.size()));
    const bool bound = ::bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(s); // the socket file stays
    if (!bound) {
        *error = u"cannot bind a socket"_s;
        return {};
    }
    const QString oversized = dir.filePath(u"oversized.json"_s);
    QFile big(oversized);
    if (!big.open(QIODevice::WriteOnly) ||
        big.write(QByteArray(SmallLimitMiB * MiB + 1, ' ')) != SmallLimitMiB * MiB + 1) {
        *error = u"cannot write the oversized file"_s;
        return {};
    }
    big.close();
    // Sparse: its size is over every default limit, its blocks cost nothing. Reading it would
    // take a gigabyte of memory and seconds; the refusal must come from its size alone.
    const QString sparse = dir.filePath(u"sparse.json"_s);
    QFile hole(sparse);
    if (!hole.open(QIODevice::WriteOnly) || !hole.resize(DefaultWorkspaceFileLimit + 1)) {
        *error = u"cannot make the sparse file"_s;
        return {};
    }
    hole.close();
    return {
        {u"dev zero"_s, u"/dev/zero"_s, u"it is a character device, not a file"_s},
        {u"dev urandom"_s, u"/dev/urandom"_s, u"it is a character device, not a file"_s},
        {u"directory"_s, dir.path(), u"it is a directory, not a file"_s},
        {u"fifo"_s, fifo, u"it is a named pipe (FIFO), not a file"_s},
        {u"socket"_s, socketPath, u"it is a socket, not a file"_s},
        {u"oversized"_s, oversized,
         u"it has 1048577 bytes, more than the limit of 1 MiB; if the file is right, raise the "
         "limit with --max-file-size"_s,
         SmallLimitMiB},
        {u"sparse over the default"_s, sparse,
         u"it has %1 bytes, more than the limit of "_s.arg(DefaultWorkspaceFileLimit + 1)},
    };
}

} // namespace litescope::test
