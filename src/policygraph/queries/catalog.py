"""Named queries: every ``queries/*.rq`` file, with a header that documents and types it.

A named query is a SPARQL query preceded by header lines (in the spirit of grlc's ``#+``
decorators); the header ends at the first line that is not a comment::

    #+ title: Labels of a resource
    #+ description: The preferred and alternative labels of a resource,
    #+ description: in one language.
    #+ param: resource iri -- the resource, e.g. pg:Contract
    #+ param: lang literal fr -- the language of the labels
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?label WHERE { ?resource skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), ?lang)) }

- ``#+ title: TEXT`` — once; defaults to the file name.
- ``#+ description: TEXT`` — repeatable; the lines are joined with spaces.
- ``#+ param: NAME TYPE [DEFAULT] [-- DESCRIPTION]`` — repeatable.  ``NAME`` is a variable of the
  query (``?NAME``).  ``TYPE`` is one of:

  - ``iri`` — an absolute IRI, or a prefixed name with a project prefix (``pg:Contract``,
    ``id:contract/erbm``, see ``policygraph.model.namespaces.PREFIXES``);
  - ``literal`` — a plain string (``xsd:string``);
  - ``literal@LANG`` — a string with that language tag (``literal@fr``);
  - ``xsd:DATATYPE`` — a typed literal whose lexical form is checked: ``xsd:string``,
    ``xsd:integer``, ``xsd:nonNegativeInteger``, ``xsd:positiveInteger``, ``xsd:decimal``,
    ``xsd:double``, ``xsd:boolean``, ``xsd:date``, ``xsd:dateTime``, ``xsd:gYear``,
    ``xsd:gYearMonth``, ``xsd:anyURI``.

  ``DEFAULT`` (optional; quote it if it has spaces) makes the parameter optional.

Values are validated against their type (400 naming the parameter otherwise) and bound as RDF
terms: a ``VALUES`` block of N-Triples terms opening the query's WHERE group (see
``sparql_text.inline_values``), never pasted into the query text.  So a parameter must be used in
the top-level WHERE group (a sub-SELECT only sees it if it projects it).
"""

from __future__ import annotations

import calendar
import json
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import pyoxigraph as ox

from policygraph.console import print_table
from policygraph.errors import InvalidParameter, NotFound, PolicyGraphError, StoreError
from policygraph.model import formats
from policygraph.model.namespaces import PREFIXES
from policygraph.store.sparql_text import analyze_query, tokenize

XSD = "http://www.w3.org/2001/XMLSchema#"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_YEAR = r"-?(?:[1-9]\d{3,}|\d{4})"
_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_LEXICAL = {
    "string": re.compile(r".*", re.DOTALL),
    "integer": re.compile(r"[+-]?\d+"),
    "nonNegativeInteger": re.compile(r"\+?\d+|-0+"),
    "positiveInteger": re.compile(r"\+?0*[1-9]\d*"),
    "decimal": re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"),
    "double": re.compile(r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|INF)|NaN"),
    "boolean": re.compile(r"true|false|1|0"),
    "date": re.compile(_YEAR + r"-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])" + _TZ),
    "dateTime": re.compile(_YEAR + r"-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?"
                           + _TZ + r"|" + _YEAR + r"-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T24:00:00(?:\.0+)?" + _TZ),
    "gYear": re.compile(_YEAR + _TZ),
    "gYearMonth": re.compile(_YEAR + r"-(0[1-9]|1[0-2])" + _TZ),
    "anyURI": re.compile(r"[^\s<>\"{}|\\^`]*"),
}


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # "iri", "literal", "literal@fr", "xsd:integer"…
    default: str | None = None
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is None

    def to_dict(self) -> dict:
        return {"name": self.name, "type": self.type, "required": self.required, "default": self.default,
                "description": self.description}

    def bind(self, value: str):
        """The RDF term for a value of this parameter, or InvalidParameter."""
        try:
            return _term(self.type, value)
        except ValueError as exc:
            raise InvalidParameter(f"parameter {self.name!r} ({self.type}): {exc}", parameter=self.name) from None


def _term(kind: str, value: str):
    if kind == "iri":
        prefix, sep, local = value.partition(":")
        if sep and prefix in PREFIXES and not local.startswith("//"):
            value = str(PREFIXES[prefix]) + local
        try:
            return ox.NamedNode(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not an absolute IRI ({exc})") from None
    if kind == "literal":
        return ox.Literal(value)
    if kind.startswith("literal@"):
        return ox.Literal(value, language=kind[len("literal@"):])
    datatype = kind[len("xsd:"):]
    pattern = _LEXICAL.get(datatype)
    if pattern is None or not pattern.fullmatch(value):
        raise ValueError(f"{value!r} is not a valid xsd:{datatype}")
    if datatype in ("date", "dateTime"):
        year, month, day = (int(x) for x in re.match(r"(-?\d+)-(\d\d)-(\d\d)", value).groups())
        # The Gregorian calendar repeats every 400 years: check the day in a year of the same kind.
        if day > calendar.monthrange(2000 + year % 400, month)[1]:
            raise ValueError(f"{value!r} is not a valid xsd:{datatype} (no such day)")
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def _check_type(kind: str) -> None:
    if kind in ("iri", "literal"):
        return
    if kind.startswith("literal@") and re.fullmatch(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*", kind[8:]):
        return
    if kind.startswith("xsd:") and kind[4:] in _LEXICAL:
        return
    raise ValueError(f"unknown parameter type {kind!r} (iri, literal, literal@LANG, or xsd:{'|'.join(_LEXICAL)})")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    form: str | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description, "form": self.form,
                "parameters": [p.to_dict() for p in self.parameters]}

    def bindings(self, values: Mapping[str, str]) -> dict[str, object]:
        """Typed RDF terms for the given values (defaults filled in); unknown names are refused."""
        known = {p.name for p in self.parameters}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InvalidParameter(f"unknown parameter(s) {', '.join(unknown)} for query {self.name!r}; "
                                   f"parameters: {', '.join(sorted(known)) or 'none'}")
        bound = {}
        for p in self.parameters:
            value = values.get(p.name, p.default)
            if value is None:
                raise InvalidParameter(f"parameter {p.name!r} ({p.type}) is required by query {self.name!r}",
                                       parameter=p.name)
            bound[p.name] = p.bind(value)
        return bound


def parse_named_query(name: str, text: str) -> NamedQuery:
    title, description, params = name, [], []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        if not stripped.startswith("#+"):
            continue
        key, sep, value = stripped[2:].partition(":")
        key, value = key.strip(), value.strip()
        if not sep:
            raise ValueError(f"{name}.rq line {number}: expected '#+ key: value'")
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        elif key == "param":
            spec, _, doc = value.partition("--")
            parts = shlex.split(spec)
            if len(parts) not in (2, 3) or not _NAME.fullmatch(parts[0]):
                raise ValueError(f"{name}.rq line {number}: expected '#+ param: NAME TYPE [DEFAULT] [-- DESCRIPTION]'")
            _check_type(parts[1])
            param = Parameter(parts[0], parts[1], parts[2] if len(parts) == 3 else None, doc.strip())
            if param.default is not None:
                try:
                    param.bind(param.default)
                except InvalidParameter as exc:
                    raise ValueError(f"{name}.rq line {number}: default of {exc.detail}") from None
            params.append(param)
        else:
            raise ValueError(f"{name}.rq line {number}: unknown header key {key!r} (title, description, param)")
    variables = {t.text[1:] for t in tokenize(text) if t.kind == "var"}
    for p in params:
        if p.name not in variables:
            raise ValueError(f"{name}.rq: parameter {p.name!r} is not a variable of the query")
    return NamedQuery(name, title, " ".join(description), tuple(params), text, analyze_query(text).form)


def default_queries_dir() -> Path:
    from policygraph.model.dataset import project_root

    return project_root() / "queries"


@dataclass
class QueryCatalog:
    folder: Path
    queries: dict[str, NamedQuery] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path | None = None) -> "QueryCatalog":
        folder = folder or default_queries_dir()
        catalog = cls(folder)
        for path in sorted(folder.glob("*.rq")) if folder.exists() else ():
            catalog.queries[path.stem] = parse_named_query(path.stem, path.read_text(encoding="utf-8"))
        return catalog

    def get(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise NotFound(f"no named query {name!r}; see /queries") from None

    def __iter__(self):
        return iter(self.queries.values())


# -- command line ------------------------------------------------------------------------------

def _open_for_cli(store_path: Path | None):
    from policygraph.settings import Settings
    from policygraph.store import open_store
    from policygraph.store.embedded import POINTER

    settings = Settings.from_env(store_path=store_path)
    if not settings.remote and not (Path(settings.store_path) / POINTER).exists():
        # Opening would create an empty store and answer every query with nothing.
        raise StoreError(f"no store at {settings.store_path}: run `policygraph load` first "
                         "(or `policygraph serve`, which loads the shipped data on its first start)")
    return open_store(settings)


def _resolve_cli_query(query: str, params: list[str]) -> tuple[str, dict]:
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep:
            raise InvalidParameter(f"--param {item!r}: expected NAME=VALUE")
        values[name.strip()] = value
    path = Path(query)
    catalog = QueryCatalog.load()
    if query in catalog.queries:
        named = catalog.get(query)
    elif path.suffix == ".rq" and path.exists():
        named = parse_named_query(path.stem, path.read_text(encoding="utf-8"))
    else:
        if values:
            raise InvalidParameter("--param needs a named query or a .rq file with #+ param: headers")
        return query, {}
    return named.text, named.bindings(values)


def query_command(query: str, params: list[str], fmt: str = "table", store_path: Path | None = None) -> int:
    """``policygraph query``: run a named query, a .rq file or SPARQL text; print table, CSV or JSON."""
    from policygraph.store.base import QueryRequest
    from policygraph.store.remote_http import check_syntax

    try:
        text, bindings = _resolve_cli_query(query, params)
        check_syntax(text, None)  # a syntax error is told even where there is no store yet
        wanted = {"table": formats.RESULTS_JSON, "csv": formats.RESULTS_CSV, "json": formats.RESULTS_JSON}[fmt]
        graph_fmt = {"table": formats.TURTLE, "csv": formats.N_TRIPLES, "json": formats.JSON_LD}[fmt]
        store = _open_for_cli(store_path)
        try:
            result = store.query(QueryRequest(text, wanted, graph_fmt, substitutions=bindings))
        finally:
            store.close()
    except PolicyGraphError as exc:
        where = f" (line {exc.line}, column {exc.column})" if exc.line else ""
        print(f"error: {exc.detail}{where}", file=sys.stderr)
        return 2
    if fmt == "table" and result.kind == "results":
        _print_table(json.loads(result.body))
    else:
        sys.stdout.write(result.body.decode("utf-8"))
        if not result.body.endswith(b"\n"):
            sys.stdout.write("\n")
    return 0


def _cell(term: dict | None) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        value = term["value"]
        for prefix, ns in PREFIXES.items():
            if value.startswith(str(ns)):
                return f"{prefix}:{value[len(str(ns)):]}"
        return f"<{value}>"
    if term["type"] == "bnode":
        return "_:" + term["value"]
    return term["value"] + (f"@{term['xml:lang']}" if "xml:lang" in term else "")


def _print_table(data: dict) -> None:
    if "boolean" in data:
        print("true" if data["boolean"] else "false")
        return
    variables = data["head"]["vars"]
    rows = [[_cell(b.get(v)) for v in variables] for b in data["results"]["bindings"]]
    print_table(variables, rows, caption=f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


STATS_CLASSES = ("SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE { ?s a ?class } "
                 "GROUP BY ?class ORDER BY DESC(?instances) ?class")


def stats_command(store_path: Path | None = None) -> int:
    """``policygraph stats``: triples per named graph, then instances per class."""
    try:
        store = _open_for_cli(store_path)
        try:
            counts = store.graph_counts()
            classes = store.select_json(STATS_CLASSES, union=True)
        finally:
            store.close()
    except PolicyGraphError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 2
    _print_table({"head": {"vars": ["graph", "triples"]}, "results": {"bindings": [
        {"graph": {"type": "uri", "value": g} if g else {"type": "literal", "value": "(default graph)"},
         "triples": {"type": "literal", "value": str(n)}}
        for g, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] or ""))]}})
    print()
    _print_table({"head": {"vars": ["class", "instances"]}, "results": {"bindings": [
        {"class": {"type": "uri", "value": r["class"].value}, "instances": {"type": "literal", "value": r["instances"].value}}
        for r in classes]}})
    return 0

