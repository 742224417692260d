"""SHACL validation reports: the results of one run, and their renderings.

A :class:`ValidationReport` is built from the ``sh:ValidationReport`` graph pySHACL produces
(https://www.w3.org/TR/shacl/#validation-report) and keeps that graph for RDF output.  The
renderers (text for terminals, a plain JSON summary, the RDF graph) all read the same
:class:`ValidationResult` records, so an HTML page for the data steward can be one more
renderer over them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from policygraph.model.namespaces import ID, PREFIXES, SH, bind_prefixes

SEVERITIES = ("Violation", "Warning", "Info")  # most serious first: the order of every listing
LANGUAGES = ("fr", "en")

# A local name that reads well after "prefix:"; anything else is shown as a full <IRI>.
_SIMPLE_LOCAL = re.compile(r"^[A-Za-z_][\w.-]*$")


def compact(node: Node | None) -> str:
    """A short, readable form of a term: ``pg:kind``, ``<contract/erbm>`` for instances, ``"2040"``."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        return json.dumps(str(node), ensure_ascii=False)
    if isinstance(node, BNode):
        return f"_:{node}"
    iri = str(node)
    if iri.startswith(str(ID)):
        return f"<{iri[len(str(ID)):]}>"  # instance IRIs as the data files write them (@base id/)
    best = max(((p, str(ns)) for p, ns in PREFIXES.items() if iri.startswith(str(ns))),
               key=lambda item: len(item[1]), default=None)
    if best and _SIMPLE_LOCAL.match(iri[len(best[1]):]):
        return f"{best[0]}:{iri[len(best[1]):]}"
    return f"<{iri}>"


def render_path(graph: Graph, path: Node | None) -> str | None:
    """A SHACL property path (https://www.w3.org/TR/shacl/#property-paths) in SPARQL syntax."""
    if path is None:
        return None
    return _path(graph, path)[0]


# Precedence of SPARQL path operators, loosest first (SPARQL 1.1 §9.1): a sub-path is put in
# parentheses only where the enclosing operator binds tighter.
_ALTERNATIVE, _SEQUENCE, _INVERSE, _PRIMARY = range(4)


def _path(graph: Graph, path: Node) -> tuple[str, int]:
    if isinstance(path, URIRef):
        return compact(path), _PRIMARY
    if (path, RDF.first, None) in graph:
        return "/".join(_operand(graph, p, _SEQUENCE) for p in Collection(graph, path)), _SEQUENCE
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_operand(graph, p, _ALTERNATIVE) for p in Collection(graph, alternatives)), _ALTERNATIVE
    inner = graph.value(path, SH.inversePath)
    if inner is not None:
        return "^" + _operand(graph, inner, _PRIMARY), _INVERSE
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            # A modifier applies to an IRI or to a parenthesised path, nothing else.
            text = compact(inner) if isinstance(inner, URIRef) else f"({_path(graph, inner)[0]})"
            return text + suffix, _PRIMARY
    return compact(path), _PRIMARY


def _operand(graph: Graph, path: Node, loosest: int) -> str:
    """``path`` as an operand: parenthesised if its operator binds looser than ``loosest``."""
    text, level = _path(graph, path)
    return f"({text})" if level < loosest else text


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult``, with what a reader needs to act on it."""

    focus_node: Node
    severity: str  # "Violation", "Warning" or "Info"
    source_shape: Node
    constraint_component: URIRef
    path: str | None = None  # rendered in SPARQL property-path syntax
    value: Node | None = None
    messages: dict[str, str] = field(default_factory=dict)  # language tag ("" if none) → text
    focus_labels: dict[str, str] = field(default_factory=dict)  # language tag → label

    def message(self, lang: str) -> str:
        """The message in ``lang``; else English, else any the shape gave."""
        for key in (lang, "en", ""):
            if key in self.messages:
                return self.messages[key]
        return next(iter(self.messages.values()), "")

    def focus_label(self, lang: str) -> str | None:
        for key in (lang, "fr", "en", ""):
            if key in self.focus_labels:
                return self.focus_labels[key]
        return None

    def sort_key(self) -> tuple:
        return (SEVERITIES.index(self.severity) if self.severity in SEVERITIES else len(SEVERITIES),
                str(self.focus_node), self.path or "", str(self.source_shape), str(self.value or ""))

    def to_dict(self, lang: str) -> dict:
        return {
            "severity": self.severity,
            "focusNode": str(self.focus_node),
            "focusLabel": self.focus_label(lang),
            "path": self.path,
            "value": None if self.value is None else str(self.value),
            "message": self.message(lang),
            "sourceShape": str(self.source_shape),
            "constraintComponent": str(self.constraint_component),
        }


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one data graph against the shapes."""

    conforms: bool
    results: tuple[ValidationResult, ...]
    graph: Graph  # the sh:ValidationReport as pySHACL produced it

    @classmethod
    def from_graph(cls, report: Graph, data: Graph | None = None) -> "ValidationReport":
        """Read a ``sh:ValidationReport`` graph; ``data`` supplies the focus nodes' labels."""
        node = report.value(predicate=RDF.type, object=SH.ValidationReport)
        if node is None:
            raise ValueError("not a SHACL validation report: no sh:ValidationReport node")
        conforms = bool(report.value(node, SH.conforms).toPython())
        for r in report.objects(node, SH.result):
            _tag_messages(report, r)
        results = tuple(sorted((_read_result(report, r, data) for r in report.objects(node, SH.result)),
                               key=ValidationResult.sort_key))
        bind_prefixes(report)
        return cls(conforms=conforms, results=results, graph=report)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(r.severity for r in self.results)
        return {severity: found.get(severity, 0) for severity in SEVERITIES} | dict(found)

    # --- renderers ---------------------------------------------------------------------------

    def to_text(self, lang: str = "fr") -> str:
        """A listing for terminals, most serious first, grouped by focus node."""
        words = _WORDS[lang if lang in _WORDS else "en"]
        counts = self.counts
        head = words["summary"].format(
            verdict=words["conforms"] if self.conforms else words["fails"],
            violations=counts["Violation"], warnings=counts["Warning"], infos=counts["Info"])
        lines = [head]
        previous = None
        for r in self.results:
            if (r.severity, r.focus_node) != previous:
                previous = (r.severity, r.focus_node)
                label = r.focus_label(lang)
                lines.append("")
                lines.append(f"{words[r.severity] if r.severity in words else r.severity.upper()}  "
                             f"{compact(r.focus_node)}" + ("  " + words["quoted"].format(label) if label else ""))
            where = r.path or words["node"]
            value = f" = {compact(r.value)}" if r.value is not None and r.value != r.focus_node else ""
            lines.append(f"  {where}{value}: {r.message(lang)}")
            lines.append(f"    [{compact(r.source_shape)}, {compact(r.constraint_component)}]")
        return "\n".join(lines) + "\n"

    def to_json(self, lang: str = "fr") -> str:
        """A plain JSON summary (not JSON-LD: use :meth:`to_graph` for linked data)."""
        return json.dumps({
            "conforms": self.conforms,
            "counts": self.counts,
            "results": [r.to_dict(lang) for r in self.results],
        }, ensure_ascii=False, indent=2)

    def to_graph(self) -> Graph:
        """The ``sh:ValidationReport`` as RDF, to serialise as Turtle or JSON-LD."""
        return self.graph


def _read_result(report: Graph, node: Node, data: Graph | None) -> ValidationResult:
    focus = report.value(node, SH.focusNode)
    severity_iri = report.value(node, SH.resultSeverity)
    messages = {(m.language or ""): str(m) for m in report.objects(node, SH.resultMessage)
                if isinstance(m, Literal)}
    return ValidationResult(
        focus_node=focus,
        severity=str(severity_iri).rsplit("#", 1)[-1] if severity_iri is not None else "Violation",
        source_shape=report.value(node, SH.sourceShape),
        constraint_component=report.value(node, SH.sourceConstraintComponent),
        path=render_path(report, report.value(node, SH.resultPath)),
        value=report.value(node, SH.value),
        messages=messages,
        focus_labels=_labels(data, focus) if data is not None else {},
    )


def _tag_messages(report: Graph, result: Node) -> None:
    """Give back their language tags to the messages of SPARQL constraints.

    pySHACL 0.40 fills a SPARQL constraint's ``sh:message`` templates (``{?value}``…) into plain
    literals, dropping the ``@fr``/``@en`` tags, so a reader could not pick its language.  The
    templates, tagged, are in the report under ``sh:sourceConstraint``: each plain message is
    matched against them and takes the tag of the template it fills.
    """
    constraint = report.value(result, SH.sourceConstraint)
    if constraint is None:
        return
    templates = [(t.language, re.compile("(?s:.*)".join(map(re.escape, re.split(r"\{[?$]\w+\}", str(t)))) + "$"))
                 for t in report.objects(constraint, SH.message) if isinstance(t, Literal) and t.language]
    for message in list(report.objects(result, SH.resultMessage)):
        if not isinstance(message, Literal) or message.language or message.datatype:
            continue
        matching = [lang for lang, pattern in templates if pattern.match(str(message))]
        if len(set(matching)) == 1:
            report.remove((result, SH.resultMessage, message))
            report.add((result, SH.resultMessage, Literal(str(message), lang=matching[0])))


def _labels(data: Graph, node: Node) -> dict[str, str]:
    labels: dict[str, str] = {}
    for predicate in (RDFS.label, SKOS.prefLabel):  # prefLabel last: it wins
        for label in data.objects(node, predicate):
            if isinstance(label, Literal):
                labels[label.language or ""] = str(label)
    return labels


_WORDS = {
    "fr": {
        "summary": "Validation SHACL : {verdict} — {violations} violation(s), {warnings} avertissement(s), "
                   "{infos} information(s)",
        "conforms": "conforme", "fails": "NON CONFORME",
        "Violation": "VIOLATION", "Warning": "AVERTISSEMENT", "Info": "INFO", "node": "(ressource)",
        "quoted": "« {} »",
    },
    "en": {
        "summary": "SHACL validation: {verdict} — {violations} violation(s), {warnings} warning(s), "
                   "{infos} info(s)",
        "conforms": "conforms", "fails": "DOES NOT CONFORM",
        "Violation": "VIOLATION", "Warning": "WARNING", "Info": "INFO", "node": "(resource)",
        "quoted": "“{}”",
    },
}
