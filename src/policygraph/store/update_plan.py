"""What a SPARQL Update would add and remove, computed before anything is written.

The write guard (``policygraph.store.write_guard``) must see the exact change, and the steward workflow
records it, so an update is first *planned*: each operation is evaluated in order against a state
that already reflects the operations before it — SPARQL 1.1 Update §3 requires this sequential
reading — and its instantiated templates become quads:

- ``INSERT DATA``/``DELETE DATA`` (§3.1.1–2): the quad data, read by the engine
  (``CONSTRUCT { data } WHERE {}``), so prefixes, literals and blank nodes mean what they mean;
- ``DELETE/INSERT … WHERE`` and ``DELETE WHERE`` (§3.1.3): ``CONSTRUCT { template } WHERE { … }``
  over the operation's dataset (WITH, USING, USING NAMED, or the protocol's ``using-graph-uri``/
  ``using-named-graph-uri``, SPARQL 1.1 Protocol §2.2.3); templates with ``GRAPH ?g`` are
  instantiated once per value of ``?g`` (bound with ``substitutions``);
- ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``, ``MOVE``, ``COPY`` (§3.2): from the graphs' contents;
- ``LOAD`` is refused: it makes the server fetch a document (use the Graph Store Protocol).

Only effective changes count (a deletion of an absent quad, an insertion of a present one, are
no-ops), and the result is the *net* change: a quad added then removed by the same request is in
neither set.

The state is a scratch copy of the embedded store (a checkpoint opened read-write, thrown away
after planning) or, for an external triplestore, the triplestore itself — mirrored into memory
only when an operation reads data an earlier operation of the same request changed.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import Iterable

import pyoxigraph as ox

from policygraph.errors import BadRequest, Forbidden, QuerySyntaxError, syntax_error
from policygraph.model.terms import nquads
from policygraph.store.plan_state import ScratchState, graph_name, too_large
from policygraph.store.remote_state import RemoteState
from policygraph.store.sparql_text import Block, Operation, graph_blocks, split_update


@dataclass
class Delta:
    added: set = field(default_factory=set)
    removed: set = field(default_factory=set)
    operations: int = 0

    def record(self, removed: Iterable[ox.Quad], added: Iterable[ox.Quad]) -> None:
        for q in removed:
            if q in self.added:
                self.added.discard(q)
            else:
                self.removed.add(q)
        for q in added:
            if q in self.removed:
                self.removed.discard(q)
            else:
                self.added.add(q)

    @property
    def size(self) -> int:
        return len(self.added) + len(self.removed)


def check_dataset_conflict(script, using, using_named) -> None:
    """SPARQL 1.1 Protocol §2.2.3: protocol USING parameters and USING/WITH in the request conflict."""
    if using is None and using_named is None:
        return
    for op in script.operations:
        if op.kind == "MODIFY" and (op.using or op.using_named or op.with_iri):
            raise BadRequest("the request gives using-graph-uri/using-named-graph-uri and its update also "
                             "has USING or WITH (SPARQL 1.1 Protocol §2.2.3); give the dataset once")


def plan(state, script, *, using=None, using_named=None, max_change: int) -> Delta:
    check_dataset_conflict(script, using, using_named)
    delta = Delta()
    text = script.text
    for op in script.operations:
        if op.kind == "LOAD":
            raise Forbidden("LOAD is disabled: it would make the server fetch a document. Upload the data "
                            "with the Graph Store Protocol (PUT or POST /data) instead.")
        if op.kind in ("INSERT_DATA", "DELETE_DATA", "DELETE_WHERE", "MODIFY"):
            removed, added = _modify(state, op, text, using, using_named)
            removed = state.present(removed)
            added = set(added) - (state.present(added) - removed)
            state.apply(removed, added)
        else:
            removed, added = _graph_management(state, op, max_change)
            state.manage(op.prologue + "\n" + text[op.start:op.end], removed, added)
        delta.record(removed, added)
        delta.operations += 1
        if delta.size > max_change:
            raise too_large(max_change)
    return delta


def _modify(state, op: Operation, text: str, using, using_named) -> tuple[set, set]:
    if op.kind in ("INSERT_DATA", "DELETE_DATA"):
        where, dg, ng = "{}", None, None
    else:
        where = op.where.outer(text)
        dg = ng = None
        if op.kind == "MODIFY":
            if using is not None or using_named is not None:
                dg, ng = list(using or []), list(using_named or [])
            elif op.using or op.using_named:
                dg, ng = list(op.using), list(op.using_named)
            elif op.with_iri:
                dg = [op.with_iri]
    target = ox.NamedNode(op.with_iri) if op.with_iri else ox.DefaultGraph()
    removed = _instantiate(state, op, text, op.delete, where, dg, ng, target) if op.delete else set()
    added = _instantiate(state, op, text, op.insert, where, dg, ng, target) if op.insert else set()
    return removed, added


def _instantiate(state, op: Operation, text: str, template: Block, where: str, dg, ng, target) -> set:
    default_part, blocks = graph_blocks(text, template)
    quads: set = set()
    if default_part:
        query = f"{op.prologue}\nCONSTRUCT {{ {default_part} }} WHERE {where}"
        quads |= {ox.Quad(t.subject, t.predicate, t.object, target) for t in state.construct(query, dg, ng)}
    for graph_token, block in blocks:
        inner = block.inner(text)
        query = f"{op.prologue}\nCONSTRUCT {{ {inner} }} WHERE {where}"
        if graph_token.kind == "var":
            var = graph_token.text[1:]
            names = state.values(f"{op.prologue}\nSELECT DISTINCT ?{var} WHERE {where}", var, dg, ng)
            for name in names:
                if isinstance(name, ox.NamedNode):
                    triples = state.construct(query, dg, ng, {ox.Variable(var): name})
                    quads |= {ox.Quad(t.subject, t.predicate, t.object, name) for t in triples}
        else:
            iri = op.prologue_state.resolve(graph_token)
            if iri is None:
                raise QuerySyntaxError(f"cannot resolve graph name {graph_token.text}")
            graph = ox.NamedNode(iri)
            quads |= {ox.Quad(t.subject, t.predicate, t.object, graph) for t in state.construct(query, dg, ng)}
    return quads


def _regraph(quads, graph) -> set:
    return {ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads}


def _graph_management(state, op: Operation, limit: int) -> tuple[set, set]:
    if op.kind in ("CLEAR", "DROP"):
        return set(state.quads_in(op.target, limit)), set()
    if op.kind == "CREATE":
        return set(), set()
    source, target = op.source_ref, op.target
    if graph_name(source) == graph_name(target):
        return set(), set()
    incoming = _regraph(state.quads_in(source, limit), graph_name(target))
    if op.kind == "ADD":
        return set(), incoming - state.present(incoming)
    existing = set(state.quads_in(target, limit))
    removed = existing - incoming
    added = incoming - existing
    if op.kind == "MOVE":
        removed |= set(state.quads_in(source, limit))
    return removed, added


# -- worker entry point -----------------------------------------------------------------------

def validate_syntax(update: str, base_iri: str | None) -> None:
    """Let the engine parse the whole request first: its errors carry the right line and column."""
    try:
        ox.Store().update(update, base_iri=base_iri)
    except SyntaxError as exc:
        raise syntax_error(exc) from None
    except (OSError, RuntimeError):
        pass  # evaluation on an empty store may fail (e.g. DROP of a missing graph): not a syntax matter


def plan_in_worker(job: dict, client) -> dict:
    """Plan an update inside a worker process; return the delta as N-Quads."""
    update, base_iri = job["update"], job.get("base_iri")
    validate_syntax(update, base_iri)
    script = split_update(update)
    kwargs = dict(using=job.get("using"), using_named=job.get("using_named"), max_change=job["max_change"])
    if job["scratch"] is not None:
        store = ox.Store(job["scratch"])
        try:
            delta = plan(ScratchState(store, base_iri), script, **kwargs)
            store.flush()
        finally:
            del store
            gc.collect()  # close RocksDB: the main process opens the scratch store next
    else:
        delta = plan(RemoteState(client, job["context"], base_iri, job["max_change"]), script, **kwargs)
    return {"added": nquads(delta.added), "removed": nquads(delta.removed), "operations": delta.operations}
