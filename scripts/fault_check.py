"""Fault checks of a release taskd against a throwaway PostgreSQL cluster; driven by scripts/fault-check.

Each check prints one line with its figure and PASS or FAIL; the exit code is the number of failed checks.
Environment: TASKD_BIN, PGBIN, PGDATA_DIR, PGSOCK_DIR, PGPORT, PG_AS (a command prefix that runs as postgres).
"""
import http.client
import json
import os
import signal
import subprocess
import threading
import time

TASKD = os.environ["TASKD_BIN"]
PGBIN = os.environ["PGBIN"]
PGDATA = os.environ["PGDATA_DIR"]
PGSOCK = os.environ["PGSOCK_DIR"]
PGPORT = os.environ["PGPORT"]
PG_AS = os.environ.get("PG_AS", "").split()
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PGPORT}/taskd"
SECRET = "fault-check-secret-" + "x" * 32
BACKTRACE = "enable=yes,interactive=no,threads=crashed,registers=none,images=mentioned,symbolicate=off"
failures = 0


def report(name, ok, figure):
    global failures
    failures += 0 if ok else 1
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {figure}", flush=True)


class Taskd:
    """One taskd process on its own port."""

    def __init__(self, port, extra=None):
        self.port = port
        env = dict(os.environ, DATABASE_URL=DATABASE_URL, TASKD_JWT_SECRET=SECRET, TASKD_LOG_LEVEL="error",
                   TASKD_REGISTER_ADDRESS_LIMIT="0", TASKD_LOGIN_ADDRESS_LIMIT="1000000", SWIFT_BACKTRACE=BACKTRACE,
                   TASKD_ADMIN_EMAILS="root@example.com")
        env.update(extra or {})
        self.log = open(f"{PGSOCK}/taskd-{port}.log", "ab")
        self.process = subprocess.Popen([TASKD, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                                        stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if request(port, "GET", "/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"taskd on {port} did not start")

    def alive(self):
        return self.process.poll() is None

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def request(port, method, path, body=None, token=None, timeout=30):
    """(status, parsed body or None); raises OSError when taskd does not answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return response.status, parsed
    finally:
        connection.close()


def sign_up(port, name):
    request(port, "POST", "/api/v1/auth/register", {"email": f"{name}@example.com", "password": "password-" + name, "name": name})
    status, body = request(port, "POST", "/api/v1/auth/login", {"email": f"{name}@example.com", "password": "password-" + name})
    assert status == 200, (status, body)
    return body["access_token"]


def pg(*args):
    subprocess.run(PG_AS + [f"{PGBIN}/pg_ctl", "-D", PGDATA, *args], check=True, cwd="/",
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def pg_restart():
    pg("-w", "-t", "60", "-m", "fast", "-l", f"{PGSOCK}/pg.log", "restart", "-o",
       f"-p {PGPORT} -k {PGSOCK} -c listen_addresses=127.0.0.1 -c max_connections=300")


def pg_signal(name):
    with open(f"{PGDATA}/postmaster.pid") as pidfile:
        pid = pidfile.readline().strip()
    children = subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
    subprocess.run(["kill", "-" + name, pid, *children], check=True)


class Load:
    """Threads that write tasks and read the caller until stopped, recording (start, duration, status)."""

    def __init__(self, port, token, threads=16, write_every=2):
        self.port, self.token, self.write_every = port, token, write_every
        self.records = []
        self.acknowledged = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(index,), daemon=True) for index in range(threads)]
        for thread in self.threads:
            thread.start()

    def run(self, index):
        step = 0
        while not self.stopping.is_set():
            step += 1
            started = time.time()
            try:
                if step % self.write_every == 0:
                    status, body = request(self.port, "POST", "/api/v1/tasks", {"title": f"t{index}-{step}"}, self.token, timeout=30)
                    if status == 201:
                        with self.lock:
                            self.acknowledged.append(body["id"])
                else:
                    status, _ = request(self.port, "GET", "/api/v1/users/me", token=self.token, timeout=30)
            except OSError:
                status = "no answer"
                time.sleep(0.05)
            with self.lock:
                self.records.append((started, time.time() - started, status))
            if status == 503:
                time.sleep(0.02)

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=40)


def statuses(records):
    counts = {}
    for _, _, status in records:
        counts[status] = counts.get(status, 0) + 1
    return counts


def check_sigkill():
    server = Taskd(18301)
    token = sign_up(18301, "killer")
    load = Load(18301, token, threads=16, write_every=1)
    time.sleep(3)
    server.kill()
    load.stop()
    acknowledged = list(load.acknowledged)
    server = Taskd(18301)
    token = sign_up(18301, "killer")
    missing = 0
    without_event = 0
    for task_id in acknowledged:
        status, _ = request(18301, "GET", f"/api/v1/tasks/{task_id}", token=token)
        if status != 200:
            missing += 1
            continue
        status, body = request(18301, "GET", f"/api/v1/tasks/{task_id}/activity", token=token)
        kinds = [event["kind"] for event in (body or {}).get("data", [])]
        if "task_created" not in kinds:
            without_event += 1
    server.stop()
    report("SIGKILL taskd during writes", acknowledged and missing == 0 and without_event == 0,
           f"{len(acknowledged)} writes acknowledged, {len(acknowledged) - missing} found after the restart, "
           f"{missing} lost, {without_event} without their task_created event")


def check_restart():
    server = Taskd(18302)
    token = sign_up(18302, "restarter")
    load = Load(18302, token)
    time.sleep(2)
    pg_restart()
    restarted = time.time()
    time.sleep(8)
    load.stop()
    after = sorted(r for r in load.records if r[0] >= restarted and r[2] != 503)
    first_success = next((start + duration for start, duration, status in after if isinstance(status, int) and 200 <= status < 300), None)
    recovery = (first_success - restarted) if first_success else float("inf")
    counts = statuses(load.records)
    bad = {status: count for status, count in counts.items() if not (isinstance(status, int) and (200 <= status < 300 or status == 503))}
    alive = server.alive()
    server.stop()
    report("PostgreSQL restart under load", not bad and alive and recovery <= 5,
           f"answers {counts}; serving again {recovery:.2f} s after the restart, taskd {'kept running' if alive else 'DIED'}")


def check_sigstop():
    server = Taskd(18303)
    token = sign_up(18303, "freezer")
    load = Load(18303, token)
    time.sleep(2)
    pg_signal("STOP")
    frozen = time.time()
    time.sleep(15)
    pg_signal("CONT")
    thawed = time.time()
    time.sleep(6)
    load.stop()
    during = [r for r in load.records if frozen <= r[0] < thawed - 5]
    slowest = max((duration for _, duration, _ in during), default=0)
    counts = statuses(during)
    recovered = any(isinstance(s, int) and 200 <= s < 300 for start, _, s in load.records if start > thawed)
    server.stop()
    report("SIGSTOP PostgreSQL for 15 s", during and slowest <= 5.0 and set(counts) <= {503} and recovered,
           f"{len(during)} requests during the stall answered {counts}, the slowest in {slowest:.2f} s; "
           f"{'serving again after SIGCONT' if recovered else 'NOT serving after SIGCONT'}")


def check_two_processes():
    first, second = Taskd(18304), Taskd(18305)
    token = sign_up(18304, "shared")
    tokens_work = request(18305, "GET", "/api/v1/users/me", token=token)[0] == 200
    statuses_seen = []
    for attempt in range(6):
        port = 18304 if attempt % 2 == 0 else 18305
        statuses_seen.append(request(port, "POST", "/api/v1/auth/login", {"email": "shared@example.com", "password": "wrong-password"})[0])
    limit_holds = statuses_seen == [401] * 5 + [429]
    root = sign_up(18304, "root")
    user_id = request(18304, "GET", "/api/v1/users/me", token=token)[1]["id"]
    request(18304, "PATCH", f"/api/v1/users/{user_id}", {"disabled": True}, root)
    disable_holds = request(18305, "GET", "/api/v1/users/me", token=token)[0] == 401
    first.stop()
    second.stop()
    report("two taskd on one database", tokens_work and limit_holds and disable_holds,
           f"a token from one works on the other: {tokens_work}; wrong logins across both answered {statuses_seen}; "
           f"a disable on one ends the token on the other: {disable_holds}")


if __name__ == "__main__":
    for check in (check_sigkill, check_restart, check_sigstop, check_two_processes):
        try:
            check()
        except Exception as error:  # a check that cannot finish is a failed check
            report(check.__name__, False, f"could not run: {error!r}")
    raise SystemExit(failures)
