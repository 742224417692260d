"""Direct graph identification (Graph Store HTTP Protocol §4.1): a graph under the base at its own URL.

The graph ``{base}graph/{path}`` is served at ``/graph/{path}``: GET and HEAD (``api.ontology_docs``:
a summary page for people, the graph in every RDF format), and here PUT, POST and DELETE — the
operations of ``/data?graph={base}graph/{path}`` (``api.graph_store``), with the same steward token
and write guard.  As for every IRI under the base, a format extension names the graph's document
in that format: ``/graph/reference.ttl`` is the graph ``…/graph/reference``, unless only a graph
named ``…/graph/reference.ttl`` exists.  Writes follow the same rule, so a PUT to
``/graph/x/1.ttl`` makes the graph ``…/graph/x/1``, which a GET of ``/graph/x/1.ttl`` then reads.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from policygraph.errors import BadRequest
from policygraph.linked_data import addressing
from policygraph.model import formats
from policygraph.store.base import Store
from policygraph.web.routes import graph_store
from policygraph.web.routes.deps import BodyDep, SettingsDep, StoreDep
from policygraph.web.routes.ld_state import iri_space
from policygraph.web.routes.resources import checked_iri, request_path

router = APIRouter(tags=["Graph Store"])


def direct_graph(request: Request, store: Store) -> tuple[str, formats.Format | None]:
    """The graph a ``/graph/…`` URL identifies, and the format its extension names (if any)."""
    space = iri_space(request)
    path = request_path(request)
    if path.rstrip("/") == "graph":
        raise BadRequest("name a graph: /graph/{name}")
    stem, by_extension = addressing.split_extension(path)
    if by_extension is not None and not store.graph_exists(space.iri(stem)) and store.graph_exists(space.iri(path)):
        return checked_iri(space.iri(path)), None
    return checked_iri(space.iri(stem)), by_extension


@router.put("/graph/{path:path}", summary="Replace a named graph, at its own URL (steward token required)")
def put_graph(request: Request, store: StoreDep, settings: SettingsDep, body: BodyDep, path: str) -> Response:
    return graph_store.replace(request, store, direct_graph(request, store)[0], body, settings)


@router.post("/graph/{path:path}", summary="Add to a named graph, at its own URL (steward token required)")
def post_graph(request: Request, store: StoreDep, settings: SettingsDep, body: BodyDep, path: str) -> Response:
    return graph_store.merge(request, store, direct_graph(request, store)[0], body, settings)


@router.delete("/graph/{path:path}", summary="Delete a named graph, at its own URL (steward token required)")
def delete_graph(request: Request, store: StoreDep, path: str) -> Response:
    return graph_store.delete(request, store, direct_graph(request, store)[0])
