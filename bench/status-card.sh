#!/usr/bin/env bash
# A worker's status card loaded on a slow-3G line (DevTools' throttling in headless Chromium):
# load time, DOMContentLoaded, bytes over the wire and requests, cold and on a return visit,
# with the time as a ratio of a baseline (`/healthz` under the same throttling) measured in the
# same run. See bench/status-card-slow3g.mjs for the figures and what is measured.
#
# Needs `npm ci --prefix browser` and Chromium (apt-get install chromium).
#
#   bench/status-card.sh               # release build, SQLite demo registry, 3 runs
#   RUNS=5 PROFILE=debug bench/status-card.sh
#   # PostgreSQL, in an empty schema made for it (seed-demo wants an empty registry):
#   psql "$PG" -c 'create schema bench_pages'
#   DATABASE_URL="$PG?options=-c%20search_path%3Dbench_pages" bench/status-card.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f browser/node_modules/playwright-core/package.json ] \
  || { echo "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix browser first" >&2; exit 1; }
exec scripts/with-demo-server.sh node bench/status-card-slow3g.mjs
