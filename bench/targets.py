#!/usr/bin/env python3
"""Prints the ratios the performance targets are stated in, from the rows bench/run collected.

Usage: targets.py RATES_FILE
Each line of RATES_FILE is "store|scenario|rps [p50 p99 errors]". A target whose scenarios did not all run (ONLY,
STORES) is left out."""
import os
import sys

rows = {}
for line in open(sys.argv[1]):
    store, name, values = line.rstrip("\n").split("|")
    rows[(store, name)] = values.split()


def rate(store, name):
    values = rows.get((store, name))
    return float(values[0]) if values else None


def seconds(text):
    for unit, scale in (("us", 1e-6), ("ms", 1e-3), ("s", 1.0), ("m", 60.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * scale
    return float(text)


def report(name, value, target, at_least=True):
    met = value >= target if at_least else value <= target
    bound = "≥" if at_least else "≤"
    print(f"target   {name:<58} {value:8.2f}  ({bound} {target}: {'met' if met else 'not met'})")


memory_get, postgres_get = rate("memory", "GET /tasks/{id}"), rate("postgres", "GET /tasks/{id}")
pgbench_read = rate("postgres", "pgbench -S (tps)")
if memory_get and postgres_get and pgbench_read:
    limit = 1 / (1 / memory_get + 1 / pgbench_read)
    print(f"target   {'composite limit 1/(1/R_memory + 1/R_pgbench), req/s':<58} {limit:8.0f}")
    report("GET /tasks/{id} on PostgreSQL / composite limit", postgres_get / limit, 0.6)
    own_read = rate("postgres", "pgbench bench/get-task.sql (tps)")
    if own_read:
        # Not a target: the same composite with taskd's own statement in place of pgbench -S, which says how much
        # of the gap is taskd's client side (this ratio) and how much the statement itself (own_read / R_pgbench).
        own_limit = 1 / (1 / memory_get + 1 / own_read)
        print(f"info     {'GET /tasks/{id} statement in pgbench / pgbench -S':<58} {own_read / pgbench_read:8.2f}")
        print(f"info     {'GET /tasks/{id} on PostgreSQL / 1/(1/R_memory + 1/R_statement)':<58} "
              f"{postgres_get / own_limit:8.2f}")

postgres_post, pgbench_post = rate("postgres", "POST /tasks"), rate("postgres", "pgbench bench/post-task.sql (tps)")
if postgres_post and pgbench_post:
    report("POST /tasks on PostgreSQL / pgbench bench/post-task.sql", postgres_post / pgbench_post, 0.5)

for store in ("memory", "postgres"):
    without, with_hook = rate(store, "POST /tasks (webhook disabled)"), rate(store, "POST /tasks with a webhook")
    if without and with_hook:
        report(f"{store}: POST /tasks with a webhook / without", with_hook / without, 0.8)
    small, deep = rate(store, "GET /tasks?project_id= (page 1)"), rate(store, "GET /tasks?project_id= (deep, page 1)")
    if store == "memory" and small and deep:
        deep_count = os.environ.get("DEEP_TASKS", "the deep")
        report(f"memory: cost of a page of {deep_count} tasks / of 1,000", small / deep, 1.25, at_least=False)
    post = rows.get((store, "POST /tasks"))
    if store == "memory" and post and len(post) >= 3:
        report("memory: POST /tasks p99 / p50", seconds(post[2]) / seconds(post[1]), 3, at_least=False)
    peak = rate(store, "taskd peak RSS with 50 streams")
    if peak:
        report(f"{store}: peak resident memory with 50 event streams, MB", peak, 150, at_least=False)
