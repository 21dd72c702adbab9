-- Logs in over and over with the seeded user's right password.
wrk.method = "POST"
wrk.path = "/api/v1/auth/login"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"' .. (os.getenv("BENCH_EMAIL") or "") .. '","password":"bench-password"}'
