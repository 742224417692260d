"""Talking to an external SPARQL 1.1 triplestore (Oxigraph server, Fuseki, Virtuoso, QLever…).

Only standard protocols are used, so that any conformant server fits:

- queries: SPARQL 1.1 Protocol §2.1 (POST, ``application/x-www-form-urlencoded``, with
  ``default-graph-uri``/``named-graph-uri``), answers asked as SPARQL JSON or N-Triples, parsed
  and re-serialized here so that limits and formats are the same as on the embedded store;
- updates: SPARQL 1.1 Protocol §2.2 (POST ``application/sparql-update``, ``using-graph-uri``…);
- graph reads: SPARQL 1.1 Graph Store HTTP Protocol §5.2 (GET ``?graph=``/``?default``) when a
  graph-store URL is configured, otherwise a CONSTRUCT query.

Relative IRIs in requests resolve against the service's base IRI, as on the embedded store: the
text sent is prefixed with ``BASE <…>`` (a later BASE in the request still wins, SPARQL 1.1 Query
§4.1.1).
"""

from __future__ import annotations

from typing import Any

import httpx
import pyoxigraph as ox

from policygraph.errors import BadRequest, NotFound, QueryTimeout, ResultTooLarge, UpstreamError, syntax_error
from policygraph.store.results_io import serialize_result
from policygraph.store.sparql_text import analyze_query

_EMPTY = None


def make_client(context: dict) -> httpx.Client:
    auth = httpx.BasicAuth(*context["auth"]) if context.get("auth") else None
    timeout = httpx.Timeout(context.get("timeout", 60.0), connect=10.0)
    headers = {"User-Agent": "policygraph"}
    if context.get("token"):
        headers["Authorization"] = f"Bearer {context['token']}"
    # trust_env=False: proxy variables of the server's environment must not reroute our requests.
    return httpx.Client(auth=auth, timeout=timeout, follow_redirects=False, trust_env=False, headers=headers)


def check_syntax(query: str, base_iri: str | None) -> None:
    """Parse with Oxigraph so that syntax errors carry a position whatever the triplestore says.

    SELECT/CONSTRUCT/DESCRIBE results are lazy, so nothing is evaluated; an ASK is evaluated on an
    empty in-memory store, in this (killable) worker process.
    """
    global _EMPTY
    if _EMPTY is None:
        _EMPTY = ox.Store()
    try:
        _EMPTY.query(query, base_iri=base_iri, default_graph=[])
    except SyntaxError as exc:
        raise syntax_error(exc) from None
    except OSError:
        pass  # evaluation problems (SERVICE…) are the triplestore's business


def _raise_for(response: httpx.Response) -> None:
    if response.status_code < 300:
        return
    text = response.text[:2000]
    if response.status_code == 404:
        raise NotFound(text or "not found on the triplestore")
    if "timeout" in text.lower() or "timed out" in text.lower() or response.status_code in (503, 504):
        raise QueryTimeout(f"the triplestore stopped the request: {text}")
    if response.status_code == 400:
        raise BadRequest(f"the triplestore refused the request: {text}")
    raise UpstreamError(f"the triplestore answered {response.status_code}: {text}")


def _post(client: httpx.Client, url: str, **kwargs) -> httpx.Response:
    try:
        return client.post(url, **kwargs)
    except httpx.TimeoutException:
        raise QueryTimeout("the triplestore did not answer in time") from None
    except httpx.HTTPError as exc:
        raise UpstreamError(f"cannot reach the triplestore at {url}: {exc}") from None


def named_graphs(client: httpx.Client, context: dict) -> list[str]:
    response = _post(client, context["query_url"], data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"},
                     headers={"Accept": "application/sparql-results+json"})
    _raise_for(response)
    result = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    return sorted({s["g"].value for s in result if isinstance(s["g"], ox.NamedNode)})


def select(client: httpx.Client, context: dict, query: str, *, base_iri: str | None = None,
           default_graphs=None, named_graphs_=None) -> ox.QuerySolutions | ox.QueryBoolean:
    data: dict[str, Any] = {"query": (f"BASE <{base_iri}>\n" if base_iri else "") + query}
    if default_graphs is not None:
        data["default-graph-uri"] = list(default_graphs)
    if named_graphs_ is not None:
        data["named-graph-uri"] = list(named_graphs_)
    response = _post(client, context["query_url"], data=data, headers={"Accept": "application/sparql-results+json"})
    _raise_for(response)
    return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)


def construct(client: httpx.Client, context: dict, query: str, *, base_iri: str | None = None,
              default_graphs=None, named_graphs_=None) -> list[ox.Triple]:
    data: dict[str, Any] = {"query": (f"BASE <{base_iri}>\n" if base_iri else "") + query}
    if default_graphs is not None:
        data["default-graph-uri"] = list(default_graphs)
    if named_graphs_ is not None:
        data["named-graph-uri"] = list(named_graphs_)
    response = _post(client, context["query_url"], data=data, headers={"Accept": "application/n-triples"})
    _raise_for(response)
    try:
        return [q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]
    except SyntaxError as exc:
        raise UpstreamError(f"the triplestore sent unreadable N-Triples: {exc}") from None


def run_remote(client: httpx.Client, context: dict, job: dict) -> dict:
    if job.get("graph_read"):
        return _graph_read(client, context, job)
    query = job["query"]
    check_syntax(query, job.get("base_iri"))
    info = analyze_query(query)
    default, named = job.get("default_graphs"), job.get("named_graphs")
    if default is not None or named is not None:
        default, named = default or [], named or []
    elif job.get("union") and not info.has_dataset and context.get("union", "list") == "list":
        graphs = named_graphs(client, context)
        if graphs:
            default, named = graphs, graphs
    graph_form = info.result_kind == "graph"
    accept = "application/n-triples" if graph_form else "application/sparql-results+json"
    data: dict[str, Any] = {"query": f"BASE <{job['base_iri']}>\n{query}" if job.get("base_iri") else query}
    if default is not None:
        data["default-graph-uri"] = default
        data["named-graph-uri"] = named
    response = _post(client, context["query_url"], data=data, headers={"Accept": accept})
    _raise_for(response)
    if len(response.content) > 4 * job["max_bytes"]:
        raise ResultTooLarge(f"the triplestore's answer is larger than {4 * job['max_bytes']} bytes")
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if media in ("application/n-triples", "text/plain", "text/turtle"):
            fmt = ox.RdfFormat.N_TRIPLES if media != "text/turtle" else ox.RdfFormat.TURTLE
            result = (q.triple for q in ox.parse(response.content, format=fmt))
        else:
            result = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        return serialize_result(result, job)
    except SyntaxError as exc:
        raise UpstreamError(f"the triplestore sent an unreadable answer ({media}): {exc}") from None


def _graph_read(client: httpx.Client, context: dict, job: dict) -> dict:
    graph = job["graph"]  # None: the default graph
    if context.get("graph_store_url"):
        params = {"default": ""} if graph is None else {"graph": graph}
        try:
            response = client.get(context["graph_store_url"], params=params, headers={"Accept": "application/n-triples"})
        except httpx.HTTPError as exc:
            raise UpstreamError(f"cannot reach the graph store: {exc}") from None
        if response.status_code == 404:
            raise NotFound(f"no graph named <{graph}>")
        _raise_for(response)
        result = (q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
        return serialize_result(result, job)
    if graph is not None:
        # The store's own named graphs (no protocol dataset, which would make any name exist).
        exists = select(client, context, f"ASK {{ GRAPH ?g {{ }} FILTER(?g = {ox.NamedNode(graph)}) }}")
        if not bool(exists):
            raise NotFound(f"no graph named <{graph}>")
        triples = construct(client, context, "CONSTRUCT WHERE { ?s ?p ?o }", default_graphs=[graph], named_graphs_=[])
    else:
        triples = construct(client, context, "CONSTRUCT WHERE { ?s ?p ?o }")
    return serialize_result(iter(triples), job)


def update(client: httpx.Client, context: dict, text: str, *, base_iri: str | None,
           using: list[str] | None = None, using_named: list[str] | None = None) -> None:
    params: dict[str, Any] = {}
    if using:
        params["using-graph-uri"] = using
    if using_named:
        params["using-named-graph-uri"] = using_named
    body = (f"BASE <{base_iri}>\n" if base_iri else "") + text
    response = _post(client, context.get("update_url") or context["query_url"], params=params,
                     content=body.encode("utf-8"),
                     headers={"Content-Type": "application/sparql-update; charset=utf-8"})
    _raise_for(response)

