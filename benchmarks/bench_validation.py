"""Workload 4: SHACL validation — the whole graph with pySHACL, and a 100-triple change set validated
incrementally against the large graph, versus the full validation; both must give the same results.

This suite does not re-implement it: the data steward's benchmark (``benchmarks/validation.py``,
over ``policygraph.incremental``) does the measuring, and is called here on the suite's graph of
the same size.  When that module (or the function it offers) is missing, the section of the report
says "not available" and why.
"""

from __future__ import annotations

import importlib
import inspect
import time
import traceback
from pathlib import Path

ENTRY_POINTS = ("measure", "run_benchmark", "benchmark", "run")


def run(data: Path, *, size: int, seed: int, quick: bool, work: Path, log=print) -> dict:
    try:
        steward = importlib.import_module("benchmarks.validation")
    except ImportError as exc:
        return {"available": False,
                "reason": f"benchmarks/validation.py (the data steward's incremental-versus-full benchmark) "
                          f"cannot be imported: {exc}"}
    entry = next((getattr(steward, name) for name in ENTRY_POINTS if callable(getattr(steward, name, None))), None)
    if entry is None:
        return {"available": False, "reason": f"benchmarks/validation.py offers none of {', '.join(ENTRY_POINTS)}()"}
    offered = {"data": data, "path": data, "dataset": data, "size": size, "triples": size, "seed": seed,
               "quick": quick, "work": work, "log": log, "changes": 100, "change_size": 100}
    parameters = inspect.signature(entry).parameters
    kwargs = {name: value for name, value in offered.items() if name in parameters}
    started = time.perf_counter()
    try:
        result = entry(**kwargs)
    except Exception as exc:  # noqa: BLE001 - the report says what failed; the other workloads go on
        return {"available": False, "reason": f"benchmarks.validation.{entry.__name__}() failed: "
                                              f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc()[-3000:]}
    out = dict(result) if isinstance(result, dict) else {"result": result}
    out.setdefault("available", True)
    out["entry_point"] = f"benchmarks.validation.{entry.__name__}"
    out["seconds"] = time.perf_counter() - started
    return out
