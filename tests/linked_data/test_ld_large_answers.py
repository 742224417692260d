"""Answers larger than what the server reads on its event loop (``workers._READ_ON_LOOP``) arrive
whole, and the server keeps answering other requests while one is being read."""

from __future__ import annotations

import threading

import httpx
import pyoxigraph as ox

from policygraph.store.workers import _READ_ON_LOOP

WHOLE = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
DISTINCT_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def test_a_large_answer_arrives_whole(ld_server):
    count = httpx.post(ld_server.url + "/sparql", data={"query": DISTINCT_COUNT},
                       headers={"Accept": "application/sparql-results+json"}, timeout=60)
    expected = int(count.json()["results"]["bindings"][0]["n"]["value"])
    r = httpx.post(ld_server.url + "/sparql", data={"query": WHOLE}, headers={"Accept": "application/n-triples"},
                   timeout=60)
    assert r.status_code == 200
    assert len(r.content) > _READ_ON_LOOP  # read by a thread, not on the event loop
    triples = list(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == int(r.headers["X-Result-Count"])
    assert len(set(triples)) == expected


def test_small_answers_are_served_while_large_ones_are_read(ld_server):
    sizes, errors = [], []

    def large():
        for _ in range(3):
            r = httpx.post(ld_server.url + "/sparql", data={"query": WHOLE},
                           headers={"Accept": "application/n-triples"}, timeout=60)
            sizes.append(len(r.content)) if r.status_code == 200 else errors.append(r.status_code)

    thread = threading.Thread(target=large)
    thread.start()
    answered = 0
    while thread.is_alive():
        r = httpx.get(ld_server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert r.status_code == 200 and r.json()["boolean"] is True
        answered += 1
    thread.join()
    assert not errors and len(sizes) == 3 and len(set(sizes)) == 1
    assert answered > 0
