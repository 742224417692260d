"""Workload 1: the competency queries of ``queries/`` over HTTP, cold and warm, on every peer.

Each named query is run with parameters that exist in the generated graph (:func:`pick_params`:
chosen by fixed SPARQL queries, shown in the report).  policygraph answers ``GET
/queries/{name}?param=…`` — its own named-query route; the peers receive the same query text with
the same parameters bound by a ``VALUES`` block (``sparql_text.inline_values``, what policygraph
itself sends to its store), by POST.  Every answer is SPARQL JSON read to the end; the number of rows
of each peer is compared with Oxigraph's.

- cold: the first run of each query after the server started (all queries in turn, on a fresh
  process: its caches hold nothing of the query yet; the operating system's file cache is not
  dropped, which would need root and disturb the other users of the machine);
- warm: then ``repeats`` more runs of each (fewer when a run is slow, within ``budget`` seconds per
  query): median and 95th percentile (nearest rank).

A request that does not finish within the per-request limit is recorded as "> limit"; its warm runs
are skipped, and the server is made to answer again (rdflib-endpoint is killed and restarted: it
answers nothing else while a query runs).
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field

from policygraph.queries.catalog import NamedQuery, QueryCatalog
from policygraph.store.sparql_text import inline_values

from .common import summary
from .peers import JSON, Answer, Peer, PolicyGraph, request

ID = "https://w3id.org/policygraph/id/"
PREFIXES = """PREFIX pg: <https://w3id.org/policygraph/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# For a parameter (name, or "query:name"): a SELECT of one column ?v, best first.  The default of the
# .rq file is kept when it exists in the graph and no picker is given, or when the picker finds nothing.
PICKERS = {
    "contract": """SELECT ?v WHERE { ?m pg:inContract ?v } GROUP BY ?v ORDER BY DESC(COUNT(?m)) ?v LIMIT 1""",
    "contract-amendments:contract": """SELECT ?v WHERE { ?x pg:amends|pg:renews ?v }
        GROUP BY ?v ORDER BY DESC(COUNT(?x)) ?v LIMIT 1""",
    "contract-signatories:contract": """SELECT ?v WHERE { ?s a pg:Signature ; pg:commitsTo ?v }
        GROUP BY ?v ORDER BY DESC(COUNT(?s)) ?v LIMIT 1""",
    "projects-of-contract:contract": """SELECT ?v WHERE { ?p pg:underContract ?v }
        GROUP BY ?v ORDER BY DESC(COUNT(?p)) ?v LIMIT 1""",
    "actor-commitments:actor": f"""SELECT ?v WHERE {{ ?c pg:actor ?v FILTER(STRSTARTS(STR(?v), "{ID}actor/departement/")) }}
        GROUP BY ?v ORDER BY DESC(COUNT(?c)) ?v LIMIT 1""",
    "actor-financial-commitments:actor": """SELECT ?v WHERE { ?c a pg:FinancialCommitment ; pg:actor ?v }
        GROUP BY ?v ORDER BY DESC(COUNT(?c)) ?v LIMIT 1""",
    "contracts-of-actor-as-signatory:actor": f"""SELECT ?v WHERE {{ ?s a pg:Signature ; pg:actor ?v
        FILTER(STRSTARTS(STR(?v), "{ID}actor/region/")) }} GROUP BY ?v ORDER BY DESC(COUNT(?s)) ?v LIMIT 1""",
    "commune": """SELECT ?v WHERE { ?c pg:scope ?v . ?v a pg:Commune ; pg:population ?p }
        ORDER BY DESC(?p) ?v LIMIT 1""",
    "epci": """SELECT ?v WHERE { ?v pg:legalStatus ?s } GROUP BY ?v ORDER BY DESC(COUNT(?s)) ?v LIMIT 1""",
    "territory": """SELECT ?v WHERE { ?c pg:scope ?v . ?v a pg:EPCI ; pg:population ?p }
        ORDER BY DESC(?p) ?v LIMIT 1""",
    "kind-figures-by-departement:kind": """SELECT ?v WHERE { ?f a pg:Figure ; pg:figureOf ?v ; pg:inTerritory ?d .
        ?d a pg:Departement } GROUP BY ?v ORDER BY DESC(COUNT(?f)) ?v LIMIT 1""",
    "theme": """SELECT ?v WHERE { ?m pg:theme ?v } GROUP BY ?v ORDER BY DESC(COUNT(?m)) ?v LIMIT 1""",
}


@dataclass
class QueryCase:
    name: str
    params: dict[str, str]  # as given in the URL of /queries/{name}
    text: str  # the query with its parameters bound (what the peers receive)
    picked: dict[str, str] = field(default_factory=dict)  # parameter → where its value comes from


def pick_params(oxigraph: Peer, catalog: QueryCatalog, names: list[str] | None = None) -> list[QueryCase]:
    cases = []
    for query in catalog:
        if names is not None and query.name not in names:
            continue
        params, picked = {}, {}
        for p in query.parameters:
            picker = PICKERS.get(f"{query.name}:{p.name}") or PICKERS.get(p.name)
            value = None
            if picker and p.type == "iri":
                answer = oxigraph.sparql(PREFIXES + picker, JSON)
                rows = json.loads(answer.body)["results"]["bindings"] if answer.ok else []
                if rows:
                    value, picked[p.name] = rows[0]["v"]["value"], "picked"
            if value is None and p.default is not None:
                value, picked[p.name] = p.default, "default"
            if value is not None:
                params[p.name] = value
        cases.append(QueryCase(query.name, params, bound_text(query, params), picked))
    return cases


def bound_text(query: NamedQuery, params: dict[str, str]) -> str:
    bindings = query.bindings(params)
    return inline_values(query.text, {k: str(v) for k, v in bindings.items()}) if bindings else query.text


def run_once(peer: Peer, case: QueryCase) -> Answer:
    if isinstance(peer, PolicyGraph):
        return peer.named(case.name, case.params)
    return peer.sparql(case.text, JSON)


def rows_of(answer: Answer) -> int | None:
    if not answer.ok:
        return None
    try:
        data = json.loads(answer.body)
    except ValueError:
        return None
    return len(data["results"]["bindings"]) if "results" in data else 1


def cold_pass(peer: Peer, cases: list[QueryCase], *, log=print) -> dict[str, dict]:
    """Every case once, in turn, on a server the caller has just started."""
    results: dict[str, dict] = {}
    for case in cases:
        answer = run_once(peer, case)
        entry = results[case.name] = {"cold": answer.seconds if answer.ok else None, "rows": rows_of(answer),
                                      "status": answer.status, "warm": []}
        if not answer.ok:
            entry["error"] = answer.error or f"HTTP {answer.status}"
            entry["timed_out"] = answer.status in (None, 503)
            peer.recover()
        log(f"  {peer.name:16s} {case.name:36s} cold {_ms(entry)}")
    return results


def warm_passes(peers: list[Peer], cases: list[QueryCase], results: dict[str, dict], *, repeats: int,
                budget: float, log=print) -> None:
    """``repeats`` runs of each case on each peer, the peers interleaved run by run: on a shared,
    noisy machine each peer's run meets the same background load as the others'."""
    for case in cases:
        spent = {p.name: 0.0 for p in peers}
        live = [p for p in peers if results[p.name][case.name]["cold"] is not None]
        for _ in range(repeats):
            for peer in list(live):
                entry = results[peer.name][case.name]
                answer = run_once(peer, case)
                if not answer.ok:
                    entry["warm_error"] = answer.error or f"HTTP {answer.status}"
                    live.remove(peer)
                    peer.recover()
                    continue
                entry["warm"].append(answer.seconds)
                spent[peer.name] += answer.seconds
                if spent[peer.name] > budget:  # slow here: enough runs
                    live.remove(peer)
        line = []
        for peer in peers:
            entry = results[peer.name][case.name]
            entry.update({f"warm_{k}": v for k, v in summary(entry["warm"]).items()})
            line.append(f"{peer.name} {entry['warm_median'] * 1000:.1f}" if entry["warm"] else f"{peer.name} -")
        log(f"  warm median (ms) {case.name:36s} " + "  ".join(line))


def _ms(entry: dict) -> str:
    if entry["cold"] is None:
        return f"failed: {entry.get('error', '')[:120]}"
    return f"{entry['cold'] * 1000:9.1f} ms  rows {entry['rows']}"


def compare_rows(results: dict[str, dict], reference: str = "oxigraph") -> list[str]:
    """Queries where a peer's row count differs from the reference's."""
    issues = []
    base = results.get(reference, {})
    for peer, entries in results.items():
        if peer == reference:
            continue
        for name, entry in entries.items():
            expected = base.get(name, {}).get("rows")
            if entry.get("rows") is not None and expected is not None and entry["rows"] != expected:
                issues.append(f"{peer} returned {entry['rows']} rows for {name}, {reference} {expected}")
    return issues


def floor(peers: list[Peer], runs: int = 40) -> dict:
    """The cost of the smallest request: ``ASK {}`` on each peer, and policygraph's ``/health`` (no query)."""
    out: dict[str, float] = {}
    for _ in range(2):  # interleaved, the first round discarded as warm-up
        samples: dict[str, list[float]] = {}
        for _ in range(runs):
            for peer in peers:
                answer = peer.sparql("ASK {}", JSON, timeout=10)
                if answer.ok:
                    samples.setdefault(f"{peer.name} ASK", []).append(answer.seconds)
                if isinstance(peer, PolicyGraph):
                    answer = request(peer.url + "/health", "GET", 10)
                    if answer.ok:
                        samples.setdefault("policygraph /health", []).append(answer.seconds)
        out = {k: statistics.median(v) for k, v in samples.items()}
    return out


def run(peers: list[Peer], cases: list[QueryCase], *, repeats: int, budget: float, log=print) -> dict:
    """Cold pass on each peer (each just started by the caller), then interleaved warm passes."""
    started = time.perf_counter()
    results = {peer.name: cold_pass(peer, cases, log=log) for peer in peers}
    warm_passes(peers, cases, results, repeats=repeats, budget=budget, log=log)
    smallest = floor(peers)
    log("  smallest request (median ms): " + ", ".join(f"{k} {v * 1000:.2f}" for k, v in smallest.items()))
    return {"cases": [case.__dict__ for case in cases], "peers": results, "row_mismatches": compare_rows(results),
            "floor": smallest,
            "timeouts": {p.name: p.timeout for p in peers}, "restarts": {p.name: p.restarts for p in peers},
            "seconds": time.perf_counter() - started}
