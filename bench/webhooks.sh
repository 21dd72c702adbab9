# Sourced by bench/run: the webhook scenario. POST /tasks runs in the order A B B A, without (A) and with (B) an
# enabled webhook that receives every event, delivered to bench/receiver.py on 127.0.0.1. Prints both rates and
# their ratio, the deliveries per second the receiver got while B ran, and how long the backlog took to drain.
# Needs PORT, RECEIVER_PORT, TASKD_TOKEN, SMALL_PROJECT, WORKSPACE_ID and the BENCH_* variables of POST /tasks.

webhook_scenario() {
  local base="http://127.0.0.1:$PORT" auth="Authorization: Bearer $TASKD_TOKEN" hook a1 b1 b2 a2
  stats() { curl -sf "http://127.0.0.1:$RECEIVER_PORT/stats" | python3 -c 'import sys, json; print(json.load(sys.stdin)["distinct"])'; }
  queued() { curl -sf "$base/metrics" | awk '/^taskd_webhook_deliveries_queued / {print int($2)}'; }
  enable() {
    curl -sf -X PATCH "$base/api/v1/workspaces/$WORKSPACE_ID/webhooks/$hook" -H "$auth" \
      -H 'Content-Type: application/json' -d "{\"enabled\": $1}" >/dev/null
  }
  hook=$(curl -sf "$base/api/v1/workspaces/$WORKSPACE_ID/webhooks" -H "$auth" -H 'Content-Type: application/json' \
    -d "{\"url\": \"http://127.0.0.1:$RECEIVER_PORT/in\", \"events\": [\"*\"]}" \
    | python3 -c 'import sys, json; print(json.load(sys.stdin)["id"])')
  enable false
  a1=$(measure -s bench/wrk/request.lua)
  enable true
  local before=$(stats) start=$(date +%s.%N)
  b1=$(measure -s bench/wrk/request.lua)
  b2=$(measure -s bench/wrk/request.lua)
  local during=$(( $(stats) - before )) elapsed backlog=$(queued) drained=$(date +%s.%N)
  elapsed=$(python3 -c "print($drained - $start)")
  for _ in $(seq 600); do [ "$(queued)" = 0 ] && break; sleep 0.1; done
  local drain=$(python3 -c "import time; print(f'{time.time() - $drained:.1f} s')")
  local total=$(( $(stats) - before ))
  enable false
  a2=$(measure -s bench/wrk/request.lua)
  python3 - "$STORE" "$a1" "$a2" "$b1" "$b2" "$during" "$elapsed" "$backlog" "$drain" "$total" <<'PY'
import os, sys
store = sys.argv[1]
def parse(run):
    rps, p50, p99, errors = run.split()
    return float(rps), p50, p99, int(errors)
def row(name, runs):
    rps = sum(r[0] for r in runs) / len(runs)
    print(f"{store:<8} {name:<34} {rps:10.2f} {runs[1][1]:>9} {runs[1][2]:>9} {sum(r[3] for r in runs):7d}")
    with open(os.environ["RATES"], "a") as rates:
        rates.write(f"{store}|{name}|{rps:.2f} {runs[1][1]} {runs[1][2]} {sum(r[3] for r in runs)}\n")
    return rps
a = [parse(x) for x in sys.argv[2:4]]
b = [parse(x) for x in sys.argv[4:6]]
rate_a, rate_b = row("POST /tasks (webhook disabled)", a), row("POST /tasks with a webhook", b)
print(f"{store:<8} {'  rate with webhook / without':<34} {rate_b / rate_a:10.2f}")
during, elapsed, backlog, drain, total = int(sys.argv[6]), float(sys.argv[7]), sys.argv[8], sys.argv[9], sys.argv[10]
print(f"{store:<8} {'  deliveries/s while POSTing':<34} {during / elapsed:10.2f}")
print(f"{store:<8} {'  backlog at the end, drained in':<34} {backlog:>10} {drain:>9}  ({total} delivered)")
seconds = float(drain.split()[0])
if int(backlog) > 0 and seconds > 0:
    print(f"{store:<8} {'  deliveries/s draining the backlog':<34} {int(backlog) / seconds:10.2f}")
PY
}
