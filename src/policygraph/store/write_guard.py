"""The check every write passes before it is committed.

The store computes the exact change of a write (``policygraph.store.update_plan``), then calls the
guard configured by ``POLICYGRAPH_WRITE_GUARD`` (a ``module:function`` path, default this module's
``check``) with:

- ``view``: read access to the store *before* the change (``ReadView``);
- ``added``, ``removed``: the quads the write would add and remove, as rdflib
  ``(subject, predicate, object, graph)`` tuples — ``graph`` is ``None`` for the default graph;
- ``steward``: the name of the authenticated steward making the change.

It returns a ``GuardResult``; ``conforms=False`` refuses the write (HTTP 422, the report in the
error body, nothing written).  The default guard is ``policygraph.validation.guard:check`` (no write may
add a SHACL violation); this module's ``check`` accepts everything, for tests and bulk work.  A guard that wants the state *after* the
change builds it from the view and the delta for the nodes the delta touches — the way RDF4J's
ShaclSail validates a transaction — so it works on the embedded and on an external store alike.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Protocol, Sequence

Quad = tuple  # (subject, predicate, object, graph | None), rdflib terms


@dataclass(frozen=True)
class GuardResult:
    conforms: bool
    report: str = ""  # human-readable, or Turtle of a sh:ValidationReport
    report_media_type: str = "text/plain"


class ReadView(Protocol):
    def quads(self, subject=None, predicate=None, object=None, graph: Any = ...) -> Iterator[Quad]:
        """Quads matching a pattern; ``graph=None`` is the default graph, ``...`` any graph."""

    def query(self, sparql: str) -> Any:
        """SELECT → list of {variable: term}; ASK → bool; CONSTRUCT/DESCRIBE → list of triples."""


Guard = Callable[..., GuardResult]


def check(view: ReadView, added: Sequence[Quad], removed: Sequence[Quad], *, steward: str | None = None) -> GuardResult:
    """Accept every change (``policygraph.validation.guard:check`` is the served default)."""
    return GuardResult(True)


def load_guard(spec: str) -> Guard:
    """The guard function named by ``module:function``."""
    module_name, sep, attr = spec.partition(":")
    if not sep:
        raise ValueError(f"write guard {spec!r} is not 'module:function'")
    guard = getattr(importlib.import_module(module_name), attr)
    if not callable(guard):
        raise ValueError(f"write guard {spec!r} is not callable")
    return guard
