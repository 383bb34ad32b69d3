-- wrk script for bench/webhook-load.sh: POSTs one AdmissionReview (file in $WRK_BODY_FILE) as the
-- Kubernetes API server does, and prints one machine-readable RESULT line with throughput, latency
-- percentiles in microseconds and error counts (non2xx: answers other than 2xx/3xx). The script checks
-- the answer's content once with curl before the run; no response() hook, so wrk stays fast.

local path = os.getenv("WRK_BODY_FILE")
local f = assert(io.open(path, "rb"), "cannot open WRK_BODY_FILE " .. tostring(path))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, */*"

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "RESULT requests=%d seconds=%.2f rps=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d socket_errors=%d non2xx=%d"
         .. " connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      summary.errors.status,
      summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
