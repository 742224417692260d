"""The published JSON-LD context: generated from the ontology, shipped, served, and self-sufficient."""

from __future__ import annotations

import json
import re

import httpx
from pyld import jsonld
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from policygraph.model.dataset import project_root
from policygraph.model.jsonld_context import CONTEXT_FILE, generate, shipped_context

PG = "https://w3id.org/policygraph/def#"


def test_the_shipped_context_is_the_one_the_ontology_generates():
    # If this fails: python -m policygraph.model.jsonld_context (and review the diff: keys are an API).
    assert CONTEXT_FILE.read_text(encoding="utf-8") == generate()


def test_every_class_and_property_of_the_ontology_has_a_short_key():
    ontology = Graph().parse(project_root() / "ontology" / "policygraph.ttl")
    ctx = shipped_context()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            iri = str(term)
            if not iri.startswith(PG):
                continue
            name = iri[len(PG):]
            if kind == OWL.Class:
                assert ctx.classes[iri] == name
            else:
                assert ctx.terms[iri].name == name
    keys = list(json.loads(CONTEXT_FILE.read_text())["@context"])
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"@?[A-Za-z][A-Za-z0-9]*", k) for k in keys)  # short, plain keys


def test_typed_terms_follow_the_ontology_ranges():
    ctx = shipped_context()
    XSD = "http://www.w3.org/2001/XMLSchema#"
    assert ctx.terms[PG + "amount"].datatype == XSD + "decimal"
    assert ctx.terms[PG + "signatureDate"].datatype == XSD + "date"
    assert ctx.terms[PG + "startYear"].datatype == XSD + "gYear"
    assert ctx.terms[PG + "population"].datatype == XSD + "integer"
    assert ctx.terms["http://www.w3.org/2004/02/skos/core#prefLabel"].kind == "lang"
    assert ctx.terms[PG + "description"].kind == "lang"
    assert ctx.terms[PG + "scope"].kind == "id" and ctx.terms[PG + "scope"].many
    assert ctx.terms[PG + "kind"].kind == "id" and not ctx.terms[PG + "kind"].many  # functional: one value


def test_the_context_is_served_as_shipped_and_expands_offline(ld_server):
    r = httpx.get(ld_server.url + "/context.jsonld")
    assert r.status_code == 200 and r.headers["content-type"] == "application/ld+json"
    assert r.content == CONTEXT_FILE.read_bytes()
    assert r.headers.get("access-control-allow-origin") is None or r.headers["access-control-allow-origin"] == "*"
    document = {**r.json(), "@id": "https://w3id.org/policygraph/id/contract/x", "amount": "12.50",
                "prefLabel": {"fr": "X"}}
    quads = jsonld.to_rdf(document, {"format": "application/n-quads"})  # the autouse fixture forbids fetching
    assert '"12.50"^^<http://www.w3.org/2001/XMLSchema#decimal>' in quads
    assert '"X"@fr' in quads


def test_json_ld_responses_embed_the_context_instead_of_linking_it(ld_server):
    for path in ("/id/contract/erbm", "/contracts", "/dataset", "/def", "/graph/reference"):
        r = httpx.get(ld_server.url + path, headers={"Accept": "application/ld+json"})
        assert r.status_code == 200, path
        assert isinstance(r.json()["@context"], dict), path
        assert r.json()["@context"] == shipped_context().document["@context"]
