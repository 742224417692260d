"""Which embedded engine? rdflib vs pyoxigraph, on queries shaped like ours, at 10^5 and 10^6 triples.

Engines compared, each on the same generated dataset (named graphs, queried through the union of
the named graphs, as the service does):

- ``rdflib``: rdflib ``Dataset`` in memory (``default_union=True``);
- ``pyoxigraph``: a pyoxigraph on-disk ``Store`` queried in-process;
- ``policygraph``: the service's embedded store — pyoxigraph through the killable worker pool,
  answers serialized to SPARQL JSON (what an HTTP client gets, minus HTTP);
- ``oxigraph-http``: the Oxigraph server (PyPI ``oxigraph``) over HTTP, SPARQL JSON answers.

For each: load time, then each query run once to warm up and up to 7 more times (fewer when a run
is slow); median and 95th percentile (nearest rank).  rdflib runs are stopped after ``--cap``
seconds (SIGALRM: rdflib is pure Python), reported as "> cap".  Every engine's row count is
checked against pyoxigraph's.

    .venv/bin/python benchmarks/engines.py                      # both sizes, ~10 min on 2 cores
    .venv/bin/python benchmarks/engines.py --sizes 100000      # the small one, ~1 min

Results: ``benchmarks/results/engines.md`` (and ``engines.json``); data in ``benchmarks/work/engines/``.
The generator is a simple seeded one (territories, contracts, axes, measures, commitments); the
benchmark issue brings a better one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: make the benchmarks package importable
    sys.path.insert(0, str(HERE.parent))

from benchmarks.common import OXIGRAPH, free_port, percentile  # noqa: E402 - shared with the suite

PG = "https://w3id.org/policygraph/def#"
ID = "https://w3id.org/policygraph/id/"
VOC = "https://w3id.org/policygraph/voc/"
GRAPH = "https://w3id.org/policygraph/graph/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = (f"PREFIX pg: <{PG}>\nPREFIX id: <{ID}>\nPREFIX voc: <{VOC}>\n"
            f"PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nPREFIX xsd: <{XSD}>\n")
NAMES = ["Saint", "Sainte", "Le", "La", "Mont", "Val", "Bois", "Fontaine", "Haut", "Neuf"]


# -- data -------------------------------------------------------------------------------------------

def generate(target: int, path: Path, seed: int = 42) -> dict:
    """Write ~target quads as N-Quads; return the IRIs the queries use."""
    rnd = random.Random(seed)
    out = open(path, "w", encoding="utf-8")
    count = 0

    def quad(s, p, o, g):
        nonlocal count
        out.write(f"<{s}> <{p}> {o} <{g}> .\n")
        count += 1

    def iri(x):
        return f"<{x}>"

    def lit(value, datatype=None, lang=None):
        text = str(value).replace("\\", "\\\\").replace('"', '\\"')
        return f'"{text}"@{lang}' if lang else (f'"{text}"^^<{XSD}{datatype}>' if datatype else f'"{text}"')

    # Per commune ~5.5 triples, per contract ~115: contracts carry most of the data, as in ours.
    n_contracts = max(20, int(target * 0.78 / 115))
    n_communes = max(50, int(target * 0.2 / 5.5))
    territories = GRAPH + "territories"
    regions = [f"{ID}territory/region/{r}" for r in range(max(1, n_communes // 3000) + 1)]
    depts, epcis, communes = [], [], []
    for r in regions:
        quad(r, RDF_TYPE, iri(PG + "Region"), territories)
        quad(r, PREF, lit(f"Région {r[-2:]}", lang="fr"), territories)
    for d in range(max(2, n_communes // 400)):
        dept = f"{ID}territory/departement/{d:02d}"
        depts.append(dept)
        quad(dept, RDF_TYPE, iri(PG + "Departement"), territories)
        quad(dept, PREF, lit(f"Département {d:02d}", lang="fr"), territories)
        quad(dept, PG + "directlyWithin", iri(rnd.choice(regions)), territories)
    for e in range(max(4, n_communes // 30)):
        epci = f"{ID}territory/epci/{200000000 + e}"
        epcis.append(epci)
        quad(epci, RDF_TYPE, iri(PG + "EPCI"), territories)
        quad(epci, PREF, lit(f"CC {e}", lang="fr"), territories)
        quad(epci, PG + "directlyWithin", iri(depts[e % len(depts)]), territories)
    for c in range(n_communes):
        commune = f"{ID}territory/commune/{10000 + c}"
        communes.append(commune)
        quad(commune, RDF_TYPE, iri(PG + "Commune"), territories)
        quad(commune, PREF, lit(f"{rnd.choice(NAMES)}-{c}", lang="fr"), territories)
        quad(commune, PG + "inseeCode", lit(10000 + c), territories)
        quad(commune, PG + "population", lit(rnd.randint(50, 200000), "integer"), territories)
        quad(commune, PG + "directlyWithin", iri(epcis[c % len(epcis)]), territories)
        if rnd.random() < 0.05:
            qpv = f"{ID}territory/qpv/QP{c:06d}"
            quad(qpv, RDF_TYPE, iri(PG + "QPV"), territories)
            quad(qpv, PG + "directlyWithin", iri(commune), territories)
    actors = [f"{ID}actor/{a}" for a in ("etat", "region/32", "departement/59", "ademe", "anru", "caf", "bpi", "cdc")]
    kinds = [f"{VOC}contract-kind/k{k}" for k in range(12)]
    themes = [f"{VOC}theme/t{t}" for t in range(20)]
    for c in range(n_contracts):
        g = f"{GRAPH}source/{c % 100:03d}"
        contract = f"{ID}contract/c{c}"
        scope = rnd.choice(communes if rnd.random() < 0.5 else epcis if rnd.random() < 0.6 else depts + regions)
        signed = date(2014, 1, 1) + timedelta(days=rnd.randrange(12 * 365))
        quad(contract, RDF_TYPE, iri(PG + "Contract"), g)
        quad(contract, PG + "kind", iri(rnd.choice(kinds)), g)
        quad(contract, PREF, lit(f"Contrat {c}", lang="fr"), g)
        quad(contract, PG + "scope", iri(scope), g)
        quad(contract, PG + "signatureDate", lit(signed.isoformat(), "date"), g)
        quad(contract, PG + "startYear", lit(signed.year, "gYear"), g)
        quad(contract, PG + "endYear", lit(signed.year + rnd.randint(2, 7), "gYear"), g)
        for a in range(1, 4):
            axis = f"{contract}/axis/{a}"
            quad(contract, PG + "hasAxis", iri(axis), g)
            quad(axis, RDF_TYPE, iri(PG + "Axis"), g)
            quad(axis, PG + "axisOf", iri(contract), g)
            quad(axis, PREF, lit(f"Axe {a} du contrat {c}", lang="fr"), g)
            quad(axis, PG + "number", lit(a), g)
            for m in range(1, 5):
                measure = f"{axis}/measure/{m}"
                quad(measure, RDF_TYPE, iri(PG + "Measure"), g)
                quad(measure, PG + "inAxis", iri(axis), g)
                quad(measure, PG + "inContract", iri(contract), g)
                quad(measure, PREF, lit(f"Mesure {a}.{m} du contrat {c}", lang="fr"), g)
                quad(measure, PG + "theme", iri(rnd.choice(themes)), g)
                quad(measure, PG + "number", lit(f"{a}.{m}"), g)
        for f in range(rnd.randint(3, 7)):
            funding = f"{contract}/funding/{f}"
            quad(funding, RDF_TYPE, iri(PG + "FinancialCommitment"), g)
            quad(funding, PG + "actor", iri(rnd.choice(actors)), g)
            quad(funding, PG + "commitsTo", iri(contract), g)
            quad(funding, PG + "amount", lit(f"{rnd.randint(1, 5000) * 1000}.0", "decimal"), g)
            quad(funding, PG + "role", iri(f"{VOC}role/funder"), g)
    out.close()
    return {"quads": count, "contract": f"{ID}contract/c{n_contracts // 2}", "commune": communes[len(communes) // 3],
            "dept": depts[0], "kind": kinds[2], "theme": themes[3]}


def queries(ids: dict) -> dict[str, str]:
    return {
        "Q1 lookup by IRI": f"SELECT ?p ?o WHERE {{ <{ids['contract']}> ?p ?o }}",
        "Q2 contracts covering a commune (path)": PREFIXES + f"""SELECT DISTINCT ?contract WHERE {{
  <{ids['commune']}> pg:directlyWithin* ?t . ?contract pg:scope ?t }}""",
        "Q3 contracts per kind (group by)": PREFIXES + """SELECT ?kind (COUNT(?c) AS ?n) WHERE {
  ?c a pg:Contract ; pg:kind ?kind } GROUP BY ?kind ORDER BY DESC(?n) ?kind""",
        "Q4 measures of a theme in contracts of a kind (5-pattern join)": PREFIXES + f"""SELECT ?m ?label ?contract WHERE {{
  ?m pg:theme <{ids['theme']}> ; pg:inAxis ?a ; skos:prefLabel ?label .
  ?a pg:axisOf ?contract . ?contract pg:kind <{ids['kind']}> }}""",
        "Q5 contracts signed in 2018 (date filter)": PREFIXES + """SELECT ?c ?d WHERE {
  ?c pg:signatureDate ?d FILTER(?d >= "2018-01-01"^^xsd:date && ?d < "2019-01-01"^^xsd:date) } ORDER BY ?d ?c""",
        "Q6 money per funder in a département (path + sum)": PREFIXES + f"""SELECT ?actor (SUM(?amount) AS ?total) WHERE {{
  ?f pg:actor ?actor ; pg:amount ?amount ; pg:commitsTo ?c . ?c pg:scope ?t .
  ?t pg:directlyWithin* <{ids['dept']}> }} GROUP BY ?actor ORDER BY ?actor""",
        "Q6b the same, selective pattern written first": PREFIXES + f"""SELECT ?actor (SUM(?amount) AS ?total) WHERE {{
  <{ids['dept']}> ^pg:directlyWithin* ?t . ?c pg:scope ?t . ?f pg:commitsTo ?c ; pg:actor ?actor ; pg:amount ?amount .
}} GROUP BY ?actor ORDER BY ?actor""",
        "Q7 communes whose label starts with 'Saint' (string filter)": PREFIXES + """SELECT ?t ?l WHERE {
  ?t a pg:Commune ; skos:prefLabel ?l FILTER(STRSTARTS(STR(?l), "Saint-")) }""",
    }


# -- engines ----------------------------------------------------------------------------------------

class Stopped(Exception):
    pass


def _alarm(signum, frame):
    raise Stopped()


class Rdflib:
    name = "rdflib"
    capped = True

    def load(self, path: Path) -> None:
        from rdflib import Dataset

        self.ds = Dataset(default_union=True)
        self.ds.parse(path, format="nquads")

    def run(self, query: str) -> int:
        return len(list(self.ds.query(query)))

    def close(self):
        self.ds = None


class PyOxigraph:
    name = "pyoxigraph"
    capped = False

    def __init__(self, work: Path):
        self.path = work / "pyoxigraph"

    def load(self, path: Path) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.store = ox.Store(str(self.path))
        self.store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        self.store.flush()

    def run(self, query: str) -> int:
        return len(list(self.store.query(query, use_default_graph_as_union=True)))

    def close(self):
        self.store = None


class PolicyGraph:
    name = "policygraph"
    capped = False

    def __init__(self, work: Path):
        self.path = work / "policygraph"

    def load(self, path: Path) -> None:
        from policygraph.settings import Settings
        from policygraph.store.embedded import EmbeddedStore

        shutil.rmtree(self.path, ignore_errors=True)
        self.store = EmbeddedStore(Settings(store_path=self.path, query_timeout=600, max_rows=10**7,
                                            max_result_bytes=2**31))
        # The same path as `policygraph load`: parse, one bulk write into a scratch copy, commit.
        by_graph: dict = {}
        for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            by_graph.setdefault(q.graph_name.value, []).append(q)
        self._load_quads(by_graph)
        self.store.start()

    def _load_quads(self, by_graph):
        s = self.store
        with s._write_lock:
            scratch_path = s._scratch()
            scratch = ox.Store(str(scratch_path))
            scratch.bulk_extend(q for quads in by_graph.values() for q in quads)
            s._commit(scratch_path, scratch)

    def run(self, query: str) -> int:
        from policygraph.model import formats
        from policygraph.store.base import QueryRequest

        result = self.store.query(QueryRequest(query, formats.RESULTS_JSON, formats.N_TRIPLES))
        return result.count

    def close(self):
        self.store.close()


class OxigraphHttp:
    name = "oxigraph-http"
    capped = False

    def __init__(self, work: Path):
        self.path = work / "oxigraph-server"
        self.binary = OXIGRAPH

    def load(self, path: Path) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        subprocess.run([self.binary, "load", "--location", str(self.path), "--file", str(path)], check=True,
                       capture_output=True)
        port = free_port()
        self.process = subprocess.Popen([self.binary, "serve", "--location", str(self.path), "--bind",
                                         f"127.0.0.1:{port}", "--union-default-graph"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{port}/query"
        self.client = httpx.Client(timeout=600, trust_env=False)
        for _ in range(300):
            try:
                self.client.get(self.url, params={"query": "ASK {}"})
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("oxigraph server did not start")

    def run(self, query: str) -> int:
        r = self.client.post(self.url, data={"query": query}, headers={"Accept": "application/sparql-results+json"})
        r.raise_for_status()
        return len(r.json()["results"]["bindings"])

    def close(self):
        self.client.close()
        self.process.terminate()
        self.process.wait(10)


# -- measuring --------------------------------------------------------------------------------------

def measure(engine, query: str, cap: float, repeats: int = 7, budget: float = 20.0) -> dict:
    samples, rows = [], None
    for i in range(repeats + 1):  # the first run warms up, unless it is the only one
        if engine.capped:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, cap)
        started = time.perf_counter()
        try:
            rows = engine.run(query)
        except Stopped:
            return {"stopped": cap, "rows": None, "runs": 0}
        finally:
            if engine.capped:
                signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = time.perf_counter() - started
        if i > 0 or elapsed > budget / 4:
            samples.append(elapsed)
        if sum(samples) > budget:
            break
    return {"median": statistics.median(samples), "p95": percentile(samples, 95), "runs": len(samples), "rows": rows}


def run_size(size: int, work: Path, cap: float, engines: list[str]) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    data = work / f"data-{size}.nq"
    ids = generate(size, data)
    print(f"\n== {ids['quads']} quads ({data.stat().st_size / 1e6:.0f} MB)", flush=True)
    results = {"quads": ids["quads"], "engines": {}}
    qs = queries(ids)
    factories = {"rdflib": lambda: Rdflib(), "pyoxigraph": lambda: PyOxigraph(work),
                 "policygraph": lambda: PolicyGraph(work), "oxigraph-http": lambda: OxigraphHttp(work)}
    for name in engines:
        engine = factories[name]()
        started = time.perf_counter()
        engine.load(data)
        load = time.perf_counter() - started
        print(f"{name:14s} load {load:7.2f} s", flush=True)
        entry = {"load": load, "queries": {}}
        try:
            for label, query in qs.items():
                m = measure(engine, query, cap)
                entry["queries"][label] = m
                shown = f"> {cap:g} s (stopped)" if "stopped" in m else f"median {m['median'] * 1000:9.1f} ms  p95 {m['p95'] * 1000:9.1f} ms  rows {m['rows']}"
                print(f"{name:14s} {label[:48]:48s} {shown}", flush=True)
        finally:
            engine.close()
        results["engines"][name] = entry
    base = results["engines"].get("pyoxigraph")
    if base:
        for name, entry in results["engines"].items():
            for label, m in entry["queries"].items():
                expected = base["queries"][label]["rows"]
                if m.get("rows") is not None and m["rows"] != expected:
                    raise SystemExit(f"{name} returned {m['rows']} rows for {label!r}, pyoxigraph {expected}")
    return results


def markdown(all_results: dict, cap: float, command: str, seconds: float, load: tuple) -> str:
    lines = ["# Embedded engine comparison", "",
             f"Generated by `{command}` in {seconds / 60:.1f} min on {platform.machine()}, "
             f"{os.cpu_count()} CPU, Python {platform.python_version()}; load average before/after "
             f"{load[0]:.1f}/{load[1]:.1f} (other processes shared the machine: compare engines within a run).",
             "Data: seeded synthetic graph shaped like ours (territories; contracts with axes, measures, "
             "financial commitments) in named graphs, queried through the union of the named graphs. "
             "Times: median and 95th percentile (nearest rank) of up to 7 runs after one warm-up run. "
             f"rdflib runs longer than {cap:g} s are stopped. Every engine returned the same row count "
             "as pyoxigraph for every query (checked).", ""]
    for size, res in all_results.items():
        engines = list(res["engines"])
        lines += [f"## {res['quads']:,} quads".replace(",", " "), "",
                  "| | " + " | ".join(engines) + " |", "|---|" + "---|" * len(engines),
                  "| load (s) | " + " | ".join(f"{res['engines'][e]['load']:.1f}" for e in engines) + " |"]
        labels = list(next(iter(res["engines"].values()))["queries"])
        for label in labels:
            cells = []
            for e in engines:
                m = res["engines"][e]["queries"][label]
                cells.append(f"> {cap:g} s" if "stopped" in m else f"{m['median'] * 1000:.1f} / {m['p95'] * 1000:.1f}")
            rows = next((res['engines'][e]['queries'][label]['rows'] for e in engines
                         if res['engines'][e]['queries'][label].get('rows') is not None), "?")
            lines.append(f"| {label} ({rows} rows), ms median / p95 | " + " | ".join(cells) + " |")
        if "rdflib" in engines and "pyoxigraph" in engines:
            ratios = []
            for label in labels:
                r, o = res["engines"]["rdflib"]["queries"][label], res["engines"]["pyoxigraph"]["queries"][label]
                ratio = cap / o["median"] if "stopped" in r else r["median"] / o["median"]
                shown = f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.2g}"
                ratios.append(f"> {shown}" if "stopped" in r else shown)
            lines += ["", "rdflib ÷ pyoxigraph (median): " + ", ".join(f"{l.split()[0]} ×{x}" for l, x in zip(labels, ratios)) + "."]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--engines", nargs="+", default=["rdflib", "pyoxigraph", "policygraph", "oxigraph-http"])
    parser.add_argument("--cap", type=float, default=30.0, help="seconds before an rdflib run is stopped")
    parser.add_argument("--work", type=Path, default=HERE / "work" / "engines")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "engines.md")
    args = parser.parse_args()
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    results = {size: run_size(size, args.work, args.cap, args.engines) for size in args.sizes}
    command = "python benchmarks/engines.py " + " ".join(sys.argv[1:])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(results, args.cap, command.strip(), time.perf_counter() - started,
                                 (load_before, os.getloadavg()[0])), encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\nwritten {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
