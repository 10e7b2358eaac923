-- wrk script: POST the file $BODY_FILE as application/json to the URL's path, and at the end print
-- one JSON line (prefixed "WRK_JSON ") with requests, duration, errors and latency percentiles.
--
-- With WRK_COUNT_STATUS=1 a `response` hook also counts, per thread, the answers whose status is not
-- 200 and remembers the last value of the header named $WRK_VERSION_HEADER (if set): the soak test
-- reads both. The hook makes wrk parse every response, so the throughput benchmark leaves it off and
-- relies on wrk's own non-2xx/3xx count (summary.errors.status).
--
--   BODY_FILE=req.json wrk -t2 -c16 -d10s --latency -s post_json.lua http://127.0.0.1:PORT/invocations

local body_file = os.getenv("BODY_FILE")
if not body_file then
  error("post_json.lua: set BODY_FILE to the request body's path")
end
local f = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local count_status = os.getenv("WRK_COUNT_STATUS") == "1"
local version_header = os.getenv("WRK_VERSION_HEADER")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
  first_bad = ""
  last_version = ""
  versions_seen = ""
end

if count_status then
  function response(status, headers, body)
    if status ~= 200 then
      non200 = non200 + 1
      if first_bad == "" then
        first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 200)
      end
    end
    if version_header then
      for k, v in pairs(headers) do
        if string.lower(k) == string.lower(version_header) then
          if v ~= last_version then
            last_version = v
            versions_seen = versions_seen .. v .. ";"
          end
        end
      end
    end
  end
end

local function esc(s)
  return (string.gsub(s or "", '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end))
end

function done(summary, latency, requests)
  local non2xx, bad, last, seen = 0, "", "", ""
  for _, t in ipairs(threads) do
    non2xx = non2xx + (t:get("non200") or 0)
    if bad == "" then bad = t:get("first_bad") or "" end
    local v = t:get("last_version") or ""
    if v ~= "" then last = v end
    seen = seen .. (t:get("versions_seen") or "")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_s":%.6f,"req_per_s":%.3f,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"timeouts":%d,"status_errors":%d,"non200":%d,"first_bad":"%s",' ..
    '"last_version":"%s","versions_seen":"%s","p50_ms":%.4f,"p90_ms":%.4f,"p99_ms":%.4f,' ..
    '"max_ms":%.4f,"mean_ms":%.4f}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    e.connect, e.read, e.write, e.timeout, e.status, non2xx, esc(bad), esc(last), esc(seen),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000))
end
