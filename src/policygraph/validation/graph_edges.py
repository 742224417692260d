"""The graph the shapes validate, as :class:`~policygraph.validation.shape_paths.Edges` for the path walks.

The shapes validate the *union* of the store's graphs, without the graphs that are not data: the
shapes themselves and the change log (``graph/changes``, whose reified removed triples must not
count as facts).  Three sources of edges:

- :class:`StoreEdges` — a pyoxigraph store, read with ``quads_for_pattern`` (microseconds a step);
- :class:`ViewEdges` — any ``write_guard.ReadView`` (an external triplestore), one SPARQL query per
  step for a whole frontier of nodes (``VALUES``), so a walk costs a few round trips, not one per node;
- :class:`GraphEdges` — an rdflib graph (the command line and the tests).

:class:`Overlay` adds the triples a change would add, so walks see the graph before *and* after
the change at once (paths are monotone: what either state reaches, the union reaches too).  Every
source caches what it has read: the walks of one validation ask for the same nodes many times.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Literal, Node

from policygraph.model.namespaces import CHANGES_GRAPH, SHAPES_GRAPH
from policygraph.model.terms import from_rdflib, to_rdflib

NOT_DATA = frozenset({str(SHAPES_GRAPH), str(CHANGES_GRAPH)})  # graphs outside the validated union
_BATCH = 200  # nodes per VALUES query


class _Cached:
    """Caches steps per (node, predicate, direction); subclasses fetch what is missing."""

    def __init__(self):
        self._cache: dict[tuple, list] = {}

    def step(self, nodes: Iterable[Node], predicate: URIRef | None, *, inverse: bool,
             excluded: frozenset = frozenset()) -> list:
        out, missing = [], []
        cache = self._cache
        for node in nodes:
            hit = cache.get((node, predicate, inverse))
            if hit is not None:
                out.extend(hit)
            elif inverse or not isinstance(node, Literal):  # literals have no properties
                missing.append(node)
        if missing:
            fetched = self._fetch(missing, predicate, inverse)
            for node in missing:
                found = fetched.get(node, [])
                self._cache[(node, predicate, inverse)] = found
                out.extend(found)
        if excluded:
            out = [t for t in out if t[1] not in excluded]
        return out

    def _fetch(self, nodes: list, predicate, inverse: bool) -> dict:
        raise NotImplementedError


class StoreEdges(_Cached):
    def __init__(self, store: ox.Store, not_data: frozenset = NOT_DATA):
        super().__init__()
        self.store = store
        self.not_data = frozenset(ox.NamedNode(g) for g in not_data)
        self._terms: dict = {}  # pyoxigraph term → rdflib term: the same nodes come back again and again

    def _term(self, term):
        found = self._terms.get(term)
        if found is None:
            found = self._terms[term] = to_rdflib(term)
        return found

    def _fetch(self, nodes, predicate, inverse):
        found: dict = defaultdict(list)
        p = from_rdflib(predicate) if predicate is not None else None
        term = self._term
        for node in nodes:
            o = from_rdflib(node)
            seen = set()
            for q in self.store.quads_for_pattern(*((None, p, o) if inverse else (o, p, None)), None):
                if q.graph_name in self.not_data:
                    continue
                triple = q.triple
                if triple not in seen:
                    seen.add(triple)
                    found[node].append((term(q.subject), term(q.predicate), term(q.object)))
        return found

    def graphs_of(self, triple) -> set:
        """The data graphs holding a triple (None: the default graph)."""
        s, p, o = (from_rdflib(t) for t in triple)
        return {None if isinstance(q.graph_name, ox.DefaultGraph) else to_rdflib(q.graph_name)
                for q in self.store.quads_for_pattern(s, p, o, None) if q.graph_name not in self.not_data}


class ViewEdges(_Cached):
    """Over ``ReadView.query``: a frontier of nodes per SPARQL query."""

    def __init__(self, view, not_data: frozenset = NOT_DATA):
        super().__init__()
        self.view = view
        self.not_data = not_data

    def _where(self, pattern: str) -> str:
        excluded = ", ".join(f"<{g}>" for g in sorted(self.not_data))
        return (f"{{ {{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} FILTER (?g NOT IN ({excluded})) }} }}")

    def _fetch(self, nodes, predicate, inverse):
        found: dict = defaultdict(set)
        p = f"<{predicate}>" if predicate is not None else "?p"
        for start in range(0, len(nodes), _BATCH):
            batch = nodes[start:start + _BATCH]
            values = " ".join(str(from_rdflib(n)) for n in batch)
            pattern = f"?o {p} ?n" if inverse else f"?n {p} ?o"
            bind = f"BIND ({p} AS ?p)" if predicate is not None else ""
            rows = self.view.query(f"SELECT DISTINCT ?n ?p ?o WHERE {{ VALUES ?n {{ {values} }} "
                                   f"{self._where(pattern)} {bind} }}")
            for row in rows:
                n, o = row["n"], row["o"]
                found[n].add((o, row["p"], n) if inverse else (n, row["p"], o))
        return {n: list(ts) for n, ts in found.items()}

    def graphs_of(self, triple) -> set:
        s, p, o = (str(from_rdflib(t)) for t in triple)
        rows = self.view.query(f"SELECT DISTINCT ?g WHERE {{ {{ {s} {p} {o} BIND (<urn:policygraph:default> AS ?g) }}"
                               f" UNION {{ GRAPH ?g {{ {s} {p} {o} }} }} }}")
        graphs = set()
        for row in rows:
            g = str(row["g"])
            if g == "urn:policygraph:default":
                graphs.add(None)
            elif g not in self.not_data:
                graphs.add(row["g"])
        return graphs


class GraphEdges(_Cached):
    """An rdflib graph (every triple counts: it holds only data)."""

    def __init__(self, graph: Graph):
        super().__init__()
        self.graph = graph

    def _fetch(self, nodes, predicate, inverse):
        found = {}
        for node in nodes:
            pattern = (None, predicate, node) if inverse else (node, predicate, None)
            found[node] = list(self.graph.triples(pattern))
        return found

    def graphs_of(self, triple) -> set:
        return {None} if triple in self.graph else set()


class Overlay:
    """A source of edges plus some extra triples (what a change adds)."""

    def __init__(self, base, extra: Iterable[tuple]):
        self.base = base
        self._out: dict = defaultdict(list)
        self._in: dict = defaultdict(list)
        for t in set(extra):
            self._out[t[0]].append(t)
            self._in[t[2]].append(t)

    def step(self, nodes, predicate, *, inverse: bool, excluded: frozenset = frozenset()) -> list:
        nodes = list(nodes)
        found = self.base.step(nodes, predicate, inverse=inverse, excluded=excluded)
        index = self._in if inverse else self._out
        for node in nodes:
            for t in index.get(node, ()):
                if (predicate is None or t[1] == predicate) and t[1] not in excluded:
                    found.append(t)
        return found


def edges_for(view) -> _Cached:
    """The fastest source of edges for a ``ReadView``: its pyoxigraph store when it has one."""
    store = view if isinstance(view, ox.Store) else getattr(view, "store", None)
    if isinstance(store, ox.Store):
        return StoreEdges(store)
    if isinstance(view, Graph):
        return GraphEdges(view)
    return ViewEdges(view)
