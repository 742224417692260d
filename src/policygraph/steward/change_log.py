"""Committing, recording and reverting steward changes.

A committed change is, in one atomic write of the store (``Store.commit_change``):

- its additions, in its own named graph ``…/graph/change/{id}``;
- its removals, taken out of whichever data graphs held them (or of the one graph it names);
- its PROV-O record (https://www.w3.org/TR/prov-o/) in ``…/graph/changes``::

      <id/change/{id}> a prov:Activity ;
          prov:wasAssociatedWith <id/steward/{name}> ;        # who
          prov:startedAtTime …, prov:endedAtTime … ;          # when
          rdfs:comment "…" ;                                 # why
          prov:used <source> ;                               # from which source
          prov:generated <graph/change/{id}> , <…/added/1> … ;
          prov:invalidated <…/removed/1> … ;
          pg:reverts <id/change/{other}> .                   # for a revert
      <id/change/{id}/removed/1> a rdf:Statement ; rdf:subject … ; rdf:predicate … ; rdf:object … ;
          prov:atLocation <the graph it was in> .

  Every added and removed triple is kept as a reified statement with its graph: the history shows
  what a change did even after it is reverted, and a revert knows exactly what to undo.

Ids are time-ordered (ULID: 48 bits of milliseconds, 80 random bits, Crockford base 32), so the
history sorts by id.  Reverting is a change like any other: it removes what the change added and
restores what it removed, is validated, and is refused (409) when the change was already reverted
or when the graph has moved on (a triple it added is gone, a triple it removed is back).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD
from rdflib.term import Node

from policygraph.errors import Conflict, NotFound, ShapeViolation
from policygraph.model.namespaces import CHANGES_GRAPH, ID, PG, SHAPES_GRAPH, change_graph
from policygraph.steward.change_sets import ChangeSet
from policygraph.validation.incremental import ChangeValidation, validate_change

CHANGE = ID["change/"]
STEWARD = ID["steward/"]
REVERTS = PG.reverts
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_NOT_DATA = {str(CHANGES_GRAPH), str(SHAPES_GRAPH)}


# --- ids ----------------------------------------------------------------------------------------

class _Ids:
    """ULIDs, strictly increasing within the process (the random part steps up within one ms)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._last = (0, 0)

    def new(self) -> str:
        with self._lock:
            ms, rand = int(time.time() * 1000), int.from_bytes(os.urandom(10), "big")
            if ms <= self._last[0]:
                ms, rand = self._last[0], self._last[1] + 1
            self._last = (ms, rand)
        value = (ms << 80) | (rand & ((1 << 80) - 1))
        return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


new_id = _Ids().new


def is_id(text: str) -> bool:
    return len(text) == 26 and all(c in _CROCKFORD for c in text)


def change_iri(change_id: str) -> URIRef:
    return URIRef(f"{CHANGE}{change_id}")


def steward_iri(name: str) -> URIRef:
    return URIRef(f"{STEWARD}{quote(name, safe='')}")


# --- the record ----------------------------------------------------------------------------------

@dataclass
class Statement:
    triple: tuple
    graph: Node | None  # None: the default graph


@dataclass
class Record:
    """One change, as its PROV record says."""
    id: str
    steward: str | None = None
    started: str | None = None
    ended: str | None = None
    comment: str = ""
    source: str = ""
    reverts: str | None = None
    reverted_by: str | None = None
    added: list = field(default_factory=list)  # Statement
    removed: list = field(default_factory=list)

    @property
    def iri(self) -> URIRef:
        return change_iri(self.id)

    @property
    def graph(self) -> URIRef:
        return change_graph(self.id)


def _now() -> Literal:
    return Literal(datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                   datatype=XSD.dateTime)


def record_quads(record: Record, *, started: Literal, ended: Literal) -> list[tuple]:
    activity, g = record.iri, CHANGES_GRAPH
    quads = [(activity, RDF.type, PROV.Activity, g),
             (activity, RDFS.label, Literal(f"change {record.id}"), g),
             (activity, PROV.startedAtTime, started, g), (activity, PROV.endedAtTime, ended, g),
             (activity, RDFS.comment, Literal(record.comment), g),
             (activity, PROV.generated, record.graph, g), (record.graph, RDF.type, PROV.Entity, g)]
    if record.steward is not None:
        agent = steward_iri(record.steward)
        quads += [(activity, PROV.wasAssociatedWith, agent, g), (agent, RDF.type, PROV.Agent, g),
                  (agent, RDFS.label, Literal(record.steward), g)]
    quads += _source_quads(activity, record.source, record.id)
    if record.reverts:
        quads.append((activity, REVERTS, change_iri(record.reverts), g))
    for kind, relation, statements in (("added", PROV.generated, record.added),
                                       ("removed", PROV.invalidated, record.removed)):
        for number, st in enumerate(statements, start=1):
            node = URIRef(f"{activity}/{kind}/{number}")
            s, p, o = st.triple
            quads += [(activity, relation, node, g), (node, RDF.type, RDF.Statement, g),
                      (node, RDF.subject, s, g), (node, RDF.predicate, p, g), (node, RDF.object, o, g)]
            if st.graph is not None:
                quads.append((node, PROV.atLocation, st.graph, g))
    return quads


def _source_quads(activity: URIRef, source: str, change_id: str) -> list[tuple]:
    g = CHANGES_GRAPH
    if _is_iri(source):
        return [(activity, PROV.used, URIRef(source), g)]
    node = URIRef(f"{activity}/source")
    return [(activity, PROV.used, node, g), (node, RDF.type, PROV.Entity, g), (node, RDFS.label, Literal(source), g)]


def _is_iri(text: str) -> bool:
    import pyoxigraph as ox

    if ":" not in text or any(c.isspace() for c in text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


# --- committing --------------------------------------------------------------------------------

class ChangeRefused(ShapeViolation):
    """422 with the validation report: the change would add violations; nothing was written."""

    def __init__(self, validation: ChangeValidation, lang: str = "fr"):
        first = validation.report.to_text(lang).splitlines()[0]
        super().__init__(f"the change was not written: {first}", report=validation.summary(lang))
        self.validation = validation

    def __reduce__(self):  # not sent across processes; keep the default shape if it ever is
        return (ShapeViolation, (self.detail,))


@dataclass
class Outcome:
    record: Record
    validation: ChangeValidation


def graphs_holding(view, triple: tuple, only: str | None) -> list:
    s, p, o = triple
    graphs = []
    for _s, _p, _o, g in view.quads(s, p, o):
        if g is not None and str(g) in _NOT_DATA:
            continue
        if only is not None and str(g) != only:
            continue
        graphs.append(g)
    return sorted(set(graphs), key=lambda g: "" if g is None else str(g))


def plan_commit(change: ChangeSet, steward: str | None, *, lang: str = "fr"):
    """The ``Store.commit_change`` plan of a change set."""

    def plan(view):
        started = _now()
        record = Record(new_id(), steward, comment=change.comment, source=change.source)
        record.removed = resolve_removals(view, change)
        record.added = [Statement(t, record.graph) for t in change.added]
        return _finish(view, record, started, lang)

    return plan


def _finish(view, record: Record, started: Literal, lang: str):
    added = [(*st.triple, st.graph) for st in record.added]
    removed = [(*st.triple, st.graph) for st in record.removed]
    validation = validate_change(view, added, removed)
    if not validation.conforms:
        raise ChangeRefused(validation, lang)
    return added + record_quads(record, started=started, ended=_now()), removed, Outcome(record, validation)


def resolve_removals(view, change: ChangeSet) -> list[Statement]:
    """The quads a change set's removals take out: each triple from every data graph that holds
    it (or from the one graph the change set names); 409 if some triple is in none."""
    statements, missing = [], []
    for triple in change.removed:
        graphs = graphs_holding(view, triple, change.graph)
        if not graphs:
            missing.append(triple)
        statements += [Statement(triple, g) for g in graphs]
    if missing:
        raise not_there(missing, change.graph)
    return statements


def not_there(triples: list, graph: str | None) -> Conflict:
    shown = [" ".join(t.n3() for t in triple) + " ." for triple in triples[:20]]
    where = f"graph <{graph}>" if graph else "the graph"
    return Conflict(f"{len(triples)} triple(s) to remove are not in {where}; nothing was written. Re-read the "
                    "resource and submit the change again (blank nodes cannot be removed by value: name the "
                    "resource with an IRI)", missing=shown)


def plan_revert(change_id: str, steward: str | None, comment: str = "", *, lang: str = "fr"):
    """The plan of a change that undoes change ``change_id``."""

    def plan(view):
        started = _now()
        old = read_record(view, change_id)
        if old.reverted_by is not None:
            raise Conflict(f"change {change_id} was already reverted by change {old.reverted_by}; "
                           f"revert {old.reverted_by} to apply it again", reverted_by=old.reverted_by)
        gone = [st for st in old.added if not _present(view, st)]
        back = [st for st in old.removed if _present(view, st)]
        if gone or back:
            example = (gone or back)[0]
            what = "added is no longer" if gone else "removed is again"
            raise Conflict(f"the graph has changed since change {change_id}: {len(gone)} triple(s) it added are gone "
                           f"and {len(back)} it removed are back (e.g. a triple it {what} there: "
                           f"{' '.join(t.n3() for t in example.triple)} .); revert the later changes first, or "
                           "submit a new change set", gone=len(gone), back=len(back))
        record = Record(new_id(), steward, comment=comment or f"revert of change {change_id}",
                        source=str(change_graph(change_id)), reverts=change_id)
        record.added = [Statement(st.triple, st.graph) for st in old.removed]
        record.removed = [Statement(st.triple, st.graph) for st in old.added]
        return _finish(view, record, started, lang)

    return plan


def _present(view, st: Statement) -> bool:
    s, p, o = st.triple
    return any(True for _ in view.quads(s, p, o, graph=st.graph))


# --- reading ------------------------------------------------------------------------------------

_PREFIXES = (f"PREFIX prov: <{PROV}>\nPREFIX rdfs: <{RDFS}>\nPREFIX rdf: <{RDF}>\nPREFIX pg: <{PG}>\n")


def read_record(view, change_id: str) -> Record:
    """One change from the change log (404 if there is none with this id)."""
    if not is_id(change_id):
        raise NotFound(f"{change_id!r} is not a change id (26 characters of Crockford base 32)")
    iri = change_iri(change_id)
    rows = view.query(f"""{_PREFIXES}SELECT ?steward ?started ?ended ?comment ?source ?sourceLabel ?reverts ?revertedBy
        WHERE {{ GRAPH <{CHANGES_GRAPH}> {{
            <{iri}> a prov:Activity ; prov:startedAtTime ?started ; prov:endedAtTime ?ended .
            OPTIONAL {{ <{iri}> prov:wasAssociatedWith/rdfs:label ?steward }}
            OPTIONAL {{ <{iri}> rdfs:comment ?comment }}
            OPTIONAL {{ <{iri}> prov:used ?source OPTIONAL {{ ?source rdfs:label ?sourceLabel }} }}
            OPTIONAL {{ <{iri}> pg:reverts ?reverts }}
            OPTIONAL {{ ?revertedBy pg:reverts <{iri}> }}
        }} }}""")
    if not rows:
        raise NotFound(f"no change {change_id} in the change log")
    row = rows[0]
    record = Record(change_id, _text(row.get("steward")), str(row["started"]), str(row["ended"]),
                    _text(row.get("comment")) or "",
                    _text(row.get("sourceLabel")) or _text(row.get("source")) or "",
                    _id_of(row.get("reverts")), _id_of(row.get("revertedBy")))
    for kind, relation in (("added", "prov:generated"), ("removed", "prov:invalidated")):
        statements = view.query(f"""{_PREFIXES}SELECT ?st ?s ?p ?o ?g WHERE {{ GRAPH <{CHANGES_GRAPH}> {{
            <{iri}> {relation} ?st . ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
            OPTIONAL {{ ?st prov:atLocation ?g }} }} }}""")
        ordered = sorted(statements, key=lambda r: int(str(r["st"]).rsplit("/", 1)[-1]))
        setattr(record, kind, [Statement((r["s"], r["p"], r["o"]), r.get("g")) for r in ordered])
    return record


def _text(term) -> str | None:
    return None if term is None else str(term)


def _id_of(term) -> str | None:
    return None if term is None else str(term)[len(str(CHANGE)):]


class QueryView:
    """``ReadView.query`` answered by the store's query workers (their latest checkpoint)."""

    def __init__(self, store):
        self.store = store

    def query(self, sparql: str):
        from policygraph.model.terms import to_rdflib

        return [{k: to_rdflib(v) for k, v in row.items()} for row in self.store.select_json(sparql, union=False)]


@dataclass
class Summary:
    """One line of the history."""
    id: str
    steward: str | None
    started: str
    ended: str
    comment: str
    source: str
    added: int
    removed: int
    reverts: str | None
    reverted_by: str | None

    @property
    def source_is_iri(self) -> bool:
        return _is_iri(self.source)


def count_changes(view) -> int:
    rows = view.query(f"{_PREFIXES}SELECT (COUNT(?c) AS ?n) WHERE {{ GRAPH <{CHANGES_GRAPH}> {{ ?c a prov:Activity }} }}")
    return int(rows[0]["n"]) if rows else 0


def list_changes(view, *, limit: int, offset: int) -> list[Summary]:
    """Newest first (ids are time-ordered)."""
    rows = view.query(f"""{_PREFIXES}SELECT ?c ?started ?ended ?comment ?steward ?source ?sourceLabel ?reverts ?revertedBy
            (COUNT(DISTINCT ?a) AS ?added) (COUNT(DISTINCT ?r) AS ?removed)
        WHERE {{ GRAPH <{CHANGES_GRAPH}> {{
            {{ SELECT ?c WHERE {{ ?c a prov:Activity }} ORDER BY DESC(STR(?c)) LIMIT {int(limit)} OFFSET {int(offset)} }}
            ?c prov:startedAtTime ?started ; prov:endedAtTime ?ended .
            OPTIONAL {{ ?c rdfs:comment ?comment }}
            OPTIONAL {{ ?c prov:wasAssociatedWith/rdfs:label ?steward }}
            OPTIONAL {{ ?c prov:used ?source OPTIONAL {{ ?source rdfs:label ?sourceLabel }} }}
            OPTIONAL {{ ?c pg:reverts ?reverts }}
            OPTIONAL {{ ?revertedBy pg:reverts ?c }}
            OPTIONAL {{ ?c prov:generated ?a . ?a a rdf:Statement }}
            OPTIONAL {{ ?c prov:invalidated ?r }}
        }} }}
        GROUP BY ?c ?started ?ended ?comment ?steward ?source ?sourceLabel ?reverts ?revertedBy
        ORDER BY DESC(STR(?c))""")
    return [Summary(_id_of(r["c"]), _text(r.get("steward")), str(r["started"]), str(r["ended"]),
                    _text(r.get("comment")) or "", _text(r.get("sourceLabel")) or _text(r.get("source")) or "",
                    int(r["added"]), int(r["removed"]), _id_of(r.get("reverts")), _id_of(r.get("revertedBy")))
            for r in rows]
