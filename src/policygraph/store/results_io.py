"""Writing query answers with limits on rows, triples and bytes.

pyoxigraph can serialize whole result sets but cannot stop after N rows, so SELECT/ASK results
are written here, byte-for-byte as pyoxigraph writes them (a test compares the two):

- SPARQL 1.1 Query Results JSON Format (https://www.w3.org/TR/sparql11-results-json/);
- SPARQL Query Results XML Format (https://www.w3.org/TR/rdf-sparql-XMLres/);
- SPARQL 1.1 Query Results CSV and TSV Formats (https://www.w3.org/TR/sparql11-results-csv-tsv/).

Graphs (CONSTRUCT, DESCRIBE, Graph Store GET) are counted here and serialized by pyoxigraph.
Exceeding a limit raises ResultTooLarge: a clear error rather than a silently truncated answer.
"""

from __future__ import annotations

import io
import json
import re
from typing import Iterable, Sequence

import pyoxigraph as ox

from policygraph.errors import NotAcceptable, ResultTooLarge
from policygraph.model import formats
from policygraph.model.formats import Format
from policygraph.model.namespaces import PREFIXES
from policygraph.model.terms import XSD_STRING, to_json

XSD = "http://www.w3.org/2001/XMLSchema#"
_BARE_TSV = {  # TSV §4: these literals may be written in their short Turtle form
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    XSD + "boolean": re.compile(r"true|false"),
}


class LimitedBuffer(io.RawIOBase):
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise ResultTooLarge(f"the result is larger than {self.max_bytes} bytes, the limit of "
                                 f"this service; narrow the query or add LIMIT",
                                 limit=self.max_bytes, unit="bytes")
        self.parts.append(bytes(data))
        return len(data)

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _too_many(count_limit: int, what: str) -> ResultTooLarge:
    return ResultTooLarge(f"the result has more than {count_limit} {what}, the limit of this service; "
                          f"add LIMIT (and OFFSET to page through it) or narrow the query",
                          limit=count_limit, unit=what)


def _xml_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f'<literal xml:lang="{_xml_escape(term.language)}">{_xml_escape(term.value)}</literal>'
        if term.datatype.value != XSD_STRING:
            return f'<literal datatype="{_xml_escape(term.datatype.value)}">{_xml_escape(term.value)}</literal>'
        return f"<literal>{_xml_escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(term)


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        value = "_:" + term.value
    elif isinstance(term, ox.Triple):
        value = str(term)
    else:
        value = term.value
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _tsv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and not term.language:
        bare = _BARE_TSV.get(term.datatype.value)
        if bare is not None and bare.fullmatch(term.value):
            return term.value
    return str(term)


def write_solutions(variables: Sequence[str], rows: Iterable[Sequence], fmt: Format, *,
                    max_rows: int, max_bytes: int) -> tuple[bytes, int]:
    """Serialize SELECT solutions (each row: terms or None, in ``variables`` order)."""
    out = LimitedBuffer(max_bytes)
    name = fmt.name
    count = 0
    if name == "json":
        out.write(b'{"head":{"vars":' + json.dumps(list(variables), ensure_ascii=False,
                                                     separators=(",", ":")).encode() + b'},"results":{"bindings":[')
    elif name == "xml":
        head = "".join(f'<variable name="{_xml_escape(v)}"/>' for v in variables)
        out.write(('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                   f"<head>{head}</head><results>").encode())
    elif name == "csv":
        out.write((",".join(variables) + "\r\n").encode())
    elif name == "tsv":
        out.write(("\t".join("?" + v for v in variables) + "\n").encode())
    else:
        raise ValueError(f"{fmt.media_type} is not a SPARQL results format")
    for row in rows:
        count += 1
        if count > max_rows:
            raise _too_many(max_rows, "rows")
        if name == "json":
            binding = {v: to_json(t) for v, t in zip(variables, row) if t is not None}
            out.write((b"," if count > 1 else b"") + json.dumps(binding, ensure_ascii=False,
                                                                  separators=(",", ":")).encode())
        elif name == "xml":
            cells = "".join(f'<binding name="{_xml_escape(v)}">{_xml_term(t)}</binding>'
                            for v, t in zip(variables, row) if t is not None)
            out.write(f"<result>{cells}</result>".encode())
        elif name == "csv":
            out.write((",".join(_csv_value(t) for t in row) + "\r\n").encode())
        else:
            out.write(("\t".join(_tsv_value(t) for t in row) + "\n").encode())
    if name == "json":
        out.write(b"]}}")
    elif name == "xml":
        out.write(b"</results></sparql>")
    return out.getvalue(), count


def write_boolean(value: bool, fmt: Format) -> bytes:
    text = "true" if value else "false"
    if fmt.name == "json":
        return ('{"head":{},"boolean":%s}' % text).encode()
    if fmt.name == "xml":
        return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head></head><boolean>{text}</boolean></sparql>").encode()
    if fmt.name in ("csv", "tsv"):
        return text.encode()
    raise ValueError(f"{fmt.media_type} is not a SPARQL results format")


PREFIX_MAP = {p: str(ns) for p, ns in PREFIXES.items()}


def write_graph(triples: Iterable, fmt: Format, *, max_triples: int, max_bytes: int,
                graph_name: str | None = None) -> tuple[bytes, int]:
    """Serialize triples after counting them.

    In a dataset format (TriG, N-Quads) the triples are written in the graph ``graph_name`` (a
    Graph Store read), or in the default graph (None: a CONSTRUCT or DESCRIBE answer).
    """
    collected = collect(triples, max_triples=max_triples)
    if fmt.kind == "dataset" and graph_name is not None:
        name = ox.NamedNode(graph_name)
        collected = [ox.Quad(t.subject, t.predicate, t.object, name) for t in collected]
    out = LimitedBuffer(max_bytes)
    prefixes = _used_prefixes(collected) if fmt.name in ("turtle", "trig", "n3", "rdfxml") else None
    ox.serialize(collected, out, fmt.oxigraph, prefixes=prefixes)
    return out.getvalue(), len(collected)


def collect(triples: Iterable, *, max_triples: int) -> list:
    """The triples of a CONSTRUCT, refused past the limit."""
    collected = []
    for t in triples:
        collected.append(t)
        if len(collected) > max_triples:
            raise _too_many(max_triples, "triples")
    return collected


def _used_prefixes(statements: list) -> dict[str, str]:
    """The project prefixes some IRI of the statements starts with (no unused declarations)."""
    iris = set()
    for st in statements:
        for term in (st.subject, st.predicate, st.object, getattr(st, "graph_name", None)):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal) and not term.language and term.datatype.value != XSD_STRING:
                iris.add(term.datatype.value)
    return {p: ns for p, ns in PREFIX_MAP.items() if any(i.startswith(ns) for i in iris)}


def serialize_result(result, job: dict) -> dict:
    """Serialize a pyoxigraph result (solutions, boolean or triples) in the negotiated format."""
    if isinstance(result, ox.QuerySolutions):
        fmt = _format(job, "results_format", "SELECT")
        variables = [v.value for v in result.variables]
        body, count = write_solutions(variables, (list(s) for s in result), fmt,
                                      max_rows=job["max_rows"], max_bytes=job["max_bytes"])
        return {"kind": "results", "format": formats.key(fmt), "body": body, "count": count}
    if isinstance(result, ox.QueryBoolean):
        fmt = _format(job, "results_format", "ASK")
        return {"kind": "results", "format": formats.key(fmt), "body": write_boolean(bool(result), fmt),
                "count": 1}
    fmt = _format(job, "graph_format", "CONSTRUCT or DESCRIBE")
    body, count = write_graph(result, fmt, max_triples=job["max_triples"], max_bytes=job["max_bytes"],
                              graph_name=job.get("graph") if job.get("graph_read") else None)
    return {"kind": "graph", "format": formats.key(fmt), "body": body, "count": count}


def _format(job: dict, name: str, form: str) -> formats.Format:
    key = job.get(name)
    if key is None:
        raise NotAcceptable(f"none of the requested media types can represent the answer to a {form} query")
    return formats.lookup(key)


def parse_triples(body: bytes) -> list[ox.Triple]:
    """N-Triples → distinct triples, in the order they came."""
    return distinct(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


def distinct(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    seen = set()
    result = []
    for t in triples:
        if t not in seen:
            seen.add(t)
            result.append(t)
    return result
