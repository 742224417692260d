"""The one table of media types, and content negotiation with q-values.

Three kinds of representation:

- ``RESULT_FORMATS``: SPARQL results of SELECT and ASK (JSON, XML, CSV, TSV);
- ``GRAPH_FORMATS``: RDF graphs, answers to CONSTRUCT/DESCRIBE and Graph Store GET (Turtle,
  N-Triples, RDF/XML, JSON-LD, N3);
- ``DATASET_FORMATS``: RDF datasets with named graphs (TriG, N-Quads, JSON-LD).

``GRAPH_OUTPUT_FORMATS`` is what a graph may be answered in: the graph formats, then TriG and
N-Quads (a query's triples in the default graph; a Graph Store read's in their named graph).

Each format carries its short name (the value of ``?format=``), file extensions, the media types
clients may ask for it with, and its pyoxigraph and rdflib identifiers, so that every module — the
SPARQL endpoint, the Graph Store, named queries, linked-data pages — negotiates the same way.

``negotiate(accept, offered)`` implements RFC 9110 §12.5.1: every media range of the Accept
header is weighted by its ``q``; a format takes the weight of the *most specific* range that
matches it (``text/turtle`` beats ``text/*`` beats ``*/*``); ``q=0`` excludes; ties go to the
server's order of preference (the order of ``offered``).  No acceptable format → 406.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pyoxigraph as ox

from policygraph.errors import InvalidParameter, NotAcceptable


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    kind: str  # "results", "graph", "dataset", "html"
    extensions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other media types that select this format
    names: tuple[str, ...] = ()  # other ?format= values
    oxigraph: object | None = None  # pyoxigraph.QueryResultsFormat or RdfFormat
    rdflib: str | None = None
    text: bool = True

    @property
    def content_type(self) -> str:
        """The Content-Type header: text formats say they are UTF-8 (RFC 6838 §4.2.1)."""
        if self.text and self.media_type.startswith("text/"):
            return self.media_type + "; charset=utf-8"
        return self.media_type

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def iri(self) -> str | None:
        """The W3C format IRI (http://www.w3.org/ns/formats/…), for service descriptions."""
        return self.oxigraph.iri if self.oxigraph is not None else None


_R = ox.QueryResultsFormat
_G = ox.RdfFormat

RESULTS_JSON = Format("json", "application/sparql-results+json", "results", ("srj", "json"),
                      ("application/json",), ("srj",), _R.JSON)
RESULTS_XML = Format("xml", "application/sparql-results+xml", "results", ("srx", "xml"),
                     ("application/xml", "text/xml"), ("srx",), _R.XML)
RESULTS_CSV = Format("csv", "text/csv", "results", ("csv",), (), (), _R.CSV)
RESULTS_TSV = Format("tsv", "text/tab-separated-values", "results", ("tsv",), (), (), _R.TSV)

TURTLE = Format("turtle", "text/turtle", "graph", ("ttl",), ("application/x-turtle",), ("ttl",),
                _G.TURTLE, "turtle")
N_TRIPLES = Format("ntriples", "application/n-triples", "graph", ("nt",), ("text/plain",),
                   ("nt", "n-triples"), _G.N_TRIPLES, "nt")
RDF_XML = Format("rdfxml", "application/rdf+xml", "graph", ("rdf", "owl"),
                 ("application/xml", "text/xml"), ("rdf", "xml", "rdf-xml"), _G.RDF_XML, "xml")
JSON_LD = Format("jsonld", "application/ld+json", "graph", ("jsonld",), ("application/json",),
                 ("json-ld", "json"), _G.JSON_LD, "json-ld", text=False)
N3 = Format("n3", "text/n3", "graph", ("n3",), ("text/rdf+n3",), (), _G.N3, "n3")
TRIG = Format("trig", "application/trig", "dataset", ("trig",), (), (), _G.TRIG, "trig")
N_QUADS = Format("nquads", "application/n-quads", "dataset", ("nq",), (), ("nq", "n-quads"),
                 _G.N_QUADS, "nquads")
JSON_LD_DATASET = Format("jsonld", "application/ld+json", "dataset", ("jsonld",), ("application/json",),
                         ("json-ld", "json"), _G.JSON_LD, "json-ld", text=False)
HTML = Format("html", "text/html", "html", ("html",), ("application/xhtml+xml",))

# Order = preference when the client has none: JSON results (not XML: browsers and curl read it),
# Turtle for graphs.
RESULT_FORMATS: tuple[Format, ...] = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)
GRAPH_FORMATS: tuple[Format, ...] = (TURTLE, N_TRIPLES, RDF_XML, JSON_LD, N3)
DATASET_FORMATS: tuple[Format, ...] = (TRIG, N_QUADS, JSON_LD_DATASET)
# What a graph may be answered in (CONSTRUCT, DESCRIBE, Graph Store reads): a dataset format
# carries the graph's name with each triple, which a client merging several graphs needs.
GRAPH_OUTPUT_FORMATS: tuple[Format, ...] = (*GRAPH_FORMATS, TRIG, N_QUADS)
# What a client may upload as one graph (Graph Store PUT/POST).
GRAPH_INPUT_FORMATS: tuple[Format, ...] = (TURTLE, N_TRIPLES, RDF_XML, JSON_LD, N3)


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    params: tuple[tuple[str, str], ...] = ()

    def matches(self, media_type: str) -> int:
        """Specificity of the match (3 exact with params, 2 exact, 1 type/*, 0 */*), or -1."""
        t, _, s = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != t:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == s else -1


def parse_media_type(value: str) -> tuple[str, dict[str, str]]:
    """'Text/Turtle; charset=UTF-8' → ('text/turtle', {'charset': 'UTF-8'})."""
    main, *params = value.split(";")
    parsed = {}
    for p in params:
        k, sep, v = p.partition("=")
        if sep:
            parsed[k.strip().lower()] = v.strip().strip('"')
    return main.strip().lower(), parsed


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header (RFC 9110 §12.5.1); malformed entries are skipped."""
    ranges = []
    for part in (header or "").split(","):
        if not part.strip():
            continue
        media, params = parse_media_type(part)
        t, sep, s = media.partition("/")
        if not sep or not t or not s:
            continue
        try:
            q = float(params.pop("q", "1"))
        except ValueError:
            q = 0.0
        ranges.append(MediaRange(t, s, max(0.0, min(1.0, q)), tuple(sorted(params.items()))))
    return ranges


def _match(ranges: Sequence[MediaRange], media_type: str, *, exact_only: bool = False) -> tuple[int, float]:
    """(specificity, q) of the most specific range matching a media type; (-1, 0) if none."""
    best_specificity, best_q = -1, 0.0
    for r in ranges:
        spec = r.matches(media_type)
        if exact_only and spec < 2:
            continue
        if spec > best_specificity:
            best_specificity, best_q = spec, r.q
        elif spec == best_specificity and spec >= 0:
            best_q = max(best_q, r.q)
    return best_specificity, best_q


def quality(ranges: Sequence[MediaRange], fmt: Format) -> float:
    """How much the client wants ``fmt``: its most specific matching range decides.

    Aliases (``application/json`` for SPARQL JSON results…) count only when the client names them:
    a wildcard selects a format by its own media type, which is what the response will carry.
    """
    matches = [_match(ranges, fmt.media_type)] + [_match(ranges, a, exact_only=True) for a in fmt.aliases]
    best = max(spec for spec, _ in matches)
    return max((q for spec, q in matches if spec == best), default=0.0) if best >= 0 else 0.0


def negotiate(accept: str | None, offered: Sequence[Format], *, what: str = "this resource") -> Format:
    """The best of ``offered`` for an Accept header; the first when there is no header."""
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    best, best_q = None, 0.0
    for fmt in offered:
        q = quality(ranges, fmt)
        if q > best_q:
            best, best_q = fmt, q
    if best is None:
        raise NotAcceptable(
            f"none of the media types in Accept: {accept!r} is available for {what}; "
            f"available: {', '.join(f.media_type for f in offered)}")
    return best


def negotiate_optional(accept: str | None, offered: Sequence[Format]) -> Format | None:
    try:
        return negotiate(accept, offered)
    except NotAcceptable:
        return None


def by_name(name: str, offered: Sequence[Format], *, what: str = "this resource") -> Format:
    """The format a ``?format=`` value names: a short name, an extension or a media type."""
    wanted = name.strip().lower()
    for fmt in offered:
        if wanted == fmt.name or wanted in fmt.names or wanted in fmt.extensions or wanted in fmt.media_types:
            return fmt
    known = {f.name for f in (*RESULT_FORMATS, *GRAPH_FORMATS, *DATASET_FORMATS, HTML)}
    known |= {n for f in (*RESULT_FORMATS, *GRAPH_FORMATS, *DATASET_FORMATS) for n in f.names}
    if wanted in known or "/" in wanted:
        raise NotAcceptable(f"format {name!r} is not available for {what}; "
                            f"available: {', '.join(f.name for f in offered)}")
    raise InvalidParameter(f"unknown format {name!r}; available for {what}: "
                           f"{', '.join(f.name for f in offered)}")


def choose(accept: str | None, format_param: str | Sequence[str] | None, offered: Sequence[Format], *,
           what: str = "this resource") -> Format:
    """``?format=`` wins over Accept (as in Trifid and LodView): links can name a format.

    Several ``format`` values are tried in order (SPARQLWrapper sends ``format=xml&format=rdf+xml``
    for RDF/XML); the error of the first is reported if none fits.
    """
    names = [format_param] if isinstance(format_param, str) else [n for n in format_param or () if n]
    if not names:
        return negotiate(accept, offered, what=what)
    first_error = None
    for name in names:
        try:
            return by_name(name, offered, what=what)
        except (NotAcceptable, InvalidParameter) as exc:
            first_error = first_error or exc
    raise first_error


def for_content_type(content_type: str | None, offered: Sequence[Format]) -> Format | None:
    """The input format a request's Content-Type names, or None."""
    if not content_type:
        return None
    media, _ = parse_media_type(content_type)
    for fmt in offered:
        if media in fmt.media_types:
            return fmt
    return None


def by_extension(extension: str, offered: Sequence[Format]) -> Format | None:
    ext = extension.lower().lstrip(".")
    return next((f for f in offered if ext in f.extensions), None)


ALL_FORMATS = {f.name + ":" + f.kind: f for f in (*RESULT_FORMATS, *GRAPH_FORMATS, *DATASET_FORMATS, HTML)}


def lookup(key: str) -> Format:
    """Format from its ``name:kind`` key (how formats cross the worker-process boundary)."""
    return ALL_FORMATS[key]


def key(fmt: Format) -> str:
    return fmt.name + ":" + fmt.kind
