"""A small closed-loop load generator: ``concurrency`` threads, each with one keep-alive connection.

Each thread takes the next *job* (one or more HTTP requests made in a row: a dereference, or the
two CONSTRUCT queries that make the same description on Oxigraph) and records when it started, how
long it took, and whether every request answered 200.  A job is never repeated while fresh ones
remain, so a server-side cache only helps when the run outlasts the list.

Why not locust or wrk: both are fine load generators, but the workloads here need per-job request
chains (the second query depends on the first answer) and exact percentiles over every sample;
``http.client`` on threads costs a few hundred microseconds of client CPU per request, reported
with the results (``client_cpu``) so that it can be weighed against the server's work.
"""

from __future__ import annotations

import http.client
import itertools
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from .common import summary


@dataclass
class Sample:
    start: float  # seconds since the run began
    seconds: float
    ok: bool
    error: str | None = None


class Connection:
    """One keep-alive HTTP/1.1 connection (reopened after an error)."""

    def __init__(self, base_url: str, timeout: float):
        parts = urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            response = self.conn.getresponse()
            data = response.read()
            if response.getheader("connection", "").lower() == "close":
                self.close()
            return response.status, data
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# A job gets the thread's connection; it returns None when all went well, else what went wrong.
Job = Callable[[Connection], "str | None"]


@dataclass
class LoadResult:
    concurrency: int
    duration: float
    samples: list[Sample] = field(default_factory=list)
    cycled: bool = False  # the list of jobs ran out and was started again
    client_cpu: float = 0.0  # CPU seconds this process used during the run

    def stats(self, since: float = 0.0, until: float | None = None) -> dict:
        chosen = [s for s in self.samples if s.start >= since and (until is None or s.start < until)]
        ok = [s.seconds for s in chosen if s.ok]
        span = (until if until is not None else self.duration) - since
        errors = [s.error for s in chosen if not s.ok]
        out = {"requests": len(chosen), "ok": len(ok), "errors": len(errors),
               "throughput": len(ok) / span if span > 0 else 0.0, "error_examples": sorted(set(errors))[:3]}
        out.update({f"latency_{k}": v for k, v in summary(ok).items()})
        return out


def run_load(base_url: str, jobs: list[Job], *, concurrency: int, duration: float, timeout: float,
             cycle: bool = True, on_tick: Callable[[float], None] | None = None) -> LoadResult:
    """Run jobs for ``duration`` seconds with ``concurrency`` threads; without ``cycle``, stop early when
    every job has been done once (a server that caches would otherwise answer repeats from its cache)."""
    source = itertools.cycle(enumerate(jobs))
    lock = threading.Lock()
    result = LoadResult(concurrency, duration)
    done = 0
    started = time.perf_counter()
    deadline = started + duration
    cpu_before = time.process_time()

    def worker() -> None:
        nonlocal done
        connection = Connection(base_url, timeout)
        while True:
            with lock:
                if time.perf_counter() >= deadline or (not cycle and done >= len(jobs)):
                    break
                index, job = next(source)
                if done >= len(jobs):
                    result.cycled = True
                done += 1
            t0 = time.perf_counter()
            try:
                error = job(connection)
            except (OSError, http.client.HTTPException, socket.timeout) as exc:
                error = f"{type(exc).__name__}: {exc}"[:200]
            t1 = time.perf_counter()
            sample = Sample(t0 - started, t1 - t0, error is None, error)
            with lock:
                result.samples.append(sample)
        connection.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        if on_tick is not None:
            on_tick(time.perf_counter() - started)
        for t in threads:
            t.join(0.05)
    result.duration = time.perf_counter() - started
    result.client_cpu = time.process_time() - cpu_before
    return result


def get(path: str, accept: str) -> Job:
    def job(conn: Connection) -> str | None:
        status, _ = conn.request("GET", path, headers={"Accept": accept})
        return None if status == 200 else f"HTTP {status}"
    return job
