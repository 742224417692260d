"""Concurrency, for real: stewards committing at once through parallel HTTP clients, against a
`policygraph serve` process on a copy of a store preloaded with the shipped dataset."""

from __future__ import annotations

import random
import threading

import httpx
import samples
from steward_faults import change_sizes, fresh_store, history
from steward_support import ALICE, BOB, ask, auth, start_steward_server, stop


def test_two_stewards_committing_at_once_lose_nothing(template, tmp_path, steward_tokens):
    server = start_steward_server(tmp_path, steward_tokens, store=fresh_store(template, tmp_path))
    try:
        committed: dict[str, str] = {}  # change id → measure key
        refused, errors = [], []

        def steward(token: str, rounds: int, seed: int):
            rng = random.Random(seed)
            for _ in range(rounds):
                k = samples.key()
                bad = rng.random() < 0.25  # now and then a violating change, refused
                r = httpx.post(server.url + "/changes", headers=auth(token), timeout=120, json={
                    "add": samples.violating(k) if bad else samples.valid(k), "comment": k, "source": "s"})
                if r.status_code == 201:
                    committed[r.json()["id"]] = k
                elif r.status_code == 422 and bad:
                    refused.append(k)
                else:
                    errors.append((r.status_code, r.text[:300]))

        threads = [threading.Thread(target=steward, args=(token, 8, seed)) for seed, token in enumerate((ALICE, BOB, ALICE))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert len(committed) + len(refused) == 24 and len(committed) >= 12
        # Every committed change is in the history, whole; no refused one left a trace.
        assert history(server.url) == sorted(committed)
        assert change_sizes(server.url) == {i: 6 for i in committed}
        for k in refused:
            assert not ask(server.url, f"ASK {{ <{samples.measure_iri(k)}> ?p ?o }}")
        # The store is valid: no violation anywhere (a full validation of the whole graph).
        full = httpx.post(server.url + "/validate?full=true", content=b"", timeout=600,
                          headers={"Content-Type": "text/turtle", **auth()}).json()
        assert full["counts"]["Violation"] == 0
    finally:
        stop(server.process)


