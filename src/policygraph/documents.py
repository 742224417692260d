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

from typing import Callable, Iterable

import pyoxigraph as ox

from . import formats
from .describe import RDF_TYPE, Description, SummaryCache, describe_with
from .namespaces import PREFIXES

# Turtle prefixes for vocabularies only: instance IRIs (id:, voc:) would need escaped slashes.
TURTLE_PREFIXES = {p: str(ns) for p, ns in PREFIXES.items() if p not in ("id", "voc")}

_context = None


def jsonld_context():
    global _context
    if _context is None:
        from .jsonld_context import shipped_context

        _context = shipped_context()
    return _context


def render(description: Description, fmt: formats.Format) -> bytes:
    """The document of a description in an RDF format (JSON-LD framed as the resource's kind asks)."""
    if fmt is formats.JSON_LD:
        from .framing import dumps, frame

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


def document_job(run_construct: Callable[[dict], Iterable[ox.Triple]], job: dict,
                 summaries: SummaryCache | None = None, generation=None) -> dict:
    """Describe ``job["iri"]`` and write its document in ``job["format"]``.

    ``run_construct(job)`` answers one CONSTRUCT query job with its triples (the worker's, or the
    store's in this process); the description queries inherit the document job's context, dataset
    and limits.
    """
    fmt = formats.lookup(job["format"])

    def construct(query: str) -> Iterable[ox.Triple]:
        return run_construct(dict(job, op="query", query=query, has_dataset=False, results_format=None,
                                  graph_format=formats.key(formats.N_TRIPLES)))

    description = describe_with(construct, job["iri"], job["base_iri"], generation, summaries)
    if description.empty:
        return {"empty": True, "body": b"", "triples": 0}
    return {"empty": False, "body": render(description, fmt), "triples": description.size}
