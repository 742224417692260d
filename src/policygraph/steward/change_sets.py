"""What a data steward submits: a change set, read from a request body or from files.

A change set is the triples to add, the triples to remove, why (a comment) and where it comes from
(a source: an IRI, or a text such as a document's title).  It arrives as

- a JSON document (``Content-Type: application/json``)::

      {"add": "<RDF text>", "remove": "<RDF text>", "format": "text/turtle",
       "comment": "Avenant n°2 du contrat de ville", "source": "https://…/avenant-2.pdf",
       "graph": "https://w3id.org/policygraph/graph/source/004_4b7e9e6a0ac3b2cb"}

  ``format`` (default ``text/turtle``) is the syntax of ``add`` and ``remove``; ``graph``
  (optional) limits the removals to that named graph, instead of every graph that holds them;
- or plain RDF — Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML (or N3), by
  ``Content-Type`` — which is all additions, with ``comment``, ``source`` and ``graph`` as query
  parameters.

Named graphs in TriG or N-Quads input are ignored: additions always go into the change's own
graph.  Relative IRIs resolve against the service's base IRI (``POLICYGRAPH_BASE_IRI``); write
``@base <https://w3id.org/policygraph/id/> .`` to use the data files' short IRIs.  A syntax error
names its line and column (in the ``add`` or ``remove`` text for a JSON document).
"""

from __future__ import annotations

import json
import xml.parsers.expat
from dataclasses import dataclass
from typing import Mapping

import pyoxigraph as ox

from policygraph.errors import BadRequest, DataSyntaxError, InvalidParameter, UnsupportedMediaType, syntax_error
from policygraph.model import formats
from policygraph.model.terms import to_rdflib

CHANGE_SET_MEDIA = "application/json"
# The six syntaxes of the issue, and N3; JSON-LD only as application/ld+json (application/json
# is the change-set document).
RDF_INPUTS = (formats.TURTLE, formats.TRIG, formats.N_TRIPLES, formats.N_QUADS, formats.JSON_LD,
              formats.RDF_XML, formats.N3)
_FIELDS = {"add", "remove", "format", "comment", "source", "graph"}


@dataclass(frozen=True)
class ChangeSet:
    added: tuple = ()  # rdflib triples
    removed: tuple = ()
    comment: str = ""
    source: str = ""
    graph: str | None = None  # removals only from this named graph

    @property
    def empty(self) -> bool:
        return not self.added and not self.removed


def rdf_format(media_type: str | None) -> formats.Format:
    """The input syntax a Content-Type names, or 415."""
    media, _ = formats.parse_media_type(media_type or "")
    for fmt in RDF_INPUTS:
        if media == fmt.media_type or (media in fmt.aliases and media not in ("application/json", "text/plain")):
            return fmt
    accepted = ", ".join([CHANGE_SET_MEDIA] + [f.media_type for f in RDF_INPUTS])
    raise UnsupportedMediaType(f"Content-Type {media or '(none)'} is not accepted here; send one of {accepted}")


def parse_rdf(data: bytes, fmt: formats.Format, *, base_iri: str, field: str | None = None) -> tuple:
    """The triples of an RDF text (of every graph, for TriG and N-Quads), or a 400 naming the line
    and column (and the field of a change-set document it was in)."""
    extra = {"field": field} if field else {}
    try:
        quads = list(ox.parse(data, fmt.oxigraph, base_iri=base_iri))
    except SyntaxError as exc:
        error = syntax_error(exc, DataSyntaxError)
        detail = error.detail
        if error.line is None and fmt is formats.RDF_XML:
            error.line, error.column = _xml_position(data)
            if error.line is not None:
                detail += f" (line {error.line}, column {error.column})"
        where = f"{field}: " if field else ""
        raise DataSyntaxError(f"{where}{fmt.name} syntax error: {detail}",
                              line=error.line, column=error.column, **extra) from None
    seen, triples = set(), []
    for q in quads:
        triple = (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        if triple not in seen:
            seen.add(triple)
            triples.append(triple)
    return tuple(triples)


def _xml_position(data: bytes) -> tuple[int | None, int | None]:
    """Oxigraph's RDF/XML errors carry no position; expat finds that of an XML well-formedness error."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        return exc.lineno, exc.offset + 1  # expat counts columns from 0
    return None, None


def parse_document(body: bytes, *, base_iri: str) -> ChangeSet:
    """A change-set JSON document (see the module documentation)."""
    try:
        document = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidParameter(f"the change set is not valid UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise BadRequest(f"the change set is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                         line=exc.lineno, column=exc.colno) from None
    if not isinstance(document, dict):
        raise BadRequest("a change set is a JSON object: {\"add\": …, \"remove\": …, \"comment\": …, \"source\": …}")
    unknown = sorted(set(document) - _FIELDS)
    if unknown:
        raise BadRequest(f"unknown field(s) {', '.join(unknown)} in the change set; "
                         f"expected {', '.join(sorted(_FIELDS))}")
    for key, value in document.items():
        if value is not None and not isinstance(value, str):
            raise BadRequest(f"the change set field {key!r} must be a string")
    fmt = rdf_format(document.get("format") or formats.TURTLE.media_type)
    added = parse_rdf((document.get("add") or "").encode(), fmt, base_iri=base_iri, field="add")
    removed = parse_rdf((document.get("remove") or "").encode(), fmt, base_iri=base_iri, field="remove")
    return _checked(ChangeSet(added, removed, (document.get("comment") or "").strip(),
                              (document.get("source") or "").strip(), _graph(document.get("graph"))))


def parse_body(body: bytes, content_type: str | None, params: Mapping[str, str], *, base_iri: str) -> ChangeSet:
    """A change set from a request: a JSON document, or RDF additions with parameters."""
    media, _ = formats.parse_media_type(content_type or "")
    if media == CHANGE_SET_MEDIA:
        return parse_document(body, base_iri=base_iri)
    fmt = rdf_format(content_type)
    _, parameters = formats.parse_media_type(content_type or "")
    charset = parameters.get("charset")
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {charset} is not accepted: send UTF-8")
    added = parse_rdf(body, fmt, base_iri=base_iri)
    return _checked(ChangeSet(added, (), (params.get("comment") or "").strip(), (params.get("source") or "").strip(),
                              _graph(params.get("graph"))))


def _graph(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return ox.NamedNode(value.strip()).value
    except ValueError as exc:
        raise InvalidParameter(f"graph={value!r} is not an absolute IRI: {exc}") from None


def _checked(change: ChangeSet) -> ChangeSet:
    both = set(change.added) & set(change.removed)
    if both:
        s, p, o = sorted(both, key=str)[0]
        raise BadRequest(f"the change set both adds and removes {len(both)} triple(s), e.g. {s.n3()} {p.n3()} "
                         f"{o.n3()} ; keep each triple on one side")
    return change


def require_provenance(change: ChangeSet) -> None:
    """A committed change says why and from which source (the PROV record needs both)."""
    missing = [name for name, value in (("comment", change.comment), ("source", change.source)) if not value]
    if missing:
        raise BadRequest(f"a change set needs a {' and a '.join(missing)}: why the change is made and the "
                         "document it comes from")
    if change.empty:
        raise BadRequest("the change set adds and removes nothing")
