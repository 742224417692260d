"""`policygraph validate FILE…` as a steward runs it: exit 0 conforms, 1 violates, 2 usage or syntax error;
the report in French or English, as text, JSON, Turtle or JSON-LD; against the shipped graph or a server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import samples
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

SH = "http://www.w3.org/ns/shacl#"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policygraph.cli", "validate", *args], capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("files")
    found = {}
    for name, text in (("valid.ttl", samples.valid("cli")), ("violating.ttl", samples.violating("cli")),
                       ("warning.ttl", samples.warning_only("cli")),
                       ("broken.ttl", samples.PREFIXES + "\n<a> pg:p <b>\n<c> pg:p <d> .\n")):
        found[name] = folder / name
        found[name].write_text(text, encoding="utf-8")
    as_nt = folder / "violating.nt"
    as_nt.write_bytes(Graph().parse(found["violating.ttl"]).serialize(format="nt", encoding="utf-8"))
    found["violating.nt"] = as_nt
    return found


def test_conforming_files_exit_0(files):
    result = run(str(files["valid.ttl"]))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Validation SHACL : conforme — 0 violation(s), 0 avertissement(s)")


def test_a_warning_alone_exits_0(files):
    result = run(str(files["warning.ttl"]), "--lang", "en")
    assert result.returncode == 0
    assert "1 warning(s)" in result.stdout and "pg:description" in result.stdout


def test_violating_files_exit_1_and_say_why_in_the_language_asked(files):
    fr, en = run(str(files["violating.nt"])), run(str(files["violating.ttl"]), "--lang", "en")
    assert fr.returncode == en.returncode == 1
    assert "L'axe" in fr.stdout and "« Mesure d'essai cli »" in fr.stdout
    assert "The measure's axis" in en.stdout and "[pgs:MeasureAxisInContract, sh:SPARQLConstraintComponent]" in en.stdout


@pytest.mark.parametrize("fmt", ["json", "turtle", "jsonld"])
def test_machine_readable_reports(files, fmt):
    result = run(str(files["violating.ttl"]), "--format", fmt)
    assert result.returncode == 1
    if fmt == "json":
        body = json.loads(result.stdout)
        assert body["conforms"] is False and body["counts"]["Violation"] == 1
        assert body["results"][0]["focusNode"] == samples.measure_iri("cli")
    else:
        graph = Graph().parse(data=result.stdout, format="turtle" if fmt == "turtle" else "json-ld")
        assert (None, RDF.type, URIRef(SH + "ValidationReport")) in graph
        assert (None, URIRef(SH + "focusNode"), URIRef(samples.measure_iri("cli"))) in graph


def test_a_syntax_error_exits_2_naming_file_line_and_column(files):
    result = run(str(files["broken.ttl"]))
    assert result.returncode == 2 and result.stdout == ""
    assert f"{files['broken.ttl']}:7:" in result.stderr


def test_usage_errors_exit_2(files, tmp_path):
    assert run(str(tmp_path / "absent.ttl")).returncode == 2
    (tmp_path / "data.csv").write_text("a,b\n")
    assert run(str(tmp_path / "data.csv")).returncode == 2
    assert run(str(files["valid.ttl"]), "--lang", "de").returncode == 2


def test_checking_against_a_running_server(files, steward_server):
    bad = run(str(files["violating.ttl"]), "--server", steward_server.url, "--lang", "en")
    assert bad.returncode == 1 and "The measure's axis" in bad.stdout
    good = run(str(files["valid.ttl"]), "--server", steward_server.url, "--format", "json")
    assert good.returncode == 0 and json.loads(good.stdout)["conforms"] is True


def test_the_stewards_story_check_read_fix_commit_see_revert(files, steward_server, tmp_path):
    """Done means: check a file, read why it fails in one's language, fix it, commit it, see it in the
    history, revert it."""
    import httpx
    from steward_support import ask, auth

    k = samples.key()
    draft = tmp_path / "avenant.ttl"
    draft.write_text(samples.violating(k), encoding="utf-8")
    checked = run(str(draft), "--server", steward_server.url, "--lang", "en")
    assert checked.returncode == 1 and "does not belong (directly or through its parent axes)" in checked.stdout
    draft.write_text(samples.valid(k), encoding="utf-8")  # the fix: the measure's own contract
    assert run(str(draft), "--server", steward_server.url).returncode == 0
    committed = httpx.post(steward_server.url + "/changes", content=draft.read_bytes(), timeout=120,
                           params={"comment": "mesure ajoutée par l'avenant", "source": "https://example.org/avenant"},
                           headers={**auth(), "Content-Type": "text/turtle"})
    assert committed.status_code == 201
    change_id = committed.json()["id"]
    history = httpx.get(steward_server.url + "/changes", headers={"Accept": "text/html"}).text
    assert change_id in history and "mesure ajoutée par l&#39;avenant" in history
    assert ask(steward_server.url, f"ASK {{ <{samples.measure_iri(k)}> ?p ?o }}")
    assert httpx.post(f"{steward_server.url}/changes/{change_id}/revert", headers=auth(), timeout=120).status_code == 201
    assert not ask(steward_server.url, f"ASK {{ <{samples.measure_iri(k)}> ?p ?o }}")
