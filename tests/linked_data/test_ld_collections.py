"""Collections filter as a consumer expects and page with Hydra and ``Link: rel=next`` — checked
against the shipped data queried in-process."""

from __future__ import annotations

import httpx
import pytest
from ld_support import BASE

PG = BASE + "def#"
PREFIXES = f"PREFIX pg: <{PG}>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
UP = "(pg:directlyWithin|pg:within|^pg:contains)"


def select(reference, query: str) -> set[str]:
    return {row[0].value for row in reference.query(PREFIXES + query, use_default_graph_as_union=True)}


def members(server, path: str, **params) -> tuple[list[str], dict]:
    """Every member, following rel=next from the first page; and the first page's JSON."""
    url, first, found = server.url + path, None, []
    while url:
        r = httpx.get(url, params=params if url == server.url + path else None,
                      headers={"Accept": "application/ld+json"})
        assert r.status_code == 200, r.text
        doc = r.json()
        first = first or doc
        found += [m["id"] for m in doc.get("items", [])]
        url = r.links.get("next", {}).get("url")
        if url:
            assert doc["view"]["next"]["id"] == url
    return found, first


def contracts(reference, pattern: str) -> set[str]:
    return select(reference, f"SELECT DISTINCT ?m WHERE {{ ?m a ?c . ?c rdfs:subClassOf* pg:Contract . {pattern} }}")


@pytest.mark.parametrize("params, pattern", [
    ({"territory": "territory/departement/59"}, f"?m pg:scope ?s . ?s {UP}* <{BASE}id/territory/departement/59>"),
    ({"covering": "territory/commune/59481"},
     f"{{ <{BASE}id/territory/commune/59481> {UP}* ?t . ?m pg:scope ?t }} UNION "
     f"{{ <{BASE}id/territory/commune/59481> {UP}* ?a . ?t pg:contains+ ?a . ?m pg:scope ?t }}"),
    ({"actor": "actor/caf-nord"}, f"?k pg:actor <{BASE}id/actor/caf-nord> ; pg:commitsTo ?x . "
                                  "?x (pg:inContract|pg:axisOf|pg:inAxis|pg:parentAxis|pg:objectiveOf|pg:inObjective)* ?m"),
    ({"kind": "cper"}, f"?m pg:kind/skos:broader* <{BASE}voc/contract-kind/cper>"),
    ({"theme": "emploi"}, f"?m pg:theme/skos:broader* <{BASE}voc/theme/emploi>"),
    ({"q": "QUESNOY"}, '?m skos:prefLabel ?l FILTER(CONTAINS(LCASE(?l), "quesnoy"))'),
])
def test_contract_filters(ld_server, reference, params, pattern):
    found, first = members(ld_server, "/contracts", **params)
    expected = contracts(reference, pattern)
    assert expected, "the filter must select something in the shipped data"
    assert len(found) == len(set(found)) and set(found) == expected
    assert first["totalItems"] == len(expected)


def _year(value: str) -> int:
    return int(value[:4])


def test_in_force_on_a_date(ld_server, reference):
    """Started by then (start, else signature) and not ended; years compare with years."""
    day = "2021-06-30"
    rows = reference.query(PREFIXES + """SELECT ?m ?p ?v WHERE { ?m a ?c . ?c rdfs:subClassOf* pg:Contract .
      OPTIONAL { VALUES ?p { pg:startDate pg:startYear pg:signatureDate pg:signatureYear pg:endDate pg:endYear }
                 ?m ?p ?v } }""", use_default_graph_as_union=True)
    facts: dict[str, dict[str, list[str]]] = {}
    for m, p, v in rows:
        entry = facts.setdefault(m.value, {})
        if p is not None:
            entry.setdefault(p.value[len(PG):], []).append(v.value)
    expected = set()
    for contract, f in facts.items():
        if "startDate" in f:
            started = any(v <= day for v in f["startDate"])
        elif "startYear" in f:
            started = any(_year(v) <= 2021 for v in f["startYear"])
        elif "signatureDate" in f:
            started = any(v <= day for v in f["signatureDate"])
        else:
            started = any(_year(v) <= 2021 for v in f.get("signatureYear", []))
        if "endDate" in f:
            ended = any(v < day for v in f["endDate"])
        else:
            ended = any(_year(v) < 2021 for v in f.get("endYear", []))
        if started and not ended:
            expected.add(contract)
    found, _ = members(ld_server, "/contracts", in_force=day)
    assert expected and set(found) == expected
    assert BASE + "id/contract/cper-hauts-de-france-2021-2027" in expected
    assert BASE + "id/contract/cper-nord-pas-de-calais-2015-2020" not in expected


def test_territories_inside_a_territory_page_by_page(ld_server, reference):
    nord = BASE + "id/territory/departement/59"
    found, first = members(ld_server, "/territories", territory="territory/departement/59", limit="97")
    expected = select(reference, f"SELECT DISTINCT ?m WHERE {{ ?m a/rdfs:subClassOf* pg:Territory ; {UP}+ <{nord}> }}")
    assert len(expected) > 600  # the communes, arrondissements, EPCI… of the Nord
    assert len(found) == len(set(found)) and set(found) == expected
    assert first["totalItems"] == len(expected) and first["view"]["last"]["id"].endswith(f"page={-(-len(expected) // 97)}")
    assert first["search"]["template"].endswith("{?territory,type,code,q,page,limit}")


def test_other_collections_filter(ld_server, reference):
    found, _ = members(ld_server, "/actors", type="LocalAuthority", territory="territory/departement/59")
    assert set(found) == select(reference, f"""SELECT DISTINCT ?m WHERE {{ ?m a pg:LocalAuthority ;
      pg:governs ?g . ?g {UP}* <{BASE}id/territory/departement/59> }}""") != set()
    found, _ = members(ld_server, "/measures", contract="contract/perr-le-quesnoy")
    assert set(found) == select(reference, f"""SELECT DISTINCT ?m WHERE {{ ?m a pg:Measure ;
      (pg:inContract|pg:axisOf|pg:inAxis|pg:parentAxis|pg:objectiveOf|pg:inObjective)+ <{BASE}id/contract/perr-le-quesnoy> }}""")
    found, _ = members(ld_server, "/commitments", actor="actor/region/32", role="funder")
    assert set(found) == select(reference, f"""SELECT DISTINCT ?m WHERE {{ ?m a/rdfs:subClassOf* pg:Commitment ;
      pg:actor <{BASE}id/actor/region/32> ; pg:role <{BASE}voc/role/funder> }}""") != set()


def test_link_headers_and_hydra_view(ld_server):
    r = httpx.get(ld_server.url + "/territories", params={"type": "commune", "limit": "10", "page": "2"},
                  headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and "Accept" in r.headers["vary"]
    assert set(r.links) >= {"first", "prev", "next", "last"}
    doc = r.json()
    assert doc["type"] == ["Collection"] and doc["view"]["type"] == ["PartialCollectionView"]
    assert len(doc["items"]) == 10 and all(i["prefLabel"]["fr"] for i in doc["items"])
    assert doc["view"]["previous"]["id"] == r.links["prev"]["url"]


@pytest.mark.parametrize("path, params, status, phrase", [
    ("/contracts", {"territory": "territory/commune/00000"}, 400, "not a territory"),
    ("/contracts", {"territory": "actor/region/32"}, 400, "not a territory"),
    ("/contracts", {"kind": "banana"}, 400, "not a concept"),
    ("/contracts", {"in_force": "2021-02-30"}, 400, "not a date"),
    ("/contracts", {"colour": "red"}, 400, "unknown parameter"),
    ("/contracts", {"limit": "0"}, 400, "limit"),
    ("/contracts", {"limit": "100000"}, 400, "at most"),
    ("/contracts", {"page": "abc"}, 400, "whole number"),
    ("/contracts", {"page": "99"}, 404, "does not exist"),
    ("/territories", {"type": "Contract"}, 400, "not a kind of territories"),
    ("/territories", {"code": "59 481"}, 400, "INSEE"),
    ("/contracts", {"q": "x" * 300}, 400, "200 characters"),
])
def test_bad_filters_say_what_is_wrong(ld_server, path, params, status, phrase):
    r = httpx.get(ld_server.url + path, params=params)
    assert r.status_code == status, r.text
    assert phrase in r.json()["error"]["detail"]


def test_collections_are_pages_for_people_too(ld_server):
    r = httpx.get(ld_server.url + "/contracts", params={"covering": "territory/commune/59481"},
                  headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Contrat de ville du Quesnoy" in r.text and f'href="{ld_server.url}/id/contract/' in r.text
    assert '<input name="covering" value="territory/commune/59481"' in r.text
    r = httpx.get(ld_server.url + "/territories.html", params={"limit": "20"})
    assert 'rel="next"' in r.text


def test_collections_work_on_an_external_triplestore(ld_remote_server, reference):
    found, _ = members(ld_remote_server, "/contracts", territory="territory/departement/59")
    assert set(found) == contracts(reference, f"?m pg:scope ?s . ?s {UP}* <{BASE}id/territory/departement/59>")
