"""SPARQL Update at /update and /sparql: authentication, exact change summaries, the write guard,
and the refusal of requests that would make the server call out (SERVICE, LOAD)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from guards import FORBIDDEN
from support import OTHER_TOKEN

EX = "http://example.org/test/"
UPDATE = {"Content-Type": "application/sparql-update"}


def graph() -> str:
    return f"{EX}graph/{uuid.uuid4().hex}"


def ask(server, query: str) -> bool:
    r = httpx.post(server.url + "/sparql", data={"query": query})
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


def count(server, g: str) -> int:
    r = httpx.post(server.url + "/sparql", data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def update(server, text: str, *, path="/update", headers=None, **params) -> httpx.Response:
    return httpx.post(server.url + path, content=text.encode(), params=params,
                      headers={**UPDATE, **server.auth(), **(headers or {})})


# -- authentication -----------------------------------------------------------------------------

def test_update_without_a_token_is_a_401_with_a_bearer_challenge(server):
    g = graph()
    r = httpx.post(server.url + "/update", content=f"INSERT DATA {{ GRAPH <{g}> {{ <{EX}a> <{EX}b> 1 }} }}",
                   headers=UPDATE)
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert r.json()["error"]["status"] == 401
    assert count(server, g) == 0


def test_update_with_a_wrong_token_is_a_403(server):
    g = graph()
    for header in (f"Bearer {OTHER_TOKEN}", "Basic dXNlcjpwYXNz"):
        r = httpx.post(server.url + "/update", content=f"INSERT DATA {{ GRAPH <{g}> {{ <{EX}a> <{EX}b> 1 }} }}",
                       headers={**UPDATE, "Authorization": header})
        assert r.status_code in (401, 403) and r.json()["error"]["status"] == r.status_code
    assert r.status_code == 401  # not even a bearer token
    r = httpx.post(server.url + "/sparql", data={"update": f"INSERT DATA {{ GRAPH <{g}> {{ <{EX}a> <{EX}b> 1 }} }}"},
                   headers={"Authorization": f"Bearer {OTHER_TOKEN}"})
    assert r.status_code == 403
    assert count(server, g) == 0


# -- updates: the three ways, and what they report ------------------------------------------------

def test_update_direct_at_update_reports_the_steward_and_the_change(server):
    g = graph()
    r = update(server, f"INSERT DATA {{ GRAPH <{g}> {{ <{EX}a> <{EX}p> 1, 2 ; <{EX}q> \"x\"@fr }} }}")
    assert r.status_code == 200, r.text
    assert r.json() == {"steward": "tester", "added": 3, "removed": 0, "operations": 1}
    assert count(server, g) == 3


def test_update_by_form_at_sparql(server):
    g = graph()
    r = httpx.post(server.url + "/sparql", data={"update": f"INSERT DATA {{ GRAPH <{g}> {{ <{EX}a> <{EX}p> 1 }} }}"},
                   headers=server.auth())
    assert r.status_code == 200 and r.json()["added"] == 1
    assert count(server, g) == 1


def test_update_direct_at_sparql(server):
    g = graph()
    r = update(server, f"INSERT DATA {{ GRAPH <{g}> {{ <{EX}a> <{EX}p> 1 }} }}", path="/sparql")
    assert r.status_code == 200 and r.json()["added"] == 1


def test_sequential_operations_and_the_net_change(server):
    g = graph()
    update(server, f"INSERT DATA {{ GRAPH <{g}> {{ <{EX}a> <{EX}p> 1, 2, 3 }} }}")
    text = f"""PREFIX ex: <{EX}>
    DELETE {{ GRAPH <{g}> {{ ?s ex:p ?o }} }} INSERT {{ GRAPH <{g}> {{ ?s ex:p ?n }} }}
    WHERE {{ GRAPH <{g}> {{ ?s ex:p ?o FILTER(?o > 1) BIND(?o * 10 AS ?n) }} }} ;
    INSERT {{ GRAPH <{g}> {{ ?s ex:seen ?n }} }} WHERE {{ GRAPH <{g}> {{ ?s ex:p ?n FILTER(?n >= 20) }} }} ;
    DELETE DATA {{ GRAPH <{g}> {{ ex:a ex:seen 30 }} }} ;
    INSERT DATA {{ GRAPH <{g}> {{ ex:a ex:p 1 }} }}"""
    r = update(server, text)
    assert r.status_code == 200, r.text
    # 2 and 3 replaced by 20 and 30 (−2 +2); "seen 20" added (+1); "seen 30" added then removed (net 0);
    # "p 1" already there (no change).
    assert r.json() == {"steward": "tester", "added": 3, "removed": 2, "operations": 4}
    values = httpx.post(server.url + "/sparql", data={"query": f"SELECT ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} ORDER BY ?p ?o"},
                        headers={"Accept": "text/csv"}).text.split("\r\n")
    assert values[1:-1] == [f"{EX}p,1", f"{EX}p,20", f"{EX}p,30", f"{EX}seen,20"]


def test_update_with_using_graph_uri_parameters(server):
    source, target = graph(), graph()
    update(server, f"INSERT DATA {{ GRAPH <{source}> {{ <{EX}doc> a <{EX}Document> }} }}")
    text = f"INSERT {{ GRAPH <{target}> {{ ?s a <{EX}Copy> }} }} WHERE {{ ?s a <{EX}Document> }}"
    r = update(server, text, **{"using-graph-uri": source})
    assert r.status_code == 200 and r.json()["added"] == 1
    assert ask(server, f"ASK {{ GRAPH <{target}> {{ <{EX}doc> a <{EX}Copy> }} }}")


def test_using_parameters_and_with_in_the_request_conflict(server):
    r = update(server, f"WITH <{EX}g> INSERT {{ ?s a <{EX}X> }} WHERE {{ ?s a <{EX}Y> }}",
               **{"using-named-graph-uri": f"{EX}other"})
    assert r.status_code == 400


def test_relative_iris_resolve_against_the_canonical_base(server):
    g = graph()
    assert update(server, f"INSERT DATA {{ GRAPH <{g}> {{ <id/test/thing> <{EX}p> 1 }} }}").status_code == 200
    assert ask(server, f"ASK {{ GRAPH <{g}> {{ <https://w3id.org/policygraph/id/test/thing> ?p ?o }} }}")


def test_update_syntax_error_is_a_400_with_position(server):
    r = update(server, "INSERT DATA {\n  <http://a> <http://b> <http://c> .\n} ;\nDELETE WHERE { ?s ?p }")
    error = r.json()["error"]
    assert r.status_code == 400 and (error["line"], error["column"]) == (4, 22), error


def test_update_by_get_is_refused(server):
    assert httpx.get(server.url + "/sparql", params={"update": "CLEAR ALL"}).status_code == 400


def test_a_query_sent_to_update_is_refused(server):
    r = httpx.post(server.url + "/update", data={"query": "ASK {}"}, headers=server.auth())
    assert r.status_code == 400


# -- the write guard ----------------------------------------------------------------------------

def test_a_change_the_guard_refuses_is_a_422_and_nothing_is_written(server):
    g = graph()
    text = f"INSERT DATA {{ GRAPH <{g}> {{ <{EX}ok> <{EX}p> 1 . <{EX}bad> <{FORBIDDEN}> 2 }} }}"
    r = update(server, text)
    assert r.status_code == 422
    error = r.json()["error"]
    assert "forbidden predicate" in error["report"] and "tester" in error["report"]
    assert count(server, g) == 0  # not even the acceptable triple


def test_the_guard_sees_triples_an_insert_where_would_add(server):
    g = graph()
    update(server, f"INSERT DATA {{ GRAPH <{g}> {{ <{EX}a> <{EX}p> 1 }} }}")
    r = update(server, f"INSERT {{ GRAPH <{g}> {{ ?s <{FORBIDDEN}> ?o }} }} WHERE {{ GRAPH <{g}> {{ ?s <{EX}p> ?o }} }}")
    assert r.status_code == 422
    assert count(server, g) == 1


# -- nothing calls out --------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { service e:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<http://127.0.0.1:9/sparql> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
])
def test_service_to_an_endpoint_not_allow_listed_is_refused(server, query):
    r = httpx.post(server.url + "/sparql", data={"query": query})
    assert r.status_code == 403, r.text
    assert "SERVICE" in r.json()["error"]["detail"]


def test_the_word_service_in_a_string_or_comment_is_fine(server):
    query = 'SELECT * WHERE { BIND("SERVICE <http://127.0.0.1:9/>" AS ?x) } # SERVICE <http://127.0.0.1:9/>'
    assert httpx.post(server.url + "/sparql", data={"query": query}).status_code == 200


def test_load_and_service_in_updates_are_refused(server):
    g = graph()
    for text in (f"LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <{g}>",
                 "load silent <file:///etc/passwd>",
                 f"INSERT {{ GRAPH <{g}> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <http://127.0.0.1:9/sparql> {{ ?s ?p ?o }} }}"):
        r = update(server, text)
        assert r.status_code == 403, r.text
    assert count(server, g) == 0
