"""Documents that are whole graphs: the ontology (``/def``), the shapes (``/shapes``), each named graph (``/graph/…``).

The ontology's terms are ``#`` IRIs (``…/def#Contract``): a client dereferences them by fetching
``…/def``, which answers with the whole ontology — HTML documentation with one anchor per term
(``policygraph.linked_data.ontology_docs``), or the ontology graph in every RDF format.  The version IRI
(``…/def/0.1.0``) answers the same.  ``/shapes`` is the shapes graph.  A named graph IRI
(``…/graph/territories``) answers with the graph's content (as the Graph Store Protocol's direct
identification does, §4.1; also in TriG and N-Quads) and, for people, a summary page; PUT, POST
and DELETE at the same URL are in ``api.graph_direct``.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from policygraph.errors import NotFound
from policygraph.linked_data import addressing
from policygraph.linked_data.describe import natural_key
from policygraph.linked_data.documents import serialize
from policygraph.linked_data.framing import graph_document
from policygraph.linked_data.ontology_docs import build_doc
from policygraph.model import formats
from policygraph.model.namespaces import ONTOLOGY_GRAPH, SHAPES_GRAPH
from policygraph.web.routes import graph_direct, graph_store
from policygraph.web.routes.deps import StoreDep
from policygraph.web.routes.ld_state import iri_space, vocabulary
from policygraph.web.routes.ld_state import linked_data as ld_state
from policygraph.web.routes.pages import render as render_page
from policygraph.web.routes.resources import dereference, request_path

router = APIRouter(tags=["Ontology and graphs"])

OWL_VERSION_IRI = "http://www.w3.org/2002/07/owl#versionIRI"
LABELS = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label",
          "http://www.w3.org/ns/shacl#name", "http://purl.org/dc/terms/title")


def graph_triples(request: Request, store, graph: str) -> list[ox.Triple]:
    def read() -> list[ox.Triple]:
        body = store.read_graph(graph, formats.N_TRIPLES).body
        return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))

    if graph in (str(ONTOLOGY_GRAPH), str(SHAPES_GRAPH)):  # small, and asked for often: kept per generation
        return ld_state(request).derived(store, "graph:" + graph, read)
    return read()


def respond(request: Request, store, iri: str, graph: str, by_extension, *, html) -> Response:
    space = iri_space(request)
    fmt = addressing.choose_format(request.headers.get("accept"), request.query_params.get("format"), by_extension)
    triples = graph_triples(request, store, graph)
    headers = {"Content-Location": space.document_url(iri, fmt), "Vary": "Accept",
               "Link": addressing.link_header(space, iri)}
    if fmt is formats.HTML:
        alternates = [(url, addressing.EXTENSION_OF[f.name], f.media_type) for url, f in space.alternates(iri)]
        return Response(html(triples, alternates), media_type=fmt.content_type, headers=headers)
    if fmt is formats.JSON_LD:
        ctx = ld_state(request).context
        return Response(graph_document(triples, ctx), media_type=fmt.content_type, headers=headers)
    return Response(serialize(sorted(triples, key=lambda t: (natural_key(t.subject.value), t.predicate.value)), fmt),
                    media_type=fmt.content_type, headers=headers)


def ontology(request: Request, store, by_extension) -> Response:
    space = iri_space(request)
    iri = space.base + "def"

    def html(triples, alternates) -> str:
        # Links in the page are this server's URLs: one cached page per public URL.
        doc = ld_state(request).derived(store, "ontology-doc:" + space.public,
                                        lambda: build_doc(_rdflib(triples), iri, space.local))
        return render_page("ontology.html", request, public=space.public, doc=doc, alternates=alternates)

    return respond(request, store, iri, str(ONTOLOGY_GRAPH), by_extension, html=html)


def _rdflib(triples):
    from rdflib import Graph

    g = Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return g


def named_graph(request: Request, store, iri: str, by_extension, *, kind: str, intro: str = "") -> Response:
    space = iri_space(request)
    if not store.graph_exists(iri):
        raise NotFound(f"no named graph <{iri}> in the store")

    def html(triples, alternates) -> str:
        return _graph_page(request, store, space, iri, triples, alternates, kind=kind, intro=intro)

    return respond(request, store, iri, iri, by_extension, html=html)


def _extension(ext: str) -> formats.Format:
    fmt = addressing.EXTENSIONS.get(ext)
    if fmt is None:
        raise NotFound(f"no format with the extension .{ext}; use " + ", ".join("." + e for e in addressing.EXTENSIONS))
    return fmt


@router.api_route("/def", methods=["GET", "HEAD"], summary="The ontology (documentation, or RDF)")
def get_def(request: Request, store: StoreDep) -> Response:
    return ontology(request, store, None)


@router.api_route("/def.{ext}", methods=["GET", "HEAD"], include_in_schema=False)
def get_def_ext(request: Request, store: StoreDep, ext: str) -> Response:
    return ontology(request, store, _extension(ext))


@router.api_route("/def/{path:path}", methods=["GET", "HEAD"], summary="A version of the ontology, or a resource under def/")
async def get_def_path(request: Request, store: StoreDep, path: str) -> Response:
    space = iri_space(request)
    stem, by_extension = addressing.split_extension(request_path(request))
    triples = await run_in_threadpool(graph_triples, request, store, str(ONTOLOGY_GRAPH))
    if any(t.predicate.value == OWL_VERSION_IRI and t.object.value == space.iri(stem) for t in triples):
        return await run_in_threadpool(ontology, request, store, by_extension)
    return await dereference(request, store)


@router.api_route("/shapes", methods=["GET", "HEAD"], summary="The SHACL shapes")
def get_shapes(request: Request, store: StoreDep) -> Response:
    return _shapes(request, store, iri_space(request), None)


@router.api_route("/shapes.{ext}", methods=["GET", "HEAD"], include_in_schema=False)
def get_shapes_ext(request: Request, store: StoreDep, ext: str) -> Response:
    return _shapes(request, store, iri_space(request), _extension(ext))


def _shapes(request: Request, store, space, by_extension) -> Response:
    """``…/shapes`` (whose terms are ``…/shapes#Name``) is the content of the shapes graph."""
    iri = space.base + "shapes"
    if not store.graph_exists(str(SHAPES_GRAPH)):
        raise NotFound("the store has no shapes graph")

    def html(triples, alternates) -> str:
        return _graph_page(request, store, space, iri, triples, alternates, kind="SHACL shapes",
                           intro="The shapes the data is validated against (shapes/*.ttl), one anchor per shape.")

    return respond(request, store, iri, str(SHAPES_GRAPH), by_extension, html=html)


def _graph_page(request, store, space, iri, triples, alternates, *, kind, intro) -> str:
    vocab = vocabulary(request, store)
    subjects = sorted({t.subject for t in triples if isinstance(t.subject, ox.NamedNode)},
                      key=lambda s: natural_key(s.value))
    labels: dict = {}
    for t in triples:
        if t.predicate.value in LABELS and isinstance(t.object, ox.Literal):
            if t.subject not in labels or t.object.language in ("en", ""):
                labels[t.subject] = t.object.value
    classes = Counter(t.object.value for t in triples if t.predicate.value.endswith("#type")
                      and isinstance(t.object, ox.NamedNode))
    shown = [(space.local(s.value), (labels.get(s) + " — " if labels.get(s) else "") + s.value.replace(space.base, "…/"))
             for s in subjects[:500]]
    return render_page("graph.html", request, public=space.public, title=iri.replace(space.base, ""), iri=iri,
                       kind=kind, intro=intro, count=len(triples), subjects=subjects, shown=shown,
                       classes=[(vocab.get(c), n) for c, n in classes.most_common()], alternates=alternates)


@router.api_route("/graph/{path:path}", methods=["GET", "HEAD"], summary="A named graph, by its IRI")
def get_graph(request: Request, store: StoreDep, path: str) -> Response:
    iri, by_extension = graph_direct.direct_graph(request, store)
    if by_extension is None:  # a Graph Store read may also ask for the graph in TriG or N-Quads
        fmt = formats.choose(request.headers.get("accept"), request.query_params.get("format"),
                             (*addressing.RESOURCE_FORMATS, formats.TRIG, formats.N_QUADS), what="a graph")
        if fmt.kind == "dataset":
            return graph_store.read(request, store, iri, fmt)
    return named_graph(request, store, iri, by_extension, kind="named graph")
