"""Dereferencing: which IRIs this server answers for, at which URLs, and how.

**IRIs.**  Every resource IRI is under the canonical base (``Settings.base_iri``, by default
``https://w3id.org/policygraph/``): instances under ``id/``, concept schemes under ``voc/``, ontology
terms under ``def#``, shapes under ``shapes#`` and ``shapes/``, named graphs under ``graph/``.  A
server answers for the path of each IRI relative to the base, *whatever host it runs on*: on
``http://127.0.0.1:8000`` the IRI ``https://w3id.org/policygraph/id/territory/commune/59481`` is
``/id/territory/commune/59481``.  RDF responses keep the canonical IRIs (they name the things, not
this copy); HTML pages link to this server's URLs, so a person can click through locally.

**Policy: direct answers, no 303.**  ``GET`` on a resource IRI answers ``200`` with the
representation content negotiation chose (RFC 9110 §12), as Trifid and LodView do, rather than
``303 See Other`` to a document URL (the Pubby pattern of the 2008 "Cool URIs" note):

- the representation says which document it is: ``Content-Location`` is the URL of the format-specific
  document (``…/id/contract/erbm.ttl``), which RFC 9110 §8.7 defines as identifying the
  representation, distinct from the IRI of the thing — the distinction 303 exists to draw;
- one round trip instead of two, for every client, every link followed, every crawler;
- ``Vary: Accept`` tells caches the answer depends on the Accept header, and
  ``Link: <…>; rel="alternate"; type="…"`` lists the other formats (RFC 8288).

**Formats.**  HTML, Turtle, JSON-LD, N-Triples and RDF/XML, chosen by (in this order): a file
extension on the URL (``.html .ttl .jsonld .nt .rdf``), a ``format=`` parameter, the ``Accept``
header with q-values (``policygraph.model.formats.negotiate``).  Without a preference (no Accept header,
or ``*/*``) the answer is Turtle; browsers, which ask for ``text/html`` first, get HTML.  A format
that cannot be given is ``406``; an IRI the graph does not mention is ``404``.
"""

from __future__ import annotations

from dataclasses import dataclass

from policygraph.errors import BadRequest, InvalidParameter
from policygraph.model import formats

# Offered for every resource; the order is the preference when the client has none.
RESOURCE_FORMATS: tuple[formats.Format, ...] = (formats.TURTLE, formats.JSON_LD, formats.HTML,
                                                formats.N_TRIPLES, formats.RDF_XML)
EXTENSIONS: dict[str, formats.Format] = {"ttl": formats.TURTLE, "jsonld": formats.JSON_LD, "html": formats.HTML,
                                         "nt": formats.N_TRIPLES, "rdf": formats.RDF_XML}
EXTENSION_OF = {fmt.name: ext for ext, fmt in EXTENSIONS.items()}

# First path segments that are IRIs under the base (the rest of the URL space is the service's).
IRI_ROOTS = ("id", "voc", "def", "shapes", "graph")


@dataclass(frozen=True)
class IriSpace:
    """The canonical base and the URL this server is reached at."""

    base: str  # canonical, ends with "/"
    public: str  # this server, no trailing slash

    def iri(self, path: str) -> str:
        """The canonical IRI of a local path (``/id/x`` → ``{base}id/x``)."""
        return self.base + path.lstrip("/")

    def local(self, iri: str) -> str:
        """This server's URL for an IRI under the base; other IRIs are returned unchanged."""
        if iri.startswith(self.base):
            return self.public + "/" + iri[len(self.base):]
        return iri

    def is_local(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def document_url(self, iri: str, fmt: formats.Format) -> str:
        """The URL of one format's document about ``iri`` (what Content-Location names)."""
        url = self.local(iri)
        path, hash_, fragment = url.partition("#")
        return path + "." + EXTENSION_OF[fmt.name]

    def alternates(self, iri: str) -> list[tuple[str, formats.Format]]:
        return [(self.document_url(iri, f), f) for f in RESOURCE_FORMATS]


def split_extension(path: str) -> tuple[str, formats.Format | None]:
    """``contract/erbm.ttl`` → (``contract/erbm``, Turtle); an unknown suffix stays in the path.

    Only the five extensions are recognised, so ``…/axis/1.2`` keeps its dot.
    """
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and ext in EXTENSIONS and stem:
        return stem, EXTENSIONS[ext]
    return path, None


def choose_format(accept: str | None, format_param: str | None, from_extension: formats.Format | None,
                  *, what: str = "this resource") -> formats.Format:
    """Extension, then ``format=``, then Accept (a conflict between the first two is a 400)."""
    if from_extension is not None:
        if format_param:
            named = formats.by_name(format_param, RESOURCE_FORMATS, what=what)
            if named is not from_extension:
                raise BadRequest(f"the URL names the format {from_extension.name} by its extension and "
                                 f"format={format_param}: give one")
        return from_extension
    return formats.choose(accept, format_param, RESOURCE_FORMATS, what=what)


def link_header(space: IriSpace, iri: str, extra: list[str] | None = None) -> str:
    """``Link`` (RFC 8288): the documents in the other formats, and the dataset it belongs to."""
    links = [f'<{url}>; rel="alternate"; type="{fmt.media_type}"' for url, fmt in space.alternates(iri)]
    links.append(f'<{space.public}/.well-known/void>; rel="http://rdfs.org/ns/void#inDataset"')
    links += extra or []
    return ", ".join(links)


def parse_iri_param(value: str, space: IriSpace, name: str) -> str:
    """A resource named in a query parameter: an absolute IRI, a local URL, or a path under ``id/``.

    ``territory=territory/commune/59481``, ``territory=https://w3id.org/policygraph/id/territory/commune/59481``
    and ``territory=http://127.0.0.1:8000/id/territory/commune/59481`` name the same territory.
    """
    import pyoxigraph as ox

    value = value.strip()
    if not value:
        raise InvalidParameter(f"{name} is empty", parameter=name)
    if value.startswith(space.public + "/"):
        value = space.iri(value[len(space.public):])
    elif "://" not in value:
        path = value.lstrip("/")
        if not path.startswith(tuple(root + "/" for root in IRI_ROOTS)):
            path = "id/" + path
        value = space.iri(path)
    try:
        return ox.NamedNode(value).value
    except ValueError as exc:
        raise InvalidParameter(f"{name}={value!r} is not an IRI: {exc}", parameter=name) from None
