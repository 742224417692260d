"""benchmarks/generate.py: seeded and deterministic, the size asked for, laid out like the shipped
dataset, shaped like the real contracts, and valid against shapes/."""

from __future__ import annotations

import sys
from pathlib import Path
from statistics import median

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402

from policygraph.model.namespaces import PG, TERRITORIES_GRAPH  # noqa: E402
from policygraph.validation.validator import Validator  # noqa: E402

GEOGRAPHY = Path(__file__).parent / "fixtures" / "geography.ttl"
TARGET = 20_000
PREFIXES = """PREFIX pg: <https://w3id.org/policygraph/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    return {name: (folder / f"{name}.nq", generate(TARGET, seed, folder / f"{name}.nq", GEOGRAPHY))
            for name, seed in (("first", 7), ("again", 7), ("other", 8))}


@pytest.fixture(scope="module")
def store(graphs) -> ox.Store:
    s = ox.Store()
    s.bulk_load(path=graphs["first"][0], format=ox.RdfFormat.N_QUADS)
    return s


def ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(PREFIXES + query, use_default_graph_as_union=True))


def select(store: ox.Store, query: str) -> list[tuple]:
    rows = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return [tuple(None if term is None else term.value for term in row) for row in rows]


# --- determinism and size -------------------------------------------------------------------------


def test_same_seed_and_geography_give_the_same_bytes(graphs):
    (first, stats), (again, stats_again) = graphs["first"], graphs["again"]
    assert first.read_bytes() == again.read_bytes()
    assert stats == stats_again


def test_another_seed_gives_another_graph(graphs):
    assert graphs["first"][0].read_bytes() != graphs["other"][0].read_bytes()


def test_size_is_within_ten_percent_and_every_statement_is_distinct(graphs, store):
    path, stats = graphs["first"]
    assert abs(stats.triples - TARGET) <= TARGET * 0.10
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines == stats.triples
    assert len(store) == stats.triples  # a store drops duplicates: the count is what it will hold
    assert stats.bytes == path.stat().st_size
    assert stats.geography_triples == 697  # the whole fixture: it is far below 45 % of the target


# --- the layout of the shipped dataset ------------------------------------------------------------


def test_each_document_has_its_named_graph_and_cites_only_its_own_passages(store, graphs):
    rows = select(store, """
        SELECT ?g ?passage WHERE { GRAPH ?g { ?resource pg:statedIn ?passage } }""")
    assert rows
    for graph, passage in rows:
        slug = graph.rsplit("/", 1)[1]
        assert graph.startswith("https://w3id.org/policygraph/graph/source/gen-")
        assert passage.startswith(f"https://w3id.org/policygraph/id/document/{slug}/passage/"), (graph, passage)
    documents = {g for g, _ in rows}
    assert len(documents) == graphs["first"][1].documents


def test_actors_are_described_once_in_the_reference_graph(store):
    rows = select(store, """
        SELECT ?actor (COUNT(?type) AS ?types) (COUNT(?label) AS ?labels) WHERE {
            GRAPH <https://w3id.org/policygraph/graph/reference> {
                ?actor a ?type . OPTIONAL { ?actor skos:prefLabel ?label FILTER(lang(?label) = "fr") }
            }
        } GROUP BY ?actor""")
    assert any(actor.endswith("/actor/etat") for actor, _, _ in rows)
    assert any("/actor/epci/" in actor for actor, _, _ in rows)
    assert all(types == "1" and labels == "1" for _, types, labels in rows), rows
    signers = select(store, "SELECT DISTINCT ?actor WHERE { ?s a pg:Signature ; pg:actor ?actor }")
    assert {a for (a,) in signers} <= {a for a, _, _ in rows}


# --- the shapes and link patterns of the real contracts ---------------------------------------------


def test_contracts_have_two_to_nine_axes_and_at_most_forty_measures_per_axis(store):
    axes = [int(n) for (n,) in select(store, """
        SELECT (COUNT(?axis) AS ?n) WHERE { ?c a pg:Contract . OPTIONAL { ?c pg:hasAxis ?axis } } GROUP BY ?c""")]
    assert axes and min(axes) >= 2 and max(axes) <= 9
    measures = [int(n) for (n,) in select(store, """
        SELECT (COUNT(?m) AS ?n) WHERE { ?m pg:inAxis ?axis } GROUP BY ?axis""")]
    assert measures and max(measures) <= 40
    assert ask(store, "ASK { ?sub pg:parentAxis ?axis . ?m pg:inAxis ?sub }")  # measures under sub-axes
    assert ask(store, "ASK { ?m pg:inObjective ?o }")  # and under objectives


def test_years_are_plausible(store):
    rows = select(store, """
        SELECT ?c ?start ?end ?signed WHERE {
            ?c a pg:Contract ; pg:startYear ?start ; pg:endYear ?end ; pg:signatureYear ?signed
        }""")
    contracts = select(store, "SELECT ?c WHERE { ?c a pg:Contract }")
    assert len(rows) == len(contracts)
    for contract, start, end, signed in rows:
        assert 2014 <= int(start) <= int(end) <= 2027, contract
        assert 2014 <= int(signed) <= int(end), contract


def test_scopes_follow_the_kind(store):
    rows = select(store, """
        SELECT ?kind ?type WHERE { ?c a pg:Contract ; pg:kind ?kind ; pg:scope ?scope . ?scope a ?type }""")
    by_kind: dict[str, set[str]] = {}
    for kind, cls in rows:
        by_kind.setdefault(kind.rsplit("/", 1)[1], set()).add(cls.rsplit("#", 1)[1])
    assert by_kind["contrat-de-ruralite"] == {"EPCI"}
    assert by_kind["contrat-de-ville"] <= {"QPV", "Commune", "EPCI"} and "QPV" in by_kind["contrat-de-ville"]
    assert by_kind["action-coeur-de-ville"] == {"Commune"}
    perimeters = select(store, """
        SELECT ?p ?member ?type WHERE {
            ?c pg:scope ?p . ?p a pg:AdHocPerimeter ; pg:contains ?member . ?member a ?type
        }""")
    assert perimeters and {cls for _, _, cls in perimeters} == {str(PG.EPCI)}


def test_qpv_codes_match_the_departement_of_their_commune(store):
    rows = select(store, """
        SELECT ?code ?commune WHERE { ?q a pg:QPV ; pg:qpvCode ?code ; pg:directlyWithin/pg:inseeCode ?commune }""")
    assert rows
    for code, commune in rows:
        departement = commune[:3] if commune.startswith("97") else commune[:2]
        assert code[2:5] == departement.zfill(3) and 500 <= int(code[5:]) <= 999, (code, commune)


def test_amendments_renewals_and_shares_are_generated(store):
    for query in (
        "ASK { ?a a pg:Amendment ; pg:amends ?c }",
        "ASK { ?a a pg:EnhancedCommitmentProtocol ; pg:amends ?c . "
        "      ?c pg:kind <https://w3id.org/policygraph/voc/contract-kind/contrat-de-ville> }",
        # a renewal: same kind, starting after the renewed contract ends
        "ASK { ?a pg:renews ?c . ?a pg:kind ?k ; pg:startYear ?start . ?c pg:kind ?k ; pg:endYear ?end "
        "      FILTER(xsd:integer(str(?start)) > xsd:integer(str(?end))) }",
        "ASK { ?share pg:shareOf ?total }",
    ):
        assert ask(store, query), query


def test_amounts_are_heavy_tailed(store):
    amounts = [float(a) for (a,) in select(store, "SELECT ?a WHERE { ?f a pg:FinancialCommitment ; pg:amount ?a }")]
    assert len(amounts) > 100
    assert max(amounts) > 20 * median(amounts)


# --- validation against shapes/ -------------------------------------------------------------------


# rdflib's own N-Quads parser uses a deprecated attribute of its Dataset.
@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
def test_output_conforms_to_the_shapes(graphs):
    dataset = Dataset()
    dataset.parse(graphs["first"][0], format="nquads")
    data = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        data.add((s, p, o))
    for name in ("policygraph.ttl", "vocabularies.ttl"):
        data.parse(ROOT / "ontology" / name, format="turtle")
    report = Validator.from_directory().validate(data)
    # Every violation fails; warnings ("should") only on what the generator wrote, since the geography is
    # the importer's output.
    importer_subjects = set(dataset.graph(TERRITORIES_GRAPH).subjects())
    warnings = [r for r in report.results if r.severity == "Warning" and r.focus_node not in importer_subjects]
    assert importer_subjects and report.conforms and not warnings, report.to_text("en")


# --- a graph smaller than the geography -------------------------------------------------------------


def test_a_small_target_keeps_whole_departements_without_dangling_links(tmp_path):
    full = ox.Store()
    full.load(path=GEOGRAPHY, format=ox.RdfFormat.TURTLE)
    out = tmp_path / "small.nq"
    stats = generate(1_200, 3, out, GEOGRAPHY)  # the geography may take 540 triples: not all 697
    assert abs(stats.triples - 1_200) <= 120
    assert stats.geography_triples < 697 and stats.documents >= 1
    small = ox.Store()
    small.bulk_load(path=out, format=ox.RdfFormat.N_QUADS)
    territories = f"<{TERRITORIES_GRAPH}>"
    dangling = list(small.query(PREFIXES + f"""
        SELECT ?s ?o WHERE {{ GRAPH {territories} {{ ?s ?p ?o FILTER(isIRI(?o) && CONTAINS(STR(?o), "/id/territory/"))
            FILTER NOT EXISTS {{ ?o ?anyP ?anyO }} }} }}"""))
    assert not dangling
    # Whole départements: each one kept comes with all its communes (directly or through an arrondissement).
    every = "SELECT ?d ?c WHERE { ?c a pg:Commune ; pg:directlyWithin/pg:directlyWithin? ?d . ?d a pg:Departement }"
    communes_of: dict[str, set[str]] = {}
    for d, c in select(full, every):
        communes_of.setdefault(d, set()).add(c)
    kept: dict[str, set[str]] = {}
    for d, c in select(small, every):
        kept.setdefault(d, set()).add(c)
    assert kept and len(kept) < len(communes_of)
    for d, communes in kept.items():
        assert communes == communes_of[d], d
