"""``/contracts``, ``/territories``, ``/actors``, ``/measures``, ``/commitments``: filtered, paged collections.

Each answers in the formats of resources (JSON-LD with Hydra terms, HTML, Turtle, N-Triples,
RDF/XML) by Accept, ``format=`` or an extension (``/contracts.jsonld``), with ``Link`` headers to the
first, previous, next and last pages (RFC 8288 ``rel="next"``…).  Filters and paging are described in
``policygraph.linked_data.listings``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from policygraph.linked_data import addressing
from policygraph.linked_data.collection_pages import build_collection_page
from policygraph.linked_data.describe import Description
from policygraph.linked_data.documents import serialize
from policygraph.linked_data.framing import dumps, frame
from policygraph.linked_data.listings import COLLECTIONS, Listings
from policygraph.model import formats
from policygraph.web.routes.deps import StoreDep
from policygraph.web.routes.ld_state import iri_space, vocabulary
from policygraph.web.routes.ld_state import linked_data as ld_state
from policygraph.web.routes.pages import render as render_page

router = APIRouter(tags=["Collections"])

_RELS = {"first": "first", "previous": "prev", "next": "next", "last": "last"}


def collection(request: Request, store, name: str, extension: str | None) -> Response:
    spec = COLLECTIONS[name]
    space = iri_space(request)
    by_extension = None
    if extension is not None:
        by_extension = addressing.EXTENSIONS.get(extension)
        if by_extension is None:
            from policygraph.errors import NotFound

            raise NotFound(f"no format with the extension .{extension}; use "
                           + ", ".join("." + e for e in addressing.EXTENSIONS))
    fmt = addressing.choose_format(request.headers.get("accept"), request.query_params.get("format"),
                                    by_extension, what=f"/{name}")
    params = dict(request.query_params.items())
    base = f"{space.public}/{name}"
    listing = Listings(store, space).list(spec, params, base)
    alternates = [(listing.url_with({**listing.filters, "format": f.name}), addressing.EXTENSION_OF[f.name],
                   f.media_type) for f in addressing.RESOURCE_FORMATS]
    links = [f'<{url}>; rel="{_RELS[rel]}"' for rel, url in listing.navigation().items()]
    links += [f'<{url}>; rel="alternate"; type="{media}"' for url, _, media in alternates]
    links.append(f'<{space.public}/.well-known/void>; rel="http://rdfs.org/ns/void#inDataset"')
    headers = {"Vary": "Accept", "Link": ", ".join(links)}
    if fmt is formats.HTML:
        page = build_collection_page(listing, space, vocabulary(request, store), alternates)
        body = render_page("collection.html", request, public=space.public, page=page, name=name)
        return Response(body, media_type=fmt.content_type, headers=headers)
    if fmt is formats.JSON_LD:
        ctx = ld_state(request).context
        return Response(dumps(frame(Description(listing.url, listing.triples), ctx), ctx),
                        media_type=fmt.content_type, headers=headers)
    return Response(serialize(listing.triples, fmt), media_type=fmt.content_type, headers=headers)


def _route(name: str):
    def handler(request: Request, store: StoreDep) -> Response:
        return collection(request, store, name, None)

    def handler_ext(request: Request, store: StoreDep, ext: str) -> Response:
        return collection(request, store, name, ext)

    spec = COLLECTIONS[name]
    summary = f"{spec.title}: filter by {', '.join(f.name for f in spec.filters)}; page, limit"
    router.add_api_route(f"/{name}", handler, methods=["GET", "HEAD"], summary=summary, name=f"list_{name}")
    router.add_api_route(f"/{name}.{{ext}}", handler_ext, methods=["GET", "HEAD"], include_in_schema=False,
                         name=f"list_{name}_ext")


for _name in COLLECTIONS:
    _route(_name)
