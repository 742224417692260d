"""The benchmark suite of issue 7, "Scale and speed": one command builds the graphs, runs every
workload on policygraph and on the peers a user would pick instead, and writes the report.

    python -m benchmarks --quick      # ~10^5 triples, a few minutes; report in benchmarks/work/results-quick/
    python -m benchmarks --full       # 10^5, 10^6 and 10^7 triples, about an hour on 2 cores; benchmarks/results/
    python -m benchmarks --full --sizes 1e6 --workloads queries   # re-run one workload, keep the other numbers

CI runs the quick mode on a 10^4-triple graph as a smoke test (tests/benchmarks/test_suite_smoke.py).

Peers, each a real process on loopback on the same N-Quads file (``benchmarks/peers.py``):
policygraph (``policygraph serve``), Oxigraph server (``oxigraph serve``) and rdflib-endpoint.
Workloads, per size: bulk load (``bench_load``), start-up (``bench_startup``), the competency
queries cold and warm (``bench_queries``), dereferencing under concurrency with a runaway query
(``bench_deref``), and last, once every size is done, SHACL validation (``bench_validation``: the
data steward's ``benchmarks/validation.py``; in full mode at 10^6 only — its two full pySHACL runs
take most of the full mode's time).  At 10^7 triples: load, start-up and a subset of the queries;
rdflib-endpoint is left out when its load, extrapolated from the smaller size, would take more than
``--rdflib-max-minutes`` or more memory than the machine has free.

Output: ``OUT/report.md``, plots (``OUT/*.png``), every number in ``OUT/results.json``, the list of
processes started and how they ended (``OUT/processes.json``); data and stores in
``benchmarks/work/suite/`` (git-ignored).  Every process is stopped at the end, even on error.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sys
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

from . import bench_deref, bench_load, bench_queries, bench_startup, bench_validation, common, profiling, report
from .datasets import dataset, parse_size, size_label
from .peers import Oxigraph, PolicyGraph, RdflibEndpoint

RESULTS = common.HERE / "results"
LARGE = 5_000_000  # from this size: load, start-up and SUBSET only
SUBSET = ("contract-structure", "contract-signatories", "contracts-covering-commune", "territory-covered-by",
          "epci-legal-status", "resource-label", "actor-commitments", "contracts-by-kind", "measures-by-theme",
          "graph-stats")


@dataclass
class Config:
    mode: str
    sizes: list[int]
    seed: int = 1
    repeats: int = 7  # warm runs of each query
    budget: float = 20.0  # seconds of warm runs per query and peer
    timeout: float = 30.0  # per request
    load_repeats: int = 3  # at 10^5 and below (once above)
    startup_repeats: int = 3
    concurrency: int = 16
    deref_duration: float = 30.0
    deref_rounds: int = 3
    deref_iris: int = 20000  # a third per policygraph run, each IRI once: enough for 30 s at ~300/s
    runaway_before: float = 8.0
    runaway_limit: float = 10.0  # policygraph's default time limit (POLICYGRAPH_QUERY_TIMEOUT), for the deref server
    workloads: tuple[str, ...] = ("load", "startup", "queries", "deref", "validation")
    rdflib_max_minutes: float = 20.0
    profile: bool = True
    geography: Path | None = None
    cog_source: Path | None = None
    out: Path = RESULTS
    work: Path = common.WORK / "suite"
    command: str = ""

    @classmethod
    def quick(cls, **kw) -> "Config":
        return cls("quick", [100_000], repeats=3, budget=4.0, load_repeats=1, startup_repeats=2, deref_duration=6.0,
                   deref_rounds=1, deref_iris=6000, runaway_before=3.0, profile=False, **kw)

    @classmethod
    def full(cls, **kw) -> "Config":
        return cls("full", [100_000, 1_000_000, 10_000_000], **kw)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="~10^5 triples, few repetitions (default)")
    mode.add_argument("--full", action="store_true", help="10^5, 10^6, 10^7 triples, all workloads")
    parser.add_argument("--sizes", help="comma-separated sizes, e.g. 1e5,1e6 (overrides the mode's)")
    parser.add_argument("--out", type=Path, default=None,
                        help="where the report goes (default: benchmarks/results for --full, "
                             "benchmarks/work/results-quick otherwise)")
    parser.add_argument("--work", type=Path, default=common.WORK / "suite", help="data and stores (git-ignored)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--geography", type=Path, default=None,
                        help="Turtle of `policygraph import territories` (default: whole France, imported once "
                             "into benchmarks/work/france.ttl)")
    parser.add_argument("--cog-source", type=Path, default=None,
                        help="decoupage-administratif folder to import France from (default: npm)")
    parser.add_argument("--no-profile", action="store_true", help="do not run py-spy on policygraph")
    parser.add_argument("--timeout", type=float, default=None, help="per-request limit in seconds")
    parser.add_argument("--deref-seconds", type=float, default=None, help="length of each dereferencing run")
    parser.add_argument("--repeats", type=int, default=None, help="warm runs of each query")
    parser.add_argument("--rdflib-max-minutes", type=float, default=None,
                        help="leave rdflib-endpoint out at a size where its load would take longer (default 20)")
    parser.add_argument("--startup-repeats", type=int, default=None, help="starts of each server")
    parser.add_argument("--runaway-limit", type=float, default=None,
                        help="policygraph's time limit during the dereferencing workload (default: the product's 10 s)")
    parser.add_argument("--workloads", default=None,
                        help="comma-separated subset of load,startup,queries,deref,validation (default: all); "
                             "the others keep their numbers from OUT/results.json")
    args = parser.parse_args(argv)
    out = args.out or (RESULTS if args.full else common.WORK / "results-quick")
    kw = {"seed": args.seed, "geography": args.geography, "cog_source": args.cog_source, "out": out,
          "work": args.work, "command": "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])}
    config = Config.full(**kw) if args.full else Config.quick(**kw)
    if args.sizes:
        config.sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    if args.no_profile:
        config.profile = False
    if args.timeout:
        config.timeout = args.timeout
    for name in ("repeats", "startup_repeats", "runaway_limit", "rdflib_max_minutes"):
        if getattr(args, name):
            setattr(config, name, getattr(args, name))
    if args.deref_seconds:
        config.deref_duration = args.deref_seconds
        config.runaway_before = min(config.runaway_before, max(1.0, args.deref_seconds))
    if args.workloads:
        config.workloads = tuple(w.strip() for w in args.workloads.split(",") if w.strip())
        unknown = set(config.workloads) - set(WORKLOADS)
        if unknown:
            parser.error(f"unknown workload(s): {', '.join(sorted(unknown))}")
    return run(config)


def run(config: Config) -> int:
    for sig in (signal.SIGTERM, signal.SIGHUP):  # stop the servers on the way out, whatever ends us
        signal.signal(sig, lambda number, frame: sys.exit(128 + number))
    config.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = {"config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
               "machine": machine(), "sizes": {}}
    previous = config.out / "results.json"
    if set(config.workloads) != set(WORKLOADS) and previous.exists():
        # Re-running some workloads: the others keep what the last run measured.
        old = json.loads(previous.read_text(encoding="utf-8"))
        results["sizes"] = old.get("sizes", {})
        results["earlier_runs"] = old.get("earlier_runs", []) + [{"config": old.get("config"),
                                                                  "machine": old.get("machine"),
                                                                  "seconds": old.get("seconds")}]
    status = 0
    try:
        for size in config.sizes:
            results["sizes"][size_label(size)] = run_size(config, size, results)
            save(config, results)
        # Validation last: a full pySHACL run of 10^6 triples takes many minutes, and needs no server.
        for size in config.sizes:
            if "validation" in config.workloads:
                entry = results["sizes"][size_label(size)]
                entry["workloads"]["validation"] = run_validation(config, size)
                save(config, results)
    except BaseException as exc:  # noqa: BLE001 - a report of what was measured is still written
        status = 130 if isinstance(exc, KeyboardInterrupt) else 1
        results["error"] = f"{type(exc).__name__}: {exc}"
        results["traceback"] = traceback.format_exc()
        print(results["traceback"], file=sys.stderr)
    finally:
        common.stop_all()
        results["seconds"] = time.perf_counter() - started
        results["machine"]["load_after"] = os.getloadavg()
        save(config, results)
        common.write_process_list(config.out / "processes.json")
        path = report.write(results, config.out)
        print(f"report: {path}")
    return status


def save(config: Config, results: dict) -> None:
    (config.out / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


def machine() -> dict:
    memory = 0
    try:
        import psutil

        memory = psutil.virtual_memory().total
    except ImportError:
        pass
    import pyoxigraph

    return {"cpus": os.cpu_count(), "memory": memory, "python": platform.python_version(),
            "platform": platform.platform(), "pyoxigraph": pyoxigraph.__version__, "load_before": os.getloadavg(),
            "versions": _versions()}


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("oxigraph", "rdflib", "rdflib-endpoint", "pyshacl", "fastapi", "uvicorn"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def log(message: str) -> None:
    print(message, flush=True)


WORKLOADS = ("load", "startup", "queries", "deref", "validation")


def run_size(config: Config, size: int, results: dict) -> dict:
    label = size_label(size)
    log(f"\n== {label} triples")
    ds = dataset(size, config.seed, config.geography, work=config.work, cog_source=config.cog_source, log=log)
    work = config.work / f"run-{label}"
    todo = [name for name in WORKLOADS if name in config.workloads]
    if "load" in todo:
        shutil.rmtree(work, ignore_errors=True)
    elif {"startup", "queries", "deref"} & set(todo) and not (work / "policygraph-store").exists():
        raise RuntimeError(f"no stores in {work}: run the load workload first")
    work.mkdir(parents=True, exist_ok=True)
    previous = results.get("sizes", {}).get(label, {})
    out: dict = {"triples": ds.triples, "file_bytes": ds.path.stat().st_size, "generated": ds.generated,
                 "workloads": dict(previous.get("workloads", {}))}  # kept when only some workloads are re-run
    w = out["workloads"]
    large = size >= LARGE
    rdflib_skip = rdflib_skip_reason(size, results, config.rdflib_max_minutes)
    if common.tool("rdflib-endpoint") is None:
        rdflib_skip = "rdflib-endpoint is not installed (pip install rdflib-endpoint, or the bench extra)"
    if rdflib_skip:
        out["rdflib_skipped"] = rdflib_skip
        log(f"  rdflib-endpoint left out: {rdflib_skip}")

    pg = PolicyGraph(work, config.timeout)
    oxigraph = Oxigraph(work, config.timeout)
    rdflib = None if rdflib_skip else RdflibEndpoint(work, config.timeout, ds.path,
                                                       start_timeout=config.rdflib_max_minutes * 60 * 1.5)
    peers = [pg, oxigraph] + ([rdflib] if rdflib is not None else [])
    try:
        if "load" in todo:
            t = time.perf_counter()
            repeats = config.load_repeats if size <= 100_000 else 1
            w["load"] = bench_load.run(ds.path, ds.triples, work, repeats=repeats, log=log)
            w["load"]["seconds"] = time.perf_counter() - t

        if "startup" in todo:
            t = time.perf_counter()
            w["startup"] = bench_startup.run(pg, oxigraph, rdflib, repeats=config.startup_repeats, log=log)
            w["startup"]["seconds"] = time.perf_counter() - t
        if rdflib is not None and rdflib.starts and "load" in w:
            w["load"]["rdflib-endpoint"] = {"seconds": rdflib.starts[-1], "throughput": ds.triples / rdflib.starts[-1],
                                            "peak_rss": rdflib.peak_rss, "store_bytes": None,
                                            "note": "parses the file at every start (time until it answers)"}

        if "queries" in todo:
            t = time.perf_counter()
            from policygraph.queries.catalog import QueryCatalog

            for peer in peers:  # the cold runs are the first after a start (bench_startup leaves them fresh)
                if peer.proc is None:
                    peer.start()
            cases = bench_queries.pick_params(oxigraph, QueryCatalog.load(), list(SUBSET) if large else None)
            w["queries"] = bench_queries.run(peers, cases, repeats=min(3, config.repeats) if large else config.repeats,
                                             budget=config.budget, log=log)
            w["queries"]["subset"] = large
            if config.profile and not large:
                w["queries"]["profile"] = profile_lookups(pg, cases, config, label)
            w["queries"]["seconds"] = time.perf_counter() - t

        if "deref" in todo:
            if large:
                w["deref"] = {"available": False, "reason": f"not run at {label} (load, start-up and a subset of "
                                                             "the queries only at this size)"}
            else:
                t = time.perf_counter()
                pg.stop()
                pg.env = {"POLICYGRAPH_QUERY_TIMEOUT": str(config.runaway_limit)}
                oxigraph.stop()
                oxigraph.limited = False  # see Oxigraph.limited
                for peer in peers:
                    if peer.proc is None:
                        peer.start()
                iris = bench_deref.sample_iris(oxigraph, config.deref_iris, config.seed)
                profile = (lambda proc, seconds, name: profiling.record(proc, seconds, f"{name}-{label}", config.out)) \
                    if config.profile else None
                w["deref"] = bench_deref.run(pg, oxigraph, rdflib, iris, concurrency=config.concurrency,
                                             duration=config.deref_duration, rounds=config.deref_rounds,
                                             timeout=config.timeout, runaway_before=config.runaway_before, log=log,
                                             profile=profile)
                if rdflib is not None:
                    w["deref"]["rdflib_runaway"] = bench_deref.rdflib_runaway(rdflib, log=log)
                w["deref"]["seconds"] = time.perf_counter() - t
        stop_peers(peers)

    finally:
        stop_peers(peers)
    out["restarts"] = {p.name: p.restarts for p in peers}
    return out


def stop_peers(peers: list) -> None:
    for peer in peers:
        if peer.proc is not None:
            if isinstance(peer, RdflibEndpoint):
                common.kill(peer.proc)  # it may be stuck in a query, deaf to SIGTERM
            else:
                peer.stop()
            peer.proc = None


def run_validation(config: Config, size: int) -> dict:
    label = size_label(size)
    if size >= LARGE:
        return {"available": False, "reason": f"not run at {label} (load, start-up and a subset of the queries only)"}
    if config.mode == "full" and size != 1_000_000 and 1_000_000 in config.sizes:
        return {"available": False, "reason": "measured at 1e6 (the size of the target)"}
    log(f"\n== validation at {label} (the data steward's benchmark) …")
    ds = dataset(size, config.seed, config.geography, work=config.work, cog_source=config.cog_source, log=log)
    t = time.perf_counter()
    result = bench_validation.run(ds.path, size=size, seed=config.seed, quick=config.mode == "quick",
                                  work=config.work / f"run-{label}", log=log)
    result["seconds_total"] = time.perf_counter() - t
    if not result.get("available", True):
        log(f"  validation not available: {result['reason']}")
    return result


def profile_lookups(pg: PolicyGraph, cases: list, config: Config, label: str, seconds: float = 8.0) -> dict:
    """py-spy on policygraph while it answers a fast named query again and again: the fixed cost of a request."""
    if common.tool("py-spy") is None:
        return {"available": False, "reason": "py-spy is not installed"}
    case = next((c for c in cases if c.name == "epci-legal-status"), cases[0])
    finish = profiling.record(pg.proc, seconds, f"lookup-{label}", config.out)
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        bench_queries.run_once(pg, case)
        n += 1
    out = finish()
    out.update(query=case.name, requests=n, rate=n / seconds)
    return out


def rdflib_skip_reason(size: int, results: dict, limit: float) -> str | None:
    """Leave rdflib-endpoint out when its load, extrapolated linearly from a smaller size, is too big."""
    measured = [(int(float(k)), v["workloads"].get("load", {}).get("rdflib-endpoint"))
                for k, v in results["sizes"].items()]
    measured = [(s, m) for s, m in measured if m and s < size]
    if not measured:
        return None
    base, m = max(measured, key=lambda x: x[0])
    factor = size / base
    minutes = m["seconds"] * factor / 60
    memory = m["peak_rss"] * factor
    try:
        import psutil

        free = psutil.virtual_memory().available
    except ImportError:
        free = None
    if minutes > limit or (free and memory > 0.6 * free):
        return (f"its load at {size_label(base)} took {m['seconds']:.0f} s and {m['peak_rss'] / 2**30:.1f} GiB; "
                f"at {size_label(size)} that is about {minutes:.0f} min and {memory / 2**30:.0f} GiB"
                + (f" (the machine has {free / 2**30:.0f} GiB free, shared with other jobs)" if free else "")
                + f" — over the limits of this run ({limit:g} min, 60 % of free memory)")
    return None


if __name__ == "__main__":
    sys.exit(main())
