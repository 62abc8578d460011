-- load.lua -- wrk script for the benchmark's read rows: sends the
-- Authorization header from $BENCH_TOKEN and counts the status codes,
-- printed by done() as "statuses 200=N 404=M ...".
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.headers["Accept"] = "application/json"

counts = {}  -- global: done() reads it with thread:get()
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end


function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end


function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("counts")
    for k, v in pairs(s) do
      total[k] = (total[k] or 0) + v
    end
  end
  local parts = {}
  for k, v in pairs(total) do
    table.insert(parts, k .. "=" .. v)
  end
  table.sort(parts)
  io.write("statuses " .. table.concat(parts, " ") .. "\n")
end
