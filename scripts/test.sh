#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (CTest) plus the formatting check.
# Usage: scripts/test.sh            (as root, or as a user with sudo for the first install)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/deps.sh"

litescope_install_deps
litescope_build "$root"

echo "== formatting (clang-format, .clang-format at the root)"
cd "$root"
unformatted=()
while IFS= read -r file; do
    [ -f "$file" ] || continue # deleted in the working tree
    if ! clang-format --dry-run -Werror "$file" >/dev/null 2>&1; then
        unformatted+=("$file")
    fi
done < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h')
if [ ${#unformatted[@]} -gt 0 ]; then
    echo "not clang-formatted (run clang-format -i on them): ${unformatted[*]}" >&2
    exit 1
fi
echo "all C++ files formatted"

echo "== tests"
ctest --test-dir "$root/build" --output-on-failure --parallel "$(nproc)"

# The same suite once more under AddressSanitizer and UndefinedBehaviorSanitizer: memory errors
# and undefined behaviour fail the run like a failed assertion.
echo "== tests under ASan + UBSan"
if [ ! -f "$root/build-asan/build.ninja" ]; then
    cmake --preset asan -S "$root" >/dev/null
fi
cmake --build "$root/build-asan" --parallel "$(nproc)"
(cd "$root" && ctest --preset asan --parallel "$(nproc)")
