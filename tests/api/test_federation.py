"""SERVICE to an endpoint the operator allow-listed works (here: the server federating with itself)."""

import httpx
import pytest
from rdflib import Graph, Namespace
from support import TEST_GRAPH, free_port, preload_embedded, start_policygraph, stop

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module")
def federating_server(tmp_path_factory, token_entry):
    tmp = tmp_path_factory.mktemp("federation")
    preload_embedded(tmp / "store")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}/sparql"
    server = start_policygraph(tmp, token_entry, port=port, extra_env={"POLICYGRAPH_SERVICE_ALLOWLIST": endpoint})
    yield server, endpoint
    stop(server.process)


def test_an_allow_listed_service_is_called(federating_server):
    server, endpoint = federating_server
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ SERVICE <{endpoint}> {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p ?o }} }} }}"
    direct = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p ?o }} }}"
    r = httpx.post(server.url + "/sparql", data={"query": query}, timeout=30)
    assert r.status_code == 200, r.text
    expected = httpx.post(server.url + "/sparql", data={"query": direct}).json()
    assert r.json()["results"]["bindings"] == expected["results"]["bindings"]
    other = query.replace(endpoint, f"http://127.0.0.1:{free_port()}/sparql")
    assert httpx.post(server.url + "/sparql", data={"query": other}).status_code == 403


def test_the_service_description_announces_federation(federating_server):
    server, _ = federating_server
    g = Graph().parse(data=httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")
    assert (None, SD.feature, SD.BasicFederatedQuery) in g
