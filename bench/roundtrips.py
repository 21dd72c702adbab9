#!/usr/bin/env python3
"""Counts the database statements one request costs, with PostgreSQL's pg_stat_statements.

Usage: roundtrips.py [--method METHOD] [--body JSON]... [--keyed] [--count N] BASE_URL PATH PSQL... -- NAME=TOKEN...
For each NAME=TOKEN, resets the statistics, sends PATH 200 times (N times with --count: for a route that refuses
more, as a new personal access token does after 50) with that bearer token on one connection (a GET by
default; with several bodies, each request sends the next one, so that a PATCH changes something each time; with
--keyed, each request has an Idempotency-Key of its own, so that each runs and is recorded), and
prints NAME and the statements per request (with ROUNDTRIPS_SHOW=1, each statement too, on stderr). Each statement is one round trip; a write's BEGIN and COMMIT count as
statements (taskd sends no BEGIN for reads)."""
import http.client
import os
import subprocess
import sys
from urllib.parse import urlparse

args = sys.argv[1:]
method, bodies, keyed, COUNT = "GET", [], False, 200
while args[0].startswith("--"):
    if args[0] == "--keyed":
        keyed, args = True, args[1:]
        continue
    option, value, args = args[0], args[1], args[2:]
    if option == "--method":
        method = value
    elif option == "--body":
        bodies.append(value)
    elif option == "--count":
        COUNT = int(value)
    else:
        raise SystemExit(f"unknown option {option}")
base = urlparse(args[0])
path = args[1]
split = args.index("--")
psql = args[2:split]
tokens = [arg.split("=", 1) for arg in args[split + 1:]]
sent = 0


def send(token):
    global sent
    headers = {"Authorization": "Bearer " + token}
    body = None
    if bodies:
        body = bodies[sent % len(bodies)].encode()
        headers["Content-Type"] = "application/json"
    if keyed:
        headers["Idempotency-Key"] = f"roundtrips-{os.getpid()}-{sent}"
    sent += 1
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status


def sql(text):
    return subprocess.run(psql + ["-qAt", "-c", text], check=True, capture_output=True, text=True).stdout.strip()


connection = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
for name, token in tokens:
    send(token)  # a first request, so that both kinds start warm
    sql("SELECT pg_stat_statements_reset()")
    for _ in range(COUNT):
        status = send(token)
        if not 200 <= status < 300:
            raise SystemExit(f"{name}: {status}")
    calls = sql("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
                "WHERE query NOT LIKE '%pg_stat_statements%' AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")
    print(f"{name} {int(calls) / COUNT:.2f}")
    if os.environ.get("ROUNDTRIPS_SHOW"):  # each statement and its calls, to stderr
        print(sql("SELECT calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 150) FROM pg_stat_statements "
                  "WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC"), file=sys.stderr)
