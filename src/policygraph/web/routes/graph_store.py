"""``/data``: the SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/).

Indirect graph identification (§4.2): ``?graph=<IRI>`` or ``?default``.  GET/HEAD read (§5.2–5.3,
404 for a graph that does not exist), PUT replaces (§5.3), POST merges (§5.5), DELETE removes
(§5.4).  Writes need a steward token and pass the write guard; they answer with a JSON summary
(201 when the graph is created, 200 otherwise).  Uploads are read by Oxigraph's parsers — which do
not fetch remote JSON-LD contexts, so an upload cannot make the server call out.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from policygraph.errors import BadRequest, DataSyntaxError, UnsupportedMediaType
from policygraph.model import formats
from policygraph.store.base import Change, Store
from policygraph.web.routes.deps import BodyDep, SettingsDep, StoreDep, authenticate, decode_text, iri_param

router = APIRouter(prefix="/data", tags=["Graph Store"])


def target_graph(request: Request) -> str | None:
    """The graph a request names: an IRI, or None for the default graph (§4.2)."""
    graphs = request.query_params.getlist("graph")
    default = "default" in request.query_params
    if default and graphs:
        raise BadRequest("give either ?graph=IRI or ?default, not both")
    if not default and not graphs:
        raise BadRequest("name the graph: ?graph=IRI, or ?default for the default graph")
    if len(graphs) > 1:
        raise BadRequest("give one graph parameter")
    return None if default else iri_param(graphs[0], "graph")


def _read(request: Request, store: Store) -> Response:
    graph = target_graph(request)
    fmt = formats.choose(request.headers.get("accept"), request.query_params.getlist("format"),
                         formats.GRAPH_FORMATS, what="a graph")
    result = store.read_graph(graph, fmt)
    return Response(result.body, media_type=fmt.content_type, headers={"Vary": "Accept"})


@router.get("", summary="Read a graph")
def get_graph(request: Request, store: StoreDep) -> Response:
    return _read(request, store)


@router.head("", summary="Does a graph exist (and its headers)")
def head_graph(request: Request, store: StoreDep) -> Response:
    response = _read(request, store)
    return Response(b"", status_code=response.status_code,
                    headers={"Content-Type": response.media_type, "Content-Length": str(len(response.body)),
                             "Vary": "Accept"})


def parse_upload(request: Request, body: bytes, graph: str | None, settings) -> list[ox.Quad]:
    fmt = formats.for_content_type(request.headers.get("content-type"), formats.GRAPH_INPUT_FORMATS)
    if fmt is None:
        raise UnsupportedMediaType(
            f"Content-Type {request.headers.get('content-type') or '(none)'} is not an RDF graph format accepted "
            f"here; use one of {', '.join(f.media_type for f in formats.GRAPH_INPUT_FORMATS)}")
    if fmt.text:
        decode_text(body, request.headers.get("content-type"))
    try:
        # Relative IRIs resolve against the graph's IRI (else the service's base): RFC 3986 §5.1.
        return list(ox.parse(body, fmt.oxigraph, base_iri=graph or settings.base_iri, without_named_graphs=True))
    except SyntaxError as exc:
        from policygraph.errors import syntax_error

        raise syntax_error(exc, DataSyntaxError) from None


def _answer(change: Change) -> JSONResponse:
    return JSONResponse(change.to_dict(), status_code=201 if change.created else 200)


@router.put("", summary="Replace a graph (steward token required)")
def put_graph(request: Request, store: StoreDep, settings: SettingsDep, body: BodyDep) -> Response:
    graph = target_graph(request)
    quads = parse_upload(request, body, graph, settings)
    steward = authenticate(request)
    return _answer(store.replace_graph(graph, quads, steward=steward))


@router.post("", summary="Add to a graph (steward token required)")
def post_graph(request: Request, store: StoreDep, settings: SettingsDep, body: BodyDep) -> Response:
    graph = target_graph(request)
    quads = parse_upload(request, body, graph, settings)
    steward = authenticate(request)
    return _answer(store.merge_graph(graph, quads, steward=steward))


@router.delete("", summary="Delete a graph (steward token required)")
def delete_graph(request: Request, store: StoreDep) -> Response:
    graph = target_graph(request)
    steward = authenticate(request)
    if graph is not None and not store.graph_exists(graph):
        from policygraph.errors import NotFound

        raise NotFound(f"no graph named <{graph}> in this store")
    return JSONResponse(store.delete_graph(graph, steward=steward).to_dict())
