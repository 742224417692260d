"""``/sparql`` and ``/update``: the SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/).

- Query (§2.1): GET with ``query=`` (§2.1.1), POST form (§2.1.2), POST ``application/sparql-query``
  (§2.1.3); ``default-graph-uri`` and ``named-graph-uri`` (§2.1.4).  Result format by ``Accept``
  (with q-values) or ``format=``.  Optional ``timeout=`` (seconds, at most the configured limit).
- Update (§2.2): POST form with ``update=`` or POST ``application/sparql-update``, at ``/sparql``
  (as Fuseki's dataset endpoint and the W3C protocol tests expect) and at ``/update``, with
  ``using-graph-uri``/``using-named-graph-uri``; a steward token is required.
- ``GET /sparql`` without a query: the service description (RDF) for machines, a query page for
  browsers (whichever the Accept header prefers).  ``HEAD`` answers the headers of the same GET.

What the protocol rules out is refused with a 4xx, so that a client learns its mistake rather than
getting an answer it did not ask for: the query or update of a POST in the URL's query string
(it travels in the body, §2.1.2–2.1.3, §2.2.1–2.2.2: ``POST /sparql?update=…`` must not run), a GET
with a body (SPARQL 1.2 Protocol §2.2.1), more than one ``query``, ``update`` or ``version``.

SPARQL 1.2 Protocol §2.1: an operation may announce its version with one ``version`` parameter, or
the ``version`` parameter of the ``application/sparql-query``/``-update`` media type.  The labels
of RDF 1.2 Concepts (``1.1``, ``1.2``, ``1.2-basic``) are accepted; the engine reads the SPARQL 1.2
grammar, which every 1.1 operation also follows.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from policygraph.errors import BadRequest, InvalidParameter, PolicyGraphError, UnsupportedMediaType
from policygraph.model import formats
from policygraph.model.formats import parse_media_type
from policygraph.store import service_description
from policygraph.store.base import QueryRequest, Store
from policygraph.store.sparql_text import analyze_query
from policygraph.web.routes.deps import (
    BodyDep,
    SettingsDep,
    StoreDep,
    authenticate,
    catalog,
    decode_text,
    head_of,
    iri_param,
    public_base,
)
from policygraph.web.routes.pages import render

router = APIRouter(tags=["SPARQL"])

QUERY_MEDIA = "application/sparql-query"
UPDATE_MEDIA = "application/sparql-update"
FORM_MEDIA = "application/x-www-form-urlencoded"
VERSIONS = ("1.1", "1.2", "1.2-basic")  # RDF 1.2 Concepts, "defined version labels"


class Params:
    """Protocol parameters from the URL and, for form posts, from the body; repeats kept."""

    def __init__(self, request: Request, form: dict[str, list[str]] | None = None):
        self.values: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            self.values.setdefault(key, []).append(value)
        for key, values in (form or {}).items():
            self.values.setdefault(key, []).extend(values)

    def all(self, name: str) -> list[str]:
        return self.values.get(name, [])

    def one(self, name: str) -> str | None:
        values = self.all(name)
        if len(values) > 1:
            raise BadRequest(f"the request has {len(values)} '{name}' parameters; give one (SPARQL 1.1 Protocol §2.1)")
        return values[0] if values else None

    def check_version(self, content_type: str | None = None) -> str | None:
        """The operation's announced version: one at most, from the parameters and the media type."""
        announced = list(self.all("version"))
        if content_type:
            _, media_params = parse_media_type(content_type)
            if "version" in media_params:
                announced.append(media_params["version"])
        if len(announced) > 1:
            raise BadRequest(f"the request announces {len(announced)} versions ({', '.join(map(repr, announced))}); "
                             "give one version, as a parameter or in the media type (SPARQL 1.2 Protocol §2.1)")
        if announced and announced[0] not in VERSIONS:
            raise BadRequest(f"version {announced[0]!r} is not a SPARQL version this service knows; "
                             f"known: {', '.join(VERSIONS)}")
        return announced[0] if announced else None

    def iris(self, name: str) -> tuple[str, ...] | None:
        values = self.all(name)
        return tuple(iri_param(v, name) for v in values) if values else None

    def timeout(self) -> float | None:
        raw = self.one("timeout")
        if raw is None:
            return None
        try:
            value = float(raw)
        except ValueError:
            raise InvalidParameter(f"timeout={raw!r} is not a number of seconds") from None
        if value <= 0:
            raise InvalidParameter("timeout must be positive")
        return value


async def run_query(request: Request, store: Store, text: str, params: Params, substitutions=None) -> Response:
    accept = request.headers.get("accept")
    fmt = params.all("format")
    kind = analyze_query(text).result_kind
    results_fmt = graph_fmt = None
    if kind == "results":
        results_fmt = formats.choose(accept, fmt, formats.RESULT_FORMATS, what="SELECT and ASK results")
    elif kind == "graph":
        graph_fmt = formats.choose(accept, fmt, formats.GRAPH_OUTPUT_FORMATS, what="CONSTRUCT and DESCRIBE results")
    else:  # not recognised here: the engine will tell what it is, or why it is not a query
        results_fmt = _optional(accept, fmt, formats.RESULT_FORMATS)
        graph_fmt = _optional(accept, fmt, formats.GRAPH_OUTPUT_FORMATS)
    result = await store.query_async(QueryRequest(
        text, results_fmt, graph_fmt, params.iris("default-graph-uri"), params.iris("named-graph-uri"),
        substitutions or {}, params.timeout()))
    return Response(result.body, media_type=result.format.content_type,
                    headers={"Vary": "Accept", "X-Result-Count": str(result.count)})


def _optional(accept, fmt, offered):
    try:
        return formats.choose(accept, fmt, offered)
    except PolicyGraphError:  # the other kind of result may accept it
        return None


def run_update(request: Request, store: Store, text: str, params: Params) -> Response:
    steward = authenticate(request)
    change = store.update(text, steward=steward, using=_list(params.iris("using-graph-uri")),
                          using_named=_list(params.iris("using-named-graph-uri")))
    return JSONResponse(change.to_dict())


def _list(values):
    return list(values) if values is not None else None


def parse_post(request: Request, body: bytes, allowed: tuple[str, ...]) -> tuple[str, str, Params]:
    """(kind, text, params) of a POST: 'query' or 'update' (SPARQL 1.1 Protocol §2.1.2–3, §2.2.1–2)."""
    content_type = request.headers.get("content-type")
    if not content_type:
        raise UnsupportedMediaType("a POST needs a Content-Type: " + ", ".join(_media_for(allowed)))
    in_url = [k for k in ("query", "update") if k in request.query_params]
    if in_url:
        # Else `POST /sparql?update=…` with an empty form would run the update from the URL.
        raise BadRequest(f"the {in_url[0]} of a POST travels in its body, not in the URL's query string "
                         "(SPARQL 1.1 Protocol §2.1.2–2.1.3, §2.2.1–2.2.2)")
    media, _ = parse_media_type(content_type)
    text = decode_text(body, content_type)
    if media == FORM_MEDIA:
        try:
            form = parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest(f"the form body cannot be read: {exc}") from None
        params = Params(request, form)
        present = [k for k in ("query", "update") if params.all(k)]
        if not present:
            raise BadRequest(f"the form has no {' or '.join(allowed)} parameter")
        if len(present) > 1:
            raise BadRequest("the form has both a query and an update; send one")
        kind = present[0]
        if kind not in allowed:
            raise BadRequest(f"this endpoint does not accept {kind}s; use /sparql")
        params.check_version()
        return kind, params.one(kind), params
    for kind, expected in (("query", QUERY_MEDIA), ("update", UPDATE_MEDIA)):
        if media == expected and kind in allowed:
            params = Params(request)
            params.check_version(content_type)
            return kind, text, params
    raise UnsupportedMediaType(f"Content-Type {media} is not accepted here; use " + ", ".join(_media_for(allowed)))


def _media_for(allowed) -> list[str]:
    return [FORM_MEDIA] + [m for k, m in (("query", QUERY_MEDIA), ("update", UPDATE_MEDIA)) if k in allowed]


def describe_service(request: Request, store: Store, settings) -> Response:
    offered = (*formats.GRAPH_FORMATS, formats.HTML)
    fmt = formats.choose(request.headers.get("accept"), request.query_params.getlist("format"), offered,
                         what="the service description")
    endpoint = public_base(request, settings) + "/sparql"
    if fmt is formats.HTML:
        return HTMLResponse(render("sparql.html", request, endpoint=endpoint, queries=list(catalog(request)),
                                   settings=settings), headers={"Vary": "Accept"})
    graph = service_description.build(settings, endpoint, store.graph_counts())
    return Response(graph.serialize(format=fmt.rdflib, encoding="utf-8"), media_type=fmt.content_type,
                    headers={"Vary": "Accept"})


@router.get("/sparql", summary="SPARQL query by GET, or the service description")
@router.head("/sparql", summary="The headers of the same GET")
@router.get("/sparql/", include_in_schema=False)
@router.head("/sparql/", include_in_schema=False)
async def sparql_get(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    if await _has_body(request):
        raise BadRequest(f"a {request.method} request has no body (SPARQL 1.2 Protocol §2.2.1): send the query "
                         "in the URL, or POST it")
    params = Params(request)
    if params.all("update"):
        raise BadRequest("an update must be sent with POST (SPARQL 1.1 Protocol §2.2)")
    query = params.one("query")
    if query is None:
        response = await run_in_threadpool(describe_service, request, store, settings)
    else:
        params.check_version()
        response = await run_query(request, store, query, params)
    return head_of(response) if request.method == "HEAD" else response


async def _has_body(request: Request) -> bool:
    headers = request.headers
    if headers.get("content-length", "0").strip() in ("", "0") and "transfer-encoding" not in headers:
        return False
    return bool(await request.body())  # bounded by the body limit (api.limits)


@router.post("/sparql", summary="SPARQL query or update by POST")
@router.post("/sparql/", include_in_schema=False)
async def sparql_post(request: Request, store: StoreDep, body: BodyDep) -> Response:
    kind, text, params = parse_post(request, body, ("query", "update"))
    if kind == "query":
        return await run_query(request, store, text, params)
    return await run_in_threadpool(run_update, request, store, text, params)


@router.post("/update", summary="SPARQL update (steward token required)")
def update_post(request: Request, store: StoreDep, body: BodyDep) -> Response:
    _, text, params = parse_post(request, body, ("update",))
    return run_update(request, store, text, params)
