#pragma once

#include "domain/Result.h"
#include "domain/Workspace.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace litescope::workspace {

// The longest lists of a workspace file, serialized before the rest of the workspace is known: a
// snapshot of a large proxy writes its keys on the thread that read them while the other tables
// are still being read. Each goes to an unnamed temporary file in the output's directory, and
// writeFile copies it into place in the kernel (copy_file_range): the text of 200,000 keys never
// sits in this process's memory. A section is used only for the very list it was written from:
// it holds that list, and a list that is shared cannot be changed in place (any change detaches a
// copy, which the check sees), so what is copied is what writing the list would give. Failing to
// write ahead (no room, a directory without O_TMPFILE or write access) costs only the time:
// writeFile then writes the list itself.
class PrewrittenSections {
public:
    // `outputPath`: the file writeFile will write; the sections are written next to it.
    explicit PrewrittenSections(const QString& outputPath);
    ~PrewrittenSections();
    PrewrittenSections(const PrewrittenSections&) = delete;
    PrewrittenSections& operator=(const PrewrittenSections&) = delete;

    // Each may run on its own thread, alongside the other. A second call for the same list
    // replaces the first (a snapshot that was read again).
    void writeUsers(const QList<User>& users);
    void writeKeys(const QList<Key>& keys);

    // The sections the last writeFile took from here ("users", "keys"), for tests and measuring.
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
