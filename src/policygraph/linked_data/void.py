"""The description of the dataset, in VoID (https://www.w3.org/TR/void/) and DCAT 3 (https://www.w3.org/TR/vocab-dcat-3/).

Served at ``/.well-known/void`` (VoID §7.2, the well-known location) and at the dataset's IRI,
``{base}dataset``: title and description, licence, the sources (the five documents and the official
geography), the numbers (triples, entities, per class, per named graph), the SPARQL endpoint (as
``void:sparqlEndpoint`` and as a ``dcat:DataService``), the dumps (``void:dataDump`` and one
``dcat:Distribution`` each, gzip-compressed), the vocabularies used and a few example resources.

Service URLs (endpoint, dumps, landing page) are this server's, as the client reached it; resource
IRIs stay canonical.  Nodes have IRIs (``…/dataset#class-Contract``), not blank nodes, so that the
JSON-LD and Turtle of the description are the same set of triples.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from policygraph.linked_data.addressing import IriSpace
from policygraph.linked_data.describe import PREFIX_LINES
from policygraph.linked_data.dumps import DUMP_FORMATS, dump_name
from policygraph.model.namespaces import DCAT, DCTERMS, FOAF, IGEO, ORG, PG, PROV, SKOS, VOID
from policygraph.store.base import Store

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
IANA = "http://www.iana.org/assignments/media-types/"
# The data is published under the Licence Ouverte / Open Licence 2.0 of Etalab, the licence of
# French public data, which the official geography it includes is also under.
DATA_LICENCE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
TITLE = {"en": "policygraph: French public-policy contracts",
         "fr": "policygraph : contrats de politique publique"}
DESCRIPTION = {
    "en": "The contracts by which the French State and local authorities commit measures and money to "
          "territories (contrats de plan État-Région, contrats de ville, ERBM, Pacte Sambre-Avesnois-"
          "Thiérache…): parties, axes, measures, commitments and amounts, territories (official 2026 "
          "geography of Hauts-de-France), each fact traced to the passage of the source document that states it.",
    "fr": "Les contrats par lesquels l'État et les collectivités engagent des mesures et des moyens pour des "
          "territoires (contrats de plan État-Région, contrats de ville, ERBM, Pacte Sambre-Avesnois-Thiérache…) : "
          "parties, axes, mesures, engagements et montants, territoires (géographie officielle 2026 des "
          "Hauts-de-France), chaque fait rattaché au passage du document source qui l'énonce.",
}
EXAMPLES = ("id/contract/erbm", "id/contract/perr-le-quesnoy", "id/territory/commune/59481", "id/actor/region/32")
VOCABULARIES = (str(PG), str(SKOS), str(DCTERMS), str(PROV), str(ORG), str(FOAF), str(IGEO), str(DCAT))


@dataclass
class Statistics:
    graphs: dict[str | None, int]
    triples: int
    entities: int
    properties: int
    classes: dict[str, int]
    sources: list[str]


def statistics(store: Store, base: str) -> Statistics:
    """Counts of the current data (a few aggregate queries; cached per generation by the caller)."""
    graphs = store.graph_counts()
    totals = store.select_json("SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?p) AS ?p) WHERE { ?s ?p ?o }", union=True)
    entities = store.select_json(f"""SELECT (COUNT(DISTINCT ?s) AS ?e) WHERE {{ ?s ?p ?o
      FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/")) }}""", union=True)
    classes = store.select_json(PREFIX_LINES + """SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c }
      GROUP BY ?c ORDER BY DESC(?n) ?c""", union=True)
    sources = store.select_json(PREFIX_LINES + f"""SELECT DISTINCT ?d WHERE {{
      {{ ?d a pg:SourceDocument }} UNION {{ ?d a <{DCAT}Dataset> FILTER(STRSTARTS(STR(?d), "{base}id/")) }}
    }} ORDER BY ?d""", union=True)
    row = totals[0] if totals else {}
    return Statistics(graphs, _int(row.get("t")), _int(entities[0].get("e")) if entities else 0, _int(row.get("p")),
                      {r["c"].value: _int(r["n"]) for r in classes if isinstance(r.get("c"), ox.NamedNode)},
                      [r["d"].value for r in sources])


def _int(term) -> int:
    return int(term.value) if term is not None else 0


def dataset_iri(base: str) -> str:
    return base + "dataset"


def describe_dataset(stats: Statistics, space: IriSpace) -> list[ox.Triple]:
    n, lit = ox.NamedNode, ox.Literal
    ds = n(dataset_iri(space.base))
    out: list[ox.Triple] = []

    def add(s, p: str, o) -> None:
        out.append(ox.Triple(s, n(p), o))

    def integer(value: int) -> ox.Literal:
        return lit(str(value), datatype=n(XSD + "integer"))

    add(ds, RDF_TYPE, n(str(VOID.Dataset)))
    add(ds, RDF_TYPE, n(str(DCAT.Dataset)))
    for lang, text in TITLE.items():
        add(ds, str(DCTERMS.title), lit(text, language=lang))
    for lang, text in DESCRIPTION.items():
        add(ds, str(DCTERMS.description), lit(text, language=lang))
    add(ds, str(DCTERMS.license), n(DATA_LICENCE))
    add(ds, str(DCTERMS.conformsTo), n(space.base + "def"))
    add(ds, str(DCAT.landingPage), n(space.public + "/"))
    for source in stats.sources:
        add(ds, str(DCTERMS.source), n(source))
    add(ds, str(VOID.sparqlEndpoint), n(space.public + "/sparql"))
    add(ds, str(VOID.uriSpace), lit(space.base + "id/"))
    for vocabulary in VOCABULARIES:
        add(ds, str(VOID.vocabulary), n(vocabulary))
    for example in EXAMPLES:
        add(ds, str(VOID.exampleResource), n(space.base + example))
    add(ds, str(VOID.triples), integer(stats.triples))
    add(ds, str(VOID.entities), integer(stats.entities))
    add(ds, str(VOID.properties), integer(stats.properties))
    add(ds, str(VOID.classes), integer(len(stats.classes)))
    fragments: set[str] = set()
    for cls, count in stats.classes.items():
        fragment = _fragment(cls)
        while fragment in fragments:
            fragment += "-"
        fragments.add(fragment)
        part = n(ds.value + "#class-" + fragment)
        add(ds, str(VOID.classPartition), part)
        add(part, str(VOID["class"]), n(cls))
        add(part, str(VOID.entities), integer(count))
    for graph, count in sorted(((g, c) for g, c in stats.graphs.items() if g is not None)):
        subset = n(graph)
        add(ds, str(VOID.subset), subset)
        add(subset, RDF_TYPE, n(str(VOID.Dataset)))
        add(subset, str(VOID.triples), integer(count))
    service = n(ds.value + "#sparql")
    add(service, RDF_TYPE, n(str(DCAT.DataService)))
    add(service, str(DCAT.endpointURL), n(space.public + "/sparql"))
    add(service, str(DCAT.endpointDescription), n(space.public + "/sparql"))
    add(service, str(DCAT.servesDataset), ds)
    add(service, str(DCTERMS.conformsTo), n("https://www.w3.org/TR/sparql11-protocol/"))
    for ext, fmt in DUMP_FORMATS.items():
        url = n(f"{space.public}/dumps/{dump_name(ext)}")
        distribution = n(ds.value + "#dump-" + ext)
        add(ds, str(VOID.dataDump), url)
        add(ds, str(DCAT.distribution), distribution)
        add(distribution, RDF_TYPE, n(str(DCAT.Distribution)))
        add(distribution, str(DCTERMS.title), lit(fmt.title, language="en"))
        add(distribution, str(DCAT.downloadURL), url)
        add(distribution, str(DCAT.mediaType), n(IANA + fmt.media_type))
        add(distribution, str(DCAT.compressFormat), n(IANA + "application/gzip"))
        add(distribution, str(DCTERMS.license), n(DATA_LICENCE))
    return out


def _fragment(iri: str) -> str:
    tail = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    prefix = "pg-" if iri.startswith(str(PG)) else ""
    return prefix + "".join(c if c.isalnum() or c in "-_" else "-" for c in tail)
