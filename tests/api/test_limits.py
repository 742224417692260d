"""Limits: query time (the query is really stopped), result rows/triples/bytes, request body size."""

from __future__ import annotations

import threading
import time

import httpx
import psutil
from support import QUERY_TIMEOUT

# Three-way cross join over the whole store: ~10^10 solutions, far beyond any time limit.
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "ASK { ?s ?p ?o }"


def worker_pids(server) -> set[int]:
    children = psutil.Process(server.pid).children(recursive=True)
    return {p.pid for p in children if "policygraph.store.worker_jobs" in " ".join(p.cmdline())}


def test_a_query_over_the_time_limit_is_stopped_and_others_are_served_meanwhile(server):
    before = worker_pids(server)
    assert len(before) == 2
    outcome = {}

    def expensive():
        started = time.monotonic()
        outcome["response"] = httpx.post(server.url + "/sparql", data={"query": EXPENSIVE}, timeout=60)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=expensive)
    thread.start()
    time.sleep(0.3)  # let the expensive query reach a worker
    started = time.monotonic()
    cheap = httpx.post(server.url + "/sparql", data={"query": CHEAP}, timeout=30)
    cheap_seconds = time.monotonic() - started
    assert thread.is_alive(), "the expensive query should still be running"
    assert cheap.status_code == 200 and cheap_seconds < QUERY_TIMEOUT / 2
    thread.join(60)

    r = outcome["response"]
    assert r.status_code == 503, r.text
    error = r.json()["error"]
    assert error["title"] == "Query timeout" and "stopped" in error["detail"]
    assert QUERY_TIMEOUT <= outcome["seconds"] < QUERY_TIMEOUT + 3

    # The worker that ran it was killed: its process is gone, and a fresh one replaced it.
    killed = before - worker_pids(server)
    assert len(killed) == 1
    assert not psutil.pid_exists(next(iter(killed))) or psutil.Process(next(iter(killed))).status() == psutil.STATUS_ZOMBIE
    deadline = time.monotonic() + 30
    while len(worker_pids(server)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(worker_pids(server)) == 2
    assert httpx.post(server.url + "/sparql", data={"query": CHEAP}).status_code == 200


def test_a_shorter_timeout_can_be_asked_for(server):
    started = time.monotonic()
    r = httpx.post(server.url + "/sparql", data={"query": EXPENSIVE, "timeout": "0.5"}, timeout=30)
    assert r.status_code == 503 and time.monotonic() - started < QUERY_TIMEOUT
    assert httpx.post(server.url + "/sparql", data={"query": "ASK {}", "timeout": "soon"}).status_code == 400


def test_too_many_rows_is_a_clear_error(server):
    r = httpx.post(server.url + "/sparql", data={"query": "SELECT ?p WHERE { ?s ?p ?o } LIMIT 1500"})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["title"] == "Result too large" and "1000 rows" in error["detail"] and error["unit"] == "rows"
    assert httpx.post(server.url + "/sparql", data={"query": "SELECT ?p WHERE { ?s ?p ?o } LIMIT 1000"}).status_code == 200


def test_too_many_triples_is_a_clear_error(server):
    r = httpx.post(server.url + "/sparql", data={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert r.status_code == 422 and r.json()["error"]["unit"] == "triples"


def test_too_many_bytes_is_a_clear_error(server):
    values = " ".join(str(i) for i in range(300))
    query = f'SELECT ?x WHERE {{ VALUES ?i {{ {values} }} BIND(CONCAT(STR(?i), "{"x" * 1000}") AS ?x) }}'
    r = httpx.post(server.url + "/sparql", data={"query": query})
    assert r.status_code == 422 and r.json()["error"]["unit"] == "bytes"


def test_a_request_body_over_the_limit_is_a_413(server):
    big = b"ASK {} #" + b"x" * 1_100_000
    r = httpx.post(server.url + "/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413 and r.json()["error"]["status"] == 413

    def chunks():  # no Content-Length: the limit is enforced while reading
        yield b"ASK {} #"
        for _ in range(12):
            yield b"x" * 100_000

    r = httpx.post(server.url + "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
