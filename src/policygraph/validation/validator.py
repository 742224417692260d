"""Validate data against the SHACL shapes of ``shapes/``.

The shapes are parsed once into a :class:`Validator`; each :meth:`Validator.validate` call returns a
:class:`~policygraph.validation.report.ValidationReport`.

pySHACL runs without inference.  The ontology (``ontology/policygraph.ttl``) is part of the data
graph (see :func:`policygraph.model.dataset.data_graph`), and SHACL's ``sh:targetClass`` and ``sh:class``
follow the ``rdfs:subClassOf`` triples found there (https://www.w3.org/TR/shacl/#dfn-shacl-instance),
so a shape on ``pg:Commitment`` reaches every ``pg:Signature``.  RDFS inference would add nothing the
shapes need; worse, it would type every subject of a property by the property's ``rdfs:domain``,
turning a misused property into a silently "valid" resource instead of a violation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from pyshacl import Validator as _PyshaclValidator
from pyshacl.graph_abstraction import DataGraph
from rdflib import Dataset, Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from policygraph.model.dataset import SHAPES_GRAPH, data_files, project_root
from policygraph.model.namespaces import bind_prefixes
from policygraph.model.rdffiles import parse_file
from policygraph.validation.report import ValidationReport


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
        incremental validation of a change (``policygraph.validation.incremental``)."""
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
    :func:`policygraph.model.dataset.data_graph`, but a syntax error names its file, line and column."""
    graph = Graph()
    bind_prefixes(graph)
    for f in data_files(root):
        if f.graph != SHAPES_GRAPH:
            graph += parse_file(f.path)
    return graph
