"""Random change sets for the equivalence tests: breaking and harmless, additions and removals.

Every choice comes from one ``random.Random``: a failing seed replays the same change set.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from policygraph.model.terms import to_rdflib

DATA_PREFIX = "https://w3id.org/policygraph/graph/"
NOT_DATA = ("https://w3id.org/policygraph/graph/ontology", "https://w3id.org/policygraph/graph/vocabularies")


@dataclass
class ChangeSet:
    added: list = field(default_factory=list)  # rdflib quads
    removed: list = field(default_factory=list)
    steps: list = field(default_factory=list)  # what was done, to read a failure


class Mutator:
    """Draws change sets from the quads of a store (its data graphs, not the ontology)."""

    def __init__(self, store: ox.Store, rng: random.Random):
        self.rng = rng
        self.quads = sorted((q for q in store.quads_for_pattern(None, None, None, None)
                             if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in NOT_DATA),
                            key=str)
        self.quads = [tuple(to_rdflib(t) for t in (q.subject, q.predicate, q.object, q.graph_name))
                      for q in self.quads]
        self.subjects = sorted({q[0] for q in self.quads}, key=str)
        self.by_predicate: dict = {}
        for q in self.quads:
            self.by_predicate.setdefault(q[1], []).append(q)
        self.predicates = sorted(self.by_predicate, key=str)
        self.graphs = sorted({q[3] for q in self.quads}, key=str)
        self.types = sorted({q[2] for q in self.quads if q[1] == RDF.type}, key=str)
        self.counter = 0

    def change_set(self, size: int | None = None) -> ChangeSet:
        change = ChangeSet()
        for _ in range(size or self.rng.randint(1, 4)):
            op = self.rng.choice([self.remove, self.add_link, self.retype, self.delete_node, self.clone,
                                  self.bad_literal, self.move, self.remove, self.add_link])
            op(change)
        return change

    def _quad(self):
        return self.rng.choice(self.quads)

    def remove(self, change):
        q = self._quad()
        change.removed.append(q)
        change.steps.append(("remove", q))

    def add_link(self, change):
        """A triple with a predicate used in the data, a subject and an object seen with it elsewhere."""
        p = self.rng.choice(self.predicates)
        s = self.rng.choice(self.by_predicate[p])[0] if self.rng.random() < 0.7 else self.rng.choice(self.subjects)
        o = self.rng.choice(self.by_predicate[p])[2]
        q = (s, p, o, self.rng.choice(self.graphs))
        change.added.append(q)
        change.steps.append(("add", q))

    def retype(self, change):
        s = self.rng.choice(self.subjects)
        for q in self.quads:
            if q[0] == s and q[1] == RDF.type and self.rng.random() < 0.7:
                change.removed.append(q)
        q = (s, RDF.type, self.rng.choice(self.types), self.rng.choice(self.graphs))
        change.added.append(q)
        change.steps.append(("retype", q))

    def delete_node(self, change):
        node = self.rng.choice(self.subjects)
        gone = [q for q in self.quads if node in (q[0], q[2])]
        change.removed.extend(gone)
        change.steps.append(("delete", node, len(gone)))

    def clone(self, change):
        node = self.rng.choice(self.subjects)
        self.counter += 1
        copy = URIRef(f"{node}-copy{self.counter}")
        graph = self.rng.choice(self.graphs)
        added = [(copy, p, o, graph) for s, p, o, _g in self.quads if s == node]
        change.added.extend(added)
        change.steps.append(("clone", node, len(added)))

    def bad_literal(self, change):
        literals = [q for q in self.quads if isinstance(q[2], Literal)]
        q = self.rng.choice(literals)
        value = self.rng.choice([Literal("-5", datatype=XSD.integer), Literal("1850", datatype=XSD.gYear),
                                 Literal("x"), Literal("texte", lang="fr"), Literal("12.5", datatype=XSD.decimal),
                                 Literal("2999-01-01", datatype=XSD.date), Literal(str(q[2]) + " ")])
        change.removed.append(q)
        change.added.append((q[0], q[1], value, q[3]))
        change.steps.append(("literal", q, value))

    def move(self, change):
        q = self._quad()
        other = self.rng.choice(self.graphs)
        change.removed.append(q)
        change.added.append((q[0], q[1], q[2], other))
        change.steps.append(("move", q, other))
