"""The JSON-LD ``@context`` of policygraph: generated from the ontology, shipped, and indexed for the framer.

``python -m policygraph.model.jsonld_context`` regenerates ``src/policygraph/model/context.jsonld`` from
``ontology/policygraph.ttl``; a test asserts that the shipped file equals what this module generates,
so the two never drift.  The server reads only the shipped file: it embeds it inline in every JSON-LD
response (so expanding a response never needs the network, JSON-LD 1.1 §3.1) and publishes it at
``/context.jsonld``.

How terms are made (JSON-LD 1.1 §4.2 term definitions):

- every ``pg:`` class is a term named by its local name (``Contract``), used as ``type`` values;
- every ``pg:`` property is a term named by its local name:

  - object properties are ``"@type": "@id"``; non-functional ones also ``"@container": "@set"``, so
    a JSON consumer always finds an array (``theme``, ``scope``) where several values may occur;
  - datatype properties with an XSD range are typed (``startYear`` → ``xsd:gYear``, ``amount`` →
    ``xsd:decimal``): the JSON carries the lexical form as a string ("250000"), never a float —
    amounts keep their exact decimal value; ``xsd:integer`` values are written as JSON numbers;
  - properties whose values are texts in a language (range ``rdf:langString``, and the untyped
    ``pg:description`` and ``pg:note``, which the data always writes in French) are language maps:
    ``{"fr": "…", "en": "…"}``;
- a short list of terms from SKOS, RDFS, PROV, DCMI, DCAT, VoID and Hydra (labels, collections);
- *reverse* terms for the links a framed document nests the other way round (``axes`` for
  ``^pg:axisOf``, ``commitments`` for ``^pg:commitsTo``, ``coveredBy`` for ``^pg:covers``…);
- the project prefixes (``pg:``, ``skos:``…) for everything else, written as compact IRIs.

``id`` and ``type`` alias ``@id`` and ``@type``; identifiers stay absolute IRIs.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from policygraph.model.namespaces import PG, PREFIXES

CONTEXT_FILE = Path(__file__).resolve().parent / "context.jsonld"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

# Terms of other vocabularies: name → (prefixed IRI, kind); kind is "id", "set" (IRIs, several),
# "lang" (language map), or None (plain values).
EXTERNAL_TERMS: dict[str, tuple[str, str | None]] = {
    "prefLabel": ("skos:prefLabel", "lang"),
    "altLabel": ("skos:altLabel", "lang"),
    "definition": ("skos:definition", "lang"),
    "notation": ("skos:notation", None),
    "inScheme": ("skos:inScheme", "set"),
    "topConceptOf": ("skos:topConceptOf", "set"),
    "hasTopConcept": ("skos:hasTopConcept", "set"),
    "broader": ("skos:broader", "set"),
    "narrower": ("skos:narrower", "set"),
    "closeMatch": ("skos:closeMatch", "set"),
    "exactMatch": ("skos:exactMatch", "set"),
    "label": ("rdfs:label", "lang"),
    "comment": ("rdfs:comment", "lang"),
    "seeAlso": ("rdfs:seeAlso", "set"),
    "isDefinedBy": ("rdfs:isDefinedBy", "id"),
    "subClassOf": ("rdfs:subClassOf", "set"),
    "wasDerivedFrom": ("prov:wasDerivedFrom", "set"),
    "title": ("dct:title", "lang"),
    "license": ("dct:license", "id"),
    "source": ("dct:source", "set"),
    "identifier": ("dct:identifier", None),
    "publisher": ("dct:publisher", "id"),
    "contributor": ("dct:contributor", "set"),
    "conformsTo": ("dct:conformsTo", "set"),
    "distribution": ("dcat:distribution", "set"),
    "downloadURL": ("dcat:downloadURL", "id"),
    "mediaType": ("dcat:mediaType", "id"),
    "compressFormat": ("dcat:compressFormat", "id"),
    "landingPage": ("dcat:landingPage", "id"),
    "endpointURL": ("dcat:endpointURL", "id"),
    "servesDataset": ("dcat:servesDataset", "set"),
    "byteSize": ("dcat:byteSize", None),
    "sparqlEndpoint": ("void:sparqlEndpoint", "id"),
    "dataDump": ("void:dataDump", "set"),
    "triples": ("void:triples", None),
    "entities": ("void:entities", None),
    "uriSpace": ("void:uriSpace", None),
    "subset": ("void:subset", "set"),
    "classPartition": ("void:classPartition", "set"),
    "vocabulary": ("void:vocabulary", "set"),
    "exampleResource": ("void:exampleResource", "set"),
    # Hydra Core (https://www.hydra-cg.com/spec/latest/core/): collections, pages, search templates.
    # hydra:member is "items" (pg:member, the members of a governance body, owns "member").
    "Collection": ("hydra:Collection", "class"),
    "PartialCollectionView": ("hydra:PartialCollectionView", "class"),
    "IriTemplate": ("hydra:IriTemplate", "class"),
    "IriTemplateMapping": ("hydra:IriTemplateMapping", "class"),
    "items": ("hydra:member", "set"),
    "totalItems": ("hydra:totalItems", None),
    "view": ("hydra:view", "id"),
    "first": ("hydra:first", "id"),
    "last": ("hydra:last", "id"),
    "next": ("hydra:next", "id"),
    "previous": ("hydra:previous", "id"),
    "search": ("hydra:search", "id"),
    "template": ("hydra:template", None),
    "mapping": ("hydra:mapping", "set"),
    "variable": ("hydra:variable", None),
    "property": ("hydra:property", "id"),
    "required": ("hydra:required", None),
}

# Reverse terms (JSON-LD 1.1 §4.8): name → the property whose subject is nested inside its object.
REVERSE_TERMS: dict[str, str] = {
    "axes": "pg:axisOf",
    "subAxes": "pg:parentAxis",
    "objectives": "pg:objectiveOf",
    "measures": "pg:inAxis",
    "contents": "pg:inContract",
    "objectiveMeasures": "pg:inObjective",
    "commitments": "pg:commitsTo",
    "shares": "pg:shareOf",
    "bodies": "pg:bodyOf",
    "events": "pg:eventOf",
    "indicators": "pg:indicatorOf",
    "figures": "pg:figureOf",
    "passages": "pg:inDocument",
    "states": "pg:statedIn",
    "projects": "pg:underContract",
    "scopeOf": "pg:scope",
    "coveredBy": "pg:covers",
    "actorOf": "pg:actor",
    "directlyContains": "pg:directlyWithin",
}

_CONTEXT_PREFIXES = [p for p in PREFIXES if p != "id"]  # "id" is the alias of @id


def build_context(ontology) -> dict:
    """The ``{"@context": …}`` document for an rdflib graph of the ontology."""
    from rdflib import OWL as O
    from rdflib import RDF as R
    from rdflib import RDFS as S
    from rdflib import URIRef

    pg = str(PG)
    ctx: dict = {"@version": 1.1, "id": "@id", "type": "@type"}
    for prefix in _CONTEXT_PREFIXES:
        ctx[prefix] = str(PREFIXES[prefix])
    classes = sorted(str(c)[len(pg):] for c in ontology.subjects(R.type, O.Class)
                     if isinstance(c, URIRef) and str(c).startswith(pg))
    for name in classes:
        ctx[name] = "pg:" + name
    properties = sorted({str(p) for t in (O.ObjectProperty, O.DatatypeProperty)
                         for p in ontology.subjects(R.type, t) if str(p).startswith(pg)})
    for iri in properties:
        name = iri[len(pg):]
        node = URIRef(iri)
        types = set(ontology.objects(node, R.type))
        definition: dict = {"@id": "pg:" + name}
        if O.ObjectProperty in types:
            definition["@type"] = "@id"
            if O.FunctionalProperty not in types:
                definition["@container"] = "@set"
        else:
            ranges = [str(r) for r in ontology.objects(node, S.range)]
            if RDF + "langString" in ranges:
                definition["@container"] = "@language"
            elif len(ranges) == 1 and ranges[0].startswith(XSD) and ranges[0] != XSD + "string":
                definition["@type"] = "xsd:" + ranges[0][len(XSD):]
        ctx[name] = definition
    for name, (curie, kind) in EXTERNAL_TERMS.items():
        if kind == "class":
            ctx[name] = curie
        elif kind is None:
            ctx[name] = {"@id": curie}
        elif kind == "lang":
            ctx[name] = {"@id": curie, "@container": "@language"}
        elif kind == "id":
            ctx[name] = {"@id": curie, "@type": "@id"}
        else:
            ctx[name] = {"@id": curie, "@type": "@id", "@container": "@set"}
    for name, curie in REVERSE_TERMS.items():
        ctx[name] = {"@reverse": curie, "@type": "@id", "@container": "@set"}
    clashes = ({n for n in EXTERNAL_TERMS} | set(REVERSE_TERMS)) & (set(classes) | {p[len(pg):] for p in properties})
    if clashes or set(EXTERNAL_TERMS) & set(REVERSE_TERMS):
        raise ValueError(f"JSON-LD terms defined twice: {sorted(clashes)}")
    return {"@context": ctx}


def render(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def generate(ontology_path: Path | None = None) -> str:
    """The text of context.jsonld for the ontology file (default: the repository's)."""
    from rdflib import Graph

    from policygraph.model.dataset import project_root

    path = ontology_path or project_root() / "ontology" / "policygraph.ttl"
    return render(build_context(Graph().parse(path, format="turtle")))


# -- the index the framer uses ---------------------------------------------------------------------


@dataclass(frozen=True)
class TermDef:
    name: str
    iri: str
    kind: str  # "id", "lang", "datatype", "plain"
    datatype: str | None = None
    many: bool = False  # @container @set
    rank: int = 0  # position in the context: the order of keys in node objects


class Context:
    """The shipped context, parsed into lookup tables (predicate IRI → term, class IRI → name…)."""

    def __init__(self, document: dict):
        self.document = document
        self.json = json.dumps(document["@context"], ensure_ascii=False, separators=(",", ":"))
        ctx = document["@context"]
        self.prefixes: dict[str, str] = {k: v for k, v in ctx.items()
                                         if isinstance(v, str) and v.endswith(("/", "#"))}
        self.terms: dict[str, TermDef] = {}
        self.reverse: dict[str, str] = {}
        self.classes: dict[str, str] = {}
        for rank, (name, value) in enumerate(ctx.items()):
            if name.startswith("@") or name in ("id", "type") or name in self.prefixes:
                continue
            if isinstance(value, str):
                self.classes[self.expand(value)] = name
                continue
            if "@reverse" in value:
                self.reverse[self.expand(value["@reverse"])] = name
                continue
            iri = self.expand(value["@id"])
            coerced = value.get("@type")
            many = value.get("@container") == "@set"
            if coerced == "@id":
                self.terms[iri] = TermDef(name, iri, "id", many=many, rank=rank)
            elif value.get("@container") == "@language":
                self.terms[iri] = TermDef(name, iri, "lang", rank=rank)
            elif coerced:
                self.terms[iri] = TermDef(name, iri, "datatype", self.expand(coerced), rank=rank)
            else:
                self.terms[iri] = TermDef(name, iri, "plain", rank=rank)
        # Longest namespace first, so that pg: wins over a shorter prefix of the same IRI.
        self._by_namespace = sorted(((ns, p) for p, ns in self.prefixes.items()), key=lambda x: -len(x[0]))

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return value

    def curie(self, iri: str) -> str:
        """A compact IRI (``dct:issued``) when a prefix fits, else the IRI itself."""
        for ns, prefix in self._by_namespace:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                local = iri[len(ns):]
                if _SAFE_LOCAL.fullmatch(local):
                    return f"{prefix}:{local}"
        return iri

    def type_name(self, iri: str) -> str:
        return self.classes.get(iri) or self.curie(iri)


_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-/]*")


@lru_cache(maxsize=1)
def shipped_context() -> Context:
    return Context(json.loads(CONTEXT_FILE.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    """Write the generated context to model/context.jsonld (``--check``: only compare)."""
    args = sys.argv[1:] if argv is None else argv
    text = generate()
    if "--check" in args:
        same = CONTEXT_FILE.exists() and CONTEXT_FILE.read_text(encoding="utf-8") == text
        print("context.jsonld is up to date" if same else "context.jsonld differs from the ontology: regenerate it")
        return 0 if same else 1
    CONTEXT_FILE.parent.mkdir(parents=True, exist_ok=True)
    CONTEXT_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {CONTEXT_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
