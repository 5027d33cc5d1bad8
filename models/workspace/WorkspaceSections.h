#pragma once

#include "domain/Workspace.h"
#include "workspace/JsonStream.h"

namespace litescope::workspace::detail {

// The workspace file's text, for writers that put some of it together from parts written ahead
// (WorkspaceFile.cpp). The users and the keys, the longest lists, are the sections that can come
// from elsewhere: a splice answers true when it put a section's bytes in place itself.
class SectionSplice {
public:
    virtual ~SectionSplice() = default;
    virtual bool users(JsonStream& out, const QList<User>& users) = 0;
    virtual bool keys(JsonStream& out, const QList<Key>& keys) = 0;
};

void writeWorkspace(JsonStream& out, const Workspace& ws, SectionSplice* splice);
// Exactly the text writeWorkspace gives these lists, separator and name included.
void writeUsersSection(JsonStream& out, const QList<User>& users);
void writeKeysSection(JsonStream& out, const QList<Key>& keys);

} // namespace litescope::workspace::detail
