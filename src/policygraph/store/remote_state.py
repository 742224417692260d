"""The planning state of an update on an external triplestore (see ``policygraph.store.update_plan``).

Templates are instantiated by the triplestore itself (CONSTRUCT over the operation's WHERE).  The
triplestore cannot be changed while planning, so the effect of the request's earlier operations is
kept aside (``pending``); as long as no later operation *reads* data, that is enough.  When one
does — ``CLEAR ALL ; INSERT DATA {…} ; INSERT {…} WHERE {…}`` — sequential semantics (SPARQL 1.1
Update §3) need the changed state, so the triplestore's content is mirrored into an in-memory
store, if it has at most ``max_mirror`` quads; otherwise the request is refused with a message
asking to split it.

Blank nodes of the triplestore cannot be named in a later request, so presence checks treat them
as present (for deletions) or new (for insertions).
"""

from __future__ import annotations

import pyoxigraph as ox

from policygraph.errors import BadRequest
from policygraph.store import remote_http
from policygraph.store.plan_state import ScratchState, too_large
from policygraph.store.sparql_text import GraphRef

_ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def _has_bnode(q: ox.Quad) -> bool:
    return any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object, q.graph_name))


class RemoteState:
    def __init__(self, client, context: dict, base_iri: str | None, max_mirror: int):
        self.client = client
        self.context = context
        self.base_iri = base_iri
        self.max_mirror = max_mirror
        self.pending_removed: set = set()
        self.pending_added: set = set()
        self.mirror: ScratchState | None = None

    # -- reading data: from the triplestore, or from the mirror once earlier operations changed it

    def _reading(self) -> ScratchState | None:
        if self.mirror is None and (self.pending_added or self.pending_removed):
            self._build_mirror()
        return self.mirror

    def _build_mirror(self) -> None:
        count = remote_http.select(self.client, self.context, _COUNT)
        n = next(iter(count))["n"]
        if int(n.value) > self.max_mirror:
            raise BadRequest(
                "on the external triplestore, an operation that reads data changed by an earlier operation "
                f"of the same request can only be planned when the store holds at most {self.max_mirror} quads; "
                "send the operations as separate requests")
        store = ox.Store()
        rows = remote_http.select(self.client, self.context, _ALL_QUADS)
        store.extend(ox.Quad(r["s"], r["p"], r["o"], r["g"] if r["g"] is not None else ox.DefaultGraph())
                     for r in rows)
        self.mirror = ScratchState(store, self.base_iri)
        self.mirror.apply(self.pending_removed, self.pending_added)

    def construct(self, query, default_graph, named_graphs, substitutions=None) -> list[ox.Triple]:
        mirror = self._reading()
        if mirror is not None:
            return mirror.construct(query, default_graph, named_graphs, substitutions)
        if substitutions:
            from policygraph.store.sparql_text import inline_values

            query = inline_values(query, {v.value: str(t) for v, t in substitutions.items()})
        dg, ng = self._dataset(default_graph, named_graphs)
        return remote_http.construct(self.client, self.context, query, base_iri=self.base_iri,
                                     default_graphs=dg, named_graphs_=ng)

    def values(self, query, var, default_graph, named_graphs) -> list:
        mirror = self._reading()
        if mirror is not None:
            return mirror.values(query, var, default_graph, named_graphs)
        dg, ng = self._dataset(default_graph, named_graphs)
        rows = remote_http.select(self.client, self.context, query, base_iri=self.base_iri,
                                  default_graphs=dg, named_graphs_=ng)
        return [r[var] for r in rows]

    def quads_in(self, ref: GraphRef, limit: int) -> list[ox.Quad]:
        mirror = self._reading()
        if mirror is not None:
            return mirror.quads_in(ref, limit)
        if ref.kind == "DEFAULT":
            query, graph = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", ox.DefaultGraph()
        elif ref.kind == "GRAPH":
            query, graph = f"SELECT ?s ?p ?o WHERE {{ GRAPH {ox.NamedNode(ref.iri)} {{ ?s ?p ?o }} }}", None
        elif ref.kind == "NAMED":
            query, graph = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", None
        else:
            query, graph = _ALL_QUADS, None
        found = []
        for r in remote_http.select(self.client, self.context, query):
            g = graph if graph is not None else (ox.NamedNode(ref.iri) if ref.kind == "GRAPH" else r["g"])
            found.append(ox.Quad(r["s"], r["p"], r["o"], g if g is not None else ox.DefaultGraph()))
            if len(found) > limit:
                raise too_large(limit)
        return found

    def present(self, quads) -> set:
        quads = set(quads)
        if self.mirror is not None:
            return self.mirror.present(quads)
        found = {q for q in quads if q in self.pending_added}
        unknown = [q for q in quads if q not in self.pending_added and q not in self.pending_removed]
        found |= {q for q in unknown if _has_bnode(q)}  # cannot be checked: see module docstring
        checkable = [q for q in unknown if not _has_bnode(q)]
        for start in range(0, len(checkable), 200):
            chunk = checkable[start:start + 200]
            default = [q for q in chunk if isinstance(q.graph_name, ox.DefaultGraph)]
            named = [q for q in chunk if not isinstance(q.graph_name, ox.DefaultGraph)]
            if default:
                rows = " ".join(f"({q.subject} {q.predicate} {q.object})" for q in default)
                result = remote_http.select(self.client, self.context,
                                            f"SELECT ?s ?p ?o WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} ?s ?p ?o }}")
                found |= {ox.Quad(r["s"], r["p"], r["o"], ox.DefaultGraph()) for r in result}
            if named:
                rows = " ".join(f"({q.subject} {q.predicate} {q.object} {q.graph_name})" for q in named)
                result = remote_http.select(
                    self.client, self.context,
                    f"SELECT ?s ?p ?o ?g WHERE {{ VALUES (?s ?p ?o ?g) {{ {rows} }} GRAPH ?g {{ ?s ?p ?o }} }}")
                found |= {ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in result}
        return found & quads

    def apply(self, removed, added) -> None:
        if self.mirror is not None:
            self.mirror.apply(removed, added)
            return
        for q in removed:
            self.pending_added.discard(q)
            self.pending_removed.add(q)
        for q in added:
            self.pending_removed.discard(q)
            self.pending_added.add(q)

    def manage(self, text: str, removed, added) -> None:
        # Graph management operations are executed by the triplestore when the request is sent;
        # for planning, their effect is the quads the planner computed.
        if self.mirror is not None:
            self.mirror.manage(text, removed, added)
        else:
            self.apply(removed, added)

    def _dataset(self, default_graph, named_graphs):
        """Protocol parameters for an operation's dataset.

        WITH <g> (default graph g, the store's named graphs) has no protocol equivalent: a request
        naming only default graphs has no named graphs (SPARQL 1.1 Protocol §2.1.4), so the named
        graphs are listed.
        """
        if default_graph is not None and named_graphs is None:
            return default_graph, remote_http.named_graphs(self.client, self.context)
        return default_graph, named_graphs
