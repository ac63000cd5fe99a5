#!/usr/bin/env bash
# Bulk verification benchmark: one call of 1,000 items against one call of 1 item, in the same
# run, on the demo registry.
#
# Starts a throwaway service on the demo registry (`seed-demo`), loads `POST /v1/verifications`
# with wrk on loopback, first with 1 item, then with 1,000 (a mix of ids, licences and names of
# the registry's agencies, repeats included), then 1,000 ids and licences only, and reports requests per second and latency, with
# the cost of the 1,000-item call as a ratio of the 1-item call's latency and the time per item.
# A ratio far below 1,000 is what batching buys; ratios, not absolute numbers, compare across
# machines and runs.
#
#   bench/verifications.sh                 # SQLite, release build
#   DATABASE_URL=postgres://root@127.0.0.1:5432/test?options=-c%20search_path%3Dbench bench/verifications.sh
#   PROFILE=debug SECONDS_EACH=5 bench/verifications.sh
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${PROFILE:-release}
seconds=${SECONDS_EACH:-10}
connections=${CONNECTIONS:-1}
port=${BENCH_PORT:-18191}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

if [ "$profile" = release ]; then cargo build -q --release; else cargo build -q; fi
bin="${CARGO_TARGET_DIR:-target}/$profile/fairhire"
work=$(mktemp -d)
export FAIRHIRE_DATA_DIR="$work" DATABASE_URL="${DATABASE_URL:-$work/bench.db}"
# One client address sends everything here: lift the per-address limit; no sweeps meanwhile.
export FAIRHIRE_LIMITS__API_PER_SECOND=1000000 FAIRHIRE_LIMITS__API_BURST=1000000 FAIRHIRE_SWEEP_INTERVAL_SECONDS=0
export RUST_LOG=warn

"$bin" seed-demo >/dev/null
client=$("$bin" client create --name bench-integrator --role integrator)
"$bin" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
token=$(curl -fs -u "$(printf '%s' "$client" | field '["client_id"]'):$(printf '%s' "$client" | field '["client_secret"]')" \
  -d grant_type=client_credentials "$base/v1/oauth/token" | field '["access_token"]')

# The registry's agencies, as items: by id, by licence and by name, over and over to 1,000.
curl -fs "$base/v1/public/agencies?limit=200" >"$work/agencies.json"
python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
agencies = json.load(open(f"{work}/agencies.json"))["data"]
def item(i, kinds=3):
    a = agencies[i % len(agencies)]
    kind = i % kinds
    if kind == 0:
        return {"reference": f"r{i}", "agency_id": a["id"]}
    if kind == 1:
        return {"reference": f"r{i}", "licence_country": a["licence"]["country"], "licence_number": a["licence"]["number"]}
    return {"reference": f"r{i}", "name": a["legal_name"], "country": a["licence"]["country"]}
for name, items in (("1", [item(0)]), ("1000", [item(i) for i in range(1000)]),
                    ("1000-batched", [item(i, 2) for i in range(1000)])):
    body = json.dumps({"items": items})
    with open(f"{work}/items-{name}.lua", "w") as f:
        f.write('wrk.method = "POST"\n')
        f.write('wrk.headers["Content-Type"] = "application/json"\n')
        f.write(f"wrk.body = {json.dumps(body)}\n")
EOF

ms() { python3 -c "
v='$1'
for unit, f in (('us', 0.001), ('ms', 1), ('s', 1000)):
    if v.endswith(unit) and not (unit == 's' and v.endswith(('ms', 'us'))):
        print(round(float(v[:-len(unit)]) * f, 2)); break"; }

printf '\n%-34s %10s %10s %10s %12s\n' call "req/s" "p50 ms" "p99 ms" "ms per item"
declare -A p50s
for variant in 1 1000 1000-batched; do
  n=${variant%%-*}
  out=$(wrk -t1 -c"$connections" -d"${seconds}s" --timeout 60s --latency -s "$work/items-$variant.lua" \
    -H "Authorization: Bearer $token" "$base/v1/verifications")
  if grep -q "Non-2xx" <<<"$out"; then echo "warning: $variant items had non-2xx answers" >&2; fi
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
  p99=$(ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
  p50s[$variant]=$p50
  per_item=$(python3 -c "print(round($p50 / $n, 3))")
  case $variant in
    1) label="1 item (id)" ;;
    1000) label="1,000 items (ids, licences, names)" ;;
    *) label="1,000 items (ids, licences)" ;;
  esac
  printf '%-34s %10s %10s %10s %12s\n' "$label" "$rps" "$p50" "$p99" "$per_item"
done
echo
for variant in 1000 1000-batched; do
  python3 -c "print('$variant: 1,000 items cost %.1f times one item (p50), %.1f%% of 1,000 single calls' % (${p50s[$variant]} / ${p50s[1]}, 100 * ${p50s[$variant]} / (1000 * ${p50s[1]})))"
done
echo "(names are one search each: the mixed call's extra time is theirs)"
case "$DATABASE_URL" in postgres*) backend=postgres ;; *) backend=sqlite ;; esac
echo "backend: $backend  profile: $profile  connections: $connections  ${seconds}s each  cores: $(nproc)"
if grep -q panicked "$work/serve.log"; then echo "the service panicked; see its log" >&2; exit 1; fi
