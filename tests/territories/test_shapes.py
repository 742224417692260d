"""shapes/territories.ttl: valid SHACL, every constraint explained in French and English, and each
invalid fixture of tests/shapes/territories/ caught exactly as its ``# expect:`` line says."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SKOS

from policygraph.model.dataset import project_root
from policygraph.model.namespaces import ID, IGEO, PG, SH, SH_PG

SHAPES = project_root() / "shapes" / "territories.ttl"
FIXTURES = project_root() / "tests" / "shapes" / "territories"
INVALID = sorted(p for p in FIXTURES.glob("*.ttl") if p.name != "valid.ttl")
XSD_GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")
PREFIXES = {"pg": str(PG), "sh": str(SH), "pgs": str(SH_PG), "skos": "http://www.w3.org/2004/02/skos/core#"}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES)


def test_shapes_are_valid_shacl(shapes):
    # meta_shacl=True checks the shapes graph against the SHACL-SHACL shapes first and raises if invalid.
    conforms, _, text = validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_every_constraint_is_named_graded_and_explained_in_two_languages(shapes):
    problems = []
    for shape in set(shapes.subjects(RDF.type, SH.PropertyShape)):
        names = {lit.language for lit in shapes.objects(shape, SH.name) if isinstance(lit, Literal)}
        messages = {lit.language for lit in shapes.objects(shape, SH.message) if isinstance(lit, Literal)}
        if shapes.value(shape, SH.severity) is None:
            problems.append(f"{shape}: no sh:severity")
        if not {"fr", "en"} <= names:
            problems.append(f"{shape}: sh:name in {names}")
        if not {"fr", "en"} <= messages:
            problems.append(f"{shape}: sh:message in {messages}")
    for constraint in set(shapes.objects(None, SH.sparql)):
        messages = {lit.language for lit in shapes.objects(constraint, SH.message)}
        if not {"fr", "en"} <= messages:
            problems.append(f"SPARQL constraint of {next(shapes.subjects(SH.sparql, constraint))}: {messages}")
    # Node shapes only group property shapes: a constraint placed on one directly would escape the check.
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        own = {p for p in shapes.predicates(shape, None)} - {RDF.type, SH.targetClass, SH.property}
        if own:
            problems.append(f"{shape}: constraints on a node shape {sorted(own)}")
    # Every property shape in use is declared as one, so none escapes the loop above.
    assert set(shapes.objects(None, SH.property)) == set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert not problems, "\n".join(problems)


def test_valid_sample_conforms(shapes):
    data = Graph().parse(FIXTURES / "valid.ttl")
    assert len(data) > 50
    conforms, _, text = validate(data, shacl_graph=shapes, inference="none")
    assert conforms, text


# --- invalid fixtures ------------------------------------------------------------------------


def _term(text: str) -> URIRef:
    if ":" in text and not text.startswith("http"):
        prefix, local = text.split(":", 1)
        return URIRef(PREFIXES[prefix] + local)
    return URIRef(text) if text.startswith("http") else ID[text]


def _path_text(g: Graph, node) -> str:
    """A SHACL path as SPARQL-like text, so expected paths can be written on one comment line."""
    if isinstance(node, URIRef):
        for prefix, ns in PREFIXES.items():
            if str(node).startswith(ns):
                return f"{prefix}:{str(node)[len(ns):]}"
        return f"<{node}>"
    assert isinstance(node, BNode)
    if (node, RDF.first, None) in g:
        return "(" + "/".join(_path_text(g, step) for step in Collection(g, node)) + ")"
    inverse = g.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(g, inverse)
    optional = g.value(node, SH.zeroOrOnePath)
    if optional is not None:
        return _path_text(g, optional) + "?"
    raise AssertionError(f"path form not handled: {list(g.predicate_objects(node))}")


def _expectation(path: Path) -> dict[str, str]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# expect:")]
    assert len(lines) == 1, f"{path.name}: one '# expect:' line needed"
    return dict(token.split("=", 1) for token in lines[0][len("# expect:"):].split())


def test_there_is_an_invalid_fixture_for_every_kind_of_constraint():
    components = {_expectation(p)["component"] for p in INVALID}
    assert components >= {
        "sh:PatternConstraintComponent", "sh:SPARQLConstraintComponent", "sh:ClassConstraintComponent",
        "sh:MinCountConstraintComponent", "sh:InConstraintComponent", "sh:MinInclusiveConstraintComponent",
        "sh:DatatypeConstraintComponent", "sh:QualifiedMinCountConstraintComponent",
        "sh:UniqueLangConstraintComponent",
    }


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_gives_exactly_the_expected_violation(fixture, shapes):
    expected = _expectation(fixture)
    data = Graph().parse(fixture)
    conforms, report, text = validate(data, shacl_graph=shapes, inference="none")
    assert not conforms
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    assert len(results) == 1, text
    result = results[0]
    assert report.value(result, SH.focusNode) == _term(expected["focus"]), text
    assert _path_text(report, report.value(result, SH.resultPath)) == expected["path"], text
    assert report.value(result, SH.sourceConstraintComponent) == _term(expected["component"]), text
    assert report.value(result, SH.sourceShape) == _term(expected["shape"]), text
    assert report.value(result, SH.resultSeverity) == SH.Violation
    if "value" in expected:
        assert report.value(result, SH.value) == _term(expected["value"]), text
    # The report carries the shape's French and English messages.  (pyshacl drops the language tags
    # of every message of a SPARQL-based result, so the texts are compared, not the literals.)
    shape_messages = {m.language: str(m) for m in shapes.objects(_term(expected["shape"]), SH.message)}
    assert set(shape_messages) == {"fr", "en"}
    assert set(shape_messages.values()) <= {str(m) for m in report.objects(result, SH.resultMessage)}, text


# --- code patterns, on every kind of code the COG uses ---------------------------------------

CODES = {
    # IRI segment: (class, valid codes, invalid codes)
    "departement": (PG.Departement, ["01", "19", "21", "29", "2A", "2B", "30", "95", "971", "974", "976"],
                    ["00", "20", "2C", "96", "970", "975", "977", "1", "590"]),
    "arrondissement": (PG.Arrondissement, ["011", "212", "2A1", "2B2", "591", "9711", "9741"],
                       ["01", "201", "591A", "9751", "0011"]),
    "region": (PG.Region, ["01", "06", "32", "94"], ["1", "320", "9A"]),
    "commune": (PG.Commune, ["01001", "2A004", "2B033", "59481", "97611", "97502", "98411"],
                ["5948", "594811", "2C004", "A9481", "59 481"]),
    "collectivite-outre-mer": (IGEO.CollectiviteDOutreMer, ["975", "977", "978", "984", "989"],
                               ["976", "979", "983", "990", "97"]),
}


@pytest.mark.parametrize("kind", sorted(CODES))
def test_code_patterns(kind, shapes):
    cls, good, bad = CODES[kind]
    data = Graph()
    for code in good + bad:
        node = ID[f"territory/{kind}/{code.replace(' ', '_')}"]
        data.add((node, RDF.type, cls))
        data.add((node, SKOS.prefLabel, Literal(f"test {code}", lang="fr")))
        data.add((node, PG.inseeCode, Literal(code)))
        data.add((node, PG.millesime, Literal("2026", datatype=XSD_GYEAR)))
    _, report, _ = validate(data, shacl_graph=shapes, inference="none")
    flagged = {str(report.value(r, SH.value)) for r in report.subjects(RDF.type, SH.ValidationResult)
               if report.value(r, SH.resultPath) == PG.inseeCode}
    assert flagged == set(bad)
