"""``policygraph import territories``: the official geography as RDF.

Reads the Code officiel géographique packaged in ``@etalab/decoupage-administratif`` (see cog.py),
keeps one région (default 32, Hauts-de-France) or everything, and writes a Turtle file
deterministically (turtle.py), so that re-running the import reproduces the shipped file byte for byte.

Modelling choices (the why):

- Every fact here holds for the 2026 millésime, not for the 2015–2023 years the documents speak of.
  Each territory therefore carries ``pg:millesime 2026`` and ``prov:wasDerivedFrom`` the package,
  and an EPCI's legal kind, which does change over the years, is not a class or a plain property but
  a dated ``pg:LegalStatus`` node (``…/status/2026-cog``, ``pg:validIn 2026``).  A document saying
  that Cœur d'Ostrevent was a communauté de communes in 2019 adds its own status node; neither
  contradicts the other.
- communes.json also lists communes déléguées, communes associées and arrondissements municipaux.
  They are imported (documents of 2015–2023 often name former communes that are now communes
  déléguées) but not as ``pg:Commune``: they are parts of a commune, typed ``pg:Territory`` plus
  INSEE's own class (``igeo:CommuneDeleguee``, ``igeo:CommuneAssociee``,
  ``igeo:ArrondissementMunicipal``), with IRIs of their own because a commune déléguée often has
  the same code as its commune nouvelle.  They are ``pg:directlyWithin`` their commune.
- The package lists the collectivités d'outre-mer (975, 977, 978, 984, 986–989) both as
  pseudo-régions and pseudo-départements.  They are neither, so each becomes one resource typed
  ``pg:Territory`` and ``igeo:CollectiviteDOutreMer``, holding its communes directly.
- Links (``pg:directlyWithin``, ``pg:chefLieu``) are written only towards resources that are in the
  output, so a région file never points at communes it does not describe: an EPCI straddling two
  régions lists only its members inside the région kept.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, SKOS, XSD

from policygraph.console import progress as terminal_progress
from policygraph.model.dataset import project_root
from policygraph.model.namespaces import ID, IGEO, INSEE_GEO, PG, SCHEMA, VOC
from policygraph.model.turtle import Triple, TurtleWriter, write_atomically
from policygraph.territories import cog as cogmod
from policygraph.territories.cog import Cog, CogError, CommuneRecord

DEFAULT_REGION = "32"
SOURCE = ID[f"source/decoupage-administratif-{cogmod.VERSION}"]
MILLESIME = Literal(cogmod.MILLESIME, datatype=XSD.gYear)
STATUS_KEY = f"{cogmod.MILLESIME}-cog"  # …/epci/{siren}/status/2026-cog

# Sub-commune kinds of communes.json: the IRI segment and INSEE's class for each.
SUB_COMMUNES = {
    "commune-deleguee": ("commune-deleguee", IGEO.CommuneDeleguee),
    "commune-associee": ("commune-associee", IGEO.CommuneAssociee),
    "arrondissement-municipal": ("arrondissement-municipal", IGEO.ArrondissementMunicipal),
}
COM_SEGMENT = "collectivite-outre-mer"
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3 term, missing from rdflib's DCAT namespace

WRITTEN_PREFIXES = {
    "pg": str(PG), "skos": str(SKOS), "prov": str(PROV), "xsd": str(XSD), "igeo": str(IGEO),
    "dcat": str(DCAT), "dct": str(DCTERMS), "schema": str(SCHEMA),
}


def default_output() -> Path:
    return project_root() / "data" / "territories" / "hauts-de-france.ttl"


def territory(kind: str, code: str) -> URIRef:
    return ID[f"territory/{kind}/{code}"]


def epci_type(kind: str) -> URIRef:
    return VOC[f"epci-type/{kind}"]


def insee(kind: str, code: str) -> URIRef:
    """INSEE's code-based IRI for a commune, département or région, the object of skos:closeMatch.

    INSEE's current linked data names territories with UUID-based IRIs, which cannot be computed
    from a code offline; its code-based IRIs (http://id.insee.fr/geo/commune/59481) can.  The link
    is skos:closeMatch, not owl:sameAs: our resource is the 2026 snapshot of the territory, and
    merging it with INSEE's resource would mix facts of different millésimes.
    """
    return INSEE_GEO[f"{kind}/{code}"]

@dataclass
class Selection:
    """What one run keeps, as codes; ``all`` keeps everything."""

    regions: set[str] = field(default_factory=set)
    coms: set[str] = field(default_factory=set)
    departements: set[str] = field(default_factory=set)
    arrondissements: set[str] = field(default_factory=set)
    communes: list[CommuneRecord] = field(default_factory=list)
    epcis: list[str] = field(default_factory=list)

    def current(self) -> set[str]:
        return {c.code for c in self.communes if c.kind == "commune-actuelle"}


def select(cog: Cog, region: str) -> Selection:
    if region != "all" and region not in cog.regions:
        raise CogError("regions.json", f"no région with code {region!r} (use a code of regions.json, or 'all')")
    keep = (lambda code: True) if region == "all" else (lambda code: code == region)
    sel = Selection()
    for r in cog.regions.values():
        if keep(r.code):
            (sel.coms if r.zone == "com" else sel.regions).add(r.code)
    sel.departements = {d.code for d in cog.departements.values() if keep(d.region) and d.zone != "com"}
    sel.arrondissements = {a.code for a in cog.arrondissements.values() if keep(a.region)}
    sel.communes = [c for c in cog.communes if keep(c.region)]
    current = sel.current()
    sel.epcis = sorted(s for s, e in cog.epcis.items() if any(m in current for m in e.members))
    return sel


class _Builder:
    def __init__(self, cog: Cog, sel: Selection):
        self.cog, self.sel = cog, sel
        self.current = {c.code: c for c in sel.communes if c.kind == "commune-actuelle"}
        # The EPCI of each kept commune (cog.load made sure a commune is in one EPCI at most).
        self.epci_of = {m: s for s in sel.epcis for m in cog.epcis[s].members if m in self.current}
        self.triples: list[Triple] = []

    def add(self, s: URIRef, p: URIRef, o) -> None:
        self.triples.append((s, p, o))

    def common(self, s: URIRef, types: Iterable[URIRef], name: str, code: str) -> None:
        for t in types:
            self.add(s, RDF.type, t)
        self.add(s, SKOS.prefLabel, Literal(name, lang="fr"))
        self.add(s, PG.inseeCode, Literal(code))
        self.add(s, PG.millesime, MILLESIME)
        self.add(s, PROV.wasDerivedFrom, SOURCE)

    def chef_lieu(self, s: URIRef, code: str, inside) -> None:
        # Only a chef-lieu the output describes, and only one lying in the territory: the package
        # gives the TAAF (984) the chef-lieu 97502, a commune of Saint-Pierre-et-Miquelon.
        commune = self.current.get(code)
        if commune is not None and inside(commune):
            self.add(s, PG.chefLieu, territory("commune", code))

    def container(self, c: CommuneRecord) -> URIRef | None:
        """What a current commune is directly within: its arrondissement, else its département or COM."""
        if c.arrondissement is not None and c.arrondissement in self.sel.arrondissements:
            return territory("arrondissement", c.arrondissement)
        if c.arrondissement is None and c.departement in self.sel.departements:
            return territory("departement", c.departement)  # Mayotte has no arrondissements
        if c.arrondissement is None and c.departement in self.sel.coms:
            return territory(COM_SEGMENT, c.departement)
        return None

    def regions(self) -> None:
        for code in sorted(self.sel.regions):
            r = self.cog.regions[code]
            s = territory("region", code)
            self.common(s, [PG.Region], r.name, code)
            self.add(s, SKOS.closeMatch, insee("region", code))
            self.chef_lieu(s, r.chef_lieu, lambda c: c.region == code)
        for code in sorted(self.sel.coms):
            r = self.cog.regions[code]
            s = territory(COM_SEGMENT, code)
            self.common(s, [PG.Territory, IGEO.CollectiviteDOutreMer], r.name, code)
            self.chef_lieu(s, r.chef_lieu, lambda c: c.region == code)

    def departements(self) -> None:
        for code in sorted(self.sel.departements):
            d = self.cog.departements[code]
            s = territory("departement", code)
            self.common(s, [PG.Departement], d.name, code)
            self.add(s, SKOS.closeMatch, insee("departement", code))
            if d.region in self.sel.regions:
                self.add(s, PG.directlyWithin, territory("region", d.region))
            self.chef_lieu(s, d.chef_lieu, lambda c: c.departement == code)

    def arrondissements(self) -> None:
        for code in sorted(self.sel.arrondissements):
            a = self.cog.arrondissements[code]
            s = territory("arrondissement", code)
            self.common(s, [PG.Arrondissement], a.name, code)
            if a.departement in self.sel.departements:
                self.add(s, PG.directlyWithin, territory("departement", a.departement))
            self.chef_lieu(s, a.chef_lieu, lambda c: c.arrondissement == code)

    def commune(self, c: CommuneRecord) -> None:
        if c.kind != "commune-actuelle":
            segment, cls = SUB_COMMUNES[c.kind]
            s = territory(segment, c.code)
            self.common(s, [PG.Territory, cls], c.name, c.code)
            if c.parent in self.current:
                self.add(s, PG.directlyWithin, territory("commune", c.parent))
            if c.population is not None:
                self.add(s, PG.population, Literal(c.population))
            # No pg:postalCode here: its domain is pg:Commune, which these are not.
            return
        s = territory("commune", c.code)
        self.common(s, [PG.Commune], c.name, c.code)
        self.add(s, SKOS.closeMatch, insee("commune", c.code))
        if c.siren is not None:
            self.add(s, PG.siren, Literal(c.siren))
        for postal_code in c.postal_codes:
            self.add(s, PG.postalCode, Literal(postal_code))
        if c.population is not None:
            self.add(s, PG.population, Literal(c.population))
        container = self.container(c)
        if container is not None:
            self.add(s, PG.directlyWithin, container)
        if c.code in self.epci_of:
            self.add(s, PG.directlyWithin, territory("epci", self.epci_of[c.code]))

    def epci(self, siren: str) -> None:
        e = self.cog.epcis[siren]
        s = territory("epci", siren)
        # pg:inseeCode of an EPCI is its SIREN (see the ontology); pg:siren says the same explicitly.
        self.common(s, [PG.EPCI], e.name, siren)
        self.add(s, PG.siren, Literal(siren))
        self.add(s, PG.financingMode, Literal(e.financing_mode))
        self.add(s, PG.population, Literal(e.population))
        self.add(s, PG.totalPopulation, Literal(e.total_population))
        status = ID[f"territory/epci/{siren}/status/{STATUS_KEY}"]
        self.add(s, PG.legalStatus, status)
        self.add(status, RDF.type, PG.LegalStatus)
        self.add(status, PG.epciType, epci_type(e.kind))
        self.add(status, PG.validIn, MILLESIME)
        self.add(status, PROV.wasDerivedFrom, SOURCE)

    def source(self) -> None:
        """The package as a dataset, described from its package.json and README only."""
        s = SOURCE
        self.add(s, RDF.type, DCAT.Dataset)
        self.add(s, RDF.type, PROV.Entity)
        self.add(s, DCTERMS.title, Literal("Découpage administratif français (Code officiel géographique 2026)", lang="fr"))
        self.add(s, DCTERMS.title, Literal("French administrative divisions (official geographic code, 2026)", lang="en"))
        self.add(s, DCTERMS.description, Literal(
            f"Paquet npm {cogmod.PACKAGE} version {cogmod.VERSION}, millésime {cogmod.MILLESIME} : communes, "
            "arrondissements, départements, régions et EPCI à fiscalité propre au format JSON. Sources selon le "
            "README du paquet : Code officiel géographique de l'Insee, liste des EPCI à fiscalité propre de la "
            "DGCL, populations légales de l'Insee, base officielle des codes postaux (La Poste). Licence des "
            "données : Licence Ouverte ; licence du code : MIT.", lang="fr"))
        self.add(s, DCTERMS.identifier, Literal(f"{cogmod.PACKAGE}@{cogmod.VERSION}"))
        self.add(s, DCAT_VERSION, Literal(cogmod.VERSION))
        # pg:millesime has rdfs:domain pg:Territory, so it is not stated of the dataset (that would
        # make the dataset a territory); the millésime is its temporal coverage.
        self.add(s, SCHEMA.temporalCoverage, Literal(cogmod.MILLESIME))
        self.add(s, DCTERMS.license, URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence"))
        self.add(s, DCAT.landingPage, URIRef("https://github.com/etalab/decoupage-administratif"))
        for url in (
            "https://insee.fr/fr/information/2560452",
            "https://www.collectivites-locales.gouv.fr/files/files/Etudes-et-statistiques/DESL/2026/EPCI/epcicom2026.xlsx",
            "https://www.insee.fr/fr/statistiques/8680726?sommaire=8681011",
            "https://www.data.gouv.fr/fr/datasets/base-officielle-des-codes-postaux/",
        ):
            self.add(s, DCTERMS.source, URIRef(url))
        dist = ID[f"source/decoupage-administratif-{cogmod.VERSION}/npm"]
        self.add(s, DCAT.distribution, dist)
        self.add(dist, RDF.type, DCAT.Distribution)
        self.add(dist, DCTERMS.title, Literal(f"{cogmod.PACKAGE}@{cogmod.VERSION} (npm)"))
        self.add(dist, DCTERMS.license, URIRef("https://opensource.org/licenses/MIT"))
        self.add(dist, DCAT.downloadURL, URIRef(
            f"https://registry.npmjs.org/{cogmod.PACKAGE}/-/decoupage-administratif-{cogmod.VERSION}.tgz"))
        self.add(dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/application/gzip"))


def build(cog: Cog, sel: Selection, advance=lambda n: None) -> list[Triple]:
    """All triples of the selection; ``advance(n)`` reports progress in records."""
    b = _Builder(cog, sel)
    b.source()
    b.regions()
    b.departements()
    b.arrondissements()
    advance(len(sel.regions) + len(sel.coms) + len(sel.departements) + len(sel.arrondissements))
    for i, c in enumerate(sel.communes, start=1):
        b.commune(c)
        if i % 1000 == 0:
            advance(1000)
    advance(len(sel.communes) % 1000)
    for siren in sel.epcis:
        b.epci(siren)
    advance(len(sel.epcis))
    return b.triples


def summary(triples: list[Triple]) -> Counter:
    return Counter(o for _, p, o in triples if p == RDF.type)


def header(region: str) -> str:
    scope = "toute la France" if region == "all" else f"région {region}"
    return (
        f"Géographie officielle, millésime {cogmod.MILLESIME} ({scope}) : Code officiel géographique tel que\n"
        f"publié dans le paquet npm {cogmod.PACKAGE} {cogmod.VERSION}.\n"
        f"Fichier généré par `policygraph import territories --region {region}` : ne pas modifier à la main."
    )


def _counted(lines: Iterable[str], tick) -> Iterator[str]:
    for line in lines:
        if line == "\n":  # one blank line before each subject
            tick()
        yield line


def run(source: Path | None, region: str, output: Path) -> Counter:
    """Import and write; raise CogError (nothing written) on any problem with the source."""
    with terminal_progress() as progress, tempfile.TemporaryDirectory(prefix="policygraph-cog-") as tmp:
        if source is None:
            task = progress.add_task(f"npm pack {cogmod.PACKAGE}@{cogmod.VERSION}", total=None)
            source = cogmod.fetch(Path(tmp))
            progress.remove_task(task)
        task = progress.add_task("lecture des fichiers JSON", total=None)
        cog = cogmod.load(source)
        progress.remove_task(task)
        sel = select(cog, region)
        total = len(sel.regions) + len(sel.coms) + len(sel.departements) + len(sel.arrondissements) \
            + len(sel.communes) + len(sel.epcis)
        task = progress.add_task("construction du graphe", total=total)
        triples = build(cog, sel, lambda n: progress.advance(task, n))
        progress.remove_task(task)
        writer = TurtleWriter(WRITTEN_PREFIXES, base=str(ID))
        subjects = len({s for s, _, _ in triples})
        task = progress.add_task(f"écriture de {output.name}", total=subjects)
        write_atomically(output, _counted(writer.lines(triples, header(region)), lambda: progress.advance(task)))
        progress.remove_task(task)
    counts = summary(triples)
    counts["triples"] = len(set(triples))
    return counts


def import_command(source: Path | None, region: str, output: Path | None) -> int:
    """The CLI entry point: 0 on success, 2 on any error (message on stderr, nothing written)."""
    if output is None:
        if region != DEFAULT_REGION:
            print(f"error: --output is required with --region {region} (the default file is for région "
                  f"{DEFAULT_REGION})", file=sys.stderr)
            return 2
        output = default_output()
    try:
        counts = run(source, region, output)
    except CogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was written.", file=sys.stderr)
        return 2
    parts = [
        f"{counts[PG.Region]} régions", f"{counts[PG.Departement]} départements",
        f"{counts[PG.Arrondissement]} arrondissements", f"{counts[PG.Commune]} communes",
        f"{counts[IGEO.CommuneDeleguee]} communes déléguées", f"{counts[IGEO.CommuneAssociee]} communes associées",
        f"{counts[IGEO.ArrondissementMunicipal]} arrondissements municipaux",
        f"{counts[IGEO.CollectiviteDOutreMer]} collectivités d'outre-mer", f"{counts[PG.EPCI]} EPCI",
    ]
    print(f"{output}: {counts['triples']} triples ({', '.join(parts)})", file=sys.stderr)
    return 0

