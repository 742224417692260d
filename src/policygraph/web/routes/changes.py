"""``/changes``: the data steward's commits, their history, and reverting them.

- ``POST /changes`` (steward token): a change set — a JSON document ``{"add", "remove", "format",
  "comment", "source", "graph"}`` or RDF additions with ``?comment=&source=`` (see
  ``policygraph.steward.change_sets``).  Validated against the current graph; if it conforms it is
  committed atomically with its PROV record (``policygraph.steward.change_log``): 201, ``Location:
  /changes/{id}``, the record and the validation summary (warnings included).  If it does not,
  422 with the report (format by ``Accept``, language by ``Accept-Language``) and nothing is
  written.  Removing triples that are not there is a 409, and nothing is written.
- ``GET /changes``: the history, newest first, paged (``?page=``, ``?limit=`` ≤ 500), as HTML or
  JSON-LD (a ``hydra:Collection`` of ``prov:Activity``).
- ``GET /changes/{id}``: one change, with every triple it added and removed (HTML, JSON-LD, Turtle).
- ``POST /changes/{id}/revert`` (steward token, optional ``?comment=`` or JSON ``{"comment"}``):
  a new change undoing it, validated like any other; 409 if it was already reverted or if the
  graph has changed since.
"""

from __future__ import annotations

import json
import math

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from policygraph.errors import InvalidParameter
from policygraph.model import formats
from policygraph.model.namespaces import HYDRA, PG, bind_prefixes
from policygraph.steward.change_log import (
    CHANGES_GRAPH,
    ChangeRefused,
    QueryView,
    Record,
    change_iri,
    count_changes,
    list_changes,
    plan_commit,
    plan_revert,
    read_record,
    record_quads,
    steward_iri,
)
from policygraph.steward.change_sets import parse_body, require_provenance
from policygraph.validation.report_views import language
from policygraph.web.routes.deps import BodyDep, SettingsDep, StoreDep, authenticate, public_base
from policygraph.web.routes.pages import render
from policygraph.web.routes.reports import negotiated, report_response

router = APIRouter(prefix="/changes", tags=["Data stewards"])

_OFFERED = (formats.JSON_LD, formats.HTML, formats.TURTLE)


@router.post("", status_code=201, summary="Commit a change set (steward token required)")
def post_change(request: Request, store: StoreDep, settings: SettingsDep, body: BodyDep) -> Response:
    steward = authenticate(request)
    negotiated(request)  # a 406 before any work
    change = parse_body(body, request.headers.get("content-type"), request.query_params, base_iri=settings.base_iri)
    require_provenance(change)
    lang = language(request.headers.get("accept-language"))
    return _commit(request, store, plan_commit(change, steward, lang=lang), steward)


@router.post("/{change_id}/revert", status_code=201, summary="Revert a change (steward token required)")
def revert_change(change_id: str, request: Request, store: StoreDep, body: BodyDep) -> Response:
    steward = authenticate(request)
    negotiated(request)
    comment = request.query_params.get("comment") or _json_comment(body)
    lang = language(request.headers.get("accept-language"))
    return _commit(request, store, plan_revert(change_id, steward, comment, lang=lang), steward)


def _commit(request: Request, store, plan, steward) -> Response:
    try:
        _change, outcome = store.commit_change(plan, steward=steward)
    except ChangeRefused as refused:
        error = {"status": 422, "title": refused.title, "detail": refused.detail, "line": None, "column": None}
        return report_response(request, refused.validation, status=422, error=error)
    record, validation = outcome.record, outcome.validation
    lang = language(request.headers.get("accept-language"))
    body = {"id": record.id, "change": str(record.iri), "graph": str(record.graph), "steward": record.steward,
            "added": len(record.added), "removed": len(record.removed), "reverts": record.reverts,
            "url": f"{public_base(request, request.app.state.settings)}/changes/{record.id}",
            "validation": validation.summary(lang)}
    return JSONResponse(body, status_code=201, headers={"Location": f"/changes/{record.id}"})


def _json_comment(body: bytes) -> str:
    if not body.strip():
        return ""
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise InvalidParameter(f"the revert body must be JSON {{\"comment\": …}}: {exc}") from None
    comment = document.get("comment") if isinstance(document, dict) else None
    if comment is not None and not isinstance(comment, str):
        raise InvalidParameter("comment must be a string")
    return (comment or "").strip()


# --- reading -------------------------------------------------------------------------------------

@router.get("", summary="The history of changes, newest first")
def get_changes(request: Request, store: StoreDep) -> Response:
    fmt = formats.choose(request.headers.get("accept"), request.query_params.get("format"), _OFFERED,
                         what="the change history")
    page, limit = _int(request, "page", 1, 1, 10 ** 9), _int(request, "limit", 50, 1, 500)
    view = QueryView(store)
    total = count_changes(view)
    changes = list_changes(view, limit=limit, offset=(page - 1) * limit)
    last = max(1, math.ceil(total / limit))
    base = f"{public_base(request, request.app.state.settings)}/changes"

    def url(n: int) -> str:
        return f"{base}?page={n}" + (f"&limit={limit}" if limit != 50 else "")

    nav = {"first": url(1), "last": url(last)}
    if page > 1:
        nav["previous"] = url(min(page - 1, last))
    if page < last:
        nav["next"] = url(page + 1)
    links = ", ".join(f'<{u}>; rel="{"prev" if k == "previous" else k}"' for k, u in nav.items())
    headers = {"Vary": "Accept", "Link": links}
    if fmt is formats.HTML:
        body = render("changes.html", request, changes=changes, total=total, page=page, last_page=last,
                      previous=nav.get("previous"), next=nav.get("next"))
        return Response(body, media_type=fmt.content_type, headers=headers)
    graph = Graph()
    bind_prefixes(graph)
    collection = URIRef(base)
    view_node = URIRef(url(page))
    graph.add((collection, RDF.type, HYDRA.Collection))
    graph.add((collection, HYDRA.totalItems, Literal(total)))
    graph.add((collection, HYDRA.view, view_node))
    graph.add((view_node, RDF.type, HYDRA.PartialCollectionView))
    for key, term in (("first", HYDRA.first), ("last", HYDRA.last), ("previous", HYDRA.previous), ("next", HYDRA.next)):
        if key in nav:
            graph.add((view_node, term, URIRef(nav[key])))
    for c in changes:
        node = change_iri(c.id)
        graph.add((collection, HYDRA.member, node))
        graph.add((node, RDF.type, PROV.Activity))
        graph.add((node, PROV.startedAtTime, Literal(c.started, datatype=XSD.dateTime)))
        graph.add((node, PROV.endedAtTime, Literal(c.ended, datatype=XSD.dateTime)))
        graph.add((node, PG.addedTriples, Literal(c.added)))
        graph.add((node, PG.removedTriples, Literal(c.removed)))
        if c.comment:
            graph.add((node, RDFS.comment, Literal(c.comment)))
        if c.steward:
            graph.add((node, PROV.wasAssociatedWith, steward_iri(c.steward)))
            graph.add((steward_iri(c.steward), RDFS.label, Literal(c.steward)))
        if c.reverts:
            graph.add((node, PG.reverts, change_iri(c.reverts)))
    return Response(_serialize(graph, fmt), media_type=fmt.content_type, headers=headers)


@router.get("/{change_id}", summary="One change: who, when, why, from which source, what it added and removed")
def get_change(change_id: str, request: Request, store: StoreDep) -> Response:
    fmt = formats.choose(request.headers.get("accept"), request.query_params.get("format"), _OFFERED,
                         what="a change")
    record = read_record(QueryView(store), change_id)
    if fmt is formats.HTML:
        return Response(render("change.html", request, record=record, nt=_nt), media_type=fmt.content_type,
                        headers={"Vary": "Accept"})
    graph = Graph()
    bind_prefixes(graph)
    for s, p, o, _g in _record_triples(record):
        graph.add((s, p, o))
    return Response(_serialize(graph, fmt), media_type=fmt.content_type, headers={"Vary": "Accept"})


def _record_triples(record: Record) -> list:
    started = Literal(record.started, datatype=XSD.dateTime)
    ended = Literal(record.ended, datatype=XSD.dateTime)
    quads = record_quads(record, started=started, ended=ended)
    if record.reverted_by:
        quads.append((change_iri(record.reverted_by), PG.reverts, record.iri, CHANGES_GRAPH))
    return quads


def _serialize(graph: Graph, fmt: formats.Format) -> bytes:
    if fmt is formats.JSON_LD:
        context = {p: str(ns) for p, ns in graph.namespaces() if p in ("prov", "pg", "rdf", "rdfs", "xsd", "hydra")}
        return graph.serialize(format="json-ld", context=context, encoding="utf-8")
    return graph.serialize(format="turtle", encoding="utf-8")


def _nt(statement) -> str:
    s, p, o = statement.triple
    graph = "" if statement.graph is None else f"  # in {statement.graph.n3()}"
    return f"{s.n3()} {p.n3()} {o.n3()} .{graph}"


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidParameter(f"{name}={raw!r} is not an integer") from None
    if not low <= value <= high:
        raise InvalidParameter(f"{name} must be between {low} and {high}")
    return value
