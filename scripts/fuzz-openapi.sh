#!/usr/bin/env bash
# Fuzzes the running service from its own OpenAPI document with schemathesis: every operation,
# every check. Starts a throwaway service (SQLite by default; set DATABASE_URL for PostgreSQL),
# makes an admin token, and runs for FUZZ_SECONDS (default 120).
#   scripts/fuzz-openapi.sh
#   DATABASE_URL=postgres://root@127.0.0.1:5432/test FUZZ_SECONDS=300 scripts/fuzz-openapi.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v schemathesis >/dev/null || python3 -m pip install -q schemathesis
cargo build -q
work=$(mktemp -d)
port=${FUZZ_PORT:-18181}
export FAIRHIRE_DATA_DIR="$work" DATABASE_URL="${DATABASE_URL:-$work/fuzz.db}"
# The fuzzer is one client sending thousands of requests: lift the per-address API limit.
export FAIRHIRE_LIMITS__API_PER_SECOND=100000 FAIRHIRE_LIMITS__API_BURST=100000
# Likewise the worker-report allowance and the strict bucket of follow-up codes.
export FAIRHIRE_LIMITS__REPORTS_PER_HOUR=1000000 FAIRHIRE_LIMITS__REPORTS_BURST=100000
export FAIRHIRE_LIMITS__TOKEN_PER_SECOND=100000 FAIRHIRE_LIMITS__TOKEN_BURST=100000
bin=${CARGO_TARGET_DIR:-target}/debug/fairhire
admin=$($bin client create --name fuzz-admin --role admin)
$bin serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
id=$(printf '%s' "$admin" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])')
secret=$(printf '%s' "$admin" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])')
token=$(curl -fs -u "$id:$secret" -d grant_type=client_credentials "http://127.0.0.1:$port/v1/oauth/token" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
status=0
schemathesis run "http://127.0.0.1:$port/openapi.json" -H "Authorization: Bearer $token" \
  --checks all --max-time "${FUZZ_SECONDS:-120}" -w 2 "$@" || status=$?
if grep -q panicked "$work/serve.log"; then echo "the service panicked; see its log" >&2; exit 1; fi
exit $status
