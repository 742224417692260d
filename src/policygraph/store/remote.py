"""The same service on an external SPARQL 1.1 triplestore (Oxigraph server, Fuseki, Virtuoso, QLever).

Queries run in the worker processes (``policygraph.store.remote_http``): the time limit holds even if the
triplestore ignores its own, and answers are re-serialized under the same limits and formats as on
the embedded store.

Writes are planned like on the embedded store (``policygraph.store.update_plan`` with
``policygraph.store.remote_state``), checked by the write guard, then sent as **one** SPARQL Update
request, which SPARQL 1.1 Update §2 requires the triplestore to apply atomically: the original
update for ``/update``, or ``DROP``/``INSERT DATA`` for the Graph Store operations.  Writes of this
service are serialized by a lock; other writers of the triplestore are not seen between planning
and sending (run the service as the triplestore's only writer, as the README says).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pyoxigraph as ox

from policygraph.errors import BadRequest
from policygraph.model.terms import from_rdflib, parse_nquads, quad_from_rdflib, quad_text, to_rdflib
from policygraph.settings import Settings
from policygraph.store import remote_http
from policygraph.store.base import Change, Store, check_outbound


class RemoteView:
    """``write_guard.ReadView`` over the triplestore (rdflib terms in and out)."""

    def __init__(self, client, context: dict):
        self.client, self.context = client, context

    def quads(self, subject=None, predicate=None, object=None, graph=...) -> Iterator[tuple]:
        terms = [str(from_rdflib(t)) if t is not None else f"?{v}" for t, v in
                 ((subject, "s"), (predicate, "p"), (object, "o"))]
        pattern = " ".join(terms)
        if graph is ...:
            query = f"SELECT * WHERE {{ {{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }} }}"
        elif graph is None:
            query = f"SELECT * WHERE {{ {pattern} }}"
        else:
            query = f"SELECT * WHERE {{ GRAPH {from_rdflib(graph)} {{ {pattern} }} }}"
        for row in remote_http.select(self.client, self.context, query):
            g = row["g"] if graph is ... else (None if graph is None else from_rdflib(graph))
            yield (subject if subject is not None else to_rdflib(row["s"]),
                   predicate if predicate is not None else to_rdflib(row["p"]),
                   object if object is not None else to_rdflib(row["o"]),
                   to_rdflib(g) if isinstance(g, (ox.NamedNode, ox.BlankNode)) else None)

    def query(self, sparql: str):
        if sparql.lstrip().upper().startswith(("CONSTRUCT", "DESCRIBE")):
            return [tuple(to_rdflib(t) for t in (x.subject, x.predicate, x.object))
                    for x in remote_http.construct(self.client, self.context, sparql)]
        result = remote_http.select(self.client, self.context, sparql)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        names = [v.value for v in result.variables]
        return [{n: to_rdflib(t) for n, t in zip(names, row) if t is not None} for row in result]


class RemoteStore(Store):
    kind = "remote"

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self._context = {
            "kind": "remote", "query_url": settings.query_url,
            "update_url": settings.update_url or settings.query_url,
            "graph_store_url": settings.graph_store_url,
            "auth": (settings.remote_user, settings.remote_password) if settings.remote_user else None,
            "token": settings.remote_token,
            "union": settings.remote_union,
            "timeout": max(settings.query_timeout, settings.update_timeout) + 5,
        }
        self.client = remote_http.make_client(self._context)

    def context(self) -> dict:
        return self._context

    def _query_here(self, job: dict) -> dict:
        return remote_http.run_remote(self.client, self._context, job)

    def _view(self) -> RemoteView:
        return RemoteView(self.client, self._context)

    def update(self, text: str, *, steward: str | None, using=None, using_named=None) -> Change:
        check_outbound(text, update=True, allowlist=self.settings.service_allowlist)
        with self._write_lock:
            plan = self._plan({"op": "update_plan", "scratch": None, "update": text,
                               "base_iri": self.settings.base_iri, "using": using, "using_named": using_named,
                               "max_change": self.settings.max_change_quads, "context": self._context},
                              client=self.client)
            added, removed = parse_nquads(plan["added"]), parse_nquads(plan["removed"])
            self._check_guard(self._view(), added, removed, steward)
            remote_http.update(self.client, self._context, text, base_iri=self.settings.base_iri,
                               using=using, using_named=using_named)
        return Change(steward, len(added), len(removed), plan["operations"])

    def commit_change(self, plan, *, steward):
        with self._write_lock:
            view = self._view()
            added, removed, outcome = plan(view)
            added, removed = {quad_from_rdflib(q) for q in added}, {quad_from_rdflib(q) for q in removed}
            present = self._present(added | removed)
            added, removed = added - present, removed & present
            if len(added) + len(removed) > self.settings.max_change_quads:
                from policygraph.errors import ChangeTooLarge

                raise ChangeTooLarge(f"the change touches more than {self.settings.max_change_quads} quads")
            self._check_guard(view, added, removed, steward)
            # One request: SPARQL 1.1 Update §2 has the triplestore apply it atomically.
            statements = []
            if removed:
                statements.append("DELETE DATA {\n" + "\n".join(quad_text(q) for q in removed) + "\n}")
            if added:
                statements.append("INSERT DATA {\n" + "\n".join(quad_text(q) for q in added) + "\n}")
            self._send(statements)
        return Change(steward, len(added), len(removed)), outcome

    def _present(self, quads: set) -> set:
        """Which of ``quads`` the triplestore holds (an ASK each: change sets are small)."""
        found = set()
        for q in quads:
            pattern = f"{q.subject} {q.predicate} {q.object}"
            default = isinstance(q.graph_name, ox.DefaultGraph)
            ask = f"ASK {{ {pattern} }}" if default else f"ASK {{ GRAPH {q.graph_name} {{ {pattern} }} }}"
            if bool(remote_http.select(self.client, self._context, ask)):
                found.add(q)
        return found

    @contextmanager
    def snapshot_view(self):
        # The triplestore is read as it is; this service is its only writer (see the module doc).
        yield self._view()

    def _existing(self, name) -> set:
        if isinstance(name, ox.DefaultGraph):
            rows = remote_http.select(self.client, self._context, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
        else:
            rows = remote_http.select(self.client, self._context, f"SELECT ?s ?p ?o WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}")
        return {ox.Quad(r["s"], r["p"], r["o"], name) for r in rows}

    def _send(self, statements: list[str]) -> None:
        if not statements:
            return
        remote_http.update(self.client, self._context, " ;\n".join(statements), base_iri=None)

    def _graph_write(self, graph, compute, *, steward) -> Change:
        name = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        with self._write_lock:
            existed = graph is None or self.graph_exists(graph)
            removed, added, statements = compute(name)
            if len(removed) + len(added) > self.settings.max_change_quads:
                from policygraph.errors import ChangeTooLarge

                raise ChangeTooLarge(f"the change touches more than {self.settings.max_change_quads} quads")
            self._check_guard(self._view(), added, removed, steward)
            self._send(statements)
        return Change(steward, len(added), len(removed), created=not existed)

    @staticmethod
    def _insert(name, quads) -> str:
        body = "\n".join(quad_text(ox.Quad(q.subject, q.predicate, q.object, name)) for q in quads)
        return f"INSERT DATA {{\n{body}\n}}"

    def replace_graph(self, graph, quads, *, steward):
        def compute(name):
            existing = self._existing(name)
            incoming = {ox.Quad(q.subject, q.predicate, q.object, name) for q in quads}
            target = "DEFAULT" if isinstance(name, ox.DefaultGraph) else f"GRAPH {name}"
            statements = [f"DROP SILENT {target}"]
            if not isinstance(name, ox.DefaultGraph):
                statements.append(f"CREATE SILENT GRAPH {name}")
            if incoming:
                statements.append(self._insert(name, incoming))
            return existing - incoming, incoming - existing, statements

        return self._graph_write(graph, compute, steward=steward)

    def merge_graph(self, graph, quads, *, steward):
        def compute(name):
            existing = self._existing(name)
            incoming = {ox.Quad(q.subject, q.predicate, q.object, name) for q in quads}
            added = incoming - existing
            statements = [] if isinstance(name, ox.DefaultGraph) else [f"CREATE SILENT GRAPH {name}"]
            if added:
                statements.append(self._insert(name, added))
            return set(), added, statements

        return self._graph_write(graph, compute, steward=steward)

    def delete_graph(self, graph, *, steward):
        def compute(name):
            existing = self._existing(name)
            target = "DEFAULT" if isinstance(name, ox.DefaultGraph) else f"GRAPH {name}"
            return existing, set(), [f"DROP SILENT {target}"]

        return self._graph_write(graph, compute, steward=steward)

    def graph_exists(self, graph: str) -> bool:
        return bool(remote_http.select(self.client, self._context,
                                       f"ASK {{ GRAPH ?g {{ }} FILTER(?g = {ox.NamedNode(graph)}) }}"))

    def is_empty(self) -> bool:
        return not bool(remote_http.select(self.client, self._context,
                                           "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"))

    def load_files(self, files) -> dict[str, int]:
        """Replace each named graph of ``files`` by one update request (atomic per graph)."""
        by_graph: dict[str, list] = {}
        for f in files:
            by_graph.setdefault(str(f.graph), []).append(f.path)
        counts = {}
        with self._write_lock:
            for graph, paths in by_graph.items():
                name = ox.NamedNode(graph)
                quads = []
                for p in paths:
                    try:
                        quads += [ox.Quad(q.subject, q.predicate, q.object, name) for q in ox.parse(path=str(p))]
                    except SyntaxError as exc:
                        raise BadRequest(f"{p}: {exc}") from None
                statements = [f"DROP SILENT GRAPH {name}", f"CREATE SILENT GRAPH {name}"]
                if quads:
                    statements.append(self._insert(name, quads))
                self._send(statements)
                counts[graph] = len(set(quads))
        return counts

    def close(self) -> None:
        super().close()
        self.client.close()

