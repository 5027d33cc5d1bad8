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
echo "== What key search-prod may call"
"$cli" preview --workspace "$demo" --key search-prod
echo
echo "== Why: one decision with its trail"
"$cli" check --workspace "$demo" --key search-prod --model claude-3-5-sonnet || true
echo
echo "Try: $cli preview --workspace $demo --team <team> --member <user>"
echo "     $cli check --workspace $demo --key <key alias> --model <model> [--json]"
