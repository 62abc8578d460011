-- status.lua -- wrk script for the benchmark's participant status row:
-- PATCH .../participants/{id}/update-status moving each of the
-- participants in $BENCH_IDS (comma-separated, all "open" at the start)
-- to "store_denied" and back, one participant after the other, so that
-- no two requests in flight touch the same one (more ids than
-- connections). A move that meets the other status already answers 200
-- too (a stay), so a lost response never turns into a 422. Counts status
-- codes like load.lua.
dofile(os.getenv("BENCH_LUA_DIR") .. "/statuses.lua")

local token = os.getenv("BENCH_TOKEN")
local offer = os.getenv("BENCH_OFFER")
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"

local ids = {}
for id in string.gmatch(os.getenv("BENCH_IDS") or "", "%d+") do
  table.insert(ids, id)
end
local moves = {}     -- id -> how many moves were sent for it
local n = 0

function request()
  n = n + 1
  local id = ids[(n % #ids) + 1]
  local k = (moves[id] or 0) + 1
  moves[id] = k
  local to = (k % 2 == 1) and "store_denied" or "open"
  return wrk.format("PATCH", "/v2/offers/" .. offer .. "/participants/" .. id ..
    "/update-status", nil, '{"status":"' .. to .. '"}')
end

function response(status, headers, body)
  count(status)
end
