"""Graph Store HTTP Protocol at /data: GET, HEAD, PUT, POST, DELETE on ?graph= and ?default."""

from __future__ import annotations

import json
import uuid

import httpx
import pyoxigraph as ox
import pytest
from guards import FORBIDDEN
from support import BASE

EX = "http://example.org/gsp/"
TURTLE = {"Content-Type": "text/turtle"}


def new_graph() -> str:
    return f"{EX}{uuid.uuid4().hex}"


def triples(response: httpx.Response, fmt=ox.RdfFormat.TURTLE) -> set[str]:
    return {str(q.triple) for q in ox.parse(response.content, format=fmt)}


def put(server, graph, body, headers=TURTLE, token=True):
    return httpx.put(server.url + "/data", params={"graph": graph}, content=body,
                     headers={**headers, **(server.auth() if token else {})})


def test_put_creates_then_replaces_a_graph(server):
    g = new_graph()
    r = put(server, g, f"<{EX}a> <{EX}p> 1, 2 .")
    assert r.status_code == 201 and r.json() == {"steward": "tester", "added": 2, "removed": 0, "operations": 1}
    r = put(server, g, f"<{EX}a> <{EX}p> 2, 3 .")
    assert r.status_code == 200 and r.json()["added"] == 1 and r.json()["removed"] == 1
    got = httpx.get(server.url + "/data", params={"graph": g}, headers={"Accept": "application/n-triples"})
    assert got.status_code == 200 and got.headers["content-type"] == "application/n-triples"
    assert triples(got, ox.RdfFormat.N_TRIPLES) == {
        f'<{EX}a> <{EX}p> "2"^^<http://www.w3.org/2001/XMLSchema#integer>',
        f'<{EX}a> <{EX}p> "3"^^<http://www.w3.org/2001/XMLSchema#integer>'}


def test_post_merges_into_a_graph(server):
    g = new_graph()
    put(server, g, f"<{EX}a> <{EX}p> 1 .")
    r = httpx.post(server.url + "/data", params={"graph": g}, content=f"<{EX}a> <{EX}p> 1, 4 .",
                   headers={**TURTLE, **server.auth()})
    assert r.status_code == 200 and r.json()["added"] == 1
    assert len(triples(httpx.get(server.url + "/data", params={"graph": g}))) == 2


def test_delete_removes_the_graph(server):
    g = new_graph()
    put(server, g, f"<{EX}a> <{EX}p> 1 .")
    r = httpx.delete(server.url + "/data", params={"graph": g}, headers=server.auth())
    assert r.status_code == 200 and r.json()["removed"] == 1
    assert httpx.get(server.url + "/data", params={"graph": g}).status_code == 404
    assert httpx.delete(server.url + "/data", params={"graph": g}, headers=server.auth()).status_code == 404


def test_head_tells_existence_without_a_body(server):
    g = new_graph()
    assert httpx.head(server.url + "/data", params={"graph": g}).status_code == 404
    put(server, g, f"<{EX}a> <{EX}p> 1 .")
    r = httpx.head(server.url + "/data", params={"graph": g}, headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.content == b""
    assert r.headers["content-type"] == "application/ld+json" and int(r.headers["content-length"]) > 0


@pytest.mark.parametrize("accept,fmt", [("text/turtle", ox.RdfFormat.TURTLE), ("application/rdf+xml", ox.RdfFormat.RDF_XML),
                                        ("application/ld+json", ox.RdfFormat.JSON_LD)])
def test_get_a_shipped_graph_in_several_formats(server, reference_store, accept, fmt):
    graph = BASE + "graph/source/test"
    r = httpx.get(server.url + "/data", params={"graph": graph}, headers={"Accept": accept})
    assert r.status_code == 200
    expected = {str(q.triple) for q in reference_store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}
    assert triples(r, fmt) == expected


def test_the_default_graph(server):
    r = httpx.post(server.url + "/data?default", content=f"<{EX}default-{uuid.uuid4().hex}> <{EX}p> 1 .",
                   headers={**TURTLE, **server.auth()})
    assert r.status_code == 200 and r.json()["added"] == 1
    assert httpx.get(server.url + "/data?default").status_code == 200


def test_uploads_in_other_formats(server):
    g = new_graph()
    doc = {"@id": f"{EX}x", f"{EX}name": {"@value": "x", "@language": "fr"}}
    r = put(server, g, json.dumps(doc), headers={"Content-Type": "application/ld+json"})
    assert r.status_code == 201 and r.json()["added"] == 1
    r = httpx.post(server.url + "/data", params={"graph": g}, content=f"<{EX}y> <{EX}p> <{EX}z> .\n",
                   headers={"Content-Type": "application/n-triples", **server.auth()})
    assert r.status_code == 200 and r.json()["added"] == 1


@pytest.mark.parametrize("params", [{}, {"graph": "http://example.org/a", "default": ""}, {"graph": "not an iri"}])
def test_the_graph_must_be_named_once(server, params):
    r = httpx.get(server.url + "/data", params=params)
    assert r.status_code == 400 and r.json()["error"]["status"] == 400


def test_bad_turtle_is_a_400_with_line_and_column(server):
    r = put(server, new_graph(), f"@prefix ex: <{EX}> .\nex:a ex:p .\n")
    error = r.json()["error"]
    assert r.status_code == 400 and (error["line"], error["column"]) == (2, 11), error


def test_an_unknown_upload_type_is_a_415(server):
    assert put(server, new_graph(), "a,b,c", headers={"Content-Type": "text/csv"}).status_code == 415


def test_a_remote_json_ld_context_is_not_fetched(server):
    doc = {"@context": "http://127.0.0.1:9/context.jsonld", "@id": f"{EX}x", "name": "x"}
    r = put(server, new_graph(), json.dumps(doc), headers={"Content-Type": "application/ld+json"})
    assert r.status_code == 400


def test_writes_need_a_token_reads_do_not(server):
    g = new_graph()
    assert put(server, g, f"<{EX}a> <{EX}p> 1 .", token=False).status_code == 401
    assert httpx.delete(server.url + "/data", params={"graph": BASE + "graph/ontology"}).status_code == 401
    assert httpx.get(server.url + "/data", params={"graph": BASE + "graph/ontology"}).status_code == 200


def test_the_guard_refuses_a_graph_write(server):
    g = new_graph()
    r = put(server, g, f"<{EX}a> <{FORBIDDEN}> 1 .")
    assert r.status_code == 422
    assert httpx.get(server.url + "/data", params={"graph": g}).status_code == 404
