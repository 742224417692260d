"""What a worker process does: evaluate one query (or plan one update) and serialize the answer.

Runs inside the processes of ``policygraph.workers``; everything it receives and returns is
picklable (strings, bytes, dicts, PolicyGraphError).  Jobs: ``query``, ``document`` (a resource's
document, see ``policygraph.documents``), ``update_plan`` and ``open``.  A job names its *context*:

- ``{"kind": "embedded", "checkpoint": path}`` — a read-only RocksDB checkpoint of the store;
- ``{"kind": "remote", "query_url": …, "update_url": …, "auth": …, "union": "list"|"native"}``.

The worker answers with the serialized result, already checked against the row, triple and byte
limits, so that the main process only passes bytes on.
"""

from __future__ import annotations

import gc
import os
from typing import Any

import pyoxigraph as ox

from . import formats
from .errors import NotAcceptable, PolicyGraphError, StoreError, UpstreamError, syntax_error
from .results_io import collect, write_boolean, write_graph, write_solutions


def worker_main(conn) -> None:
    state = _WorkerState()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the server is gone: so are we
        if job.get("op") == "exit":
            return
        try:
            conn.send(("ok", state.handle(job)))
        except PolicyGraphError as exc:
            conn.send(("error", exc))
        except Exception as exc:  # noqa: BLE001 — reported to the main process, never swallowed
            conn.send(("error", StoreError(f"{type(exc).__name__}: {exc}")))


class _WorkerState:
    def __init__(self):
        self.context: dict | None = None
        self.store: ox.Store | None = None
        self.client = None
        self.summaries = None  # describe.SummaryCache, for the documents of this context

    def open(self, context: dict | None) -> None:
        if context == self.context:
            return
        self.store = None
        gc.collect()  # release the RocksDB handle before the checkpoint may be deleted
        if self.client is not None:
            self.client.close()
            self.client = None
        self.context = context
        if context is None:
            return
        if context["kind"] == "embedded":
            self.store = ox.Store.read_only(context["checkpoint"])
        else:
            from .remote_http import make_client

            self.client = make_client(context)

    def handle(self, job: dict) -> Any:
        op = job["op"]
        if op == "open":
            self.open(job["context"])
            return None
        if op == "query":
            self.open(job["context"])
            return self.query(job)
        if op == "document":
            from .describe import SummaryCache
            from .documents import document_job

            self.open(job["context"])
            if self.summaries is None:
                self.summaries = SummaryCache()
            # A checkpoint never changes: its path names the generation (an external store has none).
            generation = self.context.get("checkpoint")
            return document_job(self.construct, job, self.summaries, generation)
        if op == "update_plan":
            from .update_plan import plan_in_worker

            self.open(job.get("context"))
            return plan_in_worker(job, self.client)
        raise StoreError(f"unknown worker job {op!r}")

    def query(self, job: dict) -> dict:
        if self.context["kind"] == "embedded":
            return run_embedded(self.store, job)
        from .remote_http import run_remote

        return run_remote(self.client, self.context, job)

    def construct(self, job: dict) -> list[ox.Triple]:
        """A CONSTRUCT's triples, without writing them out and reading them back when the store is here."""
        if self.context["kind"] == "embedded":
            try:
                return collect(_evaluate(self.store, job), max_triples=job["max_triples"])
            except OSError as exc:  # evaluation goes on while the triples are read
                raise _engine_error(exc, job) from None
        from .describe import parse_triples

        return parse_triples(self.query(job)["body"])


def _dataset_kwargs(job: dict) -> dict:
    """pyoxigraph dataset options from the protocol parameters (SPARQL 1.1 Protocol §2.1.4)."""
    default, named = job.get("default_graphs"), job.get("named_graphs")
    if default is not None or named is not None:
        # A protocol-specified dataset replaces FROM/FROM NAMED; a part left out is empty.
        return {"default_graph": [ox.NamedNode(g) for g in default or []],
                "named_graphs": [ox.NamedNode(g) for g in named or []]}
    if job.get("union") and not job.get("has_dataset"):
        return {"use_default_graph_as_union": True}
    return {}


def run_embedded(store: ox.Store, job: dict) -> dict:
    result = _evaluate(store, job)
    try:
        return serialize_result(result, job)
    except OSError as exc:
        raise _engine_error(exc, job) from None


def _evaluate(store: ox.Store, job: dict):
    try:
        return store.query(job["query"], base_iri=job.get("base_iri"), **_dataset_kwargs(job))
    except SyntaxError as exc:
        raise syntax_error(exc) from None
    except OSError as exc:
        raise _engine_error(exc, job) from None


def _engine_error(exc: OSError, job: dict) -> PolicyGraphError:
    if "SERVICE" in job["query"].upper():
        return UpstreamError(f"a SERVICE endpoint failed: {exc}")
    return StoreError(str(exc))


def serialize_result(result, job: dict) -> dict:
    """Serialize a pyoxigraph result (solutions, boolean or triples) in the negotiated format."""
    if isinstance(result, ox.QuerySolutions):
        fmt = _format(job, "results_format", "SELECT")
        variables = [v.value for v in result.variables]
        body, count = write_solutions(variables, (list(s) for s in result), fmt,
                                      max_rows=job["max_rows"], max_bytes=job["max_bytes"])
        return {"kind": "results", "format": formats.key(fmt), "body": body, "count": count}
    if isinstance(result, ox.QueryBoolean):
        fmt = _format(job, "results_format", "ASK")
        return {"kind": "results", "format": formats.key(fmt), "body": write_boolean(bool(result), fmt),
                "count": 1}
    fmt = _format(job, "graph_format", "CONSTRUCT or DESCRIBE")
    body, count = write_graph(result, fmt, max_triples=job["max_triples"], max_bytes=job["max_bytes"],
                              graph_name=job.get("graph") if job.get("graph_read") else None)
    return {"kind": "graph", "format": formats.key(fmt), "body": body, "count": count}


def _format(job: dict, name: str, form: str) -> formats.Format:
    key = job.get(name)
    if key is None:
        raise NotAcceptable(f"none of the requested media types can represent the answer to a {form} query")
    return formats.lookup(key)


if __name__ == "__main__":
    import sys
    from multiprocessing.connection import Connection

    worker_main(Connection(int(sys.argv[1])))
