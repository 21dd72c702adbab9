-- Like request.lua, with a new Idempotency-Key on every request (unique per thread and request), so that every
-- request runs and is recorded: the cost of the key, not of a replay. The request's fixed part is formatted once;
-- each request only adds its key, so that the client spends on a keyed request about what it spends on any
-- scripted one (wrk shares the machine's cores with taskd).
local token = os.getenv("TASKD_TOKEN") or ""
local method = os.getenv("BENCH_METHOD") or "POST"
local path = os.getenv("BENCH_PATH") or "/api/v1/tasks"
local body = os.getenv("BENCH_BODY") or ""
local counter = 0
local head = ""
local tail = ""

function setup(thread)
  thread:set("thread_prefix", string.format("bench-%d-%d-", os.time(), math.random(1, 1000000000)))
end

function init(args)
  local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  local fixed = wrk.format(method, path, headers, body)
  local blank = fixed:find("\r\n\r\n", 1, true)
  head = fixed:sub(1, blank + 1) .. "Idempotency-Key: " .. (thread_prefix or "bench-")
  tail = fixed:sub(blank + 2)
end

function request()
  counter = counter + 1
  return head .. counter .. "\r\n" .. tail
end
