"""Real SPARQL clients against the running server: SPARQLWrapper and rdflib's SPARQLStore.

Their results must equal the same queries run in-process on the same data (``reference_store``).
"""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, RDFXML, TURTLE, XML, SPARQLWrapper
from support import TEST_GRAPH

PREFIXES = ("PREFIX pg: <https://w3id.org/policygraph/def#>\n"
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")
SELECT = PREFIXES + """SELECT ?contract ?label ?amount WHERE {
  ?f pg:commitsTo ?contract ; pg:amount ?amount . ?contract skos:prefLabel ?label FILTER(LANG(?label) = "fr")
} ORDER BY ?contract ?amount"""
CONSTRUCT = PREFIXES + "CONSTRUCT { ?t skos:prefLabel ?l ; pg:directlyWithin ?u } WHERE { ?t pg:directlyWithin ?u ; skos:prefLabel ?l }"


def expected_rows(reference_store) -> list[tuple[str, str, float]]:
    return [(s["contract"].value, s["label"].value, float(s["amount"].value))
            for s in reference_store.query(SELECT, use_default_graph_as_union=True)]


def expected_graph(reference_store) -> Graph:
    g = Graph()
    for t in reference_store.query(CONSTRUCT, use_default_graph_as_union=True):
        g.add((URIRef(t.subject.value), URIRef(t.predicate.value),
               URIRef(t.object.value) if isinstance(t.object, ox.NamedNode) else Literal(t.object.value, lang=t.object.language)))
    return g


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_json(server, reference_store, method):
    client = SPARQLWrapper(server.url + "/sparql")
    client.setMethod(method)
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    data = client.query().convert()
    got = [(b["contract"]["value"], b["label"]["value"], float(b["amount"]["value"])) for b in data["results"]["bindings"]]
    assert got == expected_rows(reference_store) and len(got) == 3


def test_sparqlwrapper_xml(server, reference_store):
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(SELECT)
    client.setReturnFormat(XML)
    document = client.query().convert()  # an xml.dom.minidom document
    got = []
    for result in document.getElementsByTagName("result"):
        values = {b.getAttribute("name"): b.firstChild.firstChild.nodeValue for b in result.getElementsByTagName("binding")}
        got.append((values["contract"], values["label"], float(values["amount"])))
    assert got == expected_rows(reference_store)


def test_sparqlwrapper_csv(server, reference_store):
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(SELECT)
    client.setReturnFormat(CSV)
    text = client.query().convert().decode("utf-8")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header == ["contract", "label", "amount"]
    assert [(r[0], r[1], float(r[2])) for r in rows] == expected_rows(reference_store)


def test_sparqlwrapper_ask(server):
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(f"ASK {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p ?o }} }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML])
def test_sparqlwrapper_construct_into_a_graph(server, reference_store, fmt):
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(fmt)
    result = client.query().convert()
    graph = result if isinstance(result, Graph) else Graph().parse(data=result, format="turtle")
    expected = expected_graph(reference_store)
    assert len(expected) == 8
    assert set(graph) == set(expected)


def test_rdflib_sparqlstore_select(server, reference_store):
    graph = Graph(store=SPARQLStore(query_endpoint=server.url + "/sparql", returnFormat="json"))
    got = [(str(r.contract), str(r.label), float(r.amount)) for r in graph.query(SELECT)]
    assert got == expected_rows(reference_store)
    xml_graph = Graph(store=SPARQLStore(query_endpoint=server.url + "/sparql", returnFormat="xml", method="POST"))
    assert [(str(r.contract), str(r.label), float(r.amount)) for r in xml_graph.query(SELECT)] == got


def test_rdflib_sparqlstore_construct(server, reference_store):
    store = SPARQLStore(query_endpoint=server.url + "/sparql")
    graph = Graph(store=store)
    result = graph.query(CONSTRUCT)
    assert set(result.graph) == set(expected_graph(reference_store))
    assert len(graph) > 0  # SPARQLStore's own COUNT query works too
