"""The command-line functions behind `policygraph load`, `query` and `stats`."""

import json

from policygraph.model.dataset import data_files
from policygraph.queries.catalog import query_command, stats_command
from policygraph.web.server import load_command


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


def test_query_refuses_a_missing_store_and_one_held_by_a_server(tmp_path, capsys):
    missing = tmp_path / "nothing-here"
    assert query_command("SELECT * WHERE { ?s ?p ?o } LIMIT 1", [], "table", missing) == 2
    assert "no store at" in capsys.readouterr().err and not missing.exists()  # nothing created

    store = tmp_path / "store"
    assert load_command(store) == 0
    capsys.readouterr()
    from policygraph.settings import Settings
    from policygraph.store import open_store

    holder = open_store(Settings(store_path=store))  # what a running server holds
    try:
        assert query_command("SELECT * WHERE { ?s ?p ?o } LIMIT 1", [], "table", store) == 2
        assert "another policygraph process" in capsys.readouterr().err
    finally:
        holder.close()
    assert query_command("SELECT * WHERE { ?s ?p ?o } LIMIT 1", [], "table", store) == 0


def test_version_and_help_show_defaults(capsys):
    import pytest

    from policygraph import __version__
    from policygraph.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.strip() == f"policygraph {__version__}"
    with pytest.raises(SystemExit):
        main(["query", "--help"])
    help_text = capsys.readouterr().out
    assert "(default: table)" in help_text and "--param NAME=VALUE" in help_text
