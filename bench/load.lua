-- load.lua -- wrk script for the benchmark's read rows: sends the
-- Authorization header from $BENCH_TOKEN and counts the status codes.
dofile(os.getenv("BENCH_LUA_DIR") .. "/statuses.lua")

local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.headers["Accept"] = "application/json"

function response(status, headers, body)
  count(status)
end
