#!/usr/bin/env python3
"""The load and the checks of scripts/fleet-check (which sets the FLEET_* environment): a mixed load through both
taskd processes that records every acknowledged write, an event-feed follower, three faults in turn, and after each
one figure per check."""
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from urllib.parse import urlparse

DIR = os.environ["FLEET_DIR"]
BASES = [os.environ["FLEET_TASKD1"], os.environ["FLEET_TASKD2"]]
PIDS = {BASES[0]: int(os.environ["FLEET_TASKD1_PID"]), BASES[1]: int(os.environ["FLEET_TASKD2_PID"])}
NODE_PORTS = os.environ["FLEET_NODE_PORTS"].split(",")
PSQL = os.environ["FLEET_PSQL"]
AUTOCTL = os.environ["FLEET_AUTOCTL"]
WORKERS = 8

local = threading.local()
lock = threading.Lock()
acked = []  # (task id, time acknowledged)
write_times = []  # times of successful writes
statuses = {}  # the current step's answers: status (or "connection refused") -> count
stop = threading.Event()
seen_events = []  # event ids the follower read, in order


def call(base, method, path, body=None, token=None, timeout=15):
    """One request; returns (status, JSON or None). Raises OSError when the process does not answer at all. A kept
    connection the server closed while it sat idle (taskd's idle timeout) is opened again once."""
    try:
        return call_once(base, method, path, body, token, timeout)
    except OSError as error:
        if "without response" not in str(error) and "Broken pipe" not in str(error):
            raise
    return call_once(base, method, path, body, token, timeout)


def call_once(base, method, path, body, token, timeout):
    key = (base, timeout)
    connections = local.__dict__.setdefault("connections", {})
    if key not in connections:
        url = urlparse(base)
        connections[key] = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    connection = connections[key]
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        data = response.read()
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        del connections[key]
        raise OSError(str(error)) from error
    return response.status, (json.loads(data) if data and data[:1] in (b"{", b"[") else None)


def count(status):
    with lock:
        statuses[status] = statuses.get(status, 0) + 1


def sql(port, statement):
    out = subprocess.run(f"{PSQL} -p {port} -c \"{statement}\"", shell=True, capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


def primary_port():
    for port in NODE_PORTS:
        if sql(port, "SELECT NOT pg_is_in_recovery()") == "t":
            return port
    return None


def setup():
    email = "fleet@example.com"
    status, _ = call(BASES[0], "POST", "/api/v1/auth/register", {"email": email, "password": "fleet-password", "name": "Fleet"})
    assert status == 201, status
    _, login = call(BASES[0], "POST", "/api/v1/auth/login", {"email": email, "password": "fleet-password"})
    token = login["access_token"]
    _, workspace = call(BASES[0], "POST", "/api/v1/workspaces", {"name": "Fleet"}, token)
    return token, workspace["id"]


def worker(index, token, workspace):
    n = 0
    while not stop.is_set():
        n += 1
        base = BASES[(index + n) % 2]
        for attempt in (base, BASES[1 - BASES.index(base)]):  # a process that does not answer: the other one
            try:
                if n % 3 == 0 and acked:
                    with lock:
                        task_id = random.choice(acked)[0]
                    status, _ = call(attempt, "GET", f"/api/v1/tasks/{task_id}", token=token)
                    count(status)
                else:
                    status, body = call(attempt, "POST", "/api/v1/tasks",
                                        {"title": f"w{index}-{n}", "workspace_id": workspace}, token)
                    count(status)
                    if status == 201:
                        now = time.monotonic()
                        with lock:
                            acked.append((body["id"], now))
                            write_times.append(now)
                    elif status == 503:
                        time.sleep(0.1)
                break
            except OSError as error:
                count("no answer: timed out" if "timed out" in str(error) else "no answer (process gone)")
                time.sleep(0.05)


def follower(token, workspace):
    cursor = None
    n = 0
    while not stop.is_set():
        n += 1
        path = f"/api/v1/workspaces/{workspace}/events?limit=1000&wait=2" + (f"&after={cursor}" if cursor else "")
        try:
            status, body = call(BASES[n % 2], "GET", path, token=token, timeout=10)
        except OSError:
            time.sleep(0.2)
            continue
        if status != 200:
            time.sleep(0.2)
            continue
        with lock:
            seen_events.extend(event["id"] for event in body["data"])
        cursor = body["next_cursor"]


def full_feed(token, workspace, base):
    """Every event of the workspace from the oldest, read page by page through `base`."""
    events, cursor = [], None
    while True:
        path = f"/api/v1/workspaces/{workspace}/events?limit=1000" + (f"&after={cursor}" if cursor else "")
        status, body = call(base, "GET", path, token=token, timeout=30)
        if status != 200:
            raise SystemExit(f"reading the feed: {status}")
        events += body["data"]
        cursor = body["next_cursor"]
        if not body["data"]:
            return events


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def run_step(name, action, token, workspace, survivors, settle=5, limit=90, killed_taskd=False):
    """Runs `action` under load, waits until writes have succeeded for `settle` seconds (at most `limit`), and
    prints one figure per check."""
    with lock:
        statuses.clear()
    survivor_pids = {base: PIDS[base] for base in survivors}
    started = time.monotonic()
    action()
    while time.monotonic() - started < limit:
        time.sleep(0.5)
        with lock:
            recent = [t for t in write_times if t > started]
        if recent and time.monotonic() - recent[0] > settle and time.monotonic() - recent[-1] < 1:
            break
    ended = time.monotonic()
    with lock:
        times = [started] + [t for t in write_times if started <= t <= ended]
        answers = dict(statuses)
        acked_ids = {task_id for task_id, _ in acked}
    gap = max(b - a for a, b in zip(times, times[1:])) if len(times) > 1 else ended - started
    print(f"\n{name}")
    print(f"  answers during the step: {answers}")
    bad = {k: v for k, v in answers.items() if not (isinstance(k, int) and (200 <= k < 300 or k == 503))
           and not (killed_taskd and k == "no answer (process gone)")}
    print(f"  answers other than 2xx or 503: {sum(bad.values())} {bad if bad else ''}")
    print(f"  longest time without a successful write: {gap:.1f} s")
    port = primary_port()
    stored = set((sql(port, f"SELECT id FROM tasks WHERE workspace_id = '{workspace}'") or "").split()) if port else set()
    lost = acked_ids - stored
    print(f"  acknowledged writes: {len(acked_ids)}, lost: {len(lost)} (primary on port {port})")
    recovered = []
    for base, pid in survivor_pids.items():
        status, body = None, None
        try:
            status, body = call(base, "POST", "/api/v1/tasks", {"title": "probe", "workspace_id": workspace}, token)
        except OSError as error:
            status = f"no answer: {error}"
        recovered.append(alive(pid) and PIDS[base] == pid and status == 201)
        if not recovered[-1]:
            print(f"  {base} (pid {pid}, alive: {alive(pid)}) answered a write with {status}")
        if status == 201:
            with lock:
                acked.append((body["id"], time.monotonic()))
    print(f"  surviving taskd processes writing again without a restart: {sum(recovered)} of {len(recovered)}")
    # Events may be delayed (a transaction still open elsewhere holds them back), never dropped: read the feed from
    # its oldest event until every acknowledged task is in it and the follower has read all of it, at most 30 s.
    with lock:
        acked_ids = {task_id for task_id, _ in acked}
    waited = time.monotonic()
    while True:
        events = full_feed(token, workspace, survivors[0])
        created = [e["task_id"] for e in events if e["kind"] == "task_created"]
        with lock:
            followed = list(seen_events)
        caught_up = not ({e["id"] for e in events} - set(followed))
        if (not (acked_ids - set(created)) and caught_up) or time.monotonic() - waited > 30:
            break
        time.sleep(0.5)
    print(f"  seconds until the feed held every acknowledged task and the follower had read it: "
          f"{time.monotonic() - waited:.1f}")
    missing = acked_ids - set(created)
    duplicates = len(created) - len(set(created))
    print(f"  feed from the oldest event: {len(events)} events, acknowledged tasks missing: {len(missing)}, "
          f"task_created twice: {duplicates}, event ids twice: {len(events) - len({e['id'] for e in events})}")
    print(f"  follower across the step: {len(followed)} events read, read twice: {len(followed) - len(set(followed))}, "
          f"feed events it has not read: {len({e['id'] for e in events} - set(followed))}")
    ok = not bad and not lost and all(recovered) and not missing and not duplicates and len(followed) == len(set(followed))
    return ok, gap


def main():
    token, workspace = setup()
    threads = [threading.Thread(target=worker, args=(i, token, workspace), daemon=True) for i in range(WORKERS)]
    threads.append(threading.Thread(target=follower, args=(token, workspace), daemon=True))
    for thread in threads:
        thread.start()
    time.sleep(5)
    results = []

    def kill_taskd():
        os.kill(PIDS[BASES[0]], signal.SIGKILL)

    results.append(("kill -9 of one taskd", *run_step("1. kill -9 of one taskd", kill_taskd, token, workspace, [BASES[1]],
                                                        killed_taskd=True)))
    # A supervisor starts it again; the next steps run with two taskd processes.
    env = dict(os.environ)
    process = subprocess.Popen([os.environ["FLEET_TASKD"], "serve", "--port", os.environ["FLEET_TASKD1_PORT"]],
                               stdout=open(f"{DIR}/taskd1.log", "a"), stderr=subprocess.STDOUT, env=env)
    PIDS[BASES[0]] = process.pid
    with open(f"{DIR}/taskd1-restarted.pid", "w") as pidfile:  # for fleet-check's clean-up
        pidfile.write(str(process.pid))
    for _ in range(100):
        try:
            if call(BASES[0], "GET", "/health/ready")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.2)

    def failover():
        subprocess.run(f"{AUTOCTL} perform failover --pgdata {DIR}/monitor", shell=True, capture_output=True)

    results.append(("failover", *run_step("2. pg_autoctl perform failover", failover, token, workspace, BASES)))

    def kill_primary_host():
        port = primary_port()
        node = f"node{NODE_PORTS.index(port) + 1}"
        # The keeper (pg_autoctl run, and its sub-processes), then the postmaster and every backend: the host is gone.
        keepers = subprocess.run(["pgrep", "-f", f"pg_autoctl run --pgdata {DIR}/{node}$"], capture_output=True,
                                 text=True).stdout.split()
        with open(f"{DIR}/{node}/postmaster.pid") as pidfile:
            postmaster = pidfile.readline().strip()
        victims = set(keepers + [postmaster])
        for parent in list(victims):
            victims |= set(subprocess.run(["pgrep", "-P", parent], capture_output=True, text=True).stdout.split())
        for pid in victims:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass
        print(f"\n(killed {len(victims)} processes of {node}, the primary on port {port}: its keeper and its postgres)")

    results.append(("primary's host killed",
                    *run_step("3. SIGKILL of the primary's host processes", kill_primary_host, token, workspace, BASES, limit=120)))
    stop.set()
    print("\nsummary")
    for name, ok, gap in results:
        print(f"  {name}: {'pass' if ok else 'FAIL'}; writes stopped for at most {gap:.1f} s")
    failover_gap = results[1][2]
    print(f"  writes back within 15 s of the failover: {'yes' if failover_gap <= 15 else 'NO'} ({failover_gap:.1f} s)")
    sys.exit(0 if all(ok for _, ok, _ in results) and failover_gap <= 15 else 1)


main()
