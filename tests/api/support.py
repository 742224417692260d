"""Starting real servers for the API tests: ``policygraph serve`` in a subprocess on a free loopback port.

- ``embedded_server``: on a temporary embedded store preloaded (through the core store API) with
  the shipped ontology files and ``data/sample.ttl``;
- ``remote_server``: ``policygraph serve`` in remote mode, in front of a real ``oxigraph serve``
  (PyPI package ``oxigraph``) loaded with the same files by ``oxigraph load``;
- ``server``: each of the two in turn — the API tests run against both.

Servers are polled until they answer (no fixed sleeps) and stopped at the end of the session.
(The fixtures are in conftest.py; this module holds what test modules import.)
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
OXIGRAPH = shutil.which("oxigraph", path=str(Path(PYTHON).parent)) or shutil.which("oxigraph")

TOKEN = "pgt_test-steward-token"
OTHER_TOKEN = "pgt_not-a-steward"
BASE = "https://w3id.org/policygraph/"
TEST_GRAPH = BASE + "graph/source/test"
SAMPLE = HERE / "data" / "sample.ttl"
QUERIES = HERE / "queries"
QUERY_TIMEOUT = 2.0
LIMITS = {"POLICYGRAPH_MAX_ROWS": "1000", "POLICYGRAPH_MAX_TRIPLES": "2000",
          "POLICYGRAPH_MAX_RESULT_BYTES": "200000", "POLICYGRAPH_MAX_BODY_BYTES": "1000000"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fixture_files() -> list[tuple[Path, str]]:
    """(file, named graph) of the test dataset: the ontology files as shipped, plus the sample."""
    from policygraph.model.dataset import data_files

    files = [(f.path, str(f.graph)) for f in data_files() if f.path.parent.name == "ontology"]
    return files + [(SAMPLE, TEST_GRAPH)]



def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@dataclass
class Server:
    url: str
    kind: str
    process: subprocess.Popen
    store_dir: Path
    log: Path
    env: dict = field(default_factory=dict)
    backend: subprocess.Popen | None = None  # the oxigraph server behind a remote one
    backend_url: str | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def auth(self, token: str = TOKEN) -> dict:
        return {"Authorization": f"Bearer {token}"}


def start_policygraph(tmp: Path, token_entry: str, *, store: Path | None = None, remote: str | None = None,
                      extra_env: dict | None = None, reload_data: bool = False, port: int | None = None) -> Server:
    port = port or free_port()
    store = store or tmp / "store"
    log = tmp / f"policygraph-{port}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    env.update({
        "POLICYGRAPH_STEWARD_TOKENS": token_entry,
        "POLICYGRAPH_QUERY_TIMEOUT": str(QUERY_TIMEOUT),
        "POLICYGRAPH_WRITE_GUARD": "guards:refuse_marked",
        "POLICYGRAPH_QUERIES_DIR": str(QUERIES),
        "PYTHONPATH": str(HERE) + os.pathsep + env.get("PYTHONPATH", ""),
        **LIMITS,
    })
    if remote:
        env.update({"POLICYGRAPH_QUERY_URL": remote + "/query", "POLICYGRAPH_UPDATE_URL": remote + "/update",
                    "POLICYGRAPH_GRAPH_STORE_URL": remote + "/store"})
    env.update(extra_env or {})
    command = [PYTHON, "-m", "policygraph.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--store", str(store)]
    if reload_data:
        command.append("--reload-data")
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/health", process, log)
    return Server(url, "remote" if remote else "embedded", process, store, log, env)


def preload_embedded(store_dir: Path) -> None:
    """Fill an embedded store through the core API (as `policygraph load` would), then close it."""
    from rdflib import URIRef

    from policygraph.model.dataset import DataFile
    from policygraph.settings import Settings
    from policygraph.store.embedded import EmbeddedStore

    store = EmbeddedStore(Settings(store_path=store_dir))
    try:
        store.load_files([DataFile(path, URIRef(graph)) for path, graph in fixture_files()])
    finally:
        store.close()


def start_oxigraph(tmp: Path, *, preload: bool = True) -> tuple[subprocess.Popen, str]:
    assert OXIGRAPH, "the oxigraph server (PyPI package oxigraph) is not installed"
    location = tmp / "oxigraph"
    if preload:
        for path, graph in fixture_files():
            subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", str(path), "--graph", graph],
                           check=True, capture_output=True)
    port = free_port()
    log = tmp / f"oxigraph-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                    "--timeout-s", str(int(QUERY_TIMEOUT * 5))], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/query", process, log)
    return process, url


def token_entry_for(token: str = TOKEN) -> str:
    from policygraph.steward.tokens import hash_token

    return "tester:" + hash_token(token)
