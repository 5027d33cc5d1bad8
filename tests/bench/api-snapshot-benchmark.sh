#!/usr/bin/env bash
# The admin API snapshot benchmark of docs/PERFORMANCE.md: `litescope-cli snapshot --api` of a big
# proxy served by the test suite's fake LiteLLM (litescope-fake-proxy, a process of its own), so
# the client's CPU time and peak memory are its own. The fake answers on one thread and builds
# every answer from scratch: the wall time is mostly the fake's, the CPU time is litescope's.
# Usage: tests/bench/api-snapshot-benchmark.sh [build-dir]
#   RUNS=3 (default)   MEMBERS=100000 (the generated proxy: 1,000 teams, 2 keys a member)
#   WORKSPACE=file     serve this workspace file instead (e.g. the database benchmark's snapshot)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
cli=$build/bin/litescope-cli
fake=$build/bin/litescope-fake-proxy
runs=${RUNS:-3}
for binary in "$cli" "$fake"; do
    [ -x "$binary" ] || { echo "build litescope first: $binary is missing" >&2; exit 2; }
done

dir=$(mktemp -d)
export LITESCOPE_FAKE_KEY=sk-bench-master
if [ -n "${WORKSPACE:-}" ]; then
    source_args=(--workspace "$WORKSPACE")
    shape="workspace $WORKSPACE"
else
    source_args=(--members "${MEMBERS:-100000}")
    shape="generated proxy, ${MEMBERS:-100000} members"
fi
"$fake" "${source_args[@]}" >"$dir/url" 2>"$dir/fake.log" &
fake_pid=$!
cleanup() {
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 300); do
    [ -s "$dir/url" ] && break
    kill -0 "$fake_pid" 2>/dev/null || { cat "$dir/fake.log" >&2; exit 2; }
    sleep 0.2
done
url=$(head -n1 "$dir/url")
[ -n "$url" ] || { echo "the fake proxy did not start" >&2; exit 2; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: >"$dir/times"
for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$dir/time" \
        "$cli" snapshot --api "$url" --api-key-env LITESCOPE_FAKE_KEY -o "$dir/snapshot.json" \
        >/dev/null 2>"$dir/cli.log" || { cat "$dir/cli.log" >&2; exit 2; }
    cat "$dir/time" >>"$dir/times"
done
wall=$(cut -d' ' -f1 "$dir/times" | median)
cpu=$(awk '{print $2 + $3}' "$dir/times" | median)
kib=$(cut -d' ' -f4 "$dir/times" | median)
echo "snapshot --api of the $shape ($runs runs, medians)"
echo "  wall ${wall} s (mostly the fake's), litescope's CPU ${cpu} s, peak memory $((kib / 1024)) MiB"
echo "  workspace file $(($(stat -c %s "$dir/snapshot.json") / 1024 / 1024)) MiB"
