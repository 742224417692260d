"""Readable documentation of the ontology, generated from the ontology itself (as pyLODE does).

One page, ``/def``, with an anchor per term (``/def#Contract``: a term's IRI, followed in a browser,
lands on its entry): for every class its labels and definitions in French and English, its super-
and subclasses, the properties whose domain or range it is, close matches in other vocabularies;
for every property its kind and characteristics (functional, transitive…), domain, range,
super-properties, inverse and property chain.  The ontology is read from the store's ontology
graph, so the page documents what the server actually holds.

Why not pyLODE: the version the package index offers here (3.4.1) fails on import — its wheel reads a
``pyproject.toml`` it does not ship — its Supermodel profile fetches imported ontologies over HTTP, and
its page could not share the site's layout.  This page is made from the ~1 300 triples in a few
milliseconds, cached per store generation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

VANN = "http://purl.org/vocab/vann/"
KNOWN_PREFIXES = {
    "http://www.w3.org/2004/02/skos/core#": "skos", "http://www.w3.org/ns/prov#": "prov",
    "http://purl.org/dc/terms/": "dct", "http://www.w3.org/ns/org#": "org", "http://xmlns.com/foaf/0.1/": "foaf",
    "http://rdf.insee.fr/def/geo#": "igeo", "https://schema.org/": "schema", "http://data.europa.eu/a4g/ontology#": "epo",
    "http://data.europa.eu/m8g/": "m8g", "http://www.w3.org/2001/XMLSchema#": "xsd",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs", "http://www.w3.org/2002/07/owl#": "owl",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
}


@dataclass
class Ref:
    text: str
    href: str


@dataclass
class Term:
    name: str
    iri: str
    kind: str
    labels: dict[str, str]
    definitions: dict[str, str]
    rows: list[tuple[str, list[Ref]]] = field(default_factory=list)


@dataclass
class OntologyDoc:
    iri: str
    title: dict[str, str]
    description: dict[str, str]
    metadata: list[tuple[str, list[Ref]]]
    classes: list[Term]
    object_properties: list[Term]
    datatype_properties: list[Term]


def _texts(g: Graph, node, predicate) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in g.objects(node, predicate):
        if isinstance(value, Literal):
            out.setdefault(value.language or "", str(value))
    return out


class _Doc:
    def __init__(self, g: Graph, namespace: str, local_url):
        self.g = g
        self.ns = namespace
        self.local_url = local_url

    def ref(self, node) -> Ref:
        if isinstance(node, BNode):
            members = self._list(node)
            if members:
                return Ref(" ∘ ".join(self.ref(m).text for m in members), "")
            return Ref("(anonymous)", "")
        iri = str(node)
        if iri.startswith(self.ns):
            return Ref(iri[len(self.ns):], "#" + iri[len(self.ns):])
        for ns, prefix in KNOWN_PREFIXES.items():
            if iri.startswith(ns):
                return Ref(f"{prefix}:{iri[len(ns):]}", iri)
        return Ref(iri, self.local_url(iri))

    def _list(self, node) -> list:
        try:
            return list(Collection(self.g, node)) if (node, RDF.first, None) in self.g else []
        except Exception:  # noqa: BLE001 — a malformed list is shown as anonymous
            return []

    def refs(self, nodes) -> list[Ref]:
        return sorted((self.ref(n) for n in nodes), key=lambda r: r.text.lower())

    def terms_of(self, rdf_type) -> list[URIRef]:
        return sorted((s for s in set(self.g.subjects(RDF.type, rdf_type))
                       if isinstance(s, URIRef) and str(s).startswith(self.ns)), key=lambda s: str(s).lower())

    def term(self, node: URIRef, kind: str) -> Term:
        g = self.g
        return Term(str(node)[len(self.ns):], str(node), kind, _texts(g, node, RDFS.label),
                    _texts(g, node, SKOS.definition) or _texts(g, node, RDFS.comment))

    def class_term(self, node: URIRef) -> Term:
        g = self.g
        term = self.term(node, "class")
        rows = [("subclass of", self.refs(g.objects(node, RDFS.subClassOf))),
                ("subclasses", self.refs(g.subjects(RDFS.subClassOf, node))),
                ("properties with this domain", self.refs(g.subjects(RDFS.domain, node))),
                ("properties with this range", self.refs(g.subjects(RDFS.range, node))),
                ("equivalent", self.refs(g.objects(node, OWL.equivalentClass))),
                ("close match", self.refs(g.objects(node, SKOS.closeMatch))),
                ("exact match", self.refs(g.objects(node, SKOS.exactMatch)))]
        disjoint = [m for d in g.subjects(RDF.type, OWL.AllDisjointClasses)
                    for lst in g.objects(d, OWL.members) for m in self._list(lst) if node in self._list(lst)]
        rows.append(("disjoint with", self.refs(m for m in disjoint if m != node)))
        term.rows = [(k, v) for k, v in rows if v]
        return term

    def property_term(self, node: URIRef, kind: str) -> Term:
        g = self.g
        term = self.term(node, kind)
        characteristics = [Ref(label, "") for t, label in ((OWL.FunctionalProperty, "functional"),
                                                           (OWL.TransitiveProperty, "transitive"),
                                                           (OWL.SymmetricProperty, "symmetric"),
                                                           (OWL.InverseFunctionalProperty, "inverse functional"))
                           if (node, RDF.type, t) in g]
        inverse = set(g.objects(node, OWL.inverseOf)) | set(g.subjects(OWL.inverseOf, node))
        rows = [("characteristics", characteristics),
                ("domain", self.refs(g.objects(node, RDFS.domain))),
                ("range", self.refs(g.objects(node, RDFS.range))),
                ("subproperty of", self.refs(g.objects(node, RDFS.subPropertyOf))),
                ("subproperties", self.refs(g.subjects(RDFS.subPropertyOf, node))),
                ("inverse of", self.refs(inverse)),
                ("property chain", [self.ref(c) for c in g.objects(node, OWL.propertyChainAxiom)]),
                ("close match", self.refs(g.objects(node, SKOS.closeMatch)))]
        term.rows = [(k, v) for k, v in rows if v]
        return term


def build_doc(g: Graph, ontology_iri: str, local_url) -> OntologyDoc:
    """The documentation of the ontology ``ontology_iri`` found in ``g``."""
    node = URIRef(ontology_iri)
    namespace = next((str(v) for v in g.objects(node, URIRef(VANN + "preferredNamespaceUri"))), ontology_iri + "#")
    doc = _Doc(g, namespace, local_url)
    title = _texts(g, node, DCTERMS.title) or _texts(g, node, RDFS.label)
    metadata = []
    for label, predicate in (("version", OWL.versionInfo), ("version IRI", OWL.versionIRI), ("licence", DCTERMS.license),
                             ("created", DCTERMS.created), ("preferred prefix", URIRef(VANN + "preferredNamespacePrefix")),
                             ("namespace", URIRef(VANN + "preferredNamespaceUri"))):
        values = list(g.objects(node, predicate))
        if values:
            metadata.append((label, [Ref(str(v), local_url(str(v)) if isinstance(v, URIRef) else "") for v in values]))
    classes = [doc.class_term(c) for c in doc.terms_of(OWL.Class)]
    objects = [doc.property_term(p, "object property") for p in doc.terms_of(OWL.ObjectProperty)]
    data = [doc.property_term(p, "datatype property") for p in doc.terms_of(OWL.DatatypeProperty)]
    return OntologyDoc(ontology_iri, title, _texts(g, node, DCTERMS.description), metadata, classes, objects, data)
