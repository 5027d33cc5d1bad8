#pragma once

#include "domain/Result.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <optional>

namespace litescope {

inline constexpr qint64 MiB = qint64(1) << 20;

// The most litescope reads of one file unless told otherwise. A generated workspace of a very
// large proxy (200,000 keys, 100,000 members, 2,000 deployments) is 106 MiB; LiteLLM's real rows
// carry more fields (metadata, spend, budgets), so a few hundred MiB is possible. Reading peaks
// at about 2.5 times the file size in memory (the text, and the workspace streamed from it), so
// 1 GiB still refuses a runaway file long before memory runs out. config.yaml (yaml-cpp needs
// about 50 times its size), its includes, a litellm_settings file and a CA bundle are a few
// megabytes at most.
inline constexpr qint64 DefaultWorkspaceFileLimit = 1024 * MiB;
inline constexpr qint64 DefaultConfigFileLimit = 16 * MiB;
// The largest limit one can ask for (the file is read into memory whole).
inline constexpr qint64 MaxFileLimit = qint64(1) << 40;

// The limits for the files one connection reads: the workspace file, and the rest (config.yaml
// and its includes, litellm_settings, the CA file). The CLI's --max-file-size sets both.
struct FileLimits {
    qint64 workspace = DefaultWorkspaceFileLimit;
    qint64 config = DefaultConfigFileLimit;

    static FileLimits defaults() { return {}; }
    static FileLimits same(qint64 bytes) { return {bytes, bytes}; }
};

// Optional hooks of a read. `opened` sees the descriptor of the file being read once it is known
// to be a regular file (for its identity: fstat, not the path that may name another file by
// then). `progress` is called after each chunk with the bytes read and the size the file had
// when opened; an error it returns stops the read with that error (a cancelled call).
struct FileReadHooks {
    std::function<void(int descriptor)> opened;
    std::function<std::optional<Error>(qint64 done, qint64 size)> progress;
};

// Every file litescope reads goes through here. Refuses what is not a regular file (a directory,
// /dev/zero, a FIFO, a socket: "cannot read /dev/zero: it is a character device, not a file")
// without blocking or reading from it, and a file over `limit` bytes before reading it (its
// size) or while reading it (it grew). A symlink to a regular file is read. Errors start with
// "cannot read <path>:"; a missing file is NotFound, everything else Io.
Result<QByteArray> readBoundedRegularFile(const QString& path, qint64 limit,
                                          const FileReadHooks& hooks = {});

// Whether `path` names a regular file, in readBoundedRegularFile's words when it does not; for a
// writer that must refuse before it does anything (takes a lock beside a device).
Status checkRegularFile(const QString& path);

} // namespace litescope
