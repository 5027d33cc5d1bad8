#pragma once

#include "domain/Workspace.h"

namespace litescope::bench {

// Workspaces with N entries in one list, the hostile inputs of issue 11: each once made
// `litescope-cli validate` cost N² (scale_bench.cpp times them, tst_scale guards them). All have
// the ten plain deployments m-0 … m-9.

// N router aliases a-i -> m-(i mod 10); ten teams listing all-team-models, one key each.
Workspace routerAliasesWorkspace(int n);
// One team listing N model names name-0 …, none served; one key of that team.
Workspace teamModelsWorkspace(int n);
// One team listing N wildcards p0/* …; one key of that team.
Workspace teamWildcardsWorkspace(int n);
// teamModelsWorkspace(n) plus N wildcard deployments w0/* ….
Workspace wildcardDeploymentsWorkspace(int n);
// N keys without a team, each restricted to m-1, and N router aliases.
Workspace keysAndAliasesWorkspace(int n);
// N deployments d-0 … and an access group naming them all; a team of that group, one key.
Workspace accessGroupModelsWorkspace(int n);

} // namespace litescope::bench
