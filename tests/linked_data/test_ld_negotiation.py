"""Content negotiation and headers on resource IRIs, on the embedded store and on an external one.

The policy (``policygraph.linked_data.addressing``): a direct ``200`` at the IRI, ``Content-Location`` naming
the format-specific document, ``Vary: Accept``, ``Link`` to the alternates; extension > ``format=``
> Accept with q-values; 404 for an IRI the graph does not mention, 406 for a format it cannot give.
"""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
from ld_support import BASE, triples
from rdflib import Graph

ERBM = BASE + "id/contract/erbm"
MEDIA = {"turtle": "text/turtle", "jsonld": "application/ld+json", "html": "text/html",
         "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml"}
EXT = {"turtle": "ttl", "jsonld": "jsonld", "html": "html", "ntriples": "nt", "rdfxml": "rdf"}


@pytest.mark.parametrize("name", list(MEDIA))
def test_each_format_by_accept_answers_200_at_the_iri_with_its_document_url(any_server, name):
    r = httpx.get(any_server.local(ERBM), headers={"Accept": MEDIA[name]})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(MEDIA[name])
    assert r.headers["content-location"] == any_server.local(ERBM) + "." + EXT[name]
    assert "Accept" in r.headers["vary"]
    links = r.headers["link"]
    for other, media in MEDIA.items():
        assert f'<{any_server.local(ERBM)}.{EXT[other]}>; rel="alternate"; type="{media}"' in links
    assert "/.well-known/void>" in links


def test_every_format_says_the_same_thing(any_server):
    url = any_server.local(ERBM)
    reference = triples(httpx.get(url + ".nt").content, ox.RdfFormat.N_TRIPLES)
    assert len(reference) > 100
    assert triples(httpx.get(url + ".ttl").content, ox.RdfFormat.TURTLE) == reference
    assert triples(httpx.get(url + ".rdf").content, ox.RdfFormat.RDF_XML) == reference
    assert triples(httpx.get(url + ".jsonld").content, ox.RdfFormat.JSON_LD) == reference
    # and an independent parser reads the Turtle the same way
    g = Graph().parse(data=httpx.get(url, headers={"Accept": "text/turtle"}).text, format="turtle")
    assert len(g) == len(reference)


@pytest.mark.parametrize("accept, expected", [
    ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json"),
    ("application/rdf+xml, text/turtle;q=0.1", "application/rdf+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),  # a browser
    ("*/*", "text/turtle"),  # no preference (curl): Turtle
    ("application/json", "application/ld+json"),  # a JSON client gets JSON-LD
    ("text/*", "text/turtle"),
    ("application/n-triples;q=1, text/turtle;q=0", "application/n-triples"),
])
def test_q_values_decide(ld_server, accept, expected):
    r = httpx.get(ld_server.local(ERBM), headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(expected)


def test_no_accept_header_gets_turtle(ld_server):
    r = httpx.get(ld_server.local(ERBM), headers={"Accept": ""})
    assert r.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize("query, ext, expected", [
    ({"format": "jsonld"}, "", "application/ld+json"),
    ({"format": "nt"}, "", "application/n-triples"),
    ({}, ".rdf", "application/rdf+xml"),
    ({}, ".html", "text/html"),
])
def test_format_parameter_and_extension_override_accept(ld_server, query, ext, expected):
    r = httpx.get(ld_server.local(ERBM) + ext, params=query, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(expected)


def _error(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    error = r.json()["error"]
    assert error["status"] == status and error["detail"]
    return error


def test_unknown_iri_is_404_and_unavailable_format_406(any_server):
    assert "not mentioned" in _error(httpx.get(any_server.url + "/id/contract/does-not-exist"), 404)["detail"]
    _error(httpx.get(any_server.url + "/id/territory/commune/00000.ttl"), 404)
    assert "available" in _error(httpx.get(any_server.local(ERBM), headers={"Accept": "application/pdf"}), 406)["detail"]
    _error(httpx.get(any_server.local(ERBM), params={"format": "csv"}), 406)  # a format of the service, not of resources
    _error(httpx.get(any_server.local(ERBM), params={"format": "docx"}), 400)
    _error(httpx.get(any_server.local(ERBM) + ".ttl", params={"format": "jsonld"}), 400)


def test_odd_paths_are_4xx_never_500(ld_server):
    for path in ("/id/a%20b", "/id/%3Cscript%3E", "/id/%FF%FE", "/id/" + "x" * 3000, "/id/", "/voc/", "/id/..%2F..%2Fetc"):
        r = httpx.get(ld_server.url + path)
        assert 400 <= r.status_code < 500, (path, r.status_code, r.text[:200])


def test_an_iri_with_a_dot_and_its_documents(ld_server):
    axis = BASE + "id/contract/perr-le-quesnoy/axis/1.2"
    r = httpx.get(ld_server.local(axis))
    assert r.status_code == 200 and f"<{axis}>" in r.text
    r = httpx.get(ld_server.local(axis) + ".jsonld")
    assert r.status_code == 200 and r.json()["id"] == axis


def test_head_answers_the_headers_without_a_body(ld_server):
    r = httpx.head(ld_server.local(ERBM), headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.content == b""
    assert r.headers["content-type"] == "application/ld+json"
    assert r.headers["content-location"].endswith(".jsonld")


def test_reads_are_open_to_any_origin_and_expose_the_link_headers(ld_server):
    r = httpx.get(ld_server.local(ERBM), headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    exposed = {h.strip().lower() for h in r.headers["access-control-expose-headers"].split(",")}
    assert {"link", "content-location"} <= exposed
    preflight = httpx.options(ld_server.local(ERBM), headers={"Origin": "https://example.org",
                                                              "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200 and "GET" in preflight.headers["access-control-allow-methods"]


def test_rdf_keeps_canonical_iris_and_html_links_to_this_server(ld_server):
    ttl = httpx.get(ld_server.local(ERBM), headers={"Accept": "text/turtle"}).text
    assert ld_server.url not in ttl and f"<{ERBM}>" in ttl
    html = httpx.get(ld_server.local(ERBM), headers={"Accept": "text/html"}).text
    assert f'href="{ld_server.url}/id/actor/' in html
    assert 'href="https://w3id.org/policygraph/id/' not in html
