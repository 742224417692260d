"""Helpers of the steward tests: real servers on loopback with the SHACL write guard, on a store
preloaded with the whole shipped dataset (started by the API tests' helpers, tests/api/support.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from support import start_policygraph, stop  # noqa: E402,F401

ALICE, BOB = "pgt_alice-steward", "pgt_bob-steward"
SHACL_GUARD = {"POLICYGRAPH_WRITE_GUARD": "policygraph.validation.guard:check"}


def preload_shipped(store_dir: Path) -> None:
    """The shipped dataset in an embedded store, through the core API, as `policygraph load` does."""
    from policygraph.model.dataset import data_files
    from policygraph.settings import Settings
    from policygraph.store.embedded import EmbeddedStore

    store = EmbeddedStore(Settings(store_path=store_dir))
    try:
        store.load_files(data_files())
    finally:
        store.close()


def start_steward_server(tmp: Path, tokens: str, *, store: Path | None = None, extra_env: dict | None = None):
    store = store or tmp / "store"
    if not store.exists():
        preload_shipped(store)
    return start_policygraph(tmp, tokens, store=store, extra_env={**SHACL_GUARD, **(extra_env or {})})


def auth(token: str = ALICE) -> dict:
    return {"Authorization": f"Bearer {token}"}


def graph_counts(url: str) -> dict:
    """Triples per named graph: what must not move when a request is refused."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    r = httpx.post(url + "/sparql", data={"query": query}, timeout=60)
    assert r.status_code == 200, r.text
    return {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}


def ask(url: str, query: str) -> bool:
    r = httpx.post(url + "/sparql", data={"query": query}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()["boolean"]
