#!/usr/bin/env bash
# The snapshot benchmark of docs/PERFORMANCE.md: a generated LiteLLM database (1,000 teams,
# 100,000 members, 200,000 keys, 500 models) read by `litescope-cli snapshot` and, in the same
# run, the same rows fetched by psql. Prints wall time and peak memory of each, median of RUNS.
# Usage: tests/bench/snapshot-benchmark.sh [build-dir]   (RUNS=3 by default)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
cli=$build/bin/litescope-cli
runs=${RUNS:-3}
pgbin=/usr/lib/postgresql/15/bin
[ -x "$cli" ] || { echo "build litescope first: $cli is missing" >&2; exit 2; }

dir=$(mktemp -d)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir"
    as_pg=(runuser -u postgres --)
fi
cleanup() {
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT

"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -A trust -E UTF8 -U postgres >/dev/null
port=""
for attempt in 1 2 3 4 5; do
    candidate=$((20000 + RANDOM % 30000))
    if "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
        -o "-p $candidate -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=256MB" \
        start >/dev/null; then
        port=$candidate
        break
    fi
done
[ -n "$port" ] || { echo "could not start PostgreSQL" >&2; cat "$dir/log" >&2; exit 2; }

psql_cmd=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
"${psql_cmd[@]}" -d postgres -c "CREATE DATABASE bench"
echo "loading the generated database..."
"${psql_cmd[@]}" -d bench -f "$root/tests/data/pg/litellm-newest.sql" -f "$root/tests/bench/snapshot-data.sql"
uri="postgresql://postgres@127.0.0.1:$port/bench"

# The rows litescope's snapshot reads, fetched by psql as text and thrown away.
queries=(
    "SELECT model_id, model_name, litellm_params->>'model', model_info::text FROM \"LiteLLM_ProxyModelTable\""
    "SELECT t.team_id, t.team_alias, t.organization_id, array_to_json(t.models)::text, array_to_json(t.default_team_member_models)::text, t.blocked, array_to_json(t.access_group_ids)::text, t.members_with_roles::text, m.aliases::text FROM \"LiteLLM_TeamTable\" t LEFT JOIN \"LiteLLM_ModelTable\" m ON m.id = t.model_id"
    "SELECT m.team_id, m.user_id, m.budget_id, array_to_json(b.allowed_models)::text, b.max_budget, b.tpm_limit, b.rpm_limit, m.spend FROM \"LiteLLM_TeamMembership\" m LEFT JOIN \"LiteLLM_BudgetTable\" b ON b.budget_id = m.budget_id"
    "SELECT user_id, user_email, user_role, array_to_json(models)::text, array_to_json(teams)::text FROM \"LiteLLM_UserTable\""
    "SELECT token, key_alias, team_id, user_id, project_id, array_to_json(models)::text, aliases::text, config::text, array_to_json(access_group_ids)::text, blocked FROM \"LiteLLM_VerificationToken\""
)
psql_fetch() {
    for query in "${queries[@]}"; do
        "${psql_cmd[@]}" -d bench -c "\\copy ($query) TO '/dev/null'"
    done
}
export -f psql_fetch 2>/dev/null || true

measure() { # prints "seconds peak-KiB" for the command
    /usr/bin/time -f "%e %M" -o "$dir/time" "$@" >/dev/null
    cat "$dir/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: >"$dir/cli"; : >"$dir/psql"
for run in $(seq "$runs"); do
    measure "$cli" snapshot --db "$uri" -o "$dir/snapshot.json" >>"$dir/cli"
    measure bash -c "$(declare -p queries psql_cmd); $(declare -f psql_fetch); psql_fetch" >>"$dir/psql"
done

cli_s=$(cut -d' ' -f1 "$dir/cli" | median)
cli_kib=$(cut -d' ' -f2 "$dir/cli" | median)
psql_s=$(cut -d' ' -f1 "$dir/psql" | median)
bytes=$(stat -c %s "$dir/snapshot.json")
echo
echo "snapshot of 1,000 teams / 100,000 members / 200,000 keys ($runs runs, medians)"
echo "  litescope-cli snapshot: ${cli_s} s, peak memory $((cli_kib / 1024)) MiB, workspace file $((bytes / 1024 / 1024)) MiB"
echo "  psql fetching the same rows: ${psql_s} s"
awk -v a="$cli_s" -v b="$psql_s" 'BEGIN { printf "  ratio: %.2f x psql (target <= 2)\n", a / b }'
