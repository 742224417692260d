"""Read an RDF file whose format is given by its extension, with syntax errors located.

The extensions and rdflib parser names come from the one format table (:mod:`policygraph.model.formats`).
A syntax error becomes a :class:`~policygraph.errors.DataSyntaxError` naming the file and, where
the parser tells it, the 1-based line and column: each rdflib parser reports positions its own
way, so each is read here.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax import SAXParseException

from rdflib import Dataset, Graph
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from policygraph.errors import DataSyntaxError, UnsupportedMediaType
from policygraph.model import formats

_INPUT_FORMATS = (*formats.DATASET_FORMATS, *formats.GRAPH_FORMATS)
# ".xml" is a common name for RDF/XML files that the shared table keeps for SPARQL XML results.
_EXTRA_EXTENSIONS = {"xml": formats.RDF_XML}
_LINE_BASED = {"nt", "nquads"}


def format_of(path: Path) -> formats.Format:
    ext = path.suffix.lower().lstrip(".")
    fmt = formats.by_extension(ext, _INPUT_FORMATS) or _EXTRA_EXTENSIONS.get(ext)
    if fmt is None:
        known = sorted({e for f in _INPUT_FORMATS for e in f.extensions} | set(_EXTRA_EXTENSIONS))
        raise UnsupportedMediaType(f"{path}: unknown RDF file extension {path.suffix!r} "
                                   f"(expected one of: {', '.join('.' + e for e in known)})")
    return fmt


def parse_file(path: Path) -> Graph:
    """The triples of ``path`` (for TriG and N-Quads, of all its graphs) in one graph."""
    fmt = format_of(path)
    text = path.read_text(encoding="utf-8")  # OSError and UnicodeDecodeError are the caller's
    target = Dataset() if fmt.kind == "dataset" else Graph()
    try:
        target.parse(data=text, format=fmt.rdflib, publicID=path.resolve().as_uri())
    except (BadSyntax, ParserError, SAXParseException, json.JSONDecodeError, ValueError) as error:
        line, column, why = _locate(error, text, fmt)
        where = f"{path}:{line}:{column}" if line is not None else str(path)
        raise DataSyntaxError(f"{where}: {fmt.name} syntax error: {why}", line=line, column=column,
                              file=str(path)) from error
    if isinstance(target, Dataset):
        union = Graph()
        for s, p, o, _g in target.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return target


def _locate(error: Exception, text: str, fmt: formats.Format) -> tuple[int | None, int | None, str]:
    if isinstance(error, BadSyntax):  # Turtle, TriG, N3: `lines` newlines precede offset `_i`
        source = error._str.decode("utf-8", "replace") if isinstance(error._str, bytes) else error._str
        offset = error._i
        column = offset - (source.rfind("\n", 0, offset) + 1) + 1
        return error.lines + 1, column, error._why
    if isinstance(error, json.JSONDecodeError):
        return error.lineno, error.colno, error.msg
    if isinstance(error, SAXParseException):  # expat counts columns from 0
        return error.getLineNumber(), error.getColumnNumber() + 1, error.getMessage()
    if fmt.rdflib in _LINE_BASED:
        # The N-Triples/N-Quads parsers do not say which line failed; the first line that does not
        # parse on its own is the culprit (these formats have one statement per line).
        for number, line in enumerate(text.splitlines(), start=1):
            try:
                (Dataset() if fmt.kind == "dataset" else Graph()).parse(data=line, format=fmt.rdflib)
            except (ParserError, ValueError):
                return number, 1, str(error)
    return None, None, str(error)
