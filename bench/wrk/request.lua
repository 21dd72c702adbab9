-- Sends one kind of request with the bearer token: METHOD, PATH and BODY come from the environment.
local token = os.getenv("TASKD_TOKEN") or ""
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.path = os.getenv("BENCH_PATH") or "/health"
wrk.headers["Authorization"] = "Bearer " .. token
local body = os.getenv("BENCH_BODY")
if body ~= nil and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
