"""The store behind one interface: the embedded Oxigraph store or an external SPARQL triplestore.

Everything the service does with data goes through ``Store``:

- ``query(QueryRequest) -> QueryResult``: a SPARQL query with its protocol dataset, typed
  parameter bindings, time limit and negotiated formats, answered as serialized bytes;
- ``update(text, steward=…)`` and the Graph Store operations (``read_graph``, ``graph_exists``,
  ``replace_graph``, ``merge_graph``, ``delete_graph``): writes, each planned first (its exact
  delta), checked by the write guard, then committed atomically;
- ``load_files(files)``: (re)load the shipped dataset, each file into its named graph;
- ``graph_counts()``: triples per graph.

Requests that would make the server call out — ``SERVICE`` to an endpoint the operator did not
allow-list, ``LOAD`` — are refused here, in the core, whatever the entry point (HTTP or CLI).
``policygraph.store.open_store(settings)`` picks the implementation.
"""

from __future__ import annotations

import json
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Callable, ContextManager, Iterator, Mapping, Sequence

import anyio
import pyoxigraph as ox

from policygraph.errors import Forbidden, ShapeViolation
from policygraph.model import formats
from policygraph.model.formats import Format
from policygraph.model.terms import from_rdflib, quad_to_rdflib, to_rdflib
from policygraph.settings import Settings
from policygraph.store.results_io import parse_triples
from policygraph.store.sparql_text import analyze_query, inline_values, outbound_targets
from policygraph.store.worker_jobs import JobContext, run_handler
from policygraph.store.workers import WorkerPool
from policygraph.store.write_guard import GuardResult, load_guard


@dataclass(frozen=True)
class QueryRequest:
    query: str
    results_format: Format | None = None  # for SELECT/ASK; None: not acceptable
    graph_format: Format | None = None  # for CONSTRUCT/DESCRIBE; None: not acceptable
    default_graphs: tuple[str, ...] | None = None  # protocol dataset (default-graph-uri)
    named_graphs: tuple[str, ...] | None = None  # protocol dataset (named-graph-uri)
    substitutions: Mapping[str, Any] = field(default_factory=dict)  # variable → pyoxigraph term
    timeout: float | None = None  # at most the configured limit


@dataclass(frozen=True)
class QueryResult:
    kind: str  # "results" or "graph"
    format: Format
    body: bytes
    count: int


@dataclass(frozen=True)
class Change:
    """What a committed write did."""
    steward: str | None
    added: int
    removed: int
    operations: int = 1
    created: bool = False  # Graph Store: the graph did not exist before

    def to_dict(self) -> dict:
        return {"steward": self.steward, "added": self.added, "removed": self.removed,
                "operations": self.operations}


_LOAD_REFUSED = ("LOAD is disabled: it would make the server fetch a document. Upload the data "
                 "with the Graph Store Protocol (PUT or POST /data) instead.")


def check_outbound(text: str, *, update: bool, allowlist: Sequence[str]) -> None:
    """Refuse requests that would make the server call out (SPARQL 1.1 Federated Query §3, Update §3.1.4).

    SERVICE may only call endpoints the operator allow-listed; LOAD is always refused.
    """
    if update:
        from policygraph.store.sparql_text import decode_codepoint_escapes, split_update

        for variant in {text, decode_codepoint_escapes(text)}:
            if any(op.kind == "LOAD" for op in split_update(variant, strict=False).operations):
                raise Forbidden(_LOAD_REFUSED)
    for target in outbound_targets(text, update=update):
        if target is None:
            raise Forbidden("SERVICE (or LOAD) to an endpoint that cannot be determined before the query runs "
                            "(a variable, an unknown prefix) is not allowed on this service")
        if target not in allowlist:
            raise Forbidden(f"SERVICE <{target}> is not allowed: the operator has not allow-listed this endpoint",
                            endpoint=target)


class Store(ABC):
    kind = "abstract"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.guard = load_guard(settings.write_guard)
        self._write_lock = threading.Lock()
        self.pool: WorkerPool | None = None
        self._memos: dict[str, dict] = {}  # job handlers' memos when they run in this process

    # -- reads ----------------------------------------------------------------------------------

    @abstractmethod
    def context(self) -> dict:
        """What a worker must open to answer a query now."""

    def _job(self, **job) -> dict:
        s = self.settings
        job.setdefault("base_iri", s.base_iri)
        job.update(context=self.context(), max_rows=s.max_rows, max_triples=s.max_triples,
                   max_bytes=s.max_result_bytes)
        return job

    def _run(self, job: dict, timeout: float | None = None) -> dict:
        if self.pool is None:
            # No workers started (the command line): run in this process, without a time limit —
            # the operator at the terminal can interrupt it.
            return self._run_here(job)
        try:
            return self.pool.run(job, self._limit(timeout))
        finally:
            self._after_job()

    async def _run_async(self, job: dict, timeout: float | None = None) -> dict:
        """``_run`` from a coroutine of the event loop (see ``WorkerPool.run_async``)."""
        if self.pool is None:
            return await anyio.to_thread.run_sync(self._run_here, job)
        try:
            return await self.pool.run_async(job, self._limit(timeout))
        finally:
            self._after_job()

    def _limit(self, timeout: float | None) -> float:
        return self.settings.query_timeout if timeout is None else min(timeout, self.settings.query_timeout)

    def _after_job(self) -> None:
        """What the store does after each job of a worker (the embedded store collects checkpoints)."""

    def _run_here(self, job: dict) -> Any:
        if job["op"] == "call":
            context = JobContext(lambda sub: parse_triples(self._query_here(sub)["body"]), None,
                                 self._memos.setdefault(job["handler"], {}))
            return run_handler(context, job)
        return self._query_here(job)

    @abstractmethod
    def _query_here(self, job: dict) -> dict: ...

    def _plan(self, job: dict, client=None) -> dict:
        """Plan an update in a worker (killed after the update time limit), or here without workers."""
        if self.pool is None:
            from policygraph.store.update_plan import plan_in_worker

            return plan_in_worker(job, client)
        return self.pool.run(job, self.settings.update_timeout)

    def query(self, request: QueryRequest) -> QueryResult:
        return self._result(self._run(self._query_job(request), request.timeout))

    async def query_async(self, request: QueryRequest) -> QueryResult:
        return self._result(await self._run_async(self._query_job(request), request.timeout))

    @staticmethod
    def _result(answer: dict) -> QueryResult:
        return QueryResult(answer["kind"], formats.lookup(answer["format"]), answer["body"], answer["count"])

    def _query_job(self, request: QueryRequest) -> dict:
        check_outbound(request.query, update=False, allowlist=self.settings.service_allowlist)
        text = request.query
        if request.substitutions:
            # Parameters become a VALUES block of N-Triples terms opening the WHERE group (see
            # sparql_text.inline_values). Not pyoxigraph's substitutions=, which refuses a variable
            # that is not in the SELECT projection — and named queries rarely project their inputs;
            # the same binding also works on an external triplestore.
            text = inline_values(text, {k: str(v) for k, v in request.substitutions.items()})
        info = analyze_query(request.query)  # the bindings add neither FROM nor SERVICE
        return self._job(
            op="query", query=text, has_dataset=info.has_dataset,
            default_graphs=list(request.default_graphs) if request.default_graphs is not None else None,
            named_graphs=list(request.named_graphs) if request.named_graphs is not None else None,
            union=self.settings.union_default_graph,
            results_format=formats.key(request.results_format) if request.results_format else None,
            graph_format=formats.key(request.graph_format) if request.graph_format else None,
            timeout=self.settings.query_timeout,
        )

    async def run_job_async(self, handler: str, **job) -> Any:
        """Run ``handler(context, job)`` (``"module:function"``, see ``worker_jobs.JobContext``) in a
        query worker, under the query time limit: the way a higher layer does work next to the data
        without the store knowing it.  Its queries see every named graph as the default graph unless
        ``job`` names a dataset."""
        job.setdefault("default_graphs", None)
        job.setdefault("named_graphs", None)
        job.setdefault("union", True)
        return await self._run_async(self._job(op="call", handler=handler, timeout=self.settings.query_timeout,
                                               **job))

    def select_json(self, query: str, *, union: bool | None = None) -> list[dict]:
        """Run a SELECT internally; rows as {variable: pyoxigraph term}."""
        job = self._job(op="query", query=query, has_dataset=False, union=self.settings.union_default_graph
                        if union is None else union, results_format=formats.key(formats.RESULTS_JSON),
                        graph_format=None, timeout=self.settings.query_timeout)
        answer = self._run(job)
        from policygraph.model.terms import from_json

        data = json.loads(answer["body"])
        return [{k: from_json(v) for k, v in b.items()} for b in data["results"]["bindings"]]

    def read_graph(self, graph: str | None, fmt: Format) -> QueryResult:
        """Graph Store GET: the graph ``graph`` (None: the default graph) in ``fmt``."""
        if graph is not None and not self.graph_exists(graph):
            from policygraph.errors import NotFound

            raise NotFound(f"no graph named <{graph}> in this store")
        job = self._job(op="query", graph_read=True, graph=graph, query="CONSTRUCT WHERE { ?s ?p ?o }",
                        has_dataset=False, union=False,
                        default_graphs=[graph] if graph is not None else None,
                        named_graphs=[] if graph is not None else None,
                        results_format=None, graph_format=formats.key(fmt), timeout=self.settings.query_timeout)
        answer = self._run(job)
        return QueryResult(answer["kind"], fmt, answer["body"], answer["count"])

    def graph_counts(self) -> dict[str | None, int]:
        """Triples in each named graph, and in the default graph (key None)."""
        rows = self.select_json("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                                union=False)
        counts: dict[str | None, int] = {r["g"].value: int(r["n"].value) for r in rows if "g" in r}
        default = self.select_json("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", union=False)
        counts[None] = int(default[0]["n"].value) if default else 0
        return counts

    # -- writes ---------------------------------------------------------------------------------

    def _check_guard(self, view, added, removed, steward: str | None) -> GuardResult:
        result = self.guard(view, [quad_to_rdflib(q) for q in added], [quad_to_rdflib(q) for q in removed],
                            steward=steward)
        if not result.conforms:
            raise ShapeViolation("the change was not written: " + (result.report.splitlines()[0]
                                                                   if result.report else "refused by the write guard"),
                                 report=result.report, report_media_type=result.report_media_type)
        return result

    @abstractmethod
    def update(self, text: str, *, steward: str | None, using=None, using_named=None) -> Change: ...

    @abstractmethod
    def commit_change(self, plan: Callable[[Any], tuple], *, steward: str | None) -> tuple[Change, Any]:
        """Apply the change ``plan(view)`` computes, atomically, under the write lock.

        ``plan`` sees the store as it is at the commit (a ``write_guard.ReadView``) and returns
        ``(added, removed, outcome)``: rdflib quads (``g`` None for the default graph) and anything
        the caller wants back.  It may raise to refuse (nothing is written).  The effective change
        then passes the write guard, like every write.  Returns ``(Change, outcome)``.
        """

    @abstractmethod
    def snapshot_view(self) -> ContextManager:
        """A ``write_guard.ReadView`` of the store as it is now, unaffected by later commits, for
        long reads outside the write lock (``POST /validate``)."""

    @abstractmethod
    def graph_exists(self, graph: str) -> bool: ...

    @abstractmethod
    def replace_graph(self, graph: str | None, quads: list[ox.Quad], *, steward: str | None) -> Change: ...

    @abstractmethod
    def merge_graph(self, graph: str | None, quads: list[ox.Quad], *, steward: str | None) -> Change: ...

    @abstractmethod
    def delete_graph(self, graph: str | None, *, steward: str | None) -> Change: ...

    @abstractmethod
    def load_files(self, files) -> dict[str, int]: ...

    @abstractmethod
    def is_empty(self) -> bool: ...

    def start(self) -> None:
        """Start the query workers."""
        self.pool = WorkerPool(self.settings.workers)
        self.pool.start()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None


class OxigraphView:
    """``write_guard.ReadView`` over a pyoxigraph store (rdflib terms in and out)."""

    def __init__(self, store: ox.Store):
        self.store = store

    def quads(self, subject=None, predicate=None, object=None, graph: Any = ...) -> Iterator[tuple]:
        g = None if graph is ... else from_rdflib(graph)
        for q in self.store.quads_for_pattern(*(from_rdflib(t) if t is not None else None
                                                for t in (subject, predicate, object)), g):
            yield quad_to_rdflib(q)

    def query(self, sparql: str):
        result = self.store.query(sparql)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            return [{n: to_rdflib(t) for n, t in zip(names, row) if t is not None} for row in result]
        return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in result]

