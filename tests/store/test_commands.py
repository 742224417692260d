"""The command-line functions behind `policygraph load`, `query` and `stats`."""

import json

from policygraph.dataset import data_files
from policygraph.queries import query_command, stats_command
from policygraph.server import load_command


def test_load_then_query_and_stats(tmp_path, capsys):
    store = tmp_path / "store"
    assert load_command(store) == 0
    assert f"into {len({f.graph for f in data_files()})} named graphs" in capsys.readouterr().out

    assert query_command("graph-stats", [], "json", store) == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert {r["graph"]["value"] for r in rows} == {str(f.graph) for f in data_files()}

    assert query_command("resource-label", ["resource=pg:Contract"], "table", store) == 0
    table = capsys.readouterr().out
    assert "rdfs:label" in table and "contrat" in table and "row" in table

    assert query_command("SELECT ?s WHERE { ?s ?p ?o } LIMIT 2", [], "csv", store) == 0
    assert capsys.readouterr().out.splitlines()[0] == "s"

    assert stats_command(store) == 0
    out = capsys.readouterr().out
    assert "https://w3id.org/policygraph/graph/ontology" in out and "owl:Class" in out


def test_errors_exit_with_2(tmp_path, capsys):
    store = tmp_path / "store"
    assert query_command("SELECT WHERE {", [], "table", store) == 2
    assert "line 1" in capsys.readouterr().err
    assert query_command("resource-label", ["resource=not an iri"], "table", store) == 2
    assert query_command("resource-label", ["oops"], "table", store) == 2
