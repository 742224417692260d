"""A resource's document in an RDF format — framed JSON-LD, Turtle, N-Triples, RDF/XML — made in a
query worker.

Dereferencing is the busiest read of a linked-data service.  Made in the server process, every
description would be parsed back from N-Triples, indexed, framed and written under that one
interpreter's lock, one request at a time however many cores the machine has.  So the worker that
answers the two description queries (``describe.describe_with``) against its own read-only store
also writes the document: requests are described and framed in parallel, one worker round trip
each, and the server only passes the bytes on.  HTML pages, which need the vocabulary's labels and
the templates, are still made in the server from a ``Description``.
"""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from policygraph.linked_data.describe import RDF_TYPE, Description, SummaryCache, describe_with
from policygraph.model import formats
from policygraph.model.namespaces import PREFIXES
from policygraph.store.base import Store
from policygraph.store.worker_jobs import JobContext

# Turtle prefixes for vocabularies only: instance IRIs (id:, voc:) would need escaped slashes.
TURTLE_PREFIXES = {p: str(ns) for p, ns in PREFIXES.items() if p not in ("id", "voc")}

_context = None


def jsonld_context():
    global _context
    if _context is None:
        from policygraph.model.jsonld_context import shipped_context

        _context = shipped_context()
    return _context


def render(description: Description, fmt: formats.Format) -> bytes:
    """The document of a description in an RDF format (JSON-LD framed as the resource's kind asks)."""
    if fmt is formats.JSON_LD:
        from policygraph.linked_data.framing import dumps, frame

        ctx = jsonld_context()
        return dumps(frame(description, ctx), ctx)
    return serialize(description.triples, fmt)


def serialize(triples, fmt: formats.Format) -> bytes:
    """Triples in an RDF format; Turtle and RDF/XML with the prefixes of the vocabularies they use."""
    prefixes = None
    if fmt in (formats.TURTLE, formats.RDF_XML):
        used = {t.predicate.value for t in triples}
        for t in triples:
            if isinstance(t.object, ox.Literal):
                used.add(t.object.datatype.value)
            elif t.predicate.value == RDF_TYPE:
                used.add(t.object.value)
        prefixes = {p: ns for p, ns in TURTLE_PREFIXES.items() if any(u.startswith(ns) for u in used)}
    return ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes)


async def document(store: Store, iri: str, fmt: formats.Format) -> dict:
    """The document of a resource in an RDF format, made in a query worker (``document_job``):
    ``{"empty": bool, "body": bytes, "triples": int}``.  A resource is described from every named
    graph, whatever the default graph of queries is (``describe.all_graphs``)."""
    return await store.run_job_async(f"{__name__}:document_job", iri=iri, format=formats.key(fmt))


def document_job(context: JobContext, job: dict) -> dict:
    """Describe ``job["iri"]`` and write its document in ``job["format"]`` (a ``Store.run_job_async``
    handler).  The description queries inherit the document job's context, dataset and limits; the
    summaries of the resources it mentions are kept in the worker's memo for the generation.
    """
    fmt = formats.lookup(job["format"])

    def construct(query: str) -> Iterable[ox.Triple]:
        return context.construct(dict(job, op="query", query=query, has_dataset=False, results_format=None,
                                      graph_format=formats.key(formats.N_TRIPLES)))

    summaries = context.memo.setdefault("summaries", SummaryCache())
    description = describe_with(construct, job["iri"], job["base_iri"], context.generation, summaries)
    if description.empty:
        return {"empty": True, "body": b"", "triples": 0}
    return {"empty": False, "body": render(description, fmt), "triples": description.size}
