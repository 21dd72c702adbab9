-- Like request.lua, with a new Idempotency-Key on every request (unique per thread and request), so that every
-- request runs and is recorded: the cost of the key, not of a replay.
local token = os.getenv("TASKD_TOKEN") or ""
local method = os.getenv("BENCH_METHOD") or "POST"
local path = os.getenv("BENCH_PATH") or "/api/v1/tasks"
local body = os.getenv("BENCH_BODY") or ""
local counter = 0
local prefix = ""

function setup(thread)
  thread:set("thread_prefix", string.format("bench-%d-%d-", os.time(), math.random(1, 1000000000)))
end

function init(args)
  prefix = thread_prefix or "bench-"
end

function request()
  counter = counter + 1
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. counter,
  }
  return wrk.format(method, path, headers, body)
end
