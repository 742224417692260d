"""The named competency queries of ``queries/``, run on the shipped graph, against answers checked by
hand in the source documents (the line numbers cite ``data/sources/documents/``).

The store is the real embedded store, loaded with the shipped files; the queries go through the same
path as ``/queries/{name}`` (typed parameters bound as RDF terms).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from policygraph.model.dataset import data_files
from policygraph.model.formats import RESULTS_JSON
from policygraph.queries.catalog import QueryCatalog
from policygraph.settings import Settings
from policygraph.store import QueryRequest, open_store

ID = "https://w3id.org/policygraph/id/"
VOC = "https://w3id.org/policygraph/voc/"
CATALOG = QueryCatalog.load()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = open_store(Settings.from_env(store_path=tmp_path_factory.mktemp("competency") / "store"))
    s.load_files(data_files())
    yield s
    s.close()


def run(store, name: str, **params: str) -> list[dict[str, str]]:
    query = CATALOG.get(name)
    request = QueryRequest(query.text, results_format=RESULTS_JSON, substitutions=query.bindings(params))
    data = json.loads(store.query(request).body)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


def ids(rows, key: str) -> set[str]:
    return {r[key].removeprefix(ID) for r in rows if key in r}


def test_there_are_at_least_twenty_competency_queries():
    documented = [q for q in CATALOG if q.title and q.description]
    assert len(documented) >= 20, [q.name for q in CATALOG]


def test_every_query_runs_with_its_defaults(store):
    for query in CATALOG:
        run(store, query.name)  # raises on a syntax or binding error


def test_contracts_covering_le_quesnoy(store):
    rows = run(store, "contracts-covering-commune", commune=ID + "territory/commune/59481")
    assert ids(rows, "contract") == {
        "contract/contrat-ville-le-quesnoy",  # 004 l.10-11: contrat de ville du Quesnoy, QP059043
        "contract/perr-le-quesnoy",  # 004 l.7-9: its protocol, on QP Cœur d'étoile
        "contract/pacte-sat",  # 001 l.1390: arrondissements d'Avesnes-sur-Helpe (Le Quesnoy's) and Vervins
        "contract/pacte-sat-2",  # 002 l.73: the same territory, until 2024
        "contract/contrat-rayonnement-touristique-sat",  # 002 l.79: contrat de rayonnement touristique de la SAT
        "contract/contrat-destination-sat",  # 002 l.79: its transformation into a contrat de destination
        "contract/convention-pauvrete-nord",  # 001 l.885: the Nord, first département to sign
        "contract/accord-relance-nord",  # 000 l.115: accord départemental de relance pour le Nord
        "contract/charte-agriculture-urbanisme-nord",  # 001 l.2081: échelle, Département du Nord
        "contract/cper-nord-pas-de-calais-2015-2020",  # 001 l.249: CPER of the ex-région Nord-Pas-de-Calais
        "contract/cper-hauts-de-france-2021-2027",  # 002 l.11: CPER Hauts-de-France
        "contract/fratri-avenant-2019",  # 001 l.796: FRATRI in the Hauts-de-France
    }
    through = {(r["contract"].removeprefix(ID), r["through"].removeprefix(ID)) for r in rows}
    assert ("contract/contrat-ville-le-quesnoy", "territory/commune/59481") in through
    assert ("contract/perr-le-quesnoy", "territory/qpv/QP059043") in through
    assert ("contract/pacte-sat", "territory/perimeter/sambre-avesnois-thierache") in through
    assert ("contract/cper-nord-pas-de-calais-2015-2020", "territory/perimeter/ex-region-nord-pas-de-calais") in through
    assert ("contract/convention-pauvrete-nord", "territory/departement/59") in through
    # Not the bassin minier (the ERBM's 8 EPCI do not include the CC du Pays de Mormal), nor the Cambrésis.
    assert "contract/erbm" not in ids(rows, "contract")
    assert "contract/strategie-avenir-cambresis" not in ids(rows, "contract")


def test_who_pays_for_le_quesnoy(store):
    rows = run(store, "funding-covering-commune", commune=ID + "territory/commune/59481")
    money = {(r["contract"].removeprefix(ID), r["funder"].removeprefix(ID), Decimal(r["amount"])) for r in rows}
    assert ("contract/accord-relance-nord", "actor/etat", Decimal(100_000_000)) in money  # 000 l.121
    assert ("contract/accord-relance-nord", "actor/departement/59", Decimal(97_000_000)) in money  # 000 l.131
    assert ("contract/pacte-sat-2", "actor/departement/59", Decimal(120_000_000)) in money  # 000 l.86
    assert ("contract/pacte-sat", "actor/departement/59", Decimal(65_000_000)) in money  # 000 l.88


def test_the_sixteen_signatories_of_the_le_quesnoy_protocol(store):
    rows = run(store, "contract-signatories", contract=ID + "contract/perr-le-quesnoy")
    people = {(r["actor"].removeprefix(ID), r.get("personLabel")) for r in rows}
    assert people == {  # 004 l.408-486, two columns at a time
        ("actor/etat", "Daniel BARNIER"),
        ("actor/region/32", "Xavier BERTRAND"),
        ("actor/departement/59", "Jean-René LECERF"),
        ("actor/commune/59481", "Marie-Sophie LESNE"),
        ("actor/epci/200043321", "Guislain CAMBIER"),
        ("actor/etat/parquet-avesnes-sur-helpe", "Cécile GRESSIER"),
        ("actor/etat/rectorat-lille", "Valérie CABUIL"),
        ("actor/caisse-des-depots-hauts-de-france", "Gaëlle VELAY"),
        ("actor/pole-emploi-hauts-de-france", "Nadine CRINIER"),
        ("actor/ars-hauts-de-france", "Étienne CHAMPION"),
        ("actor/cpam-hainaut", "Yvan TALPAERT"),
        ("actor/sigh", "Pierre TONNEAU"),
        ("actor/partenord-habitat", "Christophe BECUWE"),
        ("actor/promocil", "Jean-Pierre CHOËL"),
        ("actor/caf-nord", "Lydie LIBRIZZI"),
        ("actor/caf-nord", "Luc GRARD"),
    }
    posts = {r["personLabel"]: r["postLabel"] for r in rows if "postLabel" in r}
    assert posts["Marie-Sophie LESNE"] == "Maire du Quesnoy"
    assert "Rectrice" in posts["Valérie CABUIL"]


def test_financial_commitments_of_the_state(store):
    rows = run(store, "actor-financial-commitments", actor=ID + "actor/etat")
    amounts = {(r["commitment"].removeprefix(ID), Decimal(r["amount"])) for r in rows}
    assert ("contract/erbm/funding/rehabilitation-etat", Decimal(100_000_000)) in amounts  # 001 l.1249
    assert ("contract/cdt-calaisis/funding/etat", Decimal(50_000_000)) in amounts  # 001 l.970
    assert ("contract/cdt-amienois/funding/nemo-etat", Decimal(13_100_000)) in amounts  # 001 l.1069
    assert ("contract/pacte-metropolitain-mel/funding/etat", Decimal(11_600_000)) in amounts  # 001 l.341
    approx = {r["commitment"].removeprefix(ID): r.get("qualifier", "").removeprefix(VOC) for r in rows}
    assert approx["project/faitout-connecte/funding/etat"] == "qualifier/more-than"  # 001 l.447 « plus de 300 000 »


def test_measures_about_health(store):
    rows = run(store, "measures-by-theme", theme=VOC + "theme/sante")
    quesnoy = {r["number"] for r in rows if r.get("contract", "").endswith("contract/perr-le-quesnoy")}
    assert {"17", "18", "20", "21"} <= quesnoy  # 004 l.86-103: Santé et accès aux droits


def test_contracts_in_force_in_2019(store):
    rows = run(store, "contracts-in-force", year="2019")
    in_force = ids(rows, "contract")
    assert {"contract/erbm", "contract/contrat-ville-le-quesnoy", "contract/pacte-sat"} <= in_force
    assert "contract/cper-nord-pas-de-calais-2015-2020" in in_force  # 001 l.249: 2015-2020
    assert "contract/cper-hauts-de-france-2021-2027" not in in_force  # 002 l.11: 2021-2027


def test_amendments_of_the_le_quesnoy_contrat_de_ville(store):
    rows = run(store, "contract-amendments", contract=ID + "contract/contrat-ville-le-quesnoy")
    assert {(r["relation"], r["other"].removeprefix(ID)) for r in rows} == {
        ("amended by", "contract/perr-le-quesnoy"),  # 004 l.7: « Avenant au contrat de ville du Quesnoy »
    }


def test_contrats_de_ville_per_departement(store):
    rows = run(store, "kind-figures-by-departement", kind=VOC + "contract-kind/contrat-de-ville")
    figures = {(r["departement"].removeprefix(ID), r["quantity"].removeprefix(VOC), Decimal(r["value"]))
               for r in rows if r["document"].endswith("001_e4eb26213127c0cf")}
    assert figures == {  # 001 l.1849-1853
        ("territory/departement/02", "quantity/contracts", 8), ("territory/departement/02", "quantity/qpv", 17),
        ("territory/departement/02", "quantity/inhabitants", 38492),
        ("territory/departement/59", "quantity/contracts", 13), ("territory/departement/59", "quantity/qpv", 92),
        ("territory/departement/59", "quantity/inhabitants", 371149),
        ("territory/departement/60", "quantity/contracts", 9), ("territory/departement/60", "quantity/qpv", 18),
        ("territory/departement/60", "quantity/inhabitants", 68743),
        ("territory/departement/62", "quantity/contracts", 11), ("territory/departement/62", "quantity/qpv", 64),
        ("territory/departement/62", "quantity/inhabitants", 161099),
        ("territory/departement/80", "quantity/contracts", 2), ("territory/departement/80", "quantity/qpv", 9),
        ("territory/departement/80", "quantity/inhabitants", 38939),
    }


def test_contracts_per_kind(store):
    counts = {r["kind"].removeprefix(VOC): int(r["contracts"]) for r in run(store, "contracts-by-kind")}
    # 001 l.527: 5 CRSD (Arras, Cambrai, Laon/Couvron, Noyon, Creil), and l.538: Creil's avenant
    assert counts["contract-kind/crsd"] == 6
    assert counts["contract-kind/cper"] >= 3  # 2 CPER 2015-2020 and the CPER 2021-2027 (plus avenants)


def test_structure_of_the_le_quesnoy_protocol(store):
    rows = run(store, "contract-structure", contract=ID + "contract/perr-le-quesnoy")
    measures = {r["measureNumber"] for r in rows if "measureNumber" in r}
    assert measures == {str(n) for n in range(1, 33)}  # 004: actions 1 to 32
    axes = {r["axisNumber"]: r["axisLabel"] for r in rows}
    assert axes["1"] == "Cohésion sociale" and axes["2"] == "Logement et cadre de vie"
    assert axes["3"] == "Emploi et développement économique"
    by_number = {r["measureNumber"]: r["axisNumber"] for r in rows if "measureNumber" in r}
    assert by_number["22"] == "2" and by_number["32"] == "3" and by_number["1"] == "1.1"


def test_erbm_money_by_funder(store):
    rows = run(store, "contract-funding-by-funder", contract=ID + "contract/erbm")
    totals = {r["funder"].removeprefix(ID): Decimal(r["total"]) for r in rows}
    assert totals["actor/etat"] == 100_000_000  # 001 l.1249: État 100 000 000 euros
    assert totals["actor/region/32"] == 30_000_000  # 001 l.1249: Conseil régional 30 000 000 euros


def test_territory_coverage_of_the_cc_du_pays_de_mormal(store):
    rows = run(store, "territory-covered-by", territory=ID + "territory/epci/200043321")
    assert {"contract/pacte-sat", "contract/pacte-sat-2"} <= ids(rows, "contract")


def test_commitments_of_the_departement_du_nord(store):
    rows = run(store, "actor-commitments", actor=ID + "actor/departement/59")
    targets = ids(rows, "target")
    assert {"contract/perr-le-quesnoy", "contract/strategie-avenir-cambresis", "contract/accord-relance-nord"} <= targets


def test_the_sources_disagree_on_the_bassin_minier(store):
    rows = run(store, "disagreeing-figures")
    communes = {(Decimal(r["value1"]), r["document1"][-20:], Decimal(r["value2"]), r["document2"][-20:])
                for r in rows if r["subject"].endswith("territory/perimeter/bassin-minier")
                and r["quantity"].endswith("quantity/communes")}
    # 001 l.1175 « 250 communes » ; 002 l.49 « 251 communes »
    assert (Decimal(250), "001_e4eb26213127c0cf", Decimal(251), "002_ad138d081d22068a") in communes


def test_sources_of_the_erbm(store):
    rows = run(store, "contract-provenance", contract=ID + "contract/erbm")
    documents = {r["document"].rsplit("/", 1)[-1] for r in rows}
    assert {"000_daf5b2d1eb9ee127", "001_e4eb26213127c0cf", "002_ad138d081d22068a"} <= documents
    assert any("Signé le 7 mars 2017, à Oignies" in r["quote"] for r in rows)


def test_people_in_posts(store):
    rows = run(store, "posts-and-persons")
    held = {(r["personLabel"], r["postLabel"]) for r in rows}
    assert ("Xavier BERTRAND", "Président du Conseil Régional des Hauts-de-France") in held or any(
        p == "Xavier BERTRAND" and "Conseil" in post and "Hauts-de-France" in post for p, post in held)
    assert any(p.lower() == "michel lalande" for p, _ in held)  # 001 l.43: directeur de publication


def test_identity_sheet_of_the_contrat_de_ruralite(store):
    rows = run(store, "kind-identity-sheet", kind=VOC + "contract-kind/contrat-de-ruralite")
    values = {r["property"].rsplit("#", 1)[-1]: r["value"] for r in rows}
    assert "23 juin 2016" in values["creationNote"]  # 001 l.1875: circulaire du 23 juin 2016
    domains = {r["value"] for r in rows if r["property"].endswith("#domain")}
    assert any("mobilité" in d for d in domains)


def test_projects_of_the_cdt_amienois(store):
    rows = run(store, "projects-of-contract", contract=ID + "contract/cdt-amienois")
    costs = {r["project"].removeprefix(ID): Decimal(r["totalCost"]) for r in rows if "totalCost" in r}
    assert costs["project/nemo-bhns-amiens"] == 122_000_000  # 001 l.1069
    assert costs["project/chu-amiens-sud"] == 95_000_000  # 001 l.1133


def test_qpv_and_their_contracts(store):
    rows = run(store, "qpv-and-contracts")
    row = {(r["code"], r["commune"].removeprefix(ID), r["epci"].removeprefix(ID)) for r in rows}
    assert row == {("QP059043", "territory/commune/59481", "territory/epci/200043321")}
    assert ids(rows, "contract") == {"contract/contrat-ville-le-quesnoy", "contract/perr-le-quesnoy"}


def test_governance_bodies(store):
    rows = run(store, "governance-bodies")
    erbm = {r["label"] for r in rows if r.get("of", "").endswith("contract/erbm")}
    assert any("santé" in label.lower() for label in erbm)  # 002 l.67: GT « santé »


def test_largest_commitments(store):
    rows = run(store, "largest-commitments")
    amounts = [Decimal(r["amount"]) for r in rows]
    assert amounts == sorted(amounts, reverse=True) and len(rows) <= 20
    assert Decimal(400_000_000) in amounts  # 003 l.73: Caisse des dépôts, 400 millions € jusque 2020


def test_contracts_signed_in_2017_and_2018(store):
    rows = run(store, "contracts-signed-between", **{"from": "2017-01-01", "to": "2018-12-31"})
    dates = {r["contract"].removeprefix(ID): r["signatureDate"] for r in rows}
    assert dates["contract/erbm"] == "2017-03-07"  # 001 l.1175
    assert dates["contract/cdt-amienois"] == "2017-03-16"  # 001 l.1033
    assert dates["contract/pacte-sat"] == "2018-11-07"  # 001 l.1370
    assert "contract/cdt-calaisis" not in dates  # signed 13 November 2015 (001 l.943)


def test_legal_form_of_coeur_d_ostrevent_over_time(store):
    rows = run(store, "epci-legal-status", epci=ID + "territory/epci/245901152")
    by_year = {r["year"]: r["type"].removeprefix(VOC) for r in rows}
    assert by_year["2019"] == "epci-type/CC"  # 001 l.1175: « communautés de communes de Coeur d'Ostrevent »
    assert by_year["2026"] == "epci-type/CA"  # Code officiel géographique 2026


def test_lineage_of_contracts(store):
    pairs = {(r["earlier"].removeprefix(ID), r["later"].removeprefix(ID), r["relation"])
             for r in run(store, "contract-lineage")}
    assert ("contract/pacte-sat", "contract/pacte-sat-2", "renews") in pairs  # 002 l.73
    assert ("contract/cper-picardie-2015-2020", "contract/cper-hauts-de-france-2021-2027", "succeeds") in pairs


def test_contracts_the_region_signed(store):
    rows = run(store, "contracts-of-actor-as-signatory", actor=ID + "actor/region/32")
    assert {"contract/perr-le-quesnoy", "contract/erbm", "contract/pacte-sat"} <= ids(rows, "contract")


def test_contracts_per_departement(store):
    rows = run(store, "contracts-per-departement")
    nord = {r["kind"].removeprefix(VOC): int(r["contracts"]) for r in rows
            if r["departement"].endswith("departement/59")}
    assert nord["contract-kind/contrat-de-ville"] >= 1 and nord["contract-kind/cper"] >= 2
