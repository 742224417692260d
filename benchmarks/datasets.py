"""The graphs every peer loads: the product's schema graphs plus a generated graph of the chosen size.

``dataset(size, seed, geography, work)`` returns an N-Quads file made of

- the ontology, the SKOS vocabularies and the SHACL shapes, each in its named graph as the service
  ships them (the competency queries follow ``rdfs:subClassOf`` and ``skos:broader``, and read the
  identity sheets of the contract kinds), and
- ``benchmarks.generate``: the geography of the territories importer (whole France by default) and
  generated contracts, axes, measures, commitments… in their document graphs.

Files are cached in ``benchmarks/work/suite/`` by size, seed and geography (a ``.json`` beside each
holds the generator's statistics): a second run reuses them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .common import WORK
from .generate import ensure_geography, generate

FRANCE = WORK / "france.ttl"
SCHEMA_FOLDERS = ("ontology", "shapes")  # ontology/ holds the ontology and the vocabularies


@dataclass(frozen=True)
class Dataset:
    path: Path
    size: int  # the target
    triples: int  # what the file holds
    generated: dict  # the generator's statistics

    @property
    def label(self) -> str:
        return size_label(self.size)


def size_label(size: int) -> str:
    exponent = len(str(size)) - 1
    mantissa = size / 10 ** exponent
    return f"1e{exponent}" if mantissa == 1 else f"{mantissa:g}e{exponent}"


def parse_size(text: str) -> int:
    return int(float(text))


def schema_nquads() -> tuple[str, int]:
    """The schema graphs as shipped (``dataset.data_files()``), as N-Quads text."""
    from policygraph.model.dataset import data_files

    lines: list[str] = []
    for f in data_files():
        if f.path.parent.name not in SCHEMA_FOLDERS:
            continue
        graph = ox.NamedNode(str(f.graph))
        fmt = ox.RdfFormat.from_extension(f.path.suffix[1:])
        for t in ox.parse(path=str(f.path), format=fmt):
            lines.append(f"{ox.Quad(t.subject, t.predicate, t.object, graph)} .\n")
    unique = list(dict.fromkeys(lines))
    return "".join(unique), len(unique)


def dataset(size: int, seed: int, geography: Path | None = None, *, work: Path | None = None,
            cog_source: Path | None = None, log=print) -> Dataset:
    work = work or WORK / "suite"
    geography = ensure_geography(geography or FRANCE, cog_source)
    tag = hashlib.sha1(f"{geography.resolve()}:{geography.stat().st_size}".encode()).hexdigest()[:8]
    path = work / f"data-{size_label(size)}-s{seed}-{tag}.nq"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        info = json.loads(meta.read_text())
        return Dataset(path, size, info["triples"], info["generated"])
    work.mkdir(parents=True, exist_ok=True)
    log(f"generating {size_label(size)} triples (seed {seed}, geography {geography.name}) …")
    schema, schema_triples = schema_nquads()
    generated_path = work / f"generated-{size_label(size)}-s{seed}-{tag}.nq"
    stats = generate(max(1, size - schema_triples), seed, generated_path, geography)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        out.write(schema)
        with generated_path.open(encoding="utf-8") as src:
            while chunk := src.read(1 << 24):
                out.write(chunk)
    partial.replace(path)
    generated_path.unlink()
    info = {"triples": schema_triples + stats.triples, "schema_triples": schema_triples,
            "generated": json.loads(stats.to_json())}
    meta.write_text(json.dumps(info, indent=1))
    return Dataset(path, size, info["triples"], info["generated"])
