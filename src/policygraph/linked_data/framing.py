"""JSON-LD documents built directly from triples, compacted with the shipped context.

Two shapes:

- ``frame(description)`` — one resource as a natural JSON document: the resource at the top, its
  parts nested where they belong (a contract's axes, each axis with its measures, each with the
  commitments to it), everything else it links to embedded as a small node with its ``id`` and
  labels, and the links *to* it nested under reverse terms (``coveredBy``, ``actorOf``…) or, for
  properties without one, under ``@reverse``.  Every triple of the description appears at least
  once, so expanding the document (JSON-LD 1.1 Processing Algorithms §5, §8) yields exactly the
  description's triples — a test checks it with pyld for every class;
- ``flat(triples)`` — any set of triples (the ontology, a named graph, a dump) as a ``@graph`` of
  node objects, one per subject.

Framing is done here rather than with the JSON-LD Framing algorithm (pyld): it runs on every
request, and measured on the shipped graph (``python -m benchmarks.handwritten``) pyld's ``frame``
takes 65 ms for the ERBM contract (1,102 triples) and 9.5 ms for commune 59481, this module 6.0 and
0.6 ms (×8 to ×16); and the nesting follows the composition of the data, which one frame cannot
express for every class at once.

Values (JSON-LD 1.1 §4.2.2, §4.3.1 value objects): a literal whose datatype is the term's is a bare
string (``"startYear": "2021"``), an ``xsd:integer`` a JSON number, a language-tagged text an entry
of a language map; anything that does not fit the term is written as a value object
``{"@value", "@type"|"@language"}`` (or, in a language map's place, under the compact IRI of the
property), so that no value is ever re-typed by the context.
"""

from __future__ import annotations

import heapq
import json
import re
from typing import Iterable

import pyoxigraph as ox

from policygraph.linked_data.describe import Description, natural_key
from policygraph.model.jsonld_context import Context, TermDef

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
PG = "https://w3id.org/policygraph/def#"
_CANONICAL_INTEGER = re.compile(r"-?(?:0|[1-9]\d{0,15})")

# Preferences when a part can be nested in more than one place (lower is preferred): a measure of
# an axis goes under the axis (pg:inAxis), however deep, rather than directly under the contract
# (pg:inContract); a sub-axis under its parent axis rather than under the contract (pg:axisOf).
_REVERSE_COST = {PG + "inContract": 5.0, PG + "axisOf": 5.0, PG + "inObjective": 4.0, PG + "figureOf": 1.2}
_LABELS = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel",
           "http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#notation",
           PG + "number")
_LABEL_RANK = {iri: i for i, iri in enumerate(_LABELS)}


def node_id(term) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value


class _Node:
    """A node object under construction: keys kept in context order, values in lists."""

    __slots__ = ("data", "reverse", "ctx")

    def __init__(self, ctx: Context, term):
        self.ctx = ctx
        self.data: dict[str, list] = {}
        self.reverse: dict[str, list] = {}
        self.data["id"] = [node_id(term)]

    def add(self, key: str, value) -> None:
        self.data.setdefault(key, []).append(value)

    def add_lang(self, key: str, language: str, text: str) -> None:
        values = self.data.setdefault(key, [{}])
        values[0].setdefault(language, []).append(text)

    def build(self, many: dict[str, bool]) -> dict:
        result: dict = {}
        for key, values in self.data.items():
            if key == "id":
                result["id"] = values[0]
            elif key == "type":
                result["type"] = sorted(set(values))
            elif values and isinstance(values[0], dict) and many.get(key) == "lang":
                result[key] = {lang: texts[0] if len(texts) == 1 else sorted(texts)
                               for lang, texts in sorted(values[0].items())}
            elif len(values) == 1 and not many.get(key):
                result[key] = values[0]
            else:
                result[key] = values
        for key, values in self.reverse.items():
            if key.startswith("@reverse:"):
                result.setdefault("@reverse", {})[key[len("@reverse:"):]] = values
            else:
                result[key] = values
        if "@reverse" in result:  # keep it last
            result["@reverse"] = result.pop("@reverse")
        return result


class Writer:
    """Compacts terms and literals with one context."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.many: dict[str, object] = {t.name: ("lang" if t.kind == "lang" else t.many) for t in ctx.terms.values()}

    def term(self, predicate: str) -> TermDef | None:
        return self.ctx.terms.get(predicate)

    def key_rank(self, predicate: str) -> tuple:
        if predicate == RDF_TYPE:
            return (0, 0, "")
        if predicate in _LABEL_RANK:
            return (1, _LABEL_RANK[predicate], "")
        term = self.ctx.terms.get(predicate)
        return (2, term.rank, "") if term else (3, 0, predicate)

    def literal(self, lit: ox.Literal, term: TermDef | None):
        """The JSON for a literal under ``term`` (None: a compact-IRI key, nothing coerced)."""
        value, language, datatype = lit.value, lit.language, lit.datatype.value
        if language:
            return {"@value": value, "@language": language}
        if term is not None and term.kind == "datatype":
            if datatype == term.datatype:
                if datatype == XSD + "integer" and _CANONICAL_INTEGER.fullmatch(value):
                    return int(value)
                return value
            if datatype == XSD_STRING:
                return {"@value": value}
            return {"@value": value, "@type": self.ctx.curie(datatype)}
        if term is not None and term.kind == "id":
            if datatype == XSD_STRING:
                return {"@value": value}
            return {"@value": value, "@type": self.ctx.curie(datatype)}
        # a plain term, or a compact-IRI key: nothing is coerced
        if datatype == XSD_STRING:
            return value
        if datatype == XSD + "integer" and _CANONICAL_INTEGER.fullmatch(value):
            return int(value)
        if datatype == XSD + "boolean" and value in ("true", "false"):
            return value == "true"
        return {"@value": value, "@type": self.ctx.curie(datatype)}

    def add_value(self, node: _Node, predicate: str, obj, embedded) -> None:
        """Add one (predicate, object) to a node; ``embedded`` is the JSON of an IRI/blank object."""
        term = self.term(predicate)
        if isinstance(obj, ox.Literal):
            if term is not None and term.kind == "lang":
                if obj.language:
                    node.add_lang(term.name, obj.language, obj.value)
                    return
                if obj.datatype.value == XSD_STRING:
                    node.add_lang(term.name, "@none", obj.value)
                    return
                term = None  # a typed value has no place in a language map
            key = term.name if term is not None else self.ctx.curie(predicate)
            node.add(key, self.literal(obj, term))
            return
        if predicate == RDF_TYPE and isinstance(obj, ox.NamedNode):
            node.add("type", self.ctx.type_name(obj.value))
            return
        key = term.name if term is not None and term.kind != "lang" else self.ctx.curie(predicate)
        node.add(key, embedded)

    def reverse_key(self, predicate: str) -> str:
        name = self.ctx.reverse.get(predicate)
        if name:
            return name
        term = self.ctx.terms.get(predicate)
        return "@reverse:" + (term.name if term is not None else self.ctx.curie(predicate))


def _sort_key(description: Description, term) -> tuple:
    order = [o.value for o in description.values(term, PG + "order") if isinstance(o, ox.Literal)]
    number = [o.value for o in description.values(term, PG + "number") if isinstance(o, ox.Literal)]
    try:
        order_value = int(order[0]) if order else 1 << 30
    except ValueError:
        order_value = 1 << 30
    return (order_value, natural_key(number[0]) if number else (), natural_key(node_id(term)))


class _Framer:
    def __init__(self, description: Description, writer: Writer | None):
        self.d = description
        self.w = writer
        self.parts = description.parts
        self.parent: dict = {}
        self.children: dict = {}
        self._place()

    def _place(self) -> None:
        """Where each part is nested: cheapest path from the resource (Dijkstra, deterministic)."""
        root = self.d.node
        best = {root: 0.0}
        heap = [(0.0, (), root)]
        done = set()
        counter = 0
        while heap:
            cost, _, node = heapq.heappop(heap)
            if node in done:
                continue
            done.add(node)
            edges = []
            for p, o in self.d.out.get(node, ()):
                if o in self.parts and o != root and p.value != RDF_TYPE:
                    edges.append((o, p.value, "out", 1.0))
            for s, p in self.d.inc.get(node, ()):
                if s in self.parts and s != root:
                    edges.append((s, p.value, "in", _REVERSE_COST.get(p.value, 1.0)))
            for target, predicate, direction, weight in edges:
                if target in done:
                    continue
                new = cost + weight
                if new < best.get(target, float("inf")):
                    best[target] = new
                    self.parent[target] = (node, predicate, direction)
                    counter += 1
                    heapq.heappush(heap, (new, (natural_key(node_id(target)), counter), target))
        grouped: dict = {}
        for child, (parent, predicate, direction) in self.parent.items():
            grouped.setdefault((parent, predicate, direction), []).append(child)
        for (parent, predicate, direction), kids in sorted(grouped.items(), key=lambda kv: (kv[0][1], kv[0][2])):
            kids.sort(key=lambda t: _sort_key(self.d, t))
            self.children.setdefault(parent, []).append((predicate, direction, kids))

    def core(self, term, skip=None) -> dict:
        node = _Node(self.w.ctx, term)
        for p, o in sorted(self.d.out.get(term, ()), key=lambda po: self.w.key_rank(po[0].value)):
            if skip is not None and (p, o) == skip:
                continue
            embedded = None
            if not isinstance(o, ox.Literal) and p.value != RDF_TYPE:
                if o in self.parts and self.parent.get(o) == (term, p.value, "out"):
                    continue  # nested below, in child order
                embedded = self.reference(o, {term})
            self.w.add_value(node, p.value, o, embedded)
        for predicate, direction, kids in self.children.get(term, ()):
            if direction == "out":
                key = self.w.term(predicate)
                name = key.name if key is not None else self.w.ctx.curie(predicate)
                for kid in kids:
                    node.add(name, self.core(kid))
            else:
                name = self.w.reverse_key(predicate)
                for kid in kids:
                    node.reverse.setdefault(name, []).append(self.core(kid, skip=(ox.NamedNode(predicate), term)))
        incoming = [(s, p) for s, p in self.d.inc.get(term, ()) if s not in self.parts]
        incoming.sort(key=lambda sp: (sp[1].value, _sort_key(self.d, sp[0])))
        for s, p in incoming:
            name = self.w.reverse_key(p.value)
            node.reverse.setdefault(name, []).append(self.inline(s, {term}, skip=(p, term)))
        return node.build(self.w.many)

    def reference(self, term, path: set) -> dict:
        if term in self.parts:
            return {"id": node_id(term)}
        return self.inline(term, path)

    def inline(self, term, path: set, skip=None) -> dict:
        """A resource outside the parts: every triple the description has about it, each time it appears."""
        node = _Node(self.w.ctx, term)
        inner = path | {term}
        for p, o in sorted(self.d.out.get(term, ()), key=lambda po: self.w.key_rank(po[0].value)):
            if skip is not None and (p, o) == skip:
                continue
            embedded = None
            if not isinstance(o, ox.Literal) and p.value != RDF_TYPE:
                embedded = {"id": node_id(o)} if (o in inner or o in self.parts) else self.inline(o, inner)
            self.w.add_value(node, p.value, o, embedded)
        return node.build(self.w.many)

    def document(self) -> dict:
        root = self.core(self.d.node)
        missing = [p for p in self.parts if p != self.d.node and p not in self.parent]
        if missing:  # not reachable through the data (cannot happen by construction): keep them
            root["@included"] = [self.core(p) for p in sorted(missing, key=lambda t: t.value)]
        return root


def nesting(description: Description) -> dict:
    """Where each part goes: {parent: [(predicate IRI, "out"|"in", [children in order])]}."""
    return _Framer(description, None).children


def frame(description: Description, ctx: Context) -> dict:
    """The framed JSON-LD node of a description (without ``@context``)."""
    return _Framer(description, Writer(ctx)).document()


def flat(triples: Iterable, ctx: Context) -> list[dict]:
    """Node objects, one per subject, in subject order (IRIs, then blank nodes)."""
    writer = Writer(ctx)
    by_subject: dict = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append((t.predicate, t.object))
    nodes = []
    for subject in sorted(by_subject, key=lambda s: (isinstance(s, ox.BlankNode), natural_key(s.value))):
        node = _Node(ctx, subject)
        for p, o in sorted(by_subject[subject], key=lambda po: writer.key_rank(po[0].value)):
            embedded = None if isinstance(o, ox.Literal) else {"id": node_id(o)}
            writer.add_value(node, p.value, o, embedded)
        nodes.append(node.build(writer.many))
    return nodes


def dumps(node: dict, ctx: Context) -> bytes:
    """Serialize with the context inline (spliced in: the context's JSON is serialized once)."""
    body = json.dumps(node, ensure_ascii=False, separators=(",", ":"))
    if body == "{}":
        return ('{"@context":' + ctx.json + "}").encode()
    return ('{"@context":' + ctx.json + "," + body[1:]).encode()


def graph_document(triples: Iterable, ctx: Context, **extra) -> bytes:
    """A flat ``{"@context", "@graph"}`` document."""
    node = dict(extra)
    node["@graph"] = flat(triples, ctx)
    return dumps(node, ctx)
