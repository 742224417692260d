"""The validation core: the Validator, its report and renderers, and the ``validate`` command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.extras.shacl import parse_shacl_path
from rdflib.namespace import RDF

from policygraph.errors import DataSyntaxError, UnsupportedMediaType
from policygraph.model.dataset import project_root
from policygraph.model.namespaces import ID, PG, SH, SH_PG
from policygraph.model.rdffiles import parse_file
from policygraph.validation.files import run_validate
from policygraph.validation.report import ValidationReport, render_path
from policygraph.validation.validator import Validator

ROOT = project_root()
FIXTURES = ROOT / "tests" / "shapes"

# Two shapes, one per severity, with messages in both languages.
SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix pg: <https://w3id.org/policygraph/def#> .
@prefix pgs: <https://w3id.org/policygraph/shapes#> .
pgs:C a sh:NodeShape ; sh:targetClass pg:Contract ; sh:property pgs:C-kind , pgs:C-scope .
pgs:C-kind a sh:PropertyShape ; sh:path pg:kind ; sh:minCount 1 ; sh:severity sh:Violation ;
    sh:message "Il manque le type."@fr , "The kind is missing."@en .
pgs:C-scope a sh:PropertyShape ; sh:path pg:scope ; sh:minCount 1 ; sh:severity sh:Warning ;
    sh:message "Il manque le périmètre."@fr , "The scope is missing."@en .
"""
DATA = """
@base <https://w3id.org/policygraph/id/> .
@prefix pg: <https://w3id.org/policygraph/def#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<contract/a> a pg:Contract ; skos:prefLabel "Contrat A"@fr , "Contract A"@en ; pg:kind <k> .
<contract/b> a pg:Amendment ; skos:prefLabel "Avenant B"@fr .
"""
SUBCLASS = "@prefix pg: <https://w3id.org/policygraph/def#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . " \
           "pg:Amendment rdfs:subClassOf pg:Contract ."


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(Graph().parse(data=SHAPES, format="turtle"))


def _data(*extra: str) -> Graph:
    g = Graph().parse(data=DATA, format="turtle")
    for text in extra:
        g.parse(data=text, format="turtle")
    return g


def test_warnings_alone_conform(validator):
    report = validator.validate(Graph().parse(data=DATA.split("<contract/b>")[0], format="turtle"))
    assert report.conforms
    assert report.counts == {"Violation": 0, "Warning": 1, "Info": 0}


def test_a_result_carries_everything_a_reader_needs(validator):
    report = validator.validate(_data(SUBCLASS))
    assert not report.conforms
    violation = next(r for r in report.results if r.severity == "Violation")
    assert violation.focus_node == ID["contract/b"]
    assert violation.focus_label("fr") == "Avenant B"
    assert violation.path == "pg:kind"
    assert violation.value is None
    assert violation.source_shape == SH_PG["C-kind"]
    assert violation.constraint_component == SH.MinCountConstraintComponent
    assert violation.message("fr") == "Il manque le type."
    assert violation.message("en") == "The kind is missing."
    # Most serious first.
    assert [r.severity for r in report.results] == ["Violation", "Warning", "Warning"]


def test_subclasses_are_targeted_through_the_ontology_in_the_data(validator):
    # Without rdfs:subClassOf in the data, the amendment is not a contract for SHACL…
    alone = validator.validate(_data())
    assert ID["contract/b"] not in {r.focus_node for r in alone.results}
    # …with the ontology in the data (as dataset.data_graph() has it), or given as ont_graph, it is.
    assert ID["contract/b"] in {r.focus_node for r in validator.validate(_data(SUBCLASS)).results}
    with_ontology = validator.validate(_data(), ont_graph=Graph().parse(data=SUBCLASS, format="turtle"))
    assert ID["contract/b"] in {r.focus_node for r in with_ontology.results}


def test_validation_leaves_the_data_unchanged(validator):
    data = _data()
    before = set(data)
    validator.validate(data, ont_graph=Graph().parse(data=SUBCLASS, format="turtle"))
    assert set(data) == before


def test_text_report_in_each_language(validator):
    report = validator.validate(_data(SUBCLASS))
    fr, en = report.to_text("fr"), report.to_text("en")
    assert fr.startswith("Validation SHACL : NON CONFORME — 1 violation(s), 2 avertissement(s)")
    assert "Il manque le type." in fr and "The kind is missing." not in fr
    assert "<contract/b>  « Avenant B »" in fr
    assert en.startswith("SHACL validation: DOES NOT CONFORM — 1 violation(s), 2 warning(s)")
    assert "The kind is missing." in en and "<contract/b>  “Avenant B”" in en


def test_json_report(validator):
    body = json.loads(validator.validate(_data(SUBCLASS)).to_json("en"))
    assert body["conforms"] is False
    assert body["counts"] == {"Violation": 1, "Warning": 2, "Info": 0}
    assert body["results"][0] == {
        "severity": "Violation",
        "focusNode": str(ID["contract/b"]),
        "focusLabel": "Avenant B",
        "path": "pg:kind",
        "value": None,
        "message": "The kind is missing.",
        "sourceShape": str(SH_PG["C-kind"]),
        "constraintComponent": str(SH.MinCountConstraintComponent),
    }


def test_rdf_report_round_trips_through_turtle_and_json_ld(validator):
    report = validator.validate(_data(SUBCLASS))
    for fmt in ("turtle", "json-ld"):
        again = ValidationReport.from_graph(Graph().parse(data=report.to_graph().serialize(format=fmt), format=fmt))
        assert again.conforms == report.conforms
        assert {(r.focus_node, r.path, r.source_shape, r.severity) for r in again.results} == \
               {(r.focus_node, r.path, r.source_shape, r.severity) for r in report.results}


def test_parsing_sparql_once_does_not_change_the_results():
    """The validator's prepared-query graph gives pySHACL's own results on SPARQL constraints."""
    shapes_files = sorted(p for p in (ROOT / "shapes").glob("*.ttl") if p.name != "territories.ttl")
    data = Graph()
    for path in [*sorted((ROOT / "ontology").glob("*.ttl")), FIXTURES / "world.ttl",
                 FIXTURES / "invalid" / "axes-measures.ttl", FIXTURES / "invalid" / "dates.ttl"]:
        data.parse(path, format="turtle")
    validator = Validator.from_files(shapes_files)
    ours = validator.validate(data)
    _conforms, graph, _text = pyshacl.validate(data, shacl_graph=validator.shapes, allow_warnings=True)
    plain = ValidationReport.from_graph(graph)

    def key(report):
        return sorted((str(r.focus_node), r.path or "", str(r.source_shape), str(r.value)) for r in report.results)

    assert any(r.constraint_component == SH.SPARQLConstraintComponent for r in ours.results)
    assert key(ours) == key(plain)


@pytest.mark.parametrize("path", [
    "[ sh:alternativePath ( pg:axisOf [ sh:inversePath pg:hasAxis ] ) ]",
    "( pg:inAxis [ sh:zeroOrMorePath pg:parentAxis ] pg:axisOf )",
    "[ sh:inversePath ( pg:inAxis pg:axisOf ) ]",
    "[ sh:oneOrMorePath [ sh:alternativePath ( pg:parentAxis [ sh:inversePath pg:hasAxis ] ) ] ]",
    "[ sh:zeroOrOnePath [ sh:inversePath pg:parentAxis ] ]",
])
def test_rendered_paths_are_sparql_with_the_same_meaning(path):
    """A rendered path, run as SPARQL, reaches the same nodes as the SHACL path it renders."""
    shapes = Graph().parse(data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix pg: <https://w3id.org/policygraph/def#> . <urn:s> sh:path {path} .""", format="turtle")
    node = shapes.value(URIRef("urn:s"), SH.path)
    data = Graph().parse(data="""@prefix pg: <https://w3id.org/policygraph/def#> .
        <urn:m> pg:inAxis <urn:a2> . <urn:a2> pg:parentAxis <urn:a1> . <urn:a1> pg:axisOf <urn:c> .
        <urn:c> pg:hasAxis <urn:a1> . <urn:a2> pg:axisOf <urn:c2> .""", format="turtle")
    rendered = render_path(shapes, node)
    expected = {(s, o) for s in set(data.all_nodes()) for o in data.objects(s, parse_shacl_path(shapes, node))}
    query = f"PREFIX pg: <{PG}> SELECT ?s ?o WHERE {{ ?s {rendered} ?o }}"
    assert {(row.s, row.o) for row in data.query(query)} == expected
    assert expected  # the data gives the path something to find


# --- files -------------------------------------------------------------------------------------------

TRIPLE = '<https://w3id.org/policygraph/id/x> <https://w3id.org/policygraph/def#note> "n"@fr'


@pytest.mark.parametrize("name, text", [
    ("a.ttl", f"{TRIPLE} ."),
    ("a.nt", f"{TRIPLE} .\n"),
    ("a.trig", f"<urn:g> {{ {TRIPLE} . }}"),
    ("a.nq", f"{TRIPLE} <urn:g> .\n"),
    ("a.jsonld", json.dumps({"@id": str(ID["x"]), str(PG.note): {"@value": "n", "@language": "fr"}})),
    ("a.rdf", '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
              'xmlns:pg="https://w3id.org/policygraph/def#"><rdf:Description '
              'rdf:about="https://w3id.org/policygraph/id/x"><pg:note xml:lang="fr">n</pg:note>'
              '</rdf:Description></rdf:RDF>'),
])
def test_every_format_is_read_by_its_extension(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert set(parse_file(path)) == {(ID["x"], PG.note, Literal("n", lang="fr"))}


@pytest.mark.parametrize("name, text, line, column", [
    ("bad.ttl", '@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', 3, 18),  # the newline inside the string
    ("bad.trig", "<urn:g> {\n <urn:a> <urn:b> <urn:c>\n <urn:d> }\n", 3, 2),
    ("bad.nt", "<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n", 2, 1),
    ("bad.nq", '<urn:a> <urn:b> <urn:c> <urn:g> .\n\n<urn:a> <urn:b> "x <urn:g> .\n', 3, 1),
    ("bad.jsonld", '{"@id": "urn:a",\n  "urn:b": [1,}\n', 2, 15),
    ("bad.rdf", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                '<rdf:Description rdf:about="urn:a">\n</rdf:RDF>\n', 4, 3),
])
def test_a_syntax_error_names_file_line_and_column(tmp_path, name, text, line, column):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataSyntaxError) as caught:
        parse_file(path)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert caught.value.detail.startswith(f"{path}:{line}:{column}: ")


def test_an_unknown_extension_is_refused(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(UnsupportedMediaType, match=r"unknown RDF file extension '\.csv'"):
        parse_file(path)


# --- the command, on a small project tree -----------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project tree: the real ontology and shapes (but the geography's), and the shape fixtures'
    valid world as its only data."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "shapes").mkdir()
    for path in (ROOT / "shapes").glob("*.ttl"):
        if path.name != "territories.ttl":
            shutil.copy(path, root / "shapes" / path.name)
    (root / "data" / "reference").mkdir(parents=True)
    shutil.copy(FIXTURES / "world.ttl", root / "data" / "reference" / "world.ttl")
    return root


def _run(project, files, fmt="text", lang="fr"):
    from io import StringIO
    out = StringIO()
    code = run_validate(files, fmt=fmt, lang=lang, full=False, root=project, out=out)
    return code, out.getvalue()


def test_command_exit_0_when_the_graph_conforms(project):
    code, out = _run(project, [])
    assert code == 0
    assert out.startswith("Validation SHACL : conforme — 0 violation(s)")


def test_command_validates_files_with_the_shipped_graph(project):
    # The fixture's measures reference the world's contract and axes: they resolve.
    code, out = _run(project, [FIXTURES / "invalid" / "axes-measures.ttl"], fmt="json", lang="en")
    body = json.loads(out)
    assert code == 1
    assert body["conforms"] is False
    shapes = {r["sourceShape"] for r in body["results"]}
    assert str(SH_PG["MeasureAxisInContract"]) in shapes
    # The world's own resources stay valid: no result on its contract.
    assert str(ID["contract/perr-le-quesnoy"]) not in {r["focusNode"] for r in body["results"]}


def test_command_prints_the_report_as_turtle(project):
    code, out = _run(project, [FIXTURES / "invalid" / "perimeters.ttl"], fmt="turtle")
    assert code == 1
    report = Graph().parse(data=out, format="turtle")
    assert (None, RDF.type, SH.ValidationReport) in report
    assert (None, SH.focusNode, ID["territory/qpv/QP59043"]) in report


def test_command_exit_2_on_a_syntax_error(project, tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    code, out = _run(project, [bad])
    assert code == 2 and out == ""
    assert f"{bad}:1:" in capsys.readouterr().err


def test_command_exit_2_on_a_shipped_file_with_a_syntax_error(project, tmp_path, capsys):
    broken = tmp_path / "broken"
    shutil.copytree(project, broken)
    (broken / "data" / "reference" / "oops.ttl").write_text("@prefix x: <urn:x> .\nx:a x:b\n", encoding="utf-8")
    code, _out = _run(broken, [])
    assert code == 2
    assert "oops.ttl:" in capsys.readouterr().err


@pytest.mark.parametrize("fmt, lang, message", [
    ("yaml", "fr", "unknown format 'yaml'"),
    ("text", "de", "unknown language 'de'"),
])
def test_command_exit_2_on_bad_options(project, capsys, fmt, lang, message):
    code, _out = _run(project, [], fmt=fmt, lang=lang)
    assert code == 2
    assert message in capsys.readouterr().err


def test_command_exit_2_on_a_missing_file(project, tmp_path, capsys):
    code, _out = _run(project, [tmp_path / "absent.ttl"])
    assert code == 2
    assert "absent.ttl: cannot read" in capsys.readouterr().err


def test_a_dataset_is_validated_across_its_named_graphs(validator):
    from rdflib import Dataset

    dataset = Dataset()
    dataset.graph(URIRef("urn:g:data")).parse(data=DATA, format="turtle")
    dataset.graph(URIRef("urn:g:ontology")).parse(data=SUBCLASS, format="turtle")
    report = validator.validate(dataset)
    assert ID["contract/b"] in {r.focus_node for r in report.results if r.severity == "Violation"}
