"""``policygraph validate FILE…``: what these files would change in the shipped graph.

The files (any of the six RDF syntaxes, by extension) are read as triples to add to the shipped
graph, which is loaded into an in-memory Oxigraph store, and validated incrementally
(``policygraph.validation.incremental``): the report speaks of what the files break — and of what they fix —
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
from rdflib import URIRef

from policygraph.console import status
from policygraph.errors import DataSyntaxError, UnsupportedMediaType
from policygraph.model.dataset import SHAPES_GRAPH, data_files
from policygraph.model.rdffiles import format_of, parse_file
from policygraph.validation import report_views
from policygraph.validation.incremental import validate_change
from policygraph.validation.report import LANGUAGES, ValidationReport
from policygraph.validation.validator import Validator, shipped_graph, shipped_validator

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
        with status("reading the shipped graph"):
            store = shipped_store(root)
    except (DataSyntaxError, UnsupportedMediaType) as error:
        return _usage(error.detail)
    with status(f"validating what {len(triples)} triples change"):
        validator = shipped_validator() if root is None else Validator.from_directory(root / "shapes")
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


def validate_command(files: list[Path], fmt: str = "text", lang: str = "fr", full: bool = False) -> int:
    """``policygraph validate``: 0 conforms, 1 violations, 2 usage or syntax error.

    Without files, validate the shipped graph.  With files, validate them together with the
    shipped graph (so their links to shipped resources resolve).
    """
    return run_validate(files, fmt=fmt, lang=lang, full=full)


def run_validate(files: list[Path], *, fmt: str, lang: str, full: bool, root: Path | None = None,
                 out: TextIO | None = None) -> int:
    """:func:`validate_command` for the project tree at ``root`` (its data and its shapes)."""
    out = out or sys.stdout
    if fmt not in _FORMATS:
        return _usage(f"unknown format {fmt!r} (expected one of {', '.join(_FORMATS)})")
    if lang not in LANGUAGES:
        return _usage(f"unknown language {lang!r} (expected one of {', '.join(LANGUAGES)})")
    if files and not full:
        # Incremental: the report speaks of what the files break or fix.
        return validate_files(files, fmt=fmt, lang=lang, root=root, out=out)
    try:
        with status("reading the shipped graph"):
            graph = shipped_graph(root)  # --full, or no files: the whole union
            for path in files:
                graph += _read(path)
    except (DataSyntaxError, UnsupportedMediaType) as error:
        return _usage(error.detail)
    with status(f"validating {len(graph)} triples against the shapes (about 30 s for the shipped graph)"):
        validator = shipped_validator() if root is None else Validator.from_directory(root / "shapes")
        report = validator.validate(graph)
    out.write(_render(report, fmt, lang))
    return 0 if report.conforms else 1


def _render(report: ValidationReport, fmt: str, lang: str) -> str:
    if fmt == "json":
        return report.to_json(lang) + "\n"
    if fmt == "turtle":
        return report.to_graph().serialize(format="turtle")
    if fmt == "jsonld":
        return report.to_graph().serialize(format="json-ld")
    return report.to_text(lang)
