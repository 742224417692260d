"""`policygraph import territories`: the importer on real extracts, its errors, and the shipped file."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from policygraph.cli import main
from policygraph.model.dataset import project_root
from policygraph.model.namespaces import ID, IGEO, INSEE_GEO, PG, VOC

FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED = project_root() / "data" / "territories" / "hauts-de-france.ttl"
SHAPES = project_root() / "shapes" / "territories.ttl"
SOURCE = ID["source/decoupage-administratif-6.0.0"]
# (XSD spelled out: pytest probes module globals, and rdflib warns when it probes XSD.)
Y2026 = Literal("2026", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))


def t(kind: str, code: str) -> URIRef:
    return ID[f"territory/{kind}/{code}"]


def run_import(*args: str) -> int:
    return main(["import", "territories", *args])


def fixture_json(name: str) -> list[dict]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def count(g: Graph, cls: URIRef) -> int:
    return len(set(g.subjects(RDF.type, cls)))


@pytest.fixture(scope="module")
def region_graph(tmp_path_factory) -> Graph:
    out = tmp_path_factory.mktemp("region") / "hdf.ttl"
    assert run_import("--source", str(FIXTURES), "--output", str(out)) == 0
    return Graph().parse(out)


@pytest.fixture(scope="module")
def all_graph(tmp_path_factory) -> Graph:
    out = tmp_path_factory.mktemp("all") / "all.ttl"
    assert run_import("--source", str(FIXTURES), "--region", "all", "--output", str(out)) == 0
    return Graph().parse(out)


# --- the importer on the fixture ---------------------------------------------------------------


def test_region_keeps_its_communes_departements_and_touching_epci(region_graph):
    g = region_graph
    communes = [c for c in fixture_json("communes.json") if c["region"] == "32"]
    kinds = Counter(c["type"] for c in communes)
    assert count(g, PG.Commune) == kinds["commune-actuelle"] == 24
    assert count(g, IGEO.CommuneDeleguee) == kinds["commune-deleguee"] == 2
    assert count(g, IGEO.CommuneAssociee) == kinds["commune-associee"] == 1
    assert set(g.subjects(RDF.type, PG.Region)) == {t("region", "32")}
    assert set(g.subjects(RDF.type, PG.Departement)) == {t("departement", c) for c in ("02", "59", "62", "80")}
    assert set(g.subjects(RDF.type, PG.EPCI)) == {t("epci", "245900758"), t("epci", "247600588")}
    # Nothing of région 28 (Seine-Maritime) leaks in, not even as the object of a link.
    assert not [o for o in g.objects() if isinstance(o, URIRef) and "/departement/76" in str(o)]


def test_straddling_epci_lists_only_members_in_the_region(region_graph, all_graph):
    villes_soeurs = next(e for e in fixture_json("epci.json") if e["code"] == "247600588")
    in_32 = {c["code"] for c in fixture_json("communes.json") if c["region"] == "32"}
    expected = {t("commune", m["code"]) for m in villes_soeurs["membres"] if m["code"] in in_32}
    assert 0 < len(expected) < len(villes_soeurs["membres"])
    assert set(region_graph.subjects(PG.directlyWithin, t("epci", "247600588"))) == expected
    everyone = {t("commune", m["code"]) for m in villes_soeurs["membres"]}
    assert set(all_graph.subjects(PG.directlyWithin, t("epci", "247600588"))) == everyone


def test_hierarchy_chef_lieu_and_commune_facts(region_graph):
    g = region_graph
    lille = t("commune", "59350")
    record = next(c for c in fixture_json("communes.json") if c["code"] == "59350")
    assert record["arrondissement"] == "595"
    assert (t("region", "32"), PG.chefLieu, lille) in g
    assert (t("departement", "59"), PG.directlyWithin, t("region", "32")) in g
    assert (t("arrondissement", "595"), PG.directlyWithin, t("departement", "59")) in g
    assert set(g.objects(lille, PG.directlyWithin)) == {t("arrondissement", "595")}  # its EPCI is not in the fixture
    assert g.value(lille, SKOS.prefLabel) == Literal("Lille", lang="fr")
    assert g.value(lille, PG.inseeCode) == Literal("59350")
    assert g.value(lille, PG.siren) == Literal(record["siren"])
    assert g.value(lille, PG.population) == Literal(record["population"])
    assert {str(p) for p in g.objects(lille, PG.postalCode)} == set(record["codesPostaux"])
    # A département chef-lieu the output does not describe is left out rather than left dangling.
    assert g.value(t("departement", "80"), PG.chefLieu) is None


def test_commune_deleguee_is_a_distinct_part_of_its_commune(region_graph):
    g = region_graph
    deleguee, commune = t("commune-deleguee", "02018"), t("commune", "02018")
    assert set(g.objects(deleguee, RDF.type)) == {PG.Territory, IGEO.CommuneDeleguee}
    assert (deleguee, PG.directlyWithin, commune) in g
    assert g.value(deleguee, SKOS.prefLabel) == Literal("Anizy-le-Château", lang="fr")
    assert g.value(commune, SKOS.prefLabel) == Literal("Anizy-le-Grand", lang="fr")
    assert (commune, RDF.type, PG.Commune) in g and (deleguee, RDF.type, PG.Commune) not in g
    assert (t("commune-associee", "02285"), PG.directlyWithin, t("commune", "59545")) in g


def test_outre_mer_and_arrondissements_municipaux(all_graph):
    g = all_graph
    spm = t("collectivite-outre-mer", "975")
    assert set(g.objects(spm, RDF.type)) == {PG.Territory, IGEO.CollectiviteDOutreMer}
    assert (t("region", "975"), None, None) not in g and (t("departement", "975"), None, None) not in g
    assert (t("commune", "97502"), PG.directlyWithin, spm) in g
    assert (spm, PG.chefLieu, t("commune", "97502")) in g
    # Mayotte has no arrondissements: its communes are directly within the département.
    assert set(g.objects(t("commune", "97611"), PG.directlyWithin)) == {t("departement", "976")}
    marseille_1 = t("arrondissement-municipal", "13201")
    assert (marseille_1, RDF.type, IGEO.ArrondissementMunicipal) in g
    assert (marseille_1, PG.directlyWithin, t("commune", "13055")) in g
    assert g.value(marseille_1, PG.population) == Literal(37599)
    assert g.value(marseille_1, PG.postalCode) is None  # pg:postalCode's domain is pg:Commune


def test_legal_kind_is_a_dated_status_from_the_2026_cog(all_graph):
    g = all_graph
    epci = t("epci", "245900758")
    assert g.value(epci, PG.epciType) is None
    status = g.value(epci, PG.legalStatus)
    assert status == ID["territory/epci/245900758/status/2026-cog"]
    assert (status, RDF.type, PG.LegalStatus) in g
    assert g.value(status, PG.epciType) == VOC["epci-type/CC"]
    assert g.value(status, PG.validIn) == Y2026
    assert g.value(status, PROV.wasDerivedFrom) == SOURCE
    record = next(e for e in fixture_json("epci.json") if e["code"] == "245900758")
    assert g.value(epci, PG.population) == Literal(record["populationMunicipale"])
    assert g.value(epci, PG.totalPopulation) == Literal(record["populationTotale"])
    assert g.value(epci, PG.financingMode) == Literal(record["modeFinancement"])
    assert g.value(epci, PG.siren) == Literal("245900758")


def test_every_territory_says_its_millesime_and_source(all_graph):
    g = all_graph
    territories = set(g.subjects(PG.inseeCode, None))
    # Every record is one territory, except that an outre-mer collectivity listed both in regions.json
    # and departements.json is one resource.
    departements = [d for d in fixture_json("departements.json") if d["zone"] != "com"]
    expected = (len(fixture_json("communes.json")) + len(fixture_json("regions.json")) + len(departements)
                + len(fixture_json("arrondissements.json")) + len(fixture_json("epci.json")))
    assert len(territories) == expected == 69
    for s in territories:
        assert g.value(s, PG.millesime) == Y2026, s
        assert g.value(s, PROV.wasDerivedFrom) == SOURCE, s
    assert (SOURCE, RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset")) in g


def test_insee_links(all_graph):
    g = all_graph
    assert (t("commune", "59350"), SKOS.closeMatch, INSEE_GEO["commune/59350"]) in g
    assert (t("departement", "59"), SKOS.closeMatch, INSEE_GEO["departement/59"]) in g
    assert (t("region", "32"), SKOS.closeMatch, INSEE_GEO["region/32"]) in g


def test_idempotent_byte_for_byte(tmp_path):
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert run_import("--source", str(FIXTURES), "--region", "all", "--output", str(first)) == 0
    assert run_import("--source", str(FIXTURES), "--region", "all", "--output", str(second)) == 0
    assert first.read_bytes() == second.read_bytes()
    assert run_import("--source", str(FIXTURES), "--region", "all", "--output", str(first)) == 0  # over itself
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ttl", "b.ttl"]  # no temporary file left


# --- errors: a clear message naming file and problem, exit 2, nothing written ----------------


def broken_copy(tmp_path: Path, name: str, edit) -> Path:
    folder = tmp_path / "source"
    shutil.copytree(FIXTURES, folder)
    path = folder / name
    edit(path)
    return folder


def _drop_field(path: Path, code: str, field: str) -> None:
    records = json.loads(path.read_text(encoding="utf-8"))
    for r in records:
        if r["code"] == code:
            del r[field]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def _set_field(path: Path, code: str, field: str, value) -> None:
    records = json.loads(path.read_text(encoding="utf-8"))
    for r in records:
        if r["code"] == code:
            r[field] = value
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


ERRORS = {
    "missing file": ("epci.json", lambda p: p.unlink(), "epci.json: file not found"),
    "invalid JSON": ("communes.json", lambda p: p.write_text(p.read_text()[:500], encoding="utf-8"),
                     "communes.json: invalid JSON at line 4, column 52: Unterminated string"),
    "missing field": ("communes.json", lambda p: _drop_field(p, "59350", "nom"),
                      "communes.json: record 59350: missing field 'nom'"),
    "ill-typed field": ("communes.json", lambda p: _set_field(p, "59350", "population", "236710"),
                        "communes.json: record 59350: field 'population' must be a non-negative integer, got \"236710\""),
    "unknown EPCI kind": ("epci.json", lambda p: _set_field(p, "245900758", "type", "SAN"),
                          "epci.json: record 245900758: field 'type' has an unknown value 'SAN'"),
    "dangling member": ("communes.json", lambda p: p.write_text(
        json.dumps([r for r in json.loads(p.read_text()) if r["code"] != "59212"]), encoding="utf-8"),
        "epci.json: record 245900758: member commune 59212 is not defined"),
    "not a list": ("regions.json", lambda p: p.write_text('{"code": "32"}', encoding="utf-8"),
                   "regions.json: expected a JSON list of records, found dict"),
    "other version": ("package.json", lambda p: p.write_text(
        json.dumps({"name": "@etalab/decoupage-administratif", "version": "5.3.0"}), encoding="utf-8"),
        "package.json: this is @etalab/decoupage-administratif@5.3.0"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_name_file_and_problem_and_write_nothing(case, tmp_path, capsys):
    name, edit, message = ERRORS[case]
    source = broken_copy(tmp_path, name, edit)
    fresh = tmp_path / "fresh.ttl"
    assert run_import("--source", str(source), "--output", str(fresh)) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert not fresh.exists()
    # An existing output stays exactly as it was, and no temporary file is left next to it.
    existing = tmp_path / "existing.ttl"
    existing.write_bytes(b"# previous content\n")
    assert run_import("--source", str(source), "--output", str(existing)) == 2
    assert existing.read_bytes() == b"# previous content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.ttl", "source"]


def test_unknown_region_and_missing_output(tmp_path, capsys):
    assert run_import("--source", str(FIXTURES), "--region", "99", "--output", str(tmp_path / "x.ttl")) == 2
    assert "regions.json: no région with code '99'" in capsys.readouterr().err
    assert run_import("--source", str(FIXTURES), "--region", "all") == 2
    assert "--output is required with --region all" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_missing_npm_is_a_clear_error(tmp_path, monkeypatch, capsys):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    out = tmp_path / "out.ttl"
    assert run_import("--output", str(out)) == 2
    assert "npm: npm is not installed" in capsys.readouterr().err
    assert not out.exists()


def test_npm_fetch_rebuilds_the_shipped_file(tmp_path):
    """The issue's definition of done: the command, fetching the package itself, rebuilds data/ exactly.

    This needs npm and the npm registry (both present on the development machine and in CI).
    """
    assert shutil.which("npm"), "npm is required for this test (it must run, not be skipped)"
    out = tmp_path / "hauts-de-france.ttl"
    assert run_import("--output", str(out)) == 0
    assert out.read_bytes() == SHIPPED.read_bytes()


# --- the shipped Hauts-de-France file --------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Graph:
    return Graph().parse(SHIPPED)


def test_shipped_counts(shipped):
    g = shipped
    # The 3,881 "communes" are the région's records of communes.json: 3,782 communes plus
    # 63 communes déléguées and 36 communes associées (no arrondissements municipaux in région 32).
    assert count(g, PG.Commune) == 3782
    assert count(g, IGEO.CommuneDeleguee) == 63
    assert count(g, IGEO.CommuneAssociee) == 36
    assert count(g, IGEO.ArrondissementMunicipal) == 0
    assert count(g, PG.Commune) + count(g, IGEO.CommuneDeleguee) + count(g, IGEO.CommuneAssociee) == 3881
    assert count(g, PG.Departement) == 5
    assert count(g, PG.Arrondissement) == 26
    assert count(g, PG.Region) == 1
    assert count(g, PG.EPCI) == 92
    assert count(g, PG.LegalStatus) == 92


def test_le_quesnoy(shipped):
    g = shipped
    le_quesnoy = t("commune", "59481")
    assert g.value(le_quesnoy, SKOS.prefLabel) == Literal("Le Quesnoy", lang="fr")
    assert set(g.objects(le_quesnoy, PG.directlyWithin)) == {t("arrondissement", "591"), t("epci", "200043321")}
    assert (t("arrondissement", "591"), PG.directlyWithin, t("departement", "59")) in g
    assert (t("departement", "59"), PG.directlyWithin, t("region", "32")) in g
    assert g.value(t("epci", "200043321"), SKOS.prefLabel) == Literal("CC du Pays de Mormal", lang="fr")


def test_coeur_d_ostrevent_is_a_ca_in_2026_only(shipped):
    g = shipped
    epci = t("epci", "245901152")
    statuses = list(g.objects(epci, PG.legalStatus))
    assert len(statuses) == 1
    assert g.value(statuses[0], PG.epciType) == VOC["epci-type/CA"]
    assert g.value(statuses[0], PG.validIn) == Y2026


def test_shipped_file_validates_against_the_territory_shapes(shipped):
    conforms, _, text = validate(shipped, shacl_graph=Graph().parse(SHAPES), inference="none")
    assert conforms, text[:3000]
