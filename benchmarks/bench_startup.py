"""Workload 5: how long a server takes to answer after it is started on data already loaded.

- ``policygraph serve --store DIR`` on the store loaded by ``bench_load``: time until ``/health``
  answers, and until a first SPARQL query (``ASK {}`` through the query workers) is answered;
- ``oxigraph serve --location DIR``: until its ``/query`` answers;
- ``rdflib-endpoint serve DATA.nq``: until it answers — it parses the file first, at every start,
  so this is also its load (its peak memory is recorded here).

Each is started ``repeats`` times (rdflib-endpoint once: it is slow), and stopped in between, except
the last instance of each, left running for the query workload (its first queries are the cold ones).
"""

from __future__ import annotations

import statistics
import time

from .peers import JSON, Peer, PolicyGraph, RdflibEndpoint


def first_query(peer: Peer, timeout: float = 120) -> float:
    """Seconds since the process started until a first SPARQL answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if peer.sparql("ASK {}", JSON, timeout=30).ok:
            return time.monotonic() - peer.proc.started
        time.sleep(0.05)
    raise TimeoutError(f"{peer.name} did not answer a query within {timeout:g} s")


def measure(peer: Peer, repeats: int, *, keep: bool = True, log=print) -> dict:
    up, answered, memory = [], [], []
    for i in range(repeats):
        up.append(peer.start())
        answered.append(first_query(peer))
        memory.append(peer.proc.peak_rss())
        if i < repeats - 1 or not keep:
            peer.stop()
    out = {"up": statistics.median(up), "first_query": statistics.median(answered), "runs_up": up,
           "runs_first_query": answered, "peak_rss": max(memory)}
    log(f"  start {peer.name:16s} up in {out['up']:6.2f} s, first query answered at {out['first_query']:6.2f} s "
        f"(median of {repeats}); memory {out['peak_rss'] / 2**20:.0f} MiB")
    return out


def run(pg: PolicyGraph, oxigraph: Peer, rdflib: RdflibEndpoint | None, *, repeats: int, log=print) -> dict:
    results = {"policygraph": measure(pg, repeats, log=log), "oxigraph": measure(oxigraph, repeats, log=log)}
    if rdflib is not None:
        results["rdflib-endpoint"] = measure(rdflib, 1, log=log)
    return results
