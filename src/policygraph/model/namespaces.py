"""Every namespace and IRI pattern of the project, in one place.

The canonical base is ``https://w3id.org/policygraph/``; a server running elsewhere maps
its own URLs onto it (see ``policygraph.settings``).  Instance IRIs are built from official
identifiers where they exist (INSEE codes, SIREN, QPV codes) and from stable slugs otherwise.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/policygraph/"

PG = Namespace(BASE + "def#")  # the ontology
SH_PG = Namespace(BASE + "shapes#")  # SHACL shapes
VOC = Namespace(BASE + "voc/")  # SKOS concept schemes: voc/{scheme}/{concept}
ID = Namespace(BASE + "id/")  # instance data
GRAPH = Namespace(BASE + "graph/")  # named graphs

IGEO = Namespace("http://rdf.insee.fr/def/geo#")
INSEE_GEO = Namespace("http://id.insee.fr/geo/")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
M8G = Namespace("http://data.europa.eu/m8g/")
EPO = Namespace("http://data.europa.eu/a4g/ontology#")
VANN = Namespace("http://purl.org/vocab/vann/")

# Named graphs: each kind of content in its own graph, each source document in its own.
ONTOLOGY_GRAPH = GRAPH["ontology"]
VOCABULARIES_GRAPH = GRAPH["vocabularies"]
SHAPES_GRAPH = GRAPH["shapes"]
TERRITORIES_GRAPH = GRAPH["territories"]
CHANGES_GRAPH = GRAPH["changes"]  # PROV records of steward changes


def source_graph(document_id: str) -> URIRef:
    """Named graph holding the facts drawn from one source document."""
    return GRAPH[f"source/{document_id}"]


def change_graph(change_id: str) -> URIRef:
    """Named graph holding the triples one steward change added."""
    return GRAPH[f"change/{change_id}"]


PREFIXES = {
    "pg": PG,
    "pgs": SH_PG,
    "voc": VOC,
    "id": ID,
    "igeo": IGEO,
    "schema": SCHEMA,
    "sh": SH,
    "void": VOID,
    "hydra": HYDRA,
    "sd": SD,
    "m8g": M8G,
    "epo": EPO,
    "vann": VANN,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dct": DCTERMS,
    "dcat": DCAT,
    "prov": PROV,
    "org": ORG,
    "foaf": FOAF,
}


def sparql_prefixes() -> str:
    """PREFIX lines for every project prefix, to prepend to generated queries."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def bind_prefixes(graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
