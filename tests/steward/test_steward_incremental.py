"""Incremental validation on the shipped graph: what each change breaks, found from the shapes' reach
(through paths, inverse paths, sh:class and SPARQL constraints reading neighbours), and the same
answer as two full validations: report = R(after) − R(before), resolved = R(before) − R(after)."""

from __future__ import annotations

import pytest
import samples
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from policygraph.validation.files import shipped_store
from policygraph.validation.incremental import compare, keys, union_graph, validate_change
from policygraph.validation.shape_reach import analyze
from policygraph.validation.validator import shipped_validator

ID, PG, SHAPES = "https://w3id.org/policygraph/id/", "https://w3id.org/policygraph/def#", "https://w3id.org/policygraph/shapes#"
TERRITORIES = URIRef("https://w3id.org/policygraph/graph/territories")
SOURCE_000 = URIRef("https://w3id.org/policygraph/graph/source/000_daf5b2d1eb9ee127")
SOURCE_002 = URIRef("https://w3id.org/policygraph/graph/source/002_ad138d081d22068a")
NEW = URIRef("urn:policygraph:test")
COMMUNE = URIRef(ID + "territory/commune/59481")  # Le Quesnoy
SHARE = URIRef(ID + "contract/pacte-sat-2/funding/departement-59-colleges")  # 18.3 M€ of a 120 M€ total


def triples(turtle: str, graph=NEW) -> list:
    return [(*t, graph) for t in Graph().parse(data=turtle, format="turtle")]


CASES = {
    # A measure's axis must belong to its contract (SPARQL, pg:parentAxis*/(pg:axisOf|^pg:hasAxis)).
    "measure axis in another contract": (
        lambda k: (triples(samples.violating(k)), []),
        lambda k: {(samples.measure_iri(k), "MeasureAxisInContract", "Violation")}),
    # A commune's code must start with its département's: checked from the département, two hops up.
    "commune code outside its département": (
        lambda k: ([(COMMUNE, URIRef(PG + "inseeCode"), Literal("62481"), TERRITORIES)],
                   [(COMMUNE, URIRef(PG + "inseeCode"), Literal("59481"), TERRITORIES)]),
        lambda k: {(ID + "territory/departement/59", "DepartementCommunesShape", "Violation")}),
    # Shares may not exceed their total: the total is reported, not the share that changed.
    "share above its total": (
        lambda k: ([(SHARE, URIRef(PG + "amount"), Literal("130000000", datatype=XSD.decimal), SOURCE_000)],
                   [(SHARE, URIRef(PG + "amount"), Literal("18300000", datatype=XSD.decimal), SOURCE_000)]),
        lambda k: {(ID + "contract/pacte-sat-2/funding/departement-59", "SharesWithinTotal", "Violation")}),
    # A commune that is no longer typed breaks every sh:class pg:Territory/pg:Commune pointing at it.
    "commune loses its type": (
        lambda k: ([], [(COMMUNE, RDF.type, URIRef(PG + "Commune"), TERRITORIES)]),
        lambda k: {(ID + "actor/commune/59481", "Actor-governs", "Violation"),
                   (ID + "contract/contrat-ville-le-quesnoy", "Located-scope", "Violation"),
                   (ID + "contract/pacte-sat/measure/emplois-francs", "Located-scope", "Violation"),
                   (ID + "territory/epci/200043321", "EPCIMemberShape", "Violation")}),
    # Moving a triple to another graph changes nothing in the validated union.
    "triple moved between graphs": (
        lambda k: ([(COMMUNE, URIRef(PG + "inseeCode"), Literal("59481"), NEW)],
                   [(COMMUNE, URIRef(PG + "inseeCode"), Literal("59481"), TERRITORIES)]),
        lambda k: set()),
}


@pytest.fixture(scope="module")
def store():
    return shipped_store()


def found(report) -> set:
    return {(str(r.focus_node), str(r.source_shape)[len(SHAPES):], r.severity) for r in report.results}


def test_every_shipped_shape_is_analysed():
    reach = analyze(shipped_validator().shapes)
    assert reach.unanalysable == {}
    assert len(reach.shapes) >= 60


@pytest.mark.parametrize("name", CASES)
def test_what_a_change_breaks(store, name):
    change, expected = CASES[name]
    k = samples.key()
    added, removed = change(k)
    result = validate_change(store, added, removed)
    assert found(result.report) == expected(k)
    assert result.conforms is not any(s == "Violation" for _, _, s in expected(k))


def test_a_fix_is_resolved_and_nothing_else_is_said(store):
    contract = URIRef(ID + "contract/accord-cadre-amiens-metropole")
    result = validate_change(store, [(contract, URIRef(PG + "signatureYear"), Literal("2017", datatype=XSD.gYear),
                                      SOURCE_002)])
    assert result.report.results == () and result.conforms
    assert {(str(r.focus_node), str(r.source_shape)[len(SHAPES):]) for r in result.resolved} == \
        {(str(contract), "ContractSigned")}


def test_the_cost_follows_the_change_not_the_graph(store):
    result = validate_change(store, triples(samples.valid(samples.key())))
    assert result.mode == "incremental"
    assert result.triples < 200 and result.focus_nodes < 100  # of a 64 000-triple graph


def test_incremental_equals_two_full_validations_on_the_shipped_graph(store):
    """All the cases above in one change set, against R(G') − R(G) and R(G) − R(G') computed whole."""
    added, removed, k = [], [], samples.key()
    for name, (change, _expected) in CASES.items():
        a, r = change(k)
        added += a
        removed += r
    contract = URIRef(ID + "contract/accord-cadre-amiens-metropole")
    added.append((contract, URIRef(PG + "signatureYear"), Literal("2017", datatype=XSD.gYear), SOURCE_002))
    incremental = validate_change(store, added, removed)

    validator = shipped_validator()
    before = union_graph(store)
    after = Graph()
    removed_triples = {q[:3] for q in removed} - {q[:3] for q in added}
    for t in before:
        if t not in removed_triples:
            after.add(t)
    for q in added:
        after.add(q[:3])
    full_before, full_after = validator.validate(before), validator.validate(after)
    new, resolved = compare(full_before, full_after, after)
    assert set(keys(incremental.report)) == set(keys(new))
    assert {r.sort_key() for r in incremental.resolved} == {r.sort_key() for r in resolved}
    assert len(new.results) >= 5 and len(resolved) >= 1  # the comparison is not vacuous
