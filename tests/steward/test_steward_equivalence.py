"""Incremental validation gives the same answer as full validation, on random change sets.

The graph: a generated one (benchmarks/generate.py on the test geography) with the ontology,
first broken a little at random so that it has results to resolve.  Each round draws a change set —
removals, links between existing nodes, retyped nodes, deleted and cloned resources, ill-typed
literals, triples moved between graphs — and checks that

    incremental report   == R(after) − R(before)     (what the change breaks)
    incremental resolved == R(before) − R(after)     (what it fixes)

with R a full pySHACL validation of the whole union.  Rounds alternate between the pyoxigraph
store and a SPARQL-only view of it (the path an external triplestore takes).
``POLICYGRAPH_EQUIVALENCE_ROUNDS`` runs more rounds (default 12); a failure names its round's seed.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from mutations import Mutator
from rdflib import Graph

from policygraph.model.dataset import data_files
from policygraph.model.terms import quad_from_rdflib
from policygraph.store.base import OxigraphView
from policygraph.validation.incremental import ShapesNotEvaluable, compare, keys, union_graph, validate_change
from policygraph.validation.validator import shipped_validator

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate  # noqa: E402

GEOGRAPHY = ROOT / "tests" / "benchmarks" / "fixtures" / "geography.ttl"
ROUNDS = int(os.environ.get("POLICYGRAPH_EQUIVALENCE_ROUNDS", "12"))
SEED = 4


class SparqlOnly:
    """A view with ``query`` only: validation walks it with SPARQL, as it does an external triplestore."""

    def __init__(self, store: ox.Store):
        self._view = OxigraphView(store)

    def query(self, sparql: str):
        return self._view.query(sparql)


def apply(store: ox.Store, change) -> None:
    for q in change.removed:
        store.remove(quad_from_rdflib(q))
    for q in change.added:
        store.add(quad_from_rdflib(q))


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated") / "graph.nq"
    generate(2500, SEED, out, GEOGRAPHY)
    store = ox.Store()
    store.bulk_load(path=str(out), format=ox.RdfFormat.N_QUADS)
    for f in data_files():
        if f.path.parent.name == "ontology":
            store.bulk_load(path=str(f.path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(f.graph)))
    apply(store, Mutator(store, random.Random(SEED)).change_set(6))  # results to resolve
    report = shipped_validator().validate(union_graph(store))
    assert report.results, "the broken base should have results"
    return store, report


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_incremental_equals_full(base, round_):
    store, before = base
    seed = SEED * 1000 + round_
    change = Mutator(store, random.Random(seed)).change_set()
    view = store if round_ % 2 == 0 else SparqlOnly(store)
    after_store = ox.Store()
    after_store.extend(store.quads_for_pattern(None, None, None, None))
    apply(after_store, change)
    try:
        full_after = shipped_validator().validate(union_graph(after_store))
    except Exception:  # noqa: BLE001 — rdflib's own failure on ill-typed data (see incremental._run)
        # Full validation cannot judge this data either: the change must be refused, not let through.
        with pytest.raises(ShapesNotEvaluable):
            validate_change(view, change.added, change.removed)
        return
    incremental = validate_change(view, change.added, change.removed)
    new, resolved = compare(before, full_after, Graph())
    detail = f"seed {seed}, steps {change.steps}"
    assert set(keys(incremental.report)) == set(keys(new)), detail
    assert {r.sort_key() for r in incremental.resolved} == {r.sort_key() for r in resolved}, detail
    assert incremental.conforms == (not any(r.severity == "Violation" for r in new.results)), detail
