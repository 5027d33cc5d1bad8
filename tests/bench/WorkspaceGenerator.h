#pragma once

#include "domain/Workspace.h"

#include <cstdint>

namespace litescope::bench {

// The shape of a synthetic proxy for benchmarks and scale tests. The counts are exact:
// `proxyModels` deployments (a few of them wildcard and team-only BYOK deployments), `teams`
// teams, `members` team-membership rows, `members * keysPerMember` keys and `accessGroups` DB
// access groups. Memberships and keys need a team to belong to, so with `teams == 0` there are
// neither. Users are about 90% of `members`: the rest of the rows put an existing user into a
// second team.
struct GeneratorOptions {
    int proxyModels = 500;
    int teams = 100;
    int members = 5000;
    int keysPerMember = 1;
    int accessGroups = 10;
    std::uint64_t seed = 42;
};

// Same options, same workspace, on every platform and standard library: the only source of
// randomness is std::mt19937_64 seeded with `seed`, whose output sequence the standard fixes.
// Every reference resolves (teams → organizations, memberships and keys → teams and users, access
// group ids → groups, BYOK deployments → teams) and `members_with_roles` lists exactly the
// team's membership rows.
Workspace generateWorkspace(const GeneratorOptions& options);

} // namespace litescope::bench
