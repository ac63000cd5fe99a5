#!/usr/bin/env bash
# Search latency at scale: p50, p95 and p99 of the forgiving registry search against a
# single-row read measured in the same run, on registries of 10,000 and 1,000,000 agencies.
#
# For each size it seeds an empty database with `fairhire seed-demo --agencies N` (timed),
# starts the service (which builds its search index), samples 500 agencies from the open data
# export and turns them into what recruiters type (bench/search-queries.py: exact names, a
# misspelt word, words reordered without the legal form, the first two words, licence numbers,
# some with a corridor filter), then loads with wrk (bench/search.lua reports percentiles):
#   baseline  GET /v1/agencies/{id}            one row by primary key (token)
#   search    GET /v1/public/agencies?q=...     the ranked search, 20 results, public view
# Ratios against the baseline are what compare across machines.
#
#   bench/search.sh                                     # PostgreSQL (the goal's backend), 10k and 1M
#   CONNECTIONS="1 4 16" bench/search.sh                # wrk connections (default "1 4")
#   SIZES="10000" bench/search.sh                       # one size
#   BACKEND=sqlite SIZES="10000 100000" bench/search.sh
#   PG_URL=postgres://root@127.0.0.1:5432/test bench/search.sh  # server with databases to create
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${SIZES:-10000 1000000}
backend=${BACKEND:-postgres}
seconds=${SECONDS_EACH:-15}
connections=${CONNECTIONS:-1 4}
pg_url=${PG_URL:-postgres://root@127.0.0.1:5432/test}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

cargo build -q --release
bin="${CARGO_TARGET_DIR:-target}/release/fairhire"
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
export FAIRHIRE_DATA_DIR="$work" FAIRHIRE_SWEEP_INTERVAL_SECONDS=0 RUST_LOG=warn
# One client address sends everything here: lift the per-address limits.
export FAIRHIRE_LIMITS__API_PER_SECOND=1000000 FAIRHIRE_LIMITS__API_BURST=1000000
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

run_wrk() { # name, connections, paths file, token
  PATHS_FILE="$3" TOKEN="$4" wrk -t"$(( $2 < 2 ? 1 : 2 ))" -c"$2" -d"${seconds}s" -s bench/search.lua "$base/" \
    | awk -v name="$1" '/^RESULT/ {print name, $0}'
}

printf '\n%-9s %-9s %-6s %-10s %9s %8s %8s %8s %10s\n' agencies backend conns what requests "p50 ms" "p95 ms" "p99 ms" "p95 ratio"
for n in $sizes; do
  case "$backend" in
    postgres)
      db="fairhire_bench_$n"
      PGOPTIONS='--client-min-messages=warning' psql "$pg_url" -qAtc "drop database if exists $db" -c "create database $db" >/dev/null
      export DATABASE_URL="${pg_url%/*}/$db" ;;
    *) export DATABASE_URL="$work/bench-$n.db"; rm -f "$DATABASE_URL" ;;
  esac
  started=$(date +%s)
  "$bin" seed-demo --agencies "$n" >/dev/null
  seeded=$(( $(date +%s) - started ))
  admin=$("$bin" client create --name bench-admin --role admin)
  started=$(date +%s)
  "$bin" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  server=$!
  until curl -fs "$base/healthz" >/dev/null; do sleep 0.2; done
  # The index is built in the background after start; the first search waits for it.
  curl -fs "$base/v1/public/agencies?q=ready" >/dev/null
  up=$(( $(date +%s) - started ))
  token=$(curl -fs -u "$(printf '%s' "$admin" | field '["client_id"]'):$(printf '%s' "$admin" | field '["client_secret"]')" \
    -d grant_type=client_credentials "$base/v1/oauth/token" | field '["access_token"]')
  # A sample spread over the registry: every k-th record of the export.
  step=$(( n / 5000 > 0 ? n / 5000 : 1 ))
  curl -fs "$base/v1/exports/registry.json" | awk -v k="$step" 'NR % k == 0' > "$work/sample.jsonl"
  python3 bench/search-queries.py 500 < "$work/sample.jsonl" > "$work/search.paths"
  python3 -c "
import json
lines = open('$work/sample.jsonl').readlines()[:500]
print('\\n'.join('/v1/agencies/' + json.loads(line)['id'] for line in lines))
" > "$work/read.paths"
  # Warm both paths once, then measure.
  PATHS_FILE="$work/search.paths" wrk -t1 -c1 -d2s -s bench/search.lua "$base/" >/dev/null
  for c in $connections; do
    base_line=$(run_wrk baseline "$c" "$work/read.paths" "$token")
    search_line=$(run_wrk search "$c" "$work/search.paths" "")
    p95() { sed -E 's/.*p95=([0-9.]+).*/\1/' <<<"$1"; }
    for line in "$base_line" "$search_line"; do
      what=${line%% *}
      req=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
      err=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$line")
      [ "$err" = 0 ] || echo "warning: $what had $err failed requests" >&2
      p50=$(sed -E 's/.*p50=([0-9.]+).*/\1/' <<<"$line")
      p99=$(sed -E 's/.*p99=([0-9.]+).*/\1/' <<<"$line")
      ratio=$(python3 -c "print(round($(p95 "$line") / max($(p95 "$base_line"), 0.001), 2))")
      printf '%-9s %-9s %-6s %-10s %9s %8s %8s %8s %10s\n' "$n" "$backend" "$c" "$what" "$req" "$p50" "$(p95 "$line")" "$p99" "$ratio"
    done
  done
  echo "          seeded in ${seeded}s; service up, search index built, in ${up}s"
  if grep -q panicked "$work/serve.log"; then echo "the service panicked; see $work/serve.log" >&2; exit 1; fi
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  if [ "$backend" = postgres ]; then psql "$pg_url" -qAtc "drop database if exists $db" >/dev/null; fi
done
echo
echo "connections: $connections (wrk -c)  ${seconds}s each  cores: $(nproc)  (goal: search p95 under 20 ms at 1,000,000 on PostgreSQL)"
