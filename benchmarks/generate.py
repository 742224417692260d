"""Seeded, deterministic benchmark graphs of a chosen size (issue 7, "Scale and speed").

``generate(target_triples, seed, out, geography)`` writes N-Quads laid out like the shipped dataset:
the official geography in graph/territories, each generated document's facts in
graph/source/gen-{n}, the identity of the actors they name in graph/reference.  It streams: a
document is built, written and forgotten, so 10^7 triples need no more memory than 10^5.

How big: the geography goes in first, then documents until the count reaches the target.  A
document that would overshoot by more than 5 % is not written (another is drawn) unless the count
is already within 5 % below the target, so the total always lands within ±5 %.  When the
geography alone exceeds 45 % of the target (France has about 424,000 triples, too many for a
10^5 graph) whole départements are kept at random up to that share (gen_geography.py).

Deterministic: every random choice comes from one ``random.Random(seed)``, lists are built in file
or code order, and nothing depends on ``hash()`` or set iteration, so the same seed and geography
give byte-identical output (on the same Python minor version: only ``random()`` itself is promised
to stay the same across versions, not ``randrange``, ``sample`` or the distributions).

Command line (from the project root)::

    .venv/bin/python -m benchmarks.generate --triples 1e6 --seed 1 \\
        --geography benchmarks/work/france.ttl --output benchmarks/work/graph-1e6.nq

``--geography`` defaults to benchmarks/work/france.ttl, imported with ``policygraph import
territories --region all`` when missing (it fetches @etalab/decoupage-administratif with npm, or
reads ``--cog-source DIR``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from policygraph.model.dataset import project_root

from . import gen_geography
from .gen_documents import Builder, Document
from .gen_terms import REFERENCE, source_graph

GEOGRAPHY_SHARE = 0.45  # the largest part of the target the geography may take before it is cut down
SLACK = 0.05  # how far from the target a document may leave the total
MAX_DRAWS = 10_000  # documents drawn in a row without one fitting: the target is too small to reach
WORK = project_root() / "benchmarks" / "work"


@dataclass
class Stats:
    target: int
    seed: int
    triples: int  # statements written (all distinct: a store holds exactly this many quads)
    geography_triples: int
    reference_triples: int  # identities of the actors, in graph/reference
    documents: int
    bytes: int
    counts: dict[str, int] = field(default_factory=dict)  # contracts, axes, measures…

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)


def generate(target_triples: int, seed: int, out: Path, geography: Path) -> Stats:
    """Write about ``target_triples`` statements (±5 %) to ``out`` as N-Quads; return what was written."""
    if target_triples <= 0:
        raise ValueError("the target must be a positive number of triples")
    rng = random.Random(seed)
    geo = gen_geography.read(geography, int(target_triples * GEOGRAPHY_SHARE), rng)
    builder = Builder(geo, rng)
    counts: Counter = Counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")  # never leave a truncated graph under the real name
    try:
        with partial.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
            geography_triples = gen_geography.copy(geo, f)
            written, reference, draws = geography_triples, 0, 0
            while written < target_triples:
                doc = builder.build()
                if written + len(doc) > target_triples * (1 + SLACK):
                    if written >= target_triples * (1 - SLACK):
                        break
                    draws += 1
                    if draws > MAX_DRAWS:
                        raise ValueError(f"cannot reach {target_triples} triples within {SLACK:.0%}: no "
                                         f"document fits in the {target_triples - written} left")
                    continue
                draws = 0
                f.write(_nquads(doc))
                builder.commit(doc)
                written += len(doc)
                reference += len(doc.reference)
                counts.update(doc.counts)
        if abs(written - target_triples) > target_triples * SLACK:
            raise ValueError(f"the geography alone has {geography_triples} triples, too many for {target_triples}")
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return Stats(target_triples, seed, written, geography_triples, reference, builder.written, out.stat().st_size,
                 dict(sorted(counts.items())))


def _nquads(doc: Document) -> str:
    graph = source_graph(f"gen-{doc.number}")
    lines = [f"{s} {p} {o} {graph} .\n" for s, p, o in doc.statements]
    lines += [f"{s} {p} {o} {REFERENCE} .\n" for s, p, o in doc.reference]
    return "".join(lines)


def ensure_geography(path: Path, source: Path | None = None) -> Path:
    """The whole-France geography at ``path``, imported first if missing (npm fetch without ``source``)."""
    if not path.exists():
        from policygraph.territories.importer import run

        path.parent.mkdir(parents=True, exist_ok=True)
        run(source, "all", path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--triples", required=True, type=lambda s: int(float(s)), help="target size, e.g. 1e6")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--geography", type=Path, default=WORK / "france.ttl",
                        help="Turtle of `policygraph import territories` (default: benchmarks/work/france.ttl)")
    parser.add_argument("--cog-source", type=Path, default=None,
                        help="decoupage-administratif folder to import the geography from when it is missing")
    parser.add_argument("--output", type=Path, default=None, help="default: benchmarks/work/graph-{triples}-{seed}.nq")
    args = parser.parse_args(argv)
    out = args.output or WORK / f"graph-{args.triples}-{args.seed}.nq"
    geography = ensure_geography(args.geography, args.cog_source)
    started = time.perf_counter()
    stats = generate(args.triples, args.seed, out, geography)
    elapsed = time.perf_counter() - started
    print(stats.to_json())
    print(f"{out}: {stats.triples} triples, {stats.bytes / 1e6:.1f} MB in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
