"""The two building blocks of incremental validation, checked against brute force:

- ``shape_paths.readers``: from which nodes does walking a path step over a given triple?  Compared,
  on random small graphs and random paths, with walking the path from every node and recording
  what it reads;
- ``shape_reach.analyze``: what a shape reads, derived from SHACL and from SPARQL constraints —
  UNION branches and BIND aliases covered, EXISTS scopes kept apart, and a constraint it cannot
  bound reported as unanalysable, in which case validation falls back to the whole graph."""

from __future__ import annotations

import random

import pytest
from rdflib import Graph, Literal, URIRef

from policygraph.validation.graph_edges import GraphEdges
from policygraph.validation.incremental import compare, keys, validate_change
from policygraph.validation.shape_paths import Alt, AnyPred, Inv, Pred, Repeat, Seq, forward, readers
from policygraph.validation.shape_reach import analyze
from policygraph.validation.validator import Validator

E = "http://example.org/"
PREDICATES = [URIRef(E + p) for p in "abc"]


def random_graph(rng: random.Random) -> Graph:
    nodes = [URIRef(f"{E}n{i}") for i in range(8)] + [Literal(i) for i in range(2)]
    graph = Graph()
    for _ in range(rng.randint(6, 18)):
        graph.add((rng.choice(nodes[:8]), rng.choice(PREDICATES), rng.choice(nodes)))
    return graph


def random_path(rng: random.Random, depth: int = 0):
    kind = rng.choice(["pred", "inv", "any"] if depth > 2 else ["pred", "inv", "seq", "alt", "star", "plus", "opt", "any"])
    p = rng.choice(PREDICATES)
    if kind == "pred":
        return Pred(p)
    if kind == "inv":
        return Inv(p)
    if kind == "any":
        return AnyPred(frozenset({p}) if rng.random() < 0.5 else frozenset(), rng.random() < 0.5)
    if kind in ("seq", "alt"):
        parts = tuple(random_path(rng, depth + 1) for _ in range(rng.randint(2, 3)))
        return Seq(parts) if kind == "seq" else Alt(parts)
    return Repeat(random_path(rng, depth + 1), 1 if kind == "plus" else 0, kind != "opt")


@pytest.mark.parametrize("seed", range(40))
def test_readers_are_exactly_the_nodes_whose_walk_reads_the_triple(seed):
    rng = random.Random(seed)
    graph, path = random_graph(rng), random_path(rng)
    edges = GraphEdges(graph)
    triples = rng.sample(sorted(graph), min(3, len(graph)))
    expected = set()
    for node in set(graph.subjects()) | set(graph.objects()):
        read: set = set()
        forward(path, {node}, edges, record=read)
        if read & set(triples):
            expected.add(node)
    assert readers(path, triples, edges) == expected, (path, triples)


SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:decl sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
# Like pgs:SignedBeforeEnd: the contract is $this itself, or what a signature commits to.
ex:Late a sh:NodeShape ; sh:targetSubjectsOf ex:signed ;
  sh:sparql [ sh:prefixes ex:decl ; sh:message "late" ; sh:select \"\"\"
    SELECT $this ?value WHERE { $this ex:signed ?value .
      { BIND ($this AS ?contract) } UNION { $this ex:commitsTo ?contract }
      ?contract ex:end ?end . FILTER (?value > ?end) }\"\"\" ] .
# Like pgs:ContractSigned: three NOT EXISTS blocks, each with its own ?when.
ex:Dated a sh:NodeShape ; sh:targetClass ex:Contract ;
  sh:sparql [ sh:prefixes ex:decl ; sh:message "undated" ; sh:select \"\"\"
    SELECT $this WHERE {
      FILTER NOT EXISTS { $this ex:signed ?when }
      FILTER NOT EXISTS { ?s ex:commitsTo $this ; ex:signed ?when } }\"\"\" ] .
"""
UNBOUNDED = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
ex:Unique a sh:NodeShape ; sh:targetSubjectsOf ex:code ; sh:sparql [ sh:message "duplicate code" ; sh:select \"\"\"
    SELECT $this WHERE { $this <http://example.org/code> ?c . ?other <http://example.org/code> ?c .
      FILTER ($this != ?other) ?x a <http://example.org/Registry> }\"\"\" ] .
"""


def _show(path) -> str:
    if isinstance(path, Pred):
        return path.iri[len(E):]
    if isinstance(path, Inv):
        return "^" + path.iri[len(E):]
    if isinstance(path, Seq):
        return "/".join(_show(p) for p in path.parts)
    if isinstance(path, Alt):
        return "(" + "|".join(_show(p) for p in path.parts) + ")"
    return repr(path)


def test_sparql_reads_follow_union_branches_and_aliases():
    reach = {s.shape: {_show(p) for p in s.paths} for s in analyze(Graph().parse(data=SHAPES, format="turtle")).shapes}
    late = reach[URIRef(E + "Late")]
    # ?contract is $this (the alias) or reached by ex:commitsTo: its end is read both ways.
    assert {"signed", "end", "commitsTo", "commitsTo/end"} <= late
    dated = reach[URIRef(E + "Dated")]
    # The two ?when are different variables: no walk from one date back to every signature of that date.
    assert dated >= {"signed", "^commitsTo", "^commitsTo/signed"}
    assert not any("^signed" in p for p in dated)


def test_a_constraint_that_cannot_be_bounded_falls_back_to_full_validation():
    shapes = Graph().parse(data=UNBOUNDED, format="turtle")
    assert URIRef(E + "Unique") in analyze(shapes).unanalysable
    validator = Validator(shapes)
    data = Graph().parse(data=f"""@prefix ex: <{E}> . ex:r a ex:Registry . ex:a ex:code "1" . ex:b ex:code "2" .""",
                         format="turtle")
    change = [(URIRef(E + "c"), URIRef(E + "code"), Literal("1"), None)]
    result = validate_change(data, change, validator=validator)
    assert result.mode == "full-diff"
    after = Graph()
    for t in data:
        after.add(t)
    after.add(change[0][:3])
    new, _ = compare(validator.validate(data), validator.validate(after), after)
    assert set(keys(result.report)) == set(keys(new)) and len(new.results) == 2  # ex:a and ex:c
