"""Real servers for the linked-data tests: ``policygraph serve`` on the whole shipped dataset.

- ``start_embedded``: an embedded store filled through the core API with every shipped file;
- ``start_remote``: ``policygraph serve`` in front of a real ``oxigraph serve`` holding the same data.

Free loopback ports, polled until they answer, stopped at the end of the session — the helpers of
``tests/api/support.py`` (imported by path: it is the API tests' module, not a package).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("api_support", ROOT / "tests" / "api" / "support.py")
api_support = importlib.util.module_from_spec(_spec)
sys.modules["api_support"] = api_support  # dataclasses look their module up there
_spec.loader.exec_module(api_support)
free_port, wait_until_up, stop = api_support.free_port, api_support.wait_until_up, api_support.stop
OXIGRAPH = api_support.OXIGRAPH

BASE = "https://w3id.org/policygraph/"


class Server:
    def __init__(self, url: str, process: subprocess.Popen, log: Path, kind: str, backend=None):
        self.url, self.process, self.log, self.kind, self.backend = url, process, log, kind, backend

    def local(self, iri: str) -> str:
        return self.url + "/" + iri[len(BASE):]


def shipped_quads() -> list[ox.Quad]:
    from policygraph.model.dataset import data_files

    quads = []
    for f in data_files():
        graph = ox.NamedNode(str(f.graph))
        quads += [ox.Quad(q.subject, q.predicate, q.object, graph)
                  for q in ox.parse(path=str(f.path), format=ox.RdfFormat.TURTLE)]
    return quads


def _environment(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    env.update(extra or {})
    return env


def _serve(tmp: Path, store: Path, env: dict, kind: str, backend=None) -> Server:
    port = free_port()
    log = tmp / f"policygraph-{kind}-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "policygraph.cli", "serve", "--host", "127.0.0.1",
                                    "--port", str(port), "--store", str(store)],
                                   env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/health", process, log)
    return Server(url, process, log, kind, backend)


def start_embedded(tmp: Path) -> Server:
    from policygraph.model.dataset import data_files
    from policygraph.settings import Settings
    from policygraph.store.embedded import EmbeddedStore

    store = EmbeddedStore(Settings(store_path=tmp / "store"))
    try:
        store.load_files(data_files())
    finally:
        store.close()
    return _serve(tmp, tmp / "store", _environment(), "embedded")


def start_remote(tmp: Path) -> Server:
    assert OXIGRAPH, "the oxigraph server (PyPI package oxigraph) is not installed"
    dump = tmp / "shipped.nq"
    dump.write_bytes(ox.serialize(shipped_quads(), format=ox.RdfFormat.N_QUADS))
    location = tmp / "oxigraph"
    subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", str(dump)], check=True,
                   capture_output=True)
    port = free_port()
    log = tmp / f"oxigraph-{port}.log"
    with open(log, "wb") as out:
        backend = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                                   stdout=out, stderr=subprocess.STDOUT)
    backend_url = f"http://127.0.0.1:{port}"
    wait_until_up(backend_url + "/query", backend, log)
    env = _environment({"POLICYGRAPH_QUERY_URL": backend_url + "/query",
                        "POLICYGRAPH_UPDATE_URL": backend_url + "/update",
                        "POLICYGRAPH_GRAPH_STORE_URL": backend_url + "/store"})
    try:
        return _serve(tmp, tmp / "store", env, "remote", backend)
    except BaseException:
        stop(backend)
        raise


def triples(body: bytes, fmt: ox.RdfFormat) -> set[str]:
    return {str(t if isinstance(t, ox.Triple) else t.triple) for t in ox.parse(body, format=fmt)}
