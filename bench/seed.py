#!/usr/bin/env python3
"""Seeds a running taskd through its API and prints the ids the benchmark needs, as shell assignments.

Usage: seed.py BASE_URL TASKS_IN_DEEP_PROJECT
Creates a user, a workspace, a small project (1,000 tasks) and a deep project (N tasks), finds the cursor of
a page near the end of the deep project, and makes a personal access token (scope read) for the same user."""
import json
import sys
import threading
from datetime import datetime, timedelta, timezone
import http.client
from urllib.parse import urlparse, quote

base = urlparse(sys.argv[1])
deep_count = int(sys.argv[2])
local = threading.local()


def call(method, path, body=None, token=None):
    if not hasattr(local, "conn"):
        local.conn = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    local.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = local.conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: {response.status} {data[:200]!r}")
    return json.loads(data) if data else None


email = "bench@example.com"
call("POST", "/api/v1/auth/register", {"email": email, "password": "bench-password", "name": "Bench"})
token = call("POST", "/api/v1/auth/login", {"email": email, "password": "bench-password"})["access_token"]
workspace = call("POST", "/api/v1/workspaces", {"name": "Bench"}, token)["id"]
small = call("POST", "/api/v1/projects", {"workspace_id": workspace, "name": "Small"}, token)["id"]
deep = call("POST", "/api/v1/projects", {"workspace_id": workspace, "name": "Deep"}, token)["id"]


def create(project, count, offset):
    for index in range(offset, count, 8):
        call("POST", "/api/v1/tasks", {"title": f"Task {index}", "project_id": project,
                                       "priority": ["none", "low", "medium", "high", "urgent"][index % 5],
                                       "tags": ["bench"]}, token)


for project, count in ((small, 1000), (deep, deep_count)):
    threads = [threading.Thread(target=create, args=(project, count, offset)) for offset in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

first = call("GET", f"/api/v1/tasks?project_id={small}&limit=1", token=token)["data"][0]["id"]
cursor = None
pages = max(1, (deep_count * 9 // 10) // 100)
for _ in range(pages):
    path = f"/api/v1/tasks?project_id={deep}&limit=100" + (f"&cursor={quote(cursor)}" if cursor else "")
    cursor = call("GET", path, token=token)["next_cursor"]
expiry = (datetime.now(timezone.utc) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
personal = call("POST", "/api/v1/users/me/tokens", {"name": "bench", "scopes": ["read"], "expires_at": expiry},
                token)["token"]
user = call("GET", "/api/v1/users/me", token=token)["id"]
print(f"TASKD_TOKEN={token}")
print(f"USER_ID={user}")
print(f"PERSONAL_TOKEN={personal}")
print(f"BENCH_EMAIL={email}")
print(f"SMALL_PROJECT={small}")
print(f"DEEP_PROJECT={deep}")
print(f"TASK_ID={first}")
print(f"WORKSPACE_ID={workspace}")
print(f"DEEP_CURSOR={quote(cursor or '')}")
