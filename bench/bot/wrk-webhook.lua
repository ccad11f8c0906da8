-- wrk script for bench/bot-intake.sh: signed pull_request deliveries, each
-- with a delivery id of its own, so every request is a new durable delivery.
--
-- Environment: BENCH_BODY (file with the payload), BENCH_SIG (its
-- X-Hub-Signature-256 value), BENCH_PATH (route), BENCH_RUN (a prefix that
-- keeps ids unique across runs), BENCH_DELAY_MS (per-connection pause
-- before each request; 0 for a closed loop).
--
-- The signature covers the body, not the headers, so one signed body with
-- a fresh X-GitHub-Delivery per request is what a forge sends for many
-- deliveries of the same event: the server still verifies the HMAC over
-- the full body, parses it and commits a row for every request.

local body_file = os.getenv("BENCH_BODY")
local sig = os.getenv("BENCH_SIG")
local path = os.getenv("BENCH_PATH") or "/webhooks/github"
local run = os.getenv("BENCH_RUN") or "run"
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")

local f = assert(io.open(body_file, "rb"))
local body = f:read("*a")
f:close()

local threads = {}
-- globals, not locals: thread:set() writes the thread's globals
counter = 0
tid = 0

local next_tid = 0

function setup(thread)
   next_tid = next_tid + 1
   thread:set("tid", next_tid)
   table.insert(threads, thread)
end

function init(args)
   bad = 0
   accepted = 0
end

function request()
   counter = counter + 1
   return wrk.format("POST", path, {
      ["Content-Type"] = "application/json",
      ["X-GitHub-Event"] = "pull_request",
      ["X-GitHub-Delivery"] = string.format("%s-%d-%d", run, tid, counter),
      ["X-Hub-Signature-256"] = sig,
      ["User-Agent"] = "GitHub-Hookshot/bench",
   }, body)
end

if delay_ms > 0 then
   function delay()
      return delay_ms
   end
end

function response(status, headers, body)
   if status == 202 or status == 200 then
      accepted = accepted + 1
   else
      bad = bad + 1
   end
end

function done(summary, latency, requests)
   local ok, nok = 0, 0
   for _, t in ipairs(threads) do
      ok = ok + t:get("accepted")
      nok = nok + t:get("bad")
   end
   local secs = summary.duration / 1e6
   io.write(string.format("RESULT accepted=%d refused=%d errors=%d seconds=%.2f rate=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
      ok, nok, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      secs, ok / secs, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000))
end
