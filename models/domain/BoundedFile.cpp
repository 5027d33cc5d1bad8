#include "domain/BoundedFile.h"

#include "domain/DisplayText.h"
#include "domain/TranslationContexts.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace litescope {

namespace {

// Big enough that reading is not slowed down, small enough that a cancel is noticed at once.
constexpr qint64 ChunkSize = qint64(4) << 20;

// A path is the admin's text, but may hold what forges a line of output (DisplayText.h).
QString shown(const QString& path) {
    return shownName(QDir::toNativeSeparators(path));
}

Error cannotRead(const QString& path, const QString& why) {
    return Error::io(FileText::tr("cannot read %1: %2").arg(shown(path), why));
}

Error systemError(const QString& path, int error) {
    const QString why = QString::fromLocal8Bit(std::strerror(error));
    if (error == ENOENT)
        return Error::notFound(FileText::tr("cannot read %1: %2").arg(shown(path), why));
    return cannotRead(path, why);
}

// What a path names when it is not a file, in words an admin recognises.
std::optional<QString> notAFile(mode_t mode) {
    if (S_ISREG(mode))
        return std::nullopt;
    if (S_ISDIR(mode))
        return FileText::tr("it is a directory, not a file");
    if (S_ISCHR(mode))
        return FileText::tr("it is a character device, not a file");
    if (S_ISBLK(mode))
        return FileText::tr("it is a block device, not a file");
    if (S_ISFIFO(mode))
        return FileText::tr("it is a named pipe (FIFO), not a file");
    if (S_ISSOCK(mode))
        return FileText::tr("it is a socket, not a file");
    return FileText::tr("it is not a regular file");
}

// `size` -1: the file grew past the limit while it was read.
Error tooBig(const QString& path, qint64 size, qint64 limit) {
    const QString limitText = limit % MiB == 0 ? FileText::tr("%1 MiB").arg(limit / MiB)
                                               : FileText::tr("%1 bytes").arg(limit);
    const QString why =
        size >= 0 ? FileText::tr("it has %1 bytes, more than the limit of %2; if the file is "
                                 "right, raise the limit with --max-file-size")
                        .arg(size)
                        .arg(limitText)
                  : FileText::tr("it holds more than the limit of %1; if the file is right, raise "
                                 "the limit with --max-file-size")
                        .arg(limitText);
    return cannotRead(path, why);
}

// Closes the descriptor however the read ends.
class Descriptor {
public:
    explicit Descriptor(int fd)
        : m_fd(fd) {}
    ~Descriptor() {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

} // namespace

Status checkRegularFile(const QString& path) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return systemError(path, errno);
    if (const std::optional<QString> what = notAFile(st.st_mode))
        return cannotRead(path, *what);
    return Done{};
}

Result<QByteArray> readBoundedRegularFile(const QString& path, qint64 limit,
                                          const FileReadHooks& hooks) {
    // Looked at before opening: opening a device can do things (a terminal, a tape).
    if (Status regular = checkRegularFile(path); !regular)
        return regular.error();
    const QByteArray name = QFile::encodeName(path);
    // O_NONBLOCK: should the path name a FIFO by now, opening it must not wait for a writer.
    const Descriptor file(::open(name.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (file.get() < 0)
        return systemError(path, errno);
    struct stat st {};
    if (::fstat(file.get(), &st) != 0)
        return systemError(path, errno);
    if (const std::optional<QString> what = notAFile(st.st_mode))
        return cannotRead(path, *what);
    if (st.st_size > limit)
        return tooBig(path, st.st_size, limit);
    if (hooks.opened)
        hooks.opened(file.get());

    QByteArray bytes;
    // One byte over the limit is enough to know the file is too big (it grew since fstat).
    const qint64 most = limit + 1;
    bytes.reserve(std::min<qint64>(qint64(st.st_size) + 1, most));
    qint64 done = 0;
    for (;;) {
        if (hooks.progress)
            if (std::optional<Error> stop =
                    hooks.progress(done, std::max<qint64>(st.st_size, done)))
                return *stop;
        if (done >= most)
            return tooBig(path, -1, limit);
        // Within the room reserved for the size fstat gave, so that the last chunk does not
        // reallocate (and for a moment double) the whole file.
        const qint64 room = bytes.capacity() - done;
        const qint64 want = std::min({ChunkSize, most - done, room > 0 ? room : ChunkSize});
        bytes.resize(done + want);
        const ssize_t got = ::read(file.get(), bytes.data() + done, std::size_t(want));
        if (got < 0 && errno == EINTR) {
            bytes.resize(done);
            continue;
        }
        if (got < 0)
            return systemError(path, errno);
        done += got;
        bytes.resize(done);
        if (got == 0)
            break;
    }
    return bytes;
}

} // namespace litescope
