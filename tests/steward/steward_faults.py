"""Helpers of the concurrency and crash tests: store copies, crashes, history and change graphs."""

from __future__ import annotations

import re
import shutil
import signal
from pathlib import Path

import httpx
import samples
from steward_support import ALICE, auth

CHANGE_GRAPH = "https://w3id.org/policygraph/graph/change/"


def fresh_store(template: Path, tmp: Path) -> Path:
    store = tmp / f"store-{samples.key()}"
    shutil.copytree(template, store)
    return store


def crash(server) -> None:
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(10)


def commit(url: str, k: str, token: str = ALICE, timeout: float = 120) -> httpx.Response:
    return httpx.post(url + "/changes", headers=auth(token), timeout=timeout,
                      json={"add": samples.valid(k), "comment": f"measure {k}", "source": "https://example.org/src"})


def history(url: str) -> list[str]:
    r = httpx.get(url + "/changes?limit=500", headers={"Accept": "text/html"}, timeout=60)
    assert r.status_code == 200
    return sorted(set(re.findall(r"/changes/([0-9A-Z]{26})\"", r.text)))


def change_sizes(url: str) -> dict[str, int]:
    """Triples in each change graph."""
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER STRSTARTS(STR(?g), '{CHANGE_GRAPH}') }} GROUP BY ?g"
    r = httpx.post(url + "/sparql", data={"query": query}, timeout=60)
    return {b["g"]["value"][len(CHANGE_GRAPH):]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}


