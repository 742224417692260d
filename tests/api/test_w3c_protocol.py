"""The SPARQL 1.1 and 1.2 Protocol conformance cases, run strictly against live servers (embedded and Oxigraph-backed).

The cases are the table in ``protocol_cases.py``: our own transcription of the case list of the W3C
SPARQL Protocol test suites (repository ``w3c/rdf-tests``: the 34 cases of
``sparql/sparql11/protocol/`` and the 14 the SPARQL 1.2 Protocol suite adds) — the same case ids,
each exercising the same protocol feature and requiring the same outcome — with our own requests,
IRIs and data.  The suites' manifests and data files are not vendored: the project does not copy
other projects' code or data into its tree, and the tests must not need the network to fetch them.

Each response is held to everything its case expects, as the manifests say it: the status class;
for a ``boolean`` answer, a SPARQL results document in XML or JSON, of the announced media type,
that parses as a boolean — and the expected one; for ``tabular``, a results document of the
announced type that parses as solutions; for ``RDF``, an RDF document of the announced type that
parses; the media type itself when the case names it (content negotiation).  A refused request
must also answer with the project's one JSON error shape.  Two adaptations, neither changing what
is tested:

- the data a case expects in named graphs is put there with the Graph Store Protocol before the case
  (this service never dereferences graph IRIs to load them);
- every request carries the steward token: the suites assume an endpoint open to updates.

Each server is fresh: the update cases run CLEAR ALL / DROP ALL.
"""

from __future__ import annotations

import csv
import io

import httpx
import pyoxigraph as ox
import pytest
from protocol_cases import CASES, GRAPH_DATA
from support import Server, preload_embedded, start_oxigraph, start_policygraph, stop

RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml"}

# The case ids of the W3C suites, in their manifests' order.
SPARQL11_IDS = (
    "query_post_form", "query_dataset_default_graphs_get", "query_dataset_default_graphs_post",
    "query_dataset_named_graphs_post", "query_dataset_named_graphs_get", "query_dataset_full",
    "query_multiple_dataset", "query_get", "query_content_type_select", "query_content_type_ask",
    "query_content_type_describe", "query_content_type_construct", "update_dataset_default_graph",
    "update_dataset_default_graphs", "update_dataset_named_graphs", "update_dataset_full", "update_post_form",
    "update_post_direct", "update_base_uri", "query_post_direct", "bad_query_method", "bad_multiple_queries",
    "bad_query_wrong_media_type", "bad_query_missing_form_type", "bad_query_missing_direct_type",
    "bad_query_non_utf8", "bad_query_syntax", "bad_update_get", "bad_multiple_updates",
    "bad_update_wrong_media_type", "bad_update_missing_form_type", "bad_update_non_utf8", "bad_update_syntax",
    "bad_update_dataset_conflict")
SPARQL12_IDS = (
    "query_get_with_version", "query_post_direct_with_version_param", "bad_query_multiple_versions",
    "update_post_form_with_version", "update_post_direct_with_version_param", "bad_update_multiple_versions",
    "bad_query_get_with_body", "query_content_negotiation_xml", "query_content_negotiation_json",
    "query_dataset_default_graph", "query_post_form_dataset", "query_base_uri", "bad_multiple_queries_form",
    "bad_update_form_body_missing")


def test_the_table_has_every_case_of_both_suites():
    assert len(SPARQL11_IDS) == 34 and len(SPARQL12_IDS) == 14
    assert [c["id"] for c in CASES] == [*SPARQL11_IDS, *SPARQL12_IDS]


@pytest.fixture(scope="module", params=["embedded", "remote"])
def fresh_server(request, tmp_path_factory, token_entry):
    tmp = tmp_path_factory.mktemp(f"protocol-{request.param}")
    if request.param == "embedded":
        preload_embedded(tmp / "store")
        server = start_policygraph(tmp, token_entry)
        yield server
        stop(server.process)
    else:
        backend, url = start_oxigraph(tmp)
        try:
            server = start_policygraph(tmp, token_entry, remote=url)
            yield server
            stop(server.process)
        finally:
            stop(backend)


def status_ok(status: int, expected: tuple[str, ...]) -> bool:
    """``expected``: status classes (``"2xx"``) or exact codes (``"201"``), as the manifests give them."""
    return any(status // 100 == int(e[0]) if e.endswith("xx") else status == int(e) for e in expected)


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def check_response(response: httpx.Response, expected: dict, where: str) -> None:
    """Everything a manifest expects of one response (module docstring)."""
    assert status_ok(response.status_code, expected["status"]), where
    media = media_type(response)
    if expected["media_types"] is not None:
        assert media in expected["media_types"], where
    if response.status_code >= 400:
        error = response.json()["error"]
        assert media == "application/json" and error["status"] == response.status_code and error["detail"], where
    kind = expected["kind"]
    if kind == "boolean":
        assert media in BOOLEAN_TYPES, where
        result = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.from_media_type(media))
        assert isinstance(result, ox.QueryBoolean), where
        if expected["boolean"] is not None:
            assert bool(result) is expected["boolean"], where
    elif kind == "tabular":
        assert media in RESULT_TYPES, where
        if media == "text/csv":  # Oxigraph does not read CSV results (lossy): check the header row
            assert next(csv.reader(io.StringIO(response.text))), where
        else:
            result = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.from_media_type(media))
            assert isinstance(result, ox.QuerySolutions), where
            list(result)
    elif kind == "RDF":
        assert media in RDF_TYPES, where
        # Valid RDF of the announced type (DESCRIBE of an unknown resource is an empty graph).
        list(ox.parse(response.content, format=ox.RdfFormat.from_media_type(media)))
    else:
        assert kind is None, kind


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_w3c_protocol_case(fresh_server: Server, case):
    for graph in case["graphs"]:
        r = httpx.put(fresh_server.url + "/data", params={"graph": graph}, content=GRAPH_DATA[graph].encode(),
                      headers={"Content-Type": "text/turtle", **fresh_server.auth()})
        assert r.status_code in (200, 201, 204), r.text
    for number, req in enumerate(case["requests"], start=1):
        body = req["body"]
        content = body.encode(req["encoding"]) if body is not None else None
        response = httpx.request(req["method"], fresh_server.url + req["path"], content=content,
                                 headers={**req["headers"], **fresh_server.auth()}, timeout=30)
        check_response(response, req, f"{case['id']} request {number}: {response.status_code} {response.text[:300]}")


@pytest.mark.parametrize("expected,response", [
    ({"status": ("2xx",), "kind": "boolean", "boolean": True, "media_types": None},
     httpx.Response(200, json={"head": {}, "boolean": False},
                    headers={"Content-Type": "application/sparql-results+json"})),
    ({"status": ("2xx",), "kind": "boolean", "boolean": None, "media_types": None},
     httpx.Response(200, json={"head": {"vars": ["x"]}, "results": {"bindings": []}},
                    headers={"Content-Type": "application/sparql-results+json"})),
    ({"status": ("2xx",), "kind": "boolean", "boolean": True, "media_types": None},
     httpx.Response(200, json={"head": {}, "boolean": True}, headers={"Content-Type": "application/json"})),
    ({"status": ("2xx",), "kind": "tabular", "boolean": None, "media_types": ("application/sparql-results+xml",)},
     httpx.Response(200, json={"head": {"vars": []}, "results": {"bindings": []}},
                    headers={"Content-Type": "application/sparql-results+json"})),
    ({"status": ("2xx",), "kind": "RDF", "boolean": None, "media_types": None},
     httpx.Response(200, content=b"<a> <b> .", headers={"Content-Type": "text/turtle"})),
    ({"status": ("4xx",), "kind": None, "boolean": None, "media_types": None},
     httpx.Response(400, text="bad", headers={"Content-Type": "text/plain"})),
    ({"status": ("201",), "kind": None, "boolean": None, "media_types": None}, httpx.Response(200)),
])
def test_the_runner_fails_what_a_case_does_not_allow(expected, response):
    """The checks are strict: a wrong boolean, a boolean that is not one, a lax media type… fail."""
    with pytest.raises((AssertionError, SyntaxError, ValueError)):
        check_response(response, expected, "deliberately wrong")
