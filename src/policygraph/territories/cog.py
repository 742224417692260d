"""Read and check the Code officiel géographique as packaged by ``@etalab/decoupage-administratif``.

The package ships five JSON files (regions, departements, arrondissements, communes, epci), each a
list of flat records.  This module turns them into small typed records and refuses anything it does
not understand: a missing file, invalid JSON, a missing or ill-typed field, a reference to a code
that no other file defines.  Every error names the file and the problem, so a broken download or a
new package layout is caught before a single triple is written.

It also knows how to fetch the package with ``npm pack`` when no folder is given.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
MILLESIME = "2026"  # the package README maps version 6.0.0 to the 2026 millésime
# Integrity of the published 6.0.0 tarball (as `npm view … dist.integrity` reports it): a fetched
# tarball that differs is refused, so the import always reads the very bytes the shipped data came from.
INTEGRITY = "sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="

FILES = ("regions.json", "departements.json", "arrondissements.json", "communes.json", "epci.json")

# The commune types of communes.json.  Only "commune-actuelle" records are communes in the legal
# sense; the others are parts of a commune (see territories.py for how each is modelled).
COMMUNE_KINDS = ("commune-actuelle", "commune-deleguee", "commune-associee", "arrondissement-municipal")
# Legal kinds of EPCI in the DGCL list.  MET69 is the Métropole de Lyon, a collectivité à statut
# particulier that the DGCL lists with the EPCI.
EPCI_KINDS = ("METRO", "MET69", "CU", "CA", "CC")

# Codes become parts of IRIs: accept only what is safe there (digits, 2A/2B), whatever shapes check later.
_CODE = re.compile(r"^[0-9A-Z]{2,9}$")
_SIREN = re.compile(r"^[0-9]{9}$")


class CogError(Exception):
    """A problem with one source file; the message names the file and the problem."""

    def __init__(self, file: str, problem: str):
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    chef_lieu: str
    zone: str  # "metro", "drom" or "com" (collectivité d'outre-mer listed as a pseudo-région)


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    region: str
    chef_lieu: str
    zone: str


@dataclass(frozen=True)
class Arrondissement:
    code: str
    name: str
    departement: str
    region: str
    chef_lieu: str


@dataclass(frozen=True)
class CommuneRecord:
    code: str
    name: str
    kind: str  # one of COMMUNE_KINDS
    departement: str
    region: str
    arrondissement: str | None
    siren: str | None
    postal_codes: tuple[str, ...]
    population: int | None
    parent: str | None  # the commune a commune déléguée/associée or arrondissement municipal belongs to


@dataclass(frozen=True)
class Epci:
    siren: str
    name: str
    kind: str  # one of EPCI_KINDS
    financing_mode: str
    population: int  # population municipale
    total_population: int
    members: tuple[str, ...]  # INSEE codes of the member communes


@dataclass(frozen=True)
class Cog:
    regions: dict[str, Region]
    departements: dict[str, Departement]
    arrondissements: dict[str, Arrondissement]
    communes: list[CommuneRecord]  # every record of communes.json, in file order
    epcis: dict[str, Epci]


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def resolve_folder(source: Path) -> Path:
    """The folder holding the JSON files: ``source`` itself, or the ``data/`` folder of an unpacked package."""
    if not source.is_dir():
        raise CogError(str(source), "not a folder")
    for candidate in (source, source / "data", source / "package" / "data"):
        if (candidate / "regions.json").is_file():
            return candidate
    return source  # let the first file read report what is missing


def _read_json(folder: Path, name: str) -> list[dict]:
    path = folder / name
    if not path.is_file():
        raise CogError(name, f"file not found in {folder}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CogError(name, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CogError(name, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if not isinstance(data, list):
        raise CogError(name, f"expected a JSON list of records, found {type(data).__name__}")
    for i, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise CogError(name, f"record #{i} is not a JSON object")
    return data


class _Record:
    """Typed access to one JSON record, with errors that say which file and which record."""

    def __init__(self, file: str, index: int, data: dict):
        self.file, self.data = file, data
        code = data.get("code")
        self.label = f"record {code}" if isinstance(code, str) and code else f"record #{index}"

    def fail(self, problem: str) -> CogError:
        return CogError(self.file, f"{self.label}: {problem}")

    def raw(self, key: str, required: bool):
        if key not in self.data:
            if required:
                raise self.fail(f"missing field '{key}'")
            return None
        return self.data[key]

    def text(self, key: str, *, required: bool = True, pattern: re.Pattern | None = None) -> str | None:
        value = self.raw(key, required)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"field '{key}' must be a non-empty string, got {json.dumps(value, ensure_ascii=False)}")
        if pattern is not None and not pattern.match(value):
            raise self.fail(f"field '{key}' has an unexpected value {value!r}")
        return value

    def code(self, key: str, *, required: bool = True) -> str | None:
        value = self.raw(key, required)
        # The package writes "" for "no arrondissement" (Mayotte): treat it as absent when optional.
        if not required and value in (None, ""):
            return None
        return self.text(key, pattern=_CODE)

    def count(self, key: str, *, required: bool = True) -> int | None:
        value = self.raw(key, required)
        if value is None and not required:
            return None
        # bool is an int in Python; a population of `true` is not a population.
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(f"field '{key}' must be a non-negative integer, got {json.dumps(value)}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.raw(key, False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(f"field '{key}' must be a list of strings, got {json.dumps(value, ensure_ascii=False)}")
        return tuple(value)


def _records(folder: Path, name: str):
    return [_Record(name, i, d) for i, d in enumerate(_read_json(folder, name), start=1)]


def _unique(file: str, items: list, key) -> dict:
    out: dict = {}
    for item in items:
        k = key(item)
        if k in out:
            raise CogError(file, f"code {k} appears twice")
        out[k] = item
    return out


def load(source: Path) -> Cog:
    """Read and check the five files of ``source`` (a folder); raise CogError on the first problem."""
    folder = resolve_folder(source)
    _check_package_json(source, folder)
    regions = _unique("regions.json", [
        Region(r.code("code"), r.text("nom"), r.code("chefLieu"), r.text("zone"))
        for r in _records(folder, "regions.json")
    ], lambda x: x.code)
    departements = _unique("departements.json", [
        Departement(r.code("code"), r.text("nom"), r.code("region"), r.code("chefLieu"), r.text("zone"))
        for r in _records(folder, "departements.json")
    ], lambda x: x.code)
    arrondissements = _unique("arrondissements.json", [
        Arrondissement(r.code("code"), r.text("nom"), r.code("departement"), r.code("region"), r.code("chefLieu"))
        for r in _records(folder, "arrondissements.json")
    ], lambda x: x.code)
    communes = [_commune(r) for r in _records(folder, "communes.json")]
    epcis = _unique("epci.json", [_epci(r) for r in _records(folder, "epci.json")], lambda x: x.siren)
    cog = Cog(regions, departements, arrondissements, communes, epcis)
    _check_references(cog)
    return cog


def _check_package_json(source: Path, folder: Path) -> None:
    """If the folder comes with the package's package.json, it must be the version this importer models.

    The millésime written into every territory is read off the version, so a folder of another
    version (another year's geography) must not be imported under the 2026 label.
    """
    for candidate in (folder / "package.json", folder.parent / "package.json", source / "package.json"):
        if candidate.is_file():
            try:
                meta = json.loads(candidate.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise CogError("package.json", f"unreadable: {exc}") from None
            name, version = meta.get("name"), meta.get("version")
            if name != PACKAGE or version != VERSION:
                raise CogError("package.json", f"this is {name}@{version}; the importer models {PACKAGE}@{VERSION} "
                                               f"(millésime {MILLESIME})")
            return


def _commune(r: _Record) -> CommuneRecord:
    kind = r.text("type")
    if kind not in COMMUNE_KINDS:
        raise r.fail(f"field 'type' has an unknown value {kind!r} (expected one of {', '.join(COMMUNE_KINDS)})")
    # A commune déléguée or associée names its commune in "chefLieu"; an arrondissement municipal in "commune".
    parent = None
    if kind in ("commune-deleguee", "commune-associee"):
        parent = r.code("chefLieu")
    elif kind == "arrondissement-municipal":
        parent = r.code("commune")
    return CommuneRecord(
        code=r.code("code"),
        name=r.text("nom"),
        kind=kind,
        departement=r.code("departement"),
        region=r.code("region"),
        arrondissement=r.code("arrondissement", required=False),
        siren=r.text("siren", required=False, pattern=_SIREN),
        postal_codes=r.strings("codesPostaux"),
        population=r.count("population", required=False),
        parent=parent,
    )


def _epci(r: _Record) -> Epci:
    siren = r.text("code", pattern=_SIREN)
    kind = r.text("type")
    if kind not in EPCI_KINDS:
        raise r.fail(f"field 'type' has an unknown value {kind!r} (expected one of {', '.join(EPCI_KINDS)})")
    members = r.raw("membres", True)
    if not isinstance(members, list) or not members:
        raise r.fail("field 'membres' must be a non-empty list")
    codes = []
    for i, m in enumerate(members, start=1):
        if not isinstance(m, dict):
            raise r.fail(f"member #{i} is not a JSON object")
        member = _Record(r.file, i, m)
        member.label = f"{r.label}, member #{i}"
        codes.append(member.code("code"))
    return Epci(siren, r.text("nom"), kind, r.text("modeFinancement"),
                r.count("populationMunicipale"), r.count("populationTotale"), tuple(codes))


def _check_references(cog: Cog) -> None:
    """Every code a record points to must be defined by the file it belongs to."""

    def need(file: str, owner: str, what: str, code: str, known) -> None:
        if code not in known:
            raise CogError(file, f"record {owner}: {what} {code} is not defined")

    for d in cog.departements.values():
        need("departements.json", d.code, "région", d.region, cog.regions)
        # A collectivité d'outre-mer is listed both as a pseudo-région and a pseudo-département with
        # the same code; it becomes one resource, so the two records must agree.
        if d.zone == "com" and (d.region != d.code or cog.regions[d.region].zone != "com"):
            raise CogError("departements.json", f"record {d.code}: outre-mer collectivity without its "
                                                f"matching pseudo-région {d.code} in regions.json")
    for a in cog.arrondissements.values():
        need("arrondissements.json", a.code, "département", a.departement, cog.departements)
    current: dict[str, CommuneRecord] = {}
    seen: set[tuple[str, str]] = set()
    for c in cog.communes:
        if (c.kind, c.code) in seen:
            raise CogError("communes.json", f"record {c.code}: two {c.kind} records with this code")
        seen.add((c.kind, c.code))
        if c.kind == "commune-actuelle":
            current[c.code] = c
        need("communes.json", c.code, "région", c.region, cog.regions)
        need("communes.json", c.code, "département", c.departement, cog.departements)
        if c.arrondissement is not None:
            need("communes.json", c.code, "arrondissement", c.arrondissement, cog.arrondissements)
    for c in cog.communes:
        if c.parent is not None:
            need("communes.json", c.code, "parent commune", c.parent, current)
    epci_of: dict[str, str] = {}
    for e in cog.epcis.values():
        for m in e.members:
            need("epci.json", e.siren, "member commune", m, current)
            # A commune belongs to one EPCI à fiscalité propre at most.
            if m in epci_of:
                raise CogError("epci.json", f"record {e.siren}: member commune {m} is also a member of {epci_of[m]}")
            epci_of[m] = e.siren


# ---------------------------------------------------------------------------------------------
# Fetching the package
# ---------------------------------------------------------------------------------------------


def fetch(dest: Path) -> Path:
    """Download the pinned package with ``npm pack`` into ``dest``; return the folder with its JSON files.

    Only the five JSON files are taken out of the tarball (from ``package/data/``), so nothing else
    in it is ever written to disk.
    """
    npm = shutil.which("npm")
    if npm is None:
        raise CogError("npm", f"npm is not installed: install Node.js/npm, or pass --source with a folder "
                              f"holding the JSON files of {PACKAGE}@{VERSION}")
    spec = f"{PACKAGE}@{VERSION}"
    try:
        proc = subprocess.run([npm, "pack", spec, "--json", "--pack-destination", str(dest)],
                              capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired:
        raise CogError("npm", f"`npm pack {spec}` did not finish within 10 minutes") from None
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise CogError("npm", f"`npm pack {spec}` failed (exit {proc.returncode}):\n{tail}")
    tarballs = sorted(dest.glob("*.tgz"))
    if len(tarballs) != 1:
        raise CogError("npm", f"`npm pack {spec}` produced {len(tarballs)} tarballs in {dest}, expected 1")
    tarball = tarballs[0]
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != INTEGRITY:
        raise CogError(tarball.name, f"integrity {digest} differs from the pinned {INTEGRITY}")
    out = dest / "data"
    out.mkdir()
    with tarfile.open(tarball, "r:gz") as tar:
        for name in FILES:
            try:
                member = tar.getmember(f"package/data/{name}")
            except KeyError:
                raise CogError(tarball.name, f"package/data/{name} is not in the tarball") from None
            stream = tar.extractfile(member)
            if stream is None:
                raise CogError(tarball.name, f"package/data/{name} is not a regular file")
            (out / name).write_bytes(stream.read())
    return out
