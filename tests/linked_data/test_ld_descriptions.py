"""What a resource returns: its triples, its parts, labels of what it links to, the links to it,
what covers a territory, and its provenance — checked against the shipped data, queried in-process."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
from ld_support import BASE, triples

PG = BASE + "def#"
PREFIXES = f"PREFIX pg: <{PG}>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
PERR = BASE + "id/contract/perr-le-quesnoy"
QUESNOY = BASE + "id/territory/commune/59481"


def select(reference, query: str) -> set[str]:
    return {row[0].value for row in reference.query(PREFIXES + query, use_default_graph_as_union=True)}


def get_json(server, iri: str) -> dict:
    r = httpx.get(server.local(iri), headers={"Accept": "application/ld+json"})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_resource_returns_all_its_own_triples(ld_server, reference):
    got = triples(httpx.get(ld_server.local(PERR) + ".nt").content, ox.RdfFormat.N_TRIPLES)
    own = {str(q.triple) for q in reference.quads_for_pattern(ox.NamedNode(PERR), None, None, None)}
    assert own and own <= got


def test_a_contract_embeds_axes_measures_and_commitments_and_names_its_parties(ld_server, reference):
    doc = get_json(ld_server, PERR)
    assert doc["id"] == PERR and "EnhancedCommitmentProtocol" in doc["type"]
    assert doc["prefLabel"]["fr"].startswith("Protocole d'engagements")
    axes = {a["id"] for a in doc["hasAxis"]}
    assert axes == select(reference, f"SELECT ?a WHERE {{ <{PERR}> pg:hasAxis ?a }}")
    nested_measures = {m["id"] for a in doc["hasAxis"] for s in a.get("subAxes", []) for m in s.get("measures", [])}
    nested_measures |= {m["id"] for a in doc["hasAxis"] for m in a.get("measures", [])}
    in_axes = select(reference, f"SELECT ?m WHERE {{ ?m a pg:Measure ; pg:inAxis ?x . ?x pg:axisOf <{PERR}> }}")
    assert in_axes and in_axes <= nested_measures
    signatures = [c for c in doc["commitments"] if "Signature" in c["type"]]
    expected = select(reference, f"SELECT ?s WHERE {{ ?s a pg:Signature ; pg:commitsTo <{PERR}> }}")
    assert {s["id"] for s in signatures} == expected
    for s in signatures:  # the signatory is referenced by its IRI, with its label
        assert s["actor"]["id"].startswith(BASE + "id/actor/") and s["actor"]["prefLabel"]["fr"]
        assert s["role"][0]["prefLabel"]["fr"]


def test_provenance_comes_with_the_resource(ld_server, reference):
    doc = get_json(ld_server, PERR)
    passages = {p["id"]: p for p in doc["statedIn"]}
    assert set(passages) == select(reference, f"SELECT ?p WHERE {{ <{PERR}> pg:statedIn ?p }}")
    for passage in passages.values():
        assert passage["quote"] and passage["lineStart"] <= passage["lineEnd"]
        assert passage["inDocument"]["prefLabel"]["fr"]


def test_a_territory_lists_the_contracts_that_cover_it(ld_server, reference):
    """Its scope, or a territory containing it (EPCI, arrondissement, département, région, perimeters)."""
    doc = get_json(ld_server, QUESNOY)
    covering = {c["id"] for c in doc["coveredBy"]}
    expected = select(reference, f"""SELECT ?c WHERE {{
      {{ <{QUESNOY}> (pg:directlyWithin|pg:within|^pg:contains)* ?t . ?c pg:scope ?t }}
      UNION {{ <{QUESNOY}> (pg:directlyWithin|pg:within|^pg:contains)* ?a . ?t pg:contains+ ?a . ?c pg:scope ?t }} }}""")
    assert covering == expected
    assert BASE + "id/contract/contrat-ville-le-quesnoy" in covering  # scoped on the commune itself
    assert BASE + "id/contract/cper-hauts-de-france-2021-2027" in covering  # scoped on the région
    for c in doc["coveredBy"]:
        assert c.get("prefLabel"), c["id"]
    # and what is inside it: its QPV
    assert BASE + "id/territory/qpv/QP059043" in {q["id"] for q in doc["directlyContains"]}


def test_an_actor_lists_its_commitments(ld_server, reference):
    region = BASE + "id/actor/region/32"
    doc = get_json(ld_server, region)
    got = {c["id"] for c in doc["actorOf"]}
    assert got == select(reference, f"SELECT ?c WHERE {{ ?c pg:actor <{region}> }}") and len(got) > 5
    for c in doc["actorOf"]:
        [target] = c["commitsTo"]  # not functional: always an array
        assert target["id"].startswith(BASE) and (target.get("prefLabel") or target.get("type"))


def test_values_are_typed(ld_server):
    funding = get_json(ld_server, BASE + "id/contract/pacte-metropolitain-mel/funding/etat")
    assert funding["amount"] == "11600000" and funding["currency"] == "EUR"  # a decimal, as a string
    commune = get_json(ld_server, QUESNOY)
    assert commune["population"] == 4878 and commune["millesime"] == "2026"
    assert commune["prefLabel"] == {"fr": "Le Quesnoy"}


def test_an_iri_known_only_as_an_object_still_dereferences(ld_server, reference):
    """A concept that only other resources mention answers with the links to it."""
    only_objects = select(reference, f"""SELECT ?o WHERE {{ ?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{BASE}id/")
      && !CONTAINS(STR(?o), "#")) FILTER NOT EXISTS {{ ?o ?q ?x }} }}""")
    for iri in sorted(only_objects)[:5]:
        r = httpx.get(ld_server.local(iri), headers={"Accept": "text/turtle"})
        assert r.status_code == 200 and f"<{iri}>" in r.text


def test_html_page_of_a_contract_reads_in_order(ld_server):
    html = httpx.get(ld_server.local(PERR), headers={"Accept": "text/html"}).text
    positions = [html.find(marker) for marker in ("<h1", "<dt>contract kind", "<dt>parties", "<dt>start year",
                                                   "<dt>territorial scope", "Axes and measures", "Sources",
                                                   "SPARQL queries that produce")]
    assert -1 not in positions and positions == sorted(positions), positions
    assert 'href="' + ld_server.url + '/id/contract/perr-le-quesnoy.ttl"' in html
    assert "/.well-known/void" in html


def test_money_by_funder_sums_what_the_sources_state(ld_server, reference):
    erbm = BASE + "id/contract/erbm"
    html = httpx.get(ld_server.local(erbm), headers={"Accept": "text/html"}).text
    assert "Money by funder" in html
    rows = reference.query(PREFIXES + f"""SELECT ?a (SUM(?v) AS ?total) WHERE {{
      ?c a pg:FinancialCommitment ; pg:actor ?a ; pg:amount ?v .
      FILTER(STRSTARTS(STR(?c), "{erbm}/")) }} GROUP BY ?a""", use_default_graph_as_union=True)
    totals = [row[1].value for row in rows]
    assert totals
    for total in totals:
        digits = f"{int(float(total)):,}".replace(",", "\u202f")
        assert digits in html, total
