"""The SHACL write guard: no write may add a ``sh:Violation`` to the graph.

``POLICYGRAPH_WRITE_GUARD=policygraph.validation.guard:check`` (the default of the served app) makes
every write — SPARQL Update at ``/update`` and ``/sparql``, the Graph Store at ``/data``, change
sets at ``/changes`` — pass :func:`policygraph.validation.incremental.validate_change` on the exact change
the store planned, against the store as it is just before the commit (the guard runs under the
store's write lock, so nothing can slip in between).

Only violations block.  Warnings ("should", https://www.w3.org/TR/shacl/#severity) and infos are
reported but never refuse a write: the shipped data itself carries warnings where the sources
are silent (a contract without a signature date).  Results the graph already had before the
change do not block either: the guard judges the change, not the past.
"""

from __future__ import annotations

from typing import Sequence

from policygraph.store.write_guard import GuardResult, Quad, ReadView
from policygraph.validation.incremental import validate_change


def check(view: ReadView, added: Sequence[Quad], removed: Sequence[Quad], *,
          steward: str | None = None) -> GuardResult:
    validation = validate_change(view, added, removed)
    text = validation.report.to_text("fr") if validation.report.results else ""
    if not validation.conforms:
        text += ("\nLa modification n'a pas été écrite : corrigez les violations ci-dessus "
                 "(les avertissements seuls ne bloquent pas).\n"
                 "The change was not written: fix the violations above (warnings alone do not block).\n")
    return GuardResult(validation.conforms, text, "text/plain")
