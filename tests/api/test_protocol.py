"""SPARQL 1.1 Protocol at /sparql: query forms, datasets, formats, negotiation and errors.

Every test runs against the embedded store and against a real Oxigraph server behind the service.
Answers are compared with the same query run in-process on the same data (``reference_store``).
"""

from __future__ import annotations

import csv
import io

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from support import BASE, TEST_GRAPH

PG = "https://w3id.org/policygraph/def#"
PREFIXES = f"PREFIX pg: <{PG}>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
CONTRACTS = PREFIXES + """SELECT ?contract ?label ?date WHERE {
  ?contract a pg:Contract ; skos:prefLabel ?label ; pg:signatureDate ?date .
} ORDER BY ?contract ?label"""
CONSTRUCT = PREFIXES + "CONSTRUCT { ?c skos:prefLabel ?l ; pg:scope ?t } WHERE { ?c a pg:Contract ; skos:prefLabel ?l ; pg:scope ?t }"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")


def rows(format_: ox.QueryResultsFormat, body: bytes) -> list[tuple]:
    result = ox.parse_query_results(body, format=format_)
    return [tuple(str(t) if t is not None else None for t in solution) for solution in result]


def reference_rows(reference_store, query: str) -> list[tuple]:
    result = reference_store.query(query, use_default_graph_as_union=True)
    return [tuple(str(t) if t is not None else None for t in solution) for solution in result]


def triples(body: bytes, fmt: ox.RdfFormat) -> set:
    return {str(q.triple) for q in ox.parse(body, format=fmt)}


def assert_error(response: httpx.Response, status: int, title_part: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) >= {"status", "title", "detail", "line", "column"}
    assert error["status"] == status
    if title_part:
        assert title_part.lower() in error["title"].lower(), error
    return error


# -- the three ways to send a query (§2.1.1–2.1.3) ---------------------------------------------

def test_query_by_get_answers_json_equal_to_the_reference(server, reference_store):
    r = httpx.get(server.url + "/sparql", params={"query": CONTRACTS})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json"
    expected = reference_rows(reference_store, CONTRACTS)
    assert len(expected) == 3
    assert rows(ox.QueryResultsFormat.JSON, r.content) == expected


def test_query_by_post_form_and_post_direct_give_the_same_answer(server):
    by_get = httpx.get(server.url + "/sparql", params={"query": CONTRACTS}).content
    form = httpx.post(server.url + "/sparql", data={"query": CONTRACTS})
    direct = httpx.post(server.url + "/sparql", content=CONTRACTS.encode(),
                        headers={"Content-Type": "application/sparql-query"})
    assert form.status_code == direct.status_code == 200
    assert form.content == direct.content == by_get


def test_trailing_slash_path_is_the_same_endpoint(server):
    r = httpx.get(server.url + "/sparql/", params={"query": "ASK {}"})
    assert r.status_code == 200 and r.json() == {"head": {}, "boolean": True}


# -- datasets (§2.1.4) and the union default graph --------------------------------------------

def test_union_default_graph_sees_the_named_graphs(server):
    r = httpx.get(server.url + "/sparql", params={"query": PREFIXES + "ASK { <%sid/contract/erbm> a pg:Contract }" % BASE})
    assert r.json()["boolean"] is True


def test_default_graph_uri_restricts_the_default_graph(server):
    query = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?c a pg:Contract }"
    in_test = httpx.get(server.url + "/sparql", params={"query": query, "default-graph-uri": TEST_GRAPH})
    in_ontology = httpx.get(server.url + "/sparql",
                            params={"query": query, "default-graph-uri": BASE + "graph/ontology"})
    assert rows(ox.QueryResultsFormat.JSON, in_test.content)[0][0].startswith('"2"')
    assert rows(ox.QueryResultsFormat.JSON, in_ontology.content)[0][0].startswith('"0"')


def test_named_graph_uri_lists_the_named_graphs(server):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = httpx.get(server.url + "/sparql", params={"query": query, "named-graph-uri": TEST_GRAPH})
    assert rows(ox.QueryResultsFormat.JSON, r.content) == [(f"<{TEST_GRAPH}>",)]
    # Only named graphs given: the default graph of that dataset is empty (§2.1.4).
    r = httpx.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }", "named-graph-uri": TEST_GRAPH})
    assert r.json()["boolean"] is False


def test_protocol_dataset_overrides_from_in_the_query(server):
    query = PREFIXES + f"ASK FROM <{BASE}graph/ontology> {{ ?c a pg:Contract }}"
    assert httpx.get(server.url + "/sparql", params={"query": query}).json()["boolean"] is False
    r = httpx.get(server.url + "/sparql", params={"query": query, "default-graph-uri": TEST_GRAPH})
    assert r.json()["boolean"] is True


def test_an_invalid_graph_iri_is_a_400(server):
    r = httpx.get(server.url + "/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert_error(r, 400)


# -- result formats and negotiation ----------------------------------------------------------

@pytest.mark.parametrize("accept,media,fmt", [
    ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/csv", "text/csv; charset=utf-8", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", ox.QueryResultsFormat.TSV),
])
def test_select_in_every_result_format(server, reference_store, accept, media, fmt):
    r = httpx.get(server.url + "/sparql", params={"query": CONTRACTS}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"] == media
    expected = reference_rows(reference_store, CONTRACTS)
    if fmt == ox.QueryResultsFormat.CSV:  # CSV keeps values only (SPARQL 1.1 CSV §2), pyoxigraph cannot read it
        header, *got = list(csv.reader(io.StringIO(r.text)))
        assert header == ["contract", "label", "date"]
        assert got == [[t.value for t in row] for row in reference_store.query(CONTRACTS, use_default_graph_as_union=True)]
    else:
        assert rows(fmt, r.content) == expected


@pytest.mark.parametrize("name,media", [("json", "application/sparql-results+json"),
                                        ("xml", "application/sparql-results+xml"),
                                        ("csv", "text/csv"), ("tsv", "text/tab-separated-values")])
def test_format_parameter_wins_over_accept(server, name, media):
    r = httpx.get(server.url + "/sparql", params={"query": "ASK {}", "format": name},
                  headers={"Accept": "application/sparql-results+json;q=0.1"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)


def test_ask_answers_true_and_false(server):
    for query, expected in (("ASK { ?s ?p ?o }", "true"), ("ASK { <urn:nothing> ?p ?o }", "false")):
        xml = httpx.get(server.url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"})
        assert f"<boolean>{expected}</boolean>" in xml.text
        assert httpx.get(server.url + "/sparql", params={"query": query}).json()["boolean"] is (expected == "true")


@pytest.mark.parametrize("accept,fmt", [("text/turtle", ox.RdfFormat.TURTLE),
                                        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
                                        ("application/ld+json", ox.RdfFormat.JSON_LD)])
def test_construct_in_every_graph_format(server, reference_store, accept, fmt):
    r = httpx.post(server.url + "/sparql", data={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == accept
    expected = {str(t) for t in reference_store.query(CONSTRUCT, use_default_graph_as_union=True)}
    assert len(expected) == 5
    assert triples(r.content, fmt) == expected


def test_describe_answers_a_graph_about_the_resource(server):
    r = httpx.get(server.url + "/sparql", params={"query": f"DESCRIBE <{BASE}id/contract/erbm>"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=r.text, format="turtle")
    assert (URIRef(BASE + "id/contract/erbm"), None, None) in graph


@pytest.mark.parametrize("accept,expected", [
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("*/*;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
    ("application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
    ("text/*", "text/csv"),
    ("application/json", "application/sparql-results+json"),
    ("", "application/sparql-results+json"),
])
def test_accept_q_values_choose_the_format(server, accept, expected):
    r = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
                  headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == expected
    assert r.headers["vary"].lower().startswith("accept") or "accept" in r.headers["vary"].lower()


def test_406_when_no_acceptable_format(server):
    r = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert "application/sparql-results+json" in assert_error(r, 406)["detail"]
    r = httpx.get(server.url + "/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert_error(r, 406)
    r = httpx.get(server.url + "/sparql", params={"query": "ASK {}", "format": "turtle"})
    assert_error(r, 406)


def test_unknown_format_name_is_a_400(server):
    assert_error(httpx.get(server.url + "/sparql", params={"query": "ASK {}", "format": "bogus"}), 400)


# -- errors -------------------------------------------------------------------------------------

def test_syntax_error_is_a_400_with_line_and_column(server):
    query = "SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  OPTIONAL ?x\n}"
    for r in (httpx.get(server.url + "/sparql", params={"query": query}),
              httpx.post(server.url + "/sparql", content=query, headers={"Content-Type": "application/sparql-query"})):
        error = assert_error(r, 400, "syntax")
        assert (error["line"], error["column"]) == (4, 12), error


def test_more_than_one_query_parameter_is_a_400(server):
    r = httpx.get(server.url + "/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert_error(r, 400)


@pytest.mark.parametrize("headers", [{"Content-Type": "text/plain"}, {},
                                     {"Content-Type": "application/sparql-query; charset=UTF-16"}])
def test_post_with_a_wrong_media_type_is_a_415(server, headers):
    r = httpx.post(server.url + "/sparql", content=b"ASK {}", headers=headers)
    assert_error(r, 415)


def test_body_that_is_not_utf8_is_a_400(server):
    r = httpx.post(server.url + "/sparql", content="ASK { ?s ?p \"é\" }".encode("latin-1"),
                   headers={"Content-Type": "application/sparql-query"})
    assert_error(r, 400)


def test_unknown_route_and_wrong_method_use_the_error_shape(server):
    assert_error(httpx.get(server.url + "/nothing-here"), 404)
    assert_error(httpx.put(server.url + "/sparql", content=b"x"), 405)


def test_reads_are_open_to_other_origins(server):
    r = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(server.url + "/update", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization"})
    assert "authorization" not in preflight.headers.get("access-control-allow-headers", "").lower()


# -- service description and query page --------------------------------------------------------

def test_service_description_for_machines(server, reference_store):
    r = httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    service = g.value(predicate=SD.endpoint, object=URIRef(server.url + "/sparql"))
    assert service is not None
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) in g
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    assert (service, SD.resultFormat, URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV")) in g
    named = g.value(predicate=SD.name, object=URIRef(TEST_GRAPH))
    count = int(g.value(g.value(named, SD.graph), VOID.triples))
    assert count == sum(1 for _ in reference_store.quads_for_pattern(None, None, None, ox.NamedNode(TEST_GRAPH)))
    assert (service, SD.feature, SD.BasicFederatedQuery) not in g  # nothing allow-listed


def test_service_description_in_json_ld_and_rdf_xml(server):
    for accept in ("application/ld+json", "application/rdf+xml"):
        r = httpx.get(server.url + "/sparql", headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
        fmt = "json-ld" if "json" in accept else "xml"
        assert len(Graph().parse(data=r.text, format=fmt)) > 10


def test_query_page_for_browsers(server):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = httpx.get(server.url + "/sparql", headers={"Accept": browser})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<form method="get"' in r.text and 'name="query"' in r.text
    assert "/queries/resource-label" in r.text  # the named queries are listed
