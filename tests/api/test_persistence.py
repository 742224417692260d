"""The README's first command: `policygraph serve` on an empty store loads the shipped data; the store
persists — a killed server restarts on it without reloading, with every committed write kept."""

from __future__ import annotations

import signal

import httpx
from support import start_policygraph, stop

from policygraph.model.dataset import data_files

EX = "http://example.org/persist/"


def graph_counts(url: str) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    r = httpx.post(url + "/sparql", data={"query": query})
    return {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}


def test_first_start_loads_the_shipped_data_and_a_restart_does_not_reload(tmp_path, token_entry):
    server = start_policygraph(tmp_path, token_entry)
    try:
        shipped = {str(f.graph) for f in data_files()}
        first = graph_counts(server.url)
        assert shipped <= set(first) and all(first[g] > 0 for g in shipped)
        assert "loading the shipped data" in server.log.read_text()
        # A steward change inside a shipped graph: a reload would wipe it.
        ontology = "https://w3id.org/policygraph/graph/ontology"
        r = httpx.post(server.url + "/update", headers={"Content-Type": "application/sparql-update", **server.auth()},
                       content=f"INSERT DATA {{ GRAPH <{ontology}> {{ <{EX}a> <{EX}p> \"kept\" }} }}")
        assert r.status_code == 200
    finally:
        server.process.send_signal(signal.SIGKILL)  # no clean shutdown: a crash
        server.process.wait(10)

    restarted = start_policygraph(tmp_path, token_entry, store=server.store_dir)
    try:
        log = restarted.log.read_text()
        assert "serving the embedded store as it is" in log and "loading the shipped data" not in log
        after = graph_counts(restarted.url)
        assert after[ontology] == first[ontology] + 1
        assert {g: n for g, n in after.items() if g != ontology} == {g: n for g, n in first.items() if g != ontology}
        r = httpx.post(restarted.url + "/sparql", data={"query": f"ASK {{ <{EX}a> <{EX}p> \"kept\" }}"})
        assert r.json()["boolean"] is True
        # Leftovers of the killed process (its checkpoints, any unfinished write) were cleaned up.
        assert len(list((server.store_dir / "gens").iterdir())) == 1
        assert len(list((server.store_dir / "checkpoints").iterdir())) == 1
    finally:
        stop(restarted.process)
