#!/usr/bin/env bash
# Runs a command against a throwaway fairhire on the demo registry.
#
# Builds fairhire (release unless PROFILE=debug), seeds a temporary SQLite data directory with
# `fairhire seed-demo` (or the database DATABASE_URL names, which must be empty), serves it on a
# free loopback port, and runs the command with
#   FAIRHIRE_BASE_URL   the service's address
#   FAIRHIRE_AGENCY_ID  a certified agency of the demo registry
# in its environment; then stops the service and removes the directory.
#
#   scripts/with-demo-server.sh node bench/status-card-slow3g.mjs
#   scripts/with-demo-server.sh node browser/screenshots.mjs
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }

profile=${PROFILE:-release}
if [ "$profile" = release ]; then cargo build -q --release; else cargo build -q; fi
bin="${CARGO_TARGET_DIR:-target}/$profile/fairhire"

work=$(mktemp -d)
export FAIRHIRE_DATA_DIR="$work" DATABASE_URL="${DATABASE_URL:-$work/demo.db}"
export FAIRHIRE_SWEEP_INTERVAL_SECONDS=0 RUST_LOG=warn
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" seed-demo >/dev/null
"$bin" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
curl -fs "$base/healthz" >/dev/null || { echo "the service did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

agency=$(curl -fs "$base/v1/public/agencies?status=certified&limit=1" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["id"])')
FAIRHIRE_BASE_URL="$base" FAIRHIRE_AGENCY_ID="$agency" "$@"
