"""Workload 4: SHACL validation — the whole graph with pySHACL, and a 100-triple change set validated
incrementally against the large graph, versus the full validation; both must give the same results.

The data steward's benchmark (``benchmarks/validation.py``, over ``policygraph.validation.incremental``) does the
measuring.  Its two full pySHACL runs of a 10^6-triple graph take about an hour and a half on two
cores; so when ``benchmarks/results/validation.json`` holds its result for the same size and seed
(``python -m benchmarks.validation --triples 1e6 --seed 1``), the full mode reports that run — it
says so — rather than repeat it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from . import validation

STANDALONE = validation.RESULTS / "validation.json"


def run(data: Path, *, size: int, seed: int, quick: bool, work: Path, log=print) -> dict:
    earlier = standalone_result(size, seed)
    if earlier is not None and not quick:
        log(f"  validation: reusing {STANDALONE.relative_to(validation.project_root())} "
            f"({earlier['triples']:,} triples, seed {seed})")
        return dict(earlier, entry_point="python -m benchmarks.validation", reused=str(STANDALONE.name))
    started = time.perf_counter()
    result = validation.measure(data, seed=seed, triples=size, changes=100, quick=quick, log=log)
    return dict(result, entry_point="benchmarks.validation.measure", seconds=time.perf_counter() - started)


def standalone_result(size: int, seed: int) -> dict | None:
    """The standalone run's result, if it measured a graph of this size (±10 %) and seed."""
    try:
        result = json.loads(STANDALONE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if result.get("seed") != seed or not result.get("available", True):
        return None
    return result if abs(result.get("triples", 0) - size) <= 0.1 * size else None
