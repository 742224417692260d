"""What a resource's IRI returns: two SPARQL CONSTRUCT queries, through the Store, for any resource.

A description is made so that a consumer can use the resource without a second request.  The
first query (``core_query``) gathers:

1. **the resource and its parts** — all their triples.  A part is reached from the resource through
   the composition properties (``PARTS``: the axes, objectives and measures of a contract, the
   commitments to it, the passages of a document, the legal statuses of an EPCI…) *and* has an IRI
   under the resource's own (``…/contract/erbm/axis/2`` is a part of ``…/contract/erbm``; a project
   in one of its axes, ``…/project/…``, is not: it has its own page);
2. **the links to it** — every triple whose object is the resource (a territory's QPV, the
   commitments of an actor, the contracts scoped on a territory…), except ``rdf:type`` and
   ``prov:wasDerivedFrom``, which would list thousands of territories on a class or a source;
3. **the contracts that cover a territory**: ``?c pg:covers <territory>`` when the scope of ``?c``
   is the territory or contains it (through ``pg:directlyWithin``/``pg:within``/``pg:contains``).
   These triples are entailed by the ontology (``pg:scope ⊑ pg:covers``, ``pg:covers ∘ pg:contains ⊑
   pg:covers``), not stored: the description states them so that a territory lists what applies to it.

The second (``summary_query``, with the resources found bound by ``VALUES``) adds **a summary of
every resource under the base that the first mentions** — as object of the resource's or its parts'
triples, or as subject of a link to it — ontology terms excepted (their labels are in ``/def``):
type, labels, and for label-less nodes what identifies them (``SUMMARY``: the actor, role, target
and amount of a commitment, the lines and quote of a passage, the quantity and value of a figure),
plus the labels of what those summaries point to (``HOP``: the contract a commitment is to, the
document of a passage).

Two queries rather than one: each is answered from the indexes (about a millisecond for a commune);
the same work in one query, with the summaries as an OPTIONAL over a UNION, takes Oxigraph 40 to
200 ms, as it joins the summaries of the whole graph.  The resource is bound with ``VALUES`` in the text
(standard SPARQL: the same text runs on the embedded store and on an external triplestore), and
``Description.queries`` are shown on the HTML page as the queries that produce it.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Callable, Iterable

import pyoxigraph as ox

from policygraph.model import formats
from policygraph.model.namespaces import BASE
from policygraph.store.base import QueryRequest, Store
from policygraph.store.results_io import distinct, parse_triples

# Composition: (property, direction). "in": ?part pg:axisOf ?whole; "out": ?whole pg:hasAxis ?part.
PARTS: tuple[tuple[str, str], ...] = (
    ("hasAxis", "out"), ("axisOf", "in"), ("parentAxis", "in"), ("objectiveOf", "in"), ("inAxis", "in"),
    ("inObjective", "in"), ("inContract", "in"), ("commitsTo", "in"), ("shareOf", "in"), ("hasShare", "out"),
    ("bodyOf", "in"), ("eventOf", "in"), ("indicatorOf", "in"), ("figureOf", "in"), ("inDocument", "in"),
    ("legalStatus", "out"),
)
PART_PATH = "|".join(("^" if d == "in" else "") + "pg:" + p for p, d in PARTS)

SUMMARY = ("rdf:type", "skos:prefLabel", "rdfs:label", "skos:notation", "dct:title", "pg:number", "pg:order",
           "pg:inseeCode", "pg:actor", "pg:role", "pg:commitsTo", "pg:amount", "pg:currency", "pg:amountQualifier",
           "pg:inDocument", "pg:lineStart", "pg:lineEnd", "pg:quote", "pg:quantity", "pg:value", "pg:referenceYear",
           "pg:figureOf", "pg:startYear", "pg:endYear", "pg:startDate", "pg:endDate", "pg:signatureYear",
           "pg:signatureDate", "pg:date", "pg:kind", "pg:epciType", "pg:validIn", "pg:holder", "pg:post",
           "pg:inContract", "pg:underContract")
# Summary properties whose targets are labelled too (the second hop).
HOP = ("pg:actor", "pg:role", "pg:commitsTo", "pg:amountQualifier", "pg:inDocument", "pg:quantity", "pg:figureOf",
       "pg:kind", "pg:epciType", "pg:holder", "pg:post", "pg:inContract", "pg:underContract")
TERRITORY_UP = "pg:directlyWithin|pg:within|^pg:contains"

PREFIX_LINES = """PREFIX pg: <https://w3id.org/policygraph/def#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@lru_cache(maxsize=8)
def _core(base: str) -> str:
    return PREFIX_LINES + f"""CONSTRUCT {{ ?s ?p ?o }}
WHERE {{
  # 1. the resource and its parts (IRIs under its own)
  {{ VALUES ?r {{ {RESOURCE} }}
    ?r ({PART_PATH})* ?s .
    FILTER(?s = ?r || STRSTARTS(STR(?s), CONCAT(STR(?r), "/")))
    ?s ?p ?o }}
  # 2. the links to it
  UNION {{ VALUES ?r {{ {RESOURCE} }}
    ?s ?p ?r . FILTER(?p NOT IN (rdf:type, prov:wasDerivedFrom)) BIND(?r AS ?o) }}
  # 3. what covers it: a scope at or around the territory (entailed pg:covers)
  UNION {{ VALUES ?r {{ {RESOURCE} }}
    ?r ({TERRITORY_UP})* ?t . ?s pg:scope ?t . BIND(pg:covers AS ?p) BIND(?r AS ?o) }}
  UNION {{ VALUES ?r {{ {RESOURCE} }}
    ?r ({TERRITORY_UP})* ?a . ?t pg:contains+ ?a . ?s pg:scope ?t . BIND(pg:covers AS ?p) BIND(?r AS ?o) }}
}}
"""


@lru_cache(maxsize=8)
def _summary(base: str, extra: tuple[str, ...]) -> str:
    return PREFIX_LINES + f"""CONSTRUCT {{ ?n ?q ?v . ?m ?lp ?l }}
WHERE {{
  {{ VALUES ?n {{ {NEIGHBOURS} }}
    ?n ?q ?v . FILTER(?q IN ({", ".join(SUMMARY + extra)})) }}
  UNION {{ VALUES ?n {{ {NEIGHBOURS} }}
    ?n ?hp ?m . FILTER(?hp IN ({", ".join(HOP + extra)}) && isIRI(?m) && STRSTARTS(STR(?m), "{base}"))
    ?m ?lp ?l . FILTER(?lp IN (skos:prefLabel, rdfs:label)) }}
}}
"""


# The resources are bound by VALUES *inside each branch of the UNION*, written here as the N-Triples
# form of validated pyoxigraph terms (what the Store's own binding writes, sparql_text.inline_values):
# Oxigraph does not push a VALUES block placed before a UNION into its branches, and then evaluates
# ``?s ?p ?r`` over the whole graph — 30 ms for a commune, against 1 ms bound inside.
RESOURCE = "$RESOURCE"
NEIGHBOURS = "$NEIGHBOURS"


def core_query(iri: str, base: str = BASE) -> str:
    """The first query, for the resource ``iri``."""
    return _core(base).replace(RESOURCE, str(ox.NamedNode(iri)))


def summary_query(terms, base: str = BASE, extra: tuple[str, ...] = ()) -> str:
    """The summaries of ``terms`` (pyoxigraph named nodes)."""
    return _summary(base, extra).replace(NEIGHBOURS, " ".join(str(ox.NamedNode(t.value)) for t in terms))


PG = "https://w3id.org/policygraph/def#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_PART_OUT = {PG + p for p, d in PARTS if d == "out"}
_PART_IN = {PG + p for p, d in PARTS if d == "in"}


@dataclass
class Description:
    """The triples returned for one resource, with the indexes the renderers need."""

    iri: str
    triples: list[ox.Triple]
    queries: tuple[str, ...] = ()
    generation: object = None
    part_set: frozenset | None = None  # computed from the first query's answer alone

    @property
    def node(self) -> ox.NamedNode:
        return ox.NamedNode(self.iri)

    @property
    def empty(self) -> bool:
        return not self.triples

    @cached_property
    def out(self) -> dict:
        """subject → [(predicate, object)], in a stable order."""
        index: dict = {}
        for t in self.triples:
            index.setdefault(t.subject, []).append((t.predicate, t.object))
        return index

    @cached_property
    def inc(self) -> dict:
        """object (IRI or blank node) → [(subject, predicate)]."""
        index: dict = {}
        for t in self.triples:
            if not isinstance(t.object, ox.Literal):
                index.setdefault(t.object, []).append((t.subject, t.predicate))
        return index

    @cached_property
    def parts(self) -> frozenset:
        """The resource and its parts (see the module's docstring), computed on the first query's answer.

        Reached through the composition properties with IRIs under the resource's own — or under its
        IRI with triples of their own: the query's property path may pass through a resource that is
        not a part (a commitment ``…/contract/x/funding/y`` to a project in one of the contract's
        axes), and such a resource, under the contract's IRI, is the contract's.  A resource under
        the IRI that only links to it (a service ``…/actor/region/32/…`` of the Région) is not a part.
        """
        if self.part_set is not None:
            return self.part_set
        root = self.node
        prefix = self.iri + "/"
        seen = {root} | {s for s, pos in self.out.items() if isinstance(s, ox.NamedNode) and s.value.startswith(prefix)
                         and any(o != root for _, o in pos)}
        todo = [root]
        while todo:
            node = todo.pop()
            nexts = [o for p, o in self.out.get(node, ()) if p.value in _PART_OUT]
            nexts += [s for s, p in self.inc.get(node, ()) if p.value in _PART_IN]
            for n in nexts:
                if isinstance(n, ox.NamedNode) and n not in seen and n.value.startswith(prefix):
                    seen.add(n)
                    todo.append(n)
        return frozenset(seen)

    def neighbours(self, base: str) -> list[ox.NamedNode]:
        """What the summaries are for: resources under the base that the resource or its parts
        mention, and the subjects of the links to it (not the parts, not ontology terms)."""
        parts, root = self.parts, self.node
        found = set()
        for t in self.triples:
            if t.subject in parts:
                if t.predicate.value != RDF_TYPE and isinstance(t.object, ox.NamedNode):
                    found.add(t.object)
            elif t.object == root:
                found.add(t.subject)
        ontology = base + "def#"
        return sorted((n for n in found if isinstance(n, ox.NamedNode) and n not in parts
                       and n.value.startswith(base) and not n.value.startswith(ontology)), key=lambda n: n.value)

    def values(self, subject, predicate: str) -> list:
        return [o for p, o in self.out.get(subject, ()) if p.value == predicate]

    @property
    def size(self) -> int:
        return len(self.triples)


def describe(store: Store, iri: str, *, base: str | None = None, summaries: "SummaryCache | None" = None) -> Description:
    """Run the description queries for ``iri`` on ``store`` (in this process: see ``documents`` for
    the same work in a query worker)."""
    graphs = all_graphs(store)

    def construct(query: str) -> list[ox.Triple]:
        return parse_triples(store.query(QueryRequest(query, None, formats.N_TRIPLES, default_graphs=graphs,
                                                      named_graphs=graphs)).body)

    return describe_with(construct, iri, base or store.settings.base_iri, generation_of(store), summaries)


def describe_with(construct: Callable[[str], Iterable[ox.Triple]], iri: str, base: str, generation=None,
                  summaries: "SummaryCache | None" = None) -> Description:
    """The description of ``iri``, ``construct(query)`` answering a CONSTRUCT query.

    ``summaries`` keeps the summary of each resource for the store generation: the communes of a
    département share the contracts that cover them, their arrondissement and their EPCI, whose
    summaries are then fetched once.
    """
    first_query = core_query(iri, base)
    first = Description(iri, distinct(construct(first_query)))
    queries = [first_query]
    triples = first.triples
    neighbours = first.neighbours(base)
    if neighbours:
        queries.append(summary_query(neighbours, base))
        known = summaries.lookup(generation, neighbours) if summaries is not None else {}
        missing = [n for n in neighbours if n not in known]
        if missing:
            fetched = split_summaries(distinct(construct(summary_query(missing, base))), missing)
            if summaries is not None:
                summaries.keep(generation, fetched)
            known.update(fetched)
        seen = set(triples)
        for n in neighbours:
            for t in known.get(n, ()):
                if t not in seen:
                    seen.add(t)
                    triples.append(t)
    return Description(iri, sort_triples(triples, iri), tuple(queries), generation, first.parts)


def all_graphs(store: Store) -> tuple[str, ...] | None:
    """None when queries already see the union of the named graphs (the default setting); else every
    named graph, as the protocol dataset: a resource is described from all the graphs that state
    something about it, whatever the endpoint's default."""
    if store.settings.union_default_graph:
        return None
    rows = store.select_json("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union=False)
    return tuple(row["g"].value for row in rows if "g" in row)


def _iri(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return {"pg": PG, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "skos": "http://www.w3.org/2004/02/skos/core#",
            "dct": "http://purl.org/dc/terms/"}[prefix] + local


def split_summaries(triples: list[ox.Triple], nodes: list) -> dict:
    """The summary query's answer, per resource: its own triples and the labels its summary needs."""
    hop = {_iri(c) for c in HOP}
    by_subject: dict = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)
    result = {}
    for n in nodes:
        own = by_subject.get(n, [])
        labels = [t for m in {t.object for t in own if t.predicate.value in hop and t.object != n}
                  for t in by_subject.get(m, ()) if t.predicate.value in _LABEL_PREDICATES]
        result[n] = own + labels
    return result


_LABEL_PREDICATES = {"http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label"}


class SummaryCache:
    """Summaries of resources for the current generation (what the second query returns, per resource)."""

    def __init__(self, max_entries: int = 50_000):
        self.max_entries = max_entries
        self._generation = None
        self._items: dict = {}
        self._lock = threading.Lock()

    def lookup(self, generation, nodes) -> dict:
        if generation is None:
            return {}
        with self._lock:
            if generation != self._generation:
                return {}
            return {n: self._items[n] for n in nodes if n in self._items}

    def keep(self, generation, summaries: dict) -> None:
        if generation is None:
            return
        with self._lock:
            if generation != self._generation:
                self._generation, self._items = generation, {}
            if len(self._items) + len(summaries) > self.max_entries:
                self._items.clear()
            self._items.update(summaries)


def sort_triples(triples: list[ox.Triple], iri: str) -> list[ox.Triple]:
    """The resource first, then its parts, then the rest; each subject's type first.

    Turtle serializers group consecutive triples of one subject: this order makes readable Turtle.
    """
    prefix = iri + "/"
    keys: dict = {}

    def subject_key(s) -> tuple:
        key = keys.get(s)
        if key is None:
            value = s.value
            rank = 0 if value == iri else 1 if value.startswith(prefix) else 2
            key = keys[s] = (rank, isinstance(s, ox.BlankNode), natural_key(value))
        return key

    return sorted(triples, key=lambda t: (subject_key(t.subject), t.predicate.value != RDF_TYPE,
                                          t.predicate.value, str(t.object)))


def generation_of(store: Store):
    """A value that changes whenever the store's data may have changed, or None when unknown.

    The embedded store bumps ``generation`` at every commit; an external triplestore can be written
    by others, so nothing it returns is cached.
    """
    return getattr(store, "generation", None)


class GenerationCache:
    """Values computed from the store's current generation, least recently used first out, bounded by
    their total weight (triples, bytes), not their number: a few large documents and thousands of
    communes both fit.  Nothing is kept from a store without generations (an external triplestore,
    which others may write)."""

    def __init__(self, max_weight: int):
        self.max_weight = max_weight
        self._generation = None
        self._items: OrderedDict[object, tuple[object, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, store: Store, key, compute: Callable[[], object], weight: Callable[[object], int]):
        generation = generation_of(store)
        found = self.lookup(generation, key)
        if found is None:
            found = compute()
            self.keep(store, generation, key, found, weight(found))
        return found

    def lookup(self, generation, key):
        """The value kept for ``key`` in ``generation`` (``generation_of(store)``), or None."""
        if generation is None:
            return None
        with self._lock:
            found = self._items.get(key) if generation == self._generation else None
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def keep(self, store: Store, generation, key, value, weight: int) -> None:
        """Keep a value computed from ``generation`` — unless the store has moved on meanwhile."""
        if generation is None:
            return
        with self._lock:
            if generation_of(store) != generation:  # written meanwhile: the value may be of either
                return
            if generation != self._generation:  # a new generation: what was kept is stale
                self._generation, self._items, self._weight = generation, OrderedDict(), 0
            if key not in self._items:
                self._items[key] = (value, weight)
                self._weight += weight
            while self._weight > self.max_weight and len(self._items) > 1:
                self._weight -= self._items.popitem(last=False)[1][1]


class DescriptionCache:
    """Descriptions (for the HTML pages) of the current store generation.  One resource is usually
    fetched in several formats in a row (a browser then its crawler, a consumer following
    ``Link: rel=alternate``): the description is made once."""

    def __init__(self, max_triples: int = 400_000):
        self.summaries = SummaryCache()
        self._cache = GenerationCache(max_triples)

    def get(self, store: Store, iri: str) -> Description:
        return self._cache.get(store, iri, lambda: describe(store, iri, summaries=self.summaries),
                               lambda d: d.size)


_NATURAL = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """'axis/10' after 'axis/2': numbers compared as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in _NATURAL.split(text))
