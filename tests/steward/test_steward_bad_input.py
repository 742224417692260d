"""Every way a change can be wrong gets a clear 4xx in the one error shape — and writes nothing."""

from __future__ import annotations

import httpx
import pytest
import samples
from steward_support import ALICE, auth, graph_counts

OTHER = "pgt_not-a-steward"


def _json(document, token=ALICE, **headers):
    return dict(json=document, headers={**(auth(token) if token else {}), **headers})


def _raw(body: bytes, media: str | None, token=ALICE, **headers):
    content_type = {"Content-Type": media} if media else {}
    return dict(content=body, headers={**(auth(token) if token else {}), **content_type, **headers},
                params={"comment": "c", "source": "s"})


VALID = {"add": samples.valid("bad-input"), "comment": "c", "source": "s"}

CASES = {
    "turtle syntax error": (_raw(b"@prefix pg: <https://w3id.org/policygraph/def#> .\n<urn:a> pg:p\n", "text/turtle"),
                            400, (3, 1)),
    "n-triples syntax error": (_raw(b"<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n", "application/n-triples"),
                               400, (2, 17)),
    "n-quads syntax error": (_raw(b'<urn:a> <urn:b> "x <urn:g> .\n', "application/n-quads"), 400, (1, 17)),
    "trig syntax error": (_raw(b"<urn:g> {\n <urn:a> <urn:b> <urn:c>\n <urn:d> }\n", "application/trig"), 400, (3, 2)),
    "json-ld syntax error": (_raw(b'{"@id": "urn:a",\n  "urn:b": [1,}\n', "application/ld+json"), 400, (2, 15)),
    "rdf/xml syntax error": (_raw(b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                                  b'\n<rdf:Description rdf:about="urn:a">\n</rdf:RDF>\n', "application/rdf+xml"), 400, (4, 3)),
    "syntax error in the add field": (_json({"add": "<urn:a> <urn:b> <urn:c> .\n<urn:d> <urn:e>", "comment": "c",
                                             "source": "s"}), 400, (2, 16)),
    "malformed JSON": (_raw(b'{"add": "x",\n "comment": }', "application/json"), 400, (2, 13)),
    "not UTF-8": (_raw("<urn:a> <urn:b> \"caf\xe9\" .".encode("latin-1"), "text/turtle"), 400, None),
    "unknown media type": (_raw(b"a,b\n", "text/csv"), 415, None),
    "no media type": (_raw(b"<urn:a> <urn:b> <urn:c> .", None), 415, None),
    "charset other than UTF-8": (_raw(b"<urn:a> <urn:b> <urn:c> .", "text/turtle; charset=latin-1"), 415, None),
    "body over the limit": (_raw(b"#" * 1_000_001, "text/turtle"), 413, None),
    "no token": (_json(VALID, token=None), 401, None),
    "not a bearer token": (_json(VALID, token=None, Authorization="Basic dXNlcjpwYXNz"), 401, None),
    "wrong token": (_json(VALID, token=OTHER), 403, None),
    "removes a triple that is not there": (_json({"remove": f"{samples.PREFIXES} <contract/erbm> pg:kind <urn:none> .",
                                                  "comment": "c", "source": "s"}), 409, None),
    "removes a blank-node triple by value": (_json({"remove": "[] <urn:p> 1 .", "comment": "c", "source": "s"}), 409, None),
    "violates the shapes": (_json({"add": samples.violating("bad-input"), "comment": "c", "source": "s"}), 422, None),
    "ill-typed value the shapes cannot evaluate": (_json({"add": f"""{samples.PREFIXES}
        <contract/pacte-sat-2/funding/bad-input> a pg:FinancialCommitment ; pg:shareOf <contract/pacte-sat-2/funding/departement-59> ;
            pg:amount "beaucoup" .""", "comment": "c", "source": "s"}), 422, None),
}


@pytest.mark.parametrize("name", CASES)
def test_a_bad_change_is_refused_clearly_and_writes_nothing(steward_server, name):
    request, status, position = CASES[name]
    before = graph_counts(steward_server.url)
    r = httpx.post(steward_server.url + "/changes", timeout=120, **request)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["status"] == status and error["title"] and error["detail"]
    if position is not None:
        assert (error["line"], error["column"]) == position, error
    assert graph_counts(steward_server.url) == before


@pytest.mark.parametrize("path, token, status", [
    ("/changes/01ZZZZZZZZZZZZZZZZZZZZZZZZ/revert", ALICE, 404),
    ("/changes/not-an-id/revert", ALICE, 404),
    ("/changes/01ZZZZZZZZZZZZZZZZZZZZZZZZ/revert", None, 401),
    ("/changes/01ZZZZZZZZZZZZZZZZZZZZZZZZ/revert", OTHER, 403),
])
def test_a_bad_revert_is_refused_and_writes_nothing(steward_server, path, token, status):
    before = graph_counts(steward_server.url)
    r = httpx.post(steward_server.url + path, headers=auth(token) if token else {}, timeout=60)
    assert r.status_code == status and r.json()["error"]["status"] == status
    assert graph_counts(steward_server.url) == before
