#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace litescope::workspace {

// The long lists of a workspace file (teams, memberships, users, keys), serialized before the
// rest of the workspace is known: a snapshot of a large proxy hands each list over as soon as it
// is read and sorted, and its section is written on a thread of its own while the other tables
// are still being read. Each goes to an unnamed temporary file in the output's directory, and
// writeFile copies it into place in the kernel (copy_file_range): the 130 MB of a big proxy's
// text never sit in this process's memory. A section is used only for the very list it was
// written from: it holds that list, and a list that is shared cannot be changed in place (any
// change detaches a copy, which the check sees), so what is copied is what writing the list
// would give. Failing to write ahead (no room, no thread, a directory without write access) costs
// only the time: writeFile then writes the list itself.
class PrewrittenSections {
public:
    // `outputPath`: the file writeFile will write; the sections are written next to it.
    explicit PrewrittenSections(const QString& outputPath);
    // Waits for the sections still being written.
    ~PrewrittenSections();
    PrewrittenSections(const PrewrittenSections&) = delete;
    PrewrittenSections& operator=(const PrewrittenSections&) = delete;

    // Starts writing the list's section on a thread of its own and returns. Safe to call from
    // any thread, each list from one thread at a time. A second call for the same kind of list
    // replaces the first (a snapshot that was read again).
    void write(const QList<Team>& teams);
    void write(const QList<TeamMembership>& memberships);
    void write(const QList<User>& users);
    void write(const QList<Key>& keys);

    // Waits until the sections handed over are written (writeFile does).
    void wait();

    // The sections the last writeFile took from here, by their names in the file ("teams",
    // "team_memberships", "users", "keys"), for tests and measuring.
    QStringList used() const;

    struct Parts; // WorkspaceFile.cpp's

private:
    friend Status writeFile(const Workspace& workspace, const QString& path,
                            PrewrittenSections& sections);
    QString m_directory;
    std::unique_ptr<Parts> m_parts;
};

// writeFile (WorkspaceJson.h) taking the sections written ahead that still hold the workspace's
// lists; the same bytes, the same all-or-nothing write.
Status writeFile(const Workspace& workspace, const QString& path, PrewrittenSections& sections);

} // namespace litescope::workspace
