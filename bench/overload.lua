-- wrk script for bench/overload.sh: cycles through $PATHS_FILE, counts answers by status across
-- threads, and prints the rate, p50 and p99 in milliseconds and how many were 429 with
-- Retry-After.
local threads = {}
local paths = {}
local n = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("PATHS_FILE")) do table.insert(paths, line) end
  ok, limited, retry, other = 0, 0, 0, 0
end

function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end

function response(status, headers, body)
  if status < 400 then ok = ok + 1
  elseif status == 429 then
    limited = limited + 1
    if headers["Retry-After"] or headers["retry-after"] then retry = retry + 1 end
  else other = other + 1 end
end

function done(summary, latency, requests)
  local t = {ok = 0, limited = 0, retry = 0, other = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  io.write(string.format("RESULT rate=%.0f ok=%d limited=%d retry_after=%d other=%d p50=%.2f p99=%.2f\n",
    summary.requests / (summary.duration / 1e6), t.ok, t.limited, t.retry, t.other,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
