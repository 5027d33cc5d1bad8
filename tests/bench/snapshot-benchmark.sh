#!/usr/bin/env bash
# The snapshot benchmark of docs/PERFORMANCE.md ("Snapshot of a large database"): a throwaway
# PostgreSQL 15 with LiteLLM's tables and tests/bench/snapshot-data.sql (at SCALE 1: 1,000 teams,
# 100,000 memberships, 90,000 users, 200,000 keys, 300 deployments). In one run, medians of RUNS:
#   psql      the rows litescope reads, fetched by psql with the same SELECTs (\copy to /dev/null)
#   snapshot  litescope-cli snapshot --db … -o FILE
#   check-db  litescope-cli check --db … --key K --model M (one request)
#   check-ws  litescope-cli check --workspace FILE --key K --model M (on the snapshot just written)
# and the engine compile of that workspace (litescope-bench-compile). Wall time and peak memory
# come from /usr/bin/time.
# Usage: tests/bench/snapshot-benchmark.sh [build-dir]
#   RUNS=5     runs per measurement
#   SCALE=1    size of the generated database (0.5 = half, 2 = double)
#   DB=URI     use this database (loaded with snapshot-data.sql) instead of starting one
#   OLD=PATH   another litescope-cli (a build of an earlier commit) measured the same way
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
cli=$build/bin/litescope-cli
compile=$build/bin/litescope-bench-compile
runs=${RUNS:-5}
scale=${SCALE:-1}
pgbin=/usr/lib/postgresql/15/bin
for tool in "$cli" "$compile"; do
    [ -x "$tool" ] || { echo "build litescope first (scripts/test.sh): $tool is missing" >&2; exit 2; }
done

dir=$(mktemp -d)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$dir"
    mkdir "$dir/pg"
    chown postgres "$dir/pg"
    as_pg=(runuser -u postgres --)
else
    mkdir "$dir/pg"
fi
cleanup() {
    if [ -z "${DB:-}" ]; then
        "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}
trap cleanup EXIT

if [ -n "${DB:-}" ]; then
    uri=$DB
else
    "${as_pg[@]}" "$pgbin/initdb" -D "$dir/pg/data" -A trust -E UTF8 --locale=C.UTF-8 -U postgres >/dev/null
    port=""
    for attempt in 1 2 3 4 5; do
        candidate=$((20000 + RANDOM % 30000))
        if "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w \
            -o "-p $candidate -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=256MB" \
            start >/dev/null; then
            port=$candidate
            break
        fi
    done
    [ -n "$port" ] || { echo "could not start PostgreSQL" >&2; cat "$dir/pg/log" >&2; exit 2; }
    psql -X -q -v ON_ERROR_STOP=1 "postgresql://postgres@127.0.0.1:$port/postgres" -c "CREATE DATABASE bench"
    uri="postgresql://postgres@127.0.0.1:$port/bench"
    echo "loading the generated database (scale $scale)..."
    psql -X -q -v ON_ERROR_STOP=1 -v scale="$scale" "$uri" \
        -f "$root/tests/data/pg/litellm-newest.sql" -f "$root/tests/bench/snapshot-data.sql"
fi
psql_cmd=(psql -X -q -v ON_ERROR_STOP=1 "$uri")
counts=$("${psql_cmd[@]}" -At -F' ' -c "SELECT (SELECT count(*) FROM \"LiteLLM_TeamTable\"),
    (SELECT count(*) FROM \"LiteLLM_TeamMembership\"), (SELECT count(*) FROM \"LiteLLM_UserTable\"),
    (SELECT count(*) FROM \"LiteLLM_VerificationToken\"), (SELECT count(*) FROM \"LiteLLM_ProxyModelTable\")")
# The first member's first key (snapshot-data.sql: raw key sk-md5('raw-key:1')) and the first model
# of its member scope: an allowed request that goes through key, team and member scope.
read -r key model < <("${psql_cmd[@]}" -At -F' ' -c "SELECT 'sk-' || md5('raw-key:1'),
    (SELECT allowed_models[1] FROM \"LiteLLM_BudgetTable\" WHERE budget_id = md5('member-budget:1')::uuid::text)")

# The SELECTs of models/store/pg (PgReader.cpp, PgRows.cpp) on the newest schema.
queries=(
    "SELECT model_id, model_name, litellm_params->>'model', model_info::text FROM \"LiteLLM_ProxyModelTable\""
    "SELECT t.team_id, t.team_alias, t.organization_id, array_to_json(t.models)::text, array_to_json(t.default_team_member_models)::text, t.blocked, array_to_json(t.access_group_ids)::text, t.members_with_roles::text, m.aliases::text, row_to_json(d)::text, t.model_id::text FROM \"LiteLLM_TeamTable\" t LEFT JOIN \"LiteLLM_ModelTable\" m ON m.id = t.model_id LEFT JOIN \"LiteLLM_BudgetTable\" d ON d.budget_id = t.metadata->>'team_member_budget_id'"
    "SELECT m.team_id, m.user_id, m.budget_id, array_to_json(b.allowed_models)::text, b.max_budget, b.tpm_limit, b.rpm_limit, m.spend FROM \"LiteLLM_TeamMembership\" m LEFT JOIN \"LiteLLM_BudgetTable\" b ON b.budget_id = m.budget_id"
    "SELECT user_id, user_email, user_role, array_to_json(models)::text, array_to_json(teams)::text FROM \"LiteLLM_UserTable\""
    "SELECT token, key_alias, team_id, user_id, project_id, array_to_json(models)::text, aliases::text, config::text, array_to_json(access_group_ids)::text, blocked FROM \"LiteLLM_VerificationToken\""
)
psql_fetch=("${psql_cmd[@]}")
for query in "${queries[@]}"; do
    psql_fetch+=(-c "\\copy ($query) TO '/dev/null'")
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # name, then the command: appends "seconds peak-KiB cpu-seconds" to $dir/name
    local name=$1
    shift
    /usr/bin/time -f "%e %M %U %S" -o "$dir/time" "$@" >"$dir/out" 2>"$dir/err" || {
        # check answers 1 for a denied request; anything else is a failure
        local status=$?
        if [ "$status" -ne 1 ] || ! grep -q DENIED "$dir/out"; then
            echo "$name failed ($status):" >&2
            cat "$dir/err" >&2
            exit 2
        fi
    }
    tail -n 1 "$dir/time" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' >>"$dir/$name"
}
seconds() { cut -d' ' -f1 "$dir/$1" | median; }
cpu() { cut -d' ' -f3 "$dir/$1" | median; }
mb() { echo $(($(cut -d' ' -f2 "$dir/$1" | median) * 1024 / 1000000)); } # the targets are in MB

echo "measuring ($runs runs; load average before: $(cut -d' ' -f1-3 /proc/loadavg))..."
for run in $(seq "$runs"); do
    measure psql "${psql_fetch[@]}"
    measure snapshot "$cli" snapshot --db "$uri" -o "$dir/snapshot.json"
    measure check-db "$cli" check --db "$uri" --key "$key" --model "$model"
    measure check-ws "$cli" check --workspace "$dir/snapshot.json" --key "$key" --model "$model"
    if [ -n "${OLD:-}" ]; then
        measure old-snapshot "$OLD" snapshot --db "$uri" -o "$dir/old-snapshot.json"
        measure old-check-db "$OLD" check --db "$uri" --key "$key" --model "$model"
    fi
done
"$cli" check --db "$uri" --key "$key" --model "$model" 2>/dev/null | head -n 1 >"$dir/decision" || true
compile_ms=$("$compile" "$dir/snapshot.json" "$runs")

read -r teams members users keys deployments <<<"$counts"
psql_s=$(seconds psql)
ratio() { awk -v a="$1" -v b="$psql_s" 'BEGIN { printf "%.2f", a / b }'; }
echo
label="scale $scale"
[ -z "${DB:-}" ] || label="the given database"
echo "$label: $teams teams, $members memberships, $users users, $keys keys, $deployments deployments"
echo "($runs runs, medians; $(nproc) cores; workspace file $(($(stat -c %s "$dir/snapshot.json") / 1000000)) MB;"
echo " check: $(cat "$dir/decision"))"
row() { # name, label, then what to say after the figures
    printf '  %-40s %6s s %5s MB  CPU %5s s  %s\n' "$2" "$(seconds "$1")" "$(mb "$1")" "$(cpu "$1")" "${3:-}"
}
vs() { echo "$(ratio "$(seconds "$1")") x psql${2:+ (target <= $2)}"; }
row psql "psql fetching the same rows" "(the server's work is not in its CPU)"
row snapshot "litescope-cli snapshot --db -o FILE" "$(vs snapshot "1.2 x, 300 MB")"
row check-db "litescope-cli check --db (one request)" "$(vs check-db "1.5 x, 400 MB")"
row check-ws "litescope-cli check --workspace FILE"
if [ -n "${OLD:-}" ]; then
    row old-snapshot "OLD snapshot --db -o FILE" "$(vs old-snapshot)"
    row old-check-db "OLD check --db (one request)" "$(vs old-check-db)"
fi
printf '  %-40s %6s s\n' "engine compile of the workspace" "$(awk -v ms="$compile_ms" 'BEGIN { printf "%.2f", ms / 1000 }')"
awk -v c="$(seconds check-db)" -v s="$(seconds snapshot)" -v m="$compile_ms" 'BEGIN {
    printf "  check --db vs snapshot + compile: %.2f s vs %.2f s (target: not slower)\n", c, s + m / 1000 }'
