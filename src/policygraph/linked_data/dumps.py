"""Full dumps of the graph, gzip-compressed, made once per store generation and kept on disk.

``/dumps/policygraph.{ttl,nt,nq,trig,jsonld}.gz``: Turtle and N-Triples hold the union of all named
graphs (what a query without a dataset sees); N-Quads, TriG and JSON-LD keep each triple in its named
graph (JSON-LD 1.1 §4.9 named graphs), with the shipped ``@context`` inline.

The files are written under ``{store folder}/../cache/dumps/{key}/`` (``var/cache`` next to
``var/store`` by default), ``key`` being the store generation — the embedded store bumps it at every
commit — so a dump is never older than the data it claims to be.  An external triplestore has no
generation: its key is a fingerprint of the triple counts of its graphs, and a dump is at most
``REMOTE_MAX_AGE`` seconds old.  Making a dump reads each named graph through the Store (Graph
Store reads, within the usual triple and byte limits) and writes to a temporary folder renamed into
place, so a request never sees half a file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from policygraph.linked_data.framing import flat
from policygraph.model import formats
from policygraph.model.jsonld_context import Context, shipped_context
from policygraph.settings import Settings
from policygraph.store.base import Store

REMOTE_MAX_AGE = 3600.0


@dataclass(frozen=True)
class DumpFormat:
    extension: str  # as in policygraph.ttl.gz
    media_type: str  # of the uncompressed content
    title: str
    with_graphs: bool


DUMP_FORMATS: dict[str, DumpFormat] = {f.extension: f for f in (
    DumpFormat("ttl", "text/turtle", "Turtle (all named graphs merged)", False),
    DumpFormat("nt", "application/n-triples", "N-Triples (all named graphs merged)", False),
    DumpFormat("nq", "application/n-quads", "N-Quads (with the named graphs)", True),
    DumpFormat("trig", "application/trig", "TriG (with the named graphs)", True),
    DumpFormat("jsonld", "application/ld+json", "JSON-LD (with the named graphs)", True),
)}
STEM = "policygraph"


def dump_name(extension: str) -> str:
    return f"{STEM}.{extension}.gz"


class DumpCache:
    def __init__(self, settings: Settings, context: Context | None = None):
        self.root = Path(settings.store_path).resolve().parent / "cache" / "dumps"
        self.context = context or shipped_context()
        self._lock = threading.Lock()
        self._remote: tuple[str, float] | None = None

    def key(self, store: Store) -> str:
        generation = getattr(store, "generation", None)
        if generation is not None:
            return f"g{generation:08d}" if isinstance(generation, int) else f"g{generation}"
        # An external triplestore: a fingerprint of its graph sizes, refreshed at most hourly.
        now = time.monotonic()
        if self._remote is not None and now - self._remote[1] < REMOTE_MAX_AGE:
            return self._remote[0]
        counts = sorted((k or "", v) for k, v in store.graph_counts().items())
        key = "r" + hashlib.sha256(json.dumps(counts).encode()).hexdigest()[:16]
        self._remote = (key, now)
        return key

    def path(self, store: Store, extension: str) -> Path:
        """The dump file for the store's current data, made now if it does not exist yet."""
        key = self.key(store)
        folder = self.root / key
        target = folder / dump_name(extension)
        if target.exists():
            return target
        with self._lock:
            if not target.exists():
                self._make(store, folder)
                self._remove_others(key)
        return target

    def _make(self, store: Store, folder: Path) -> None:
        tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        quads = read_all(store)
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=_triple_key)
        quads.sort(key=lambda q: (q.graph_name.value, _triple_key(q)))
        prefixes = {"pg": "https://w3id.org/policygraph/def#", "skos": "http://www.w3.org/2004/02/skos/core#",
                    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
                    "prov": "http://www.w3.org/ns/prov#", "dct": "http://purl.org/dc/terms/"}
        _write(tmp / dump_name("ttl"), ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))
        _write(tmp / dump_name("nt"), ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        _write(tmp / dump_name("nq"), ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
        _write(tmp / dump_name("trig"), ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes))
        _write(tmp / dump_name("jsonld"), jsonld_dataset(quads, self.context))
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)

    def _remove_others(self, key: str) -> None:
        for entry in self.root.glob("*"):
            if entry.name != key and not entry.name.startswith(key + ".tmp"):
                shutil.rmtree(entry, ignore_errors=True)


def read_all(store: Store) -> list[ox.Quad]:
    """Every quad of every named graph (and of the default graph, if it has any)."""
    quads: list[ox.Quad] = []
    for graph, count in sorted(store.graph_counts().items(), key=lambda kv: kv[0] or ""):
        if count == 0:
            continue
        body = store.read_graph(graph, formats.N_TRIPLES).body
        name = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        quads.extend(ox.Quad(t.subject, t.predicate, t.object, name)
                     for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    return quads


def jsonld_dataset(quads: list[ox.Quad], ctx: Context) -> bytes:
    """``{"@context", "@graph": [{"id": graph, "@graph": [nodes]}…]}``."""
    by_graph: dict = {}
    for q in quads:
        by_graph.setdefault(q.graph_name, []).append(ox.Triple(q.subject, q.predicate, q.object))
    graphs = []
    default_nodes = []
    for name, triples in by_graph.items():
        nodes = flat(triples, ctx)
        if isinstance(name, ox.DefaultGraph):
            default_nodes = nodes
        else:
            graphs.append({"id": name.value, "@graph": nodes})
    body = json.dumps({"@graph": default_nodes + graphs}, ensure_ascii=False, separators=(",", ":"))
    return ('{"@context":' + ctx.json + "," + body[1:]).encode()


def _triple_key(t) -> tuple:
    return (t.subject.value, t.predicate.value, str(t.object))


def _write(path: Path, data: bytes) -> None:
    # mtime=0: the same data gives the same bytes (and so the same ETag).
    with open(path, "wb") as raw, gzip.GzipFile(filename=path.name[:-3], mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(data)
