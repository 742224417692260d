"""Workload 3: bulk load time and peak memory, each loader a separate process on the same N-Quads file.

- ``oxigraph``: ``oxigraph load --location DIR --file DATA.nq`` (Oxigraph's own bulk loader);
- ``policygraph``: ``python -m benchmarks.pg_load`` — the store's commit protocol around the same
  bulk loader (see ``benchmarks/pg_load.py``); at 10^6 triples and below also the ``load_files``
  strategy, what ``policygraph load`` does with the shipped files today (quads parsed into Python
  sets, then one ``bulk_extend``), to show what the streaming path saves;
- ``rdflib-endpoint`` parses the file at every start: its load is measured when it starts
  (``bench_startup``), with its peak memory.

Time is wall time from spawn to exit; memory is the loader's peak resident set (``ru_maxrss``).
Loaders run one after the other, alternating when repeated, each into a fresh folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from . import common
from .common import OXIGRAPH, PYTHON

LOAD_FILES_MAX = 1_100_000  # above (10^7), the Python-sets strategy needs gigabytes: not run


def load_oxigraph(data: Path, store: Path, log_dir: Path) -> common.Measured:
    shutil.rmtree(store, ignore_errors=True)
    m = common.run_measured("oxigraph load", [OXIGRAPH, "load", "--location", str(store), "--file", str(data)],
                            log_dir / "oxigraph-load.log")
    if m.returncode != 0:
        raise RuntimeError(f"oxigraph load failed: {m.log.read_text()[-2000:]}")
    return m


def load_policygraph(data: Path, store: Path, log_dir: Path, strategy: str = "stream") -> common.Measured:
    shutil.rmtree(store, ignore_errors=True)
    m = common.run_measured(f"policygraph load ({strategy})",
                            [PYTHON, "-m", "benchmarks.pg_load", "--store", str(store), "--strategy", strategy,
                             str(data)], log_dir / f"policygraph-load-{strategy}.log", env={"PYTHONPATH": str(common.ROOT)})
    if m.returncode != 0:
        raise RuntimeError(f"policygraph load failed: {m.log.read_text()[-2000:]}")
    return m


def run(data: Path, triples: int, work: Path, *, repeats: int, log=print) -> dict:
    """Load ``data`` ``repeats`` times with each loader; the stores of the last round stay in ``work``."""
    runs: dict[str, list[dict]] = {"oxigraph": [], "policygraph": []}
    extra = triples <= LOAD_FILES_MAX
    if extra:
        runs["policygraph (load_files)"] = []
    logs = work / "logs"
    for _ in range(repeats):
        if extra:
            m = load_policygraph(data, work / "policygraph-load-files", logs, "load_files")
            runs["policygraph (load_files)"].append(_entry(m, triples, work / "policygraph-load-files"))
            shutil.rmtree(work / "policygraph-load-files", ignore_errors=True)
        m = load_oxigraph(data, work / "oxigraph-store", logs)
        runs["oxigraph"].append(_entry(m, triples, work / "oxigraph-store"))
        m = load_policygraph(data, work / "policygraph-store", logs)
        runs["policygraph"].append(_entry(m, triples, work / "policygraph-store"))
    out = {}
    for name, entries in runs.items():
        best = sorted(entries, key=lambda e: e["seconds"])[len(entries) // 2]  # the median run
        out[name] = dict(best, runs=[e["seconds"] for e in entries])
        log(f"  load {name:26s} {best['seconds']:7.1f} s  {best['throughput'] / 1000:7.1f} k triples/s  "
            f"peak {best['peak_rss'] / 2**20:7.0f} MiB  store {best['store_bytes'] / 2**20:7.0f} MiB")
    return out


def _entry(m: common.Measured, triples: int, store: Path) -> dict:
    return {"seconds": m.seconds, "throughput": triples / m.seconds, "peak_rss": m.peak_rss,
            "store_bytes": common.folder_bytes(store)}
