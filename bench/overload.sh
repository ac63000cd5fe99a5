#!/usr/bin/env bash
# Overload: more clients than the service can serve. Per-address limits are lifted (as if every
# connection were another client), and wrk loads a read the database must answer (the public
# registry's list, filtered by country) at 8, 32, 128 and 512 connections. Once more requests
# wait for a database connection than `db_max_waiting` allows, the rest are answered at once
# with 429 and `Retry-After` instead of joining the queue, so the latency of what is served
# stays bounded instead of growing with the queue. Prints, per level: the rate, answers served,
# 429s (and how many had Retry-After), other errors, p50 and p99.
#   bench/overload.sh
#   LEVELS="16 256 1024" SECONDS_EACH=20 bench/overload.sh
set -euo pipefail
cd "$(dirname "$0")/.."

levels=${LEVELS:-8 32 128 512}
seconds=${SECONDS_EACH:-10}
pg_url=${PG_URL:-postgres://root@127.0.0.1:5432/test}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || true
cargo build -q --release
bin="${CARGO_TARGET_DIR:-target}/release/fairhire"
work=$(mktemp -d)
server=""
db=fairhire_bench_overload
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  PGOPTIONS='--client-min-messages=warning' psql "$pg_url" -qAtc "drop database if exists $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
PGOPTIONS='--client-min-messages=warning' psql "$pg_url" -qAtc "drop database if exists $db" -c "create database $db" >/dev/null
export DATABASE_URL="${pg_url%/*}/$db" FAIRHIRE_DATA_DIR="$work" FAIRHIRE_SWEEP_INTERVAL_SECONDS=0 RUST_LOG=warn
export FAIRHIRE_LIMITS__API_PER_SECOND=10000000 FAIRHIRE_LIMITS__API_BURST=10000000
"$bin" seed-demo --agencies 10000 >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.2; done
for c in NP PH BD IN ID LK VN KH MM PK; do echo "/v1/public/agencies?country=$c&limit=20"; done >"$work/paths"

printf '\n%-12s %10s %9s %9s %12s %7s %8s %8s\n' connections "req/s" served 429 "Retry-After" other "p50 ms" "p99 ms"
for c in $levels; do
  PATHS_FILE="$work/paths" wrk -t2 -c"$c" -d"${seconds}s" --timeout 10s -s bench/overload.lua "http://127.0.0.1:$port/" \
    | awk -v c="$c" '/^RESULT/ {for (i = 2; i <= NF; i++) {split($i, kv, "="); v[kv[1]] = kv[2]}
        printf "%-12s %10s %9s %9s %12s %7s %8s %8s\n", c, v["rate"], v["ok"], v["limited"], v["retry_after"], v["other"], v["p50"], v["p99"]}'
done
