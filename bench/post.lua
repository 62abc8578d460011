-- post.lua -- wrk script for a benchmark row that POSTs one fixed JSON
-- body ($BENCH_BODY) to the row's path, with the Authorization header
-- from $BENCH_TOKEN; counts status codes like load.lua. For requests that
-- write nothing (POST /v2/affiliate-links with "dry": true).
dofile(os.getenv("BENCH_LUA_DIR") .. "/statuses.lua")

local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or "{}"

function response(status, headers, body)
  count(status)
end
