"""The SPARQL 1.1 Service Description of the endpoint (https://www.w3.org/TR/sparql11-service-description/).

Returned by ``GET /sparql`` without a query to clients that do not ask for HTML (§2: "a service
description … SHOULD be returned when the endpoint URL is dereferenced").  It lists the languages,
result and input formats, features (union default graph, federated query only when the operator
allow-listed endpoints), and the dataset: every named graph with its number of triples (VoID).
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from policygraph.model import formats
from policygraph.model.namespaces import SD, VOID, bind_prefixes
from policygraph.settings import Settings


def build(settings: Settings, endpoint: str, graph_counts: dict[str | None, int] | None) -> Graph:
    g = Graph()
    bind_prefixes(g)
    service = URIRef(endpoint + "#service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for fmt in (*formats.RESULT_FORMATS, *formats.GRAPH_OUTPUT_FORMATS):
        g.add((service, SD.resultFormat, URIRef(fmt.iri)))
    for fmt in formats.GRAPH_INPUT_FORMATS:
        g.add((service, SD.inputFormat, URIRef(fmt.iri)))
    if settings.union_default_graph:
        g.add((service, SD.feature, SD.UnionDefaultGraph))
    if settings.service_allowlist:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    if graph_counts is not None:
        g.add((default, VOID.triples, Literal(graph_counts.get(None, 0), datatype=XSD.integer)))
        for name, count in sorted((k, v) for k, v in graph_counts.items() if k is not None):
            named = BNode()
            graph = BNode()
            g.add((dataset, SD.namedGraph, named))
            g.add((named, RDF.type, SD.NamedGraph))
            g.add((named, SD.name, URIRef(name)))
            g.add((named, SD.graph, graph))
            g.add((graph, RDF.type, SD.Graph))
            g.add((graph, VOID.triples, Literal(count, datatype=XSD.integer)))
    return g
