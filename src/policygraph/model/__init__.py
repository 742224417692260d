"""The model: what the graph is made of, independent of where it is stored or how it is served.

Owns the namespaces and IRI patterns, RDF terms across libraries (pyoxigraph, rdflib, JSON, N-Triples),
the shipped dataset (which file goes into which named graph), the media-type table, reading RDF files
with located errors, the deterministic Turtle writer and the JSON-LD context generated from the ontology.

May use: ``policygraph.errors`` and third-party RDF libraries. Nothing else of policygraph.
"""
