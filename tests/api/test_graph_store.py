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


# -- reads in TriG and N-Quads ---------------------------------------------------------------------

@pytest.mark.parametrize("accept,fmt", [("application/n-quads", ox.RdfFormat.N_QUADS), ("application/trig", ox.RdfFormat.TRIG)])
def test_a_graph_read_as_a_dataset_keeps_its_name(server, reference_store, accept, fmt):
    graph = BASE + "graph/source/test"
    r = httpx.get(server.url + "/data", params={"graph": graph}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == accept
    expected = {str(q) for q in reference_store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}
    assert {str(q) for q in ox.parse(r.content, format=fmt)} == expected and len(expected) > 10


def test_the_default_graph_read_in_n_quads_is_in_the_default_graph(server):
    httpx.post(server.url + "/data?default", content=f"<{EX}in-default> <{EX}p> 1 .", headers={**TURTLE, **server.auth()})
    r = httpx.get(server.url + "/data?default", headers={"Accept": "application/n-quads"})
    quads = list(ox.parse(r.content, format=ox.RdfFormat.N_QUADS))
    assert quads and all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)


# -- POST to the graph store creates a graph (§5.5) ------------------------------------------------

def count_graphs(server) -> int:
    r = httpx.get(server.url + "/sparql", params={"query": "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g {} }"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_post_without_a_graph_creates_one_under_the_base(server):
    r = httpx.post(server.url + "/data", content=f"<{EX}new> <{EX}p> 1, 2 .", headers={**TURTLE, **server.auth()})
    assert r.status_code == 201, r.text
    location = r.headers["location"]
    assert location.startswith(BASE + "graph/upload/") and r.json() == {
        "steward": "tester", "added": 2, "removed": 0, "operations": 1, "graph": location}
    read = httpx.get(server.url + "/data", params={"graph": location}, headers={"Accept": "application/n-triples"})
    assert len(triples(read, ox.RdfFormat.N_TRIPLES)) == 2
    # Served at its own URL too (direct identification), and a second POST makes another graph.
    assert httpx.get(server.url + location[len(BASE) - 1:], headers={"Accept": "text/turtle"}).status_code == 200
    again = httpx.post(server.url + "/data", content=f"<{EX}new> <{EX}p> 1 .", headers={**TURTLE, **server.auth()})
    assert again.status_code == 201 and again.headers["location"] != location


@pytest.mark.parametrize("body,token,status", [(f"<{EX}x> <{EX}p> 1 .", False, 401),
                                               (f"<{EX}x> <{FORBIDDEN}> 1 .", True, 422),
                                               (f"<{EX}x> <{EX}p> .", True, 400),
                                               ("", True, 204)])
def test_a_refused_or_empty_creation_makes_no_graph(server, body, token, status):
    before = count_graphs(server)
    r = httpx.post(server.url + "/data", content=body, headers={**TURTLE, **(server.auth() if token else {})})
    assert r.status_code == status and "location" not in r.headers
    assert count_graphs(server) == before


def test_an_empty_post_to_a_graph_is_a_204_that_changes_nothing(server):
    g = new_graph()
    assert httpx.post(server.url + "/data", params={"graph": g}, content=b"", headers={**TURTLE, **server.auth()}).status_code == 204
    assert httpx.get(server.url + "/data", params={"graph": g}).status_code == 404
    assert httpx.post(server.url + "/data", params={"graph": g}, content=b"", headers=TURTLE).status_code == 401


def test_an_upload_without_content_type_is_read_as_rdf_xml(server):
    g = new_graph()
    rdf_xml = (f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="{EX}">'
               f'<rdf:Description rdf:about="{EX}x"><ex:name>x</ex:name></rdf:Description></rdf:RDF>')
    r = httpx.put(server.url + "/data", params={"graph": g}, content=rdf_xml.encode(), headers=server.auth())
    assert r.status_code == 201 and r.json()["added"] == 1
    r = httpx.put(server.url + "/data", params={"graph": new_graph()}, content=f"<{EX}a> <{EX}p> 1 .".encode(),
                  headers=server.auth())
    assert r.status_code == 400  # Turtle is not RDF/XML: name the type


# -- multipart/form-data (§5.5) --------------------------------------------------------------------

BOUNDARY = "policygraph-test-boundary"


def multipart(*parts: tuple[str, str | None, str]) -> tuple[bytes, dict]:
    """(body, headers) of a multipart/form-data POST: parts are (file name, Content-Type or None, text)."""
    chunks = []
    for name, content_type, text in parts:
        head = f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        if content_type:
            head += f"Content-Type: {content_type}\r\n"
        chunks.append(f"--{BOUNDARY}\r\n{head}\r\n{text}\r\n")
    return ("".join(chunks) + f"--{BOUNDARY}--\r\n").encode(), {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def test_multipart_documents_are_merged_into_the_graph(server):
    g = new_graph()
    put(server, g, f"<{EX}a> <{EX}p> 0 .")
    body, headers = multipart(("one.ttl", "text/turtle", f"@prefix ex: <{EX}> . ex:a ex:p 1 . _:b ex:q 1 ."),
                              ("two.nt", None, f"<{EX}a> <{EX}p> \"2\" .\n_:b <{EX}q> \"2\" .\n"),
                              ("three.jsonld", "application/ld+json", json.dumps({"@id": f"{EX}a", f"{EX}r": "3"})))
    r = httpx.post(server.url + "/data", params={"graph": g}, content=body, headers={**headers, **server.auth()})
    assert r.status_code == 200 and r.json()["added"] == 5, r.text
    got = httpx.get(server.url + "/data", params={"graph": g}, headers={"Accept": "application/n-triples"})
    statements = list(ox.parse(got.content, format=ox.RdfFormat.N_TRIPLES))
    assert len(statements) == 6
    # RDF merge: the blank node _:b of one document is not the _:b of the other.
    assert len({t.subject for t in statements if t.predicate.value == f"{EX}q"}) == 2


@pytest.mark.parametrize("parts,status", [
    ((("data.csv", "text/csv", "a,b"),), 415),
    ((("data", None, f"<{EX}a> <{EX}p> 1 ."),), 400),  # no type, no extension
    ((("ok.ttl", "text/turtle", f"<{EX}a> <{EX}p> 1 ."), ("bad.ttl", "text/turtle", f"<{EX}a> <{EX}p> .")), 400),
])
def test_a_bad_part_refuses_the_whole_upload(server, parts, status):
    g = new_graph()
    body, headers = multipart(*parts)
    r = httpx.post(server.url + "/data", params={"graph": g}, content=body, headers={**headers, **server.auth()})
    assert r.status_code == status and r.json()["error"]["status"] == status
    assert httpx.get(server.url + "/data", params={"graph": g}).status_code == 404


def test_a_malformed_multipart_body_is_a_400(server):
    g = new_graph()
    body, headers = multipart(("a.ttl", "text/turtle", f"<{EX}a> <{EX}p> 1 ."))
    for content, content_type in ((body[:-8], headers["Content-Type"]), (body, "multipart/form-data"),
                                  (b"not multipart at all", headers["Content-Type"])):
        r = httpx.post(server.url + "/data", params={"graph": g}, content=content,
                       headers={"Content-Type": content_type, **server.auth()})
        assert r.status_code == 400, (content_type, r.text)
    assert httpx.get(server.url + "/data", params={"graph": g}).status_code == 404


def test_too_many_parts_are_refused(server):
    body, headers = multipart(*[(f"p{i}.nt", None, "") for i in range(1001)])
    assert len(body) < 200_000  # small: the part count is what is refused
    r = httpx.post(server.url + "/data", params={"graph": new_graph()}, content=body, headers={**headers, **server.auth()})
    assert r.status_code == 400 and "1000 parts" in r.json()["error"]["detail"]
