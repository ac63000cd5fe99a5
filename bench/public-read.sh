#!/usr/bin/env bash
# The public lookup served from memory, against bare baselines measured in the same run:
#   json      GET /json on bench/baseline: actix answering a fixed JSON object (actix's own cost)
#   row       GET /row/{id} on bench/baseline: one row by primary key with tokio-postgres
#   lookup    GET /v1/public/agencies/{id} on fairhire, answered from its cache
#   uncached  the same lookup with the cache off (FAIRHIRE_CACHE__MAX_BYTES=0), per pool size
# Each is loaded with wrk at $CONNECTIONS connections for $SECONDS_EACH s over 1,000 agencies of
# a seeded registry. Then hey holds the lookup at half the rate wrk reached and reports its p99,
# and the service's resident memory is read idle and at the end of the load.
#
#   bench/public-read.sh                              # PostgreSQL, 10,000 agencies
#   AGENCIES=100000 CONNECTIONS=16 bench/public-read.sh
#   POOLS="2 4 8 16" bench/public-read.sh             # pool sizes for the uncached lookup
set -euo pipefail
cd "$(dirname "$0")/.."

agencies=${AGENCIES:-10000}
seconds=${SECONDS_EACH:-10}
connections=${CONNECTIONS:-8}
pools=${POOLS:-2 4 8}
pg_url=${PG_URL:-postgres://root@127.0.0.1:5432/test}
for tool in wrk hey psql; do
  command -v $tool >/dev/null || { echo "$tool is needed: apt-get install wrk hey postgresql-client" >&2; exit 1; }
done

target=${CARGO_TARGET_DIR:-target}
cargo build -q --release
CARGO_TARGET_DIR="$target/bench-baseline" cargo build -q --release --locked --manifest-path bench/baseline/Cargo.toml
bin="$target/release/fairhire"
baseline_bin="$target/bench-baseline/release/fairhire-bench-baseline"
work=$(mktemp -d)
pids=()
db=fairhire_bench_read
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PGOPTIONS='--client-min-messages=warning' psql "$pg_url" -qAtc "drop database if exists $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

PGOPTIONS='--client-min-messages=warning' psql "$pg_url" -qAtc "drop database if exists $db" -c "create database $db" >/dev/null
export DATABASE_URL="${pg_url%/*}/$db" FAIRHIRE_DATA_DIR="$work" FAIRHIRE_SWEEP_INTERVAL_SECONDS=0 RUST_LOG=warn
# As the container image runs it (deploy/Dockerfile says why).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# One client address sends everything: lift the per-address limit.
export FAIRHIRE_LIMITS__API_PER_SECOND=10000000 FAIRHIRE_LIMITS__API_BURST=10000000
"$bin" seed-demo --agencies "$agencies" >/dev/null

start_service() { # pool size, extra env...; sets $service and $base
  local port; port=$(free_port)
  env FAIRHIRE_DB_POOL_SIZE="$1" "${@:2}" "$bin" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  service=$!; pids+=("$service"); base="http://127.0.0.1:$port"
  until curl -fs "$base/readyz" >/dev/null; do sleep 0.2; done
}
stop_service() { kill "$service"; wait "$service" 2>/dev/null || true; }

baseline_port=$(free_port)
"$baseline_bin" "127.0.0.1:$baseline_port" "$DATABASE_URL" >"$work/baseline.log" 2>&1 &
pids+=("$!")
until curl -fs "http://127.0.0.1:$baseline_port/json" >/dev/null; do sleep 0.2; done

start_service 4
idle=$(rss_mb "$service")
curl -fs "$base/v1/exports/registry.json" | python3 -c "
import json, sys
ids = [json.loads(line)['id'] for line in sys.stdin]
step = max(1, len(ids) // 1000)
sample = ids[::step][:1000]
open('$work/lookup.paths', 'w').write('\n'.join('/v1/public/agencies/' + i for i in sample) + '\n')
open('$work/row.paths', 'w').write('\n'.join('/row/' + i for i in sample) + '\n')
open('$work/json.paths', 'w').write('/json\n')
"

load() { # name, base url, paths file -> "name requests/s p99"
  PATHS_FILE="$3" wrk -t2 -c"$connections" -d"${seconds}s" -s bench/search.lua "$2/" \
    | awk -v name="$1" -v s="$seconds" '/^RESULT/ {split($2, r, "="); split($6, p, "="); printf "%s %.0f %s\n", name, r[2] / s, p[2]}'
}

# A first pass fills the cache (and warms PostgreSQL's buffers for the row read).
PATHS_FILE="$work/lookup.paths" wrk -t1 -c4 -d2s -s bench/search.lua "$base/" >/dev/null
PATHS_FILE="$work/row.paths" wrk -t1 -c4 -d2s -s bench/search.lua "http://127.0.0.1:$baseline_port/" >/dev/null
json=$(load json "http://127.0.0.1:$baseline_port" "$work/json.paths")
row=$(load row "http://127.0.0.1:$baseline_port" "$work/row.paths")
lookup=$(load lookup "$base" "$work/lookup.paths")
loaded=$(rss_mb "$service")

rate() { echo "$1" | awk '{print $2}'; }
printf '\n%s agencies, PostgreSQL, wrk %s connections, %s s each\n' "$agencies" "$connections" "$seconds"
printf '%-22s %12s %9s %12s %12s\n' what "requests/s" "p99 ms" "vs row" "vs json"
for r in "$json" "$row" "$lookup"; do
  set -- $r
  printf '%-22s %12s %9s %12s %12s\n' "$1" "$2" "$3" \
    "$(awk -v a="$2" -v b="$(rate "$row")" 'BEGIN {printf "%.2fx", a / b}')" \
    "$(awk -v a="$2" -v b="$(rate "$json")" 'BEGIN {printf "%.2fx", a / b}')"
done

# Half the maximum rate, held by hey on one agency (hey's -q is per connection).
half=$(( $(rate "$lookup") / 2 ))
per=$(( half / connections > 0 ? half / connections : 1 ))
one=$(head -1 "$work/lookup.paths")
p99=$(hey -z "${seconds}s" -c "$connections" -q "$per" "$base$one" | awk '/99% in/ {printf "%.2f", $3 * 1000}')
printf '\nlookup held at %s requests/s (half the maximum): p99 %s ms\n' "$(( per * connections ))" "$p99"
printf 'service memory (RSS, MALLOC_ARENA_MAX=%s): %s MB idle, %s MB at the end of the lookup load\n' "$MALLOC_ARENA_MAX" "$idle" "$loaded"
stop_service

printf '\nuncached lookup (cache off), by database pool size\n%-22s %12s %9s %12s\n' what "requests/s" "p99 ms" "vs row"
for pool in $pools; do
  start_service "$pool" FAIRHIRE_CACHE__MAX_BYTES=0
  set -- $(load "uncached-pool-$pool" "$base" "$work/lookup.paths")
  printf '%-22s %12s %9s %12s\n' "$1" "$2" "$3" "$(awk -v a="$2" -v b="$(rate "$row")" 'BEGIN {printf "%.2fx", a / b}')"
  stop_service
done
