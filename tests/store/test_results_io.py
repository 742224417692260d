"""Result writers: byte-for-byte what pyoxigraph writes, and the limits."""

import json

import pyoxigraph as ox
import pytest

from policygraph.errors import ResultTooLarge
from policygraph.model import formats
from policygraph.store.results_io import write_boolean, write_graph, write_solutions

QUERY = r'''SELECT ?a ?b ?c WHERE {
  { VALUES (?a ?b ?c) {
      (<http://x/é> "he said \"hi\",\n ok"@fr 12)
      ("2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> 1.5 true)
      ("<&>'" "" "x"@en-gb)
      ("a;b" "x\ty" 2.0e1)
      ("abc"^^<http://www.w3.org/2001/XMLSchema#integer> "tab" -3) } }
  UNION { BIND(BNODE("z") AS ?a) }
}'''


@pytest.fixture(scope="module")
def store():
    return ox.Store()


@pytest.mark.parametrize("fmt", formats.RESULT_FORMATS, ids=lambda f: f.name)
def test_solutions_are_written_as_pyoxigraph_writes_them(store, fmt):
    result = store.query(QUERY)
    variables = [v.value for v in result.variables]
    body, count = write_solutions(variables, (list(s) for s in store.query(QUERY)), fmt,
                                  max_rows=100, max_bytes=10**6)
    assert count == 6
    assert body == store.query(QUERY).serialize(format=fmt.oxigraph)


@pytest.mark.parametrize("fmt", formats.RESULT_FORMATS, ids=lambda f: f.name)
def test_booleans(store, fmt):
    for query in ("ASK {}", "ASK { FILTER(false) }"):
        assert write_boolean(bool(store.query(query)), fmt) == store.query(query).serialize(format=fmt.oxigraph)


def test_row_and_byte_limits(store):
    rows = [[ox.Literal(str(i))] for i in range(11)]
    assert write_solutions(["x"], rows[:10], formats.RESULTS_JSON, max_rows=10, max_bytes=10**6)[1] == 10
    with pytest.raises(ResultTooLarge) as err:
        write_solutions(["x"], rows, formats.RESULTS_JSON, max_rows=10, max_bytes=10**6)
    assert err.value.extra["unit"] == "rows"
    with pytest.raises(ResultTooLarge) as err:
        write_solutions(["x"], rows, formats.RESULTS_CSV, max_rows=100, max_bytes=20)
    assert err.value.extra["unit"] == "bytes"


def test_graphs_with_prefixes_and_limits(store):
    triples = list(store.query('CONSTRUCT { <https://w3id.org/policygraph/id/a> <https://w3id.org/policygraph/def#p> "x", "y" } WHERE {}'))
    body, count = write_graph(triples, formats.TURTLE, max_triples=2, max_bytes=10**6)
    assert count == 2 and b"@prefix pg: <https://w3id.org/policygraph/def#>" in body and b"@prefix owl" not in body
    assert {str(q.triple) for q in ox.parse(body, format=ox.RdfFormat.TURTLE)} == {str(t) for t in triples}
    assert json.loads(write_graph(triples, formats.JSON_LD, max_triples=2, max_bytes=10**6)[0])
    with pytest.raises(ResultTooLarge):
        write_graph(triples, formats.TURTLE, max_triples=1, max_bytes=10**6)
