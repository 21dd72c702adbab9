-- Like request.lua, but authenticated with the personal access token the seed made (PERSONAL_TOKEN).
dofile("bench/wrk/request.lua")
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("PERSONAL_TOKEN") or "")
