"""The Graph Store HTTP Protocol conformance cases, run strictly against live servers (embedded and Oxigraph-backed).

The cases are the table in ``graph_store_cases.py``: our own transcription of the W3C suite's 13
cases (``w3c/rdf-tests``, ``sparql/sparql11/graph-store-protocol/``), with our own documents and
IRIs.  Each response is held to what the manifest expects of it: the exact status (one of those
listed), the ``Content-Type`` header (media type and charset), a body whose graph is isomorphic to
the expected one (blank nodes and all) — and no body at all for HEAD — and a ``Location`` for the
graph a POST creates, used by the next request.  Every request carries the steward token (the
suite assumes a store open to writes); before a case, the graphs it expects not to exist are
dropped, through SPARQL Update.
"""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest

from graph_store_cases import CASES
from support import Server, preload_embedded, start_oxigraph, start_policygraph, stop

IDS = ("put_get_repeat_direct", "put_delete_get_delete_direct", "post_get_post_get_direct", "head_existing_direct",
       "put_get_repeat_indirect", "put_get_default", "put_delete_get_delete_indirect", "post_get_post_get_indirect",
       "post_get_new_graph", "head_existing_indirect", "head_non_existing_indirect",
       "put_get_uri_pct_encoded_indirect", "put_get_uri_pct_encoded_twice")


def test_the_table_has_every_case_of_the_suite():
    assert [c["id"] for c in CASES] == list(IDS)


@pytest.fixture(scope="module", params=["embedded", "remote"])
def fresh_server(request, tmp_path_factory, token_entry):
    tmp = tmp_path_factory.mktemp(f"gsp-{request.param}")
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


def canonical(triples) -> set[str]:
    """Triples as strings, blank nodes renamed canonically (RDFC-1.0): equal sets = isomorphic graphs."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


def same_header(actual: str | None, expected: str) -> bool:
    """Media types compare case-insensitively, and so do the parameters (``charset=UTF-8``)."""
    def norm(value: str) -> tuple[str, frozenset]:
        main, *params = value.split(";")
        return main.strip().lower(), frozenset(p.strip().lower().replace('"', "") for p in params if p.strip())

    return actual is not None and norm(actual) == norm(expected)


def check_response(response: httpx.Response, expected: dict, method: str, where: str) -> None:
    assert str(response.status_code) in expected["status"], where
    if expected["content_type"] is not None:
        assert same_header(response.headers.get("content-type"), expected["content_type"]), where
    if method == "HEAD":
        assert response.content == b"", where
    if expected["graph"] is not None:
        media = response.headers["content-type"].split(";")[0].strip()
        got = [q.triple for q in ox.parse(response.content, format=ox.RdfFormat.from_media_type(media))]
        want = [q.triple for q in ox.parse(expected["graph"].encode(), format=ox.RdfFormat.TURTLE)]
        assert canonical(got) == canonical(want), where
    if expected["location"]:
        assert response.headers.get("location"), where


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_w3c_graph_store_case(fresh_server: Server, case):
    if case["graphs"]:
        drop = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in case["graphs"])
        r = httpx.post(fresh_server.url + "/update", content=drop.encode(),
                       headers={"Content-Type": "application/sparql-update", **fresh_server.auth()})
        assert r.status_code == 200, r.text
    location = None
    for number, req in enumerate(case["requests"], start=1):
        path = req["path"]
        if "$LOCATION$" in path:
            assert location, "no earlier response gave a Location"
            path = path.replace("$LOCATION$", location)
        body = req["body"].encode("utf-8") if req["body"] is not None else None
        response = httpx.request(req["method"], fresh_server.url + path, content=body,
                                 headers={**req["headers"], **fresh_server.auth()}, timeout=30)
        check_response(response, req, req["method"],
                       f"{case['id']} request {number} ({req['method']} {path}): {response.status_code} "
                       f"{response.headers.get('content-type')} {response.text[:300]}")
        location = response.headers.get("location") or location


@pytest.mark.parametrize("expected,method,response", [
    ({"status": ("201",), "content_type": None, "graph": None, "location": False}, "PUT", httpx.Response(200)),
    ({"status": ("200",), "content_type": "text/turtle; charset=utf-8", "graph": None, "location": False}, "GET",
     httpx.Response(200, headers={"Content-Type": "text/turtle"})),
    ({"status": ("200",), "content_type": None, "graph": None, "location": False}, "HEAD",
     httpx.Response(200, content=b"<http://a> <http://b> <http://c> .")),
    ({"status": ("200",), "content_type": None, "graph": "[] <http://b> [] .", "location": False}, "GET",
     httpx.Response(200, content=b"_:x <http://b> _:x .", headers={"Content-Type": "application/n-triples"})),
    ({"status": ("201",), "content_type": None, "graph": None, "location": True}, "POST", httpx.Response(201)),
])
def test_the_runner_fails_what_a_case_does_not_allow(expected, method, response):
    with pytest.raises(AssertionError):
        check_response(response, expected, method, "deliberately wrong")
