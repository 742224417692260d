"""POST /validate on a real server over the shipped graph: six input syntaxes, five report formats,
two languages, incremental and full, and every bad request refused with the error shape."""

from __future__ import annotations

import json

import httpx
import pytest
import samples
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from steward_support import auth, graph_counts

SH = "http://www.w3.org/ns/shacl#"


def post(server, body, content_type="text/turtle", **headers) -> httpx.Response:
    return httpx.post(server.url + "/validate", content=body if isinstance(body, bytes) else body.encode(),
                      headers={"Content-Type": content_type, **headers}, timeout=120)


def in_syntax(turtle: str, fmt: str) -> bytes:
    """The same triples in another syntax (N-Quads and TriG in a named graph)."""
    graph = Graph().parse(data=turtle, format="turtle")
    if fmt in ("nquads", "trig"):
        from rdflib import Dataset

        ds = Dataset()
        for t in graph:
            ds.add((*t, URIRef("urn:example:g")))
        return ds.serialize(format=fmt, encoding="utf-8")
    return graph.serialize(format=fmt, encoding="utf-8")


SYNTAXES = [("turtle", "text/turtle"), ("nt", "application/n-triples"), ("nquads", "application/n-quads"),
            ("trig", "application/trig"), ("json-ld", "application/ld+json"), ("xml", "application/rdf+xml")]


@pytest.mark.parametrize("fmt, media", SYNTAXES)
def test_each_syntax_is_validated_against_the_current_graph(steward_server, fmt, media):
    body = in_syntax(samples.violating(samples.key()), fmt)
    r = post(steward_server, body, media)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["conforms"] is False and r.headers["x-conforms"] == "false"
    # The measure's axis is checked against the contract *in the store*: only that link breaks.
    assert [(x["severity"], x["sourceShape"].rsplit("#")[-1]) for x in report["results"]] == \
        [("Violation", "MeasureAxisInContract")]
    assert report["validation"]["mode"] == "incremental"


def test_valid_data_conforms_and_speaks_of_nothing_else(steward_server):
    r = post(steward_server, samples.valid(samples.key()))
    assert r.status_code == 200 and r.json()["conforms"] is True
    assert r.json()["results"] == [] and r.headers["x-conforms"] == "true"
    # The shipped graph has warnings (contracts without a signature date); the report is silent on them.
    assert r.json()["counts"] == {"Violation": 0, "Warning": 0, "Info": 0}


def test_warnings_do_not_make_the_change_non_conforming(steward_server):
    r = post(steward_server, samples.warning_only(samples.key()))
    body = r.json()
    assert body["conforms"] is True
    assert [(x["severity"], x["path"]) for x in body["results"]] == [("Warning", "pg:description")]
    assert body["validation"]["blocking"] == "Violation"


def test_a_result_names_focus_label_path_value_severity_message_and_shape(steward_server):
    k = samples.key()
    result = post(steward_server, samples.violating(k), **{"Accept-Language": "en"}).json()["results"][0]
    assert result["focusNode"] == samples.measure_iri(k)
    assert result["focusLabel"] == f"Mesure d'essai {k}"
    assert result["path"] == "pg:inAxis"
    assert result["value"] == samples.ID + "contract/perr-le-quesnoy/axis/3"
    assert result["severity"] == "Violation"
    assert result["sourceShape"] == "https://w3id.org/policygraph/shapes#MeasureAxisInContract"
    assert result["message"].startswith("The measure's axis")


@pytest.mark.parametrize("header, start", [("fr", "L'axe"), ("en", "The measure's axis"),
                                           ("en-GB,en;q=0.9,fr;q=0.5", "The measure's axis"),
                                           ("de, fr;q=0.2, en;q=0.1", "L'axe"), (None, "L'axe")])
def test_the_message_is_in_the_language_asked(steward_server, header, start):
    headers = {"Accept-Language": header} if header else {}
    r = post(steward_server, samples.violating(samples.key()), **headers)
    assert r.json()["results"][0]["message"].startswith(start)
    assert r.headers["content-language"] == ("en" if start.startswith("The") else "fr")


def test_the_report_as_turtle_and_json_ld_is_a_shacl_validation_report(steward_server):
    k = samples.key()
    for media, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        r = post(steward_server, samples.violating(k), Accept=media)
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
        report = Graph().parse(data=r.text, format=fmt)
        node = report.value(predicate=RDF.type, object=URIRef(SH + "ValidationReport"))
        assert report.value(node, URIRef(SH + "conforms")) == Literal(False)
        result = report.value(node, URIRef(SH + "result"))
        assert report.value(result, URIRef(SH + "focusNode")) == URIRef(samples.measure_iri(k))
        messages = {m.language for m in report.objects(result, URIRef(SH + "resultMessage"))}
        assert messages == {"fr", "en"}  # both languages, tagged, in the RDF report


def test_the_report_as_html_and_as_terminal_text(steward_server):
    k = samples.key()
    html = post(steward_server, samples.violating(k), Accept="text/html", **{"Accept-Language": "en"})
    assert html.headers["content-type"].startswith("text/html")
    assert "The change does not conform" in html.text and f"Mesure d&#39;essai {k}" in html.text
    text = post(steward_server, samples.violating(k), Accept="text/plain")
    assert text.text.startswith("Validation SHACL : NON CONFORME — 1 violation(s)")
    assert "[pgs:MeasureAxisInContract, sh:SPARQLConstraintComponent]" in text.text


def test_a_change_set_document_with_removals_reports_what_they_break(steward_server):
    # Removing the Quesnoy protocol's kind breaks its pgs:Contract-kind (minCount 1).
    document = {"remove": f"{samples.PREFIXES} <contract/perr-le-quesnoy> pg:kind "
                          "<https://w3id.org/policygraph/voc/contract-kind/protocole-engagements-renforces> ."}
    r = httpx.post(steward_server.url + "/validate", json=document, timeout=120)
    results = r.json()["results"]
    assert ("https://w3id.org/policygraph/id/contract/perr-le-quesnoy", "pg:kind") in \
        {(x["focusNode"], x["path"]) for x in results}
    assert all(x["severity"] == "Violation" or x["focusNode"].endswith("perr-le-quesnoy") for x in results)


def test_a_fix_is_reported_as_resolved(steward_server):
    # The accord-cadre with Amiens Métropole has no signature date (a shipped warning); stating one resolves it.
    body = f"{samples.PREFIXES} <contract/accord-cadre-amiens-metropole> pg:signatureYear \"2017\"^^xsd:gYear ."
    before = httpx.post(steward_server.url + "/sparql", timeout=60, data={
        "query": "ASK { <https://w3id.org/policygraph/id/contract/accord-cadre-amiens-metropole> "
                 "<https://w3id.org/policygraph/def#signatureYear>|<https://w3id.org/policygraph/def#signatureDate> ?d }"})
    assert before.json()["boolean"] is False
    r = post(steward_server, body)
    assert r.json()["conforms"] is True
    assert any(x["sourceShape"].endswith("#ContractSigned") and x["focusNode"].endswith("/accord-cadre-amiens-metropole")
               for x in r.json()["resolved"])


def test_validation_writes_nothing(steward_server):
    before = graph_counts(steward_server.url)
    post(steward_server, samples.valid(samples.key()))
    post(steward_server, samples.violating(samples.key()))
    assert graph_counts(steward_server.url) == before


# -- bad requests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("media, body, line, column", [
    ("text/turtle", f"{samples.PREFIXES}\n<a> pg:p <b>\n<c> pg:p <d> .\n", 7, 1),
    ("application/n-triples", "<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n", 2, 17),
    ("application/ld+json", '{"@id": "urn:a",\n  "urn:b": [1,}\n', 2, 15),
    ("application/rdf+xml", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                            '\n<rdf:Description rdf:about="urn:a">\n</rdf:RDF>\n', 4, 3),
])
def test_a_syntax_error_is_a_400_naming_line_and_column(steward_server, media, body, line, column):
    r = post(steward_server, body, media)
    assert r.status_code == 400
    error = r.json()["error"]
    assert (error["line"], error["column"]) == (line, column), error
    assert error["title"] == "RDF syntax error"


def test_a_syntax_error_in_a_change_set_field_names_the_field(steward_server):
    r = httpx.post(steward_server.url + "/validate", json={"add": "<urn:a> <urn:b> <urn:c> .", "remove": "\n<urn:x> ."})
    error = r.json()["error"]
    assert r.status_code == 400 and error["field"] == "remove" and error["line"] == 2


def test_malformed_json_is_a_400_with_its_position(steward_server):
    r = post(steward_server, '{"add": "x",\n "comment": }', "application/json")
    assert r.status_code == 400 and (r.json()["error"]["line"], r.json()["error"]["column"]) == (2, 13)


@pytest.mark.parametrize("media", ["text/csv", "application/x-unknown", "multipart/form-data; boundary=x"])
def test_an_unknown_media_type_is_a_415(steward_server, media):
    r = post(steward_server, "a,b\n", media)
    assert r.status_code == 415 and r.json()["error"]["status"] == 415


def test_a_body_over_the_limit_is_a_413(steward_server):
    r = post(steward_server, b"#" * 1_000_001)
    assert r.status_code == 413 and r.json()["error"]["status"] == 413


def test_an_unacceptable_report_format_is_a_406(steward_server):
    r = post(steward_server, samples.valid(samples.key()), Accept="image/png")
    assert r.status_code == 406


def test_removing_triples_that_are_not_there_is_a_409(steward_server):
    r = httpx.post(steward_server.url + "/validate",
                   json={"remove": "<https://w3id.org/policygraph/id/nothing> <urn:p> \"x\" ."})
    assert r.status_code == 409
    assert r.json()["error"]["missing"] == ['<https://w3id.org/policygraph/id/nothing> <urn:p> "x" .']


def test_full_validation_reports_every_result_of_the_graph(steward_server):
    body = samples.violating(samples.key())
    anonymous = httpx.post(steward_server.url + "/validate?full=true", content=body, timeout=60,
                           headers={"Content-Type": "text/turtle"})
    assert anonymous.status_code == 401  # minutes of work on a large graph: stewards only
    r = httpx.post(steward_server.url + "/validate?full=true", content=body, timeout=300,
                   headers={"Content-Type": "text/turtle", **auth()})
    body = r.json()
    assert body["validation"]["mode"] == "full"
    # The shipped warnings are there too, and the new violation.
    assert body["counts"]["Warning"] > 50 and body["counts"]["Violation"] >= 1
    assert json.dumps(body).count("MeasureAxisInContract") >= 1
