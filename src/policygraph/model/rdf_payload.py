"""The RDF payload of a Graph Store write: one document, or the documents of a ``multipart/form-data`` body.

SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/):

- §5: the payload is parsed by its Content-Type; without one, the server "SHOULD attempt to parse
  the RDF payload as RDF/XML";
- §5.5: a ``multipart/form-data`` POST carries several RDF documents (one per form part, as a web
  form's file inputs send them); their graphs are merged into the target graph.  A part without a
  Content-Type is read by its file name's extension; with neither, it is a 400.

Each document is parsed on its own, with its blank nodes renamed: an RDF merge keeps the blank
nodes of different documents (and of the graph already stored) apart.  Relative IRIs resolve
against the target graph's IRI (RFC 3986 §5.1).  Oxigraph's parsers do not fetch remote JSON-LD
contexts, so a payload cannot make the server call out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser

from policygraph.errors import BadRequest, DataSyntaxError, UnsupportedMediaType, syntax_error
from policygraph.model import formats
from policygraph.model.formats import parse_media_type

MULTIPART = "multipart/form-data"
MAX_PARTS = 1000  # a form of files, not a way to send a million tiny documents


@dataclass(frozen=True)
class Part:
    name: str  # the form field's file name (or field name), for error messages
    content_type: str | None
    body: bytes


def parse_payload(body: bytes, content_type: str | None, base_iri: str) -> list[ox.Quad]:
    """The triples of a PUT or POST payload (as default-graph quads), or a 4xx error."""
    if content_type and parse_media_type(content_type)[0] == MULTIPART:
        quads: list[ox.Quad] = []
        for part in multipart_parts(body, content_type):
            quads.extend(parse_document(part.body, part_format(part), part.content_type, base_iri, part.name))
        return quads
    fmt = formats.RDF_XML if not content_type else formats.for_content_type(content_type,
                                                                             formats.GRAPH_INPUT_FORMATS)
    if fmt is None:
        raise UnsupportedMediaType(
            f"Content-Type {content_type} is not an RDF graph format accepted here; use one of "
            f"{', '.join(f.media_type for f in formats.GRAPH_INPUT_FORMATS)}, or {MULTIPART}")
    return parse_document(body, fmt, content_type, base_iri)


def part_format(part: Part) -> formats.Format:
    if part.content_type:
        fmt = formats.for_content_type(part.content_type, formats.GRAPH_INPUT_FORMATS)
        if fmt is None:
            raise UnsupportedMediaType(f"part {part.name!r}: Content-Type {part.content_type} is not an RDF graph "
                                       "format accepted here")
        return fmt
    _, dot, extension = part.name.rpartition(".")
    fmt = formats.by_extension(extension, formats.GRAPH_INPUT_FORMATS) if dot else None
    if fmt is None:
        raise BadRequest(f"part {part.name!r} has no Content-Type, and its name has no RDF file extension "
                         f"({', '.join('.' + e for f in formats.GRAPH_INPUT_FORMATS for e in f.extensions)})")
    return fmt


def parse_document(body: bytes, fmt: formats.Format, content_type: str | None, base_iri: str,
                   part: str | None = None) -> list[ox.Quad]:
    where = f"part {part!r}: " if part is not None else ""
    if fmt.text:
        charset = parse_media_type(content_type or "")[1].get("charset")
        if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"{where}charset {charset} is not accepted: send UTF-8")
    try:
        return list(ox.parse(body, fmt.oxigraph, base_iri=base_iri, without_named_graphs=True,
                             rename_blank_nodes=True))
    except SyntaxError as exc:
        error = syntax_error(exc, DataSyntaxError)
        if part is not None:
            error.detail = where + error.detail
        raise error from None


def multipart_parts(body: bytes, content_type: str) -> list[Part]:
    """The parts of a ``multipart/form-data`` body (RFC 7578), each with its headers read."""
    boundary = parse_media_type(content_type)[1].get("boundary")
    if not boundary:
        raise BadRequest(f"a {MULTIPART} body needs a boundary parameter in its Content-Type")
    parts: list[Part] = []
    headers: dict[str, str] = {}
    field: list[bytes] = []
    value: list[bytes] = []
    data: list[bytes] = []
    ended = False

    def on_header_end() -> None:
        headers[b"".join(field).decode("latin-1").strip().lower()] = b"".join(value).decode("utf-8", "replace").strip()
        field.clear()
        value.clear()

    def on_part_end() -> None:
        if len(parts) >= MAX_PARTS:
            raise BadRequest(f"a {MULTIPART} body may have at most {MAX_PARTS} parts")
        disposition = parse_media_type("x/x;" + headers.get("content-disposition", "").partition(";")[2])[1]
        name = disposition.get("filename") or disposition.get("name") or f"#{len(parts) + 1}"
        parts.append(Part(name, headers.get("content-type") or None, b"".join(data)))
        headers.clear()
        data.clear()

    def on_end() -> None:
        nonlocal ended
        ended = True

    parser = MultipartParser(boundary, {
        "on_part_begin": lambda: None,
        "on_header_field": lambda b, start, end: field.append(b[start:end]),
        "on_header_value": lambda b, start, end: value.append(b[start:end]),
        "on_header_end": on_header_end,
        "on_part_data": lambda b, start, end: data.append(b[start:end]),
        "on_part_end": on_part_end,
        "on_end": on_end,
    })
    try:
        parser.write(body)
        parser.finalize()
    except MultipartParseError as exc:
        raise BadRequest(f"the {MULTIPART} body cannot be read: {exc}") from None
    if not ended:
        raise BadRequest(f"the {MULTIPART} body ends before its closing boundary")
    if not parts:
        raise BadRequest(f"the {MULTIPART} body has no part")
    return parts
