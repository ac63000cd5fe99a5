#!/usr/bin/env bash
# Fault drill: `kill -9` of one of two instances while webhooks are being delivered. Two
# instances share one PostgreSQL database and deliver to one receiver (bench/webhook-receiver.py,
# which answers after 50 ms so deliveries are in flight). AGENCIES agencies are created through
# both instances, each making one `agency.created` event; halfway, instance A is killed with
# SIGKILL. Instance B must then deliver everything: A's claims expire (claim TTL 5 s here) and B
# takes them over. It checks:
#   - no event lost: every event has a message the receiver got;
#   - no event sent under two ids: each event is queued once, with one `webhook-id`;
#   - and it counts the messages received twice under their one id: an attempt A had sent but
#     not yet recorded when it died is sent again by B (delivery is at least once; the repeat
#     carries the same `webhook-id`, so a receiver drops it).
# Exits 1 if an event is lost or sent under two ids.
#   bench/kill-instance.sh
#   AGENCIES=500 bench/kill-instance.sh
set -euo pipefail
cd "$(dirname "$0")/.."

agencies=${AGENCIES:-200}
pg_url=${PG_URL:-postgres://root@127.0.0.1:5432/test}
cargo build -q --release
bin="${CARGO_TARGET_DIR:-target}/release/fairhire"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PGOPTIONS='--client-min-messages=warning' psql "$pg_url" -qAtc "drop database if exists $db" >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

db=fairhire_drill_kill
PGOPTIONS='--client-min-messages=warning' psql "$pg_url" -qAtc "drop database if exists $db" -c "create database $db" >/dev/null
export DATABASE_URL="${pg_url%/*}/$db" FAIRHIRE_DATA_DIR="$work/data" RUST_LOG=warn FAIRHIRE_SWEEP_INTERVAL_SECONDS=0
export FAIRHIRE_LIMITS__API_PER_SECOND=100000 FAIRHIRE_LIMITS__API_BURST=100000
# Loopback receivers are allowed here only; a short claim so the drill need not wait 2 minutes.
export FAIRHIRE_WEBHOOKS__ALLOW_PRIVATE_TARGETS=true FAIRHIRE_WEBHOOKS__TIMEOUT_MS=2000
export FAIRHIRE_WEBHOOKS__CONNECT_TIMEOUT_MS=1000 FAIRHIRE_WEBHOOKS__CLAIM_TTL_SECONDS=5
"$bin" migrate >/dev/null
admin=$("$bin" client create --name drill-admin --role admin)

receiver_port=$(free_port)
python3 bench/webhook-receiver.py "$receiver_port" "$work/received" 50 &
pids+=("$!")
start_instance() { # port -> pid
  "$bin" serve --bind "127.0.0.1:$1" >"$work/serve-$1.log" 2>&1 &
  echo $!
}
port_a=$(free_port); port_b=$(free_port)
a=$(start_instance "$port_a"); pids+=("$a")
b=$(start_instance "$port_b"); pids+=("$b")
for p in "$port_a" "$port_b"; do until curl -fs "http://127.0.0.1:$p/readyz" >/dev/null; do sleep 0.2; done; done
token_of() { # client json, port
  curl -fs -u "$(printf '%s' "$1" | field '["client_id"]'):$(printf '%s' "$1" | field '["client_secret"]')" \
    -d grant_type=client_credentials "http://127.0.0.1:$2/v1/oauth/token" | field '["access_token"]'
}
admin_token=$(token_of "$admin" "$port_b")
# An admin's subscription: `agency.created` is not a public event, which an integrator would not get.
curl -fs -o /dev/null -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
  -d "{\"url\": \"http://127.0.0.1:$receiver_port/hook\", \"event_types\": [\"agency.created\"]}" \
  "http://127.0.0.1:$port_b/v1/webhooks"

create() { # n, port
  curl -fs -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
    -d "{\"legal_name\": \"Drill Manpower $1\", \"licence\": {\"number\": \"KD-$1\", \"issuing_authority\": \"DoFE\", \"country\": \"NP\"}, \"origin_countries\": [\"NP\"], \"destination_countries\": [\"QA\"], \"sectors\": [\"construction\"]}" \
    "http://127.0.0.1:$2/v1/agencies" || true
}
killed_at=""
for n in $(seq 1 "$agencies"); do
  if [ "$n" -eq $(( agencies / 2 )) ]; then
    kill -9 "$a"; killed_at=$n
  fi
  if [ -z "$killed_at" ] && [ $(( n % 2 )) -eq 0 ]; then create "$n" "$port_a"; else create "$n" "$port_b"; fi
done >"$work/created"
created=$(grep -c '^201$' "$work/created" || true)
events=$(psql "$DATABASE_URL" -Atc "select count(*) from events where event_type = 'agency.created'")
messages=$(psql "$DATABASE_URL" -Atc "select count(*) from webhook_deliveries")
# B delivers what is left, A's claims included once they expire.
drain_started=$(date +%s.%N)
for _ in $(seq 1 240); do
  pending=$(psql "$DATABASE_URL" -Atc "select count(*) from webhook_deliveries where status = 'pending'")
  [ "$pending" = 0 ] && break
  sleep 0.5
done
drained=$(python3 -c "print(round($(date +%s.%N) - $drain_started, 1))")
sleep 1
touch "$work/received"
received=$(wc -l <"$work/received")
distinct=$(sort -u "$work/received" | grep -c . || true)
per_event=$(psql "$DATABASE_URL" -Atc "select count(*) from (select event_sequence from webhook_deliveries group by event_sequence having count(*) > 1) twice")
printf 'agencies created (201): %s of %s; instance A killed before request %s\n' "$created" "$agencies" "$killed_at"
printf 'agency.created events: %s; messages queued: %s; still pending: %s (%s s after the last request)\n' "$events" "$messages" "$pending" "$drained"
printf 'messages received: %s, distinct ids: %s, repeats of an id already received: %s\n' "$received" "$distinct" "$(( received - distinct ))"
printf 'events queued under more than one id: %s\n' "$per_event"
status=0
[ "$distinct" = "$events" ] || { echo "FAIL: $events events, $distinct delivered"; status=1; }
[ "$per_event" = 0 ] || { echo "FAIL: an event was queued twice"; status=1; }
[ "$pending" = 0 ] || {
  echo "FAIL: deliveries still pending:"
  psql "$DATABASE_URL" -Atc "select status, attempts, next_attempt_at, claimed_by, claim_expires_at, last_error from webhook_deliveries where status = 'pending' limit 5"
  status=1
}
echo "kill-instance drill: $([ $status = 0 ] && echo passed || echo FAILED)"
exit $status
