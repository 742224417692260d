"""The SPARQL 1.1 Protocol conformance cases, run against live servers (embedded and Oxigraph-backed).

The cases are the table in ``protocol_cases.py``: our own transcription of the case list of the W3C
SPARQL 1.1 Protocol test suite (repository ``w3c/rdf-tests``, folder ``sparql/sparql11/protocol/``) —
the same 34 case ids, each exercising the same protocol feature and requiring the same outcome — with
our own requests, IRIs and data.  The suite's ``manifest.ttl`` and data files are not vendored: the
project does not copy other projects' code or data into its tree, and the tests must not need the
network to fetch them.  Each case lists HTTP requests (method, path, headers, body) and what each
response must be (status class, result kind, boolean).  Two adaptations, neither changing what is
tested:

- the data a case expects in named graphs is put there with the Graph Store Protocol before the case
  (this service never dereferences graph IRIs to load them);
- every request carries the steward token: the suite assumes an endpoint open to updates.

Each server is fresh: the update cases run CLEAR ALL / DROP ALL.
"""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
from protocol_cases import CASES, GRAPH_DATA
from support import Server, preload_embedded, start_oxigraph, start_policygraph, stop

RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml"}


def test_the_table_has_all_34_cases():
    assert len(CASES) == 34
    assert len({c["id"] for c in CASES}) == 34


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


def _status_ok(status: int, classes: tuple[str, ...]) -> bool:
    return f"{status // 100}xx" in classes


def _media(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip()


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
        where = f"{case['id']} request {number}: {response.status_code} {response.text[:300]}"
        assert _status_ok(response.status_code, req["status"]), where
        if req["kind"] == "boolean":
            assert _media(response) in BOOLEAN_TYPES, where
            fmt = ox.QueryResultsFormat.from_media_type(_media(response))
            value = bool(ox.parse_query_results(response.content, format=fmt))
            if req["boolean"] is not None:
                assert value is req["boolean"], where
        elif req["kind"] == "tabular":
            assert _media(response) in RESULT_TYPES, where
        elif req["kind"] == "RDF":
            assert _media(response) in RDF_TYPES, where
            # Valid RDF of the announced type (DESCRIBE of an unknown resource is an empty graph).
            list(ox.parse(response.content, format=ox.RdfFormat.from_media_type(_media(response))))
