"""The ontology at /def: documentation generated from the ontology, and the ontology in every RDF format."""

from __future__ import annotations

import re

import httpx
import pytest
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from policygraph.model.dataset import project_root

PG = "https://w3id.org/policygraph/def#"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(project_root() / "ontology" / "policygraph.ttl")


@pytest.fixture(scope="module")
def page(ld_server) -> str:
    r = httpx.get(ld_server.url + "/def", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    return r.text


def test_every_term_has_an_anchor_with_its_labels_and_definitions(ontology, page):
    terms = [t for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for t in ontology.subjects(RDF.type, kind) if str(t).startswith(PG)]
    assert len(terms) > 150
    for term in terms:
        name = str(term)[len(PG):]
        match = re.search(rf'<div class="term" id="{re.escape(name)}">(.*?)</div>', page, re.S)
        assert match, name
        entry = match.group(1)
        for label in ontology.objects(term, RDFS.label):
            assert str(label).replace("'", "&#39;") in entry, (name, str(label))


def test_domains_ranges_and_hierarchy_are_documented(page):
    entry = re.search(r'<div class="term" id="scope">(.*?)</div>', page, re.S).group(1)
    assert 'href="#Territory"' in entry and "subproperty of" in entry and 'href="#covers"' in entry
    entry = re.search(r'<div class="term" id="Amendment">(.*?)</div>', page, re.S).group(1)
    assert 'href="#Contract"' in entry and 'href="#EnhancedCommitmentProtocol"' in entry


@pytest.mark.parametrize("path, fmt", [("/def.ttl", "turtle"), ("/def.nt", "nt"), ("/def.rdf", "xml"),
                                       ("/def.jsonld", "json-ld")])
def test_the_ontology_in_every_format_is_the_shipped_file(ld_server, ontology, path, fmt):
    r = httpx.get(ld_server.url + path)
    assert r.status_code == 200
    if fmt == "json-ld":  # expanded by pyld (offline), read back as N-Triples
        data, fmt = jsonld.to_rdf(r.json(), {"format": "application/n-quads"}), "nt"
    else:
        data = r.text
    assert isomorphic(Graph().parse(data=data, format=fmt), ontology)


def test_term_and_version_iris_resolve_to_the_ontology(ld_server):
    # A client fetching …/def#Contract fetches …/def: the fragment never reaches the server.
    r = httpx.get(ld_server.url + "/def", headers={"Accept": "text/turtle"})
    assert r.headers["content-location"] == ld_server.url + "/def.ttl"
    version = httpx.get(ld_server.url + "/def/0.1.0", headers={"Accept": "text/turtle"})
    assert version.status_code == 200 and version.text == r.text


def test_the_shapes_are_served_too(ld_server):
    r = httpx.get(ld_server.url + "/shapes", headers={"Accept": "text/turtle"})
    shapes = Graph()
    for path in sorted((project_root() / "shapes").glob("*.ttl")):
        shapes.parse(path)
    assert isomorphic(Graph().parse(data=r.text, format="turtle"), shapes)
