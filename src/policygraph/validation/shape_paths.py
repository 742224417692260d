"""Property paths as values, and the three walks incremental validation makes along them.

A SHACL property path (https://www.w3.org/TR/shacl/#property-paths) and a SPARQL 1.1 property path
(https://www.w3.org/TR/sparql11-query/#propertypaths) are both turned into the same small algebra:
``Pred`` (one predicate, forward), ``Inv`` (one predicate, backward), ``Seq``, ``Alt``, ``Repeat``
(``*``, ``+``, ``?``) and ``AnyPred`` (every predicate but some: SPARQL negated property sets, and
``sh:closed``, which reads every property of a node).  Inverses are pushed down to single
predicates when a path is built, so the walks below only ever step over one predicate.

The walks, over an :class:`Edges` source (the store, plus the triples a change adds):

- :func:`forward` — the nodes a path reaches from some nodes; with ``record``, also every triple it
  steps over: what validating those nodes along this path *reads*;
- :func:`backward` — the nodes from which a path reaches some nodes;
- :func:`readers` — the nodes from which walking a path steps over one of some given triples: the
  focus nodes whose validation a changed triple can change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.term import Node

from policygraph.model.namespaces import SH

Triple = tuple  # (subject, predicate, object), rdflib terms


@dataclass(frozen=True)
class Pred:
    iri: URIRef


@dataclass(frozen=True)
class Inv:
    iri: URIRef


@dataclass(frozen=True)
class AnyPred:
    """Every predicate not in ``excluded``; backward when ``inverse``."""
    excluded: frozenset = frozenset()
    inverse: bool = False


@dataclass(frozen=True)
class Seq:
    parts: tuple


@dataclass(frozen=True)
class Alt:
    parts: tuple


@dataclass(frozen=True)
class Repeat:
    """``path*`` (0, None), ``path+`` (1, None), ``path?`` (0, 1)."""
    path: object
    min: int
    unbounded: bool


Path = Pred | Inv | AnyPred | Seq | Alt | Repeat
EMPTY = Seq(())  # the zero-length path: the node itself

# Reading an instance's classes the way SHACL does (https://www.w3.org/TR/shacl/#dfn-shacl-instance).
CLASSES = Seq((Pred(RDF.type), Repeat(Pred(RDFS.subClassOf), 0, True)))


def seq(*parts: Path) -> Path:
    flat: list = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, Seq) else (part,))
    return flat[0] if len(flat) == 1 else Seq(tuple(flat))


def inverse(path: Path) -> Path:
    if isinstance(path, Pred):
        return Inv(path.iri)
    if isinstance(path, Inv):
        return Pred(path.iri)
    if isinstance(path, AnyPred):
        return AnyPred(path.excluded, not path.inverse)
    if isinstance(path, Seq):
        return Seq(tuple(inverse(p) for p in reversed(path.parts)))
    if isinstance(path, Alt):
        return Alt(tuple(inverse(p) for p in path.parts))
    return Repeat(inverse(path.path), path.min, path.unbounded)


def predicates(path: Path) -> tuple[set, bool]:
    """(the predicates a path names, whether it can step over any predicate)."""
    if isinstance(path, (Pred, Inv)):
        return {path.iri}, False
    if isinstance(path, AnyPred):
        return set(), True
    found, wildcard = set(), False
    for part in (path.parts if isinstance(path, (Seq, Alt)) else (path.path,)):
        names, anything = predicates(part)
        found |= names
        wildcard = wildcard or anything
    return found, wildcard


# --- building paths -------------------------------------------------------------------------------

def from_shacl(shapes: Graph, node: Node) -> Path:
    """The path a ``sh:path`` value describes (https://www.w3.org/TR/shacl/#property-paths)."""
    if isinstance(node, URIRef):
        return Pred(node)
    if (node, RDF.first, None) in shapes:
        return seq(*(from_shacl(shapes, p) for p in Collection(shapes, node)))
    if (alternatives := shapes.value(node, SH.alternativePath)) is not None:
        return Alt(tuple(from_shacl(shapes, p) for p in Collection(shapes, alternatives)))
    if (inner := shapes.value(node, SH.inversePath)) is not None:
        return inverse(from_shacl(shapes, inner))
    for predicate, low, unbounded in ((SH.zeroOrMorePath, 0, True), (SH.oneOrMorePath, 1, True),
                                      (SH.zeroOrOnePath, 0, False)):
        if (inner := shapes.value(node, predicate)) is not None:
            return Repeat(from_shacl(shapes, inner), low, unbounded)
    raise ValueError(f"not a SHACL property path: {node}")


def from_sparql(path) -> Path:
    """An rdflib SPARQL path (or predicate IRI) as a :data:`Path`."""
    if isinstance(path, URIRef):
        return Pred(path)
    if isinstance(path, SequencePath):
        return seq(*(from_sparql(p) for p in path.args))
    if isinstance(path, AlternativePath):
        return Alt(tuple(from_sparql(p) for p in path.args))
    if isinstance(path, InvPath):
        return inverse(from_sparql(path.arg))
    if isinstance(path, MulPath):
        return Repeat(from_sparql(path.path), 0 if path.mod in ("*", "?") else 1, path.mod != "?")
    if isinstance(path, NegatedPath):
        # SPARQL 1.1 §9.1: !(a|^b) steps forward over anything but a, or backward over anything but b;
        # only the directions the set names are walked.
        forward_ex = frozenset(a for a in path.args if isinstance(a, URIRef))
        backward_ex = frozenset(a.arg for a in path.args if isinstance(a, InvPath))
        parts = []
        if forward_ex or not backward_ex:
            parts.append(AnyPred(forward_ex))
        if backward_ex:
            parts.append(AnyPred(backward_ex, inverse=True))
        return parts[0] if len(parts) == 1 else Alt(tuple(parts))
    raise ValueError(f"unsupported SPARQL path {path!r}")


# --- walking ---------------------------------------------------------------------------------------

class Edges(Protocol):
    def step(self, nodes: Iterable[Node], predicate: URIRef | None, *, inverse: bool,
             excluded: frozenset = frozenset()) -> list[Triple]:
        """Triples with a node of ``nodes`` as subject (as object when ``inverse``) and ``predicate``
        (any predicate but ``excluded`` when None)."""


def _step(path, nodes: set, edges: Edges, record: set | None) -> set:
    if not nodes:
        return set()
    if isinstance(path, (Pred, Inv, AnyPred)):
        backward_step = isinstance(path, Inv) or (isinstance(path, AnyPred) and path.inverse)
        triples = edges.step(nodes, None if isinstance(path, AnyPred) else path.iri, inverse=backward_step,
                             excluded=path.excluded if isinstance(path, AnyPred) else frozenset())
        if record is not None:
            record.update(triples)
        return {t[0] if backward_step else t[2] for t in triples}
    if isinstance(path, Seq):
        for part in path.parts:
            nodes = _step(part, nodes, edges, record)
        return nodes
    if isinstance(path, Alt):
        return set().union(*(_step(p, nodes, edges, record) for p in path.parts))
    # Repeat: breadth-first to a fixpoint (each node expanded once), or a single optional step.
    reached = set(nodes) if path.min == 0 else set()
    frontier = set(nodes)
    while frontier:
        step = _step(path.path, frontier, edges, record)
        if not path.unbounded:
            return reached | step
        frontier = step - reached
        reached |= step
    return reached


def forward(path: Path, nodes: Iterable[Node], edges: Edges, record: set | None = None) -> set:
    return _step(path, set(nodes), edges, record)


def backward(path: Path, nodes: Iterable[Node], edges: Edges) -> set:
    return _step(inverse(path), set(nodes), edges, None)


class Changed:
    """Changed triples, indexed by predicate (a path names few of the predicates a change touches)."""

    def __init__(self, triples: Iterable[Triple]):
        self.all = list(triples)
        self.by_predicate: dict = {}
        for t in self.all:
            self.by_predicate.setdefault(t[1], []).append(t)

    def __bool__(self) -> bool:
        return bool(self.all)


def readers(path: Path, triples, edges: Edges) -> set:
    """The nodes from which walking ``path`` steps over at least one of ``triples``."""
    changed = triples if isinstance(triples, Changed) else Changed(triples)
    if not changed:
        return set()
    if isinstance(path, Pred):
        return {t[0] for t in changed.by_predicate.get(path.iri, ())}
    if isinstance(path, Inv):
        return {t[2] for t in changed.by_predicate.get(path.iri, ())}
    if isinstance(path, AnyPred):
        return {o if path.inverse else s for s, p, o in changed.all if p not in path.excluded}
    if isinstance(path, Alt):
        return set().union(*(readers(p, changed, edges) for p in path.parts))
    if isinstance(path, Seq):
        if not path.parts:
            return set()
        first = path.parts[0]
        found = readers(first, changed, edges)
        if len(path.parts) > 1:
            later = readers(seq(*path.parts[1:]), changed, edges)
            found |= backward(first, later, edges)
        return found
    # Repeat: the triple is read on some iteration, after any number of earlier ones.
    found = readers(path.path, changed, edges)
    return backward(Repeat(path.path, 0, True), found, edges) if path.unbounded else found
