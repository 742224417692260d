"""Named queries at /queries: listing, running with typed parameters, formats, injection attempts."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from support import BASE

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"


def bindings(response: httpx.Response) -> list[dict]:
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def test_the_list_in_json(server):
    r = httpx.get(server.url + "/queries")
    assert r.status_code == 200
    queries = {q["name"]: q for q in r.json()["queries"]}
    assert set(queries) == {"graph-stats", "resource-label", "typed-parameters"}
    label = queries["resource-label"]
    assert label["title"] == "Labels of a resource" and label["description"]
    assert label["url"] == server.url + "/queries/resource-label"
    assert label["parameters"][0] == {"name": "resource", "type": "iri", "required": True, "default": None,
                                      "description": "the resource: an IRI, or a prefixed name such as pg:Contract"}
    assert label["parameters"][1]["default"] == "fr"


def test_the_list_in_html(server):
    r = httpx.get(server.url + "/queries", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'href="/queries/resource-label"' in r.text and "Labels of a resource" in r.text


def test_run_with_an_iri_parameter_equals_the_reference(server, reference_store):
    r = httpx.get(server.url + "/queries/resource-label", params={"resource": "pg:Contract", "lang": "en"})
    got = bindings(r)
    expected = reference_store.query(
        "SELECT ?label WHERE { <https://w3id.org/policygraph/def#Contract> ?p ?label "
        "FILTER(?p IN (<http://www.w3.org/2000/01/rdf-schema#label>, <http://www.w3.org/2004/02/skos/core#prefLabel>, "
        "<http://www.w3.org/2004/02/skos/core#altLabel>) && LANGMATCHES(LANG(?label), 'en')) }",
        use_default_graph_as_union=True)
    assert sorted(b["label"] for b in got) == sorted(s["label"].value for s in expected)
    assert got  # the ontology labels pg:Contract in English
    full_iri = httpx.get(server.url + "/queries/resource-label",
                         params={"resource": "https://w3id.org/policygraph/def#Contract", "lang": "en"})
    assert bindings(full_iri) == got


@pytest.mark.parametrize("fmt,media", [("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
                                       ("csv", "text/csv"), ("tsv", "text/tab-separated-values")])
def test_every_result_format(server, fmt, media):
    params = {"resource": BASE + "id/contract/perr-le-quesnoy", "format": fmt}
    r = httpx.get(server.url + "/queries/resource-label", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    if fmt == "csv":
        assert list(csv.reader(io.StringIO(r.text)))[1] == [SKOS_PREF, "Protocole d'engagements renforcés et réciproques du Quesnoy"]
    accept = httpx.get(server.url + "/queries/resource-label", params={"resource": params["resource"]},
                       headers={"Accept": media})
    assert accept.content == r.content


def test_typed_parameters_are_bound_as_typed_literals(server):
    r = httpx.get(server.url + "/queries/typed-parameters")
    assert [float(b["amount"]) for b in bindings(r)] == [50_000_000, 100_000_000]
    r = httpx.get(server.url + "/queries/typed-parameters",
                  params={"label": "Protocole d'engagements renforcés et réciproques du Quesnoy",
                          "since": "2019", "signedBefore": "2020-01-01", "minAmount": "1000"})
    assert [float(b["amount"]) for b in bindings(r)] == [1_500_000]
    r = httpx.get(server.url + "/queries/typed-parameters", params={"since": "2018"})
    assert bindings(r) == []  # the ERBM started in 2017


def test_a_literal_with_quotes_and_line_breaks_is_matched_exactly(server):
    note = 'montant "indicatif", ligne 1\nligne 2 ; virgule, tab\tfin'
    params = {"label": "Protocole d'engagements renforcés et réciproques du Quesnoy", "note": note}
    assert len(bindings(httpx.get(server.url + "/queries/typed-parameters", params=params))) == 1


@pytest.mark.parametrize("name,value", [
    ("since", "2019 || true"), ("since", "abc"), ("signedBefore", "2019-02-30"), ("signedBefore", "2019-13-01"),
    ("minAmount", "1e3"), ("minAmount", "0) || true || (0"),
])
def test_a_value_that_is_not_of_its_type_is_a_400(server, name, value):
    r = httpx.get(server.url + "/queries/typed-parameters", params={name: value})
    error = r.json()["error"]
    assert r.status_code == 400 and error["parameter"] == name and name in error["detail"]


@pytest.mark.parametrize("value", [
    "<https://w3id.org/policygraph/def#Contract>",
    "https://w3id.org/policygraph/def#Contract> ?p ?label } #",
    "pg:Contract> . ?s ?p ?o } SELECT * WHERE { ?s ?p ?o",
    "https://w3id.org/policygraph/def#Contract>} ; DROP ALL ; #",
    "javascript:alert(1) x",
    "?resource",
    "",
])
def test_injection_through_an_iri_parameter_is_refused(server, value):
    r = httpx.get(server.url + "/queries/resource-label", params={"resource": value})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["parameter"] == "resource"


@pytest.mark.parametrize("value", [
    'fr") || true || ("',
    'fr" ) } ?s ?p ?label { FILTER("',
    "fr' || true || '",
    "fr\\\") || true #",
    "fr\n} UNION { ?resource ?property ?label }",
    "fr\" . } ; DROP ALL ; #",
])
def test_injection_through_a_literal_parameter_matches_nothing(server, value):
    # Bound as one literal, the value is just a language tag that no label has: no rows, and not
    # the labels of every resource.
    r = httpx.get(server.url + "/queries/resource-label", params={"resource": "pg:Contract", "lang": value})
    assert bindings(r) == []
    still_there = httpx.get(server.url + "/queries/resource-label", params={"resource": "pg:Contract"})
    assert bindings(still_there)


def test_html_page_with_form_and_table(server):
    r = httpx.get(server.url + "/queries/resource-label", params={"resource": "pg:Contract"},
                  headers={"Accept": "text/html"})
    assert r.status_code == 200 and "<form" in r.text and "<table>" in r.text and "contrat" in r.text
    blank = httpx.get(server.url + "/queries/resource-label", headers={"Accept": "text/html"})
    assert blank.status_code == 200 and "<table>" not in blank.text  # required parameter missing: just the form


def test_errors(server):
    assert httpx.get(server.url + "/queries/nothing").status_code == 404
    r = httpx.get(server.url + "/queries/resource-label")
    assert r.status_code == 400 and "required" in r.json()["error"]["detail"]
    r = httpx.get(server.url + "/queries/resource-label", params={"resource": "pg:Contract", "other": "x"})
    assert r.status_code == 400 and "unknown parameter" in r.json()["error"]["detail"]


def test_a_query_without_parameters(server, reference_store):
    got = {b["graph"]: int(b["triples"]) for b in bindings(httpx.get(server.url + "/queries/graph-stats"))}
    for graph in reference_store.named_graphs():  # other tests may have added graphs of their own
        assert got[graph.value] == sum(1 for _ in reference_store.quads_for_pattern(None, None, None, graph))
