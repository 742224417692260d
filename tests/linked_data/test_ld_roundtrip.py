"""JSON-LD round trip with an independent processor: for a sample of every class, pyld expands the
JSON-LD of a resource to exactly the triples rdflib reads in its Turtle.  No context is fetched
(the session fixture makes pyld fail on any network access)."""

from __future__ import annotations

import httpx
import pytest
from ld_support import BASE
from pyld import jsonld
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

SAMPLE = f"""SELECT ?c (MIN(STR(?s)) AS ?first) (MAX(STR(?s)) AS ?last) (SAMPLE(STR(?s)) AS ?any)
WHERE {{ ?s a ?c FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}") && !CONTAINS(STR(?s), "#")) }} GROUP BY ?c"""


def sample(server) -> dict[str, set[str]]:
    r = httpx.get(server.url + "/sparql", params={"query": SAMPLE}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    by_class: dict[str, set[str]] = {}
    for row in r.json()["results"]["bindings"]:
        by_class[row["c"]["value"]] = {row[k]["value"] for k in ("first", "last", "any")}
    return by_class


def turtle_graph(server, path: str) -> Graph:
    r = httpx.get(server.url + path, headers={"Accept": "text/turtle"})
    assert r.status_code == 200, (path, r.text[:300])
    return Graph().parse(data=r.text, format="turtle")


def expanded_graph(server, path: str) -> Graph:
    r = httpx.get(server.url + path, headers={"Accept": "application/ld+json"})
    assert r.status_code == 200, (path, r.text[:300])
    document = r.json()
    assert isinstance(document["@context"], dict)
    # Default-graph N-Quads are N-Triples lines: a quad in a named graph would not parse, as it should not.
    return Graph().parse(data=jsonld.to_rdf(document, {"format": "application/n-quads"}), format="nt")


def assert_same(server, path: str) -> int:
    turtle, expanded = turtle_graph(server, path), expanded_graph(server, path)
    if any(isinstance(term, BNode) for t in turtle for term in t):  # the ontology: compared up to bnode renaming
        assert isomorphic(turtle, expanded), path
        return len(turtle)
    from_turtle, from_jsonld = set(turtle), set(expanded)
    missing, extra = from_turtle - from_jsonld, from_jsonld - from_turtle
    assert not missing and not extra, (path, sorted(missing)[:3], sorted(extra)[:3])
    return len(from_turtle)


def test_every_class_round_trips(ld_server):
    classes = sample(ld_server)
    assert len(classes) > 40  # contracts, axes, measures, commitments, territories, actors, concepts…
    checked = 0
    for cls, iris in sorted(classes.items()):
        for iri in sorted(iris):
            assert assert_same(ld_server, "/" + iri[len(BASE):]) > 0
            checked += 1
    print(f"\n{checked} resources of {len(classes)} classes round-trip")


def test_the_same_holds_on_an_external_triplestore(ld_remote_server):
    classes = sample(ld_remote_server)
    for cls, iris in sorted(classes.items()):
        assert_same(ld_remote_server, "/" + min(iris)[len(BASE):])


@pytest.mark.parametrize("path", ["/contracts?territory=territory/departement/59&limit=5",
                                  "/territories?type=EPCI&limit=3&page=2", "/commitments?role=funder&limit=4",
                                  "/dataset", "/.well-known/void"])
def test_collections_and_the_dataset_description_round_trip(ld_server, path):
    assert assert_same(ld_server, path) > 10


@pytest.mark.parametrize("path", ["/def", "/shapes", "/graph/source/004_4b7e9e6a0ac3b2cb"])
def test_whole_graphs_round_trip(ld_server, path):
    # The ontology has blank nodes (lists, disjointness axioms): compared up to blank node renaming.
    assert isomorphic(turtle_graph(ld_server, path), expanded_graph(ld_server, path))
