"""The shapes themselves: valid SHACL, only real SHACL terms, and every constraint documented.

Run on every file of ``shapes/`` (the project-wide rules hold for all of them).
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from pyshacl.errors import ReportableRuntimeError
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from policygraph.model.dataset import project_root
from policygraph.model.namespaces import SH, SH_PG
from policygraph.validation.report import compact

SHAPE_FILES = sorted((project_root() / "shapes").glob("*.ttl"))
SHACL_VOCABULARY = Path(pyshacl.__file__).parent / "assets" / "shacl.ttl"
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
# Properties of a shape that do not constrain anything by themselves.
_NOT_CONSTRAINTS = {SH.property, SH.severity, SH.message, SH.name, SH.description, SH.deactivated,
                    SH.path, SH.order, SH.group, SH.prefixes, *_TARGETS}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    for path in SHAPE_FILES:
        g.parse(path, format="turtle")
    return g


def unknown_shacl_terms(shapes: Graph) -> list[str]:
    """sh: terms the SHACL vocabulary does not define (DCAT-AP's ``sh:shape`` is one: shapes using it
    never run, and SHACL-SHACL does not notice)."""
    vocabulary = Graph().parse(SHACL_VOCABULARY, format="turtle")
    defined = {s for s in vocabulary.subjects() if str(s).startswith(str(SH))}
    used = {t for triple in shapes for t in triple if isinstance(t, URIRef) and str(t).startswith(str(SH))}
    return sorted(compact(t) for t in used - defined)


def undocumented(shapes: Graph) -> list[str]:
    """Constraints missing a severity, a French and an English message, or a French and an English name.

    A property shape of a targeted node shape reports its own results: it needs all three.  A
    targeted node shape with constraints of its own needs a severity and a label; its messages sit
    on the shape (core constraints) or on its sh:sparql constraint.
    """
    problems = []

    def langs(node, predicate):
        return {o.language for o in shapes.objects(node, predicate) if isinstance(o, Literal)}

    for shape in {s for t in _TARGETS for s in shapes.subjects(t, None)}:
        direct = [p for p in shapes.predicates(shape) if str(p).startswith(str(SH)) and p not in _NOT_CONSTRAINTS]
        if direct:
            if len(list(shapes.objects(shape, SH.severity))) != 1:
                problems.append(f"{compact(shape)}: no single sh:severity")
            if not {"fr", "en"} <= langs(shape, RDFS.label) | langs(shape, SH.name):
                problems.append(f"{compact(shape)}: no label in fr and en")
            holders = list(shapes.objects(shape, SH.sparql)) or [shape]
            for holder in holders:
                if not {"fr", "en"} <= langs(holder, SH.message):
                    problems.append(f"{compact(shape)}: no sh:message in fr and en")
        for prop in shapes.objects(shape, SH.property):
            if len(list(shapes.objects(prop, SH.severity))) != 1:
                problems.append(f"{compact(prop)}: no single sh:severity")
            for predicate in (SH.name, SH.message):
                if not {"fr", "en"} <= langs(prop, predicate):
                    problems.append(f"{compact(prop)}: no {compact(predicate)} in fr and en")
    return sorted(set(problems))


def test_shapes_conform_to_shacl_shacl(shapes):
    # meta_shacl=True validates the shapes graph against SHACL-SHACL first, and raises if it fails.
    conforms, _graph, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_shapes_use_only_shacl_terms(shapes):
    assert unknown_shacl_terms(shapes) == []


def test_every_constraint_has_severity_name_and_messages(shapes):
    assert undocumented(shapes) == []


def test_named_shapes_live_in_the_shapes_namespace(shapes):
    shape_nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    outside = sorted(str(s) for s in shape_nodes if isinstance(s, URIRef) and not str(s).startswith(str(SH_PG)))
    assert outside == []


def test_every_property_shape_has_one_path(shapes):
    props = set(shapes.objects(None, SH.property)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    wrong = sorted(compact(p) for p in props if len(list(shapes.objects(p, SH.path))) != 1)
    assert wrong == []


# --- the checks above can fail ----------------------------------------------------------------------

_BROKEN = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix pgs: <https://w3id.org/policygraph/shapes#> .
@prefix pg: <https://w3id.org/policygraph/def#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
pgs:Broken a sh:NodeShape ; sh:targetClass pg:Contract ;
    sh:property [ sh:path pg:kind ; sh:shape pgs:Kind ; sh:message "sans anglais"@fr ] ;
    sh:class pg:Contract .
"""


def test_the_lint_catches_a_non_shacl_term_and_a_missing_message():
    broken = Graph().parse(data=_BROKEN, format="turtle")
    assert unknown_shacl_terms(broken) == ["sh:shape"]
    problems = undocumented(broken)
    assert "pgs:Broken: no single sh:severity" in problems
    assert "pgs:Broken: no sh:message in fr and en" in problems
    assert any(p.endswith("no sh:message in fr and en") and not p.startswith("pgs:") for p in problems)


def test_meta_shacl_catches_a_malformed_constraint():
    broken = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix pg: <https://w3id.org/policygraph/def#> .
        <https://w3id.org/policygraph/shapes#Bad> a sh:NodeShape ; sh:targetClass pg:Contract ;
            sh:property [ sh:path pg:kind ; sh:minCount "one" ] .""", format="turtle")
    with pytest.raises(ReportableRuntimeError, match="SHACL-SHACL|MetaSHACL"):
        pyshacl.validate(Graph(), shacl_graph=broken, meta_shacl=True)
