"""RDF terms across boundaries: pyoxigraph ⇄ rdflib ⇄ a JSON-safe form ⇄ N-Triples text.

The JSON form is the term encoding of SPARQL 1.1 Query Results JSON §3.2.2 (``{"type": "uri",
"value": …}``); it carries typed parameters to the query worker processes.  N-Triples text
(``str()`` of a pyoxigraph term, RDF 1.1 N-Triples §2.4 escaping) is how a term is written into a
request for an external triplestore.
"""

from __future__ import annotations

from typing import Any, Iterable

import pyoxigraph as ox
import rdflib

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def to_json(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": to_json(term.subject),
                                            "predicate": to_json(term.predicate),
                                            "object": to_json(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def from_json(data: dict[str, Any]) -> Term:
    kind = data["type"]
    if kind == "uri":
        return ox.NamedNode(data["value"])
    if kind == "bnode":
        return ox.BlankNode(data["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in data:
            return ox.Literal(data["value"], language=data["xml:lang"])
        return ox.Literal(data["value"], datatype=ox.NamedNode(data.get("datatype", XSD_STRING)))
    if kind == "triple":
        v = data["value"]
        return ox.Triple(from_json(v["subject"]), from_json(v["predicate"]), from_json(v["object"]))
    raise ValueError(f"unknown term type {kind!r}")


def to_rdflib(term):
    """pyoxigraph term (or DefaultGraph) → rdflib term (DefaultGraph → None)."""
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r} to rdflib")


def from_rdflib(term):
    """rdflib term → pyoxigraph term (None → DefaultGraph)."""
    if term is None:
        return ox.DefaultGraph()
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD_STRING)))
    raise TypeError(f"cannot convert {term!r} to pyoxigraph")


def quad_to_rdflib(quad: ox.Quad) -> tuple:
    """(s, p, o, g) with g None for the default graph."""
    return (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object),
            to_rdflib(quad.graph_name))


def quad_from_rdflib(quad: tuple) -> ox.Quad:
    """(s, p, o, g) with g None for the default graph → a pyoxigraph quad."""
    s, p, o, g = quad
    return ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), from_rdflib(g))


def nquads(quads: Iterable[ox.Quad]) -> bytes:
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def parse_nquads(data: bytes) -> list[ox.Quad]:
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def graph_term(iri: str | None):
    """The graph name for an IRI, DefaultGraph for None."""
    return ox.DefaultGraph() if iri is None else ox.NamedNode(iri)


def quad_text(quad: ox.Quad) -> str:
    """One quad as SPARQL quad-data text (``GRAPH <g> { s p o }`` or ``s p o .``)."""
    triple = f"{quad.subject} {quad.predicate} {quad.object} ."
    if isinstance(quad.graph_name, ox.DefaultGraph):
        return triple
    return f"GRAPH {quad.graph_name} {{ {triple} }}"
