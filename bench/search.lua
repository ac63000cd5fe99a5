-- wrk script for bench/search.sh: cycles through the request paths in $PATHS_FILE (one per
-- line), sends $TOKEN as a bearer token when set, and prints p50, p95 and p99 in milliseconds.
local paths = {}
local n = 0

function init(args)
  for line in io.lines(os.getenv("PATHS_FILE")) do
    table.insert(paths, line)
  end
end

function request()
  n = n % #paths + 1
  local headers = {}
  local token = os.getenv("TOKEN")
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("GET", paths[n], headers)
end

function done(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout
  io.write(string.format("RESULT requests=%d errors=%d p50=%.2f p95=%.2f p99=%.2f\n",
    summary.requests, bad, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
