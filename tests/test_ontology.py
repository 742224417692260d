"""The ontology is well formed: every term documented in both languages, nothing imported, and
every pg: term the data and shapes use is one the ontology defines."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from policygraph.model.dataset import project_root
from policygraph.model.namespaces import PG
from policygraph.validation.validator import shipped_graph

ROOT = project_root()
ONTOLOGY_IRI = URIRef("https://w3id.org/policygraph/def")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "policygraph.ttl", format="turtle")


def _terms(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(PG))}


def _languages(graph: Graph, node, predicate) -> set[str]:
    return {o.language for o in graph.objects(node, predicate) if isinstance(o, Literal)}


def test_every_term_is_documented_in_french_and_english(ontology):
    problems = []
    for term in sorted(_terms(ontology)):
        for predicate in (RDFS.label, SKOS.definition):
            missing = {"fr", "en"} - _languages(ontology, term, predicate)
            if missing:
                problems.append(f"{term}: no {predicate.n3(ontology.namespace_manager)} in {sorted(missing)}")
        if (term, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology:
            problems.append(f"{term}: no rdfs:isDefinedBy <{ONTOLOGY_IRI}>")
        if not set(ontology.objects(term, RDF.type)) & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                                                        OWL.AnnotationProperty}:
            problems.append(f"{term}: neither a class nor a property")
    assert len(_terms(ontology)) > 100
    assert not problems, "\n".join(problems)


def test_one_label_per_language(ontology):
    doubled = [f"{t} ({lang})" for t in _terms(ontology) for lang in ("fr", "en")
               if [o.language for o in ontology.objects(t, RDFS.label)].count(lang) > 1]
    assert doubled == []


def test_nothing_is_imported():
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        graph = Graph().parse(path, format="turtle")
        assert list(graph.triples((None, OWL.imports, None))) == [], path.name


def test_the_ontology_describes_itself(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert {"fr", "en"} <= _languages(ontology, ONTOLOGY_IRI, RDFS.label)
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) is not None


def test_data_and_shapes_use_only_defined_terms(ontology):
    """A misspelt property (pg:startyear) would escape every shape: catch it here."""
    defined = _terms(ontology)
    used = Graph()
    used += shipped_graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        used.parse(path, format="turtle")
    undefined = {t for triple in used for t in triple
                 if isinstance(t, URIRef) and str(t).startswith(str(PG)) and t not in defined}
    assert sorted(map(str, undefined)) == []
