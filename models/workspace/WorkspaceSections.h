#pragma once

#include "domain/Workspace.h"
#include "workspace/JsonStream.h"

namespace litescope::workspace::detail {

// The workspace file's text, for writers that put some of it together from parts written ahead
// (WorkspaceFile.cpp). The four long lists are the sections that can come from elsewhere.
enum class Section { Teams, Memberships, Users, Keys };

class SectionSplice {
public:
    virtual ~SectionSplice() = default;
    // Puts the section of the list whose items start at `items` (its constData) in place, if
    // one was written ahead from that very list, and answers true; false: writeWorkspace
    // writes it.
    virtual bool put(JsonStream& out, Section section, const void* items, qsizetype count) = 0;
};

void writeWorkspace(JsonStream& out, const Workspace& ws, SectionSplice* splice);
// Exactly the text writeWorkspace gives these lists, separator and name included.
void writeSection(JsonStream& out, const QList<Team>& teams);
void writeSection(JsonStream& out, const QList<TeamMembership>& memberships);
void writeSection(JsonStream& out, const QList<User>& users);
void writeSection(JsonStream& out, const QList<Key>& keys);

} // namespace litescope::workspace::detail
