"""``POST /validate``: would this data conform, together with the current graph?  Nothing is written.

The body is RDF — Turtle, TriG, N-Triples, N-Quads, JSON-LD (``application/ld+json``), RDF/XML or
N3, by ``Content-Type`` — taken as triples to add, or a change-set document
(``application/json``, see ``policygraph.steward.change_sets``) with triples to add and to remove.

By default the report speaks only of what the change breaks or fixes, found by incremental
validation (``policygraph.validation.incremental``); ``?full=true`` validates the whole graph after the change
and reports every result (a steward token is required: it takes minutes on a large graph).  The answer is 200 whether or not the data conforms (``X-Conforms``
says which); its format follows ``Accept`` (or ``?format=``), its language ``Accept-Language``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from rdflib import URIRef

from policygraph.errors import InvalidParameter
from policygraph.steward.change_log import resolve_removals
from policygraph.steward.change_sets import parse_body
from policygraph.validation.incremental import validate_change, validate_full
from policygraph.web.routes.deps import BodyDep, SettingsDep, StoreDep, authenticate
from policygraph.web.routes.reports import negotiated, report_response

router = APIRouter(tags=["Data stewards"])

SUBMISSION = URIRef("urn:policygraph:submission")  # where submitted triples are assumed to go


@router.post("/validate", summary="Validate data or a change set against the shapes and the current graph")
def validate(request: Request, store: StoreDep, settings: SettingsDep, body: BodyDep) -> Response:
    negotiated(request)  # an unacceptable Accept is a 406 before any work
    change = parse_body(body, request.headers.get("content-type"), request.query_params, base_iri=settings.base_iri)
    full = _flag(request.query_params.get("full"), "full")
    if full:
        # Validating the whole graph takes minutes at 10^6 triples: stewards only, not every passer-by.
        authenticate(request)
    with store.snapshot_view() as view:
        removed = [(*st.triple, st.graph) for st in resolve_removals(view, change)]
        added = [(*triple, SUBMISSION) for triple in change.added]
        validation = (validate_full if full else validate_change)(view, added, removed)
    return report_response(request, validation)


def _flag(value: str | None, name: str) -> bool:
    if value is None or value.lower() in ("", "false", "0", "no"):
        return False
    if value.lower() in ("true", "1", "yes"):
        return True
    raise InvalidParameter(f"{name}={value!r}: expected true or false")
