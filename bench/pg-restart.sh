#!/usr/bin/env bash
# Fault drill: PostgreSQL restarts under sustained load. A throwaway PostgreSQL cluster of its
# own (so nothing else on the machine loses its database) serves fairhire; bench/fault-load.py
# creates agencies and reads public records from 8 threads for 30 s; after 10 s the database
# stops for 5 s, then starts again. It checks what the issue promises:
#   - during the outage only 503 problem+json answers (no 500, no dropped connection);
#   - recovery within 5 s: from the database being back to the first success after it;
#   - no acknowledged write lost: every agency answered 201 is in the database afterwards.
# Exits 1 if any fails.  Run as root (the cluster runs as the postgres user).
#   bench/pg-restart.sh
#   LOAD_SECONDS=60 OUTAGE_SECONDS=10 bench/pg-restart.sh
set -euo pipefail
cd "$(dirname "$0")/.."

load_seconds=${LOAD_SECONDS:-30}
outage=${OUTAGE_SECONDS:-5}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
cargo build -q --release
bin="${CARGO_TARGET_DIR:-target}/release/fairhire"
work=$(mktemp -d)
chmod 755 "$work"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg_port=$(free_port)
pg() { runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/run/pg.log" -w -o "-p $pg_port -k $work/run -c listen_addresses=127.0.0.1" "$@" >/dev/null; }
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  pg stop -m immediate 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
install -d -o postgres -g postgres "$work/pg" "$work/run"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -A trust -U root >/dev/null
pg start

export DATABASE_URL="postgres://root@127.0.0.1:$pg_port/postgres" FAIRHIRE_DATA_DIR="$work/data" RUST_LOG=warn
export FAIRHIRE_SWEEP_INTERVAL_SECONDS=0 FAIRHIRE_LIMITS__API_PER_SECOND=100000 FAIRHIRE_LIMITS__API_BURST=100000
"$bin" migrate >/dev/null
admin=$("$bin" client create --name drill-admin --role admin)
port=$(free_port)
base="http://127.0.0.1:$port"
"$bin" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
until curl -fs "$base/readyz" >/dev/null; do sleep 0.2; done
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
token=$(curl -fs -u "$(printf '%s' "$admin" | field '["client_id"]'):$(printf '%s' "$admin" | field '["client_secret"]')" \
  -d grant_type=client_credentials "$base/v1/oauth/token" | field '["access_token"]')

now() { date +%s.%N; }
load_start=$(now)
python3 bench/fault-load.py "$base" "$token" "$load_seconds" 8 "$work/acked" >"$work/summary.json" &
load=$!
sleep 10
pg stop -m fast
down=$(now)
ready_while_down=$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz" || true)
sleep "$outage"
pg start
back=$(now)
wait "$load"

summary=$(cat "$work/summary.json")
acked=$(grep -c . "$work/acked" || true)
python3 -c "
ids = [l.strip() for l in open('$work/acked') if l.strip()]
print('select count(*) from agencies where id in (' + (','.join(\"'\" + i + \"'\" for i in ids) or \"''\") + ');')
" >"$work/count.sql"
stored=$(psql "$DATABASE_URL" -At -f "$work/count.sql")
python3 - "$summary" "$load_start" "$down" "$back" "$acked" "$stored" "$ready_while_down" "$work/acked.answers" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
start, down, back = (float(x) for x in sys.argv[2:5])
acked, stored, ready = int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
# Recovery: from the database being back to the first success that completed after it.
back_s = back - start
done_ok = sorted(float(t) + float(d) for t, _, status, d in (l.split() for l in open(sys.argv[8])) if status.isdigit() and int(status) < 300)
recovery = next((t - back_s for t in done_ok if t >= back_s), None)
print(f"answers {s['answers']}: {json.dumps(s['by_status'], sort_keys=True)}")
print(f"database down {down - start:.1f}-{back - start:.1f} s into the load; /readyz while down: {ready}")
print(f"failures seen by clients {s['first_failure_s']}-{s['last_failure_s']} s; slowest 503 {s['slowest_503_s']} s")
print(f"recovery after the database was back: {recovery if recovery is None else round(recovery, 2)} s")
print(f"acknowledged writes {acked}, found afterwards {stored}")
ok = True
if s["rule_breaking"]:
    ok = False; print(f"FAIL: {s['rule_breaking']} answers other than 2xx or 503 problem+json: {s['rule_breaking_examples']}")
if recovery is None or recovery > 5:
    ok = False; print("FAIL: no recovery within 5 s")
if stored != acked:
    ok = False; print("FAIL: acknowledged writes were lost")
if ready != "503":
    ok = False; print("FAIL: /readyz did not fail while the database was down")
print("pg-restart drill: " + ("passed" if ok else "FAILED"))
sys.exit(0 if ok else 1)
PY
