#pragma once

// The translation contexts of the model layer. Messages are written as `PgText::tr("…")`:
// lupdate files each string under the context named in Q_DECLARE_TR_FUNCTIONS, and the same name
// is looked up at run time, so a .qm built from these sources translates what a store returns.
// (A free `tr()` helper would be filed under its caller's class or namespace and never found;
// tst_translations checks that every context lupdate finds is one of these.)
#include <QCoreApplication>

namespace litescope {

// Reading any file: what is not a file, a file over the size limit.
class FileText {
    Q_DECLARE_TR_FUNCTIONS(litescope::File)
};

// Reading and writing workspace files.
class WorkspaceText {
    Q_DECLARE_TR_FUNCTIONS(litescope::Workspace)
};

// Why the access engine allows or refuses a request.
class EngineText {
    Q_DECLARE_TR_FUNCTIONS(litescope::Engine)
};

// Problems in a workspace's data, as the validator reports them.
class ValidatorText {
    Q_DECLARE_TR_FUNCTIONS(litescope::WorkspaceValidator)
};

// The edit rules every store applies: refusals, conflicts and summaries.
class EditText {
    Q_DECLARE_TR_FUNCTIONS(litescope::EditRules)
};

// What every store checks alike (page limits, batches).
class StoreText {
    Q_DECLARE_TR_FUNCTIONS(litescope::Store)
};

// Problems in a connection description, before any store is made.
class StoreFactoryText {
    Q_DECLARE_TR_FUNCTIONS(litescope::StoreFactory)
};

class FileStoreText {
    Q_DECLARE_TR_FUNCTIONS(litescope::FileStore)
};

class PgText {
    Q_DECLARE_TR_FUNCTIONS(litescope::PgStore)
};

class ApiText {
    Q_DECLARE_TR_FUNCTIONS(litescope::ApiStore)
};

// Reading LiteLLM's config.yaml and merging it into a snapshot.
class ProxyConfigText {
    Q_DECLARE_TR_FUNCTIONS(litescope::ProxyConfig)
};

} // namespace litescope
