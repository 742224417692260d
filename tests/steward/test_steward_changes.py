"""/changes on a real server: commit, record, history, revert; and the same SHACL rule on /update and /data."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest
import samples
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from steward_support import ALICE, BOB, ask, auth, graph_counts

BASE = "https://w3id.org/policygraph/"
CHANGES = BASE + "graph/changes"


def commit(server, add="", remove="", *, token=ALICE, comment="test", source="https://example.org/avenant.pdf",
           **extra) -> httpx.Response:
    document = {"add": add, "remove": remove, "comment": comment, "source": source, **extra}
    return httpx.post(server.url + "/changes", json=document, headers=auth(token), timeout=120)


def revert(server, change_id, token=ALICE, **headers) -> httpx.Response:
    return httpx.post(f"{server.url}/changes/{change_id}/revert", headers={**auth(token), **headers}, timeout=120)


def exists(server, k: str) -> bool:
    return ask(server.url, f"ASK {{ <{samples.measure_iri(k)}> ?p ?o }}")


def test_a_conforming_change_is_committed_in_its_own_graph_with_its_provenance(steward_server):
    k = samples.key()
    r = commit(steward_server, samples.valid(k), comment="nouvelle mesure", token=BOB)
    assert r.status_code == 201, r.text
    body = r.json()
    change_id, graph = body["id"], body["graph"]
    assert r.headers["location"] == f"/changes/{change_id}"
    assert graph == f"{BASE}graph/change/{change_id}" and body["steward"] == "bob"
    assert body["added"] == 6 and body["removed"] == 0 and body["validation"]["conforms"] is True
    assert ask(steward_server.url, f"ASK {{ GRAPH <{graph}> {{ <{samples.measure_iri(k)}> a ?t }} }}")
    activity = f"{BASE}id/change/{change_id}"
    assert ask(steward_server.url, f"""PREFIX prov: <{PROV}> PREFIX rdfs: <{RDFS}>
        ASK {{ GRAPH <{CHANGES}> {{ <{activity}> a prov:Activity ;
            prov:wasAssociatedWith/rdfs:label "bob" ; rdfs:comment "nouvelle mesure" ;
            prov:used <https://example.org/avenant.pdf> ; prov:startedAtTime ?s ; prov:endedAtTime ?e ;
            prov:generated <{graph}> . FILTER (?s <= ?e) }} }}""")


def test_a_violating_change_is_a_422_with_the_report_and_nothing_is_written(steward_server):
    before = graph_counts(steward_server.url)
    k = samples.key()
    r = commit(steward_server, samples.violating(k))
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["status"] == 422 and error["report"]["conforms"] is False
    assert error["report"]["results"][0]["sourceShape"].endswith("#MeasureAxisInContract")
    as_turtle = httpx.post(steward_server.url + "/changes", timeout=120, headers={**auth(), "Accept": "text/turtle"},
                           json={"add": samples.violating(k), "comment": "c", "source": "s"})
    assert as_turtle.status_code == 422 and as_turtle.headers["content-type"].startswith("text/turtle")
    assert "sh:ValidationReport" in as_turtle.text
    assert graph_counts(steward_server.url) == before and not exists(steward_server, k)


def test_warnings_do_not_block_a_commit(steward_server):
    k = samples.key()
    r = commit(steward_server, samples.warning_only(k))
    assert r.status_code == 201
    assert r.json()["validation"]["counts"] == {"Violation": 0, "Warning": 1, "Info": 0}
    assert exists(steward_server, k)


def test_plain_rdf_with_comment_and_source_parameters(steward_server):
    k = samples.key()
    r = httpx.post(steward_server.url + "/changes", content=samples.valid(k),
                   params={"comment": "from a file", "source": "Avenant n°3 (PDF du 2 mai)"},
                   headers={**auth(), "Content-Type": "text/turtle"}, timeout=120)
    assert r.status_code == 201, r.text
    record = httpx.get(f"{steward_server.url}/changes/{r.json()['id']}", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=record.text, format="turtle")
    source = graph.value(URIRef(r.json()["change"]), PROV.used)
    assert graph.value(source, RDFS.label) == Literal("Avenant n°3 (PDF du 2 mai)")


def test_history_newest_first_as_html_and_json_ld(steward_server):
    first = commit(steward_server, samples.valid(samples.key()), comment="first of two").json()["id"]
    second = commit(steward_server, samples.valid(samples.key()), comment="second of two").json()["id"]
    assert first < second  # ids are time-ordered
    html = httpx.get(steward_server.url + "/changes", headers={"Accept": "text/html"}).text
    assert html.index(second) < html.index(first)
    r = httpx.get(steward_server.url + "/changes?limit=2", headers={"Accept": "application/ld+json"})
    graph = Graph().parse(data=r.text, format="json-ld")
    members = set(graph.objects(None, URIRef("http://www.w3.org/ns/hydra/core#member")))
    assert {URIRef(f"{BASE}id/change/{second}"), URIRef(f"{BASE}id/change/{first}")} == members
    assert 'rel="next"' in r.headers["link"]
    page2 = httpx.get(steward_server.url + "/changes?limit=2&page=2", headers={"Accept": "text/html"}).text
    assert second not in page2


def test_one_change_shows_what_it_added_and_removed(steward_server):
    k = samples.key()
    change_id = commit(steward_server, samples.valid(k)).json()["id"]
    removal = commit(steward_server, remove=f'{samples.PREFIXES} <contract/perr-le-quesnoy/measure/t-{k}> pg:number "T{k}" .',
                     comment="the number was wrong").json()
    html = unescape(httpx.get(f"{steward_server.url}/changes/{removal['id']}", headers={"Accept": "text/html"}).text)
    assert f'"T{k}"' in html and f"graph/change/{change_id}" in html  # the graph it was removed from
    ld = httpx.get(f"{steward_server.url}/changes/{removal['id']}?format=jsonld")
    graph = Graph().parse(data=ld.text, format="json-ld")
    statement = graph.value(URIRef(removal["change"]), PROV.invalidated)
    assert graph.value(statement, RDF.object) == Literal(f"T{k}")
    assert graph.value(statement, PROV.atLocation) == URIRef(f"{BASE}graph/change/{change_id}")
    assert httpx.get(f"{steward_server.url}/changes/01ZZZZZZZZZZZZZZZZZZZZZZZZ").status_code == 404
    assert httpx.get(f"{steward_server.url}/changes/not-an-id").status_code == 404


def test_revert_undoes_a_change_and_is_itself_recorded(steward_server):
    k = samples.key()
    change_id = commit(steward_server, samples.valid(k)).json()["id"]
    r = revert(steward_server, change_id, token=BOB)
    assert r.status_code == 201, r.text
    assert r.json()["reverts"] == change_id and r.json()["removed"] == 6
    assert not exists(steward_server, k)
    again = revert(steward_server, change_id)
    assert again.status_code == 409 and again.json()["error"]["reverted_by"] == r.json()["id"]
    # Reverting the revert applies the change again, in the change's own graph.
    assert revert(steward_server, r.json()["id"]).status_code == 201
    assert ask(steward_server.url, f"ASK {{ GRAPH <{BASE}graph/change/{change_id}> {{ <{samples.measure_iri(k)}> ?p ?o }} }}")


def test_revert_refuses_when_the_graph_has_moved_on(steward_server):
    k = samples.key()
    change_id = commit(steward_server, samples.valid(k)).json()["id"]
    commit(steward_server, remove=f'{samples.PREFIXES} <contract/perr-le-quesnoy/measure/t-{k}> pg:number "T{k}" .')
    before = graph_counts(steward_server.url)
    r = revert(steward_server, change_id)
    assert r.status_code == 409 and r.json()["error"]["gone"] == 1
    assert "has changed since" in r.json()["error"]["detail"]
    assert graph_counts(steward_server.url) == before


def test_a_revert_that_would_violate_is_refused(steward_server):
    k = samples.key()
    commit(steward_server, samples.valid(k))
    number = f'{samples.PREFIXES} <contract/perr-le-quesnoy/measure/t-{k}> pg:number '
    first = commit(steward_server, remove=number + f'"T{k}" .').json()["id"]
    assert commit(steward_server, number + '"autre" .').status_code == 201
    r = revert(steward_server, first, Accept="application/json")  # would give the measure two numbers
    assert r.status_code == 422
    assert r.json()["error"]["report"]["results"][0]["sourceShape"].endswith("#Numbered-number")


def test_removal_limited_to_one_graph(steward_server):
    k = samples.key()
    graph = commit(steward_server, samples.valid(k)).json()["graph"]
    triple = f'{samples.PREFIXES} <contract/perr-le-quesnoy/measure/t-{k}> pg:number "T{k}" .'
    elsewhere = commit(steward_server, remove=triple, graph=BASE + "graph/territories")
    assert elsewhere.status_code == 409
    assert commit(steward_server, remove=triple, graph=graph).status_code == 201


@pytest.mark.parametrize("document, message", [
    ({"add": "<urn:a> <urn:b> <urn:c> .", "source": "s"}, "needs a comment"),
    ({"add": "<urn:a> <urn:b> <urn:c> .", "comment": "c"}, "needs a source"),
    ({"comment": "c", "source": "s"}, "adds and removes nothing"),
    ({"add": "<urn:a> <urn:b> <urn:c> .", "remove": "<urn:a> <urn:b> <urn:c> .", "comment": "c", "source": "s"},
     "both adds and removes"),
    ({"added": "<urn:a> <urn:b> <urn:c> .", "comment": "c", "source": "s"}, "unknown field"),
    ({"add": "<urn:a> <urn:b> <urn:c> .", "comment": "c", "source": "s", "graph": "not an iri"}, "absolute IRI"),
])
def test_an_incomplete_change_set_is_a_400_and_writes_nothing(steward_server, document, message):
    before = graph_counts(steward_server.url)
    r = httpx.post(steward_server.url + "/changes", json=document, headers=auth())
    assert r.status_code == 400 and message in r.json()["error"]["detail"]
    assert graph_counts(steward_server.url) == before


def test_change_ids_are_unique_and_time_ordered():
    from policygraph.steward.change_log import is_id, new_id

    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids) and ids == sorted(ids) and all(is_id(i) for i in ids)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", ids[0])


# -- every write path refuses non-conforming data --------------------------------------------------

def _update(server, text):
    return httpx.post(server.url + "/update", content=text.encode(), timeout=120,
                      headers={**auth(), "Content-Type": "application/sparql-update"})


def _insert(turtle: str, graph: str) -> str:
    g = Graph().parse(data=turtle, format="turtle")
    return f"INSERT DATA {{ GRAPH <{graph}> {{ {g.serialize(format='nt')} }} }}"


def test_sparql_update_refuses_a_violation_and_accepts_a_warning(steward_server):
    before = graph_counts(steward_server.url)
    k = samples.key()
    r = _update(steward_server, _insert(samples.violating(k), BASE + "graph/source/test"))
    assert r.status_code == 422 and "MeasureAxisInContract" in r.json()["error"]["report"]
    r = httpx.post(steward_server.url + "/sparql", data={"update": _insert(samples.violating(k), BASE + "graph/x")},
                   headers=auth(), timeout=120)
    assert r.status_code == 422
    assert graph_counts(steward_server.url) == before
    ok = _update(steward_server, _insert(samples.warning_only(k), BASE + "graph/source/test"))
    assert ok.status_code == 200 and exists(steward_server, k)


def test_sparql_update_that_deletes_what_a_shape_requires_is_refused(steward_server):
    r = _update(steward_server, f"DELETE WHERE {{ GRAPH ?g {{ <{BASE}id/contract/perr-le-quesnoy> "
                                f"<{BASE}def#kind> ?k }} }}")
    assert r.status_code == 422 and "pg:kind" in r.json()["error"]["report"]


def test_graph_store_refuses_a_violation(steward_server):
    before = graph_counts(steward_server.url)
    for method in ("POST", "PUT"):
        r = httpx.request(method, steward_server.url + "/data", params={"graph": BASE + "graph/source/gsp-test"},
                          content=samples.violating(samples.key()).encode(), timeout=120,
                          headers={**auth(), "Content-Type": "text/turtle"})
        assert r.status_code == 422, r.text
    # Deleting a shipped graph would leave dangling references everywhere.
    r = httpx.delete(steward_server.url + "/data", params={"graph": BASE + "graph/territories"}, headers=auth(),
                     timeout=300)
    assert r.status_code == 422
    assert graph_counts(steward_server.url) == before
