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

-- With T0_MS set (milliseconds since the epoch, e.g. the server's start): also counts the 2xx answers
-- per second since T0_MS (LuaJIT FFI clock) and prints them as "TIMELINE second=count ...".
local t0 = tonumber(os.getenv("T0_MS") or "")
local threads = {}
if t0 then
   local ffi = require("ffi")
   ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } wrk_timespec; int clock_gettime(int clk, wrk_timespec *tp); ]]
   local ts = ffi.new("wrk_timespec")
   counts = {}
   function setup(thread)
      table.insert(threads, thread)
   end
   function response(status, headers, body)
      if status < 300 then
         ffi.C.clock_gettime(0, ts)
         local s = math.floor((tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6 - t0) / 1000)
         counts[s] = (counts[s] or 0) + 1
      end
   end
end

function done(summary, latency, requests)
   if t0 then
      local all = {}
      for _, thread in ipairs(threads) do
         for s, n in pairs(thread:get("counts")) do all[s] = (all[s] or 0) + n end
      end
      local line = "TIMELINE"
      for s, n in pairs(all) do line = line .. " " .. s .. "=" .. n end
      io.write(line .. "\n")
   end
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
