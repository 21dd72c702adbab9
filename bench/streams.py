"""Event-stream delivery: opens STREAMS Server-Sent Event streams on one project's feed (after=now), creates
EVENTS tasks in that project one after another, and measures, for every (event, stream) pair, the time from just
before the POST was sent to the moment the stream delivered the event. Prints p50, p99 and max, and how many
deliveries were missing or repeated (both must be 0).

    python3 bench/streams.py BASE_URL TOKEN PROJECT_ID [STREAMS] [EVENTS]
"""
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlparse

base, token, project = sys.argv[1], sys.argv[2], sys.argv[3]
streams = int(sys.argv[4]) if len(sys.argv) > 4 else 50
events = int(sys.argv[5]) if len(sys.argv) > 5 else 100
url = urlparse(base)
sent = {}            # task id -> time just before its POST was sent
received = []        # (stream, task id, time received)
lock = threading.Lock()
ready = threading.Barrier(streams + 1)
done = threading.Event()


def follow(index):
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    connection.request("GET", f"/api/v1/projects/{project}/events?after=now&kind=task_created",
                       headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"})
    response = connection.getresponse()
    assert response.status == 200, response.status
    ready.wait()
    data = None
    while not done.is_set():
        line = response.fp.readline()
        if not line:
            break
        line = line.decode().rstrip("\n")
        if line.startswith("data: "):
            data = json.loads(line[6:])
        elif line == "" and data is not None:
            with lock:
                received.append((index, data["task_id"], time.monotonic()))
            data = None


threads = [threading.Thread(target=follow, args=(index,), daemon=True) for index in range(streams)]
for thread in threads:
    thread.start()
ready.wait()
time.sleep(0.5)
writer = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
for number in range(events):
    body = json.dumps({"title": f"Streamed {number}", "project_id": project})
    started = time.monotonic()
    writer.request("POST", "/api/v1/tasks", body=body,
                   headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    answer = writer.getresponse()
    created = json.loads(answer.read())
    assert answer.status == 201, answer.status
    with lock:
        sent[created["id"]] = started
    time.sleep(0.02)
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    with lock:
        if len(received) >= streams * events:
            break
    time.sleep(0.05)
done.set()

with lock:
    pairs = {}
    for stream, task, at in received:
        pairs.setdefault((stream, task), []).append(at)
latencies = sorted((times[0] - sent[task]) * 1000 for (stream, task), times in pairs.items() if task in sent)
missing = streams * events - len([1 for (stream, task) in pairs if task in sent])
repeated = sum(len(times) - 1 for times in pairs.values())


def percentile(values, fraction):
    return values[min(len(values) - 1, int(len(values) * fraction))] if values else float("nan")


print(f"streams={streams} events={events} deliveries={len(latencies)} missing={missing} repeated={repeated} "
      f"p50={percentile(latencies, 0.50):.1f}ms p99={percentile(latencies, 0.99):.1f}ms max={latencies[-1] if latencies else float('nan'):.1f}ms")
