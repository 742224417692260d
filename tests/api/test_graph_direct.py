"""Direct graph identification (Graph Store Protocol §4.1): the graphs under the base, at /graph/…,
read and written as at /data?graph=…, with the same token and write guard (embedded and remote)."""

from __future__ import annotations

import uuid

import httpx
import pyoxigraph as ox
import pytest

from guards import FORBIDDEN
from support import BASE, TEST_GRAPH

EX = "http://example.org/direct/"
TURTLE = {"Content-Type": "text/turtle"}


def fresh() -> tuple[str, str]:
    """(the URL path of a new graph under the base, its IRI)."""
    name = f"graph/direct-test/{uuid.uuid4().hex}"
    return "/" + name, BASE + name


def indirect(server, iri: str, **kwargs) -> httpx.Response:
    return httpx.get(server.url + "/data", params={"graph": iri}, headers={"Accept": "application/n-triples"}, **kwargs)


def statements(response: httpx.Response) -> set[str]:
    media = response.headers["content-type"].split(";")[0]
    return {str(q.triple) for q in ox.parse(response.content, format=ox.RdfFormat.from_media_type(media))}


def test_put_get_post_delete_at_the_graphs_own_url(server):
    path, iri = fresh()
    r = httpx.put(server.url + path, content=f"<{EX}a> <{EX}p> 1 .", headers={**TURTLE, **server.auth()})
    assert r.status_code == 201 and r.json()["added"] == 1
    assert statements(indirect(server, iri)) == {f'<{EX}a> <{EX}p> "1"^^<http://www.w3.org/2001/XMLSchema#integer>'}
    r = httpx.post(server.url + path, content=f"<{EX}a> <{EX}p> 2 .", headers={**TURTLE, **server.auth()})
    assert r.status_code == 200 and r.json()["added"] == 1
    got = httpx.get(server.url + path, headers={"Accept": "application/n-triples"})
    assert got.status_code == 200 and statements(got) == statements(indirect(server, iri)) and len(statements(got)) == 2
    head = httpx.head(server.url + path, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b"" and head.headers["content-type"].startswith("text/turtle")
    r = httpx.delete(server.url + path, headers=server.auth())
    assert r.status_code == 200 and r.json()["removed"] == 2
    assert httpx.get(server.url + path).status_code == 404 and indirect(server, iri).status_code == 404
    assert httpx.delete(server.url + path, headers=server.auth()).status_code == 404


def test_a_format_extension_names_the_graphs_document(server):
    path, iri = fresh()
    r = httpx.put(server.url + path + ".ttl", content=f"<{EX}a> <{EX}p> 1 .", headers={**TURTLE, **server.auth()})
    assert r.status_code == 201
    assert indirect(server, iri).status_code == 200  # the graph is …/name, not …/name.ttl
    assert httpx.get(server.url + path + ".nt").headers["content-type"] == "application/n-triples"
    assert httpx.delete(server.url + path + ".ttl", headers=server.auth()).status_code == 200
    assert indirect(server, iri).status_code == 404


def test_a_graph_whose_name_ends_like_an_extension_is_still_reachable(server):
    path, iri = fresh()
    httpx.put(server.url + "/data", params={"graph": iri + ".ttl"}, content=f"<{EX}a> <{EX}p> 1 .",
              headers={**TURTLE, **server.auth()})
    assert httpx.get(server.url + path + ".ttl").status_code == 200
    assert httpx.delete(server.url + path + ".ttl", headers=server.auth()).status_code == 200
    assert indirect(server, iri + ".ttl").status_code == 404


@pytest.mark.parametrize("accept,fmt", [("application/n-quads", ox.RdfFormat.N_QUADS), ("application/trig", ox.RdfFormat.TRIG)])
def test_direct_reads_in_dataset_formats(server, accept, fmt):
    r = httpx.get(server.url + "/graph/source/test", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == accept
    quads = list(ox.parse(r.content, format=fmt))
    assert len(quads) > 10 and {q.graph_name.value for q in quads} == {TEST_GRAPH}
    assert {str(q.triple) for q in quads} == statements(indirect(server, TEST_GRAPH))


def test_writes_need_the_token_and_pass_the_guard(server):
    path, iri = fresh()
    assert httpx.put(server.url + path, content=f"<{EX}a> <{EX}p> 1 .", headers=TURTLE).status_code == 401
    r = httpx.put(server.url + path, content=f"<{EX}a> <{EX}p> 1 .",
                  headers={**TURTLE, "Authorization": "Bearer pgt_not-a-steward"})
    assert r.status_code == 403
    assert httpx.put(server.url + path, content=f"<{EX}a> <{FORBIDDEN}> 1 .",
                     headers={**TURTLE, **server.auth()}).status_code == 422
    assert indirect(server, iri).status_code == 404
    assert httpx.delete(server.url + "/graph/ontology").status_code == 401
    assert httpx.get(server.url + "/graph/ontology", headers={"Accept": "text/turtle"}).status_code == 200


def test_the_graph_folder_itself_is_not_a_graph(server):
    r = httpx.put(server.url + "/graph/", content=f"<{EX}a> <{EX}p> 1 .", headers={**TURTLE, **server.auth()})
    assert r.status_code == 400 and r.json()["error"]["status"] == 400
