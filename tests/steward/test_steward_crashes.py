"""Faults, for real: a server killed (SIGKILL) in the middle of a commit, a crash after commits, and
kills at random moments; each server is a `policygraph serve` process on its own copy of a store
preloaded with the shipped dataset."""

from __future__ import annotations

import random
import threading
import time

import httpx
import samples
from steward_faults import change_sizes, commit, crash, fresh_store, history
from steward_support import BOB, ask, auth, graph_counts, start_steward_server, stop


def test_a_server_killed_in_the_middle_of_a_commit_leaves_the_graph_as_it_was(template, tmp_path, steward_tokens):
    store = fresh_store(template, tmp_path)
    server = start_steward_server(tmp_path, steward_tokens, store=store,
                                  extra_env={"POLICYGRAPH_TEST_COMMIT_DELAY": "30"})
    before = graph_counts(server.url)
    k = samples.key()
    try:
        thread = threading.Thread(target=lambda: _swallow(commit, server.url, k, timeout=60))
        thread.start()
        deadline = time.monotonic() + 60
        while "test hook: commit of generation" not in server.log.read_text():
            assert time.monotonic() < deadline, server.log.read_text()[-2000:]
            time.sleep(0.05)
        # The new generation is written but not committed: kill now.
        assert len(list((store / "gens").iterdir())) == 2
        crash(server)
        thread.join()
    finally:
        stop(server.process)
    restarted = start_steward_server(tmp_path, steward_tokens, store=store)
    try:
        assert graph_counts(restarted.url) == before
        assert not ask(restarted.url, f"ASK {{ <{samples.measure_iri(k)}> ?p ?o }}")
        assert history(restarted.url) == []
        assert len(list((store / "gens").iterdir())) == 1  # the half-made generation is gone
        assert commit(restarted.url, samples.key()).status_code == 201  # and the store works
    finally:
        stop(restarted.process)


def _swallow(function, *args, **kwargs):
    try:
        function(*args, **kwargs)
    except httpx.HTTPError:
        pass  # the server was killed under the request


def test_a_restart_after_a_crash_keeps_every_committed_change(template, tmp_path, steward_tokens):
    store = fresh_store(template, tmp_path)
    server = start_steward_server(tmp_path, steward_tokens, store=store)
    keys, ids = [samples.key() for _ in range(4)], []
    try:
        for k in keys:
            r = commit(server.url, k, token=BOB)
            assert r.status_code == 201
            ids.append(r.json()["id"])
        reverted = httpx.post(f"{server.url}/changes/{ids[0]}/revert", headers=auth(), timeout=120)
        assert reverted.status_code == 201
        counts = graph_counts(server.url)
    finally:
        crash(server)
    restarted = start_steward_server(tmp_path, steward_tokens, store=store)
    try:
        assert graph_counts(restarted.url) == counts
        assert history(restarted.url) == sorted(ids + [reverted.json()["id"]])
        assert not ask(restarted.url, f"ASK {{ <{samples.measure_iri(keys[0])}> ?p ?o }}")
        for k in keys[1:]:
            assert ask(restarted.url, f"ASK {{ <{samples.measure_iri(k)}> ?p ?o }}")
    finally:
        stop(restarted.process)


def test_kills_at_random_moments_leave_each_change_whole_or_absent(template, tmp_path, steward_tokens):
    store = fresh_store(template, tmp_path)
    rng = random.Random(20260114)
    acknowledged: set[str] = set()
    for round_ in range(3):
        server = start_steward_server(tmp_path, steward_tokens, store=store)
        stop_flag = threading.Event()

        def writer():
            while not stop_flag.is_set():
                try:
                    r = commit(server.url, samples.key(), timeout=30)
                except httpx.HTTPError:
                    return
                if r.status_code == 201:
                    acknowledged.add(r.json()["id"])

        thread = threading.Thread(target=writer)
        thread.start()
        time.sleep(rng.uniform(0.5, 2.5))
        crash(server)
        stop_flag.set()
        thread.join()
        restarted = start_steward_server(tmp_path, steward_tokens, store=store)
        try:
            present = history(restarted.url)
            sizes = change_sizes(restarted.url)
            # Every acknowledged change survived; whatever is there is whole: record and graph together.
            assert acknowledged <= set(present), round_
            assert set(sizes) == set(present) and set(sizes.values()) <= {6}
        finally:
            stop(restarted.process)
    assert acknowledged  # the writer did commit between the kills
