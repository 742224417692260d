"""``/data``: the SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/).

Indirect graph identification (§4.2): ``?graph=<IRI>`` or ``?default``.  GET/HEAD read (§5.2, 404
for a graph that does not exist), PUT replaces (§5.3), DELETE removes (§5.4), POST merges (§5.5) —
one RDF document, or the documents of a ``multipart/form-data`` body (``policygraph.model.rdf_payload``).
``POST /data`` without a graph creates a new graph under ``{base}graph/upload/`` and answers 201
with its IRI in ``Location`` (§5.5).  Reads come in every graph format and in TriG and N-Quads
(the triples in their named graph).

Writes need a steward token and pass the write guard; they answer with a JSON summary (201 when
the graph is created, 200 otherwise; 204 for a POST with an empty body, which changes nothing).
The same operations serve direct identification at ``/graph/…`` (``api.graph_direct``).
"""

from __future__ import annotations

import uuid
from types import EllipsisType

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from policygraph.errors import BadRequest, NotFound
from policygraph.model import formats
from policygraph.model.rdf_payload import parse_payload
from policygraph.store.base import Change, Store
from policygraph.web.routes.deps import BodyDep, SettingsDep, StoreDep, authenticate, head_of, iri_param

router = APIRouter(prefix="/data", tags=["Graph Store"])

NEW_GRAPHS = "graph/upload/"  # under the base: new graphs are served at /graph/upload/… too


def target_graph(request: Request, *, may_be_store: bool = False) -> str | None | EllipsisType:
    """The graph a request names (§4.2): an IRI, None for the default graph, or ``...`` for the
    graph store itself (a POST without a graph, ``may_be_store``)."""
    graphs = request.query_params.getlist("graph")
    default = "default" in request.query_params
    if default and graphs:
        raise BadRequest("give either ?graph=IRI or ?default, not both")
    if not default and not graphs:
        if may_be_store:
            return ...
        raise BadRequest("name the graph: ?graph=IRI, or ?default for the default graph")
    if len(graphs) > 1:
        raise BadRequest("give one graph parameter")
    return None if default else iri_param(graphs[0], "graph")


def read(request: Request, store: Store, graph: str | None, fmt: formats.Format | None = None) -> Response:
    fmt = fmt or formats.choose(request.headers.get("accept"), request.query_params.getlist("format"),
                                formats.GRAPH_OUTPUT_FORMATS, what="a graph")
    result = store.read_graph(graph, fmt)
    response = Response(result.body, media_type=fmt.content_type, headers={"Vary": "Accept"})
    return head_of(response) if request.method == "HEAD" else response


def replace(request: Request, store: Store, graph: str | None, body: bytes, settings) -> Response:
    quads = parse_payload(body, request.headers.get("content-type"), graph or settings.base_iri)
    steward = authenticate(request)
    return _answer(store.replace_graph(graph, quads, steward=steward))


def merge(request: Request, store: Store, graph: str | None, body: bytes, settings) -> Response:
    if not body:  # §5.5: "if the request body is empty, the implementation SHOULD respond with 204"
        authenticate(request)
        return Response(status_code=204)
    quads = parse_payload(body, request.headers.get("content-type"), graph or settings.base_iri)
    steward = authenticate(request)
    return _answer(store.merge_graph(graph, quads, steward=steward))


def create(request: Request, store: Store, body: bytes, settings) -> Response:
    """§5.5: a POST to the graph store makes a new graph; its IRI is the ``Location`` of the 201."""
    if not body:
        authenticate(request)
        return Response(status_code=204)
    graph = f"{settings.base_iri}{NEW_GRAPHS}{uuid.uuid4().hex}"
    quads = parse_payload(body, request.headers.get("content-type"), graph)
    steward = authenticate(request)
    change = store.merge_graph(graph, quads, steward=steward)
    return JSONResponse(dict(change.to_dict(), graph=graph), status_code=201, headers={"Location": graph})


def delete(request: Request, store: Store, graph: str | None) -> Response:
    steward = authenticate(request)
    if graph is not None and not store.graph_exists(graph):
        raise NotFound(f"no graph named <{graph}> in this store")
    return JSONResponse(store.delete_graph(graph, steward=steward).to_dict())


def _answer(change: Change) -> JSONResponse:
    return JSONResponse(change.to_dict(), status_code=201 if change.created else 200)


@router.get("", summary="Read a graph")
def get_graph(request: Request, store: StoreDep) -> Response:
    return read(request, store, target_graph(request))


@router.head("", summary="Does a graph exist (and its headers)")
def head_graph(request: Request, store: StoreDep) -> Response:
    return read(request, store, target_graph(request))


@router.put("", summary="Replace a graph (steward token required)")
def put_graph(request: Request, store: StoreDep, settings: SettingsDep, body: BodyDep) -> Response:
    return replace(request, store, target_graph(request), body, settings)


@router.post("", summary="Add to a graph, or create a new one without ?graph (steward token required)")
def post_graph(request: Request, store: StoreDep, settings: SettingsDep, body: BodyDep) -> Response:
    graph = target_graph(request, may_be_store=True)
    if graph is ...:
        return create(request, store, body, settings)
    return merge(request, store, graph, body, settings)


@router.delete("", summary="Delete a graph (steward token required)")
def delete_graph(request: Request, store: StoreDep) -> Response:
    return delete(request, store, target_graph(request))
