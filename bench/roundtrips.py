#!/usr/bin/env python3
"""Counts the database statements one request costs, with PostgreSQL's pg_stat_statements.

Usage: roundtrips.py BASE_URL PATH PSQL... -- NAME=TOKEN...
For each NAME=TOKEN, resets the statistics, sends PATH 200 times with that bearer token on one connection, and
prints NAME and the statements per request (each statement is one round trip: taskd sends no BEGIN for reads)."""
import http.client
import subprocess
import sys
from urllib.parse import urlparse

base = urlparse(sys.argv[1])
path = sys.argv[2]
split = sys.argv.index("--")
psql = sys.argv[3:split]
tokens = [arg.split("=", 1) for arg in sys.argv[split + 1:]]
COUNT = 200


def sql(text):
    return subprocess.run(psql + ["-qAt", "-c", text], check=True, capture_output=True, text=True).stdout.strip()


connection = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
for name, token in tokens:
    connection.request("GET", path, headers={"Authorization": "Bearer " + token})
    connection.getresponse().read()  # a first request, so that both kinds start warm
    sql("SELECT pg_stat_statements_reset()")
    for _ in range(COUNT):
        connection.request("GET", path, headers={"Authorization": "Bearer " + token})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"{name}: {response.status}")
    calls = sql("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
                "WHERE query NOT LIKE '%pg_stat_statements%' AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")
    print(f"{name} {int(calls) / COUNT:.2f}")
