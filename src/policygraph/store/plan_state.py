"""The state an update is planned against (``policygraph.store.update_plan``): a scratch copy.

``ScratchState`` is a read-write pyoxigraph store that may be changed freely — a checkpoint of the
embedded store opened read-write, or the in-memory mirror of an external triplestore
(``policygraph.store.remote_state``).  Both states answer the same few questions of the planner.
"""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from policygraph.errors import BadRequest, ChangeTooLarge, syntax_error
from policygraph.store.sparql_text import GraphRef


def graph_name(ref: GraphRef):
    return ox.DefaultGraph() if ref.kind == "DEFAULT" else ox.NamedNode(ref.iri)


class ScratchState:
    """A read-write pyoxigraph store that may be changed freely (a scratch copy)."""

    def __init__(self, store: ox.Store, base_iri: str | None):
        self.store = store
        self.base_iri = base_iri

    def _kwargs(self, default_graph, named_graphs) -> dict:
        kw: dict = {"base_iri": self.base_iri}
        if default_graph is not None:
            kw["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        if named_graphs is not None:
            kw["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return kw

    def construct(self, query, default_graph, named_graphs, substitutions=None) -> list[ox.Triple]:
        return list(self.store.query(query, substitutions=substitutions, **self._kwargs(default_graph, named_graphs)))

    def values(self, query, var, default_graph, named_graphs) -> list:
        return [s[var] for s in self.store.query(query, **self._kwargs(default_graph, named_graphs))]

    def present(self, quads: Iterable[ox.Quad]) -> set:
        return {q for q in quads if q in self.store}

    def quads_in(self, ref: GraphRef, limit: int) -> list[ox.Quad]:
        if ref.kind in ("DEFAULT", "GRAPH"):
            source = self.store.quads_for_pattern(None, None, None, graph_name(ref))
        else:
            source = self.store.quads_for_pattern(None, None, None, None)
        found = []
        for q in source:
            if ref.kind == "NAMED" and isinstance(q.graph_name, ox.DefaultGraph):
                continue
            found.append(q)
            if len(found) > limit:
                raise too_large(limit)
        return found

    def apply(self, removed, added) -> None:
        for q in removed:
            self.store.remove(q)
        for q in added:
            self.store.add(q)

    def manage(self, text: str, removed, added) -> None:
        """Run a graph management operation natively (it also creates or drops graphs)."""
        try:
            self.store.update(text, base_iri=self.base_iri)
        except SyntaxError as exc:
            raise syntax_error(exc) from None
        except (OSError, RuntimeError) as exc:
            # e.g. DROP GRAPH of a graph that does not exist, without SILENT (SPARQL 1.1 Update §3.2.2)
            raise BadRequest(f"update operation failed: {exc}") from None


def too_large(limit: int) -> ChangeTooLarge:
    return ChangeTooLarge(f"the change touches more than {limit} quads, the limit of one write; "
                          "split it, or reload data with `policygraph load`", limit=limit)
