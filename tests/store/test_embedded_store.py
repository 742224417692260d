"""The embedded store: atomic commits, cleanup after a crash, the guard, checkpoints, killable workers."""

import os
import signal
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import store_guards
from rdflib import URIRef

from policygraph.errors import ShapeViolation, StoreError
from policygraph.model import formats
from policygraph.model.dataset import DataFile
from policygraph.settings import Settings
from policygraph.store.base import QueryRequest
from policygraph.store.embedded import POINTER, EmbeddedStore

E = "http://e/"


def open_store(path: Path, **kw) -> EmbeddedStore:
    return EmbeddedStore(Settings(store_path=path, **kw))


def rows(store, query):
    return store.select_json(query)


def test_a_write_is_a_new_generation_committed_by_the_pointer(tmp_path):
    store = open_store(tmp_path / "s")
    try:
        assert (tmp_path / "s" / POINTER).read_text().strip() == "1"
        change = store.update(f"INSERT DATA {{ GRAPH <{E}g> {{ <{E}a> <{E}p> 1 }} }}", steward="amy")
        assert (change.added, change.removed, change.steward) == (1, 0, "amy")
        assert (tmp_path / "s" / POINTER).read_text().strip() == "2"
        assert [p.name for p in (tmp_path / "s" / "gens").iterdir()] == ["00000002"]
        assert len(list((tmp_path / "s" / "checkpoints").iterdir())) == 1
        assert rows(store, f"SELECT ?o WHERE {{ <{E}a> <{E}p> ?o }}")[0]["o"].value == "1"
    finally:
        store.close()
    reopened = open_store(tmp_path / "s")
    try:
        assert not reopened.is_empty()
    finally:
        reopened.close()


def test_leftovers_of_a_crash_are_removed_and_the_pointer_wins(tmp_path):
    store = open_store(tmp_path / "s")
    store.update(f"INSERT DATA {{ <{E}a> <{E}p> 1 }}", steward=None)
    store.close()
    root = tmp_path / "s"
    # A crash during a write leaves a half-made next generation and stale checkpoints behind.
    (root / "gens" / "00000003").mkdir()
    (root / "gens" / "00000003" / "junk").write_text("x")
    (root / "checkpoints" / "00000001-9").mkdir(parents=True)
    store = open_store(root)
    try:
        assert sorted(p.name for p in (root / "gens").iterdir()) == ["00000002"]
        assert len(list((root / "checkpoints").iterdir())) == 1
        assert not store.is_empty()
    finally:
        store.close()


def test_a_folder_that_is_not_a_store_and_a_store_in_use_are_refused(tmp_path):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(StoreError):
        open_store(tmp_path / "other")
    first = open_store(tmp_path / "s")
    try:
        with pytest.raises(StoreError, match="another policygraph process"):
            open_store(tmp_path / "s")
    finally:
        first.close()


def test_a_refused_write_changes_nothing(tmp_path):
    store = open_store(tmp_path / "s", write_guard="store_guards:refuse_all")
    try:
        with pytest.raises(ShapeViolation) as err:
            store.update(f"INSERT DATA {{ <{E}a> <{E}p> 1 }}", steward="amy")
        assert err.value.extra["report"] == "refused by the test guard"
        assert store_guards.SEEN[-1] == (1, 0, "amy")
        with pytest.raises(ShapeViolation):
            store.replace_graph(f"{E}g", [ox.Quad(ox.NamedNode(E + "a"), ox.NamedNode(E + "p"), ox.Literal("1"))],
                                steward="amy")
        assert store.is_empty() and store.generation == 1
        assert [p.name for p in (tmp_path / "s" / "gens").iterdir()] == ["00000001"]
    finally:
        store.close()


def test_the_guard_gets_rdflib_quads_and_a_view_of_the_store_before(tmp_path):
    store = open_store(tmp_path / "s", write_guard="store_guards:record")
    try:
        store.update(f"INSERT DATA {{ GRAPH <{E}g> {{ <{E}a> <{E}p> 1 }} }}", steward="amy")
        assert store_guards.SEEN[-1] == ([f"{E}a"], False, "amy")
        store.update(f"INSERT DATA {{ GRAPH <{E}g> {{ <{E}b> <{E}p> 1 }} }}", steward="amy")
        assert store_guards.SEEN[-1] == ([f"{E}b"], True, "amy")
    finally:
        store.close()


def test_load_files_replaces_the_graphs_it_loads(tmp_path):
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text(f"<{E}a> <{E}p> 1, 2 .")
    second.write_text(f"<{E}a> <{E}p> 3 .")
    store = open_store(tmp_path / "s")
    try:
        assert store.load_files([DataFile(first, URIRef(E + "g"))]) == {E + "g": 2}
        store.update(f"INSERT DATA {{ GRAPH <{E}other> {{ <{E}x> <{E}y> 1 }} }}", steward=None)
        store.load_files([DataFile(second, URIRef(E + "g"))])
        values = {r["o"].value for r in rows(store, f"SELECT ?o WHERE {{ GRAPH <{E}g> {{ ?s ?p ?o }} }}")}
        assert values == {"3"}
        assert store.graph_counts() == {E + "g": 1, E + "other": 1, None: 0}
    finally:
        store.close()


def test_workers_read_the_latest_commit_and_old_checkpoints_go(tmp_path):
    store = open_store(tmp_path / "s", workers=2)
    store.start()
    try:
        ask = QueryRequest(f"ASK {{ <{E}a> ?p ?o }}", formats.RESULTS_JSON)
        assert store.query(ask).body == b'{"head":{},"boolean":false}'
        store.update(f"INSERT DATA {{ <{E}a> <{E}p> 1 }}", steward=None)
        assert store.query(ask).body == b'{"head":{},"boolean":true}'
        assert len(list((tmp_path / "s" / "checkpoints").iterdir())) == 1
    finally:
        store.close()


def test_a_worker_that_dies_fails_its_request_and_is_replaced(tmp_path):
    store = open_store(tmp_path / "s", workers=1, query_timeout=30)
    store.start()
    try:
        store.update(f"INSERT DATA {{ <{E}a> <{E}p> 1, 2, 3, 4, 5, 6, 7, 8 }}", steward=None)
        [pid] = store.pool.pids()
        errors = []

        def run():
            try:
                store.query(QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
                                         "?m ?n2 ?o . ?q ?r ?s . ?t ?u ?v . ?w ?x ?y }", formats.RESULTS_JSON))
            except StoreError as exc:
                errors.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        time.sleep(0.5)
        os.kill(pid, signal.SIGKILL)
        thread.join(30)
        assert errors and errors[0].status == 500 and "died" in errors[0].detail
        deadline = time.monotonic() + 30
        while not store.pool.pids() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert store.pool.pids() and store.pool.pids() != [pid]
        assert store.query(QueryRequest("ASK {}", formats.RESULTS_JSON)).count == 1
    finally:
        store.close()
