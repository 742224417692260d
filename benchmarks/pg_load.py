"""Load N-Quads files into a policygraph embedded store, as ``policygraph load`` would (run as a process).

``policygraph load`` only (re)loads the shipped files, each into the one named graph it belongs to
(``EmbeddedStore.load_files``); it has no option for a dataset file whose quads name their own
graphs.  This loader goes through the same commit protocol as every write of the store — a scratch
generation next to the live one, one bulk write into it, the atomic switch of
``POLICYGRAPH_LIVE``, then the read-only checkpoint the query workers open — with one of two ways
of writing:

- ``stream`` (default): ``Store.bulk_load(path=…)`` on the scratch store: Oxigraph's bulk loader
  reads the file itself, nothing passes through Python;
- ``load_files``: what ``EmbeddedStore.load_files`` does today: every quad parsed into Python sets
  (grouped by graph), then one ``bulk_extend``.

Both through ``EmbeddedStore.bulk_write``, which compacts the store before the commit.

    python -m benchmarks.pg_load --store DIR [--strategy stream|load_files] FILE.nq…
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pyoxigraph as ox


def load(store_path: Path, files: list[Path], strategy: str = "stream") -> int:
    from policygraph.settings import Settings
    from policygraph.store.embedded import EmbeddedStore

    store = EmbeddedStore(Settings(store_path=store_path))

    def fill(scratch: ox.Store) -> None:
        if strategy == "stream":
            for f in files:
                scratch.bulk_load(path=str(f), format=ox.RdfFormat.N_QUADS)
        else:
            by_graph: dict[str, set] = {}
            for f in files:
                for q in ox.parse(path=str(f), format=ox.RdfFormat.N_QUADS):
                    by_graph.setdefault(str(q.graph_name), set()).add(q)
            scratch.bulk_extend(q for quads in by_graph.values() for q in quads)

    try:
        store.bulk_write(fill)
        return len(store.live)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pg_load", description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--strategy", choices=("stream", "load_files"), default="stream")
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    count = load(args.store, args.files, args.strategy)
    print(f"loaded {count} quads into {args.store} in {time.perf_counter() - started:.1f} s ({args.strategy})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
