"""Workload 2: dereferencing resources under concurrency, and a runaway query during the load.

Resources: a fixed, seeded sample of IRIs of the kinds a linked-data client follows (measures, axes,
contracts, commitments, communes, EPCI, actors).  policygraph keeps descriptions in a cache, so each
of its runs (JSON-LD, HTML, runaway) gets its own third of the sample and requests each IRI once — a
run that exhausts its list stops early rather than measure the cache.  Oxigraph has no such cache:
its runs go round the list as long as they last (``cycled``).

- policygraph: ``GET /id/…`` with ``Accept: application/ld+json`` (JSON-LD, framed), and with
  ``Accept: text/html`` (the HTML page);
- Oxigraph server, "the equivalent CONSTRUCT": the two CONSTRUCT queries policygraph runs to
  describe a resource (``policygraph.linked_data.describe``: the resource, its parts and the links to it; then
  the summaries of its neighbours, built from the first answer as policygraph builds it) sent to
  ``/query`` as N-Triples.  Oxigraph does no framing, no HTML;
- rdflib-endpoint: the same two queries, for a shorter run (it answers one request at a time).

The equivalence is checked: for the first IRIs, the triples of policygraph's N-Triples answer and of
the two queries on Oxigraph must be the same set.

Runaway query: during a policygraph JSON-LD run, a query that would run for hours (a three-way
cartesian product) is sent to ``/sparql``.  The service stops it at its time limit (the product's
default, 10 s) and answers ``503``; the dereferencing load goes on meanwhile — the latencies before
and during are compared.  rdflib-endpoint is shown the same query at the end: whether it still answers
another request, and whether it stops on SIGTERM.
"""

from __future__ import annotations

import json
import random
import threading
import time

import pyoxigraph as ox

from policygraph.linked_data.describe import Description, core_query, summary_query
from policygraph.model.namespaces import BASE
from policygraph.store.results_io import parse_triples

from . import common
from .loadgen import Connection, Job, LoadResult, get, run_load
from .peers import JSON, NTRIPLES, Peer, PolicyGraph, request

BASE = str(BASE)
KINDS = {  # class → share of the sample
    "Measure": 0.30, "Axis": 0.10, "Contract": 0.10, "FinancialCommitment": 0.10,
    "Commune": 0.25, "EPCI": 0.05, "Actor": 0.10,
}
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def sample_iris(oxigraph: Peer, n: int, seed: int) -> list[str]:
    """``n`` IRIs drawn per KINDS from the graph, shuffled; deterministic for a graph and a seed."""
    rng = random.Random(seed)
    chosen: list[str] = []
    for kind, share in KINDS.items():
        query = (f"SELECT ?s WHERE {{ ?s a <https://w3id.org/policygraph/def#{kind}> "
                 f"FILTER(STRSTARTS(STR(?s), \"{BASE}id/\")) }} ORDER BY ?s")
        answer = oxigraph.sparql(query, JSON)
        found = [b["s"]["value"] for b in json.loads(answer.body)["results"]["bindings"]] if answer.ok else []
        want = min(len(found), max(1, round(n * share)))
        chosen += rng.sample(found, want)
    rng.shuffle(chosen)
    return chosen


def local_path(iri: str) -> str:
    from urllib.parse import quote

    return "/" + quote(iri[len(BASE):], safe="/:@-._~!$&'()*+,;=")


def policygraph_job(iri: str, accept: str) -> Job:
    return get(local_path(iri), accept)


def construct_job(peer: Peer, iri: str) -> Job:
    """The two description queries on a SPARQL endpoint, the second built from the first answer."""
    path = peer.sparql_path
    headers = {"Content-Type": "application/sparql-query", "Accept": NTRIPLES}

    def job(conn: Connection) -> str | None:
        status, body = conn.request("POST", path, core_query(iri, BASE).encode(), headers)
        if status != 200:
            return f"HTTP {status}"
        first = Description(iri, parse_triples(body))
        neighbours = first.neighbours(BASE)
        if neighbours:
            status, body = conn.request("POST", path, summary_query(neighbours, BASE).encode(), headers)
            if status != 200:
                return f"HTTP {status}"
        return None

    return job


def construct_triples(peer: Peer, iri: str) -> set:
    first = request(peer.url + peer.sparql_path, "POST", peer.timeout, content=core_query(iri, BASE).encode(),
                    headers={"Content-Type": "application/sparql-query", "Accept": NTRIPLES})
    triples = set(parse_triples(first.body))
    neighbours = Description(iri, list(triples)).neighbours(BASE)
    if neighbours:
        second = request(peer.url + peer.sparql_path, "POST", peer.timeout,
                         content=summary_query(neighbours, BASE).encode(),
                         headers={"Content-Type": "application/sparql-query", "Accept": NTRIPLES})
        triples |= set(parse_triples(second.body))
    return triples


def check_equivalence(pg: PolicyGraph, oxigraph: Peer, iris: list[str]) -> dict:
    same, different = 0, []
    for iri in iris:
        answer = request(pg.url + local_path(iri), "GET", pg.timeout, headers={"Accept": NTRIPLES})
        mine = set(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)) if answer.ok else set()
        if mine == construct_triples(oxigraph, iri):
            same += 1
        else:
            different.append(iri)
    return {"checked": len(iris), "same": same, "different": different[:5]}


def _merge(parts: list[LoadResult]) -> LoadResult:
    merged = LoadResult(parts[0].concurrency, sum(p.duration for p in parts))
    for p in parts:
        merged.samples += p.samples
        merged.cycled |= p.cycled
        merged.client_cpu += p.client_cpu
    return merged


def run(pg: PolicyGraph, oxigraph: Peer, rdflib: Peer | None, iris: list[str], *, concurrency: int,
        duration: float, rounds: int, timeout: float, runaway_before: float, log=print, profile=None) -> dict:
    """Each run lasts ``duration`` seconds in all, in ``rounds`` slices taken in turn by the peers (a
    noisy neighbour then weighs on all alike).  ``profile(proc, seconds, name)``, if given, records a
    profile of policygraph during one more JSON-LD slice (not counted)."""
    warm, main = iris[:100], iris[100:]
    # JSON-LD, HTML and the runaway run each on their own resources: policygraph never answers from its cache.
    even, odd, rest = main[0::3], main[1::3], main[2::3]
    results: dict = {"iris": len(main), "concurrency": concurrency, "kinds": KINDS, "duration": duration,
                     "rounds": rounds, "equivalence": check_equivalence(pg, oxigraph, warm[:20])}
    log(f"  equivalence policygraph N-Triples vs two CONSTRUCT on Oxigraph: "
        f"{results['equivalence']['same']}/{results['equivalence']['checked']} identical")
    plan = {
        "policygraph JSON-LD": (pg, lambda i: policygraph_job(i, "application/ld+json"), even),
        "policygraph HTML": (pg, lambda i: policygraph_job(i, "text/html"), odd),
        "oxigraph CONSTRUCT": (oxigraph, lambda i: construct_job(oxigraph, i), even),
    }
    cycle = {"policygraph JSON-LD": False, "policygraph HTML": False, "oxigraph CONSTRUCT": True}  # no cache there
    for label, (peer, make, _) in plan.items():  # warm-up: the first requests of a process set up state
        run_load(peer.url, [make(i) for i in warm], concurrency=concurrency, duration=min(2.0, duration / 2),
                 timeout=timeout)
    parts: dict[str, list[LoadResult]] = {label: [] for label in plan}
    server_cpu = {label: 0.0 for label in plan}  # CPU seconds of the server (and its workers) during the runs
    profiles = {}
    for r in range(rounds):
        for label, (peer, make, chosen) in plan.items():
            part = chosen[r * len(chosen) // rounds:(r + 1) * len(chosen) // rounds]
            cpu = peer.proc.cpu_seconds()
            parts[label].append(run_load(peer.url, [make(i) for i in part], concurrency=concurrency,
                                         duration=duration / rounds, timeout=timeout, cycle=cycle[label]))
            server_cpu[label] += peer.proc.cpu_seconds() - cpu
    results["runaway"] = runaway(pg, rest, concurrency=concurrency, before=runaway_before, timeout=timeout, log=log)
    if profile is not None:  # one more JSON-LD slice, under py-spy, not counted in the numbers
        seconds = duration / rounds
        finish = profile(pg.proc, seconds, "deref-jsonld")
        run_load(pg.url, [policygraph_job(i, "application/ld+json") for i in reversed(rest)],
                 concurrency=concurrency, duration=seconds, timeout=timeout, cycle=False)
        profiles["policygraph JSON-LD"] = finish()
    results["runs"] = {}
    for label in plan:
        merged = _merge(parts[label])
        stats = merged.stats()
        stats.update(duration=merged.duration, cycled=merged.cycled, client_cpu=merged.client_cpu,
                     server_cpu=server_cpu[label])
        if stats["ok"]:
            # CPU per answer, on the server's side and on the client's (the Oxigraph jobs build their second
            # query in the client, as policygraph does in its server).
            stats["server_cpu_per_answer"] = server_cpu[label] / stats["ok"]
            stats["client_cpu_per_answer"] = merged.client_cpu / stats["ok"]
        if label in profiles:
            stats["profile"] = profiles[label]
        results["runs"][label] = stats
        log(f"  {label:26s} {_line(stats)}")
    if rdflib is not None:
        result = run_load(rdflib.url, [construct_job(rdflib, i) for i in even], concurrency=concurrency,
                          duration=duration / 2, timeout=timeout)
        stats = result.stats()
        stats.update(duration=result.duration, cycled=result.cycled, client_cpu=result.client_cpu)
        results["runs"]["rdflib-endpoint CONSTRUCT"] = stats
        log(f"  {'rdflib-endpoint CONSTRUCT':26s} {_line(stats)}")
    return results


def _line(stats: dict) -> str:
    if not stats.get("ok"):
        return f"no answer ({stats['errors']} errors: {stats.get('error_examples')})"
    return (f"{stats['throughput']:7.1f} req/s  p50 {stats['latency_median'] * 1000:7.1f} ms  "
            f"p99 {stats['latency_p99'] * 1000:7.1f} ms  errors {stats['errors']}"
            + (f"  client CPU {stats['client_cpu']:.1f} s" if "client_cpu" in stats else ""))


def runaway(pg: PolicyGraph, iris: list[str], *, concurrency: int, before: float, timeout: float, log=print) -> dict:
    """The JSON-LD load for ``before`` seconds, then a runaway query while the load goes on."""
    limit = float(pg.server_env().get("POLICYGRAPH_QUERY_TIMEOUT", 10))
    outcome: dict = {}
    launched = threading.Event()

    def send_runaway() -> None:
        outcome["start"] = time.perf_counter() - t0
        answer = request(pg.url + "/sparql", "POST", limit * 6, content=RUNAWAY.encode(),
                         headers={"Content-Type": "application/sparql-query", "Accept": JSON})
        outcome["end"] = time.perf_counter() - t0
        outcome.update(status=answer.status, seconds=answer.seconds, body=(answer.error or "")[:300])

    def tick(elapsed: float) -> None:
        if elapsed >= before and not launched.is_set():
            launched.set()
            threading.Thread(target=send_runaway, daemon=True).start()

    jobs = [policygraph_job(i, "application/ld+json") for i in iris]  # none requested before: no cache hit
    t0 = time.perf_counter()
    result = run_load(pg.url, jobs, concurrency=concurrency, duration=before + limit + 2, timeout=timeout,
                      cycle=False, on_tick=tick)
    if not launched.is_set():
        # The load ran out of resources before the runaway's turn (small graphs): send it now, so
        # every run still shows the time limit at work.
        launched.set()
        send_runaway()
    deadline = time.monotonic() + limit * 6
    while "end" not in outcome and time.monotonic() < deadline:
        time.sleep(0.1)
    out = {"limit": limit, "query": RUNAWAY, "runaway_status": outcome.get("status"),
           "runaway_seconds": outcome.get("seconds"), "runaway_answer": outcome.get("body"),
           "before": result.stats(0.5, outcome.get("start", before)),
           "during": result.stats(outcome.get("start", before), outcome.get("end", result.duration)),
           "ran_out": len(result.samples) >= len(jobs), "requests": len(result.samples)}
    log(f"  runaway query: HTTP {out['runaway_status']} after {out['runaway_seconds'] or 0:.1f} s (limit {limit:g} s); "
        f"load before: {_line(out['before'])}; during: {_line(out['during'])}")
    return out


def rdflib_runaway(rdflib: Peer, *, wait: float = 5.0, log=print) -> dict:
    """Send the runaway query to rdflib-endpoint, then ask it something else, then SIGTERM it."""
    out: dict = {"query": RUNAWAY}
    threading.Thread(target=lambda: request(rdflib.url + rdflib.sparql_path, "POST", wait, content=RUNAWAY.encode(),
                                            headers={"Content-Type": "application/sparql-query",
                                                     "Accept": JSON}), daemon=True).start()
    time.sleep(1.0)
    probe = request(rdflib.url + rdflib.sparql_path, "POST", wait, content=b"ASK {}",
                    headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    out["other_request"] = "answered" if probe.ok else f"not answered within {wait:g} s"
    proc = rdflib.proc
    proc.popen.terminate()
    t = time.monotonic()
    try:
        proc.popen.wait(wait)
        out["sigterm"] = f"exited {time.monotonic() - t:.1f} s after SIGTERM"
        proc.ended = "terminated"
    except Exception:  # noqa: BLE001 - subprocess.TimeoutExpired
        out["sigterm"] = f"still running {wait:g} s after SIGTERM: killed"
        common.kill(proc)
    rdflib.proc = None
    log(f"  rdflib-endpoint with a runaway query: other request {out['other_request']}; {out['sigterm']}")
    return out
