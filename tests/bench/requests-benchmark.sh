#!/usr/bin/env bash
# The batch benchmark of docs/PERFORMANCE.md: `litescope-cli check --requests` on the generated
# proxy (5,000 members and keys, 500 models) with 200,000 request lines, end to end (loading the
# workspace included, output to /dev/null). Prints wall time and peak memory, medians of RUNS.
#   requests.jsonl  log-like: a few keys and models carry most requests (litescope-bench-requests)
#   distinct.jsonl  every line a different (key, model) pair: nothing repeats
# Usage: tests/bench/requests-benchmark.sh [build-dir]   (RUNS=5, LINES=200000; OLD=another
# litescope-cli to measure the same way, e.g. a build of the previous commit)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
cli=$build/bin/litescope-cli
generate=$build/bin/litescope-bench-requests
runs=${RUNS:-5}
lines=${LINES:-200000}
for tool in "$cli" "$generate"; do
    [ -x "$tool" ] || { echo "build litescope first: $tool is missing" >&2; exit 2; }
done

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$generate" "$dir/workspace.json" "$dir/requests.jsonl" "$lines"
"$generate" "$dir/workspace.json" "$dir/distinct.jsonl" "$lines" distinct
head -n 1 "$dir/requests.jsonl" >"$dir/one.jsonl"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # label, then the command; prints wall time, CPU time (user + system), peak memory
    local label=$1
    shift
    : >"$dir/times"
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$@" >/dev/null
        cat "$dir/time" >>"$dir/times"
    done
    printf '  %-44s %6s s wall %6s s CPU %5s MiB\n' "$label" \
        "$(cut -d' ' -f1 "$dir/times" | median)" \
        "$(awk '{printf "%.2f\n", $2 + $3}' "$dir/times" | median)" \
        "$(($(cut -d' ' -f4 "$dir/times" | median) / 1024))"
}

echo "check --requests, $lines lines, generated proxy of 5,000 members ($runs runs, medians;"
echo "  load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "  ($(wc -c <"$dir/requests.jsonl") bytes of requests, $(sort -u "$dir/requests.jsonl" | wc -l) distinct lines; $(nproc) cores)"
for binary in "$cli" ${OLD:+"$OLD"}; do
    echo "$binary"
    w=(check --workspace "$dir/workspace.json")
    measure "one line (loading the workspace)" "$binary" "${w[@]}" --requests "$dir/one.jsonl" --json
    measure "requests.jsonl --json" "$binary" "${w[@]}" --requests "$dir/requests.jsonl" --json
    help=$("$binary" check --help)
    if [[ $help == *--fields* ]]; then
        measure "requests.jsonl --fields allowed,denied_by" "$binary" "${w[@]}" \
            --requests "$dir/requests.jsonl" --fields allowed,denied_by
    fi
    measure "distinct.jsonl --json" "$binary" "${w[@]}" --requests "$dir/distinct.jsonl" --json
    measure "requests.jsonl, text" "$binary" "${w[@]}" --requests "$dir/requests.jsonl"
done
