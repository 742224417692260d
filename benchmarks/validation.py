"""Incremental versus full SHACL validation of a 100-triple change set against a 10^6-triple graph.

The graph: ``benchmarks.generate`` on the whole-France geography (``policygraph import territories
--region all``, ``benchmarks/work/france.ttl``) plus the ontology and the vocabularies — or any
N-Quads file given with ``--data`` (the scale suite passes its own).  The change set: 100 quads,
drawn with a seeded ``random.Random`` from the generated documents' own resources, like a steward's
day — resources cloned under new IRIs (a new measure, a new commitment…), links re-pointed (a
measure moved to another contract's axis, a share raised above its total), values made wrong, and
triples removed.

Measured, on the same machine, in one process:

- *incremental*: ``policygraph.validation.incremental.validate_change`` on the pyoxigraph store — what
  ``POST /validate``, ``POST /changes`` and the write guard run (cold: first call, with the shapes'
  analysis; warm: median of the next runs);
- *full*: pySHACL (``policygraph.validation.validator.Validator``) on the whole graph after the change, and the
  load of that graph into rdflib it needs;
- *identical results*: the incremental report must equal R(after) − R(before), and what it resolves
  R(before) − R(after), R being the full validation — so the full graph is validated twice.

Command line (writes ``benchmarks/results/validation.md`` and ``.json``)::

    .venv/bin/python -m benchmarks.validation --triples 1e6 --seed 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from policygraph.model.dataset import data_files, project_root
from policygraph.model.namespaces import PG
from policygraph.model.terms import to_rdflib
from policygraph.validation.incremental import compare, keys, union_graph, validate_change
from policygraph.validation.validator import shipped_validator

from .generate import ensure_geography, generate

WORK = project_root() / "benchmarks" / "work"
RESULTS = project_root() / "benchmarks" / "results"
SOURCE = "https://w3id.org/policygraph/graph/source/"


def graph_file(triples: int, seed: int, geography: Path, log=print) -> Path:
    """The generated graph plus the ontology and vocabularies, as N-Quads (cached in benchmarks/work)."""
    path = WORK / "validation" / f"graph-{triples:.0e}-s{seed}.nq".replace("+0", "")
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    log(f"generating {triples} triples (seed {seed}) …")
    generated = path.with_name(path.name + ".generated")
    generate(triples, seed, generated, geography)
    with open(path.with_name(path.name + ".partial"), "w", encoding="utf-8") as out:
        for f in data_files():
            if f.path.parent.name == "ontology":
                graph = ox.NamedNode(str(f.graph))
                for t in ox.parse(path=str(f.path), format=ox.RdfFormat.TURTLE):
                    out.write(f"{ox.Quad(t.subject, t.predicate, t.object, graph)} .\n")
        with open(generated, encoding="utf-8") as src:
            while chunk := src.read(1 << 24):
                out.write(chunk)
    path.with_name(path.name + ".partial").replace(path)
    generated.unlink()
    return path


def load(path: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store


def change_set(store: ox.Store, size: int, seed: int) -> tuple[list, list]:
    """``size`` quads to add and remove, drawn from the generated documents (deterministic per seed)."""
    rng = random.Random(seed)
    documents = sorted(g.value for g in store.named_graphs() if g.value.startswith(SOURCE + "gen-"))
    picked = [documents[i] for i in sorted(rng.sample(range(len(documents)), min(40, len(documents))))]
    quads = []
    for g in picked:
        quads += sorted((tuple(to_rdflib(t) for t in (q.subject, q.predicate, q.object, q.graph_name))
                         for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))), key=str)
    by_subject: dict = {}
    for q in quads:
        by_subject.setdefault(q[0], []).append(q)
    subjects = sorted(by_subject, key=str)
    added, removed = [], []

    def room() -> int:
        return size - len(added) - len(removed)

    # New resources: existing descriptions under new IRIs (most of a steward's additions are valid).
    n = 0
    while room() > 45:
        source = rng.choice(subjects)
        n += 1
        new = URIRef(f"{source}-bench{seed}-{n}")
        for s, p, o, g in by_subject[source][:room() - 45]:
            added.append((new, p, o, g))
    # Links re-pointed to what another resource points at with the same predicate (often breaking).
    links = [q for q in quads if isinstance(q[2], URIRef) and q[1] != RDF.type]
    while room() > 25:
        s, p, o, g = rng.choice(links)
        other = rng.choice([q for q in links if q[1] == p])[2]
        if other != o:
            removed.append((s, p, o, g))
            added.append((s, p, other, g))
    # Values made wrong: an amount raised tenfold, a year out of range.
    amounts = [q for q in quads if q[1] == PG.amount]
    while room() > 15 and amounts:
        s, p, o, g = amounts.pop(rng.randrange(len(amounts)))
        removed.append((s, p, o, g))
        added.append((s, p, Literal(str(int(float(o)) * 10), datatype=XSD.decimal), g))
    # And plain removals.
    while room() > 0:
        q = rng.choice(quads)
        if q not in removed:
            removed.append(q)
    return added, removed


def measure(data: Path | None = None, *, seed: int = 1, triples: int = 1_000_000, changes: int = 100,
            quick: bool = False, warm_runs: int = 3, log=print) -> dict:
    """Run the benchmark; returns the figures (``benchmarks/bench_validation.py`` calls this)."""
    if data is None:
        geography = ensure_geography(WORK / "france.ttl")
        data = graph_file(100_000 if quick else triples, seed, geography, log)
    log(f"loading {data} …")
    t = time.perf_counter()
    store = load(Path(data))
    load_seconds = time.perf_counter() - t
    size = len(store)
    added, removed = change_set(store, changes, seed)
    validator = shipped_validator()

    log("incremental validation …")
    t = time.perf_counter()
    first = validate_change(store, added, removed, validator=validator)
    cold = time.perf_counter() - t
    warm = []
    for _ in range(warm_runs):
        t = time.perf_counter()
        again = validate_change(store, added, removed, validator=validator)
        warm.append(time.perf_counter() - t)
        assert set(keys(again.report)) == set(keys(first.report))

    log("full validation of the graph before the change …")
    _, full_before, load_before, full_before_seconds = full_validation(store, validator)

    log("full validation of the graph after the change …")
    for q in removed:
        store.remove(ox.Quad(*(_ox(x) for x in q)))
    for q in added:
        store.add(ox.Quad(*(_ox(x) for x in q)))
    after_graph, full_after, load_after, full_after_seconds = full_validation(store, validator)

    new, resolved = compare(full_before, full_after, after_graph)
    identical = (set(keys(new)) == set(keys(first.report))
                 and {r.sort_key() for r in resolved} == {r.sort_key() for r in first.resolved})
    incremental = statistics.median(warm) if warm else cold
    return {
        "available": True,
        "graph": str(data), "triples": size, "load_seconds": round(load_seconds, 1),
        "change": {"quads": len(added) + len(removed), "added": len(added), "removed": len(removed)},
        "incremental": {"cold_seconds": round(cold, 3), "warm_seconds": [round(x, 3) for x in warm],
                        "median_seconds": round(incremental, 3), "focus_nodes": first.focus_nodes,
                        "sub_graph_triples": first.triples,
                        "steps": {k: round(v, 3) for k, v in first.timings.items()}},
        "full": {"validate_after_seconds": round(full_after_seconds, 1),
                 "validate_before_seconds": round(full_before_seconds, 1),
                 "load_into_rdflib_seconds": round((load_before + load_after) / 2, 1),
                 "results_before": len(full_before.results), "results_after": len(full_after.results)},
        "results": {"new": len(new.results), "resolved": len(resolved),
                    "new_by_severity": new.counts, "identical": identical},
        "speedup": round(full_after_seconds / incremental, 1),
        "speedup_with_load": round((full_after_seconds + load_after) / incremental, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}",
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "seed": seed,
    }


def full_validation(store: ox.Store, validator):
    """pySHACL on the whole store: (rdflib graph, report, seconds to load it into rdflib, seconds to validate)."""
    t = time.perf_counter()
    graph = union_graph(store)
    loaded = time.perf_counter() - t
    t = time.perf_counter()
    report = validator.validate(graph)
    return graph, report, loaded, time.perf_counter() - t


def _ox(term):
    from policygraph.model.terms import from_rdflib

    return from_rdflib(term)


def markdown(r: dict, seconds: float) -> str:
    inc, full, res = r["incremental"], r["full"], r["results"]
    return f"""# Incremental versus full SHACL validation

Generated by `python -m benchmarks.validation` in {seconds / 60:.1f} min on {r['machine']}; load average at
the end {r['load_average'][0]} (other processes shared the machine: the ratio is what matters).

Graph: {r['triples']:,} quads (`{Path(r['graph']).name}`: generated contracts on the whole-France geography,
with the ontology and vocabularies; loaded into pyoxigraph in {r['load_seconds']} s).
Change set: {r['change']['quads']} quads ({r['change']['added']} added, {r['change']['removed']} removed), seed {r['seed']}:
cloned resources, re-pointed links, wrong values, removals.

| | time | what it checks |
|---|---|---|
| incremental (`validate_change`), warm median of {len(inc['warm_seconds'])} | **{inc['median_seconds']} s** | {inc['focus_nodes']} (shape, focus node) pairs on a {inc['sub_graph_triples']:,}-triple sub-graph, before and after |
| incremental, first call (shapes analysed) | {inc['cold_seconds']} s | the same |
| full pySHACL on the graph after the change | **{full['validate_after_seconds']} s** | every target of every shape |
| full pySHACL on the graph before the change | {full['validate_before_seconds']} s | (needed only to check the equivalence) |
| loading the graph into rdflib for pySHACL | {full['load_into_rdflib_seconds']} s | |

**Speed-up: ×{r['speedup']}** (full validation ÷ incremental), ×{r['speedup_with_load']} counting the rdflib load.
Incremental steps (first call): {', '.join(f'{k} {v} s' for k, v in inc['steps'].items())}.

**Identical results: {'yes' if res['identical'] else 'NO'}.** The change breaks {res['new']} result(s)
({', '.join(f'{v} {k.lower()}' for k, v in res['new_by_severity'].items())}) and resolves {res['resolved']};
the incremental report equals R(after) − R(before) and its resolved list R(before) − R(after), R being
the full validation ({full['results_before']} results before, {full['results_after']} after).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.validation", description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=lambda s: int(float(s)), default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=None, help="an N-Quads graph instead of generating one")
    parser.add_argument("--output", type=Path, default=RESULTS / "validation.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = measure(args.data, seed=args.seed, triples=args.triples,
                     log=lambda m: print(m, file=sys.stderr, flush=True))
    seconds = time.perf_counter() - started
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(markdown(result, seconds), encoding="utf-8")
    args.output.with_suffix(".json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0 if result["results"]["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
