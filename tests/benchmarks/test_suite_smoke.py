"""The benchmark suite's quick mode, on a tiny graph: it runs end to end, writes a report with every
workload's section, and leaves no process behind.  No timing is asserted: CI machines vary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
GEOGRAPHY = Path(__file__).parent / "fixtures" / "geography.ttl"
SECTIONS = ("### Bulk load", "### Start-up", "### Competency queries", "### Dereferencing", "### Runaway query",
            "### SHACL validation")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    out, work = folder / "out", folder / "work"
    command = [sys.executable, "-m", "benchmarks", "--quick", "--sizes", "1e4", "--geography", str(GEOGRAPHY),
               "--out", str(out), "--work", str(work), "--repeats", "1", "--startup-repeats", "1",
               "--deref-seconds", "1", "--runaway-limit", "2", "--no-profile"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    return done, out


def test_the_suite_runs_and_writes_its_report(run):
    done, out = run
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Targets" in report
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert "error" not in results, results.get("traceback")
    assert list(results["sizes"]) == ["1e4"]


def test_every_workload_has_its_section_with_values_or_a_reason(run):
    _, out = run
    report = (out / "report.md").read_text(encoding="utf-8")
    body = report.split(" triples (1e4)", 1)[1]  # the size's section
    for title in SECTIONS:
        assert title in body, title
        section = body.split(title, 1)[1].split("\n### ", 1)[0]
        assert "|---" in section or "not available:" in section, f"{title} has neither numbers nor a reason"
    workloads = json.loads((out / "results.json").read_text())["sizes"]["1e4"]["workloads"]
    assert set(workloads) == {"load", "startup", "queries", "deref", "validation"}
    assert workloads["load"]["policygraph"]["seconds"] > 0 and workloads["load"]["oxigraph"]["seconds"] > 0
    queries = workloads["queries"]["peers"]
    assert {"policygraph", "oxigraph"} <= set(queries)
    assert all(e["cold"] is not None for e in queries["policygraph"].values())
    assert workloads["deref"]["runs"]["policygraph JSON-LD"]["ok"] > 0
    assert workloads["deref"]["runaway"]["runaway_status"] == 503  # stopped at its time limit


def test_the_peers_were_really_started_and_all_are_stopped(run):
    _, out = run
    processes = json.loads((out / "processes.json").read_text(encoding="utf-8"))
    names = {p["name"] for p in processes}
    assert {"oxigraph load", "policygraph load (stream)", "policygraph serve", "oxigraph serve"} <= names
    workloads = json.loads((out / "results.json").read_text())["sizes"]["1e4"]
    if "rdflib_skipped" not in workloads:
        assert "rdflib-endpoint serve" in names
    for p in processes:
        assert p["ended"] in ("exited", "terminated", "killed"), p
        for pid in [p["pid"], *p["children"]]:
            if psutil.pid_exists(pid):
                try:
                    cmdline = " ".join(psutil.Process(pid).cmdline())
                    status = psutil.Process(pid).status()
                except psutil.NoSuchProcess:
                    continue
                # The same pid reused by an unrelated process is not ours.
                assert status == psutil.STATUS_ZOMBIE or not _same_command(cmdline, p["command"]), \
                    f"{p['name']} (pid {pid}) is still running"


def _same_command(cmdline: str, recorded: str) -> bool:
    return bool(cmdline) and (cmdline[:120] == recorded[:120] or "policygraph.store.worker_jobs" in cmdline
                              and "policygraph serve" in recorded)
