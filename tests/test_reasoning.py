"""The ontology, the vocabularies and the shipped data are consistent under OWL 2 RL.

The closure is computed with ``reasonable`` (Rust, OWL 2 RL): ~4 s on the shipped data, where owlrl
takes over two minutes.  ``reasonable`` only materialises; it does not apply the OWL 2 RL rules
whose conclusion is *false* (https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules,
tables 4-9: cax-dw, cax-adc, cls-nothing2, eq-diff1…).  :func:`inconsistencies` applies them to the
closure, plus two checks OWL leaves open and this project closes:

- unique names: every IRI of the graph names a different thing, so a functional property with two
  different IRI values (or an inferred ``owl:sameAs`` between two IRIs) is an error, not a merge;
- a functional datatype property with two different values, and an ill-typed literal (dt-not-type).

The tests on small inconsistent graphs prove each check can fail; owlrl, an independent
implementation, confirms the disjointness verdict on one of them.
"""

from __future__ import annotations

import re
from itertools import combinations

import owlrl
import pytest
import reasonable
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, XSD

from policygraph.model.dataset import project_root
from policygraph.validation.validator import shipped_graph

# rdflib does not check these lexical forms (Literal.ill_typed is None for them).
_LEXICAL = {
    XSD.gYear: re.compile(r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$"),
    XSD.gYearMonth: re.compile(r"^-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$"),
}


def owl_rl_closure(graph: Graph) -> Graph:
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(graph)
    closure = Graph()
    for triple in reasoner.reason():
        closure.add(triple)
    return closure


def _members(graph: Graph, node) -> list:
    return list(Collection(graph, node)) if node is not None else []


def _types(graph: Graph, cls) -> set:
    return set(graph.subjects(RDF.type, cls))


def inconsistencies(closure: Graph) -> list[str]:
    """What makes ``closure`` (an OWL 2 RL closure) inconsistent; empty when it is consistent."""
    found = []
    # cls-nothing2
    found += [f"{x} is an owl:Nothing" for x in _types(closure, OWL.Nothing)]
    # cax-dw, cax-adc
    pairs = list(closure.subject_objects(OWL.disjointWith))
    for group in closure.subjects(RDF.type, OWL.AllDisjointClasses):
        pairs += combinations(_members(closure, closure.value(group, OWL.members)), 2)
    for c1, c2 in pairs:
        found += [f"{x} is both {c1} and {c2}, which are disjoint" for x in _types(closure, c1) & _types(closure, c2)]
    # eq-diff1/2/3 and eq-irp
    different = set(closure.subject_objects(OWL.differentFrom))
    for group in closure.subjects(RDF.type, OWL.AllDifferent):
        members = _members(closure, closure.value(group, OWL.members) or closure.value(group, OWL.distinctMembers))
        different |= set(combinations(members, 2))
    for x, y in different:
        if x == y or (x, OWL.sameAs, y) in closure or (y, OWL.sameAs, x) in closure:
            found.append(f"{x} and {y} are said different and are the same")
    # prp-irp, prp-asyp, prp-pdw
    for p in closure.subjects(RDF.type, OWL.IrreflexiveProperty):
        found += [f"{x} {p} itself, an irreflexive property" for x, y in closure.subject_objects(p) if x == y]
    for p in closure.subjects(RDF.type, OWL.AsymmetricProperty):
        found += [f"{x} {p} {y} both ways, an asymmetric property"
                  for x, y in closure.subject_objects(p) if (y, p, x) in closure]
    for p1, p2 in closure.subject_objects(OWL.propertyDisjointWith):
        found += [f"{x} {p1} and {p2} {y}, disjoint properties"
                  for x, y in closure.subject_objects(p1) if (x, p2, y) in closure]
    # Unique names: no two IRIs for one thing, however the sameAs came about (prp-fp, prp-ifp…).
    found += [f"{x} owl:sameAs {y}: two IRIs for one resource"
              for x, y in closure.subject_objects(OWL.sameAs)
              if x != y and isinstance(x, URIRef) and isinstance(y, URIRef)]
    # Functional properties with two values (for literals, reasonable infers no sameAs at all).
    for p in closure.subjects(RDF.type, OWL.FunctionalProperty):
        for x in set(closure.subjects(p, None)):
            values = set(closure.objects(x, p))
            if len({v.toPython() if isinstance(v, Literal) else v for v in values}) > 1 \
                    and not any(isinstance(v, BNode) for v in values):
                found.append(f"{x} has {len(values)} values for the functional {p}: {sorted(map(str, values))}")
    # dt-not-type
    for literal in {o for o in closure.objects() if isinstance(o, Literal) and o.datatype is not None}:
        pattern = _LEXICAL.get(literal.datatype)
        if literal.ill_typed or (pattern is not None and not pattern.match(str(literal))):
            found.append(f"{literal!r} is not a valid {literal.datatype}")
    return sorted(set(found))


@pytest.fixture(scope="module")
def shipped_closure() -> Graph:
    return owl_rl_closure(shipped_graph())


def test_the_shipped_graph_is_owl_rl_consistent(shipped_closure):
    problems = inconsistencies(shipped_closure)
    assert not problems, f"{len(problems)} inconsistencies:\n" + "\n".join(problems[:50])


def test_the_closure_really_infers(shipped_closure):
    """The consistency verdict means something only if the reasoner ran: subclass typing and the
    transitive inclusion of territories are there."""
    pg = "https://w3id.org/policygraph/def#"
    territory = URIRef(pg + "Territory")
    communes = _types(shipped_closure, URIRef(pg + "Commune"))
    assert communes and communes <= _types(shipped_closure, territory)
    within = URIRef(pg + "within")
    region = URIRef("https://w3id.org/policygraph/id/territory/region/32")
    assert any((c, within, region) in shipped_closure for c in communes)


# --- the checks can fail ------------------------------------------------------------------------------

INCONSISTENT = """
@base <https://w3id.org/policygraph/id/> .
@prefix pg: <https://w3id.org/policygraph/def#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix kind: <https://w3id.org/policygraph/voc/contract-kind/> .
<contract/erbm> a pg:Contract , pg:Actor .
<territory/epci/200044618> a pg:Commune , pg:EPCI .
<contract/pacte-sat> a pg:Contract ; pg:kind kind:pacte-territorial , kind:cper .
<document/001_e4eb26213127c0cf/passage/1175-1175> a pg:Passage ; pg:lineStart 1175 , 1176 .
<contract/cdt-calaisis> a pg:Contract ; pg:startYear "deux mille seize"^^xsd:gYear ; pg:signatureDate "2016-02-30"^^xsd:date .
"""


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    for path in sorted((project_root() / "ontology").glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def test_an_inconsistent_graph_is_caught(ontology):
    problems = inconsistencies(owl_rl_closure(ontology + Graph().parse(data=INCONSISTENT, format="turtle")))
    text = "\n".join(problems)
    base = "https://w3id.org/policygraph/id/"
    assert f"{base}contract/erbm is both" in text  # cax-adc: a contract is no actor
    assert f"{base}territory/epci/200044618 is both" in text  # cax-adc: a commune is no EPCI
    assert "two IRIs for one resource" in text  # prp-fp on pg:kind, under unique names
    assert f"{base}document/001_e4eb26213127c0cf/passage/1175-1175 has 2 values" in text  # functional pg:lineStart
    assert "deux mille seize" in text and "2016-02-30" in text  # dt-not-type


def test_each_check_fires_alone(ontology):
    cases = {
        "cls-nothing2": "<urn:x> a <http://www.w3.org/2002/07/owl#Nothing> .",
        "eq-diff1": "<urn:x> owl:sameAs <urn:y> ; owl:differentFrom <urn:y> .",
        "prp-irp": "<urn:p> a owl:IrreflexiveProperty . <urn:x> <urn:p> <urn:x> .",
        "prp-asyp": "<urn:p> a owl:AsymmetricProperty . <urn:x> <urn:p> <urn:y> . <urn:y> <urn:p> <urn:x> .",
        "prp-pdw": "<urn:p> owl:propertyDisjointWith <urn:q> . <urn:x> <urn:p> <urn:y> ; <urn:q> <urn:y> .",
        "cax-dw": "<urn:A> owl:disjointWith <urn:B> . <urn:x> a <urn:A> , <urn:B> .",
    }
    for rule, turtle in cases.items():
        graph = Graph().parse(data="@prefix owl: <http://www.w3.org/2002/07/owl#> . " + turtle, format="turtle")
        assert inconsistencies(owl_rl_closure(graph)), f"{rule} not caught"
    assert inconsistencies(owl_rl_closure(ontology)) == []


def test_owlrl_agrees_that_disjoint_classes_clash(ontology):
    """owlrl, which does apply the false rules, reports the same disjointness error."""
    graph = ontology + Graph().parse(data=INCONSISTENT.split("<contract/pacte-sat>")[0], format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    errors = [str(o) for o in graph.objects(None, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error"))]
    assert any("contract/erbm" in e and "disjoint" in e.lower() for e in errors), errors
