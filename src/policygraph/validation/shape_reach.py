"""What validating a focus node against a shape reads, derived from the shapes themselves.

For each shape that declares targets, :func:`analyze` computes a set of *access paths*: property
paths such that validating a node ``f`` reads exactly triples stepped over by walking those paths
from ``f`` (or fewer).  From them, incremental validation knows both

- which focus nodes a changed triple can affect: those from which an access path steps over it
  (``shape_paths.readers``) — the way RDF4J's ShaclSail plans a transaction's validation; and
- which triples to fetch to validate those nodes: the triples the access paths step over from them.

What each part of a shape reads (SHACL Core, https://www.w3.org/TR/shacl/#core-components):

- targets: ``sh:targetClass C`` reads the node's ``rdf:type``/``rdfs:subClassOf*``;
  ``sh:targetSubjectsOf P`` its ``P`` values; ``sh:targetObjectsOf P`` its ``^P`` values;
- a property shape reads its ``sh:path``; ``sh:class`` reads the classes of each value;
  ``sh:node``, ``sh:property``, ``sh:and``/``or``/``xone``/``not``, ``sh:qualifiedValueShape``
  read what the nested shape reads, from each value; ``sh:equals``/``disjoint``/``lessThan``/
  ``lessThanOrEquals`` read one more property of the focus node; ``sh:closed`` every property;
  value-type, range, string and list constraints read nothing beyond the values;
- a SPARQL constraint (https://www.w3.org/TR/shacl/#sparql-constraints) reads, for each triple
  pattern of its query (with ``$PATH`` replaced by the shape's path), the pattern's predicate path
  walked from a variable reachable from ``$this`` — along *every* simple chain of patterns
  linking them, so that UNION branches and aliases (``BIND ($this AS ?x)``) are all covered.

A shape whose reads cannot be bounded this way (a SPARQL pattern not connected to ``$this``, a
sub-query, a SHACL-AF or custom component, a recursive shape) is reported as *unanalysable*;
incremental validation then validates the whole graph, which is always correct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, RDFS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from policygraph.model.namespaces import SH
from policygraph.validation.shape_paths import (
    CLASSES,
    EMPTY,
    AnyPred,
    Inv,
    Path,
    Pred,
    Seq,
    from_shacl,
    from_sparql,
    inverse,
    predicates,
    seq,
)

# Constraint parameters that read nothing beyond the value nodes themselves.
_LOCAL = {SH[n] for n in ("minCount", "maxCount", "datatype", "nodeKind", "minExclusive", "minInclusive",
                          "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "flags",
                          "languageIn", "uniqueLang", "in", "hasValue", "qualifiedMinCount",
                          "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "ignoredProperties")}
_NESTED_ONE = (SH.node, SH.qualifiedValueShape, SH["not"])
_NESTED_LIST = (SH["and"], SH["or"], SH.xone)
_PAIRS = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_PATH_PLACEHOLDER = URIRef("urn:policygraph:shape-path")
_MAX_CHAINS = 64  # simple chains of patterns from $this to one variable, before giving up


class Unanalysable(Exception):
    pass


@dataclass(frozen=True)
class ShapeReach:
    shape: Node
    paths: tuple  # access paths from a focus node (targets and constraints)
    predicates: frozenset  # every predicate the paths name
    wildcard: bool  # a path may step over any predicate


@dataclass
class Reach:
    shapes: list[ShapeReach] = field(default_factory=list)
    unanalysable: dict = field(default_factory=dict)  # shape → why


def analyze(shapes: Graph) -> Reach:
    reach = Reach()
    prefixes = _declared_prefixes(shapes)
    targeted = sorted({s for t in _TARGETS for s in shapes.subjects(t, None)}, key=str)
    for shape in targeted:
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        try:
            paths = _dedupe(_target_paths(shapes, shape) + _focus_reads(shapes, shape, prefixes, ()))
        except Unanalysable as why:
            reach.unanalysable[shape] = str(why)
            continue
        names, wildcard = set(), False
        for p in paths:
            n, w = predicates(p)
            names |= n
            wildcard = wildcard or w
        reach.shapes.append(ShapeReach(shape, tuple(paths), frozenset(names), wildcard))
    return reach


def _dedupe(paths: list) -> list:
    seen, out = set(), []
    for p in paths:
        if p not in seen and p != EMPTY:
            seen.add(p)
            out.append(p)
    return out


def _target_paths(shapes: Graph, shape: Node) -> list[Path]:
    paths: list[Path] = []
    if any(True for _ in shapes.objects(shape, SH.targetClass)):
        paths.append(CLASSES)
    paths += [Pred(p) for p in shapes.objects(shape, SH.targetSubjectsOf)]
    paths += [Inv(p) for p in shapes.objects(shape, SH.targetObjectsOf)]
    if (shape, RDF.type, RDFS.Class) in shapes:  # implicit class target
        paths.append(CLASSES)
    return paths


def _focus_reads(shapes: Graph, shape: Node, prefixes: dict, stack: tuple) -> list[Path]:
    """Access paths of ``shape`` evaluated at some node (its focus)."""
    if shape in stack:
        raise Unanalysable(f"recursive shape {shape}")
    stack = stack + (shape,)
    path_node = shapes.value(shape, SH.path)
    prefix = from_shacl(shapes, path_node) if path_node is not None else EMPTY
    reads: list[Path] = [prefix] if path_node is not None else []
    for predicate, value in shapes.predicate_objects(shape):
        if predicate == SH["class"]:
            reads.append(seq(prefix, CLASSES))
        elif predicate in _NESTED_ONE or predicate == SH.property:
            reads += [seq(prefix, r) for r in _focus_reads(shapes, value, prefixes, stack)]
        elif predicate in _NESTED_LIST:
            for member in _list(shapes, value):
                reads += [seq(prefix, r) for r in _focus_reads(shapes, member, prefixes, stack)]
        elif predicate in _PAIRS:
            reads.append(Pred(value))
        elif predicate == SH.closed and value == Literal(True):
            reads.append(seq(prefix, AnyPred()))
        elif predicate == SH.sparql:
            reads += _sparql_reads(shapes, value, prefixes, prefix if path_node is not None else None)
        elif predicate.startswith(str(SH)) and predicate not in _LOCAL and predicate not in _KNOWN_OTHER:
            raise Unanalysable(f"constraint parameter {predicate} of {shape} is not analysed")
    if shapes.value(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
        # Disjointness compares with the sibling qualified shapes of the parent: they are read too.
        for parent in shapes.subjects(SH.property, shape):
            for sibling in shapes.objects(parent, SH.property):
                for q in shapes.objects(sibling, SH.qualifiedValueShape):
                    reads += [seq(prefix, r) for r in _focus_reads(shapes, q, prefixes, stack)]
    return reads


# Parameters that are not constraints, or are handled elsewhere.
_KNOWN_OTHER = {SH[n] for n in ("path", "property", "targetClass", "targetSubjectsOf", "targetObjectsOf",
                                "targetNode", "severity", "message", "name", "description", "order", "group",
                                "defaultValue", "deactivated", "closed", "sparql", "declare", "prefixes")}


def _list(shapes: Graph, node: Node) -> list:
    from rdflib.collection import Collection

    return list(Collection(shapes, node))


def _declared_prefixes(shapes: Graph) -> dict:
    found = {}
    for declaration in shapes.objects(None, SH.declare):
        prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
        if prefix is not None and namespace is not None:
            found[str(prefix)] = str(namespace)
    return found


# --- SPARQL constraints -------------------------------------------------------------------------

_THIS = Variable("this")


def _sparql_reads(shapes: Graph, constraint: Node, prefixes: dict, shape_path: Path | None) -> list[Path]:
    if shapes.value(constraint, SH.deactivated) == Literal(True):
        return []
    text = shapes.value(constraint, SH.select)
    if text is None:
        raise Unanalysable(f"SPARQL constraint {constraint} has no sh:select")
    text = re.sub(r"\$PATH\b", f"<{_PATH_PLACEHOLDER}>", str(text))
    try:
        query = prepareQuery(text, initNs=prefixes)
    except Exception as exc:  # noqa: BLE001 — rdflib raises many kinds; the shape is just not analysable
        raise Unanalysable(f"cannot parse the SPARQL of {constraint}: {exc}") from None
    root = _Scope()
    _collect(query.algebra, root)

    def as_path(predicate) -> Path:
        if predicate == _PATH_PLACEHOLDER:
            if shape_path is None:
                raise Unanalysable("$PATH outside a property shape")
            return shape_path
        if isinstance(predicate, Variable):
            return AnyPred()
        return from_sparql(predicate)

    reads: list[Path] = []
    _scope_reads(root, {_THIS: [EMPTY]}, as_path, reads)
    return reads


@dataclass
class _Scope:
    """A group of patterns evaluated together; EXISTS and MINUS open nested scopes, whose variables
    are their own unless the enclosing scope binds them (SPARQL 1.1 §8.3: the enclosing solution
    is substituted in)."""
    patterns: list = field(default_factory=list)
    aliases: list = field(default_factory=list)
    children: list = field(default_factory=list)


def _collect(node, scope: _Scope, *, projected: bool = False) -> None:
    """Triple patterns and ``BIND (?a AS ?b)`` aliases of a query's algebra, by scope; the
    untranslated form rdflib keeps inside EXISTS is read too."""
    if isinstance(node, CompValue):
        name = node.name
        if name in ("values", "InlineData", "SubSelect", "Graph", "GraphGraphPattern", "ServiceGraphPattern"):
            raise Unanalysable(f"{name} patterns are not analysed")
        if name == "Project":
            if projected:
                raise Unanalysable("a sub-query is not analysed")
            projected = True
        if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS", "MinusGraphPattern"):
            child = _Scope()
            scope.children.append(child)
            _collect(node["graph"], child, projected=projected)
            return
        if name == "Minus":
            _collect(node["p1"], scope, projected=projected)
            child = _Scope()
            scope.children.append(child)
            _collect(node["p2"], child, projected=projected)
            return
        if name in ("Extend", "Bind") and isinstance(node.get("expr"), Variable):
            scope.aliases.append((node["var"], node["expr"]))
        for key, value in node.items():
            if key == "triples":
                flat = [term for t in value for term in t]  # ";" lists come as one flat list
                scope.patterns.extend(zip(flat[::3], flat[1::3], flat[2::3]))
            elif key != "_vars":
                _collect(value, scope, projected=projected)
    elif isinstance(node, (list, tuple)):
        for item in node:
            _collect(item, scope, projected=projected)


def _scope_reads(scope: _Scope, outer: dict, as_path, reads: list) -> None:
    """Add the reads of a scope's patterns; ``outer`` holds the chains of the variables the
    enclosing scopes bind (they keep those chains: a pattern here only filters them)."""
    edges: dict = {}
    for s, p, o in scope.patterns:
        path = as_path(p)
        if isinstance(s, Variable) and isinstance(o, Variable):
            edges.setdefault(s, []).append((o, path))
            edges.setdefault(o, []).append((s, inverse(path)))
    for a, b in scope.aliases:
        edges.setdefault(a, []).append((b, EMPTY))
        edges.setdefault(b, []).append((a, EMPTY))
    chains = _chains(edges, outer)
    for s, p, o in scope.patterns:
        # One end suffices: every solution binds both ends, and each end's chains reach every node
        # it can be bound to.  The nearer end is read (the subject on a tie, as the pattern is
        # written): reading from the far end would walk back through literals and shared objects
        # (a year, a contract) to every node that shares them.
        path = as_path(p)
        ends = [(min(map(_length, chains[x])), rank, x, step)
                for rank, (x, step) in enumerate(((s, path), (o, inverse(path)))) if x in chains]
        if not ends:
            raise Unanalysable(f"pattern {s} {p} {o} is not connected to $this")
        _, _, end, step = min(ends, key=lambda e: e[:2])
        reads.extend(seq(chain, step) for chain in chains[end])
    for child in scope.children:
        _scope_reads(child, chains, as_path, reads)


def _length(path: Path) -> int:
    return len(path.parts) if isinstance(path, Seq) else 1


def _chains(edges: dict, outer: dict) -> dict:
    """Every simple chain of patterns from $this to each variable, as a path.  Variables bound by
    an enclosing scope keep their chains and are not walked through (they are walked *from*)."""
    chains: dict = {v: list(c) for v, c in outer.items()}

    def walk(node, path, visited):
        for nxt, step in edges.get(node, ()):
            if nxt in visited or nxt in outer:
                continue
            found = chains.setdefault(nxt, [])
            chain = seq(path, step)
            if chain not in found:
                found.append(chain)
                if len(found) > _MAX_CHAINS:
                    raise Unanalysable("too many ways to reach a variable")
            walk(nxt, chain, visited | {nxt})

    for start, starts in outer.items():
        for chain in starts:
            walk(start, chain, {start})
    return chains
