"""Every IRI under the base dereferences: ``/id/…``, ``/voc/…``, ``/shapes/…`` (and ``/graph/…``).

The policy (direct 200 answers with ``Content-Location``, ``Vary: Accept`` and ``Link`` alternates;
format by extension, ``format=`` or Accept; 404 for an IRI the graph does not mention, 406 for a
format it cannot give) is written in ``policygraph.linked_data.addressing``.  ``/def`` and ``/shapes`` — the
ontology and the shapes, whose terms are ``#`` IRIs — are in ``api.ontology_docs``.
"""

from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from policygraph.errors import InvalidParameter, NotFound
from policygraph.linked_data import addressing, documents
from policygraph.linked_data.describe import generation_of
from policygraph.linked_data.framing import nesting
from policygraph.linked_data.resource_pages import build_page
from policygraph.model import formats
from policygraph.web.routes.deps import StoreDep
from policygraph.web.routes.ld_state import iri_space, vocabulary
from policygraph.web.routes.ld_state import linked_data as ld_state
from policygraph.web.routes.pages import render as render_page

router = APIRouter(tags=["Linked data"])



@router.api_route("/id/{path:path}", methods=["GET", "HEAD"], summary="A resource, by its IRI")
async def get_id(request: Request, store: StoreDep, path: str) -> Response:
    return await dereference(request, store)


@router.api_route("/voc/{path:path}", methods=["GET", "HEAD"], summary="A SKOS concept or scheme, by its IRI")
async def get_voc(request: Request, store: StoreDep, path: str) -> Response:
    return await dereference(request, store)


@router.api_route("/shapes/{path:path}", methods=["GET", "HEAD"], summary="A shapes file, by its IRI")
async def get_shapes_part(request: Request, store: StoreDep, path: str) -> Response:
    return await dereference(request, store)


# RFC 3987 §3.2: percent-encoded UTF-8 sequences of non-ASCII characters, and unreserved ASCII
# characters, become characters again; every other escape stays as it was written.
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_UNRESERVED = re.compile(r"[A-Za-z0-9\-._~]")


def _decode_run(match: re.Match) -> str:
    raw = bytes.fromhex(match.group().replace("%", ""))
    out, i = [], 0
    while i < len(raw):
        byte = raw[i]
        width = 1 if byte < 0x80 else 2 if byte >> 5 == 0b110 else 3 if byte >> 4 == 0b1110 else 4 if byte >> 3 == 0b11110 else 0
        chunk = raw[i:i + width] if width else b""
        try:
            char = chunk.decode("utf-8") if chunk else None
        except UnicodeDecodeError:
            char = None
        if char is not None and (width > 1 or _UNRESERVED.fullmatch(char)):
            out.append(char)
            i += width
        else:
            out.append("%%%02X" % byte)
            i += 1
    return "".join(out)


def request_path(request: Request) -> str:
    """The path as the client wrote it, as an IRI path (not percent-decoded wholesale)."""
    raw = request.scope.get("raw_path")
    text = raw.decode("latin-1") if raw else quote(request.url.path)
    root = request.scope.get("root_path", "")
    if root and text.startswith(root):
        text = text[len(root):]
    return _ESCAPES.sub(_decode_run, text).lstrip("/")


def candidates(request: Request, path: str) -> Iterator[tuple[str, formats.Format]]:
    """The IRIs a path may name, each with the format to answer in (extension, format=, Accept)."""
    space = iri_space(request)
    accept, param = request.headers.get("accept"), request.query_params.get("format")
    stem, by_extension = addressing.split_extension(path)
    yield checked_iri(space.iri(stem)), addressing.choose_format(accept, param, by_extension)
    if by_extension is not None:  # "….ttl" might be part of the IRI itself
        yield checked_iri(space.iri(path)), addressing.choose_format(accept, param, None)


def checked_iri(iri: str) -> str:
    try:
        return ox.NamedNode(iri).value
    except ValueError as exc:
        raise InvalidParameter(f"{iri!r} is not an IRI: {exc}") from None


async def dereference(request: Request, store) -> Response:
    state = ld_state(request)
    first = None
    for iri, fmt in candidates(request, request_path(request)):
        first = first or iri
        if fmt is formats.HTML:
            body = await run_in_threadpool(html_page, request, store, iri)
        else:  # made in a query worker (policygraph.linked_data.documents), kept as bytes
            generation = generation_of(store)
            document = state.documents.lookup(generation, (iri, fmt.name))
            if document is None:
                document = await documents.document(store, iri, fmt)
                state.documents.keep(store, generation, (iri, fmt.name), document, len(document["body"]))
            body = None if document["empty"] else document["body"]
        if body is not None:
            return Response(body, media_type=fmt.content_type, headers=headers_for(request, iri, fmt))
    raise NotFound(f"<{first}> is not mentioned in the graph")


def headers_for(request: Request, iri: str, fmt: formats.Format) -> dict[str, str]:
    space = iri_space(request)
    return {"Content-Location": space.document_url(iri, fmt), "Vary": "Accept",
            "Link": addressing.link_header(space, iri)}


def html_page(request: Request, store, iri: str) -> bytes | None:
    """The HTML page of a resource (None if the graph does not mention it)."""
    description = ld_state(request).descriptions.get(store, iri)
    if description.empty:
        return None
    space = iri_space(request)
    page = build_page(description, space, vocabulary(request, store), nesting(description))
    return render_page("resource.html", request, public=space.public, page=page).encode()
