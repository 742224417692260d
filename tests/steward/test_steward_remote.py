"""The steward workflow on an external triplestore: `policygraph serve` in front of a real `oxigraph serve`
holding the shipped dataset.  Validation walks the triplestore with SPARQL; a commit is one SPARQL
Update request, which the triplestore applies atomically."""

from __future__ import annotations

import subprocess

import httpx
import pytest
import samples
from steward_support import ALICE, SHACL_GUARD, ask, auth, graph_counts
from support import OXIGRAPH, QUERY_TIMEOUT, free_port, start_policygraph, stop, wait_until_up


@pytest.fixture(scope="module")
def remote(tmp_path_factory, steward_tokens):
    from policygraph.model.dataset import data_files

    tmp = tmp_path_factory.mktemp("remote-steward")
    location = tmp / "oxigraph"
    for f in data_files():
        subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", str(f.path), "--graph", str(f.graph)],
                       check=True, capture_output=True)
    port = free_port()
    log = tmp / "oxigraph.log"
    with open(log, "wb") as out:
        backend = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                    "--timeout-s", str(int(QUERY_TIMEOUT * 5))], stdout=out, stderr=subprocess.STDOUT)
    backend_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(backend_url + "/query", backend, log)
        server = start_policygraph(tmp, steward_tokens, remote=backend_url, extra_env=SHACL_GUARD)
        try:
            yield server
        finally:
            stop(server.process)
    finally:
        stop(backend)


def test_validate_against_the_triplestore(remote):
    r = httpx.post(remote.url + "/validate", content=samples.violating(samples.key()).encode(), timeout=120,
                   headers={"Content-Type": "text/turtle", "Accept-Language": "en"})
    assert r.status_code == 200 and r.json()["conforms"] is False
    assert [x["sourceShape"].rsplit("#")[-1] for x in r.json()["results"]] == ["MeasureAxisInContract"]


def test_commit_refuse_and_revert_on_the_triplestore(remote):
    k = samples.key()
    before = graph_counts(remote.url)
    refused = httpx.post(remote.url + "/changes", headers=auth(ALICE), timeout=120,
                         json={"add": samples.violating(k), "comment": "c", "source": "s"})
    assert refused.status_code == 422 and graph_counts(remote.url) == before
    r = httpx.post(remote.url + "/changes", headers=auth(ALICE), timeout=120,
                   json={"add": samples.valid(k), "comment": "c", "source": "https://example.org/doc"})
    assert r.status_code == 201, r.text
    change_id = r.json()["id"]
    assert ask(remote.url, f"ASK {{ GRAPH <{r.json()['graph']}> {{ <{samples.measure_iri(k)}> ?p ?o }} }}")
    assert change_id in httpx.get(remote.url + "/changes", headers={"Accept": "text/html"}).text
    reverted = httpx.post(f"{remote.url}/changes/{change_id}/revert", headers=auth(ALICE), timeout=120)
    assert reverted.status_code == 201, reverted.text
    assert not ask(remote.url, f"ASK {{ <{samples.measure_iri(k)}> ?p ?o }}")
    again = httpx.post(f"{remote.url}/changes/{change_id}/revert", headers=auth(ALICE), timeout=120)
    assert again.status_code == 409


def test_sparql_update_is_guarded_on_the_triplestore(remote):
    before = graph_counts(remote.url)
    r = httpx.post(remote.url + "/update", headers={**auth(ALICE), "Content-Type": "application/sparql-update"},
                   timeout=120, content=f"DELETE WHERE {{ GRAPH ?g {{ <{samples.ID}contract/perr-le-quesnoy> "
                                        f"<{samples.PG}kind> ?k }} }}".encode())
    assert r.status_code == 422
    assert graph_counts(remote.url) == before
