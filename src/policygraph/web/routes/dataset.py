"""The dataset: its description (VoID, DCAT), its dumps, the JSON-LD context, and the home page.

- ``/.well-known/void`` and ``/dataset`` (the dataset's IRI is ``{base}dataset``): the description,
  in every resource format (Turtle by default, HTML for browsers);
- ``/dumps/policygraph.{ttl,nt,nq,jsonld}.gz``: full dumps (``policygraph.linked_data.dumps``), served as
  ``application/gzip`` files with an ``ETag``;
- ``/context.jsonld``: the context every JSON-LD response embeds;
- ``/``: a home page for people; for RDF clients, the dataset description (the base IRI names
  the whole dataset's home).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from policygraph.errors import NotFound
from policygraph.linked_data import addressing
from policygraph.linked_data.describe import Description
from policygraph.linked_data.documents import serialize
from policygraph.linked_data.dumps import DUMP_FORMATS, dump_name
from policygraph.linked_data.framing import dumps as jsonld_bytes
from policygraph.linked_data.framing import frame
from policygraph.linked_data.listings import COLLECTIONS
from policygraph.linked_data.void import EXAMPLES, dataset_iri, describe_dataset, statistics
from policygraph.model import formats
from policygraph.model.jsonld_context import CONTEXT_FILE
from policygraph.web.routes.deps import StoreDep
from policygraph.web.routes.ld_state import iri_space, vocabulary
from policygraph.web.routes.ld_state import linked_data as ld_state
from policygraph.web.routes.pages import render as render_page

router = APIRouter(tags=["Dataset"])


def _description(request: Request, store) -> tuple[str, list]:
    space = iri_space(request)
    stats = ld_state(request).derived(store, "statistics", lambda: statistics(store, space.base))
    return dataset_iri(space.base), describe_dataset(stats, space)


def dataset_response(request: Request, store, by_extension: formats.Format | None, *,
                     home: bool = False) -> Response:
    space = iri_space(request)
    fmt = addressing.choose_format(request.headers.get("accept"), request.query_params.get("format"),
                                    by_extension, what="the dataset description")
    iri, triples = _description(request, store)
    headers = {"Vary": "Accept", "Content-Location": f"{space.public}/dataset.{addressing.EXTENSION_OF[fmt.name]}",
               "Link": ", ".join(f'<{space.public}/dataset.{addressing.EXTENSION_OF[f.name]}>; rel="alternate"; '
                                 f'type="{f.media_type}"' for f in addressing.RESOURCE_FORMATS)}
    if fmt is formats.HTML:
        stats = ld_state(request).derived(store, "statistics", lambda: statistics(store, space.base))
        vocab = vocabulary(request, store)
        template = "home.html" if home else "dataset.html"
        if home:
            headers["Content-Location"] = space.public + "/"
        body = render_page(template, request, public=space.public, stats=stats, vocab=vocab, iri=iri,
                           dumps=[(f"{space.public}/dumps/{dump_name(ext)}", f) for ext, f in DUMP_FORMATS.items()],
                           collections=COLLECTIONS, examples=[(space.local(space.base + e), e) for e in EXAMPLES],
                           licence=_licence(triples), sources=[(space.local(s), s) for s in stats.sources],
                           graphs=[(space.local(g), g, n) for g, n in sorted((g, n) for g, n in stats.graphs.items()
                                                                              if g is not None)],
                           alternates=[(f"{space.public}/dataset.{addressing.EXTENSION_OF[f.name]}", f.name, f.media_type)
                                       for f in addressing.RESOURCE_FORMATS])
        return Response(body, media_type=fmt.content_type, headers=headers)
    if fmt is formats.JSON_LD:
        ctx = ld_state(request).context
        return Response(jsonld_bytes(frame(Description(iri, triples), ctx), ctx), media_type=fmt.content_type,
                        headers=headers)
    return Response(serialize(triples, fmt), media_type=fmt.content_type, headers=headers)


def _licence(triples) -> str:
    return next(t.object.value for t in triples if t.predicate.value.endswith("/license"))


@router.api_route("/.well-known/void", methods=["GET", "HEAD"], summary="Dataset description (VoID, DCAT)")
def well_known_void(request: Request, store: StoreDep) -> Response:
    return dataset_response(request, store, None)


@router.api_route("/dataset", methods=["GET", "HEAD"], summary="The dataset, by its IRI")
def dataset(request: Request, store: StoreDep) -> Response:
    return dataset_response(request, store, None)


@router.api_route("/dataset.{ext}", methods=["GET", "HEAD"], include_in_schema=False)
def dataset_ext(request: Request, store: StoreDep, ext: str) -> Response:
    fmt = addressing.EXTENSIONS.get(ext)
    if fmt is None:
        raise NotFound(f"no format with the extension .{ext}")
    return dataset_response(request, store, fmt)


@router.api_route("/", methods=["GET", "HEAD"], summary="Home page (HTML) or dataset description (RDF)")
def home(request: Request, store: StoreDep) -> Response:
    return dataset_response(request, store, None, home=True)


@router.api_route("/context.jsonld", methods=["GET", "HEAD"], summary="The JSON-LD context")
def context(request: Request) -> Response:
    return Response(CONTEXT_FILE.read_bytes(), media_type="application/ld+json",
                    headers={"Cache-Control": "public, max-age=3600"})


@router.api_route("/dumps/{name}", methods=["GET", "HEAD"], summary="Full dumps, gzip-compressed")
def dump(request: Request, store: StoreDep, name: str) -> Response:
    extension = next((ext for ext in DUMP_FORMATS if dump_name(ext) == name), None)
    if extension is None:
        raise NotFound(f"no dump named {name}; dumps: " + ", ".join(dump_name(e) for e in DUMP_FORMATS))
    path = ld_state(request).dumps().path(store, extension)
    return FileResponse(path, media_type="application/gzip", filename=name,
                        headers={"Cache-Control": "public, max-age=300"})
