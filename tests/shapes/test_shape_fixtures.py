"""Every shape is tested by fixtures: valid data gives no result, invalid data gives exactly the
results its header declares.

Each fixture is added to ``world.ttl`` (a small valid world) and to the ontology and vocabularies,
then validated against the shapes.  An invalid fixture declares every result it must produce, one
line each::

    # expect: Violation | <contract/x> | pg:kind | sh:MinCountConstraintComponent | pgs:Contract-kind

(severity | focus node | path in SPARQL syntax, or ``-`` for none | constraint component | source
shape; the fields are separated by " | " with its spaces).  Focus
nodes in ``<…>`` are relative to ``https://w3id.org/policygraph/id/`` like the data files.  The
comparison is exact, so a constraint that silently never runs (a typo such as ``sh:shape``, a
datatype pySHACL cannot compare) fails its fixture instead of passing unnoticed.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.extras.shacl import parse_shacl_path
from rdflib.namespace import RDF, RDFS

from policygraph.model.dataset import project_root
from policygraph.model.namespaces import ID, PREFIXES, SH
from policygraph.validation.report import compact
from policygraph.validation.validator import Validator

HERE = Path(__file__).parent
ROOT = project_root()
WORLD = HERE / "world.ttl"
VALID = sorted((HERE / "valid").glob("*.ttl"))
INVALID = sorted((HERE / "invalid").glob("*.ttl"))
# The official-geography shapes have their own fixtures (tests/shapes/territories/): around every
# fixture here they would demand a whole geography.
SHAPE_FILES = sorted(p for p in (ROOT / "shapes").glob("*.ttl") if p.name != "territories.ttl")

_EXPECT = re.compile(r"^#\s*expect:\s*(.+?)\s*$")
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
# Shape properties that do not constrain anything by themselves.
_NOT_CONSTRAINTS = {SH.property, SH.severity, SH.message, SH.name, SH.description, SH.deactivated,
                    SH.path, SH.order, SH.group, SH.prefixes, *_TARGETS}


def _term(text: str) -> URIRef:
    if text.startswith("<") and text.endswith(">"):
        inner = text[1:-1]
        return URIRef(inner if "://" in inner else str(ID) + inner)
    prefix, _, local = text.partition(":")
    return URIRef(str(PREFIXES[prefix]) + local)


def expected_results(path: Path) -> Counter:
    found = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _EXPECT.match(line)
        if m:
            # " | " with its spaces: a path may itself contain "|" (pg:axisOf|^pg:hasAxis).
            severity, focus, result_path, component, shape = (part.strip() for part in m.group(1).split(" | "))
            found[(severity, _term(focus), None if result_path == "-" else result_path,
                   _term(component), _term(shape))] += 1
    return found


def actual_results(report) -> Counter:
    return Counter((r.severity, r.focus_node, r.path, r.constraint_component, r.source_shape)
                   for r in report.results)


def as_expect_lines(results: Counter) -> str:
    """Results written as ``# expect:`` lines: what a failing test shows."""
    lines = []
    for (severity, focus, path, component, shape), n in sorted(results.items(), key=str):
        lines += [f"# expect: {severity} | {compact(focus)} | {path or '-'} | {compact(component)} | "
                  f"{compact(shape)}"] * n
    return "\n".join(lines)


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator.from_files(SHAPE_FILES)


@pytest.fixture(scope="module")
def world() -> Graph:
    g = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        g.parse(path, format="turtle")
    g.parse(WORLD, format="turtle")
    return g


def with_fixture(world: Graph, path: Path) -> Graph:
    g = Graph()
    g += world
    g.parse(path, format="turtle")
    return g


def test_the_world_is_valid(validator, world):
    report = validator.validate(world)
    assert not report.results, "world.ttl must give no result:\n" + as_expect_lines(actual_results(report))


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_gives_no_result(validator, world, path):
    report = validator.validate(with_fixture(world, path))
    assert not report.results, f"{path.name} must give no result:\n" + as_expect_lines(actual_results(report))


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_gives_exactly_the_expected_results(validator, world, path):
    expected = expected_results(path)
    assert expected, f"{path.name} declares no '# expect:' line"
    actual = actual_results(validator.validate(with_fixture(world, path)))
    missing, unexpected = expected - actual, actual - expected
    assert not missing and not unexpected, (
        f"{path.name}\nexpected but not reported:\n{as_expect_lines(missing)}\n"
        f"reported but not expected:\n{as_expect_lines(unexpected)}")


# --- coverage: every shape that can report has both kinds of fixture -----------------------------

def reporting_shapes(shapes: Graph) -> dict[URIRef, URIRef | None]:
    """Shapes whose results surface in a report → the node shape that targets for them (None for
    a node shape itself).  Helper shapes only reached through sh:node are not listed: they report
    through the shape that uses them."""
    found: dict[URIRef, URIRef | None] = {}
    for node in set(shapes.subjects()):
        if not any((node, t, None) in shapes for t in _TARGETS):
            continue
        if any(p not in _NOT_CONSTRAINTS and str(p).startswith(str(SH)) for p in shapes.predicates(node)) \
                or (node, SH.sparql, None) in shapes:
            found[node] = None
        for prop in shapes.objects(node, SH.property):
            found[prop] = node
    return found


def focus_nodes(shapes: Graph, shape: URIRef, data: Graph) -> set:
    """The focus nodes of a node shape's targets (https://www.w3.org/TR/shacl/#targets)."""
    nodes = set(shapes.objects(shape, SH.targetNode))
    for cls in shapes.objects(shape, SH.targetClass):
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            nodes |= set(data.subjects(RDF.type, sub))
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        nodes |= set(data.subjects(p, None))
    for p in shapes.objects(shape, SH.targetObjectsOf):
        nodes |= set(data.objects(None, p))
    return nodes


def exercised(shapes: Graph, shape: URIRef, parent: URIRef | None, data: Graph) -> bool:
    """Does ``data`` give ``shape`` something to check: a focus node, and for a property shape a
    value on its path (a shape that never sees a value proves nothing by staying silent)?"""
    if parent is None:
        return bool(focus_nodes(shapes, shape, data))
    path = parse_shacl_path(shapes, shapes.value(shape, SH.path))
    return any(next(iter(data.objects(f, path)), None) is not None
               for f in focus_nodes(shapes, parent, data))


def test_every_shape_has_an_invalid_fixture(validator):
    declared = {key[4] for path in INVALID for key in expected_results(path)}
    missing = sorted(compact(s) for s in reporting_shapes(validator.shapes) if s not in declared)
    assert not missing, "shapes no invalid fixture expects a result from:\n" + "\n".join(missing)


def test_every_shape_is_exercised_by_a_valid_fixture(validator, world):
    shapes = validator.shapes
    graphs = [world] + [with_fixture(world, p) for p in VALID]
    missing = sorted(compact(shape) for shape, parent in reporting_shapes(shapes).items()
                     if not any(exercised(shapes, shape, parent, g) for g in graphs))
    assert not missing, "shapes no valid fixture gives anything to check:\n" + "\n".join(missing)


def test_a_silent_constraint_is_caught(validator, world, tmp_path):
    """The harness itself can fail: a fixture expecting a result its data does not produce."""
    fixture = tmp_path / "silent.ttl"
    fixture.write_text(
        "# expect: Violation | <contract/perr-le-quesnoy> | pg:kind | sh:MaxCountConstraintComponent | "
        "pgs:Contract-kind\n", encoding="utf-8")
    actual = actual_results(validator.validate(with_fixture(world, fixture)))
    assert expected_results(fixture) - actual  # expected, and not reported
