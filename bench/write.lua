-- write.lua -- wrk script for the benchmark's write row: a blocklist POST
-- for the next user of a range, then a DELETE of the entry it answered,
-- alternating; counts status codes like load.lua.
dofile(os.getenv("BENCH_LUA_DIR") .. "/statuses.lua")

local token = os.getenv("BENCH_TOKEN")
local first = tonumber(os.getenv("BENCH_FIRST_USER") or "100")
local users = tonumber(os.getenv("BENCH_USERS") or "1000")
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"

local queue = {}     -- entry ids to delete, each once
local queued = {}    -- the same ids, as a set
local n = 0

function request()
  local id = table.remove(queue, 1)
  if id then
    queued[id] = nil
    return wrk.format("DELETE", "/v2/advertisers/1/blocklist/" .. id, nil, nil)
  end
  n = n + 1
  local user = first + (n % users)
  return wrk.format("POST", "/v2/advertisers/1/blocklist", nil,
    '{"user_ids":[' .. user .. ']}')
end

function response(status, headers, body)
  count(status)
  if status == 201 then
    local id = body:match('"data":%[{"id":(%d+)')
    if id and not queued[id] then
      queued[id] = true
      table.insert(queue, id)
    end
  end
end
