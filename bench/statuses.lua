-- statuses.lua -- counting status codes across wrk's threads, shared by
-- load.lua and write.lua: count(status) in response(); done() prints
-- "statuses 200=N 404=M ...", which bench/run reads.
counts = {}  -- global: done() reads it with thread:get()
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function count(status)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do
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
