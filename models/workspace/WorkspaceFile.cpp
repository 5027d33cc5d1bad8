// Writing a workspace file: all or nothing (QSaveFile: a temporary file, fsync'd, then renamed over
// the old one), keeping the old file's owner, and taking sections written ahead from their
// temporary files.
#include "workspace/WorkspaceFile.h"

#include "domain/TranslationContexts.h"
#include "workspace/JsonStream.h"
#include "workspace/WorkspaceJson.h"
#include "workspace/WorkspaceSections.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <sys/stat.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace litescope::workspace {

using namespace Qt::StringLiterals;

namespace {

class FileHandle {
public:
    FileHandle() = default;
    explicit FileHandle(int fd)
        : m_fd(fd) {}
    FileHandle(FileHandle&& other) noexcept
        : m_fd(std::exchange(other.m_fd, -1)) {}
    FileHandle& operator=(FileHandle&& other) noexcept {
        if (this != &other) {
            reset();
            m_fd = std::exchange(other.m_fd, -1);
        }
        return *this;
    }
    ~FileHandle() { reset(); }

    int get() const { return m_fd; }
    void reset() {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
};

// A file that disappears when closed: O_TMPFILE where the file system has it, else a named one
// removed at once. Either way nothing is left behind, whatever happens to the process.
FileHandle unnamedFile(const QString& directory) {
    const QByteArray dir = QFile::encodeName(directory);
#ifdef O_TMPFILE
    if (const int fd = ::open(dir.constData(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600); fd >= 0)
        return FileHandle(fd);
#endif
    QByteArray name = dir + "/.litescope-section-XXXXXX";
    const int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0)
        return {};
    ::unlink(name.constData());
    return FileHandle(fd);
}

// Copies `size` bytes from the start of `from` to `to` at `at`, moving `at` past them; in the
// kernel where it can (copy_file_range), else through a small buffer. False with errno set.
bool copyBytes(int from, qint64 size, int to, off_t& at) {
    off_t in = 0;
#ifdef __linux__
    // In pieces, each sent on its way to the disk as soon as it is in the file: the fsync that
    // ends the write then waits for the last pieces, not for all 130 MB of a big proxy.
    constexpr qint64 Piece = qint64(8) << 20;
    while (in < size) {
        const off_t start = at;
        const ssize_t n =
            ::copy_file_range(from, &in, to, &at, std::size_t(std::min(size - in, Piece)), 0);
        if (n > 0) {
            ::sync_file_range(to, start, n, SYNC_FILE_RANGE_WRITE); // only a head start
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)
            break; // not between these files: the buffer below does the rest
        return false;
    }
#endif
    std::vector<char> buffer;
    while (in < size) {
        buffer.resize(std::size_t(1) << 20);
        const ssize_t n =
            ::pread(from, buffer.data(),
                    std::size_t(std::min<qint64>(size - in, qint64(buffer.size()))), in);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO; // the section is shorter than written: never ends a file silently
            return false;
        }
        for (ssize_t done = 0; done < n;) {
            const ssize_t w = ::pwrite(to, buffer.data() + done, std::size_t(n - done), at);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return false;
            done += w;
            at += w;
        }
        in += n;
    }
    return true;
}

QString systemError() {
    return QString::fromLocal8Bit(std::strerror(errno));
}

// A section's text in a temporary file, and the list it was written from.
struct Written {
    FileHandle file;
    qint64 size = 0;
    const void* items = nullptr; // the list's constData
    qsizetype count = 0;
};

// One list: held while its section is written (on `worker`) and as long as the section may be
// used, so the list cannot change in place.
template <typename T>
struct Part {
    QList<T> list;
    Written written;
    std::thread worker;

    void finish() {
        if (worker.joinable())
            worker.join();
    }
};

} // namespace

struct PrewrittenSections::Parts {
    Part<Team> teams;
    Part<TeamMembership> memberships;
    Part<User> users;
    Part<Key> keys;
    QStringList used;

    ~Parts() { finish(); }
    void finish() {
        teams.finish();
        memberships.finish();
        users.finish();
        keys.finish();
    }
    Written& of(detail::Section section) {
        switch (section) {
        case detail::Section::Teams:
            return teams.written;
        case detail::Section::Memberships:
            return memberships.written;
        case detail::Section::Users:
            return users.written;
        case detail::Section::Keys:
            break;
        }
        return keys.written;
    }
};

namespace {

QString nameOf(detail::Section section) {
    switch (section) {
    case detail::Section::Teams:
        return u"teams"_s;
    case detail::Section::Memberships:
        return u"team_memberships"_s;
    case detail::Section::Users:
        return u"users"_s;
    case detail::Section::Keys:
        break;
    }
    return u"keys"_s;
}

template <typename T>
Written writeAhead(const QString& directory, const QList<T>& list) {
    FileHandle file = unnamedFile(directory);
    if (file.get() < 0)
        return {};
    QFile device;
    if (!device.open(file.get(), QIODevice::WriteOnly | QIODevice::Unbuffered,
                     QFileDevice::DontCloseHandle))
        return {};
    {
        JsonStream out(device);
        detail::writeSection(out, list);
        if (!out.flush())
            return {};
    }
    const off_t size = ::lseek(file.get(), 0, SEEK_END);
    if (size < 0)
        return {};
    return {std::move(file), qint64(size), list.constData(), list.size()};
}

template <typename T>
void start(Part<T>& part, const QString& directory, const QList<T>& list) {
    part.finish(); // an earlier section, and its list, go first
    part.written = {};
    part.list = list;
    try {
        part.worker = std::thread(
            [&part, directory] { part.written = writeAhead(directory, std::as_const(part.list)); });
    } catch (const std::system_error&) {
        part.list = {}; // no thread: writeFile writes the list itself
    }
}

// Puts the sections written ahead into the file being written, where their lists still match:
// their places are left while the rest is written, and filled once it is, by copies over two
// threads (the keys are half of a big proxy's file).
class FileSplice final : public detail::SectionSplice {
public:
    FileSplice(PrewrittenSections::Parts& parts, QFileDevice& file)
        : m_parts(parts)
        , m_file(file) {}

    bool put(JsonStream& out, detail::Section section, const void* items,
             qsizetype count) override {
        if (!m_failure.isEmpty())
            return true; // the file is lost already; writeFile reports why
        // The same list object (held, so unchanged) or nothing.
        const Written& written = m_parts.of(section);
        if (written.file.get() < 0 || written.items != items || written.count != count)
            return false;
        if (!out.flush() || !m_file.flush()) {
            m_failure = m_file.errorString();
            return true;
        }
        const off_t at = ::lseek(m_file.handle(), 0, SEEK_CUR);
        if (at < 0 || !m_file.seek(qint64(at) + written.size)) {
            m_failure = systemError();
            return true;
        }
        m_copies.push_back({&written, at, section});
        return true;
    }

    // Fills the places left, the longest sections first, each on the thread with less to copy.
    // False when a copy failed (failure() says why).
    bool copy() {
        std::vector<const Copy*> bySize;
        for (const Copy& copy : m_copies)
            bySize.push_back(&copy);
        std::ranges::sort(bySize, [](const Copy* a, const Copy* b) {
            return a->written->size > b->written->size;
        });
        std::vector<const Copy*> mine, other;
        qint64 mineBytes = 0, otherBytes = 0;
        for (const Copy* copy : bySize) {
            (mineBytes <= otherBytes ? mine : other).push_back(copy);
            (mineBytes <= otherBytes ? mineBytes : otherBytes) += copy->written->size;
        }
        int otherError = 0;
        std::thread helper;
        if (!other.empty()) {
            try {
                helper = std::thread([&] { otherError = copyAll(other); });
            } catch (const std::system_error&) {
                mine.insert(mine.end(), other.begin(), other.end()); // no thread: all here
            }
        }
        const int myError = copyAll(mine);
        if (helper.joinable())
            helper.join();
        if (const int error = myError ? myError : otherError) {
            m_failure = QString::fromLocal8Bit(std::strerror(error));
            return false;
        }
        for (const Copy& copy : m_copies)
            m_parts.used.append(nameOf(copy.section));
        return true;
    }

    // Why the file could not be written, once a copy failed.
    const QString& failure() const { return m_failure; }

private:
    struct Copy {
        const Written* written;
        off_t at;
        detail::Section section;
    };

    // errno of the copy that failed, or 0.
    int copyAll(const std::vector<const Copy*>& copies) const {
        for (const Copy* copy : copies) {
            off_t at = copy->at;
            if (!copyBytes(copy->written->file.get(), copy->written->size, m_file.handle(), at))
                return errno ? errno : EIO;
        }
        return 0;
    }

    PrewrittenSections::Parts& m_parts;
    QFileDevice& m_file;
    std::vector<Copy> m_copies;
    QString m_failure;
};

Status writeWorkspaceFile(const Workspace& workspace, const QString& path,
                          PrewrittenSections::Parts* parts) {
    const auto failure = [&path](const QString& why) {
        return Error::io(
            WorkspaceText::tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), why));
    };
    QSaveFile file(path);
    // JsonStream buffers; a second buffer in QFileDevice would only copy every byte once more.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return failure(file.errorString());
    // The new file takes the old one's place, so it takes its owner and group too: an edit run
    // by root must not leave another user's file owned by root. (QSaveFile keeps the mode.)
    struct stat old {};
    if (::stat(QFile::encodeName(path).constData(), &old) == 0) {
        struct stat made {};
        if (::fstat(file.handle(), &made) == 0 &&
            (made.st_uid != old.st_uid || made.st_gid != old.st_gid) &&
            ::fchown(file.handle(), old.st_uid, old.st_gid) != 0)
            return Error::io(WorkspaceText::tr("cannot write %1: cannot keep its owner (uid %2, "
                                               "gid %3): %4; nothing was written")
                                 .arg(QDir::toNativeSeparators(path))
                                 .arg(old.st_uid)
                                 .arg(old.st_gid)
                                 .arg(systemError()));
    }
    std::optional<FileSplice> splice;
    if (parts) {
        parts->finish();
        parts->used.clear();
        splice.emplace(*parts, file);
    }
    JsonStream out(file);
    detail::writeWorkspace(out, workspace, splice ? &*splice : nullptr);
    // QSaveFile discards the temporary file when it goes away.
    if (splice && !splice->failure().isEmpty())
        return failure(splice->failure());
    // The copies fill the places left, at their offsets, while the end of the text still waits
    // in the stream's buffer.
    if (splice && !splice->copy())
        return failure(splice->failure());
    if (!out.flush())
        return failure(file.errorString());
    if (!file.commit())
        return failure(file.errorString());
    return Done{};
}

} // namespace

PrewrittenSections::PrewrittenSections(const QString& outputPath)
    : m_directory(QFileInfo(outputPath).absolutePath())
    , m_parts(std::make_unique<Parts>()) {}

PrewrittenSections::~PrewrittenSections() = default;

void PrewrittenSections::write(const QList<Team>& teams) {
    start(m_parts->teams, m_directory, teams);
}

void PrewrittenSections::write(const QList<TeamMembership>& memberships) {
    start(m_parts->memberships, m_directory, memberships);
}

void PrewrittenSections::write(const QList<User>& users) {
    start(m_parts->users, m_directory, users);
}

void PrewrittenSections::write(const QList<Key>& keys) {
    start(m_parts->keys, m_directory, keys);
}

void PrewrittenSections::wait() {
    m_parts->finish();
}

QStringList PrewrittenSections::used() const {
    return m_parts->used;
}

Status writeFile(const Workspace& workspace, const QString& path) {
    return writeWorkspaceFile(workspace, path, nullptr);
}

Status writeFile(const Workspace& workspace, const QString& path, PrewrittenSections& sections) {
    return writeWorkspaceFile(workspace, path, sections.m_parts.get());
}

} // namespace litescope::workspace
