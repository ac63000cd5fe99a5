#!/usr/bin/env bash
# Load benchmark: the hot read paths against a baseline measured in the same run.
#
# Starts a throwaway service on the demo registry (`seed-demo`), loads each endpoint with wrk
# on loopback for a fixed time, and reports requests per second and latency, with each
# endpoint's throughput as a ratio of the baseline (`/healthz`: routing, middleware and JSON,
# no database). Ratios, not absolute numbers, are what compare across machines and runs.
#
#   bench/run.sh                       # SQLite, release build
#   DATABASE_URL=postgres://root@127.0.0.1:5432/test?options=-c%20search_path%3Dbench bench/run.sh
#   PROFILE=debug SECONDS_EACH=5 bench/run.sh
#
# The worker pages as a phone on a slow line sees them (Chromium, DevTools' "3G" throttling):
# bench/status-card.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${PROFILE:-release}
seconds=${SECONDS_EACH:-10}
connections=${CONNECTIONS:-16}
port=${BENCH_PORT:-18190}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

if [ "$profile" = release ]; then cargo build -q --release; else cargo build -q; fi
bin="target/$profile/fairhire"
work=$(mktemp -d)
export FAIRHIRE_DATA_DIR="$work" DATABASE_URL="${DATABASE_URL:-$work/bench.db}"
# One client address sends everything here: lift the per-address limit; no sweeps meanwhile.
export FAIRHIRE_LIMITS__API_PER_SECOND=1000000 FAIRHIRE_LIMITS__API_BURST=1000000 FAIRHIRE_SWEEP_INTERVAL_SECONDS=0
export RUST_LOG=warn

"$bin" seed-demo >/dev/null
admin=$("$bin" client create --name bench-admin --role admin)
"$bin" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
token=$(curl -fs -u "$(printf '%s' "$admin" | field '["client_id"]'):$(printf '%s' "$admin" | field '["client_secret"]')" \
  -d grant_type=client_credentials "$base/v1/oauth/token" | field '["access_token"]')
agency=$(curl -fs "$base/v1/public/agencies?status=certified&limit=1" | field '["data"][0]["id"]')

# name | path | needs the token
endpoints=(
  "baseline /healthz|/healthz|no"
  "public search (q, corridor)|/v1/public/agencies?q=manpower&destination=QA|no"
  "public agency|/v1/public/agencies/$agency|no"
  "signed attestation|/v1/public/agencies/$agency/attestation|no"
  "registry search (token)|/v1/agencies?origin=NP&sector=construction|yes"
  "agency (token)|/v1/agencies/$agency|yes"
  "due diligence (token)|/v1/agencies/$agency/due-diligence|yes"
  "change feed, 100 events|/v1/events?after=0&limit=100|yes"
  "change feed, filtered|/v1/events?after=0&types=certification.status_changed&country=NP&limit=100|yes"
)

printf '\n%-30s %12s %10s %10s %8s\n' endpoint "req/s" "p50 ms" "p99 ms" ratio
baseline=""
for entry in "${endpoints[@]}"; do
  IFS='|' read -r name path auth <<<"$entry"
  headers=()
  [ "$auth" = yes ] && headers=(-H "Authorization: Bearer $token")
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "${headers[@]}" "$base$path")
  if ! grep -q "Non-2xx" <<<"$out"; then :; else echo "warning: $name had non-2xx answers" >&2; fi
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  ms() { python3 -c "
v='$1'
for unit, f in (('us', 0.001), ('ms', 1), ('s', 1000)):
    if v.endswith(unit) and not (unit == 's' and v.endswith(('ms', 'us'))):
        print(round(float(v[:-len(unit)]) * f, 2)); break"; }
  [ -z "$baseline" ] && baseline=$rps
  ratio=$(python3 -c "print(round($rps / $baseline, 3))")
  printf '%-30s %12s %10s %10s %8s\n' "$name" "$rps" "$(ms "$p50")" "$(ms "$p99")" "$ratio"
done
echo
case "$DATABASE_URL" in postgres*) backend=postgres ;; *) backend=sqlite ;; esac
echo "backend: $backend  profile: $profile  connections: $connections  ${seconds}s each  cores: $(nproc)"
if grep -q panicked "$work/serve.log"; then echo "the service panicked; see its log" >&2; exit 1; fi
