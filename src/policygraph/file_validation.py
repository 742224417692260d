"""``policygraph validate FILE…``: what these files would change in the shipped graph.

The files (any of the six RDF syntaxes, by extension) are read as triples to add to the shipped
graph, which is loaded into an in-memory Oxigraph store, and validated incrementally
(``policygraph.incremental``): the report speaks of what the files break — and of what they fix —
not of the rest of the graph.  ``--full`` validates the whole union instead (``validation``).
With ``--server URL`` the files are checked against a running service's current graph
(``POST /validate``) rather than the shipped files.

Exit status: 0 the files conform (warnings allowed), 1 they add a violation, 2 usage or syntax error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from . import report_views
from .dataset import SHAPES_GRAPH, data_files
from .errors import DataSyntaxError, UnsupportedMediaType
from .incremental import validate_change
from .rdffiles import format_of, parse_file
from .validation import Validator, shipped_validator

_FORMATS = {"text": report_views.TEXT, "json": report_views.SUMMARY, "turtle": report_views.TURTLE,
            "jsonld": report_views.JSON_LD}
FILES_GRAPH = "urn:policygraph:files"  # where the files' triples are assumed to go


def validate_files(files: list[Path], *, fmt: str, lang: str, root: Path | None = None,
                   out: TextIO | None = None, server: str | None = None) -> int:
    out = out or sys.stdout
    if fmt not in _FORMATS:
        return _usage(f"unknown format {fmt!r} (expected one of {', '.join(_FORMATS)})")
    try:
        triples = [t for path in files for t in _read(path)]
        if server:
            return _remote(files, server, fmt, lang, out)
        store = shipped_store(root)
    except (DataSyntaxError, UnsupportedMediaType) as error:
        return _usage(error.detail)
    validator = shipped_validator() if root is None else Validator.from_directory(root / "shapes")
    from rdflib import URIRef

    validation = validate_change(store, [(*t, URIRef(FILES_GRAPH)) for t in triples], validator=validator)
    out.write(report_views.render(validation, _FORMATS[fmt], lang).decode())
    return 0 if validation.conforms else 1


def _read(path: Path):
    try:
        return parse_file(path)
    except (OSError, UnicodeDecodeError) as error:
        raise DataSyntaxError(f"{path}: cannot read: {error}") from error


def shipped_store(root: Path | None = None) -> ox.Store:
    """The shipped data (without the shapes) in an in-memory store, each file in its graph."""
    store = ox.Store()
    for f in data_files(root):
        if f.graph == SHAPES_GRAPH:
            continue
        try:
            store.bulk_load(path=str(f.path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(f.graph)))
        except SyntaxError as exc:
            raise DataSyntaxError(f"{f.path}: {exc}") from None
    return store


def _remote(files: list[Path], server: str, fmt: str, lang: str, out: TextIO) -> int:
    """Each file posted to ``{server}/validate`` in its own syntax; the worst outcome decides."""
    import httpx

    worst = 0
    for path in files:
        media = format_of(path).media_type
        try:
            response = httpx.post(server.rstrip("/") + "/validate", content=path.read_bytes(), timeout=600,
                                  headers={"Content-Type": media, "Accept": _FORMATS[fmt].media_type,
                                           "Accept-Language": lang})
        except httpx.HTTPError as exc:
            return _usage(f"cannot reach {server}: {exc}")
        if response.status_code != 200:
            return _usage(f"{path}: {server} answered {response.status_code}: {response.text[:500]}")
        out.write(response.text)
        worst = max(worst, 0 if response.headers.get("x-conforms") == "true" else 1)
    return worst


def _usage(message: str) -> int:
    print(f"policygraph validate: {message}", file=sys.stderr)
    return 2
