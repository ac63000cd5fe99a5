#!/usr/bin/env bash
# Contract tests: schemathesis runs every phase (examples, coverage, fuzzing, stateful) and every
# check against a throwaway service, from the service's own OpenAPI document, with the expected
# statuses of contract/schemathesis.toml. Starts the service on SQLite, or on a throwaway
# PostgreSQL database created beside DATABASE_URL and dropped afterwards; makes an admin token.
#   scripts/fuzz-openapi.sh
#   DATABASE_URL=postgres://root@127.0.0.1:5432/test scripts/fuzz-openapi.sh
#   FUZZ_SECONDS=600 scripts/fuzz-openapi.sh --seed 1     # longer; extra arguments go to schemathesis
set -euo pipefail
cd "$(dirname "$0")/.."
command -v schemathesis >/dev/null || python3 -m pip install -q --disable-pip-version-check 'schemathesis==4.32.5'
cargo build -q
work=$(mktemp -d)
port=${FUZZ_PORT:-18181}
bin=${CARGO_TARGET_DIR:-target}/debug/fairhire
database=""
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "$database" ] && psql "$DATABASE_URL" -qc "drop database if exists $database" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
export FAIRHIRE_DATA_DIR="$work"
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  # A database of its own: the run leaves thousands of rows behind.
  database="fuzz_$$"
  psql "$DATABASE_URL" -qc "create database $database" >/dev/null
  service_url="${DATABASE_URL%/*}/$database"
else
  service_url="$work/fuzz.db"
fi
# The fuzzer is one client sending thousands of requests: lift the per-address API limit.
limits=(FAIRHIRE_LIMITS__API_PER_SECOND=100000 FAIRHIRE_LIMITS__API_BURST=100000
  # Likewise the worker-report allowance and the strict bucket of follow-up codes.
  FAIRHIRE_LIMITS__REPORTS_PER_HOUR=1000000 FAIRHIRE_LIMITS__REPORTS_BURST=100000
  FAIRHIRE_LIMITS__TOKEN_PER_SECOND=100000 FAIRHIRE_LIMITS__TOKEN_BURST=100000)
admin=$(env DATABASE_URL="$service_url" "$bin" client create --name fuzz-admin --role admin)
env DATABASE_URL="$service_url" "${limits[@]}" "$bin" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
id=$(printf '%s' "$admin" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])')
secret=$(printf '%s' "$admin" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])')
token=$(curl -fs -u "$id:$secret" -d grant_type=client_credentials "http://127.0.0.1:$port/v1/oauth/token" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
status=0
schemathesis --config-file contract/schemathesis.toml run "http://127.0.0.1:$port/openapi.json" \
  -H "Authorization: Bearer $token" --checks all --phases examples,coverage,fuzzing,stateful \
  --max-time "${FUZZ_SECONDS:-180}" -w 2 --no-color "$@" || status=$?
if grep -q panicked "$work/serve.log"; then echo "the service panicked; see its log:" >&2; grep -B2 -A10 panicked "$work/serve.log" >&2; exit 1; fi
exit $status
