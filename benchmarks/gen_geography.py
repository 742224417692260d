"""The official geography the generated contracts are scoped on.

Reads the Turtle written by ``policygraph import territories`` twice, streaming with pyoxigraph:
:func:`read` collects what the generator needs (codes, names, populations, which commune is in
which EPCI, département and région) and how many triples each resource has; :func:`copy` writes
the triples of the kept resources into the output.  Nothing holds the whole file in memory.

A graph smaller than the geography (10^5 triples against about 424,000 for France) keeps whole
départements, drawn at random, until the geography reaches its share of the target: a
département comes with its arrondissements, communes (and their communes déléguées…), the EPCI
and the région they belong to.  As in the importer, a kept resource loses only its links to
resources that are not kept (a région's chef-lieu in a dropped département).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from rdflib.namespace import RDF, SKOS

from policygraph.model.namespaces import ID, IGEO, PG

from .gen_terms import TERRITORIES

TERRITORY_PREFIX = f"<{ID}territory/"
_TYPE, _LABEL = str(RDF.type), str(SKOS.prefLabel)
_CODE, _POPULATION = str(PG.inseeCode), str(PG.population)
_WITHIN, _STATUS = str(PG.directlyWithin), str(PG.legalStatus)
_CLASSES = {
    str(PG.Region): "region", str(PG.Departement): "departement", str(PG.Arrondissement): "arrondissement",
    str(PG.Commune): "commune", str(PG.EPCI): "epci", str(IGEO.CollectiviteDOutreMer): "com",
    str(IGEO.CommuneDeleguee): "sub", str(IGEO.CommuneAssociee): "sub", str(IGEO.ArrondissementMunicipal): "sub",
}


@dataclass
class _Resource:
    """What pass 1 learns of one subject (key: its N-Triples IRI)."""

    triples: int = 0
    kind: str | None = None  # a value of _CLASSES, or None (the dataset, legal statuses…)
    code: str = ""
    label: str = ""
    population: int = 0
    within: list[str] = field(default_factory=list)
    owner: str | None = None  # a legal status belongs to its EPCI


@dataclass(frozen=True)
class Commune:
    iri: str
    code: str
    label: str
    population: int
    departement: str
    region: str
    epci: str | None  # SIREN


@dataclass
class Epci:
    iri: str
    siren: str
    label: str
    population: int
    members: list[Commune] = field(default_factory=list)  # kept member communes, by code

    @property
    def departements(self) -> list[str]:
        return sorted({c.departement for c in self.members})


@dataclass(frozen=True)
class Area:
    """A département or a région."""

    iri: str
    code: str
    label: str
    region: str = ""  # for a département


@dataclass
class Geography:
    """The kept part of the geography, in deterministic (file or code) order."""

    path: Path
    kept: set[str]  # N-Triples IRIs of the subjects copied to the output
    communes: list[Commune]  # communes with a département (those a contract can be scoped on)
    epcis: list[Epci]
    departements: list[Area]
    regions: list[Area]


def read(path: Path, budget: int | None, rng: random.Random) -> Geography:
    """Read the geography; keep all of it, or whole départements up to ``budget`` triples."""
    resources = _scan(path)
    unit_of = _units(resources)
    if budget is None or sum(r.triples for r in resources.values()) <= budget:
        kept = set(resources)
    else:
        kept = _select(resources, unit_of, budget, rng)
    return _index(path, resources, unit_of, kept)


def copy(geography: Geography, out: TextIO) -> int:
    """Write the kept triples into the territories graph; return how many were written."""
    count = 0
    for s, p, o in _kept_statements(geography.path, geography.kept):
        out.write(f"{s} {p} {o} {TERRITORIES} .\n")
        count += 1
    return count


# --- pass 1 ---------------------------------------------------------------------------------------


def _scan(path: Path) -> dict[str, _Resource]:
    resources: dict[str, _Resource] = defaultdict(_Resource)
    for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        s, p, o = str(q.subject), q.predicate.value, q.object
        r = resources[s]
        r.triples += 1
        if p == _TYPE and o.value in _CLASSES:
            r.kind = _CLASSES[o.value]
        elif p == _LABEL:
            r.label = o.value
        elif p == _CODE:
            r.code = o.value
        elif p == _POPULATION:
            r.population = int(o.value)
        elif p == _WITHIN:
            r.within.append(str(o))
        elif p == _STATUS:
            resources[str(o)].owner = s
    return dict(resources)


def _units(resources: dict[str, _Resource]) -> dict[str, set[str]]:
    """The départements (or collectivités d'outre-mer) each subject belongs to, as IRIs."""
    unit: dict[str, set[str]] = {}

    def up(iri: str, kinds: tuple[str, ...]) -> list[str]:
        return [w for w in resources[iri].within if w in resources and resources[w].kind in kinds]

    for iri, r in resources.items():
        if r.kind in ("departement", "com"):
            unit[iri] = {iri}
    for iri, r in resources.items():
        if r.kind == "arrondissement":
            unit[iri] = set(up(iri, ("departement",)))
    for iri, r in resources.items():
        if r.kind == "commune":
            unit[iri] = {u for w in up(iri, ("arrondissement", "departement", "com")) for u in unit.get(w, {w})}
    for iri, r in resources.items():
        if r.kind == "sub":
            unit[iri] = {u for w in up(iri, ("commune",)) for u in unit[w]}
        elif r.kind == "epci":
            unit[iri] = set()
        elif r.kind == "region":
            unit[iri] = set()
    for iri, r in resources.items():
        if r.kind == "commune":
            for w in up(iri, ("epci",)):
                unit[w] |= unit[iri]
        elif r.kind == "departement":
            for w in up(iri, ("region",)):
                unit[w] |= unit[iri]
    for iri, r in resources.items():
        if r.owner is not None:
            unit[iri] = unit.get(r.owner, set())
    return unit


def _select(resources: dict[str, _Resource], unit_of: dict[str, set[str]], budget: int,
            rng: random.Random) -> set[str]:
    # Subjects outside the official hierarchy (the package described as a dataset) always stay.
    kept = {iri for iri in resources if iri not in unit_of}
    used = sum(resources[iri].triples for iri in kept)
    members: dict[str, list[str]] = defaultdict(list)
    for iri, units in unit_of.items():
        for u in sorted(units):
            members[u].append(iri)
    units = sorted(members)
    rng.shuffle(units)
    for u in units:
        if used >= budget:
            break
        for iri in members[u]:
            if iri not in kept:
                kept.add(iri)
                used += resources[iri].triples
    return kept


# --- pass 2 ---------------------------------------------------------------------------------------


def _kept_statements(path: Path, kept: set[str]):
    for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        s = str(q.subject)
        if s not in kept:
            continue
        o = str(q.object)
        if o.startswith(TERRITORY_PREFIX) and o not in kept:
            continue  # a link to a territory left out of a smaller graph
        yield s, str(q.predicate), o


# --- what the generator uses ----------------------------------------------------------------------


def _index(path: Path, resources: dict[str, _Resource], unit_of: dict[str, set[str]], kept: set[str]) -> Geography:
    def of_kind(kind: str) -> list[tuple[str, _Resource]]:
        return sorted(((i, r) for i, r in resources.items() if r.kind == kind and i in kept),
                      key=lambda item: item[1].code)

    regions = [Area(i, r.code, r.label) for i, r in of_kind("region")]
    region_codes = {a.iri: a.code for a in regions}
    departements = []
    for i, r in of_kind("departement"):
        region = next((region_codes[w] for w in r.within if w in region_codes), "")
        departements.append(Area(i, r.code, r.label, region))
    departement_of = {a.iri: a for a in departements}
    epcis = {r.code: Epci(i, r.code, r.label, r.population) for i, r in of_kind("epci")}
    epci_codes = {e.iri: e.siren for e in epcis.values()}
    communes = []
    for i, r in of_kind("commune"):
        units = [departement_of[u] for u in sorted(unit_of.get(i, ())) if u in departement_of]
        epci = next((epci_codes[w] for w in r.within if w in epci_codes), None)
        if not units:  # communes of collectivités d'outre-mer have no département: no contract is scoped there
            continue
        commune = Commune(i, r.code, r.label, r.population, units[0].code, units[0].region, epci)
        communes.append(commune)
        if epci is not None:
            epcis[epci].members.append(commune)
    regions = [a for a in regions if any(d.region == a.code for d in departements)]
    return Geography(path, kept, communes, [e for e in epcis.values() if e.members], departements, regions)
