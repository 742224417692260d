"""The planned change of an update equals what the engine does when it runs the update itself."""

import pyoxigraph as ox
import pytest

from policygraph.errors import BadRequest, ChangeTooLarge, Forbidden
from policygraph.store.plan_state import ScratchState
from policygraph.store.sparql_text import split_update
from policygraph.store.update_plan import plan

E = "http://e/"
BASE = "https://w3id.org/policygraph/"
DATA = f"""
<{E}a> <{E}p> 1 , 2 . <{E}b> <{E}p> 3 . <{E}a> a <{E}Doc> .
GRAPH <{E}g1> {{ <{E}a> <{E}q> "x" . <{E}c> a <{E}Doc> . }}
GRAPH <{E}g2> {{ <{E}b> <{E}q> "y"@fr . <{E}d> a <{E}Doc> . }}
"""


def fresh() -> ox.Store:
    store = ox.Store()
    store.update("INSERT DATA {" + DATA + "}")
    return store


def snapshot(store) -> set[str]:
    return {str(q) for q in store}


def planned(update: str, **kw):
    delta = plan(ScratchState(fresh(), BASE), split_update(update), max_change=10_000, **kw)
    return {str(q) for q in delta.added}, {str(q) for q in delta.removed}


def native(update: str):
    before, store = snapshot(fresh()), fresh()
    store.update(update, base_iri=BASE)
    after = snapshot(store)
    return after - before, before - after


UPDATES = [
    f"INSERT DATA {{ <{E}a> <{E}p> 1, 9 . GRAPH <{E}g3> {{ <{E}x> <{E}y> <{E}z> }} }}",
    f"DELETE DATA {{ <{E}a> <{E}p> 1, 7 . GRAPH <{E}g1> {{ <{E}a> <{E}q> \"x\" }} }}",
    f"DELETE {{ ?s <{E}p> ?o }} INSERT {{ ?s <{E}p> ?n }} WHERE {{ ?s <{E}p> ?o BIND(?o + 10 AS ?n) }}",
    f"WITH <{E}g1> DELETE {{ ?s <{E}q> ?o }} INSERT {{ ?s <{E}r> ?o }} WHERE {{ ?s <{E}q> ?o }}",
    f"INSERT {{ GRAPH <{E}out> {{ ?s a <{E}Copy> }} }} USING <{E}g1> USING NAMED <{E}g2> "
    f"WHERE {{ {{ ?s a <{E}Doc> }} UNION {{ GRAPH ?g {{ ?s a <{E}Doc> }} }} }}",
    f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} INSERT {{ GRAPH ?g {{ ?s <{E}was> ?p }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o FILTER(isLiteral(?o)) }} }}",
    f"DELETE WHERE {{ ?s <{E}p> ?o . GRAPH <{E}g1> {{ ?s <{E}q> ?x }} }}",
    f"CLEAR GRAPH <{E}g1>", f"DROP SILENT GRAPH <{E}nothing>", "CLEAR NAMED", "CLEAR DEFAULT", "DROP ALL",
    f"ADD <{E}g1> TO <{E}g2>", f"COPY DEFAULT TO <{E}g1>", f"MOVE <{E}g2> TO DEFAULT", f"COPY <{E}g1> TO <{E}g1>",
    f"INSERT DATA {{ <{E}n> <{E}p> 5 }} ; DELETE WHERE {{ ?s <{E}p> 5 }} ; INSERT {{ ?s <{E}seen> true }} WHERE {{ ?s <{E}p> ?o }}",
    f"PREFIX e: <{E}> INSERT DATA {{ <id/rel> e:p 1 }} ; DELETE DATA {{ e:a e:p 1 }} ; INSERT DATA {{ e:x e:p 2 }}",
    f"INSERT {{ ?s <{E}p> 2 }} WHERE {{ ?s <{E}p> 1 }} ; DELETE {{ ?s <{E}p> 2 }} INSERT {{ ?s <{E}p> 2 }} WHERE {{ ?s <{E}p> 2 }}",
]


@pytest.mark.parametrize("update", UPDATES)
def test_planned_change_equals_native_effect(update):
    assert planned(update) == native(update)


def test_protocol_using_parameters_equal_using_clauses():
    text = f"INSERT {{ GRAPH <{E}out> {{ ?s a <{E}Copy> }} }} WHERE {{ {{ ?s a <{E}Doc> }} UNION {{ GRAPH ?g {{ ?s a <{E}Doc> }} }} }}"
    with_clauses = text.replace(" WHERE", f" USING <{E}g1> USING NAMED <{E}g2> WHERE")
    assert planned(text, using=[f"{E}g1"], using_named=[f"{E}g2"]) == native(with_clauses)
    added, _ = planned(text, using=[f"{E}g1"], using_named=[f"{E}g2"])
    assert len(added) == 2


def test_blank_nodes_are_fresh_and_counted():
    update = f"INSERT DATA {{ _:x <{E}p> _:y . _:y <{E}q> 1 }} ; INSERT {{ ?s <{E}r> [ <{E}v> ?o ] }} WHERE {{ ?s <{E}q> ?o }}"
    added, removed = planned(update)
    native_added, _ = native(update)
    assert len(added) == len(native_added) == 4 and not removed


def test_refusals():
    with pytest.raises(Forbidden):
        planned(f"LOAD <{E}doc.ttl>")
    with pytest.raises(BadRequest):
        planned(f"WITH <{E}g1> INSERT {{ ?s a <{E}X> }} WHERE {{ ?s a <{E}Doc> }}", using=[f"{E}g2"])
    with pytest.raises(BadRequest):
        planned(f"DROP GRAPH <{E}nothing>")
    with pytest.raises(ChangeTooLarge):
        plan(ScratchState(fresh(), BASE), split_update("CLEAR ALL"), max_change=3)
