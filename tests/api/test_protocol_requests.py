"""What the SPARQL Protocol rules out is refused (and runs nothing), HEAD, the version announcement, and
graph answers in TriG and N-Quads — against the embedded store and a real Oxigraph server."""

from __future__ import annotations

import uuid

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from support import BASE, TEST_GRAPH

EX = "http://example.org/protocol-requests/"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PG = "https://w3id.org/policygraph/def#"
CONSTRUCT = (f"PREFIX pg: <{PG}>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
             "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c a pg:Contract ; skos:prefLabel ?l }")


def error_of(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["status"] == status and error["detail"]
    return error


def exists(server, triple: str) -> bool:
    r = httpx.get(server.url + "/sparql", params={"query": f"ASK {{ GRAPH ?g {{ {triple} }} }}"})
    return r.json()["boolean"]


def marker() -> tuple[str, str]:
    """A triple no other test writes, and an INSERT DATA that would write it."""
    triple = f"<{EX}{uuid.uuid4().hex}> <{EX}p> 1"
    return triple, f"INSERT DATA {{ GRAPH <{EX}g> {{ {triple} }} }}"


# -- the operation travels in the body of a POST ---------------------------------------------------

@pytest.mark.parametrize("path", ["/sparql", "/update"])
@pytest.mark.parametrize("body", [b"", b"update=CLEAR+SILENT+GRAPH+%3Curn%3Ax%3E"])
def test_an_update_in_the_url_of_a_post_is_refused_and_not_run(server, path, body):
    triple, update = marker()
    r = httpx.post(server.url + path, params={"update": update}, content=body, headers={**FORM, **server.auth()})
    assert "body" in error_of(r, 400)["detail"]
    assert not exists(server, triple)


def test_a_direct_post_with_the_operation_also_in_the_url_is_refused(server):
    triple, update = marker()
    r = httpx.post(server.url + "/sparql", params={"update": update}, content=b"ASK {}",
                   headers={"Content-Type": "application/sparql-query", **server.auth()})
    error_of(r, 400)
    r = httpx.post(server.url + "/sparql", params={"query": "ASK {}"}, content=update.encode(),
                   headers={"Content-Type": "application/sparql-update", **server.auth()})
    error_of(r, 400)
    assert not exists(server, triple)


def test_dataset_parameters_may_still_travel_in_the_url_of_a_post(server):
    """The W3C case query_post_form: default-graph-uri in the URL, the query in the form body."""
    r = httpx.post(server.url + "/sparql", params={"default-graph-uri": TEST_GRAPH},
                   data={"query": f"ASK {{ <{BASE}id/contract/erbm> ?p ?o }}"})
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_a_get_with_a_body_is_refused(server):
    r = httpx.request("GET", server.url + "/sparql", params={"query": "ASK {}"}, content=b"ASK {}")
    assert "body" in error_of(r, 400)["detail"]


# -- version announcement (SPARQL 1.2 Protocol §2.1) ----------------------------------------------

@pytest.mark.parametrize("version", ["1.1", "1.2", "1.2-basic"])
def test_a_known_version_is_accepted(server, version):
    r = httpx.get(server.url + "/sparql", params={"query": "ASK {}", "version": version})
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_a_sparql_12_query_announced_as_such_runs(server):
    query = "ASK { BIND (<<( <urn:a> <urn:b> <urn:c> )>> AS ?t) FILTER isTRIPLE(?t) }"
    r = httpx.post(server.url + "/sparql", content=query.encode(),
                   headers={"Content-Type": "application/sparql-query; version=1.2"})
    assert r.status_code == 200 and r.json()["boolean"] is True


@pytest.mark.parametrize("params,content_type", [
    ([("version", "1.2"), ("version", "1.2")], "application/sparql-query"),
    ([("version", "1.2")], "application/sparql-query; version=1.2"),
    ([("version", "2.0")], "application/sparql-query"),
    ([], "application/sparql-query; version=1.9"),
])
def test_two_versions_or_an_unknown_one_are_a_400(server, params, content_type):
    r = httpx.post(server.url + "/sparql", params=params, content=b"ASK {}", headers={"Content-Type": content_type})
    assert "version" in error_of(r, 400)["detail"]


def test_an_update_announcing_two_versions_writes_nothing(server):
    triple, update = marker()
    r = httpx.post(server.url + "/update", content=update.encode(), params={"version": "1.1"},
                   headers={"Content-Type": "application/sparql-update; version=1.2", **server.auth()})
    error_of(r, 400)
    assert not exists(server, triple)
    r = httpx.post(server.url + "/update", content=update.encode(),
                   headers={"Content-Type": "application/sparql-update; version=1.2", **server.auth()})
    assert r.status_code == 200 and exists(server, triple)


# -- HEAD ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("params,accept", [({"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"}, "text/csv"),
                                           ({"query": CONSTRUCT}, "application/n-triples"),
                                           ({}, "text/turtle")])
def test_head_answers_the_headers_of_the_get(server, params, accept):
    got = httpx.get(server.url + "/sparql", params=params, headers={"Accept": accept})
    head = httpx.head(server.url + "/sparql", params=params, headers={"Accept": accept})
    assert head.status_code == got.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert int(head.headers["content-length"]) == len(got.content) > 0


def test_head_of_a_bad_query_is_its_error_status(server):
    r = httpx.head(server.url + "/sparql", params={"query": "SELECT ?x WHERE {"})
    assert r.status_code == 400 and r.content == b""


# -- graphs answered in TriG and N-Quads -----------------------------------------------------------

@pytest.mark.parametrize("how", [{"headers": {"Accept": "application/n-quads"}}, {"params": {"format": "nquads"}},
                                 {"headers": {"Accept": "application/trig"}}, {"params": {"format": "trig"}}])
def test_construct_answers_in_dataset_formats_hold_the_same_triples(server, reference_store, how):
    r = httpx.post(server.url + "/sparql", data={"query": CONSTRUCT}, headers=how.get("headers"),
                   params=how.get("params"))
    media = r.headers["content-type"].split(";")[0]
    assert r.status_code == 200 and media in ("application/n-quads", "application/trig")
    quads = list(ox.parse(r.content, format=ox.RdfFormat.from_media_type(media)))
    assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)  # a query's answer is one graph
    expected = {str(t) for t in reference_store.query(CONSTRUCT, use_default_graph_as_union=True)}
    assert {str(q.triple) for q in quads} == expected and len(expected) == 3


def test_the_service_description_lists_the_dataset_result_formats(server):
    g = Graph().parse(data=httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")
    formats = {str(o) for o in g.objects(None, URIRef("http://www.w3.org/ns/sparql-service-description#resultFormat"))}
    assert {"http://www.w3.org/ns/formats/N-Quads", "http://www.w3.org/ns/formats/TriG"} <= formats

