"""``/queries``: the named queries of ``queries/*.rq`` (see ``policygraph.queries.catalog``).

``GET /queries`` lists them (JSON, or HTML for browsers); ``GET /queries/{name}`` runs one with its
parameters from the URL (``?resource=pg:Contract&lang=en``), in every result format of ``/sparql``
(Accept or ``format=``), or as an HTML page with a form and a table.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from policygraph.errors import PolicyGraphError
from policygraph.model import formats
from policygraph.store.base import QueryRequest
from policygraph.web.routes.deps import StoreDep, catalog, public_base
from policygraph.web.routes.pages import render
from policygraph.web.routes.sparql import Params, run_query

router = APIRouter(prefix="/queries", tags=["Named queries"])

RESERVED = {"format", "timeout"}


@router.get("", summary="List the named queries")
def list_queries(request: Request) -> Response:
    queries = list(catalog(request))
    fmt = formats.choose(request.headers.get("accept"), request.query_params.getlist("format"),
                         (formats.RESULTS_JSON, formats.HTML), what="the list of named queries")
    if fmt is formats.HTML:
        return HTMLResponse(render("queries.html", request, queries=queries), headers={"Vary": "Accept"})
    base = public_base(request, request.app.state.settings)
    return JSONResponse({"queries": [dict(q.to_dict(), url=f"{base}/queries/{q.name}") for q in queries]},
                        headers={"Vary": "Accept"})


@router.get("/{name}", summary="Run a named query")
async def run_named(name: str, request: Request, store: StoreDep) -> Response:
    query = catalog(request).get(name)
    values = {k: v for k, v in request.query_params.items() if k not in RESERVED}
    offered = (*formats.RESULT_FORMATS, *formats.GRAPH_OUTPUT_FORMATS, formats.HTML)
    wants_html = formats.choose(request.headers.get("accept"), request.query_params.getlist("format"),
                                offered, what="a named query") is formats.HTML
    if wants_html:
        return await run_in_threadpool(_html, request, store, query, values)
    return await run_query(request, store, query.text, Params(request), query.bindings(values))


def _html(request: Request, store, query, values) -> Response:
    table = graph = error = None
    missing = [p for p in query.parameters if p.required and p.name not in values]
    if not missing:
        try:
            result = store.query(QueryRequest(query.text, formats.RESULTS_JSON, formats.TURTLE,
                                              substitutions=query.bindings(values)))
            if result.kind == "graph":
                graph = result.body.decode("utf-8")
            else:
                table = _table(json.loads(result.body))
        except PolicyGraphError as exc:
            error = exc.to_dict()["error"]
    return HTMLResponse(render("query.html", request, query=query, values=values, table=table, graph=graph,
                               error=error), headers={"Vary": "Accept"})


def _table(data: dict) -> dict:
    if "boolean" in data:
        return {"vars": ["result"], "rows": [[{"text": str(data["boolean"]).lower()}]]}
    variables = data["head"]["vars"]
    rows = []
    for binding in data["results"]["bindings"]:
        row = []
        for v in variables:
            term = binding.get(v)
            if term is None:
                row.append({"text": ""})
            elif term["type"] == "uri":
                row.append({"text": term["value"], "href": term["value"]})
            else:
                row.append({"text": term["value"] + (f" @{term['xml:lang']}" if "xml:lang" in term else "")})
        rows.append(row)
    return {"vars": variables, "rows": rows}
