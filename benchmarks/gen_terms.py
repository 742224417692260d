"""RDF terms already serialised in N-Triples syntax, for the generator's hot loop.

The generator writes millions of statements; building rdflib or pyoxigraph term objects for each
would dominate its run time, so terms are plain strings in their final N-Triples form and a
statement is a tuple of three of them.
"""

from __future__ import annotations

from rdflib.namespace import RDF, SKOS, XSD

from policygraph.model.dataset import REFERENCE_GRAPH
from policygraph.model.namespaces import GRAPH, ID, PG, TERRITORIES_GRAPH, VOC

Statement = tuple[str, str, str]


def iri(value: str) -> str:
    return f"<{value}>"


def node(path: str) -> str:
    """An instance IRI, relative to https://w3id.org/policygraph/id/ (data/README.md patterns)."""
    return f"<{ID}{path}>"


def voc(scheme: str, notation: str) -> str:
    return f"<{VOC}{scheme}/{notation}>"


def _escape(text: str) -> str:
    # The escapes N-Triples requires inside a quoted literal; generated texts hold no other control
    # characters.
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def string(text: str) -> str:
    """An xsd:string literal (written without datatype, which means the same in RDF 1.1)."""
    return f'"{_escape(text)}"'


def french(text: str) -> str:
    return f'"{_escape(text)}"@fr'


def english(text: str) -> str:
    return f'"{_escape(text)}"@en'


def integer(value: int) -> str:
    return f'"{value}"^^<{XSD}integer>'


def decimal(lexical: str) -> str:
    return f'"{lexical}"^^<{XSD}decimal>'


def year(value: int) -> str:
    return f'"{value}"^^<{XSD}gYear>'


def date(value: str) -> str:
    return f'"{value}"^^<{XSD}date>'


# Terms used everywhere, serialised once.
A = iri(str(RDF.type))
PREF_LABEL = iri(str(SKOS.prefLabel))


class P:
    """The ontology properties the generator writes (pg:…), as N-Triples IRIs."""

    def __getattr__(self, name: str) -> str:
        value = f"<{PG}{name}>"
        setattr(self, name, value)  # cache: later look-ups skip __getattr__
        return value


pg = P()

TERRITORIES = iri(str(TERRITORIES_GRAPH))
REFERENCE = iri(str(REFERENCE_GRAPH))


def source_graph(slug: str) -> str:
    return f"<{GRAPH}source/{slug}>"
