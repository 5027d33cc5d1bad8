#!/usr/bin/env bash
# Installs what is missing, builds litescope and shows the demo workspace: no proxy needed.
# Usage: scripts/run-demo.sh        (as root, or as a user with sudo for the first install)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/deps.sh"

litescope_install_deps
litescope_build "$root"

cli="$root/build/bin/litescope-cli"
demo="$root/resources/demo/demo-workspace.json"

# Until the desktop window exists, the demo is the access preview on the command line.
echo "== Validating the demo workspace"
"$cli" validate --workspace "$demo" || true
echo
echo "== What Bob may call through team Search (his member scope narrows the team's models)"
"$cli" preview --workspace "$demo" --team Search --member bob.martinez@acme.example
echo
echo "== Why: one decision with its layer-by-layer trail"
"$cli" check --workspace "$demo" --key search-bob-dev --model gpt-4o || true
echo
echo "More: $cli preview --workspace $demo --key <key alias>"
echo "      $cli check --workspace $demo --key <key alias> --model <model> [--json]"
echo "      $cli --help"
