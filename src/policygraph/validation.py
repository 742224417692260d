"""Validate data against the SHACL shapes of ``shapes/``.

The shapes are parsed once into a :class:`Validator`; each :meth:`Validator.validate` call returns a
:class:`~policygraph.report.ValidationReport`.

pySHACL runs without inference.  The ontology (``ontology/policygraph.ttl``) is part of the data
graph (see :func:`policygraph.dataset.data_graph`), and SHACL's ``sh:targetClass`` and ``sh:class``
follow the ``rdfs:subClassOf`` triples found there (https://www.w3.org/TR/shacl/#dfn-shacl-instance),
so a shape on ``pg:Commitment`` reaches every ``pg:Signature``.  RDFS inference would add nothing the
shapes need; worse, it would type every subject of a property by the property's ``rdfs:domain``,
turning a misused property into a silently "valid" resource instead of a violation.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TextIO

from pyshacl import Validator as _PyshaclValidator
from pyshacl.graph_abstraction import DataGraph
from rdflib import Dataset, Graph
from rdflib.term import Node
from rdflib.plugins.sparql import prepareQuery

from .dataset import SHAPES_GRAPH, data_files, project_root
from .errors import DataSyntaxError, UnsupportedMediaType
from .namespaces import bind_prefixes
from .rdffiles import parse_file
from .report import LANGUAGES, ValidationReport

FORMATS = ("text", "json", "turtle", "jsonld")


class Validator:
    """The SHACL shapes, parsed once, ready to validate any number of data graphs."""

    def __init__(self, shapes: Graph):
        self._shapes = shapes
        self._prepared: dict[str, object] = {}  # SPARQL text of a constraint → parsed query

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> "Validator":
        shapes = Graph()
        bind_prefixes(shapes)
        for path in paths:
            shapes.parse(path, format="turtle")
        return cls(shapes)

    @classmethod
    def from_directory(cls, folder: Path | None = None) -> "Validator":
        """Every ``*.ttl`` of ``folder`` (default: the project's ``shapes/``)."""
        folder = folder or project_root() / "shapes"
        return cls.from_files(sorted(folder.glob("*.ttl")))

    @property
    def shapes(self) -> Graph:
        return self._shapes

    def validate(self, data: Graph, *, ont_graph: Graph | None = None,
                 focus: Mapping[Node, set] | None = None) -> ValidationReport:
        """Validate ``data``, unchanged.  ``ont_graph`` (the ontology, vocabularies…) is added to a
        copy of it first, for data that does not carry them itself.  ``focus`` ({shape: nodes})
        restricts each shape's targets to those nodes (shapes not in it validate nothing): the
        incremental validation of a change (``policygraph.incremental``)."""
        if ont_graph is None and not isinstance(data, Dataset):
            # A view on the caller's store: no copy (pySHACL runs in place and writes nothing
            # without inference).
            target = _PreparedQueryGraph(self._prepared, store=data.store, identifier=data.identifier)
        else:  # a union of all the triples, the caller's graphs untouched
            target = _PreparedQueryGraph(self._prepared)
            for graph in (data, ont_graph):
                if graph is not None:
                    for triple in _triples(graph):
                        target.add(triple)
        runner = _PyshaclValidator(
            DataGraph.from_rdflib(target),
            shacl_graph=self._shapes,
            options={
                "inference": "none",
                "inplace": True,  # nothing to protect: see above
                "allow_warnings": True,  # warnings ("should") and infos do not break conformance
                "allow_infos": True,
                "advanced": False,  # SHACL Core + SHACL-SPARQL only: portable to other engines
            },
        )
        if focus is not None:
            report_graph = _run_restricted(runner, runner.data_graph, focus)
        else:
            _conforms, report_graph, _text = runner.run()
        return ValidationReport.from_graph(report_graph, target)


def _run_restricted(runner: _PyshaclValidator, data_graph, focus: Mapping[Node, set]) -> Graph:
    """pySHACL's own validation loop (``Validator.run``), each shape given only its targets that are
    in ``focus``.  Not pySHACL's ``focus_nodes`` option: it applies one list to every shape and
    drops blank-node and literal focus nodes."""
    executor = runner.make_executor()
    reports, conforms = [], True
    for shape in runner.shacl_graph.shapes:
        wanted = focus.get(shape.node)
        if not wanted or shape.deactivated:
            continue
        nodes = [n for n in shape.focus_nodes(data_graph) if n in wanted]
        if nodes:
            ok, found = shape.validate(executor, data_graph, focus=nodes)
            conforms = conforms and ok
            reports.extend(found)
    report_graph, _text = runner.create_validation_report(runner.shacl_graph, conforms, reports)
    return report_graph


def _triples(graph: Graph):
    """The triples of a graph, or of every graph of a dataset."""
    if isinstance(graph, Dataset):
        return ((s, p, o) for s, p, o, _g in graph.quads((None, None, None, None)))
    return iter(graph)


class _PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL text once.

    pySHACL sends a SPARQL constraint's text once per focus node (with ``$this`` as a binding), and
    rdflib would parse it every time: ~13 ms of parsing for ~0.2 ms of evaluation, which made the
    passage check alone take half a minute on the shipped data.
    """

    def __init__(self, prepared: dict, **kwargs):
        super().__init__(**kwargs)
        self._prepared_queries = prepared

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str) and not kwargs.get("initNs"):
            prepared = self._prepared_queries.get(query_object)
            if prepared is None:
                prepared = self._prepared_queries[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


@cache
def shipped_validator() -> Validator:
    """The validator of the project's own shapes, built once per process."""
    return Validator.from_directory()


def shipped_graph(root: Path | None = None) -> Graph:
    """The union of the shipped data (everything but the shapes), like
    :func:`policygraph.dataset.data_graph`, but a syntax error names its file, line and column."""
    graph = Graph()
    bind_prefixes(graph)
    for f in data_files(root):
        if f.graph != SHAPES_GRAPH:
            graph += parse_file(f.path)
    return graph


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
    if fmt not in FORMATS:
        return _usage(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if lang not in LANGUAGES:
        return _usage(f"unknown language {lang!r} (expected one of {', '.join(LANGUAGES)})")
    if files and not full:
        # Incremental: the report speaks of what the files break or fix (policygraph.file_validation).
        from .file_validation import validate_files

        return validate_files(files, fmt=fmt, lang=lang, root=root, out=out)
    try:
        added = Graph()
        for path in files:
            added += _read(path)
        graph = _graph_to_validate(added, full=full, root=root)
    except (DataSyntaxError, UnsupportedMediaType) as error:
        return _usage(error.detail)
    validator = shipped_validator() if root is None else Validator.from_directory(root / "shapes")
    report = validator.validate(graph)
    out.write(_render(report, fmt, lang))
    return 0 if report.conforms else 1


def _read(path: Path) -> Graph:
    try:
        return parse_file(path)
    except (OSError, UnicodeDecodeError) as error:
        raise DataSyntaxError(f"{path}: cannot read: {error}") from error


def _graph_to_validate(added: Graph, *, full: bool, root: Path | None) -> Graph:
    """The graph a ``validate`` run checks.

    For now always the union of the shipped graph and the added files.  This is the seam for
    incremental validation (steward issue): without ``full``, only the focus nodes the added
    triples touch will need validating.
    """
    del full  # same behaviour either way until incremental validation exists
    graph = shipped_graph(root)
    graph += added
    return graph


def _render(report: ValidationReport, fmt: str, lang: str) -> str:
    if fmt == "json":
        return report.to_json(lang) + "\n"
    if fmt == "turtle":
        return report.to_graph().serialize(format="turtle")
    if fmt == "jsonld":
        return report.to_graph().serialize(format="json-ld")
    return report.to_text(lang)


def _usage(message: str) -> int:
    print(f"policygraph validate: {message}", file=sys.stderr)
    return 2
